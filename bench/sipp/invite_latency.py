#!/usr/bin/env python3
"""INVITE in -> INVITE out latency from a loopback capture of INVITEs (pcap, Ethernet/IPv4/UDP as Linux writes lo).

Usage: invite_latency.py CAPTURE.pcap IN_PORT OUT_PORT. Pairs the first INVITE to IN_PORT with the first INVITE to
OUT_PORT that carries the same From user (the caller number) and prints "p50_ms p99_ms pairs p99.9_ms max_ms".
"""
import re
import sys

from loopback_pcap import udp_packets

FROM_USER = re.compile(rb"\r\n(?:From|f):[^\r\n]*?sip:([^@;>\r\n]+)@", re.IGNORECASE)


def invites(path):
    for at, _, port, payload in udp_packets(path):
        match = FROM_USER.search(payload)
        if match:
            yield at, port, match.group(1)


def pairs(path, in_port, out_port):
    """(time in, time out) of each caller's first INVITE to IN_PORT and first INVITE to OUT_PORT, in seconds."""
    first_in, first_out = {}, {}
    for at, port, user in invites(path):
        if port == in_port:
            first_in.setdefault(user, at)
        elif port == out_port:
            first_out.setdefault(user, at)
    return [(first_in[u], first_out[u]) for u in first_out if u in first_in]


def main():
    path, in_port, out_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    delays = sorted((t_out - t_in) * 1000 for t_in, t_out in pairs(path, in_port, out_port))
    if not delays:
        print("n/a n/a 0 n/a n/a")
        return
    pick = lambda q: delays[max(0, int(len(delays) * q) - 1)]
    print(f"{pick(0.50):.3f} {pick(0.99):.3f} {len(delays)} {pick(0.999):.3f} {delays[-1]:.3f}")


if __name__ == "__main__":
    main()
