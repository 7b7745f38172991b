#!/usr/bin/env bash
# Inbound call set-up and tear-down through the B2BUA (SIPp caller -> Signaling -> SIPp endpoint) with call events
# published to a real RabbitMQ and the trunk looked up from the real Policy, against Kamailio (tm, sl, rr; t_relay)
# as a stateful proxy between the same SIPp peers in the same run. Steps up the offered calls/s for each (DURATION s
# per step, 0 failed calls to pass) and records the highest rate passed, the INVITE-in -> INVITE-out latency p50/p99
# (from a dumpcap capture of the INVITEs on loopback read by invite_latency.py, paired by the caller number SIPp puts in From), process CPU and
# the load average, and for Signaling the bytes allocated per call and the GC pauses (dotnet-counters, gc_counters.py).
# Writes bench/results/b2bua.md (OUT=file elsewhere).
# SIGNALING_ENV adds settings or runtime knobs to Signaling's environment (e.g. "DOTNET_gcServer=0" runs it with the
# workstation collector it had before 2026-11-28, "DOTNET_GCGen0MaxBudget=0x1000000" another gen0 budget; hex values).
# SIGNALING_BUILD runs another build output of Signaling (a copy of an older tree's bin/Release/net10.0) for a
# before/after in one run.
# SIGNALING_NICE=n runs Signaling at that nice value (-10: ahead of every other process when the cores are full, as a
# deployment would give the real-time signalling a higher CPU weight; below 0 needs root).
# SIP_TRACE=false creates the bench trunk with SIP tracing off (to measure what the trace costs).
# ALL_SERVICES=1 also runs Transfer, CallHistory (which stores every call's events and SIP trace), Media and Webhooks,
# as a deployment does, on a database of the bench's own (dropped and made again) and a fresh virtual host.
# GC_TRACE=dir also records each B2BUA step's GC events and allocation samples (dotnet-trace, runtime GC keyword at
# verbose level) into dir/b2bua-RATE.nettrace (GC pauses by generation, allocation by type) and prints each step's pauses by
# generation, their mark and compaction phases, the promoted bytes and the sampled allocations by our code's frame and
# by type (bench/Trunk.GcPauses): tracing slows Signaling, so these steps' latencies are not figures. It also keeps the
# step's INVITE capture (dir/b2bua-RATE.pcap) and each pause's time (dir/b2bua-RATE.nettrace.pauses), and prints how many
# of the INVITEs over 5 ms were in Signaling while a pause ran (invite_pauses.py). GC_TRACE_LEVEL=4 traces the pauses
# without the allocation samples (informational level): much lighter, for that count.
# SETTLE_S (default 3): the seconds between the step's tools attaching to Signaling and the load. Each tool is a .NET
# process that takes a core while it starts; started with the load (as before 2026-11-28), the calls of the step's
# first half second waited for it, and they were most of the INVITEs over 5 ms (bench/results/b2bua.md).
# Usage: [SKIP_BUILD=1] [SIGNALING_ENV="NAME=value ..."] [SIGNALING_BUILD=dir] [SIGNALING_NICE=n] [SIP_TRACE=false] [GC_TRACE=dir] [GC_TRACE_LEVEL=4|5] [SETTLE_S=3] [OUT=file] [DURATION=60] [B2BUA_RATES="100 200 300 400"] [KAMAILIO_RATES="500 1000 1500 2000 2500"] bench/sipp/b2bua.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${OUT:-$root/bench/results/b2bua.md}"
duration="${DURATION:-60}"
call_ms="${CALL_MS:-1000}"
b2bua_rates="${B2BUA_RATES:-100 200 300 400}"
kamailio_rates="${KAMAILIO_RATES:-500 1000 1500 2000 2500}"
vhost=bench-b2bua
base="${BASE_PORT:-26000}"
sig_port=$base; kam_port=$((base + 10)); uas_port=$((base + 20)); uac_port=$((base + 30))
sig_http=$((base + 81)); policy_http=$((base + 83))
services=(Policy Signaling)
[ "${ALL_SERVICES:-0}" != 1 ] || services+=(Transfer CallHistory Media Webhooks)
work="$(mktemp -d)"
pids=()

