#!/usr/bin/env bash
# CallHistory retention: the pruner's statements (services/CallHistory/Retention/CallHistoryPruner.cs, copied here) on a
# scratch schema shaped like CallHistory's (tables copied from the schema `callhistory` with their indexes) holding
# CALLS calls of 12 events each, started evenly over the last 100 days (10 % of them past the 90-day retention, 1 in
# 100 of those without a summary). Prints the plans and times of: the first dated and undated selections, one batch's
# delete transaction (500 calls), and both selections once nothing is left to delete (the cost of every 10-min run).
# Run under `flock /tmp/trunk-bench.lock`; needs the schema `callhistory` (start CallHistory once).
set -euo pipefail
CALLS=${CALLS:-50000}
S=bench_retention
export PGPASSWORD=${PGPASSWORD:-trunk}
psql() { command psql -h 127.0.0.1 -U trunk -d trunk -v ON_ERROR_STOP=1 -q "$@"; }
psql <<SQL
drop schema if exists $S cascade;
create schema $S;
create table $S.mt_streams (like callhistory.mt_streams including all);
create table $S.mt_events (like callhistory.mt_events including all);
alter table $S.mt_events add foreign key (stream_id) references $S.mt_streams(id) on delete cascade;
create table $S.mt_doc_callsummary (like callhistory.mt_doc_callsummary including all);
create table $S.mt_doc_calloutcome (like callhistory.mt_doc_calloutcome including all);
create table $S.mt_event_progression (like callhistory.mt_event_progression including all);
create temp table calls as
  select k, md5(k::text)::uuid as id, now() - interval '100 days' + k * (interval '100 days' / $CALLS) as started
  from generate_series(0, $CALLS - 1) as k;
insert into $S.mt_streams (id, version, timestamp, created) select id, 12, started, started from calls;
insert into $S.mt_events (seq_id, id, stream_id, version, data, type, timestamp)
  select k * 12 + j, gen_random_uuid(), id, j,
         jsonb_build_object('CallId', id, 'At', started + j * interval '1 s', 'Padding', repeat('x', 300)), 'call_event', started + j * interval '1 s'
  from calls, generate_series(1, 12) as j;
insert into $S.mt_doc_callsummary (id, data, started_at) select id, jsonb_build_object('Id', id, 'Padding', repeat('y', 1500)), started from calls where k % 1000 <> 0;
insert into $S.mt_doc_calloutcome (id, data, started_at) select id, jsonb_build_object('Id', id), started from calls where k % 1000 <> 0;
insert into $S.mt_event_progression (name, last_seq_id) values ('HangupAnalysis:All', (select max(seq_id) from $S.mt_events));
vacuum analyze $S.mt_streams, $S.mt_events, $S.mt_doc_callsummary, $S.mt_doc_calloutcome;
SQL
cutoff="now() - interval '90 days'"
floor="(select min(last_seq_id) from $S.mt_event_progression where name like 'HangupAnalysis:%')"
dated="select d.id from $S.mt_doc_callsummary d where d.started_at < $cutoff and not exists (select 1 from $S.mt_events e where e.stream_id = d.id and e.seq_id > $floor) order by d.started_at limit 500"
bound() { psql -At -c "select least(coalesce((select min(seq_id) from $S.mt_events where timestamp >= $cutoff), 9223372036854775807), $floor + 1)"; }
undated() { echo "select distinct o.stream_id from (select e.stream_id from $S.mt_events e where e.seq_id < $(bound) order by e.seq_id limit 50000) o where o.stream_id is not null and not exists (select 1 from $S.mt_doc_callsummary d where d.id = o.stream_id and d.started_at is not null) and not exists (select 1 from $S.mt_events later where later.stream_id = o.stream_id and later.seq_id > $floor) limit 500"; }
first_stored_after="select min(seq_id) from $S.mt_events where timestamp >= $cutoff"
explain() { echo "### $1"; psql -c "explain (analyze, buffers, costs off, timing off, summary on) $2" | grep -E 'Execution Time|Scan|Limit|Unique|Anti|Sort' | sed 's/^/    /'; }
delete_batch() {
  psql <<SQL
\timing on
begin;
create temp table batch on commit drop as $dated;
delete from $S.mt_events where stream_id in (select id from batch);
delete from $S.mt_streams where id in (select id from batch);
delete from $S.mt_doc_callsummary where id in (select id from batch);
delete from $S.mt_doc_calloutcome where id in (select id from batch);
commit;
SQL
}
echo "calls $CALLS, events $((CALLS * 12)); load $(cut -d' ' -f1 /proc/loadavg); $(date -u +%FT%TZ)"
explain "first dated selection" "$dated"
explain "first undated selection" "$(undated)"
echo "### one batch's delete transaction (500 calls, 6,000 events)"; delete_batch | grep -E '^Time' | sed 's/^/    /'
psql -c "delete from $S.mt_doc_calloutcome o using $S.mt_doc_callsummary d where o.id = d.id and d.started_at < $cutoff" \
     -c "delete from $S.mt_streams s using $S.mt_doc_callsummary d where s.id = d.id and d.started_at < $cutoff" \
     -c "delete from $S.mt_doc_callsummary where started_at < $cutoff"
explain "first event stored after the cutoff (the undated selection's bound)" "$first_stored_after"
explain "undated selection once the dated calls are gone" "$(undated)"
psql -c "delete from $S.mt_streams where id in ($(undated))"
explain "dated selection, nothing left (every 10 min)" "$dated"
explain "first event stored after the cutoff, nothing left" "$first_stored_after"
explain "undated selection, nothing left (every 10 min)" "$(undated)"
echo "load $(cut -d' ' -f1 /proc/loadavg)"
psql -c "drop schema $S cascade"
