#!/usr/bin/env python3
"""Puts the per-call results of run-percall.sh side by side: the C floor (jsel_floor's JSON lines),
jselect on JNI and JNA, java.nio and Netty (JMH's JSON), as one Markdown table of medians over the
rounds, with the distance of each jselect figure to the C floor and its ratio to java.nio and Netty.

Usage: percall_table.py OUT_DIR   (reads OUT_DIR/floor-*.jsonl and OUT_DIR/jmh-*.json)
"""
import glob
import json
import os
import statistics
import sys

PKG = "io.jselect.benchmarks."


def load_floor(out):
    """(bench, n) -> [ns per call, one per round]"""
    values = {}
    for path in sorted(glob.glob(os.path.join(out, "floor-*.jsonl"))):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                r = json.loads(line)
                n = r.get("keys", r.get("idle"))
                values.setdefault((r["bench"], int(n)), []).append(r["ns_per_call"])
    return values


def load_jmh(out):
    """(benchmark, backend or None, n) -> {"ns": [...], "bytes": [...]}, one value per round"""
    values = {}
    for path in sorted(glob.glob(os.path.join(out, "jmh-*.json"))):
        with open(path) as f:
            try:
                runs = json.load(f)
            except ValueError:
                continue  # a round cut short by its time limit
        for r in runs:
            name = r["benchmark"][len(PKG):] if r["benchmark"].startswith(PKG) else r["benchmark"]
            params = r.get("params", {})
            if params.get("mechanism", "epoll") != "epoll":
                name += "[" + params["mechanism"] + "]"
            n = int(params.get("keys", params.get("idle", "0")))
            entry = values.setdefault((name, params.get("backend"), n), {"ns": [], "bytes": []})
            entry["ns"].append(r["primaryMetric"]["score"])
            gc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
            if gc is not None:
                entry["bytes"].append(gc["score"])
    return values


def median(xs):
    return statistics.median(xs) if xs else None


def spread(xs):
    """(max - min) / median across rounds, in percent: how much the rounds disagree."""
    if not xs or len(xs) < 2:
        return None
    return 100.0 * (max(xs) - min(xs)) / statistics.median(xs)


# Each row: what jselect call, on which parameter, against which floor and baselines.
#   (label, jselect benchmark, parameter name, values, C floor bench, java.nio benchmark, Netty benchmark)
ROWS = [
    ("epoll_wait(0): Backend.epollWait, raw", "EpollWaitRawBackendBenchmark.epollWait", "keys", [0, 1],
     "epoll_wait", None, "NettyEpollWaitBenchmark.epollWait"),
    ("epoll_wait(0): Epoll.poll(EventBuffer, 0)", "EpollWaitBenchmark.eventBuffer", "keys", [0, 1],
     "epoll_wait", "NioSelectNowBenchmark.selectNowConsumer", "NettyEpollWaitBenchmark.epollWait"),
    ("epoll_wait(0): Epoll.poll(0) list", "EpollWaitBenchmark.list", "keys", [0, 1],
     "epoll_wait", "NioSelectNowBenchmark.selectNow", "NettyEpollWaitBenchmark.epollWait"),
    ("selector select(0, consumer)", "SelectorSelectBenchmark.consumer", "keys", [1, 100, 1000],
     "epoll_wait", "NioSelectNowBenchmark.selectNowConsumer", "NettyEpollWaitBenchmark.epollWait"),
    ("selector select(0) list", "SelectorSelectBenchmark.list", "keys", [1, 100, 1000],
     "epoll_wait", "NioSelectNowBenchmark.selectNow", "NettyEpollWaitBenchmark.epollWait"),
    ("Select.select(fds, [], [], 0)", "SelectBenchmark.select", "idle", [1, 100, 1000],
     "select", None, None),
    ("Poll.poll(0)", "PollBenchmark.poll", "idle", [1, 100, 1000],
     "poll", None, None),
]


def fmt(x, digits=0):
    return "—" if x is None else f"{x:,.{digits}f}"


def signed(x):
    return "—" if x is None else f"{x:+,.0f}"


def ratio(a, b):
    return "—" if a is None or b is None or b == 0 else f"{a / b:.2f}×"


def table(floor, jmh):
    rounds = max([len(v) for v in floor.values()] + [len(v["ns"]) for v in jmh.values()] + [0])
    lines = [
        f"Medians over {rounds} round(s), ns per call (timeout 0). Δ C = jselect − C floor; "
        "spread = (max − min) / median of the JNI figure across rounds. "
        "keys: registered descriptors, one ready (0: empty set); idle: idle descriptors plus one ready.",
        "",
        "| call | N | C floor | JNI | Δ C (JNI) | JNI spread | JNA | Δ C (JNA) | java.nio | Netty "
        "| JNI ÷ nio | JNI ÷ Netty | JNI B/op | JNA B/op |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def jm(bench, backend, n):
        return jmh.get((bench, backend, n), {"ns": [], "bytes": []})

    for label, bench, param, ns, floor_bench, nio_bench, netty_bench in ROWS:
        for n in ns:
            c = median(floor.get((floor_bench, n), []))
            jni = jm(bench, "jni", n)
            jna = jm(bench, "jna", n)
            j, a = median(jni["ns"]), median(jna["ns"])
            nio = median(jm(nio_bench, None, n)["ns"]) if nio_bench else None
            netty = median(jm(netty_bench, None, n)["ns"]) if netty_bench else None
            s = spread(jni["ns"])
            lines.append(
                f"| {label} | {param}={n} | {fmt(c)} | {fmt(j)} | {signed(None if j is None or c is None else j - c)} "
                f"| {fmt(s, 1) + '%' if s is not None else '—'} | {fmt(a)} "
                f"| {signed(None if a is None or c is None else a - c)} | {fmt(nio)} | {fmt(netty)} "
                f"| {ratio(j, nio)} | {ratio(j, netty)} | {fmt(median(jni['bytes']), 2)} "
                f"| {fmt(median(jna['bytes']), 2)} |")
    # jselect's C core for select builds its fd sets from the list on each call: its own floor row.
    for n in [1, 100, 1000]:
        c = median(floor.get(("jsel_select", n), []))
        if c is not None:
            lines.append(f"| C core jsel_select (sets built per call) | idle={n} | {fmt(c)} "
                         "| | | | | | | | | | | |")
    lines.append("")
    lines.append("B/op of the baselines (keys=1): java.nio selectNow() "
                 f"{fmt(median(jm('NioSelectNowBenchmark.selectNow', None, 1)['bytes']), 2)}, "
                 f"selectNow(Consumer) {fmt(median(jm('NioSelectNowBenchmark.selectNowConsumer', None, 1)['bytes']), 2)}, "
                 f"Netty {fmt(median(jm('NettyEpollWaitBenchmark.epollWait', None, 1)['bytes']), 2)}.")
    return "\n".join(lines)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 64
    out = sys.argv[1]
    floor, jmh = load_floor(out), load_jmh(out)
    if not floor and not jmh:
        print(f"percall_table: no results in {out}", file=sys.stderr)
        return 1
    print(table(floor, jmh))
    return 0


if __name__ == "__main__":
    sys.exit(main())