cd "$root"
source scripts/lib/infra.sh
ensure_infrastructure kamailio
database=$TRUNK_DB_NAME
if [ "${ALL_SERVICES:-0}" = 1 ]; then
  # CallHistory keeps what it stores: a database and queues of the run's own.
  database=trunk_bench_b2bua
  psql_admin() { PGPASSWORD=$TRUNK_DB_PASSWORD psql -h 127.0.0.1 -U "$TRUNK_DB_USER" -d "$TRUNK_DB_NAME" -qAtc "$1"; }
  psql_admin "DROP DATABASE IF EXISTS $database WITH (FORCE)"
  psql_admin "CREATE DATABASE $database"
fi
# A virtual host of the run's own, made again: an ALL_SERVICES run leaves its consumers' queues bound, and a later run
# without those consumers would pile every event into them (854,000 messages in callhistory-events after seven runs,
# with RabbitMQ's paging competing for the cores the B2BUA is measured on).
rabbitmqctl_local delete_vhost "$vhost" >/dev/null 2>&1 || true
rabbitmqctl_local add_vhost "$vhost"
rabbitmqctl_local set_permissions -p "$vhost" "$TRUNK_RABBIT_USER" ".*" ".*" ".*"

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_background_jobs
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# SKIP_BUILD=1 runs the Release builds already there (the shared build lock can be held for minutes).
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  for service in "${services[@]}"; do
    flock /tmp/trunk-build.lock dotnet build "services/$service/Trunk.$service.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
  done
fi
if [ -n "${GC_TRACE:-}" ]; then
  flock /tmp/trunk-build.lock dotnet build bench/Trunk.GcPauses/Trunk.GcPauses.csproj -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
fi

bus_env=(RabbitMq__Host=127.0.0.1 RabbitMq__Port=5672 RabbitMq__VirtualHost=$vhost RabbitMq__Username=$TRUNK_RABBIT_USER
  RabbitMq__Password=$TRUNK_RABBIT_PASSWORD ASPNETCORE_ENVIRONMENT=Production
  "ConnectionStrings__Postgres=Host=127.0.0.1;Port=5432;Database=$database;Username=$TRUNK_DB_USER;Password=$TRUNK_DB_PASSWORD"
  Postgres__ApplySchemaOnStart=true)

start_host() { # service http-port settings...
  local service=$1 port=$2 build; shift 2
  build="services/$service/bin/Release/net10.0"
  [ "$service" = Signaling ] && build="${SIGNALING_BUILD:-$build}"
  # A copy of the build output: a build during the run (the tree is shared) must not replace a running host's files.
  cp -r "$build" "$work/$service"
  local nice=0
  [ "$service" = Signaling ] && nice="${SIGNALING_NICE:-0}"
  (cd "$work/$service" && exec nice -n "$nice" env "${bus_env[@]}" Urls="http://127.0.0.1:$port" "$@" dotnet "Trunk.$service.dll") \
    >"$work/$service-host.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "$service did not become ready:"; tail -20 "$work/$service-host.log"; exit 1
}

start_host Policy $policy_http Policy__SeedDemoData=false
policy_pid=${pids[-1]}
port=$((base + 84))
for service in "${services[@]:2}"; do
  start_host "$service" $port
  port=$((port + 1))
done
account=$(cat /proc/sys/kernel/random/uuid)
did="+4930$(shuf -i 10000000-99999999 -n 1)"
curl -fsS -X POST "http://127.0.0.1:$policy_http/accounts" -H 'Content-Type: application/json' \
  -d "{\"id\":\"$account\",\"name\":\"bench\",\"homeCountry\":\"DE\",\"currency\":\"EUR\"}" >/dev/null
curl -fsS -X POST "http://127.0.0.1:$policy_http/accounts/$account/trunks" -H 'Content-Type: application/json' \
  -d "{\"domain\":\"bench-${account:0:8}.trunk.example\",\"dids\":[\"$did\"],\"terminationUris\":[\"sip:127.0.0.1:$uas_port\"],\"carrierGateway\":\"sip:127.0.0.1:9\",\"callsPerSecond\":10000,\"media\":\"Passthrough\",\"sipTraceEnabled\":${SIP_TRACE:-true}}" >/dev/null

