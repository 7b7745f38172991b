#!/usr/bin/env bash
# Blind transfers per second through the whole trunk: Signaling, Transfer, Policy and CallHistory as processes on a
# RabbitMQ virtual host and a PostgreSQL database of their own, three SIPp peers (the caller, the endpoint that answers
# and REFERs the call to a domestic number, the target behind the carrier gateway that rings and answers), each call
# the end-to-end tests' transfer (tests/Trunk.Signaling.Tests/Scenarios, as scripts/demo fills them). For each
# variant (VARIANTS) and each rate (RATES), SIPp offers that many transfers per second for DURATION seconds, then half
# as many REFERs that Signaling refuses itself (403, foreign Refer-To host: the cost of a REFER decided without the
# bus). A capture of the trunk's SIP traffic gives REFER -> final response, REFER -> target INVITE and target 200 ->
# NOTIFY 200 per call, and every service's /metrics the bus consumer lag per message type (transfers_latency.py).
# Prints each step and writes the tables to $OUT (default $WORK/transfers-table.md) for bench/results/transfers.md.
# Also CPU ms per completed transfer per service, PostgreSQL, RabbitMQ and the whole machine.
# Usage: [SKIP_BUILD=1] [DURATION=60] [RATES="20 50 100"] [VARIANTS="sharded one-queue before"] [BEFORE_ROOT=dir]
#   [FROM_BEFORE="Signaling CallHistory"] (services run from $BEFORE_ROOT in every variant) [SCENARIOS=dir] [WORK=dir]
#   [KEEP_CAPTURES=1] [LOG_LEVEL=Information] [PG_LOG_STATEMENTS=1] bench/sipp/transfers.sh
# PG_LOG_STATEMENTS=1 logs every statement on the bench database (log_min_duration_statement = 0 on it alone, set as
# the postgres superuser; the setting goes with the database, which the next run drops) and writes each step's start and
# end times to $WORK/<step>-window, so that the log's lines of a step can be counted per service (application name).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
duration="${DURATION:-60}"
rates="${RATES:-20 50 100}"
variants="${VARIANTS:-sharded}"
hold_ms="${HOLD_MS:-1000}"
vhost=bench-transfers
database=trunk_bench_transfers
base="${BASE_PORT:-27000}"
sig_port=$base; endpoint_port=$((base + 20)); target_port=$((base + 30)); caller_port=$((base + 40))
sig_http=$((base + 81)); transfer_http=$((base + 82)); policy_http=$((base + 83)); history_http=$((base + 85))
scenarios="${SCENARIOS:-$root/tests/Trunk.Signaling.Tests/Scenarios}"
work="${WORK:-$(mktemp -d)}"
out="${OUT:-$work/transfers-table.md}"
pids=()

cd "$root"
source scripts/lib/infra.sh
ensure_infrastructure

