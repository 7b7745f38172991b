#!/usr/bin/env python3
"""Which slow INVITEs waited in a GC pause: a loopback capture of INVITEs against the pauses of the relay.

Usage: invite_pauses.py CAPTURE.pcap IN_PORT OUT_PORT PAUSES [THRESHOLD_MS]. PAUSES is what Trunk.GcPauses --pauses
writes (start in Unix ms, length in ms, generation per line). Pairs INVITEs as invite_latency.py does and prints, for
the INVITEs slower than the threshold (default 5 ms), how many were in the relay while a pause ran (the pause overlaps
the time from the INVITE in to the INVITE out) and by which generation, and how many were slow with no pause at all:
those waited for something else, such as a core.
"""
import bisect
import sys

from invite_latency import pairs


def main():
    path, in_port, out_port, pauses_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    threshold = float(sys.argv[5]) if len(sys.argv) > 5 else 5.0
    pauses = []
    with open(pauses_path, encoding="ascii") as lines:
        for line in lines:
            start, length, generation = line.split()
            pauses.append((float(start) / 1000, float(start) / 1000 + float(length) / 1000, generation))
    pauses.sort()
    starts = [p[0] for p in pauses]
    paired = pairs(path, in_port, out_port)
    slow = [(t_in, t_out) for t_in, t_out in paired if (t_out - t_in) * 1000 > threshold]
    by_generation, without = {}, 0
    for t_in, t_out in slow:
        # The pauses that started before the INVITE went out and ended after it came in.
        overlapping = [p for p in pauses[max(0, bisect.bisect_left(starts, t_in) - 1):bisect.bisect_right(starts, t_out)]
                       if p[0] <= t_out and p[1] >= t_in]
        if not overlapping:
            without += 1
            continue
        generation = max(overlapping, key=lambda p: p[1] - p[0])[2]
        by_generation[generation] = by_generation.get(generation, 0) + 1
    share = lambda n: f"{100 * n / len(slow):.0f} %" if slow else "n/a"
    during = ", ".join(f"{g} {n} ({share(n)})" for g, n in sorted(by_generation.items()))
    print(f"INVITEs over {threshold:g} ms: {len(slow)} of {len(paired)}; during a pause: {during or 'none'};"
          f" with no pause: {without} ({share(without)})")


if __name__ == "__main__":
    main()
