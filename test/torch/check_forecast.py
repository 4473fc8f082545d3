#!/usr/bin/python3
"""Recomputes an rnncast forecast with PyTorch, from the model file alone.

Usage: /usr/bin/python3 test/torch/check_forecast.py MODEL.json INPUT.csv [--series ID]

Builds nn.LSTM / nn.GRU (batch_first) + nn.Linear from the model file's config,
loads its weights with load_state_dict (strict: every name and shape must match),
takes the last `lookback` rows of the CSV as one (1, lookback, len(inputs)) window
in `config.inputs` order (the target, then any features), and prints the
`horizon` forecast values on stdout, one per line, as Python repr floats (exact
float64). Nothing else goes to stdout; messages go to stderr.

Only models trained with --transform none are accepted. With --scale none the
window is fed raw; a scaled model's file holds, per series, center and scale per
input, which are applied (x' = (x - center) / scale) and undone on the output
(y = y' * scale + center, with the target's pair). Computation is in float64.
The CSV rows are taken as they are: sorted by time, without gaps or missing
values in the window (no filling is done; a missing value is an error).
With --id data, --series ID picks the series (required when there are several).

Exit codes: 0 ok, 2 usage, 65 model or data that does not fit, 66 unreadable file.
"""

import csv
import json
import math
import sys

import torch
import torch.nn as nn


