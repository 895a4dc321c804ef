#!/usr/bin/env python3
"""Puts the echo comparison of run-echo.sh side by side: per connection count and server, the medians over
the rounds of round trips/s, p99 latency and the server's CPU time per round trip, each also as a ratio to
the C server at the same connection count; then the issue's targets, checked against those medians.

Usage: echo_table.py OUT_DIR[:N,N...] [OUT_DIR[:N,N...]...]   (reads each OUT_DIR/runs.jsonl and
machine.txt; several directories make one table, e.g. a run of some connection counts and a later one of
others; ":N,N" takes only those connection counts from that directory)
"""
import json
import os
import statistics
import sys

# Row order and labels; jselect's rows get their backend appended.
SERVERS = [
    ("c", "C epoll (floor)"),
    ("jselect-epoll", "jselect epoll"),
    ("jselect-epoll-et", "jselect epoll-et"),
    ("jselect-poll", "jselect poll"),
    ("jselect-select", "jselect select"),
    ("jselect-select-seed", "jselect select, seed protocol"),
    ("nio", "java.nio Selector"),
    ("netty", "Netty epoll"),
    ("python-select", "Python select (the lesson's, seed protocol)"),
]
LABELS = dict(SERVERS)
ORDER = {name: i for i, (name, _) in enumerate(SERVERS)}


def load(outs):
    """(server, backend, n) -> list of run records; failed runs included (they carry "failed")."""
    runs = {}
    for out, only in outs:
        with open(os.path.join(out, "runs.jsonl")) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    r = json.loads(line)
                    if only is None or int(r["connections"]) in only:
                        runs.setdefault((r["server"], r.get("backend", ""), int(r["connections"])), []).append(r)
    return runs


def parse_out(arg):
    """'DIR' or 'DIR:1,10' -> (DIR, None or {1, 10})"""
    out, _, ns = arg.partition(":")
    return out, {int(n) for n in ns.split(",")} if ns else None


def median(xs):
    return statistics.median(xs) if xs else None


def spread(xs):
    """(max - min) / median over the rounds, in percent: how far to trust a difference."""
    if len(xs) < 2 or not statistics.median(xs):
        return None
    return (max(xs) - min(xs)) / statistics.median(xs) * 100


def fmt(x, digits=0, suffix=""):
    if x is None:
        return "–"
    return f"{x:,.{digits}f}{suffix}"


def ratio(x, base):
    return None if x is None or not base else x / base


def summarize(runs):
    """(server, backend, n) -> medians and counts."""
    rows = {}
    for key, all_runs in runs.items():
        discarded = [r for r in all_runs if "discarded" in r]
        rs = [r for r in all_runs if "discarded" not in r]
        ok = [r for r in rs if "failed" not in r and r.get("roundTrips", 0) > 0]
        cpu = [r["serverCpuUsPerRoundTrip"] for r in ok if r.get("serverCpuUsPerRoundTrip") is not None]
        rows[key] = {
            "rounds": len(rs),
            "discarded": len(discarded),
            "good": len(ok),
            "rate": median([r["roundTripsPerSecond"] for r in ok]),
            "p99": median([r["p99Us"] for r in ok]),
            "cpu": median(cpu),
            "cpu_spread": spread(cpu),
            "client": median([r["clientCpuSeconds"] / r["seconds"] * 100 for r in ok if r.get("seconds")]),
            # What other processes took during the window, in % of one CPU: the noise this run suffered.
            "others": median([max(0.0, r["machineCpuSeconds"] - r["serverCpuSeconds"] - r["clientCpuSeconds"])
                              / r["seconds"] * 100 for r in ok if r.get("seconds") and "machineCpuSeconds" in r]),
            # Errors, connections that never connected, and runs that produced nothing, all counted.
            "errors": sum(r.get("errors", 0) for r in rs)
            + sum(r["connections"] - r.get("connected", 0) for r in rs if "failed" not in r)
            + sum(1 for r in rs if "failed" in r),
        }
    return rows


def label(server, backend):
    name = LABELS.get(server, server)
    return f"{name} ({backend.upper()})" if server.startswith("jselect") and backend else name


def table(rows):
    lines = [
        "| N | server | round trips/s | × C | p99 µs | × C | server CPU µs / round trip | × C | CPU spread "
        "| client CPU | others' CPU | errors | rounds |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sorted({k[2] for k in rows}):
        c = rows.get(("c", "", n), {})
        keys = sorted((k for k in rows if k[2] == n), key=lambda k: (ORDER.get(k[0], 99), k[1]))
        for server, backend, _ in keys:
            r = rows[(server, backend, n)]
            lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                n, label(server, backend),
                fmt(r["rate"]), fmt(ratio(r["rate"], c.get("rate")), 2),
                fmt(r["p99"]), fmt(ratio(r["p99"], c.get("p99")), 2),
                fmt(r["cpu"], 2), fmt(ratio(r["cpu"], c.get("cpu")), 2),
                fmt(r["cpu_spread"], 0, " %"), fmt(r["client"], 0, " %"), fmt(r["others"], 0, " %"),
                r["errors"], f"{r['good']}/{r['rounds']}" + (f" (+{r['discarded']})" if r["discarded"] else "")))
    return "\n".join(lines)


