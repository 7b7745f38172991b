#!/usr/bin/env python3
"""The GC's work in a dotnet-counters CSV (System.Runtime, 1 s refresh) of one bench step.

Usage: gc_counters.py COUNTERS.csv CALLS_PER_SECOND SECONDS. Prints "alloc_kb_per_call pause_s pause_max_ms gen0 gen1
gen2 gen2_mb": bytes allocated per call (all the step allocated over the calls offered, CALLS_PER_SECOND for SECONDS:
the counters also run while the bench settles before the load), the total GC pause, the longest pause
in one second, the collections of each generation, and the generation 2 size after the last collection.
"""
import csv
import sys


def main():
    path, rate, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    allocated, pauses, collections, gen2 = [], [], {"gen0": 0.0, "gen1": 0.0, "gen2": 0.0}, 0.0
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            name, value = row["Counter Name"], float(row["Mean/Increment"])
            if name.startswith("dotnet.gc.heap.total_allocated"):
                allocated.append(value)
            elif name.startswith("dotnet.gc.pause.time"):
                pauses.append(value)
            elif name.startswith("dotnet.gc.collections"):
                collections[name.rsplit("=", 1)[1].rstrip("]")] += value
            elif name.startswith("dotnet.gc.last_collection.heap.size") and name.endswith("gen2]"):
                gen2 = value
    if not allocated:
        print("n/a n/a n/a n/a n/a n/a n/a")
        return
    per_call = sum(allocated) / (rate * seconds) / 1024
    print(f"{per_call:.0f} {sum(pauses):.2f} {max(pauses) * 1000:.0f} {collections['gen0']:.0f} {collections['gen1']:.0f} "
          f"{collections['gen2']:.0f} {gen2 / 1048576:.0f}")


if __name__ == "__main__":
    main()
