#!/usr/bin/python3
"""Recomputes an rnncast forecast with known-future covariates in PyTorch, from the model file
and the CSV alone, following the README ("Known-future covariates: what the head reads").

Usage: /usr/bin/python3 test/torch/check_future.py MODEL.json INPUT.csv

For one series of a model trained with --transform diff or seasonal-diff and --calendar false
(the head's inputs are then all that this checks beside the recurrent stack): builds
nn.LSTM / nn.GRU (batch_first) + nn.Linear(D*H + E, horizon), loads the weights with
load_state_dict (strict), builds the window's inputs in config.inputs order and the E head inputs
in config.headInputs order from the CSV — its last observed rows and the future rows after them —
and prints the horizon forecast values on stdout, one per line (float64 repr):

  forecast_h = base_h + scale * (w * (W1 . h_T + b)_h + (W2 . e)_h)

where scale is the series' unit, or with data.windowScale the larger of it and the window's own
mean absolute (seasonal) change (src/data/prepare.ts, windowUnit).

Exit codes: 0 ok, 65 model or data it does not handle.
"""

import csv
import json
import sys

import torch
import torch.nn as nn


def fail(message):
    print(f"check_future: {message}", file=sys.stderr)
    sys.exit(65)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1], encoding="utf-8") as handle:
        model = json.load(handle)
    config, data = model["config"], model["data"]
    if data["calendar"] or data["headCalendar"] or data["idColumn"] is not None:
        fail("only single-series models trained with --calendar false")
    if data["baseline"] not in ("naive", "seasonal") or data["series"][0]["log"]:
        fail("only --transform diff or seasonal-diff")
    series = data["series"][0]
    target, features, future = data["target"], data["features"], data["futureFeatures"]
    lookback, horizon = config["lookback"], config["horizon"]
    season = data["baseSeason"] if data["baseline"] == "seasonal" else 1
    scale = series["scale"]
    scalers = {entry["name"]: entry for entry in series["scaler"]["inputs"]}

    with open(sys.argv[2], encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    observed = [row for row in rows if row[target] != ""]
    last = rows.index(observed[-1])
    if observed != rows[: last + 1]:
        fail("a missing target inside the data (this check does no filling)")
    ahead = rows[last + 1 : last + 1 + horizon]
    if len(ahead) < horizon:
        fail(f"{len(ahead)} future rows, the model reads {horizon}")
    y = [float(row[target]) for row in observed]
    n = len(y)
    if data.get("windowScale"):
        changes = [abs(y[t] - y[t - season]) for t in range(max(n - lookback, season), n)]
        scale = max(scale, sum(changes) / len(changes))

    def scaled(name, row):
        entry = scalers[name]
        return (float(row[name]) - entry["center"]) / entry["scale"]

    # The window: level from its first point, change, seasonal change, then the features.
    window = []
    level = y[n - lookback]
    for t in range(n - lookback, n):
        step = [(y[t] - level) / scale, (y[t] - y[t - 1]) / scale]
        if season > 1:
            step.append((y[t] - y[t - season]) / scale if t >= season else 0.0)
        step += [scaled(name, observed[t]) for name in features]
        window.append(step)
    names = [f"{target}:level", f"{target}:change"] + ([f"{target}:seasonal-change"] if season > 1 else []) + features
    if names != config["inputs"]:
        fail(f"inputs {config['inputs']} are not {names}")

    # The head inputs, step by step: each covariate's scaled value, then its change since the
    # point the baseline carries forward to that step (T-1 naive; T-m+((h-1) mod m) seasonal).
    head_inputs, head_names = [], []
    for h in range(1, horizon + 1):
        source = n - 1 if season == 1 else n - season + ((h - 1) % season)
        values = [scaled(name, ahead[h - 1]) for name in future]
        head_inputs += values + [value - scaled(name, observed[source]) for name, value in zip(future, values)]
        head_names += [f"{name}@{h}" for name in future] + [f"{name}:change@{h}" for name in future]
    if head_names != config["headInputs"]:
        fail(f"headInputs {config['headInputs']} are not {head_names}")

    directions = 2 if config["bidirectional"] else 1
    hidden = config["hiddenSize"]
    rnn_class = {"lstm": nn.LSTM, "gru": nn.GRU}[config["cell"]]
    rnn = rnn_class(len(names), hidden, num_layers=config["numLayers"], batch_first=True, bidirectional=config["bidirectional"]).double()
    head = nn.Linear(directions * hidden + len(head_names), horizon).double()
    weights = {name: torch.tensor(tensor["values"], dtype=torch.float64).reshape(tensor["shape"]) for name, tensor in model["weights"].items()}
    rnn.load_state_dict({name[4:]: value for name, value in weights.items() if name.startswith("rnn.")}, strict=True)
    head.load_state_dict({name[5:]: value for name, value in weights.items() if name.startswith("head.")}, strict=True)

    with torch.no_grad():
        _, state = rnn(torch.tensor([window], dtype=torch.float64))
        h_n = state[0] if isinstance(state, tuple) else state
        final = torch.cat([h_n[-2], h_n[-1]], dim=1) if config["bidirectional"] else h_n[-1]
        extra = torch.tensor([head_inputs], dtype=torch.float64)
        known = extra @ head.weight[:, directions * hidden :].T  # (1, horizon) from the head inputs
        rest = head(torch.cat([final, extra], dim=1)) - known
        weight = data["correctionWeight"]
        output = (weight * rest + known)[0]
    for h in range(horizon):
        base = y[n - 1] if season == 1 else y[n - season + (h % season)]
        value = base + scale * float(output[h])
        if series["nonNegative"] and value < 0:
            value = 0.0
        print(repr(value))


if __name__ == "__main__":
    main()
