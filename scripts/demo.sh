#!/usr/bin/env bash
# The main job on the bundled example reports: read the five seed reports into their three tables.
set -euo pipefail
build="${1:-build}"
cd "$(dirname "$0")/.."
echo "== gongkai parse tests/data/reports/seed_*.txt (readable summary, broken rows reported with their lines)"
"$build/tools/gongkai/gongkai" parse tests/data/reports/seed_*.txt
echo
echo "== gongkai parse --cells tests/data/reports/seed_000.txt | head (one line per canonical cell)"
"$build/tools/gongkai/gongkai" parse --cells tests/data/reports/seed_000.txt 2>/dev/null | head -n 14
