"""UDP datagrams of a loopback capture (pcap, Ethernet/IPv4/UDP as Linux writes lo), for the bench's latency readers."""
import struct


def udp_packets(path):
    """Yields (time in seconds, source port, destination port, UDP payload) for each frame, in capture order."""
    with open(path, "rb") as f:
        header = f.read(24)
        magic = struct.unpack("<I", header[:4])[0]
        scale = 1e-9 if magic == 0xA1B23C4D else 1e-6
        while True:
            record = f.read(16)
            if len(record) < 16:
                return
            seconds, fraction, captured, _ = struct.unpack("<IIII", record)
            frame = f.read(captured)
            ihl = (frame[14] & 0x0F) * 4
            udp = 14 + ihl
            source, destination = struct.unpack(">HH", frame[udp:udp + 4])
            yield seconds + fraction * scale, source, destination, frame[udp + 8:]
