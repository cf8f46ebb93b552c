#!/usr/bin/env python3
"""Markdown tables of one `deploy/local/jmh.sh peers` run: the engine next to Deeplearning4j (JMH JSON of
PeerBenchmark, SampleTime mode, CpuTimeProfiler) and, when given, PyTorch (JSON of pytorch_lstm.py).

  python3 benchmarks/src/main/python/peers_table.py benchmarks/target/jmh-peers.json [pytorch.json]

Ratios are engine / peer (below 1: the engine is faster), for the CPU time per op and for the median.
Uses only the standard library, so any python3 runs it.
"""

import json
import sys

UNIT_NS = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}


def to_us(value, unit):
    return value * UNIT_NS[unit] / 1e3


def fmt(us):
    if us != us:  # NaN
        return "n/a"
    return f"{us:,.2f}" if us < 10 else f"{us:,.1f}" if us < 100 else f"{us:,.0f}"


def jmh_rows(path):
    with open(path, encoding="utf-8") as f:
        results = json.load(f)
    rows = {}
    for r in results:
        name = r["benchmark"].rsplit(".", 2)[-1]
        params = r.get("params") or {}
        pm = r["primaryMetric"]
        unit = pm["scoreUnit"]
        percentiles = pm.get("scorePercentiles") or {}
        secondary = r.get("secondaryMetrics") or {}
        cpu = secondary.get("cpu.time")
        share = secondary.get("cpu.share")
        rows[(name, params.get("dtype", "DOUBLE"))] = {
            "mode": r["mode"],
            "median": to_us(percentiles["50.0"], unit) if "50.0" in percentiles else float("nan"),
            "p99": to_us(percentiles["99.0"], unit) if "99.0" in percentiles else float("nan"),
            "mean": to_us(pm["score"], unit),
            "error": pm.get("scoreError"),
            "cpu": to_us(cpu["score"], cpu["scoreUnit"]) if cpu else float("nan"),
            "share": share["score"] if share else float("nan"),
        }
    return rows


def ratio(a, b):
    if a != a or b != b or b == 0:
        return "n/a"
    return f"{a / b:.2g} ({b / a:,.0f}× faster)" if a < b else f"{a / b:.2f}"


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    jmh = jmh_rows(argv[1])
    torch_rows = []
    if len(argv) > 2:
        with open(argv[2], encoding="utf-8") as f:
            torch_rows = json.load(f)["rows"]

    lines = ["| engine / peer | operation | dtype | median µs | p99 µs | mean µs | CPU µs/op | CPU share |",
             "|---|---|---|---:|---:|---:|---:|---:|"]
    labels = [
        ("engineForwardStep", "DOUBLE", "**rnn-streams** `Network.step`", "forward step"),
        ("engineTbpttUpdate", "DOUBLE", "**rnn-streams** `Model.train`", "TBPTT update, 16 steps"),
        ("dl4jForwardStep", "DOUBLE", "Deeplearning4j `rnnTimeStep`", "forward step"),
        ("dl4jForwardStep", "FLOAT", "Deeplearning4j `rnnTimeStep`", "forward step"),
        ("dl4jTbpttUpdate", "DOUBLE", "Deeplearning4j `fit`", "TBPTT update, 16 steps"),
        ("dl4jTbpttUpdate", "FLOAT", "Deeplearning4j `fit`", "TBPTT update, 16 steps"),
    ]
    for key_name, dtype, label, op in labels:
        r = jmh.get((key_name, dtype))
        if r:
            lines.append(f"| {label} | {op} | {dtype.lower()} | {fmt(r['median'])} | {fmt(r['p99'])} | "
                         f"{fmt(r['mean'])} | {fmt(r['cpu'])} | {r['share']:.2f} |")
    for t in torch_rows:
        lines.append(f"| PyTorch {t['variant']} | {t['op']} | {t['dtype']} | {fmt(t['median_ns'] / 1e3)} | "
                     f"{fmt(t['p99_ns'] / 1e3)} | {fmt(t['mean_ns'] / 1e3)} | {fmt(t['cpu_mean_ns'] / 1e3)} | "
                     f"{t['cpu_share']:.2f} |")
    print("\n".join(lines))

    # ratios engine / peer
    print()
    print("| ratio engine / peer (below 1: the engine is faster) | by CPU time per op | by median (wall) |")
    print("|---|---:|---:|")
    for op, ours_key, peer_key in [("forward step", "engineForwardStep", "dl4jForwardStep"),
                                   ("TBPTT update", "engineTbpttUpdate", "dl4jTbpttUpdate")]:
        ours = jmh.get((ours_key, "DOUBLE"))
        if not ours:
            continue
        for dtype in ("DOUBLE", "FLOAT"):
            peer = jmh.get((peer_key, dtype))
            if peer:
                print(f"| {op}: engine (double) / Deeplearning4j {dtype.lower()} | "
                      f"{ratio(ours['cpu'], peer['cpu'])} | {ratio(ours['median'], peer['median'])} |")
        for t in torch_rows:
            if t["op"].startswith(op):
                print(f"| {op}: engine (double) / PyTorch {t['variant']} {t['dtype']} | "
                      f"{ratio(ours['cpu'], t['cpu_mean_ns'] / 1e3)} | "
                      f"{ratio(ours['median'], t['median_ns'] / 1e3)} |")

    print()
    print("CPU time per op is the process's CPU time over the measured calls (all its threads: JIT, GC) divided "
          "by the calls; it leaves out time spent waiting for a core. On a loaded machine (CPU share well below 1) "
          "the wall-clock median of an operation longer than a scheduler time slice (a few ms) is inflated by "
          "about 1/share while a short one (the engine's) mostly is not, so compare by CPU time there.")

    tanh = [(k, v) for k, v in jmh.items() if k[0] in ("mathTanh", "expTanh", "sigmoid")]
    if tanh:
        print()
        print("| gate function (NonlinearityBenchmark, per element) | mean ns | CPU ns/op | CPU share |")
        print("|---|---:|---:|---:|")
        for (name, _), r in sorted(tanh):
            print(f"| {name} | {r['mean'] * 1e3:.1f} | {r['cpu'] * 1e3:.1f} | {r['share']:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
