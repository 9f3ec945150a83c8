#!/usr/bin/env bash
# Smoke test of dunlin-bench (a ctest test, not a benchmark): starts an in-memory dunlin on a
# port the kernel picks, creates and loads a small table, then runs a few hundred requests of
# every workload, closed and open loop (--rate), each of which must exit 0 and report zero errors.
# Usage: bench/smoke_test.sh path/to/dunlin path/to/dunlin-bench
set -uo pipefail
dunlin=$1
bench=$2
workdir=$(mktemp -d)
server=
cleanup() {
  if [[ -n $server ]]; then
    kill "$server" 2>/dev/null
    wait "$server" 2>/dev/null
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

# Port 0: dunlin logs "dunlin listening on HOST:PORT" once it is bound.
"$dunlin" serve --in-memory --listen 127.0.0.1:0 --threads 1 --log-level info \
  >"$workdir/server.log" 2>&1 &
server=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*dunlin listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$workdir/server.log")
  [[ -n $port ]] && break
  sleep 0.05
done
if [[ -z $port ]]; then
  echo "dunlin did not start:" >&2
  cat "$workdir/server.log" >&2
  exit 1
fi

common=(--endpoint "http://127.0.0.1:$port" --table bench-smoke --keys 200 --counters 4
  --connections 2 --in-flight 4 --warmup 0 --timeout-ms 5000)

failed=0
run() {
  local name=$1
  shift
  local out
  out=$("$bench" "${common[@]}" "$@" 2>"$workdir/stderr")
  local status=$?
  if [[ $status -ne 0 ]]; then
    echo "FAIL $name: exit status $status" >&2
    cat "$workdir/stderr" >&2
    failed=1
    return
  fi
  if [[ $* == *--json* ]] && ! grep -q '"errors":0,' <<<"$out"; then
    echo "FAIL $name: errors reported: $out" >&2
    failed=1
    return
  fi
  # Open loop: a request left unwritten or unanswered at the end shows up as a late error.
  if [[ $* == *--rate* ]] && ! grep -q '"loop":"open".*"errors_all_phases":0,' <<<"$out"; then
    echo "FAIL $name: not an open-loop report without errors: $out" >&2
    failed=1
    return
  fi
  echo "ok   $name: ${out:-$(tail -1 "$workdir/stderr")}"
}

run setup --create-table --load --workload none
for workload in put get mix query scan; do
  run "$workload" --workload "$workload" --requests 300 --json --strict
done
# One transaction at a time: concurrent ones over this small key space would meet each other's
# items and be cancelled (TransactionConflict), as DynamoDB cancels them.
run transact --workload transact --in-flight 1 --connections 1 --requests 300 --json --strict
run update --workload update --requests 300 --check --json --strict
# The indexed table (bench-smoke-gsi, two global secondary indexes): prepared alone, then put into.
run put-gsi-setup --workload put-gsi --create-table --load --setup-only
run put-gsi --workload put-gsi --requests 300 --json --strict
# The streamed table (bench-smoke-stream, a NEW_AND_OLD_IMAGES stream): prepared, put into, and
# the time from a write to its record measured; --strict fails stream-lag unless every
# acknowledged write shows exactly one record.
run put-stream-setup --workload put-stream --create-table --load --setup-only
run put-stream --workload put-stream --requests 300 --json --strict
lag=$("$bench" "${common[@]}" --workload stream-lag --rate 200 --warmup 0.2 --duration 0.5 --json \
  --strict 2>"$workdir/stderr")
lag_status=$?
one_record_per_write='"writes":\([0-9]*\),"write_errors":0,"records":\1,"missing":0,'
one_record_per_write+='"duplicates":0,"unexpected":0,'
if [[ $lag_status -ne 0 ]] || grep -q '"writes":0,' <<<"$lag" ||
  ! grep -q "$one_record_per_write" <<<"$lag"; then
  echo "FAIL stream-lag: not one record per write: $lag $(cat "$workdir/stderr")" >&2
  failed=1
else
  echo "ok   stream-lag: $lag"
fi
# Pipelining: more requests in flight than connections, on two threads.
run pipelined --workload get --threads 2 --connections 2 --in-flight 16 --requests 400 --json \
  --strict
# A time-bounded run with a warm-up.
run timed --workload mix --warmup 0.2 --duration 0.5 --json --strict
# Open loop: a few hundred requests at a fixed, modest rate (two pipelining slots per
# connection), by count and by time.
run rate --workload get --rate 500 --requests 300 --json --strict
run rate-timed --workload put --rate 400 --warmup 0.2 --duration 0.5 --json --strict
# refused NAME PATTERN ARGS...: dunlin-bench with ARGS must fail, saying PATTERN.
refused() {
  local name=$1 pattern=$2
  shift 2
  if "$bench" "${common[@]}" "$@" 2>"$workdir/stderr" >/dev/null; then
    echo "FAIL $name: accepted" >&2
    failed=1
  elif ! grep -q "$pattern" "$workdir/stderr"; then
    echo "FAIL $name: unexpected message: $(cat "$workdir/stderr")" >&2
    failed=1
  else
    echo "ok   $name refused"
  fi
}
# A missing table is refused before any load starts.
refused "missing table" "does not exist" --table no-such-table --workload get --requests 10
# put-gsi refuses a table without its indexes (here the plain one).
refused "table without indexes for put-gsi" "is not the indexed table" --workload put-gsi \
  --gsi-table bench-smoke --requests 10
# put-stream and stream-lag refuse a table without a stream (here the plain one).
for workload in put-stream stream-lag; do
  refused "table without a stream for $workload" "is not the streamed table" \
    --workload "$workload" --stream-table bench-smoke --requests 10
done
exit $failed
