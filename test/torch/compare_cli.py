#!/usr/bin/python3
"""End to end against PyTorch: rnncast trains and forecasts, PyTorch recomputes the forecast.

Usage: /usr/bin/python3 test/torch/compare_cli.py [--keep DIR] [--rtol X] [--only TEXT] [--subprocess]
(after building: `npx tsc -p tsconfig.json`, or `npm run build`; runs `node bin/rnncast` of this checkout)

For each case below it runs
    rnncast train DATA -o MODEL <flags> --steps 30 --hidden 8 --quiet
    rnncast forecast DATA -m MODEL --level none --format json --quiet
    check_forecast.py MODEL DATA [--series ID]     (in this process; --subprocess: as a command)
and compares the two point forecasts of every series the case names. The cases cover every
--transform (none, log, diff, log-diff, seasonal-diff, log-seasonal-diff, and the default auto,
which the model file stores resolved per series: a log flag and one baseline), both cells, 2
layers, bidirectional, --forking, ensembles of 2 and 3 (the median), --calendar on and off
(--no-calendar) at yearly, quarterly, monthly, daily, business-day and hourly frequencies (hourly
times naive in UTC, written with offsets that change at daylight saving, which rnncast reads on a
zone's clock, and naive local times with --tz; these three files are made here), every --scale (standard, minmax, none), feature
columns (one with missing values, filled by rnncast's default --fill interpolate), a panel (--id)
and a series the model never saw.

A trained model's forecast is base + correctionWeight · output · scale (then back through the
log), and rnncast may forecast a series by a baseline instead of the network (data.series[].method,
the safety net). After a few dozen steps the correction is a small part of the forecast, so an
input the two sides derive differently would move the forecast by less than rtol. Each case is
therefore checked twice: on the model file as trained, and on a copy with data.correctionWeight 1,
every method 'model', and the head (head.weight and head.bias of every member) multiplied by a
power of two chosen so that the correction is about half the forecast (about 1 in the log): the
"network at weight 1, head ×k" part of the line. The "baselines" case also checks copies whose
method is each baseline (naive, seasonal_naive, drift).

PyTorch computes in float64 from the stored weights; the rnncast engine computes in float32, so
they agree to about 1e-6 relative, not exactly: the check is
|rnncast - torch| <= rtol * max(|torch|, mean |torch| over the horizon), rtol 1e-5 by default
(--rtol X to change). The largest such ratio is printed for each comparison, with what the model
resolved to (baseline, log, scale, inputs, ensemble, correction weight, method). Prints one line
per case and 'N passed, N failed'; exits 1 if any failed. --keep DIR keeps the model files;
--only TEXT runs the cases whose name contains TEXT.
"""

import datetime
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
CHECK = os.path.join(HERE, "check_forecast.py")
DEFAULT_RTOL = 1e-5
# check_forecast.py runs in this process (PyTorch is imported once, not once per comparison: the
# import costs seconds); --subprocess runs the script itself for every comparison instead.
SUBPROCESS = False
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ left in test/torch
import check_forecast  # noqa: E402

AIR = "air-passengers.csv"
NILE = "nile.csv"
EU = "eu-stock-markets.csv"

