#!/usr/bin/env bash
# `gongkai parse --cells` gives the same answer in process and through a running gongkai-parser.
set -euo pipefail
gongkai="$1"; parser_bin="$2"; data="$3"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(( 20000 + RANDOM % 20000 ))
"$parser_bin" --address "127.0.0.1:$port" --drain_seconds 0 2>"$work/server.log" &
pid=$!
for _ in $(seq 50); do
  grep -q '"serving"' "$work/server.log" 2>/dev/null && break
  sleep 0.1
done
grep -q '"serving"' "$work/server.log" || { echo "parser did not start"; cat "$work/server.log"; exit 1; }
"$gongkai" parse --cells "$data"/reports/seed_*.txt >"$work/local.txt" 2>/dev/null
"$gongkai" parse --cells --parser "127.0.0.1:$port" "$data"/reports/seed_*.txt >"$work/remote.txt" 2>/dev/null
lines=$(grep -c $'\t' "$work/local.txt")
[ "$lines" -ge 1000 ] || { echo "expected >= 1000 cell lines, got $lines"; exit 1; }
diff -u "$work/local.txt" "$work/remote.txt"
# A refused document gives exit code 1 in both modes, a missing file 2.
printf '\xff\xfe\xfd' >"$work/bad.txt"
set +e
"$gongkai" parse --cells "$work/bad.txt" >/dev/null 2>&1; local_rc=$?
"$gongkai" parse --cells --parser "127.0.0.1:$port" "$work/bad.txt" >/dev/null 2>&1; remote_rc=$?
"$gongkai" parse --cells "$work/nope.txt" >/dev/null 2>&1; missing_rc=$?
set -e
[ "$local_rc" = 1 ] && [ "$remote_rc" = 1 ] && [ "$missing_rc" = 2 ] || { echo "exit codes $local_rc $remote_rc $missing_rc"; exit 1; }
# SIGTERM: the server drains and stops by itself.
kill -TERM "$pid"
wait "$pid"
grep -q '"stopped"' "$work/server.log"
echo "cli parse: local and remote agree on $lines cell lines"
