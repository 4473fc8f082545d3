#!/usr/bin/python3
"""End to end against PyTorch: rnncast trains and forecasts, PyTorch recomputes the forecast.

Usage: /usr/bin/python3 test/torch/compare_cli.py [--keep DIR] [--rtol X]
(after `npm run build`; runs `node bin/rnncast` of this checkout)

For a few datasets and network shapes it runs
    rnncast train DATA -o MODEL --scale S --transform none --epochs 3 ... --quiet
    rnncast forecast DATA -m MODEL --level none --format json --quiet
    check_forecast.py MODEL DATA
and compares the two forecasts. PyTorch computes in float64 from the stored
weights; the rnncast engine computes in float32 by default, so they agree to
about 1e-6 relative, not exactly: the check is
|rnncast - torch| <= rtol * max(|torch|, mean |torch| over the horizon), rtol 1e-5
by default (--rtol X to change; a float64 engine should pass with 1e-9). The
largest such ratio is printed for each case. Prints one line per case and
'N passed, N failed'; exits 1 if any failed. --keep DIR keeps the model files.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
CHECK = os.path.join(HERE, "check_forecast.py")
DEFAULT_RTOL = 1e-5

# name, dataset, extra train flags
CASES = [
    ("nile lstm raw", "nile.csv", ["--cell", "lstm", "--scale", "none"]),
    ("nile gru raw", "nile.csv", ["--cell", "gru", "--scale", "none"]),
    ("nile gru 2 layers bi standard", "nile.csv",
     ["--cell", "gru", "--layers", "2", "--bidirectional", "--scale", "standard"]),
    ("air lstm 2 layers minmax", "air-passengers.csv", ["--cell", "lstm", "--layers", "2", "--scale", "minmax"]),
    ("air lstm bi raw", "air-passengers.csv", ["--cell", "lstm", "--bidirectional", "--scale", "none"]),
]
QUICK = ["--epochs", "3", "--hidden", "8", "--transform", "none", "--quiet"]


def clean_env():
    # Flags also come from RNNCAST_* variables: keep the caller's out of the comparison.
    return {k: v for k, v in os.environ.items() if not k.startswith("RNNCAST_")}


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=clean_env())


def compare(name, data, flags, tmp, rtol):
    data_path = os.path.join(REPO, "datasets", data)
    model_path = os.path.join(tmp, name.replace(" ", "-") + ".model.json")
    rnncast = ["node", os.path.join(REPO, "bin", "rnncast")]
    train = run(rnncast + ["train", data_path, "-o", model_path] + flags + QUICK)
    if train.returncode != 0:
        return False, f"train exit {train.returncode}: {train.stderr.strip()[:300]}"
    forecast = run(rnncast + ["forecast", data_path, "-m", model_path, "--level", "none",
                              "--format", "json", "--quiet"])
    if forecast.returncode != 0:
        return False, f"forecast exit {forecast.returncode}: {forecast.stderr.strip()[:300]}"
    try:
        ours = [float(row["forecast"]) for row in json.loads(forecast.stdout)]
    except (ValueError, KeyError, TypeError) as e:
        return False, f"forecast output not understood ({e}): {forecast.stdout[:200]}"
    torch_run = run([sys.executable, CHECK, model_path, data_path])
    if torch_run.returncode != 0:
        return False, f"check_forecast exit {torch_run.returncode}: {torch_run.stderr.strip()[:300]}"
    theirs = [float(line) for line in torch_run.stdout.splitlines()]
    if len(ours) != len(theirs):
        return False, f"rnncast gave {len(ours)} values, PyTorch {len(theirs)}"
    # Relative to the value, or to the horizon's typical size where a value crosses near zero.
    typical = max(sum(abs(b) for b in theirs) / len(theirs), 1e-300)
    worst = max(abs(a - b) / max(abs(b), typical) for a, b in zip(ours, theirs))
    return worst <= rtol, f"{len(ours)} steps, max relative diff {worst:.3g} (rtol {rtol:g})"


def main(argv):
    keep, rtol = None, DEFAULT_RTOL
    args = list(argv)
    try:
        while args:
            flag, value = args.pop(0), args.pop(0)
            if flag == "--keep":
                keep = value
            elif flag == "--rtol":
                rtol = float(value)
            else:
                raise ValueError(flag)
    except (IndexError, ValueError):
        print("usage: compare_cli.py [--keep DIR] [--rtol X]", file=sys.stderr)
        return 2
    if not os.path.exists(os.path.join(REPO, "dist", "src", "cli", "main.js")):
        print("compare_cli: build first (npm run build)", file=sys.stderr)
        return 2
    tmp = keep or tempfile.mkdtemp(prefix="rnncast-torch-")
    os.makedirs(tmp, exist_ok=True)
    passed = failed = 0
    try:
        for name, data, flags in CASES:
            ok, detail = compare(name, data, flags, tmp, rtol)
            print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
            passed, failed = passed + ok, failed + (not ok)
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
