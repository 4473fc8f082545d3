#!/usr/bin/python3
"""Self-test of check_forecast.py, on hand-built model files (no node, no rnncast).

Usage: /usr/bin/python3 test/torch/selftest_check_forecast.py

1. The network: for each PyTorch fixture in test/fixtures/torch whose head reads the final state
   (not the every-step ones), check_forecast's Net, built from the fixture's weights with
   load_state_dict(strict=True), gives the fixture's output (head inputs concatenated after the
   final state for the -e2 fixtures).
2. The pipeline: model files in the version 2 layout with the fixtures' weights or fresh
   nn.LSTM / nn.GRU modules, and CSVs made for them; the expected forecast is written out here
   step by step (the inputs of every step, the baseline, the correction weight, the log, the
   clamp), with the calendar phases from Python's datetime rather than check_forecast's own
   day arithmetic: no baseline with scaled target and feature; log + seasonal baseline with
   the calendar year, a 3-member ensemble (median) and head calendar inputs; drift with the
   calendar day and week on hourly times written with an offset; the clamp at zero; a missing
   value and a missing timestamp filled (interpolate); a panel (--series), a series the model
   never saw, and the baseline methods (naive, seasonal_naive, drift, and a short series).
3. Refusals: exit 2 (no --series for a panel, bad usage), 65 (another file version, weights that
   do not fit, inputs that are not the ones derived, an ensemble without its members, a series the
   file does not hold), 66 (no model file). Most checks call check_forecast.check in this process
   (PyTorch's import costs seconds); a few run the command, whose stdout must hold the values as
   repr floats, one per line, and nothing else.
Prints one line per check and 'N passed, N failed'; exits 1 if any failed.
"""

import datetime
import json
import math
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
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ left in test/torch
import check_forecast  # noqa: E402

results = []