# Logging at Warning: the figure is the B2BUA's, not the console's. Limits above any rate tried (they are tested elsewhere).
start_host Signaling $sig_http Sip__ListenAddress=127.0.0.1 Sip__Port=$sig_port Sip__CallsPerSecondPerSource=100000 \
  Sip__CallsPerSecondPerTrunk=100000 Logging__LogLevel__Default=Warning Logging__LogLevel__Trunk=Warning ${SIGNALING_ENV:-}
signaling_pid=${pids[-1]}

cat >"$work/kamailio.cfg" <<CFG
#!KAMAILIO
children=4
listen=udp:127.0.0.1:$kam_port
disable_tcp=yes
loadmodule "pv.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
request_route {
    if (method=="CANCEL") { if (t_check_trans()) t_relay(); exit; }
    if (loose_route()) { t_relay(); exit; }
    if (method=="INVITE") record_route();
    \$du = "sip:127.0.0.1:$uas_port";
    if (!t_relay()) sl_reply_error();
    exit;
}
CFG
kamailio -f "$work/kamailio.cfg" -DD -E -m 1024 -M 16 >"$work/kamailio.log" 2>&1 &
pids+=($!)
kamailio_pid=$!

sipp -sn uas -i 127.0.0.1 -p $uas_port -buff_size 8388608 -nostdin >"$work/uas.log" 2>&1 &
pids+=($!)
sleep 3

# CPU ticks of a process and its children (Kamailio's work is done in its child processes).
cpu_ticks() {
  local total=0 p
  for p in $1 $(pgrep -P "$1" || true); do total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done
  echo "$total"
}
hz=$(getconf CLK_TCK)

# The GC columns come from dotnet-counters (GC_TRACE's from dotnet-trace): global .NET tools that a fresh machine lacks.
ensure_dotnet_tool() { # tool
  [ -x "$HOME/.dotnet/tools/$1" ] || dotnet tool install -g "$1" >/dev/null ||
    echo "warning: dotnet tool install -g $1 failed: its figures will read ?"
}
[ -n "${DOTNET_COUNTERS:-}" ] || ensure_dotnet_tool dotnet-counters
[ -z "${GC_TRACE:-}" ] || [ -n "${DOTNET_TRACE:-}" ] || ensure_dotnet_tool dotnet-trace
counters="${DOTNET_COUNTERS:-$HOME/.dotnet/tools/dotnet-counters}"

