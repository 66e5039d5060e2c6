#!/usr/bin/env bash
# The main job on the bundled example reports: the four services started on loopback ports, the reports
# submitted to the gateway as one job, parsed and checked by the replicas, added up by the aggregator,
# and the exports written to gongkai-summary/.
set -uo pipefail
build="${1:-build}"
cd "$(dirname "$0")/.."
g="$build/tools/gongkai/gongkai"
out="${GONGKAI_DEMO_OUT:-gongkai-summary}"
rm -f "$out/jobs.sqlite" "$out/jobs.sqlite-wal" "$out/jobs.sqlite-shm"
echo "== gongkai local tests/data/reports --out $out"
"$g" local --out "$out" tests/data/reports || exit 1
echo
echo "== findings by report (gongkai check tests/data/reports)"
"$g" check tests/data/reports
rc=$?
echo "(check exit $rc: 0 no ERROR, 1 a report has an ERROR, 2 bad usage or unreadable file)"
echo "Open $out/summary.html in a browser, or $out/summary.xlsx in a spreadsheet."
[ "$rc" -le 1 ]
