#!/usr/bin/python3
"""Self-test of check_forecast.py, using hand-built model files.

Usage: /usr/bin/python3 test/torch/selftest_check_forecast.py

1. For each of the 8 fixtures in test/fixtures/torch, writes an rnncast model file
   with the fixture's weights (inputs: target + 2 features), and a CSV whose last
   `steps` rows are the fixture's first input window (earlier rows are decoys);
   check_forecast.py must print the fixture's output row 0.
2. A univariate GRU model, written in the model file layout from a fresh nn.GRU, with
   a long-format CSV holding two series: --series picks one, and no --series is refused.
   The same model with per-series standard scalers: scaled in, unscaled out.
3. Refusals: a scaler without center/scale, weights that do not fit, a log transform.
Prints one line per check and 'N passed, N failed'; exits 1 if any failed.
"""

import json
import os
import subprocess
import sys
import tempfile

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "torch")
CHECK = os.path.join(HERE, "check_forecast.py")
TOLERANCE = 1e-12

results = []


def record(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")


def run_check(model_path, csv_path, *extra):
    proc = subprocess.run([sys.executable, CHECK, model_path, csv_path, *extra],
                          capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def model_doc(cell, hidden, layers, bidirectional, lookback, horizon, inputs, weights,
              id_column=None, series_ids=("",), scalers=None):
    """A model file in the PRODUCT.md layout, with the fields check_forecast.py does not read filled plausibly."""
    return {
        "format": "rnncast-model", "version": 1, "created": "2024-01-01T00:00:00Z", "rnncast": "selftest",
        "config": {"cell": cell, "hiddenSize": hidden, "numLayers": layers, "bidirectional": bidirectional,
                   "dropout": 0, "lookback": lookback, "horizon": horizon, "inputs": inputs, "loss": "mse"},
        "data": {"timeColumn": "date", "target": inputs[0], "features": inputs[1:], "idColumn": id_column,
                 "freq": "D", "season": 7, "transform": "none",
                 "series": [{"id": s, "lastTime": "2024-01-01",
                             "scaler": (scalers or {}).get(s) or
                             {"kind": "none", "inputs": [{"name": n, "center": 0, "scale": 1} for n in inputs]}}
                            for s in series_ids]},
        "weights": weights,
        "training": {"epochs": 0, "bestEpoch": 0, "stoppedBy": "max-epochs", "history": [], "seed": 42,
                     "seconds": 0},
        "calibration": {},
    }


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def parse_floats(stdout):
    return [float(line) for line in stdout.splitlines()]


def fixture_cases(tmp):
    names = sorted(f[:-5] for f in os.listdir(FIXTURES) if f.endswith(".json"))
    for name in names:
        with open(os.path.join(FIXTURES, name + ".json")) as f:
            fx = json.load(f)
        steps, size, horizon = fx["steps"], fx["inputSize"], fx["horizon"]
        inputs = ["sales"] + [f"f{k}" for k in range(1, size)]
        model = model_doc(fx["cell"], fx["hiddenSize"], fx["numLayers"], fx["bidirectional"], steps,
                          horizon, inputs, fx["weights"])
        window = fx["input"]["values"][: steps * size]  # batch row 0: (steps, size)
        lines = ["date," + ",".join(inputs)]
        for d in range(5):  # decoy rows before the window: must not be read
            lines.append(f"2023-12-{20 + d:02d}," + ",".join(["1e6"] * size))
        for t in range(steps):
            row = window[t * size:(t + 1) * size]
            lines.append(f"2024-01-{1 + t:02d}," + ",".join(repr(v) for v in row))
        model_path, csv_path = os.path.join(tmp, name + ".model.json"), os.path.join(tmp, name + ".csv")
        write(model_path, json.dumps(model))
        write(csv_path, "\n".join(lines) + "\n")
        code, out, err = run_check(model_path, csv_path)
        expected = fx["output"]["values"][:horizon]
        if code != 0:
            record(f"fixture {name}", False, f"exit {code}: {err.strip()}")
            continue
        got = parse_floats(out)
        diff = max(abs(a - b) for a, b in zip(got, expected)) if len(got) == horizon else float("inf")
        record(f"fixture {name}", len(got) == horizon and diff <= TOLERANCE and err == "",
               f"{len(got)} values, max |diff| {diff:.3g}")


def univariate_long_format(tmp):
    torch.manual_seed(7)
    lookback, hidden, horizon = 8, 6, 3
    rnn = nn.GRU(1, hidden, num_layers=2, batch_first=True)
    head = nn.Linear(hidden, horizon)
    weights = {}
    for prefix, module in (("rnn.", rnn), ("head.", head)):
        for n, p in module.named_parameters():
            weights[prefix + n] = {"shape": list(p.shape), "values": p.detach().reshape(-1).tolist()}
    series = {"A": [float(i) * 0.1 for i in range(12)], "B": [1.0 - 0.05 * i for i in range(10)]}
    lines = ["day;store;units"]  # semicolons, id column in the middle
    for sid, vals in series.items():
        lines += [f"2024-02-{1 + i:02d};{sid};{v!r}" for i, v in enumerate(vals)]
    model = model_doc("gru", hidden, 2, False, lookback, horizon, ["units"], weights,
                      id_column="store", series_ids=("A", "B"))
    model_path, csv_path = os.path.join(tmp, "uni.model.json"), os.path.join(tmp, "uni.csv")
    write(model_path, json.dumps(model))
    write(csv_path, "\n".join(lines) + "\n")
    for sid, vals in series.items():
        x = torch.tensor(vals[-lookback:]).reshape(1, lookback, 1)
        with torch.no_grad():
            _, h_n = rnn(x)
            expected = head(h_n[-1])[0].tolist()
        code, out, err = run_check(model_path, csv_path, "--series", sid)
        got = parse_floats(out) if code == 0 else []
        diff = max((abs(a - b) for a, b in zip(got, expected)), default=float("inf"))
        record(f"univariate gru, series {sid}", code == 0 and len(got) == horizon and diff <= TOLERANCE,
               f"exit {code}, max |diff| {diff:.3g}")
    code, out, err = run_check(model_path, csv_path)
    record("two series without --series is refused", code == 2 and out == "", err.strip())

    # Per-series standard scaling: the window is scaled with the series' pair, the output unscaled.
    scalers = {"A": {"kind": "standard", "inputs": [{"name": "units", "center": 0.55, "scale": 0.3452}]},
               "B": {"kind": "standard", "inputs": [{"name": "units", "center": 0.775, "scale": 0.1436}]}}
    scaled_model = model_doc("gru", hidden, 2, False, lookback, horizon, ["units"], weights,
                             id_column="store", series_ids=("A", "B"), scalers=scalers)
    scaled_path = os.path.join(tmp, "uni-scaled.model.json")
    write(scaled_path, json.dumps(scaled_model))
    for sid, vals in series.items():
        c, s = scalers[sid]["inputs"][0]["center"], scalers[sid]["inputs"][0]["scale"]
        x = ((torch.tensor(vals[-lookback:]) - c) / s).reshape(1, lookback, 1)
        with torch.no_grad():
            _, h_n = rnn(x)
            expected = (head(h_n[-1])[0] * s + c).tolist()
        code, out, err = run_check(scaled_path, csv_path, "--series", sid)
        got = parse_floats(out) if code == 0 else []
        diff = max((abs(a - b) for a, b in zip(got, expected)), default=float("inf"))
        record(f"scaled univariate gru, series {sid}", code == 0 and len(got) == horizon and diff <= TOLERANCE,
               f"exit {code}, max |diff| {diff:.3g}")
    code, out, err = run_check(scaled_path, csv_path, "--series", "C")
    record("a series the model does not know is refused", code == 65 and out == "", err.strip())
    return model, model_path, csv_path


def refusals(tmp, model, csv_path):
    scaled = json.loads(json.dumps(model))
    scaled["data"]["series"][0]["scaler"] = {"kind": "standard"}  # no per-input center and scale
    path = os.path.join(tmp, "scaled.model.json")
    write(path, json.dumps(scaled))
    code, out, err = run_check(path, csv_path, "--series", "A")
    record("scaled model is refused", code == 65 and out == "", err.strip())

    wrong = json.loads(json.dumps(model))
    wrong["config"]["hiddenSize"] = 7
    path = os.path.join(tmp, "wrong.model.json")
    write(path, json.dumps(wrong))
    code, out, err = run_check(path, csv_path, "--series", "A")
    record("weights that do not fit are refused", code == 65 and out == "", err.strip()[:120])

    logged = json.loads(json.dumps(model))
    logged["data"]["transform"] = "log"
    path = os.path.join(tmp, "log.model.json")
    write(path, json.dumps(logged))
    code, out, err = run_check(path, csv_path, "--series", "A")
    record("transformed model is refused", code == 65 and out == "", err.strip())


def main():
    torch.set_default_dtype(torch.float64)
    with tempfile.TemporaryDirectory() as tmp:
        fixture_cases(tmp)
        model, _, csv_path = univariate_long_format(tmp)
        refusals(tmp, model, csv_path)
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
