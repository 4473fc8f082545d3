#!/usr/bin/python3
"""PyTorch side of the engine benchmark: the same configurations as the TS bench.

Usage: /usr/bin/python3 bench/torch_engine.py [--quick]

For each cell (lstm, gru) and size (small, medium, large) it measures, in float32:
- training throughput: samples/s = batch / median time of one step
  (zero_grad, forward, MSE, backward, clip_grad_norm_(1.0), Adam step),
  after a warm-up, in a time box of about 2.5 s (0.3 s with --quick);
- inference latency: median ms of one forward pass on a single window (batch 1, no_grad).
Both are measured with 1 and with 2 threads and the better of each is reported.

Prints one JSON object per line on stdout:
{"suite":"engine-torch","name":"small","cell":"lstm","samplesPerSec":...,"threads":...,"inferMs":...,...}
and the torch version and build/BLAS configuration on stderr.

BLAS matters a lot: Debian's python3-torch is built with BLAS_INFO=generic and
calls whatever libblas.so.3 the alternatives system points at. With only the
reference (netlib) BLAS installed, the medium and large configurations run
about 20x slower than with OpenBLAS, which would make PyTorch a straw man. For a
fair comparison install the OpenMP build of OpenBLAS first (it follows
torch.set_num_threads, unlike the pthread build):
    apt-get install -y python3-torch libopenblas0-openmp
The BLAS library actually loaded is printed on stderr.
"""

import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn

CONFIGS = [
    # name, lookback, hidden, layers, batch, horizon (input size is 1 everywhere)
    {"name": "small", "lookback": 24, "hidden": 32, "layers": 1, "batch": 32, "horizon": 1},
    {"name": "medium", "lookback": 48, "hidden": 64, "layers": 2, "batch": 64, "horizon": 12},
    {"name": "large", "lookback": 96, "hidden": 128, "layers": 2, "batch": 128, "horizon": 24},
]
CELLS = ["lstm", "gru"]
THREADS = [1, 2]
INPUT_SIZE = 1


class Net(nn.Module):
    """The rnncast network: recurrent stack, Linear head on the last layer's final hidden state."""

    def __init__(self, cell, hidden, layers, horizon):
        super().__init__()
        rnn_class = nn.LSTM if cell == "lstm" else nn.GRU
        self.rnn = rnn_class(INPUT_SIZE, hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, horizon)

    def forward(self, x):
        _, state = self.rnn(x)
        h_n = state[0] if isinstance(state, tuple) else state  # (L, B, H)
        return self.head(h_n[-1])


def time_boxed(fn, warmup, seconds, min_runs):
    """Median wall time in seconds of fn() over a time box, after `warmup` calls."""
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(times)


def bench_train(cfg, cell, seconds, warmup, min_runs):
    torch.manual_seed(42)
    net = Net(cell, cfg["hidden"], cfg["layers"], cfg["horizon"])
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    criterion = nn.MSELoss()
    x = torch.randn(cfg["batch"], cfg["lookback"], INPUT_SIZE)  # (B, T, 1)
    y = torch.randn(cfg["batch"], cfg["horizon"])                # (B, horizon)
    params = list(net.parameters())

    def step():
        opt.zero_grad()
        loss = criterion(net(x), y)
        loss.backward()
        nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()

    step_s, runs = time_boxed(step, warmup=warmup, seconds=seconds, min_runs=min_runs)
    return cfg["batch"] / step_s, step_s, runs


def bench_infer(cfg, cell, seconds):
    torch.manual_seed(42)
    net = Net(cell, cfg["hidden"], cfg["layers"], cfg["horizon"]).eval()
    x = torch.randn(1, cfg["lookback"], INPUT_SIZE)  # (1, T, 1)

    def forward():
        with torch.no_grad():
            net(x)

    infer_s, runs = time_boxed(forward, warmup=10, seconds=seconds, min_runs=10)
    return infer_s * 1000.0, runs


def loaded_blas():
    """Which libblas.so.3 the dynamic loader picked (Debian switches it with update-alternatives)."""
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # make sure BLAS is loaded
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    resolved = sorted({os.path.realpath(lib) for lib in libs})
    return ", ".join(resolved) or "none"


def main():
    args = sys.argv[1:]
    unknown = [a for a in args if a != "--quick"]
    if unknown:
        print(f"usage: {sys.argv[0]} [--quick]  (unknown: {' '.join(unknown)})", file=sys.stderr)
        return 2
    quick = "--quick" in args
    train_seconds = 0.3 if quick else 2.5
    warmup, min_runs = (2, 3) if quick else (5, 5)
    infer_seconds = 0.1 if quick else 0.5

    torch.set_default_dtype(torch.float32)
    print(f"torch {torch.__version__}", file=sys.stderr)
    print(torch.__config__.show().rstrip(), file=sys.stderr)
    print(f"parallel info:\n{torch.__config__.parallel_info().rstrip()}", file=sys.stderr)
    print(f"BLAS library loaded: {loaded_blas()}", file=sys.stderr)

    for cell in CELLS:
        for cfg in CONFIGS:
            best_train = None  # (samples/s, threads, step seconds, runs)
            best_infer = None  # (ms, threads)
            for threads in THREADS:
                torch.set_num_threads(threads)
                sps, step_s, runs = bench_train(cfg, cell, train_seconds, warmup, min_runs)
                infer_ms, _ = bench_infer(cfg, cell, infer_seconds)
                print(f"{cell} {cfg['name']} threads={threads}: {sps:.0f} samples/s "
                      f"({step_s * 1000:.2f} ms/step over {runs} steps), infer {infer_ms:.3f} ms",
                      file=sys.stderr)
                if best_train is None or sps > best_train[0]:
                    best_train = (sps, threads, step_s, runs)
                if best_infer is None or infer_ms < best_infer[0]:
                    best_infer = (infer_ms, threads)
            print(json.dumps({
                "suite": "engine-torch", "name": cfg["name"], "cell": cell,
                "samplesPerSec": round(best_train[0], 1), "threads": best_train[1],
                "inferMs": round(best_infer[0], 4), "inferThreads": best_infer[1],
                "stepMs": round(best_train[2] * 1000, 3),
                "lookback": cfg["lookback"], "hidden": cfg["hidden"], "layers": cfg["layers"],
                "batch": cfg["batch"], "horizon": cfg["horizon"],
                "torch": torch.__version__,
            }), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
