#!/usr/bin/env python3
"""Paired ratios from run-echo.sh runs: for every round, each server's figure divided by the reference
server's in the SAME round and N, then the median and range of those ratios over all rounds of all the
runs given. Rounds interleave the servers within minutes, so a ratio taken inside one round cancels the
machine's slow drifts, which dominate the spread of the plain medians on a shared VM.

    python3 echo_paired.py DIR [DIR ...]

Prints one Markdown table: server CPU per round trip against C, Netty and the lesson's Python server,
and p99 against Netty, as "median [min-max] (rounds)". Runs marked "discarded" are left out.
"""
import json
import os
import statistics
import sys

REFERENCES = [("× C", "c", "serverCpuUsPerRoundTrip"),
              ("× Netty", "netty", "serverCpuUsPerRoundTrip"),
              ("× Python", "python-select", "serverCpuUsPerRoundTrip"),
              ("p99 × Netty", "netty", "p99Us")]


def name(run):
    return run["server"] + ("-" + run["backend"] if run.get("backend") else "")


def main(dirs):
    runs = []
    for d in dirs:
        with open(os.path.join(d, "runs.jsonl")) as f:
            for line in f:
                run = json.loads(line)
                if not run.get("discarded") and run.get("serverCpuUsPerRoundTrip"):
                    run["dir"] = d
                    runs.append(run)
    by_round = {(r["dir"], r["round"], r["connections"], r["server"]): r for r in runs if not r.get("backend")}
    ratios = {}
    for r in runs:
        for label, ref_server, field in REFERENCES:
            ref = by_round.get((r["dir"], r["round"], r["connections"], ref_server))
            if ref is not None and ref is not r and ref.get(field) and r.get(field):
                ratios.setdefault((name(r), r["connections"], label), []).append(r[field] / ref[field])
    servers = sorted({k[0] for k in ratios}, key=lambda s: (s != "c", s))
    counts = sorted({k[1] for k in ratios})
    print("| server | N | " + " | ".join(label for label, _, _ in REFERENCES) + " |")
    print("|---|---:|" + "---:|" * len(REFERENCES))
    for s in servers:
        for n in counts:
            cells = []
            for label, _, _ in REFERENCES:
                v = ratios.get((s, n, label))
                cells.append(f"{statistics.median(v):.2f} [{min(v):.2f}–{max(v):.2f}] ({len(v)})" if v else "")
            if any(cells):
                print(f"| {s} | {n} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