# run NAME PORT RATE PID [dotnet] -> prints "ok failed cps cpu p50 p99 pairs p99.9 max load rss" (rss: a .NET relay's peak
# resident memory in MB since it started; n/a for Kamailio, whose work is in its children) and, for a .NET relay, what gc_counters.py prints for the step
# (dotnet-counters, System.Runtime, 1 s)
run() {
  local name=$1 port=$2 rate=$3 pid=$4 dotnet=${5:-} calls=$(( $3 * duration ))
  local cap="$work/$name-$rate.cap" gc="" counting=""
  # dumpcap keeps only INVITEs (kernel filter on the first payload bytes); invite_latency.py pairs them after the step.
  dumpcap -q -P -i lo -f "udp and udp[8:4] = 0x494e5649" -w "$cap.pcap" 2>"$work/dumpcap.err" &
  local dumper=$!
  local load0 t0 c0 t1 c1 settle=${SETTLE_S:-3}
  # The tools run while the bench settles and for the whole load.
  local span
  span=$(printf '00:00:%02d:%02d' $(( (duration + settle) / 60 )) $(( (duration + settle) % 60 )))
  if [ -n "$dotnet" ] && [ -x "$counters" ]; then
    "$counters" collect -p "$pid" --counters System.Runtime --format csv -o "$work/$name-$rate.csv" \
      --duration "$span" </dev/null >/dev/null 2>&1 &
    counting=$!
  fi
  local tracing=""
  if [ -n "$dotnet" ] && [ -n "${GC_TRACE:-}" ]; then
    mkdir -p "$GC_TRACE"
    "${DOTNET_TRACE:-$HOME/.dotnet/tools/dotnet-trace}" collect -p "$pid" --providers "Microsoft-Windows-DotNETRuntime:0x1:${GC_TRACE_LEVEL:-5}" \
      --duration "$span" -o "$GC_TRACE/$name-$rate.nettrace" \
      </dev/null >/dev/null 2>&1 &
    tracing=$!
  fi
  # The tools start (each a .NET process, a core for a moment) and attach before the load, not with it.
  sleep "$settle"
  load0=$(cut -d' ' -f1 /proc/loadavg); t0=$(date +%s.%N); c0=$(cpu_ticks "$pid")
  sipp -sf "$here/uac_numbered.xml" -s "$did" "127.0.0.1:$port" -i 127.0.0.1 -p $uac_port -r "$rate" -m "$calls" -d "$call_ms" \
    -buff_size 8388608 -timeout $(( duration + 30 ))s -timeout_error -nostdin -default_behaviors all,-abortunexp \
    >"$work/$name-$rate.out" 2>&1 || true
  t1=$(date +%s.%N); c1=$(cpu_ticks "$pid")
  # The background job may be a subshell around dumpcap: stop both.
  sleep 1; pkill -INT -P "$dumper" 2>/dev/null || true; kill -INT "$dumper" 2>/dev/null || true; wait "$dumper" 2>/dev/null || true
  local ok bad wall cps cpu lat
  ok=$(grep -E 'Successful call' "$work/$name-$rate.out" | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')
  bad=$(grep -E 'Failed call' "$work/$name-$rate.out" | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')
  wall=$(echo "$t1 - $t0 - $call_ms / 1000" | bc -l)
  cps=$(echo "${ok:-0} / $wall" | bc -l | xargs printf '%.0f')
  cpu=$(echo "($c1 - $c0) / $hz / ($t1 - $t0)" | bc -l | xargs printf '%.2f')
  lat=$(python3 "$here/invite_latency.py" "$cap.pcap" "$port" "$uas_port")
  if [ -n "$tracing" ]; then mv "$cap.pcap" "$GC_TRACE/$name-$rate.pcap"; else rm -f "$cap.pcap"; fi
  [ -z "$tracing" ] || wait "$tracing" 2>/dev/null || true
  if [ -n "$counting" ]; then
    wait "$counting" 2>/dev/null || true
    gc=$(python3 "$here/gc_counters.py" "$work/$name-$rate.csv" "$rate" "$duration" 2>/dev/null || echo "n/a n/a n/a n/a n/a n/a n/a")
  fi
  local rss=n/a
  [ -z "$dotnet" ] || rss=$(awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || echo n/a)
  echo "${ok:-0} ${bad:-?} $cps $cpu $lat $load0 ${rss:-n/a} $gc"
}

# One call through each first: Signaling caches the DID's trunk, both relays warm up.
for port in $kam_port $sig_port; do
  sipp -sf "$here/uac_numbered.xml" -s "$did" "127.0.0.1:$port" -i 127.0.0.1 -p $uac_port -m 5 -r 5 -d 100 -timeout 20s -timeout_error \
    -nostdin >"$work/warmup-$port.out" 2>&1 || { echo "warm-up call through port $port failed"; tail -30 "$work/warmup-$port.out"; exit 1; }
done

rows=""; best_b2bua=0; best_b2bua_lat=""; best_kamailio=0
for rate in $kamailio_rates; do
  read -r ok bad cps cpu p50 p99 pairs p999 max load rss <<<"$(run kamailio $kam_port "$rate" "$kamailio_pid")"
  echo "kamailio $rate/s: $ok ok, $bad failed, $cps calls/s, CPU $cpu, INVITE latency p50 $p50 ms p99 $p99 ms p99.9 $p999 ms max $max ms ($pairs pairs), load $load"
  rows+="| Kamailio | $rate | $ok | $bad | $cps | $cpu | $p50 | $p99 | $p999 | $max | $rss | – | – | – | $load |"$'\n'
  [ "$bad" = "0" ] || break
  [ $(( cps * 10 )) -ge $(( rate * 9 )) ] || break
  best_kamailio=$rate
done
for rate in $b2bua_rates; do
  read -r ok bad cps cpu p50 p99 pairs p999 max load rss kb pause pause_max gen0 gen1 gen2 gen2_mb <<<"$(run b2bua $sig_port "$rate" "$signaling_pid" dotnet)"
  echo "b2bua $rate/s: $ok ok, $bad failed, $cps calls/s, CPU $cpu, INVITE latency p50 $p50 ms p99 $p99 ms p99.9 $p999 ms max $max ms ($pairs pairs), load $load;" \
    "GC: ${kb:-?} KB allocated per call, ${pause:-?} s paused (longest second ${pause_max:-?} ms), collections gen0/1/2 ${gen0:-?}/${gen1:-?}/${gen2:-?}, gen2 ${gen2_mb:-?} MB; peak RSS ${rss:-?} MB"
  rows+="| B2BUA | $rate | $ok | $bad | $cps | $cpu | $p50 | $p99 | $p999 | $max | $rss | ${kb:-–} | ${pause:-–} | ${gen0:-–}/${gen1:-–}/${gen2:-–} | $load |"$'\n'
  if [ -n "${GC_TRACE:-}" ]; then
    trace="$GC_TRACE/b2bua-$rate.nettrace"
    dotnet bench/Trunk.GcPauses/bin/Release/net10.0/Trunk.GcPauses.dll --pauses \
      $( [ "${GC_TRACE_LEVEL:-5}" -lt 5 ] || echo --allocations ) "$trace" || true
    python3 "$here/invite_pauses.py" "$GC_TRACE/b2bua-$rate.pcap" "$sig_port" "$uas_port" "$trace.pauses" || true
  fi
  [ "$bad" = "0" ] || { grep -E "^.{0,40}(Aborting|timed out)" "$work/b2bua-$rate.out" | head -3 || true; tail -5 "$work/Signaling-host.log"; break; }
  [ $(( cps * 10 )) -ge $(( rate * 9 )) ] || break
  best_b2bua=$rate; best_b2bua_lat="p50 $p50 ms, p99 $p99 ms"
done

ratio=$( [ "$best_kamailio" -gt 0 ] && echo "$best_b2bua / $best_kamailio" | bc -l | xargs printf '%.2f' || echo n/a)
mkdir -p "$(dirname "$out")"
cat >"$out" <<MD
# B2BUA call throughput and added latency (SIPp over UDP loopback)

Run by \`bench/sipp/b2bua.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') ($(nproc) cores shared with the other engineers' work,
RabbitMQ, PostgreSQL and the SIPp peers). Each step offers a call rate for ${duration} s (calls of ${call_ms} ms:
INVITE, 180, 200, ACK, BYE, 200) from one SIPp caller to one SIPp endpoint, through Kamailio 5.6 (tm, sl, rr,
t_relay, 4 children) and then through Signaling (media passthrough; trunk from the real Policy over RabbitMQ; call
events and SIP trace batches published to RabbitMQ with publisher confirms; logging at Warning). Services running:
${services[*]}. A step passes with 0 failed calls and at least 90 % of the offered rate completed.

**Highest rate with 0 failed calls: B2BUA $best_b2bua calls/s ($best_b2bua_lat INVITE in to INVITE out); Kamailio
$best_kamailio calls/s; ratio B2BUA/Kamailio $ratio** (goals: ≥ 0.5, ≥ 300 calls/s, p99 < 5 ms at 300 calls/s).

| relay | offered calls/s | successful | failed | completed calls/s | relay CPU (cores) | INVITE in→out p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | peak RSS (MB) | allocated per call (KB) | GC pause in the step (s) | collections gen0/1/2 | load average (1 min) at start |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$rows
Latency: dumpcap captured every INVITE on loopback (capture filter on the first payload bytes); the INVITE into the
relay and the INVITE it sent to the endpoint are paired by the caller number (From user, one per call), first copy
only. CPU is the relay process's user+system time over the step (/proc/PID/stat). Allocation and GC figures come from
\`dotnet-counters\` (System.Runtime, 1 s) on Signaling during the step: bytes allocated per second over the offered
rate, and the GC pause summed. The load average shows how busy the shared machine was; figures taken under a high load
are floors.
MD
echo "wrote $out"
