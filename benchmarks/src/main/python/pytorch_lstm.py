#!/usr/bin/python3
"""PyTorch peer of PeerBenchmark: the same LSTM work as the engine, timed on one thread.

Shapes and work (as in benchmarks/src/peers/java/io/rnnstreams/bench/PeerBenchmark.java):
  - LSTMCell D=8 -> H=32, then a Linear head 32 -> 8 (identity output).
  - forward step: one cell step plus the head on one reading, state carried, under torch.no_grad().
  - TBPTT update: 16 cell steps (+ head) from the carried, detached state, loss sum_t 1/2 ||o_t - y_t||^2
    (the engine's squared error), backward, clip_grad_norm_(1.0) (the engine's default clipping), Adam
    (lr 1e-3) step; the state after the 16 steps becomes the next anchor (k1 = k2 = 16).
  - also the fused nn.LSTM over the 16 steps (one call instead of 16 cell calls), same loss and update.
Each in float64 and float32. torch.set_num_threads(1) and set_num_interop_threads(1).

Timing: every call is timed with time.perf_counter_ns (wall), up to a call count or --seconds (default 6)
per case, whichever comes first; medians and p99 over all measured calls,
and the process CPU time (time.process_time_ns) over the measured loop divided by the call count (the
counterpart of JMH's CpuTimeProfiler: it leaves out time spent waiting for a core on a loaded machine).
Warm-up calls run first and are not measured.

Run with Debian's interpreter (python3-torch): /usr/bin/python3 benchmarks/src/main/python/pytorch_lstm.py [--json FILE]
[--quick]. Prints a markdown table; --json also writes the figures for benchmarks/src/main/python/peers_table.py.
"""

import argparse
import json
import platform
import statistics
import sys
import time

import torch
from torch import nn

D, H, K = 8, 32, 16
LEARNING_RATE = 1e-3
INPUT_RING = 256


def percentile(sorted_values, q):
    """Nearest-rank percentile of an already sorted list (q in [0, 100])."""
    if not sorted_values:
        raise ValueError("no samples")
    rank = max(1, -(-len(sorted_values) * q // 100))  # ceil(n q / 100), at least 1
    return sorted_values[int(rank) - 1]


def measure(op, warmup, count, max_seconds):
    """Runs op warmup times, then times each call, count times or until max_seconds of wall time have
    passed (at least 50 calls; a loaded machine must not stretch the run); returns figures in ns."""
    for _ in range(warmup):
        op()
    samples = []
    clock = time.perf_counter_ns
    deadline = clock() + int(max_seconds * 1e9)
    cpu0 = time.process_time_ns()
    wall0 = clock()
    for i in range(count):
        t0 = clock()
        op()
        t1 = clock()
        samples.append(t1 - t0)
        if t1 > deadline and i >= 50:
            break
    wall = clock() - wall0
    cpu = time.process_time_ns() - cpu0
    count = len(samples)
    samples.sort()
    return {
        "count": count,
        "median_ns": statistics.median(samples),
        "p99_ns": percentile(samples, 99),
        "mean_ns": sum(samples) / count,
        "cpu_mean_ns": cpu / count,
        "cpu_share": cpu / wall if wall else float("nan"),
    }


def forward_step(dtype, seed):
    torch.manual_seed(seed)
    cell = nn.LSTMCell(D, H).to(dtype)
    head = nn.Linear(H, D).to(dtype)
    xs = torch.randn(INPUT_RING, 1, D, dtype=dtype)
    state = [torch.zeros(1, H, dtype=dtype), torch.zeros(1, H, dtype=dtype)]
    position = [0]

    def op():
        with torch.no_grad():
            x = xs[position[0]]
            position[0] = (position[0] + 1) & (INPUT_RING - 1)
            h, c = cell(x, (state[0], state[1]))
            state[0], state[1] = h, c
            return head(h)

    return op


def tbptt_update(dtype, seed, fused):
    torch.manual_seed(seed)
    rnn = nn.LSTM(D, H).to(dtype) if fused else nn.LSTMCell(D, H).to(dtype)
    head = nn.Linear(H, D).to(dtype)
    params = list(rnn.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=LEARNING_RATE)
    xs = torch.randn(K, 1, D, dtype=dtype)
    ys = torch.randn(K, 1, D, dtype=dtype)
    anchor = [torch.zeros(1, H, dtype=dtype), torch.zeros(1, H, dtype=dtype)]

    def op():
        optimizer.zero_grad(set_to_none=True)
        h, c = anchor[0].detach(), anchor[1].detach()
        if fused:
            hs, (hn, cn) = rnn(xs, (h.unsqueeze(0), c.unsqueeze(0)))  # hs: [K, 1, H]
            outputs = head(hs)
            h, c = hn.squeeze(0), cn.squeeze(0)
        else:
            outs = []
            for t in range(K):
                h, c = rnn(xs[t], (h, c))
                outs.append(head(h))
            outputs = torch.stack(outs)
        loss = 0.5 * ((outputs - ys) ** 2).sum()
        loss.backward()
        nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        anchor[0], anchor[1] = h.detach(), c.detach()
        return loss

    return op


def fmt_us(ns):
    us = ns / 1000.0
    return f"{us:,.1f}" if us < 100 else f"{us:,.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--quick", action="store_true", help="fewer calls (a smoke test, not for figures)")
    parser.add_argument("--seconds", type=float, default=6.0,
                        help="at most this many seconds of measured calls per case (default 6)")
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    scale = 10 if args.quick else 1
    forward_warmup, forward_count = 5000 // scale, 50000 // scale
    update_warmup, update_count = 200 // scale, 2000 // scale
    max_seconds = args.seconds / scale

    rows = []
    for dtype in (torch.float64, torch.float32):
        name = str(dtype).replace("torch.", "")
        cases = [
            ("forward step", "LSTMCell + Linear, no_grad", forward_step(dtype, 7), forward_warmup, forward_count),
            ("TBPTT update, 16 steps", "LSTMCell x16 + Linear, Adam", tbptt_update(dtype, 7, False),
             update_warmup, update_count),
            ("TBPTT update, 16 steps", "fused nn.LSTM + Linear, Adam", tbptt_update(dtype, 7, True),
             update_warmup, update_count),
        ]
        for op_name, variant, op, warmup, count in cases:
            figures = measure(op, warmup, count, max_seconds)
            rows.append({"op": op_name, "variant": variant, "dtype": name, "warmup": warmup, **figures})

    print(f"PyTorch {torch.__version__} (Python {platform.python_version()}), "
          f"threads {torch.get_num_threads()} intra-op / {torch.get_num_interop_threads()} inter-op, "
          f"{platform.processor() or platform.machine()}")
    print()
    print("| PyTorch | dtype | median µs | p99 µs | mean µs | CPU µs/op | CPU share | calls (warm-up) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['op']}: {r['variant']} | {r['dtype']} | {fmt_us(r['median_ns'])} | {fmt_us(r['p99_ns'])} | "
              f"{fmt_us(r['mean_ns'])} | {fmt_us(r['cpu_mean_ns'])} | {r['cpu_share']:.2f} | "
              f"{r['count']:,} ({r['warmup']:,}) |")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"torch": torch.__version__, "python": platform.python_version(), "rows": rows}, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