def matrix(rows):
    """The efficiency figure alone: server CPU µs per round trip (× C), a row per server, a column per N."""
    ns = sorted({k[2] for k in rows})
    servers = sorted({(k[0], k[1]) for k in rows}, key=lambda k: (ORDER.get(k[0], 99), k[1]))
    lines = ["| server CPU µs per round trip (× C) | " + " | ".join(f"N = {n}" for n in ns) + " |",
             "|---|" + "---:|" * len(ns)]
    for server, backend in servers:
        cells = []
        for n in ns:
            r, c = rows.get((server, backend, n)), rows.get(("c", "", n), {})
            if r is None or r["cpu"] is None:
                cells.append("")
            else:
                cells.append(f"{r['cpu']:.2f} ({ratio(r['cpu'], c.get('cpu')):.2f})" if c.get("cpu") else f"{r['cpu']:.2f}")
        lines.append(f"| {label(server, backend)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(rows):
    """The issue's targets, each checked per N against the medians; '?' where a figure is missing."""
    out = []

    def get(server, n, what, backend=""):
        return rows.get((server, backend, n), {}).get(what)

    def mark(ok):
        return "?" if ok is None else ("met" if ok else "MISSED")

    backends = sorted({k[1] for k in rows if k[0] == "jselect-epoll"})
    for b in backends:
        for n in sorted({k[2] for k in rows if k[0] == "jselect-epoll" and k[1] == b and 10 <= k[2] <= 1000}):
            j, c, nt = get("jselect-epoll", n, "cpu", b), get("c", n, "cpu"), get("netty", n, "cpu")
            jr = ratio(j, c)
            ok = None if jr is None or nt is None else (jr <= 1.05 and j < nt)
            out.append(f"- jselect epoll ({b.upper()}), N={n}: CPU/round trip {fmt(jr, 2)}× C (≤ 1.05), "
                       f"{fmt(ratio(j, nt), 2)}× Netty (< 1): {mark(ok)}")
            jp, np_ = get("jselect-epoll", n, "p99", b), get("netty", n, "p99")
            out.append(f"- jselect epoll ({b.upper()}), N={n}: p99 {fmt(jp)} µs vs Netty {fmt(np_)} µs (≤): "
                       f"{mark(None if jp is None or np_ is None else jp <= np_)}")
        big = rows.get(("jselect-epoll", b, 10000))
        if big:
            out.append(f"- jselect epoll ({b.upper()}), N=10000: {big['errors']} errors over {big['rounds']} rounds "
                       f"(0): {mark(big['errors'] == 0 and big['good'] == big['rounds'])}")
    for b in sorted({k[1] for k in rows if k[0] in ("jselect-select", "jselect-select-seed")}):
        for n in sorted({k[2] for k in rows if k[0] == "python-select"}):
            py = get("python-select", n, "cpu")
            for server in ("jselect-select-seed", "jselect-select"):
                j = get(server, n, "cpu", b)
                if j is None:
                    continue
                r = ratio(j, py)
                out.append(f"- {label(server, b)}, N={n}: CPU/round trip {fmt(r, 2)}× Python's (≤ 0.85): "
                           f"{mark(None if r is None else r <= 0.85)}")
    return "\n".join(out)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: echo_table.py OUT_DIR [OUT_DIR...]")
    outs = [parse_out(a) for a in sys.argv[1:]]
    rows = summarize(load(outs))
    for out, _ in outs:
        machine = os.path.join(out, "machine.txt")
        if os.path.exists(machine):
            with open(machine) as f:
                print("```\n" + f.read().rstrip() + "\n```\n")
    print("Medians over the rounds. × C: ratio to the C server at the same N. CPU spread: (max − min) / median "
          "of the server's CPU per round trip over the rounds. Client CPU: the load client's CPU time over the "
          "window (100 % = its core saturated). Others' CPU: what every other process took meanwhile, in % of one "
          "CPU (machine busy time minus the server's and the client's): the noise the run suffered. Rounds: runs "
          "that produced a result / runs counted, (+K) runs discarded and repeated because others took too much "
          "CPU during them (kept in runs.jsonl). Errors: echo-load's errors, connections that never connected, "
          "and runs that produced no result.\n")
    print(table(rows))
    print()
    print(matrix(rows))
    checks = targets(rows)
    if checks:
        print("\nTargets (issue 7), against these medians:\n")
        print(checks)


if __name__ == "__main__":
    main()
