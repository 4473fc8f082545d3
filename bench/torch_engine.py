#!/usr/bin/python3
"""PyTorch side of the engine benchmark: the same configurations as the TS bench.

Usage: /usr/bin/python3 bench/torch_engine.py [--quick]
       /usr/bin/python3 bench/torch_engine.py --serve [--quick]

For each cell (lstm, gru) and size (small, medium, large) it measures, in float32:
- training throughput: samples/s = batch / median time of one step
  (zero_grad, forward, MSE, backward, clip_grad_norm_(1.0), Adam step),
  after a warm-up, in a time box of about 1.5 s (0.3 s with --quick); on one thread also per
  CPU-second (batch / median process time of a step), which a busy machine disturbs far less;
- inference latency: median ms of one forward pass on a single window (batch 1, no_grad).
Both are measured with 1 and with 2 threads (torch's and OpenBLAS's) and the better of each is reported.

Prints one JSON object per line on stdout:
{"suite":"engine-torch","name":"small","cell":"lstm","samplesPerSec":...,"threads":...,"inferMs":...,...}
and the torch version and build/BLAS configuration on stderr.

With --serve it measures one configuration per request instead, so bench/run.ts can interleave
PyTorch and rnncast on a shared machine (both see the same load): each line "<cell> <name>" on
stdin gets one JSON line on stdout; "ready" is printed once torch is imported.

BLAS matters a lot: Debian's python3-torch is built with BLAS_INFO=generic and
calls whatever libblas.so.3 the alternatives system points at. With only the
reference (netlib) BLAS installed, the medium and large configurations run
about 20x slower than with OpenBLAS, which would make PyTorch a straw man. Install
OpenBLAS first (either build; its thread count is set beside torch's through
openblas_set_num_threads, so "1 thread" is one):
    apt-get install -y python3-torch libopenblas0-pthread
The pthread build spins in its threads while it waits, so on a busy machine its 2-thread
figure collapses; the better of 1 and 2 threads is what the bench compares with.
The BLAS library actually loaded is printed on stderr.
"""

import ctypes
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
    """Median wall and CPU (process) time in seconds of fn() over a time box, after up to `warmup`
    calls (cut short for slow bodies)."""
    warm_end = time.perf_counter() + seconds / 2
    for k in range(warmup):
        if k > 0 and time.perf_counter() > warm_end:
            break
        fn()
    times, cpu = [], []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < seconds:
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(times), statistics.median(cpu), len(times)


_openblas = None


def set_threads(threads):
    """torch's threads and OpenBLAS's: the pthread build of OpenBLAS keeps a pool of its own
    (one per core) that torch.set_num_threads does not reach, so "1 thread" would not be one."""
    global _openblas
    torch.set_num_threads(threads)
    if _openblas is None:
        _openblas = False
        for lib in loaded_blas().split(", "):
            try:
                candidate = ctypes.CDLL(lib)
                candidate.openblas_set_num_threads  # raises AttributeError when absent
                _openblas = candidate
                break
            except (OSError, AttributeError):
                continue
    if _openblas:
        _openblas.openblas_set_num_threads(threads)


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

    step_s, cpu_s, runs = time_boxed(step, warmup=warmup, seconds=seconds, min_runs=min_runs)
    return cfg["batch"] / step_s, step_s, runs, cfg["batch"] / cpu_s


def bench_infer(cfg, cell, seconds):
    torch.manual_seed(42)
    net = Net(cell, cfg["hidden"], cfg["layers"], cfg["horizon"]).eval()
    x = torch.randn(1, cfg["lookback"], INPUT_SIZE)  # (1, T, 1)

    def forward():
        with torch.no_grad():
            net(x)

    infer_s, _, runs = time_boxed(forward, warmup=10, seconds=seconds, min_runs=10)
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


def measure(cfg, cell, train_seconds, warmup, min_runs, infer_seconds):
    """The better of 1 and 2 threads for training and for inference, as one JSON-ready dict."""
    best_train = None  # (samples/s, threads, step seconds, runs)
    best_infer = None  # (ms, threads)
    cpu_rate = None  # samples per CPU-second on one thread
    for threads in THREADS:
        set_threads(threads)
        sps, step_s, runs, per_cpu = bench_train(cfg, cell, train_seconds, warmup, min_runs)
        if threads == 1:
            cpu_rate = per_cpu
        infer_ms, _ = bench_infer(cfg, cell, infer_seconds)
        print(f"{cell} {cfg['name']} threads={threads}: {sps:.0f} samples/s "
              f"({step_s * 1000:.2f} ms/step over {runs} steps), infer {infer_ms:.3f} ms",
              file=sys.stderr)
        if best_train is None or sps > best_train[0]:
            best_train = (sps, threads, step_s, runs)
        if best_infer is None or infer_ms < best_infer[0]:
            best_infer = (infer_ms, threads)
    return {
        "suite": "engine-torch", "name": cfg["name"], "cell": cell,
        "samplesPerSec": round(best_train[0], 1), "threads": best_train[1],
        "singleThreadCpuSamplesPerSec": round(cpu_rate, 1),
        "inferMs": round(best_infer[0], 4), "inferThreads": best_infer[1],
        "stepMs": round(best_train[2] * 1000, 3),
        "lookback": cfg["lookback"], "hidden": cfg["hidden"], "layers": cfg["layers"],
        "batch": cfg["batch"], "horizon": cfg["horizon"],
        "torch": torch.__version__,
    }


def main():
    args = sys.argv[1:]
    unknown = [a for a in args if a not in ("--quick", "--serve")]
    if unknown:
        print(f"usage: {sys.argv[0]} [--quick] [--serve]  (unknown: {' '.join(unknown)})", file=sys.stderr)
        return 2
    quick = "--quick" in args
    timing = (0.3, 2, 3, 0.1) if quick else (1.5, 3, 5, 0.3)  # train seconds, warm-up, min runs, infer seconds

    torch.set_default_dtype(torch.float32)
    print(f"torch {torch.__version__}", file=sys.stderr)
    print(torch.__config__.show().rstrip(), file=sys.stderr)
    print(f"parallel info:\n{torch.__config__.parallel_info().rstrip()}", file=sys.stderr)
    print(f"BLAS library loaded: {loaded_blas()}", file=sys.stderr)

    if "--serve" in args:
        by_name = {cfg["name"]: cfg for cfg in CONFIGS}
        print("ready", flush=True)
        for line in sys.stdin:
            words = line.split()
            if len(words) != 2 or words[0] not in CELLS or words[1] not in by_name:
                print(json.dumps({"error": f"expected '<cell> <name>', got {line.strip()!r}"}), flush=True)
                continue
            print(json.dumps(measure(by_name[words[1]], words[0], *timing)), flush=True)
        return 0

    for cell in CELLS:
        for cfg in CONFIGS:
            print(json.dumps(measure(cfg, cell, *timing)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
