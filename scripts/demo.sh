#!/usr/bin/env bash
# The main job on the bundled example reports: read the five seed reports and check them.
set -uo pipefail
build="${1:-build}"
cd "$(dirname "$0")/.."
g="$build/tools/gongkai/gongkai"
echo "== gongkai check tests/data/reports   (findings by report, with file:line:column)"
"$g" check tests/data/reports
rc=$?
echo "(exit $rc: 0 no ERROR, 1 a report has an ERROR, 2 bad usage or unreadable file)"
echo
echo "== gongkai parse --cells tests/data/reports/seed_002.txt | head   (one line per canonical cell)"
"$g" parse --cells tests/data/reports/seed_002.txt 2>/dev/null | head -n 14
[ "$rc" -le 1 ]