# name, dataset, extra train flags, series to check (None: the single series), variants
# (variants: extra model-file copies to check, 'baselines' = one per baseline method).
CASES = [
    # Yearly (no calendar cycle): the transforms, both cells, the shapes.
    ("nile lstm none scale-none", NILE, ["--cell", "lstm", "--transform", "none", "--scale", "none"]),
    ("nile gru log standard", NILE, ["--cell", "gru", "--transform", "log", "--scale", "standard"]),
    ("nile lstm 2 layers diff minmax", NILE, ["--cell", "lstm", "--layers", "2", "--transform", "diff", "--scale", "minmax"]),
    ("nile gru bi log-diff", NILE, ["--cell", "gru", "--bidirectional", "--transform", "log-diff"]),
    ("nile lstm auto", NILE, []),
    ("nile gru auto ensemble 3", NILE, ["--cell", "gru", "--ensemble", "3"]),
    # Monthly: season 12, calendar year sin/cos.
    ("air lstm auto", AIR, []),
    ("air lstm auto no-calendar minmax", AIR, ["--no-calendar", "--scale", "minmax"]),
    ("air gru none scale-none calendar", AIR, ["--cell", "gru", "--transform", "none", "--scale", "none"]),
    ("air lstm none minmax no-calendar", AIR, ["--transform", "none", "--scale", "minmax", "--no-calendar"]),
    ("air gru bi log standard", AIR, ["--cell", "gru", "--bidirectional", "--transform", "log"]),
    ("air lstm seasonal-diff", AIR, ["--transform", "seasonal-diff"]),
    ("air lstm seasonal-diff scale-none no-calendar", AIR, ["--transform", "seasonal-diff", "--scale", "none", "--no-calendar"]),
    ("air gru 2 layers bi log-seasonal-diff", AIR, ["--cell", "gru", "--layers", "2", "--bidirectional", "--transform", "log-seasonal-diff"]),
    ("air lstm 2 layers log-seasonal-diff no-calendar", AIR, ["--layers", "2", "--transform", "log-seasonal-diff", "--no-calendar"]),
    ("air gru diff forking", AIR, ["--cell", "gru", "--transform", "diff", "--forking"]),
    ("air lstm auto ensemble 2", AIR, ["--ensemble", "2"]),
    ("air baselines", AIR, ["--transform", "log-seasonal-diff"], None, ["baselines"]),
    # Quarterly, daily with features (missing values filled), monthly with features.
    ("uk-gas gru auto", "uk-gas.csv", ["--cell", "gru"]),
    ("airquality lstm auto features", "airquality.csv",
     ["--target", "temp", "--features", "wind,ozone"]),
    ("airquality gru bi none minmax features no-calendar", "airquality.csv",
     ["--cell", "gru", "--bidirectional", "--target", "temp", "--features", "wind,ozone", "--transform", "none",
      "--scale", "minmax", "--no-calendar"]),
    ("seatbelts lstm seasonal-diff features", "seatbelts.csv",
     ["--target", "drivers", "--features", "PetrolPrice,law", "--transform", "seasonal-diff"]),
    # Hourly (calendar day and week), written naive, with offsets that change at daylight saving
    # (rnncast reads them on a zone's clock: the calendar follows the local time), and naive on a
    # zone's wall clock with --tz. Made here.
    ("hourly lstm auto", "synthetic-hourly.csv", []),
    ("hourly gru seasonal-diff minmax", "synthetic-hourly.csv", ["--cell", "gru", "--transform", "seasonal-diff", "--scale", "minmax"]),
    ("hourly dst lstm diff", "synthetic-hourly-dst.csv", ["--transform", "diff"]),
    ("hourly local --tz gru log", "synthetic-hourly-local.csv", ["--tz", "Europe/Paris", "--cell", "gru", "--transform", "log"]),
    # A panel on business days (calendar week and year), and a series the model never saw.
    ("eu-stock panel lstm auto", EU, ["--id", "index"], ["DAX", "FTSE"]),
    ("eu-stock panel gru log", EU, ["--id", "index", "--cell", "gru", "--transform", "log"], ["SMI"]),
    ("eu-stock unseen series", EU, ["--id", "index", "--transform", "diff"], ["CAC", "FTSE"], ["unseen"]),
]
QUICK = ["--steps", "30", "--hidden", "8", "--quiet"]


def clean_env():
    # Flags also come from RNNCAST_* variables: keep the caller's out of the comparison.
    return {k: v for k, v in os.environ.items() if not k.startswith("RNNCAST_")}


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=clean_env())


def rnncast(*args):
    return run(["node", os.path.join(REPO, "bin", "rnncast"), *args])


def describe(model, series):
    """What the model resolved to, for the case's line."""
    data, config = model["data"], model["config"]
    stored = {s["id"]: s for s in data["series"]}
    base = data["baseline"] + (f"({data['baseSeason']})" if data["baseline"] == "seasonal" else "")
    logs = sorted({str(stored[s]["log"]).lower() if s in stored else "unseen" for s in series})
    methods = sorted({stored[s]["method"] if s in stored else "model" for s in series})
    return (f"{data['transform']}: {base} log {'/'.join(logs)}, scale {config['scale']}, "
            f"{len(config['inputs'])} inputs{' (calendar ' + '+'.join(data['calendar']) + ')' if data['calendar'] else ''}, "
            f"{config['ensemble']} member{'s' if config['ensemble'] > 1 else ''}, weight {data['correctionWeight']:g}, "
            f"method {'/'.join(methods)}")