def record(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")


def run_check(*args):
    proc = subprocess.run([sys.executable, CHECK, *args], capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def compare(name, got, expected, tolerance=TOLERANCE):
    """Relative to max(|expected|, 1)."""
    if len(got) != len(expected):
        record(name, False, f"{len(got)} values, expected {len(expected)}")
        return
    diff = max(abs(a - b) / max(abs(b), 1.0) for a, b in zip(got, expected))
    record(name, diff <= tolerance, f"{len(got)} values, max relative diff {diff:.3g}")


def refused(name, code, model_path, csv_path, series=None):
    """check_forecast.check must refuse with this exit code (in this process: no PyTorch import per check)."""
    try:
        check_forecast.check(model_path, csv_path, series)
    except check_forecast.CheckError as e:
        record(f"{name} (exit {code})", e.code == code, f"exit {e.code}: {e}"[:160])
        return
    record(f"{name} (exit {code})", False, "not refused")


def in_process(name, model_path, csv_path, expected, series=None, note=None):
    try:
        got, message, _ = check_forecast.check(model_path, csv_path, series)
    except check_forecast.CheckError as e:
        record(name, False, f"exit {e.code}: {e}")
        return
    if note is not None and (message is None or note not in message):
        record(name, False, f"note {message!r}, expected one about {note!r}")
        return
    compare(name, got, expected)


def weights_of(rnn, head):
    weights = {}
    for prefix, module in (("rnn.", rnn), ("head.", head)):
        for n, p in module.named_parameters():
            weights[prefix + n] = {"shape": list(p.shape), "values": p.detach().reshape(-1).tolist()}
    return weights


def model_doc(cell, hidden, layers, bidirectional, lookback, horizon, inputs, weights, *, target, series,
              features=(), baseline="none", base_season=1, calendar=(), head_calendar=False, weight=1.0,
              scale="standard", freq="D", season=7, id_column=None, ensemble=(), time_style=None):
    """A version 2 model file (src/io/model-file.ts) with the fields check_forecast.py does not read filled plausibly."""
    head_inputs = [f"calendar:{c}:{w}@{h + 1}" for h in range(horizon) for c in calendar for w in ("sin", "cos")] \
        if head_calendar else []
    return {
        "format": "rnncast-model", "version": 2, "created": "2024-01-01T00:00:00Z", "rnncast": "selftest",
        "config": {"cell": cell, "hiddenSize": hidden, "numLayers": layers, "bidirectional": bidirectional,
                   "dropout": 0, "lookback": lookback, "horizon": horizon, "inputs": inputs, "headInputs": head_inputs,
                   "loss": "mse", "optimizer": "adam", "lr": 0.001, "weightDecay": 0, "batchSize": 32, "epochs": 200,
                   "steps": 2000, "maxTime": None, "patience": 20, "minDelta": 0, "clipNorm": 1, "clipValue": None,
                   "valSize": 0.2, "scale": scale, "ensemble": 1 + len(ensemble), "fallback": "auto",
                   "forking": False, "calendar": bool(calendar)},
        "data": {"timeColumn": "date", "target": target, "features": list(features), "idColumn": id_column,
                 "freq": freq, "season": season, "transform": "auto", "baseline": baseline,
                 "baseSeason": base_season, "calendar": list(calendar), "headCalendar": head_calendar,
                 "correctionWeight": weight, "why": None,
                 "timeStyle": time_style or {"kind": "date", "offsetMinutes": None, "zulu": False, "separator": "T",
                                             "seconds": False, "fractionDigits": 0},
                 "series": [{"id": s.get("id", ""), "lastTime": "", "lastValue": 0, "rows": 0,
                             "log": s.get("log", False), "center": s.get("center", 0), "scale": s.get("scale", 1),
                             "nonNegative": s.get("nonNegative", False), "method": s.get("method", "model"),
                             "validation": None,
                             "scaler": {"kind": scale, "inputs": [{"name": f, "center": c, "scale": k}
                                                                  for f, (c, k) in zip(features, s.get("features", []))]}}
                            for s in series],
                 "fingerprint": {"sha256": "", "rows": 0}},
        "weights": weights,
        "ensembleWeights": list(ensemble),
        "training": {"epochs": 0, "bestEpoch": 0, "steps": 0, "stoppedBy": "max-epochs", "history": [], "seed": 42,
                     "seconds": 0, "members": [{"seed": 42, "rounds": 0, "bestEpoch": 0, "steps": 0,
                                                "stoppedBy": "max-epochs", "initialLoss": None, "bestLoss": None}]},
        "calibration": None,
    }


def write(path, obj):
    with open(path, "w") as f:
        f.write(obj if isinstance(obj, str) else json.dumps(obj))
    return path


def net_output(rnn, head, window, extra=None, bidirectional=False):
    """The network by hand: final hidden state (‖ head inputs) into the head."""
    x = torch.tensor([window], dtype=torch.float64)
    with torch.no_grad():
        _, state = rnn(x)
        h_n = state[0] if isinstance(state, tuple) else state
        final = torch.cat([h_n[-2], h_n[-1]], dim=1) if bidirectional else h_n[-1]
        if extra is not None:
            final = torch.cat([final, torch.tensor([extra], dtype=torch.float64)], dim=1)
        return head(final)[0].tolist()


def year_phase(when):
    first = datetime.datetime(when.year, 1, 1)
    days = 366 if (when.year % 4 == 0 and when.year % 100 != 0) or when.year % 400 == 0 else 365
    return (when.replace(tzinfo=None) - first).total_seconds() / 86400 // 1 / days


def sincos(phase):
    return [math.sin(2 * math.pi * phase), math.cos(2 * math.pi * phase)]


# ---------------------------------------------------------------------------------------------


def network_fixtures():
    names = sorted(f[:-5] for f in os.listdir(FIXTURES) if f.endswith(".json"))
    for name in names:
        with open(os.path.join(FIXTURES, name + ".json")) as f:
            fx = json.load(f)
        if fx.get("everyStep"):
            continue
        E = fx.get("headInputs", 0)
        config = {"cell": fx["cell"], "inputs": ["x"] * fx["inputSize"], "hiddenSize": fx["hiddenSize"],
                  "numLayers": fx["numLayers"], "bidirectional": fx["bidirectional"], "horizon": fx["horizon"],
                  "headInputs": ["e"] * E}
        net = check_forecast.build_net(config, fx["weights"], "weights")
        x = torch.tensor(fx["input"]["values"], dtype=torch.float64).reshape(fx["input"]["shape"])
        extra = torch.tensor(fx["headInput"]["values"], dtype=torch.float64).reshape(fx["headInput"]["shape"]) if E else None
        with torch.no_grad():
            got = net(x, extra).reshape(-1).tolist()
        compare(f"network {name}", got, fx["output"]["values"])


def fixture_pipeline(tmp):
    """No baseline: target (y - c)/s, change, one feature (x - cf)/sf; forecast c + out·s. Fixture weights."""
    for name in ("lstm-l1-uni", "gru-l2-bi"):
        with open(os.path.join(FIXTURES, name + ".json")) as f:
            fx = json.load(f)
        B, H = fx["steps"], fx["horizon"]
        c, s, cf, sf = 50.0, 4.0, 2.0, 0.5
        n = B + 5
        ys = [50 + 3 * math.sin(0.9 * t) + 0.2 * t for t in range(n)]
        xs = [2 + math.cos(1.3 * t) for t in range(n)]
        inputs = ["sales:level", "sales:change", "f1"]
        model = model_doc(fx["cell"], fx["hiddenSize"], fx["numLayers"], fx["bidirectional"], B, H, inputs,
                          fx["weights"], target="sales", features=["f1"],
                          series=[{"center": c, "scale": s, "features": [(cf, sf)]}])
        path = write(os.path.join(tmp, name + ".model.json"), model)
        csv_path = write(os.path.join(tmp, name + ".csv"), "date,sales,f1\n" + "".join(
            f"{datetime.date(2024, 1, 1) + datetime.timedelta(days=t)},{ys[t]!r},{xs[t]!r}\n" for t in range(n)))
        window = [[(ys[t] - c) / s, (ys[t] - ys[t - 1]) / s, (xs[t] - cf) / sf] for t in range(n - B, n)]
        net = check_forecast.build_net(model["config"], fx["weights"], "weights")
        out = net_output(net.rnn, net.head, window, bidirectional=fx["bidirectional"])
        expected = [c + o * s for o in out]
        in_process(f"no baseline, scaled target and feature ({name})", path, csv_path, expected)
        if name == "lstm-l1-uni":
            code, stdout, stderr = run_check(path, csv_path)
            lines = stdout.splitlines()
            record("the command prints repr floats, one per line, and nothing on stderr",
                   code == 0 and stderr == "" and lines == [repr(v) for v in check_forecast.check(path, csv_path)[0]],
                   f"exit {code}, {len(lines)} lines")


def seasonal_log_calendar(tmp):
    """Monthly, log + seasonal naive (m = 4), calendar year, head calendar inputs, 3 members, weight 0.6."""
    torch.manual_seed(11)
    B, H, m, hidden = 6, 5, 4, 5
    names = ["units:level", "units:change", "units:seasonal-change", "calendar:year:sin", "calendar:year:cos"]
    members = []
    for _ in range(3):
        rnn, head = nn.LSTM(5, hidden, batch_first=True), nn.Linear(hidden + 2 * H, H)
        members.append((rnn, head))
    months = [datetime.datetime(2019 + (10 + k) // 12, (10 + k) % 12 + 1, 1) for k in range(20 + H)]
    n = 20
    ys = [100 * (1 + 0.3 * math.sin(2 * math.pi * k / m)) * 1.02 ** k for k in range(n)]
    scale, weight = 0.07, 0.6
    model = model_doc("lstm", hidden, 1, False, B, H, names, weights_of(*members[0]), target="units",
                      baseline="seasonal", base_season=m, calendar=["year"], head_calendar=True, weight=weight,
                      freq="M", season=12, series=[{"log": True, "scale": scale, "nonNegative": True}],
                      ensemble=[weights_of(*mm) for mm in members[1:]],
                      time_style={"kind": "month", "offsetMinutes": None, "zulu": False, "separator": "T",
                                  "seconds": False, "fractionDigits": 0})
    path = write(os.path.join(tmp, "seasonal.model.json"), model)
    csv_path = write(os.path.join(tmp, "seasonal.csv"),
                     "date,units\n" + "".join(f"{months[k]:%Y-%m},{ys[k]!r}\n" for k in range(n)))
    v = [math.log(y) for y in ys]
    level = v[n - B]
    window = [[(v[t] - level) / scale, (v[t] - v[t - 1]) / scale, (v[t] - v[t - m]) / scale,
               *sincos(year_phase(months[t]))] for t in range(n - B, n)]
    extra = [x for h in range(H) for x in sincos(year_phase(months[n + h]))]
    outs = [net_output(rnn, head, window, extra) for rnn, head in members]
    expected = []
    for h in range(H):
        o = sorted(out[h] for out in outs)[1]
        expected.append(math.exp(v[n - m + h % m] + weight * o * scale))
    in_process("log, seasonal baseline, calendar year, head inputs, median of 3", path, csv_path, expected)

    # Two members: the mean of the middle two.
    two = json.loads(json.dumps(model))
    two["ensembleWeights"] = two["ensembleWeights"][:1]
    two["config"]["ensemble"] = 2
    path = write(os.path.join(tmp, "seasonal-2.model.json"), two)
    expected = [math.exp(v[n - m + h % m] + weight * (outs[0][h] + outs[1][h]) / 2 * scale) for h in range(H)]
    in_process("median of 2 members: the mean of the two", path, csv_path, expected)


def drift_hourly_offsets(tmp):
    """Hourly times written with +02:00, drift baseline, calendar day and week, GRU, bidirectional."""
    torch.manual_seed(12)
    B, H, hidden = 5, 3, 4
    rnn, head = nn.GRU(6, hidden, batch_first=True, bidirectional=True), nn.Linear(2 * hidden, H)
    names = ["load:level", "load:change", "calendar:day:sin", "calendar:day:cos", "calendar:week:sin", "calendar:week:cos"]
    n = 30
    tz = datetime.timezone(datetime.timedelta(hours=2))
    times = [datetime.datetime(2024, 6, 7, 13, 0, tzinfo=tz) + datetime.timedelta(hours=k) for k in range(n)]
    ys = [10 + math.sin(k / 3) + 0.1 * k for k in range(n)]
    scale = 0.8
    model = model_doc("gru", hidden, 1, True, B, H, names, weights_of(rnn, head), target="load", baseline="drift",
                      calendar=["day", "week"], freq="H", season=24, series=[{"scale": scale}],
                      time_style={"kind": "datetime", "offsetMinutes": 120, "zulu": False, "separator": "T",
                                  "seconds": False, "fractionDigits": 0})
    path = write(os.path.join(tmp, "drift.model.json"), model)
    csv_path = write(os.path.join(tmp, "drift.csv"),
                     "date,load\n" + "".join(f"{times[k].isoformat(timespec='minutes')},{ys[k]!r}\n" for k in range(n)))
    level = ys[n - B]
    window = []
    for t in range(n - B, n):
        local = times[t]
        day = (local.hour * 60 + local.minute) / 1440
        window.append([(ys[t] - level) / scale, (ys[t] - ys[t - 1]) / scale, *sincos(day),
                       *sincos((local.weekday() + day) / 7)])
    out = net_output(rnn, head, window, bidirectional=True)
    slope = (ys[-1] - ys[0]) / (n - 1)
    expected = [ys[-1] + (h + 1) * slope + o * scale for h, o in enumerate(out)]
    in_process("drift, hourly times with an offset, calendar day and week, bidirectional GRU", path, csv_path, expected)


def clamp_and_fill(tmp):
    """Naive baseline, a large negative correction clamped at 0; a missing value and a missing day interpolated."""
    torch.manual_seed(13)
    B, H, hidden = 4, 3, 3
    rnn, head = nn.LSTM(2, hidden, batch_first=True), nn.Linear(hidden, H)
    with torch.no_grad():
        head.bias.copy_(torch.tensor([-1000.0, 0.0, -1000.0]))
    model = model_doc("lstm", hidden, 1, False, B, H, ["y:level", "y:change"], weights_of(rnn, head), target="y",
                      baseline="naive", series=[{"scale": 1.0, "nonNegative": True}])
    path = write(os.path.join(tmp, "clamp.model.json"), model)
    # Day 6 is missing, and day 8's value: both filled linearly in time between their neighbours.
    days = {1: 5.0, 2: 6.0, 3: 4.0, 4: 7.0, 5: 6.0, 7: 8.0, 8: None, 9: 3.0, 10: 5.0}
    csv_path = write(os.path.join(tmp, "clamp.csv"), "date,y\n" + "".join(
        f"2024-03-{d:02d},{'' if y is None else y}\n" for d, y in days.items()))
    ys = [5.0, 6.0, 4.0, 7.0, 6.0, 7.0, 8.0, 5.5, 3.0, 5.0]
    n = len(ys)
    window = [[ys[t] - ys[n - B], ys[t] - ys[t - 1]] for t in range(n - B, n)]
    out = net_output(rnn, head, window)
    expected = [max(0.0, ys[-1] + o) for o in out]
    in_process("clamp at zero, missing value and timestamp interpolated", path, csv_path, expected)
    return model, path, csv_path


def panel_and_methods(tmp):
    """A long-format panel: --series, a series the model never saw, the baseline methods, a short series."""
    torch.manual_seed(14)
    B, H, hidden = 4, 3, 3
    rnn, head = nn.GRU(3, hidden, num_layers=2, batch_first=True), nn.Linear(hidden, H)
    names = ["units:level", "units:change", "price"]
    series = {"A": [float(3 + (i % 4) + 0.1 * i) for i in range(12)],
              "B": [float(20 - 0.5 * i + (i % 3)) for i in range(10)],
              "C": [float(7 + math.sin(i)) for i in range(11)],   # not in the model
              "D": [1.0, 4.0, 2.0]}                              # shorter than the lookback
    price = {sid: [1 + 0.01 * i * (k + 1) for i in range(len(v))] for k, (sid, v) in enumerate(series.items())}
    lines = ["day;store;units;price"]  # semicolons, id column in the middle
    for sid, vals in series.items():
        lines += [f"{datetime.date(2024, 2, 1) + datetime.timedelta(days=i)};{sid};{v!r};{price[sid][i]!r}"
                  for i, v in enumerate(vals)]
    csv_path = write(os.path.join(tmp, "panel.csv"), "\n".join(lines) + "\n")
    stored = [{"id": "A", "scale": 0.9, "features": [(1.05, 0.04)]},
              {"id": "B", "scale": 0.7, "features": [(1.1, 0.05)], "method": "drift"},
              {"id": "D", "scale": 1.0, "features": [(1.0, 1.0)]}]
    model = model_doc("gru", hidden, 2, False, B, H, names, weights_of(rnn, head), target="units", features=["price"],
                      baseline="naive", series=stored, id_column="store", season=7)
    model["data"]["timeColumn"] = "day"
    path = write(os.path.join(tmp, "panel.model.json"), model)

    def network(ys, xs, scale, center_f, scale_f):
        n = len(ys)
        window = [[(ys[t] - ys[n - B]) / scale, (ys[t] - ys[t - 1]) / scale, (xs[t] - center_f) / scale_f]
                  for t in range(n - B, n)]
        return [ys[-1] + o * scale for o in net_output(rnn, head, window)]

    in_process("panel: --series A", path, csv_path, network(series["A"], price["A"], 0.9, 1.05, 0.04), series="A")
    b = series["B"]
    in_process("panel: series B forecast by its method, drift", path, csv_path,
               [b[-1] + (h + 1) * (b[-1] - b[0]) / (len(b) - 1) for h in range(H)], series="B", note="drift")
    # C is not in the model: scale = mean |change| of its whole history, features standard-scaled on it.
    c, xc = series["C"], price["C"]
    unit = sum(abs(c[t] - c[t - 1]) for t in range(1, len(c))) / (len(c) - 1)
    mean = sum(xc) / len(xc)
    std = math.sqrt(sum((x - mean) ** 2 for x in xc) / len(xc))
    in_process("panel: series C, not in the model, fitted on its history", path, csv_path,
               network(c, xc, unit, mean, std), series="C", note="not in the model")
    d = series["D"]  # 3 points < lookback 4: seasonal naive, season 7 > 3 points: naive
    in_process("panel: series D, shorter than the lookback: seasonal naive (naive)", path, csv_path,
               [d[-1]] * H, series="D", note="seasonal naive")
    a = series["A"]
    for method, expected in (("naive", [a[-1]] * H), ("seasonal_naive", [a[len(a) - 7 + h % 7] for h in range(H)]),
                             ("drift", [a[-1] + (h + 1) * (a[-1] - a[0]) / (len(a) - 1) for h in range(H)])):
        copy = json.loads(json.dumps(model))
        copy["data"]["series"][0]["method"] = method
        in_process(f"panel: series A by method {method}", write(os.path.join(tmp, f"panel-{method}.model.json"), copy),
                   csv_path, expected, series="A", note=method)
    code, out, err = run_check(path, csv_path)
    record("the command refuses a panel without --series: exit 2, nothing on stdout", code == 2 and out == "", err.strip())
    refused("a series the file does not hold is refused", 65, path, csv_path, "Z")


def refusals(tmp, model, csv_path):
    cases = []
    old = json.loads(json.dumps(model))
    old["version"] = 1
    cases.append(("a version 1 model file is refused", old))
    wrong = json.loads(json.dumps(model))
    wrong["config"]["hiddenSize"] = 7
    cases.append(("weights that do not fit are refused", wrong))
    renamed = json.loads(json.dumps(model))
    renamed["config"]["inputs"] = ["y", "y:change"]
    cases.append(("inputs other than the derived ones are refused", renamed))
    members = json.loads(json.dumps(model))
    members["config"]["ensemble"] = 2
    cases.append(("an ensemble without its members is refused", members))
    for k, (name, doc) in enumerate(cases):
        path = write(os.path.join(tmp, f"refused-{k}.model.json"), doc)
        if k == 0:
            code, out, err = run_check(path, csv_path)
            record(f"the command: {name}: exit 65, nothing on stdout", code == 65 and out == "", err.strip()[:140])
        else:
            refused(name, 65, path, csv_path)
    code, out, err = run_check(os.path.join(tmp, "clamp.model.json"))
    record("the command: a missing argument is a usage error (exit 2)", code == 2 and out == "", err.strip())
    refused("a missing model file", 66, os.path.join(tmp, "missing.model.json"), csv_path)


def main():
    torch.set_default_dtype(torch.float64)
    with tempfile.TemporaryDirectory() as tmp:
        network_fixtures()
        fixture_pipeline(tmp)
        seasonal_log_calendar(tmp)
        drift_hourly_offsets(tmp)
        model, _, csv_path = clamp_and_fill(tmp)
        panel_and_methods(tmp)
        refusals(tmp, model, csv_path)
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