class CheckError(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


class Net(nn.Module):
    """The rnncast network: recurrent stack, Linear head on the last layer's final hidden state."""

    def __init__(self, cell, input_size, hidden, layers, bidirectional, horizon):
        super().__init__()
        rnn_class = {"lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.bidirectional = bidirectional
        self.rnn = rnn_class(input_size, hidden, num_layers=layers,
                             batch_first=True, bidirectional=bidirectional)
        directions = 2 if bidirectional else 1
        self.head = nn.Linear(directions * hidden, horizon)

    def forward(self, x):
        _, state = self.rnn(x)
        h_n = state[0] if isinstance(state, tuple) else state  # (L*D, B, H)
        # Bidirectional: forward direction after the last step ‖ backward direction after the first.
        final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.bidirectional else h_n[-1]
        return self.head(final)  # (B, horizon)


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise CheckError(f"{path}: cannot read: {e.strerror}", 66)
    except json.JSONDecodeError as e:
        raise CheckError(f"{path}: not JSON: {e}", 65)


def require(obj, key, where):
    if not isinstance(obj, dict) or key not in obj:
        raise CheckError(f"model file: missing {where}.{key}", 65)
    return obj[key]


def check_transform(model):
    """Refuses transformed models: this script does not invert log or diff."""
    transform = (model.get("data") or {}).get("transform")
    if transform not in (None, "none"):
        raise CheckError(f"model file: transform '{transform}' is not supported; train with --transform none", 65)


def series_scaler(model, series_id):
    """[(center, scale)] per input for the chosen series; (0, 1) each when the model is unscaled.

    The model file keeps, per series, scaler = {kind, inputs: [{name, center, scale}]} and the
    network sees x' = (x - center) / scale; the target's pair undoes it on the output.
    """
    inputs = model["config"]["inputs"]
    series = (model.get("data") or {}).get("series") or []
    if series_id is not None:
        series = [s for s in series if isinstance(s, dict) and str(s.get("id")) == series_id]
    if not series:
        return [(0.0, 1.0)] * len(inputs)  # a model file without per-series data: raw values
    if len(series) != 1:
        which = f"series '{series_id}'" if series_id is not None else "a single series"
        raise CheckError(f"model file: data.series has no entry for {which}", 65)
    scaler = series[0].get("scaler")
    kind = scaler.get("kind") if isinstance(scaler, dict) else scaler
    if kind in (None, "none"):
        return [(0.0, 1.0)] * len(inputs)
    pairs = scaler.get("inputs") if isinstance(scaler, dict) else None
    if not isinstance(pairs, list) or len(pairs) != len(inputs) or \
            not all(isinstance(p, dict) and "center" in p and "scale" in p for p in pairs):
        raise CheckError(f"model file: scaler '{kind}' without per-input center and scale is not supported; "
                         "train with --scale none", 65)
    return [(float(p["center"]), float(p["scale"])) for p in pairs]


def build_net(model):
    config = require(model, "config", "")
    cell = require(config, "cell", "config")
    if cell not in ("lstm", "gru"):
        raise CheckError(f"model file: unknown cell '{cell}'", 65)
    inputs = require(config, "inputs", "config")
    net = Net(cell, len(inputs), int(require(config, "hiddenSize", "config")),
              int(require(config, "numLayers", "config")), bool(config.get("bidirectional", False)),
              int(require(config, "horizon", "config")))
    weights = require(model, "weights", "")
    state = {}
    for name, w in weights.items():
        shape, values = require(w, "shape", f"weights.{name}"), require(w, "values", f"weights.{name}")
        if math.prod(shape) != len(values):
            raise CheckError(f"model file: weights.{name} has {len(values)} values for shape {shape}", 65)
        state[name] = torch.tensor(values, dtype=torch.float64).reshape(shape)
    try:
        net.load_state_dict(state, strict=True)
    except RuntimeError as e:
        raise CheckError(f"model file: weights do not fit the config: {e}", 65)
    return net.eval()


def sniff_delimiter(header):
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get)


def read_window(path, model, series_id):
    """The last `lookback` rows of the config.inputs columns, (lookback, len(inputs)), and the series id."""
    config, data = model["config"], model.get("data") or {}
    inputs, lookback = config["inputs"], int(config["lookback"])
    id_column = data.get("idColumn")
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except OSError as e:
        raise CheckError(f"{path}: cannot read: {e.strerror}", 66)
    lines = text.splitlines()
    if not lines:
        raise CheckError(f"{path}: empty file", 65)
    rows = list(csv.reader(lines, delimiter=sniff_delimiter(lines[0])))
    header = [h.strip() for h in rows[0]]
    # (1-based line number, row) so messages can point at the line; blank lines are skipped.
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    missing = [c for c in inputs + ([id_column] if id_column else []) if c not in header]
    if missing:
        raise CheckError(f"{path}: missing column(s) {', '.join(missing)} (header: {', '.join(header)})", 65)
    if id_column:
        col = header.index(id_column)
        ids = list(dict.fromkeys(r[col] for _, r in body))
        if series_id is None:
            if len(ids) != 1:
                raise CheckError(f"{path}: {len(ids)} series in '{id_column}'; pick one with --series ID", 2)
            series_id = ids[0]
        body = [(n, r) for n, r in body if r[col] == series_id]
        if not body:
            raise CheckError(f"{path}: no rows for series '{series_id}'", 65)
    if len(body) < lookback:
        raise CheckError(f"{path}: {len(body)} rows, fewer than the lookback {lookback}", 65)
    cols = [header.index(c) for c in inputs]
    window = []
    for line, r in body[-lookback:]:
        values = []
        for c in cols:
            cell = r[c].strip() if c < len(r) else ""
            if cell == "":
                raise CheckError(f"{path}: line {line}, column '{header[c]}': missing value", 65)
            try:
                v = float(cell)
            except ValueError:
                raise CheckError(f"{path}: line {line}, column '{header[c]}': not a number: '{cell}'", 65)
            if not math.isfinite(v):
                raise CheckError(f"{path}: line {line}, column '{header[c]}': missing value", 65)
            values.append(v)
        window.append(values)
    return window, series_id


def main(argv):
    args, series_id = [], None
    i = 0
    while i < len(argv):
        if argv[i] == "--series" and i + 1 < len(argv):
            series_id = argv[i + 1]
            i += 2
        elif argv[i].startswith("--series="):
            series_id = argv[i].split("=", 1)[1]
            i += 1
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 2:
        raise CheckError("usage: check_forecast.py MODEL.json INPUT.csv [--series ID]", 2)
    model = read_json(args[0])
    if model.get("format") not in (None, "rnncast-model"):
        raise CheckError(f"{args[0]}: format is '{model.get('format')}', not 'rnncast-model'", 65)
    check_transform(model)
    net = build_net(model)
    window, series_id = read_window(args[1], model, series_id)
    scaler = series_scaler(model, series_id)
    scaled = [[(v - c) / s for v, (c, s) in zip(row, scaler)] for row in window]
    x = torch.tensor([scaled], dtype=torch.float64)  # (1, lookback, inputs)
    with torch.no_grad():
        forecast = net(x)[0]  # (horizon,)
    target_center, target_scale = scaler[0]
    forecast = forecast * target_scale + target_center
    sys.stdout.write("".join(f"{v!r}\n" for v in forecast.tolist()))
    return 0


if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    try:
        sys.exit(main(sys.argv[1:]))
    except CheckError as e:
        print(f"check_forecast: {e}", file=sys.stderr)
        sys.exit(e.code)