def compare(model_path, data_path, series, id_column, rtol):
    """(ok, worst ratio or None, detail) for every series in `series` (None: the single series)."""
    forecast = rnncast("forecast", data_path, "-m", model_path, "--level", "none", "--format", "json", "--quiet")
    if forecast.returncode != 0:
        return False, None, f"forecast exit {forecast.returncode}: {forecast.stderr.strip()[:300]}"
    try:
        rows = json.loads(forecast.stdout)
        by_series = {}
        for row in rows:
            by_series.setdefault(str(row[id_column]) if id_column else None, []).append(float(row["forecast"]))
    except (ValueError, KeyError, TypeError) as e:
        return False, None, f"forecast output not understood ({e}): {forecast.stdout[:200]}"
    worst, steps = 0.0, 0
    for sid in series or [None]:
        ours = by_series.get(sid)
        if ours is None:
            return False, None, f"rnncast wrote no forecast for series {sid!r}"
        if SUBPROCESS:
            check = run([sys.executable, CHECK, model_path, data_path] + ([] if sid is None else ["--series", sid]))
            if check.returncode != 0:
                return False, None, f"check_forecast exit {check.returncode}: {check.stderr.strip()[:300]}"
            theirs = [float(line) for line in check.stdout.splitlines()]
        else:
            try:
                theirs, _, _ = check_forecast.check(model_path, data_path, sid)
            except check_forecast.CheckError as e:
                return False, None, f"check_forecast exit {e.code}: {e}"
        if len(ours) != len(theirs):
            return False, None, f"series {sid!r}: rnncast gave {len(ours)} values, PyTorch {len(theirs)}"
        # Relative to the value, or to the horizon's typical size where a value crosses near zero.
        typical = max(sum(abs(b) for b in theirs) / len(theirs), 1e-300)
        ratio = max(abs(a - b) / max(abs(b), typical) for a, b in zip(ours, theirs))
        if not ratio <= rtol:
            pairs = ", ".join(f"{a:.10g} vs {b:.10g}" for a, b in list(zip(ours, theirs))[:3])
            return False, ratio, f"series {sid!r}: max relative diff {ratio:.3g} > rtol {rtol:g} (rnncast vs torch: {pairs}, ...)"
        worst, steps = max(worst, ratio), len(ours)
    return True, worst, f"{steps} steps{'' if series is None else ' × ' + str(len(series)) + ' series'}"


def write_variant(model, path, weight=None, method=None, head_factor=None):
    """A copy of the model file with another correction weight, method, or head (weights and bias × head_factor)."""
    copy = json.loads(json.dumps(model))
    if weight is not None:
        copy["data"]["correctionWeight"] = weight
    if method is not None:
        for entry in copy["data"]["series"]:
            entry["method"] = method
    if head_factor is not None:
        for member in [copy["weights"]] + copy["ensembleWeights"]:
            for name in ("head.weight", "head.bias"):
                member[name]["values"] = [v * head_factor for v in member[name]["values"]]
    with open(path, "w") as f:
        json.dump(copy, f)
    return path


def amplification(path, data_path, series):
    """A power of two for the head (so float32 weights stay exact) that makes the network's correction
    about half the forecast (log: about 1 in the log), and at least 1: a wrong input then shows."""
    factor = math.inf
    for sid in series or [None]:
        _, _, details = check_forecast.check(path, data_path, sid)
        size = max(abs(o) * details["scale"] for o in details["outputs"])
        target = 1.0 if details["log"] else 0.5 * max(sum(abs(b) for b in details["base"]) / len(details["base"]), 1e-9)
        if size > 0:
            factor = min(factor, target / size)
    return 2.0 ** max(0, math.floor(math.log2(factor))) if math.isfinite(factor) else 1.0


