#!/usr/bin/env python3
"""PostgreSQL CPU by the service that holds each connection: prints "<service> <user+system ticks>" per service.

Usage: pg_cpu_by_service.py DATABASE NAME=PID... (PGPASSWORD, host 127.0.0.1, user from TRUNK_DB_USER or trunk).
A backend's client port (pg_stat_activity) is matched to the process that owns that local port (ss -tnp), and the
backend's ticks (/proc/<pid>/stat) are added to that process's name. Backends that ended are not counted.
"""
import os
import re
import subprocess
import sys


def backend_ports(database):
    user = os.environ.get("TRUNK_DB_USER", "trunk")
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", user, "-d", database, "-qAtF", " ", "-c",
         "select pid, client_port from pg_stat_activity where datname = current_database() and client_port is not null"],
        capture_output=True, text=True, check=True).stdout
    return {int(port): int(pid) for pid, port in (line.split() for line in out.splitlines() if line.strip())}


def port_owners():
    out = subprocess.run(["ss", "-tnpH", "dport = :5432"], capture_output=True, text=True, check=True).stdout
    owners = {}
    for line in out.splitlines():
        fields = line.split()
        match = re.search(r"pid=(\d+)", line)
        if len(fields) >= 4 and match:
            owners[int(fields[3].rsplit(":", 1)[1])] = int(match.group(1))
    return owners


def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0


def main():
    database, services = sys.argv[1], dict(arg.split("=", 1) for arg in sys.argv[2:])
    names = {int(pid): name for name, pid in services.items()}
    totals = {name: 0 for name in services}
    owners = port_owners()
    for port, backend in backend_ports(database).items():
        if (name := names.get(owners.get(port, -1))) is not None:
            totals[name] += ticks(backend)
    for name, total in totals.items():
        print(f"pg-{name} {total}")


if __name__ == "__main__":
    main()