stop_services() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_services
  stop_background_jobs
  [ -n "${WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  for service in Policy Transfer CallHistory Signaling; do
    flock /tmp/trunk-build.lock dotnet build "services/$service/Trunk.$service.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
  done
fi
# A copy of the build output: a build during the run (the tree is shared) must not replace a running host's files.
# The variant "before" runs a build of the code before the tuning, made by the caller in $BEFORE_ROOT.
for service in Policy Transfer CallHistory Signaling; do
  rm -rf "$work/bin-tree-$service"; cp -r "services/$service/bin/Release/net10.0" "$work/bin-tree-$service"
  if [ -n "${BEFORE_ROOT:-}" ]; then
    rm -rf "$work/bin-before-$service"; cp -r "$BEFORE_ROOT/services/$service/bin/Release/net10.0" "$work/bin-before-$service"
  fi
done

psql_admin() { PGPASSWORD=$TRUNK_DB_PASSWORD psql -h 127.0.0.1 -U "$TRUNK_DB_USER" -d "$TRUNK_DB_NAME" -qAtc "$1"; }
connection="Host=127.0.0.1;Port=5432;Database=$database;Username=$TRUNK_DB_USER;Password=$TRUNK_DB_PASSWORD;Maximum Pool Size=50"
# Logging at Warning: the figures are the trunk's, not its console's.
common_env=(RabbitMq__Host=127.0.0.1 RabbitMq__Port=5672 RabbitMq__VirtualHost=$vhost RabbitMq__Username=$TRUNK_RABBIT_USER
  RabbitMq__Password=$TRUNK_RABBIT_PASSWORD ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__Postgres=$connection"
  Postgres__ApplySchemaOnStart=true Logging__LogLevel__Default=${LOG_LEVEL:-Warning} Logging__LogLevel__Trunk=${LOG_LEVEL:-Warning}
  Logging__Console__FormatterName=simple "Logging__Console__FormatterOptions__TimestampFormat=HH:mm:ss.fff ")

# The settings that make a variant, per service: variant_env VARIANT SERVICE. Variants: before (the code before the
# tuning, from $BEFORE_ROOT), one-queue (today's code, the saga on one queue), sharded (today's code, 4 shards), cqv2
# (sharded, every queue of the virtual host a version 2 classic queue, by a RabbitMQ policy), signaling-wks (sharded,
# Signaling on the workstation garbage collector instead of the server one its project file sets),
# shards16 (today's code, 16 shards), workstation-gc (today's code, every service on the workstation garbage collector,
# non-concurrent).
variant_env() {
  case "$1:$2" in
    one-queue:Transfer) echo "Transfer__SagaShards=1" ;;
    sharded:Transfer | cqv2:Transfer | signaling-wks:Transfer) echo "Transfer__SagaShards=4" ;;
    signaling-wks:Signaling) echo "DOTNET_gcServer=0" ;;
    shards16:Transfer) echo "Transfer__SagaShards=16" ;;
    workstation-gc:*) echo "DOTNET_gcServer=0 DOTNET_gcConcurrent=0" ;;
  esac
}

start_host() { # variant service http-port settings...
  local variant=$1 service=$2 port=$3; shift 3
  # shellcheck disable=SC2046
  local source=tree
  # shellcheck disable=SC2076
  [ "$variant" = before ] || [[ " ${FROM_BEFORE:-} " =~ " $service " ]] && source=before
  (cd "$work/bin-$source-$service" && exec env "${common_env[@]}" Urls="http://127.0.0.1:$port" $(variant_env "$variant" "$service") "$@" \
    dotnet "Trunk.$service.dll") >"$work/$variant-$service.log" 2>&1 &
  pids+=($!)
}

wait_ready() { # service port
  for _ in $(seq 1 180); do
    curl -fsS "http://127.0.0.1:$2/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "$1 did not become ready:"; for f in "$work/"*"-$1.log"; do tail -n 20 "$f"; done; exit 1
}

api() { # METHOD PATH [JSON]
  curl -fsS -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "http://127.0.0.1:$policy_http$2"
}