def synthetic_hourly(path, written):
    """30 days of hourly values with a daily and a weekly pattern, from 2021-03-15 00:00 local time
    (Europe/Paris's clocks go forward on 2021-03-28). Times written naive in UTC ('utc'), with
    their offset ('offset'), or naive on Paris's wall clock, skipping the lost hour ('local')."""
    start = datetime.datetime(2021, 3, 14, 23, 0, tzinfo=datetime.timezone.utc)
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    lines = ["time,load"]
    for k in range(24 * 30):
        instant = start + datetime.timedelta(hours=k)
        local = instant.astimezone(paris)
        hour = local.hour + local.minute / 60
        value = 100 + 20 * math.sin(2 * math.pi * hour / 24) + 8 * (local.weekday() >= 5) + 3 * math.sin(0.7 * k)
        text = local.isoformat(timespec="minutes") if written == "offset" else \
            (local if written == "local" else instant).strftime("%Y-%m-%d %H:%M")
        lines.append(f"{text},{value:.3f}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


SYNTHETIC = {
    "synthetic-hourly.csv": lambda path: synthetic_hourly(path, "utc"),
    "synthetic-hourly-dst.csv": lambda path: synthetic_hourly(path, "offset"),
    "synthetic-hourly-local.csv": lambda path: synthetic_hourly(path, "local"),
}


def subset_csv(data_path, id_column, keep, out_path):
    """The rows of `keep` series only (to train a model that has not seen the others)."""
    with open(data_path) as f:
        lines = f.read().splitlines()
    col = lines[0].split(",").index(id_column)
    with open(out_path, "w") as f:
        f.write("\n".join([lines[0]] + [line for line in lines[1:] if line.split(",")[col] in keep]) + "\n")
    return out_path


def run_case(case, tmp, rtol):
    name, data, flags = case[0], case[1], case[2]
    series = case[3] if len(case) > 3 else None
    variants = case[4] if len(case) > 4 else []
    data_path = SYNTHETIC[data](os.path.join(tmp, data)) if data in SYNTHETIC else os.path.join(REPO, "datasets", data)
    stem = os.path.join(tmp, name.replace(" ", "-"))
    model_path = stem + ".model.json"
    train_path = data_path
    if "unseen" in variants:
        id_column = flags[flags.index("--id") + 1]
        train_path = subset_csv(data_path, id_column, {"DAX", "SMI", "CAC"}, stem + ".train.csv")
    train = rnncast("train", train_path, "-o", model_path, *flags, *QUICK)
    if train.returncode != 0:
        return False, f"train exit {train.returncode}: {train.stderr.strip()[:300]}"
    with open(model_path) as f:
        model = json.load(f)
    id_column = model["data"]["idColumn"]
    ids = series or [""]
    parts = [describe(model, ids)]
    ok, worst, detail = compare(model_path, data_path, series, id_column, rtol)
    parts.append(detail if not ok else f"{detail}, max relative diff {worst:.3g}")
    if ok:
        # The network in full: weight 1, the network for every series, its correction made large.
        path = write_variant(model, stem + ".network.model.json", weight=1, method="model")
        try:
            factor = amplification(path, data_path, series)
        except check_forecast.CheckError as e:
            return False, "; ".join(parts) + f"; check_forecast: {e}"
        path = write_variant(model, path, weight=1, method="model", head_factor=factor)
        ok, worst, detail = compare(path, data_path, series, id_column, rtol)
        parts.append(f"network at weight 1, head ×{factor:g}: {detail if not ok else f'max relative diff {worst:.3g}'}")
    if ok and "baselines" in variants:
        for method in ("naive", "seasonal_naive", "drift"):
            path = write_variant(model, f"{stem}.{method}.model.json", method=method)
            ok, worst, detail = compare(path, data_path, series, id_column, rtol)
            parts.append(f"method {method}: {detail if not ok else f'max relative diff {worst:.3g}'}")
            if not ok:
                break
    return ok, "; ".join(parts) + f" (rtol {rtol:g})"


def main(argv):
    global SUBPROCESS
    keep, rtol, only = None, DEFAULT_RTOL, ""
    args = list(argv)
    try:
        while args:
            flag = args.pop(0)
            if flag == "--subprocess":
                SUBPROCESS = True
                continue
            value = args.pop(0)
            if flag == "--keep":
                keep = value
            elif flag == "--rtol":
                rtol = float(value)
            elif flag == "--only":
                only = value
            else:
                raise ValueError(flag)
    except (IndexError, ValueError):
        print("usage: compare_cli.py [--keep DIR] [--rtol X] [--only TEXT] [--subprocess]", file=sys.stderr)
        return 2
    if not os.path.exists(os.path.join(REPO, "dist", "src", "cli", "main.js")):
        print("compare_cli: build first (npx tsc -p tsconfig.json, or npm run build)", file=sys.stderr)
        return 2
    tmp = keep or tempfile.mkdtemp(prefix="rnncast-torch-")
    os.makedirs(tmp, exist_ok=True)
    passed = failed = 0
    try:
        for case in CASES:
            if only not in case[0]:
                continue
            ok, detail = run_case(case, tmp, rtol)
            print(f"{'ok  ' if ok else 'FAIL'} {case[0]}: {detail}", flush=True)
            passed, failed = passed + ok, failed + (not ok)
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
