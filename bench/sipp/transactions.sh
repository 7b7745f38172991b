#!/usr/bin/env bash
# Transaction throughput of the stack's UAS (bench/Trunk.Sip.LoadUas) against several SIPp `uac`
# instances over UDP loopback. Steps up the total call rate (each step at most 20 s, bounded by
# -m and -timeout) and keeps the highest rate with 0 failed calls; writes
# bench/results/sip-transactions.md with calls/s and the CPU the UAS used.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/results/sip-transactions.md"
instances="${SIPP_INSTANCES:-4}"
seconds="${STEP_SECONDS:-8}"
rates="${RATES:-500 1000 2000 3000 4000 5000 6000 8000}"
uas_port="${UAS_PORT:-35060}"
work="$(mktemp -d)"

command -v sipp >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends sip-tester >/dev/null; }
flock /tmp/trunk-build.lock dotnet build "$root/bench/Trunk.Sip.LoadUas" -c Release -v q -nologo >/dev/null

dotnet "$root/bench/Trunk.Sip.LoadUas/bin/Release/net10.0/Trunk.Sip.LoadUas.dll" "$uas_port" "$uas_port" >"$work/uas.log" 2>&1 &
uas=$!
trap 'kill $uas 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 2

cpu_ticks() { awk '{print $14 + $15}' "/proc/$uas/stat"; }
hz=$(getconf CLK_TCK)
best_rate=0; best_cps=0; best_cpu=0; rows=""; stop="all steps passed"

for rate in $rates; do
  per=$(( rate / instances )); calls=$(( per * seconds ))
  t0=$(date +%s.%N); c0=$(cpu_ticks)
  pids=()
  for i in $(seq 1 "$instances"); do
    sipp -sn uac "127.0.0.1:$uas_port" -i 127.0.0.1 -p $(( uas_port + 10 + i )) -r "$per" -m "$calls" -d 10 \
      -buff_size 8388608 -timeout 20s -timeout_error -nostdin >"$work/sipp-$rate-$i.out" 2>&1 &
    pids+=($!)
  done
  failed=0
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  t1=$(date +%s.%N); c1=$(cpu_ticks)
  ok=0; bad=0
  for i in $(seq 1 "$instances"); do
    s=$(grep -E 'Successful call' "$work/sipp-$rate-$i.out" | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')
    f=$(grep -E 'Failed call' "$work/sipp-$rate-$i.out" | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')
    ok=$(( ok + ${s:-0} )); bad=$(( bad + ${f:-1} ))
  done
  wall=$(echo "$t1 - $t0" | bc -l)
  cps=$(echo "$ok / $wall" | bc -l | xargs printf '%.0f')
  cpu=$(echo "($c1 - $c0) / $hz / $wall" | bc -l | xargs printf '%.2f')
  echo "rate $rate/s: $ok ok, $bad failed, ${cps} calls/s achieved, UAS CPU ${cpu} cores"
  rows+="| $rate | $ok | $bad | $cps | $cpu |"$'\n'
  if [ "$failed" -ne 0 ] || [ "$bad" -ne 0 ]; then stop="failed calls at $rate calls/s offered"; break; fi
  if [ "$cps" -gt "$best_cps" ]; then best_rate=$rate; best_cps=$cps; best_cpu=$cpu; fi
  # Completed below 90 % of offered: the callers (or the shared cores) saturate; higher steps prove nothing.
  if [ $(( cps * 10 )) -lt $(( rate * 9 )) ]; then stop="completed rate fell below 90 % of offered at $rate calls/s"; break; fi
done

mkdir -p "$(dirname "$out")"
cat >"$out" <<MD
# SIP transaction throughput (UDP loopback)

Run by \`bench/sipp/transactions.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, shared by the UAS and the SIPp callers).
The stack's UAS (\`bench/Trunk.Sip.LoadUas\`: 100 Trying, 180, 200 to INVITE; 200 to BYE) answers
$instances SIPp \`uac\` instances (built-in scenario: INVITE, ACK, BYE; one call = two transactions
plus the ACK), each step lasting about $seconds s.

**Highest rate with 0 failed calls: $best_cps calls/s completed ($best_rate offered), UAS CPU $best_cpu cores.**
Stopped because: $stop.

| offered calls/s | successful | failed | completed calls/s | UAS CPU (cores) |
|---|---|---|---|---|
$rows
CPU is the UAS process's user+system time over the step's wall time (/proc/PID/stat). The SIPp
instances run on the same 2 cores, so the figure is a floor for the stack, not its ceiling alone.
MD
echo "wrote $out"