# A scenario of $scenarios with {{KEY}} placeholders filled: fill FILE KEY=VALUE...
fill() {
  local text pair
  text=$(<"$scenarios/$1"); shift
  for pair in "$@"; do text=${text//"{{${pair%%=*}}}"/"${pair#*=}"}; done
  printf '%s\n' "$text"
}

start_trunk() { # variant -> sets did, domain
  local variant=$1
  psql_admin "DROP DATABASE IF EXISTS $database WITH (FORCE)"
  psql_admin "CREATE DATABASE $database"
  [ "${PG_LOG_STATEMENTS:-0}" != 1 ] || as_root su postgres -c "psql -qc 'ALTER DATABASE $database SET log_min_duration_statement = 0'"
  # A fresh virtual host: queues left by an earlier variant or run would hold their messages.
  rabbitmqctl_local delete_vhost "$vhost" >/dev/null 2>&1 || true
  rabbitmqctl_local add_vhost "$vhost" >/dev/null
  rabbitmqctl_local set_permissions -p "$vhost" "$TRUNK_RABBIT_USER" ".*" ".*" ".*" >/dev/null
  [ "$variant" != cqv2 ] || rabbitmqctl_local set_policy -p "$vhost" --apply-to queues classic-v2 '.*' '{"queue-version":2}' >/dev/null
  start_host "$variant" Policy $policy_http Policy__SeedDemoData=false
  wait_ready Policy $policy_http
  start_host "$variant" Transfer $transfer_http
  start_host "$variant" CallHistory $history_http
  start_host "$variant" Signaling $sig_http Sip__ListenAddress=127.0.0.1 Sip__Port=$sig_port Sip__CallsPerSecondPerSource=100000 \
    Sip__CallsPerSecondPerTrunk=100000
  wait_ready Transfer $transfer_http; wait_ready CallHistory $history_http; wait_ready Signaling $sig_http

  did="+4930$(shuf -i 10000000-99999999 -n 1)"
  domain="bench-$(date +%s).trunk.example"
  api PUT /rates/49 '{"pricePerMinute":0.01,"description":"Germany"}' >/dev/null
  local account
  account=$(api POST /accounts/ '{"name":"bench","homeCountry":"DE","currency":"EUR"}' | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
  api POST "/accounts/$account/top-ups" '{"amount":1000000,"reference":"bench"}' >/dev/null
  api POST "/accounts/$account/trunks/" "{\"domain\":\"$domain\",\"dids\":[\"$did\"],\"terminationUris\":[\"sip:endpoint@127.0.0.1:$endpoint_port\"],\"carrierGateway\":\"sip:127.0.0.1:$target_port\",\"ringTimeoutSeconds\":20,\"media\":\"Passthrough\",\"callsPerSecond\":10000}" >/dev/null
}

write_scenarios() {
  local notify common
  notify() { fill notify_fragment.xml "N=$1" "STATE=$2" "SIPFRAG=$3" "REFER_CSEQ=7"; }
  common=('CALLER=+4989[call_number]' 'CALLER_REGEX=sip:\+4989' 'INVITE_REGEX=.*' 'ANSWER_REGEX=.*' 'RING=180 Ringing' 'RING_MS=0' 'RTP_PORT=[media_port]' 'REFER_CSEQ=7'
    'REFER_RESPONSE_REGEX=.*' "HOLD_MS=$hold_ms")
  fill uas_answers.xml "${common[@]}" >"$work/target.xml"
  fill uas_refers.xml "${common[@]}" "REFER_CODE=202" \
    "REFER_HEADERS=      Refer-To: <sip:+4930123456@$domain>
      Referred-By: <sip:$did@$domain>" \
    "AFTER_REFER=$(notify 1 active 'SIP/2.0 100 Trying')$(notify 2 active 'SIP/2.0 180 Ringing')$(notify 3 'terminated;reason=noresource' 'SIP/2.0 200 OK')" \
    "ENDING=$(fill ending_bye_received.xml)" >"$work/endpoint.xml"
  fill caller_transferred.xml "${common[@]}" >"$work/caller.xml"
  # The REFER decided inside Signaling, as a pushed rule would decide it: a Refer-To host that is not the trunk's
  # domain is refused 403 by its own checks, without the bus; then the endpoint hangs up and the caller gets the BYE.
  fill uas_refers.xml "${common[@]}" "REFER_CODE=403" "REFER_HEADERS=      Refer-To: <sip:+4930123456@elsewhere.example>"     "AFTER_REFER=" "ENDING=$(fill ending_sends_bye.xml)" >"$work/endpoint-local.xml"
  fill caller_waits_for_bye.xml "${common[@]}" >"$work/caller-local.xml"
}

cpu_ticks() { # pids... -> user+system ticks of all
  local total=0 p
  for p in "$@"; do total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done
  echo "$total"
}
hz=$(getconf CLK_TCK)
# Where the CPU of a step goes: user+system ticks of each service (in start order), of PostgreSQL's processes, of
# RabbitMQ's Erlang VM, and of the whole machine (every busy tick in /proc/stat, SIPp and anything else included);
# then PostgreSQL's backends by the service that holds their connection (pg_cpu_by_service.py).
cpu_groups() {
  local names=(Policy Transfer CallHistory Signaling) i=0 p
  local owners=()
  for p in "${pids[@]}"; do echo "${names[$i]} $(cpu_ticks "$p")"; owners+=("${names[$i]}=$p"); i=$((i + 1)); done
  # shellcheck disable=SC2046
  echo "postgres $(cpu_ticks $(pgrep -x postgres))"
  # shellcheck disable=SC2046
  echo "rabbitmq $(cpu_ticks $(pgrep -f beam.smp))"
  echo "machine $(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat)"
  PGPASSWORD=$TRUNK_DB_PASSWORD python3 "$here/pg_cpu_by_service.py" "$database" "${owners[@]}" || true
}
# cpu_per_transfer BEFORE AFTER COMPLETED -> "Signaling 12.3 ... machine 80.1" (CPU ms per completed transfer)
cpu_per_transfer() {
  awk -v hz="$hz" -v n="$3" 'NR == FNR { before[$1] = $2; next } { printf "%s %.1f ", $1, ($2 - before[$1]) * 1000 / hz / (n > 0 ? n : 1) }' "$1" "$2"
}

scrape_lag() { # FILE: every service's Prometheus metrics, one after the other
  local port
  for port in $sig_http $transfer_http $policy_http $history_http; do curl -fsS "http://127.0.0.1:$port/metrics" || true; done >"$1"
}

# run NAME RATE CALLS [SUFFIX] -> prints "ok failed tps cpu load refer_answer(p50 p99 max n) refer_invite(...) answer_notify(...)";
# SUFFIX "-local" runs the locally refused REFERs (no target).
run() {
  local name=$1 rate=$2 calls=$3 suffix=${4:-} timeout=$(( $3 / $2 + 60 ))
  # A call stuck on a lost message fails after 15 s instead of holding a place (-l) until the end.
  local sipp_common=(-i 127.0.0.1 -m "$calls" -l $(( rate * 30 )) -recv_timeout 15000 -buff_size 8388608 -timeout "${timeout}s" -timeout_error
    -nostdin -trace_err)
  local target=""
  if [ -z "$suffix" ]; then
    sipp -sf "$work/target.xml" -p $target_port "${sipp_common[@]}" -error_file "$work/$name-target.err" >"$work/$name-target.out" 2>&1 &
    target=$!
  fi
  sipp -sf "$work/endpoint$suffix.xml" -p $endpoint_port "${sipp_common[@]}" -error_file "$work/$name-endpoint.err" >"$work/$name-endpoint.out" 2>&1 &
  local endpoint=$!
  local cap="$work/$name.pcap"
  dumpcap -q -P -i lo -f "udp port $sig_port" -B 64 -w "$cap" 2>"$work/dumpcap.err" &
  local dumper=$!
  sleep 2
  local load0 t0 c0 t1 c1
  scrape_lag "$work/$name-before.prom"
  load0=$(cut -d' ' -f1 /proc/loadavg); t0=$(date +%s.%N); c0=$(cpu_ticks "${pids[@]}"); cpu_groups >"$work/$name-cpu-before.txt"
  sipp -sf "$work/caller$suffix.xml" -s "$did" "127.0.0.1:$sig_port" -p $caller_port -r "$rate" "${sipp_common[@]}" \
    -error_file "$work/$name-caller.err" >"$work/$name-caller.out" 2>&1 || true
  t1=$(date +%s.%N); c1=$(cpu_ticks "${pids[@]}"); cpu_groups >"$work/$name-cpu-after.txt"
  echo "$t0 $t1" >"$work/$name-window"
  wait "$endpoint" 2>/dev/null || true; [ -z "$target" ] || wait "$target" 2>/dev/null || true
  scrape_lag "$work/$name-after.prom"
  python3 "$here/transfers_latency.py" --lag "$work/$name-before.prom" "$work/$name-after.prom" >"$work/$name-lag.txt" || true
  python3 "$here/transfers_latency.py" --handling "$work/$name-before.prom" "$work/$name-after.prom" >"$work/$name-handling.txt" || true
  sleep 1; pkill -INT -P "$dumper" 2>/dev/null || true; kill -INT "$dumper" 2>/dev/null || true; wait "$dumper" 2>/dev/null || true
  local ok bad bad_endpoint bad_target wall tps cpu
  ok=$(grep -E 'Successful call' "$work/$name-caller.out" | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')
  bad=$(grep -E 'Failed call' "$work/$name-caller.out" | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')
  bad_endpoint=$(grep -E 'Failed call' "$work/$name-endpoint.out" | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')
  bad_target=$(grep -sE 'Failed call' "$work/$name-target.out" | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')
  # Transfers per second: completed calls over the time the caller offered them (the last call's set-up and hold excluded).
  wall=$(echo "$t1 - $t0 - $hold_ms / 1000 - 1" | bc -l)
  tps=$(echo "${ok:-0} / $wall" | bc -l | xargs printf '%.0f')
  cpu=$(echo "($c1 - $c0) / $hz / ($t1 - $t0)" | bc -l | xargs printf '%.2f')
  cpu_per_transfer "$work/$name-cpu-before.txt" "$work/$name-cpu-after.txt" "${ok:-0}" >"$work/$name-cpu.txt"
  local latency
  latency=$(python3 "$here/transfers_latency.py" "$cap" $sig_port $endpoint_port $target_port | awk '{printf "%s %s %s %s ", $2, $3, $4, $5}')
  [ "${KEEP_CAPTURES:-0}" = 1 ] || rm -f "$cap"
  echo "${ok:-0} $(( ${bad:-0} + ${bad_endpoint:-0} + ${bad_target:-0} )) $tps $cpu $load0 $latency"
}

rows=""; local_rows=""; cpu_rows=""
for variant in $variants; do
  echo "== variant $variant"
  start_trunk "$variant"
  write_scenarios
  # A few transfers first: the hosts' code paths are compiled (the first REFERs of fresh hosts can miss Signaling's
  # 2 s decision deadline), caches fill, the DID's trunk is cached. The second round must pass.
  run "$variant-cold" 2 10 >/dev/null
  read -r ok bad _ <<<"$(run "$variant-warmup" 5 20)"
  [ "$bad" = 0 ] && [ "$ok" = 20 ] || echo "warning: warm-up transfers failed ($ok ok, $bad failed; see $work/$variant-warmup-*.err)"
  for rate in $rates; do
    read -r ok bad tps cpu load ra_50 ra_99 ra_max ra_n ri_50 ri_99 ri_max ri_n an_50 an_99 an_max an_n \
      <<<"$(run "$variant-$rate" "$rate" $(( rate * duration )))"
    echo "$variant $rate/s: $ok ok, $bad failed, $tps transfers/s, CPU $cpu, REFER->202 p50 $ra_50 p99 $ra_99 max $ra_max ($ra_n)," \
      "REFER->INVITE p50 $ri_50 p99 $ri_99 max $ri_max ($ri_n), 200->NOTIFY 200 p50 $an_50 p99 $an_99 max $an_max ($an_n), load $load"
    echo "  bus consumer lag (ms, count) per message type:" $(tr '\n' ';' <"$work/$variant-$rate-lag.txt")
    echo "  handling time (ms, count) per service:message type:" $(tr '\n' ';' <"$work/$variant-$rate-handling.txt")
    echo "  CPU ms per completed transfer: $(cat "$work/$variant-$rate-cpu.txt")"
    cpu_rows+="| $variant | $rate | $(sed -E 's/[A-Za-z-]+ //g; s/ +$//; s/ / | /g' "$work/$variant-$rate-cpu.txt") |"$'\n'
    rows+="| $variant | $rate | $ok | $bad | $tps | $ra_50 | $ra_99 | $ri_50 | $ri_99 | $an_50 | $an_99 | $cpu | $load |"$'\n'
    # The same load of REFERs decided inside Signaling, right after, on the same hosts.
    read -r ok bad tps cpu load ra_50 ra_99 ra_max ra_n _ <<<"$(run "$variant-$rate-local" "$rate" $(( rate * duration / 2 )) -local)"
    echo "$variant $rate/s REFER decided locally: $ok ok, $bad failed, REFER->403 p50 $ra_50 p99 $ra_99 max $ra_max ($ra_n), load $load"
    local_rows+="| $variant | $rate | $ok | $bad | $ra_50 | $ra_99 | $ra_max | $cpu | $load |"$'\n'
  done
  stop_services
done

cat >"$out" <<MD
| variant | offered transfers/s | completed | failed | completed transfers/s | REFER→202 p50 (ms) | p99 | REFER→target INVITE p50 (ms) | p99 | target 200→NOTIFY 200 p50 (ms) | p99 | services' CPU (cores) | load average (1 min) at start |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
$rows
REFERs decided inside Signaling (403, Refer-To host not the trunk's domain), same hosts, same rate, half the duration:

| variant | offered REFERs/s | completed | failed | REFER→403 p50 (ms) | p99 | max | services' CPU (cores) | load average (1 min) at start |
|---|---|---|---|---|---|---|---|---|
$local_rows
CPU milliseconds per completed transfer during each step (the machine column counts every busy tick: SIPp, the capture
and anything else running; two cores give 2,000 ms per second):

| variant | offered transfers/s | Policy | Transfer | CallHistory | Signaling | PostgreSQL | RabbitMQ | machine | PostgreSQL for Policy | for Transfer | for CallHistory | for Signaling |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
$cpu_rows
MD
cat "$out"
echo "logs and SIPp output in $work"
