#!/usr/bin/env bash
# Relays N concurrent G.711 calls (20 ms, 50 packets/s each way) through the Media host (set up over RabbitMQ) and
# through rtpengine (userspace forwarding, set up over ng), one after the other on the same generated streams, and
# writes bench/results/media-relay.md: loss, one-way latency p50/p99, relayed packets per CPU-second, the ratio of
# ours to rtpengine's, set-up round trips, and the load average (the machine is shared).
# Usage: bench/media-relay.sh [--calls 250,750,1250] [--duration 60] [--out bench/results/media-relay.md]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=../scripts/lib/infra.sh
source scripts/lib/infra.sh
ensure_infrastructure
command -v rtpengine >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends rtpengine-daemon >/dev/null; }
flock /tmp/trunk-build.lock dotnet build services/Media -c Release -v q -nologo >/dev/null
flock /tmp/trunk-build.lock dotnet build bench/Trunk.Media.Bench -c Release -v q -nologo >/dev/null
exec dotnet bench/Trunk.Media.Bench/bin/Release/net10.0/Trunk.Media.Bench.dll --media-dll services/Media/bin/Release/net10.0/Trunk.Media.dll "$@"
