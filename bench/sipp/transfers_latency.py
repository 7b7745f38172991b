#!/usr/bin/env python3
"""Transfer latencies from a loopback capture of the SIP traffic of bench/sipp/transfers.sh (pcap, Ethernet/IPv4/UDP
as Linux writes lo).

Usage: transfers_latency.py CAPTURE.pcap TRUNK_PORT ENDPOINT_PORT TARGET_PORT
       transfers_latency.py --lag BEFORE.prom AFTER.prom   (mean bus consumer lag per message type between two scrapes)
       transfers_latency.py --handling BEFORE.prom AFTER.prom   (mean handling time per service and message type)

The endpoint leg and the target leg of a call are paired by the caller number (the From user, one per call: the trunk
puts the caller's number in From on both legs). For each call, first copies only (retransmissions ignored):
  refer_answer  REFER from the endpoint -> the trunk's final response to it (same Call-ID; 202, or 403 when refused)
  refer_invite  REFER from the endpoint -> the trunk's INVITE to the target
  answer_notify the target's 200 to that INVITE -> the trunk's NOTIFY carrying "SIP/2.0 200" to the endpoint
Prints one line per measure: "name p50_ms p99_ms max_ms count".
"""
import re
import sys

from loopback_pcap import udp_packets

FROM_USER = re.compile(rb"\r\n(?:From|f):[^\r\n]*?sip:([^@;>\r\n]+)@", re.IGNORECASE)
CALL_ID = re.compile(rb"\r\n(?:Call-ID|i):\s*([^\r\n]+)", re.IGNORECASE)
CSEQ = re.compile(rb"\r\nCSeq:\s*\d+\s+([A-Z]+)", re.IGNORECASE)


def field(pattern, payload):
    match = pattern.search(payload)
    return match.group(1).strip() if match else None


LAG = re.compile(
    r'^trunk_(bus_consumer_lag|transfer_outbox_wait)_seconds_(sum|count)\{[^}]*messaging_message_type="([^"]+)"[^}]*\} ([0-9.eE+-]+)', re.M)


def lag_totals(path):
    """Per message type: the bus lag, and the saga outbox's wait as "outbox:<type>"."""
    totals = {}
    with open(path) as f:
        for metric, kind, message_type, value in LAG.findall(f.read()):
            key = message_type if metric == "bus_consumer_lag" else "outbox:" + message_type
            totals.setdefault(key, [0.0, 0.0])[0 if kind == "sum" else 1] += float(value)
    return totals


def print_means(before, after, scale):
    """Per key: the mean of what was recorded between two scrapes (times scale), and how many."""
    for key, (total, count) in sorted(after.items()):
        total0, count0 = before.get(key, [0.0, 0.0])
        if count - count0 > 0:
            print(f"{key} {(total - total0) / (count - count0) * scale:.1f} {int(count - count0)}")


def lag(before_path, after_path):
    print_means(lag_totals(before_path), lag_totals(after_path), 1000)


HANDLING = re.compile(
    r'^messaging_masstransit_(?:consume|saga)_duration_milliseconds_(sum|count)\{([^}]*)\} ([0-9.eE+-]+)', re.M)
LABEL = re.compile(r'(messaging_masstransit_(?:service|message_type))="([^"]*)"')


def handling_totals(path):
    totals = {}
    with open(path) as f:
        for kind, labels, value in HANDLING.findall(f.read()):
            named = dict(LABEL.findall(labels))
            key = f'{named.get("messaging_masstransit_service", "?").removeprefix("Trunk.")}:{named.get("messaging_masstransit_message_type", "?")}'
            totals.setdefault(key, [0.0, 0.0])[0 if kind == "sum" else 1] += float(value)
    return totals


def handling(before_path, after_path):
    """Mean time a consumer or the saga spent on each message type between two scrapes (MassTransit's own metrics)."""
    print_means(handling_totals(before_path), handling_totals(after_path), 1)


def main():
    if sys.argv[1] == "--lag":
        lag(sys.argv[2], sys.argv[3])
        return
    if sys.argv[1] == "--handling":
        handling(sys.argv[2], sys.argv[3])
        return
    path = sys.argv[1]
    trunk, endpoint, target = (int(p) for p in sys.argv[2:5])
    caller_of_endpoint_call, caller_of_target_call = {}, {}
    refer, accepted, notify_200 = {}, {}, {}
    target_invite, target_answer = {}, {}
    for at, source, destination, payload in udp_packets(path):
        call_id = field(CALL_ID, payload)
        if call_id is None:
            continue
        first_line = payload.split(b"\r\n", 1)[0]
        method = field(CSEQ, payload)
        if source == trunk and destination == endpoint:
            if first_line.startswith(b"INVITE "):
                caller_of_endpoint_call.setdefault(call_id, field(FROM_USER, payload))
            elif first_line.startswith(b"SIP/2.0 ") and not first_line.startswith(b"SIP/2.0 1") and method == b"REFER":
                accepted.setdefault(call_id, at)
            elif first_line.startswith(b"NOTIFY ") and b"\r\n\r\nSIP/2.0 200" in payload:
                notify_200.setdefault(call_id, at)
        elif source == endpoint and destination == trunk and first_line.startswith(b"REFER "):
            refer.setdefault(call_id, at)
        elif source == trunk and destination == target and first_line.startswith(b"INVITE "):
            caller = field(FROM_USER, payload)
            caller_of_target_call.setdefault(call_id, caller)
            target_invite.setdefault(caller, at)
        elif source == target and destination == trunk and first_line.startswith(b"SIP/2.0 200") and method == b"INVITE":
            caller = caller_of_target_call.get(call_id)
            if caller is not None:
                target_answer.setdefault(caller, at)

    measures = {"refer_answer": [], "refer_invite": [], "answer_notify": []}
    for call_id, referred in refer.items():
        caller = caller_of_endpoint_call.get(call_id)
        if call_id in accepted:
            measures["refer_answer"].append(accepted[call_id] - referred)
        if caller in target_invite:
            measures["refer_invite"].append(target_invite[caller] - referred)
        if caller in target_answer and call_id in notify_200:
            measures["answer_notify"].append(notify_200[call_id] - target_answer[caller])

    for name, delays in measures.items():
        if not delays:
            print(f"{name} n/a n/a n/a 0")
            continue
        delays = sorted(d * 1000 for d in delays)
        pick = lambda q: delays[max(0, int(round(len(delays) * q)) - 1)]
        print(f"{name} {pick(0.50):.1f} {pick(0.99):.1f} {delays[-1]:.1f} {len(delays)}")


if __name__ == "__main__":
    main()
