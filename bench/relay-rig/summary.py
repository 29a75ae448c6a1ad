#!/usr/bin/env python3
"""Medians of relay-rig lines (bench/relay-rig/run.sh) per relay, as a Markdown table.

   bench/relay-rig/summary.py RIG_FILE [RIG_FILE...]

"× C" is the median over rounds of the relay's CPU divided by the C relay's CPU in the same
round (same file, same run=R): the machine's state changes between rounds more than between
two neighbouring runs.
"""
import re
import statistics
import sys

rows, order, c_by_round = {}, [], {}
for index, path in enumerate(sys.argv[1:]):
    for line in open(path, encoding="utf-8"):
        if not line.startswith("rig "):
            continue
        kv = dict(re.findall(r"(\w+)=(\S+)", line))
        kv["round"] = (index, kv["run"])
        relay = kv["relay"]
        if relay == "c":
            c_by_round[kv["round"]] = float(kv["ms_per_call_s"])
        if relay not in rows:
            order.append(relay)
            rows[relay] = []
        rows[relay].append(kv)

print("| relay | CPU ms per call-second: median (runs) | × C, same round: median (runs) | user-mode µs per packet: median (runs) | µs per packet | p50 ms | p99 ms: median (runs) | max ms | loss % | generator % of a core |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for relay in order:
    runs = rows[relay]

    def median(key):
        return statistics.median(float(r[key]) for r in runs)

    ratios = [float(r["ms_per_call_s"]) / c_by_round[r["round"]] for r in runs if r["round"] in c_by_round and relay != "direct"]
    ratio = f"{statistics.median(ratios):.2f} ({', '.join(f'{x:.2f}' for x in ratios)})" if ratios else "–"
    cpu = ", ".join(f"{float(r['ms_per_call_s']):.3f}" for r in runs)
    p99 = ", ".join(f"{float(r['p99_ms']):.2f}" for r in runs)
    # Lines from before the rig printed relay_user_ms have no user-mode figure.
    users = [float(r["relay_user_ms"]) * 1000.0 / float(r["received"]) for r in runs if "relay_user_ms" in r and float(r["received"]) > 0]
    user = f"{statistics.median(users):.2f} ({', '.join(f'{x:.2f}' for x in users)})" if users else "–"
    print(f"| {relay} | {median('ms_per_call_s'):.3f} ({cpu}) | {ratio} | {user} | {median('us_per_packet'):.2f} | {median('p50_ms'):.3f} "
          f"| {median('p99_ms'):.2f} ({p99}) | {median('max_ms'):.1f} | {median('loss_pct'):.4f} | {median('gen_cpu_pct'):.0f} |")
