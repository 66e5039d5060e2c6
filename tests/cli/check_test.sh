#!/usr/bin/env bash
# gongkai check: exit codes (0 no ERROR, 1 an ERROR, 2 usage/unreadable), grouping, JSON, rule configuration.
set -uo pipefail
gongkai="$1"; data="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$gongkai" check "$data"/reports/seed_004.txt >"$work/ok.txt"; rc=$?
[ "$rc" = 0 ] || fail "a clean report: exit $rc"
grep -q '五常市五常镇人民政府 2024 v2021' "$work/ok.txt" || fail "no report header"

"$gongkai" check "$data"/reports/seed_000.txt >"$work/bad.txt"; rc=$?
[ "$rc" = 1 ] || fail "seed 000 has ERROR findings: exit $rc"
grep -q 'seed_000.txt:42:11: ERROR \[structure.shape\]' "$work/bad.txt" || fail "no located structure.shape finding"

"$gongkai" check --json "$data"/reports/seed_000.txt "$data"/reports/seed_002.txt >"$work/out.json"; rc=$?
[ "$rc" = 1 ] || fail "json: exit $rc"
[ "$(wc -l <"$work/out.json")" = 2 ] || fail "one JSON object per report"
python3 - "$work/out.json" <<'PY' || fail "JSON shape"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert rows[0]["agency"] == "铁力市铁力镇人民政府" and rows[0]["year"] == 2024 and rows[0]["version"] == "v2021"
f = [x for x in rows[0]["findings"] if x["rule"] == "t2.fee_unit"][0]
assert f["severity"] == "WARNING" and f["cells"] == ["t2.fees.amount_wan_yuan"] and f["expected"] == "万元", f
assert f["positions"][0]["line"] == 33, f
assert set(rows[0].keys()) == {"file", "agency", "year", "version", "findings"}
assert set(f.keys()) >= {"rule", "severity", "cells", "values", "expected", "message", "message_en", "positions"}
PY

printf 'overrides { rule_id: "structure.shape" disabled: true }\n' >"$work/rules.textproto"
"$gongkai" check --rules "$work/rules.textproto" "$data"/reports/seed_000.txt >"$work/cfg.txt"; rc=$?
[ "$rc" = 0 ] || fail "with structure.shape off seed 000 has no ERROR: exit $rc"
grep -q 'structure.shape' "$work/cfg.txt" && fail "a disabled rule still reported"

printf 'overrides { rule_id: "no.such" }\n' >"$work/bad.textproto"
"$gongkai" check --rules "$work/bad.textproto" "$data"/reports/seed_000.txt >/dev/null 2>"$work/err.txt"; rc=$?
[ "$rc" = 2 ] || fail "unknown rule id: exit $rc"
grep -q 'no.such' "$work/err.txt" || fail "the unknown id is not named"

"$gongkai" check "$work/missing.txt" >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] || fail "missing file: exit $rc"
"$gongkai" check --bogus x >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] || fail "bad usage: exit $rc"

"$gongkai" rules >"$work/rules.txt"; rc=$?
[ "$rc" = 0 ] || fail "rules: exit $rc"
[ "$(grep -c '^[a-z0-9_.]* *\(ERROR\|WARNING\|INFO\) ' "$work/rules.txt")" = 22 ] || fail "rules does not list 22 rules"
echo "cli check: 1 passed, 0 failed"
