#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, AddressSanitizer and UndefinedBehaviorSanitizer (in build-fuzz/),
# prepares seed corpora, and runs each target for SECONDS (default 60), two at a time. A crash, leak or UB
# report fails the run; its input is kept in build-fuzz/crashes/TARGET/ and must become a regression test.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   `make test` runs it briefly with FUZZ_SEED=1 (reproducible); the recorded long runs are `scripts/fuzz.sh 600`.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_parser_txt fuzz_parser_html fuzz_parser_docx fuzz_parser_pdf fuzz_validator)
./scripts/install-deps.sh clang libclang-rt-14-dev
out=build-fuzz
if [ ! -f "$out/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGONGKAI_BUILD_TESTS=OFF \
    -DGONGKAI_BUILD_BENCHMARKS=OFF -DGONGKAI_BUILD_FUZZERS=ON >/dev/null
fi
cmake --build "$out" --target "${targets[@]}"

# Seeds: the bundled reports, and generated reports in every layout (the main build's gongkai makes them).
seeds="$out/seeds"
if [ ! -d "$seeds/txt" ]; then
  gongkai=build/tools/gongkai/gongkai
  [ -x "$gongkai" ] || { cmake -S . -B build -G Ninja >/dev/null && cmake --build build --target gongkai; }
  rm -rf "$seeds" "$out/gen"
  "$gongkai" gen-corpus --reports 70 --seed 11 --error-share 0.3 --out "$out/gen" >/dev/null
  mkdir -p "$seeds"/{txt,html,docx,pdf,validator}
  cp tests/data/reports/* "$out"/gen/reports/*.txt "$out"/gen/reports/*.md "$seeds/txt/"
  cp "$out"/gen/reports/*.html "$seeds/html/"
  cp "$out"/gen/reports/*.docx "$seeds/docx/"
  # PDFs: generated ones, and the peers' real reports, read in place when ../shared is there.
  cp "$out"/gen/reports/*.pdf "$seeds/pdf/"
  if ls ../shared/corpus/peers/*.pdf >/dev/null 2>&1; then cp ../shared/corpus/peers/*.pdf "$seeds/pdf/"; fi
  cp tests/data/reports/* "$seeds/validator/"
fi

status=0
kind_of() {  # target -> its seeds' and regressions' name: txt, html, docx, pdf or validator
  if [ "$1" = fuzz_validator ]; then echo validator; else echo "${1#fuzz_parser_}"; fi
}
# Every input that once crashed a target runs again first (tests/fuzz/regressions/<kind>-*).
for t in "${targets[@]}"; do
  kind=$(kind_of "$t")
  for input in tests/fuzz/regressions/"$kind"-*; do
    [ -e "$input" ] || continue
    "$out/tests/fuzz/$t" "$input" >"$out/regression.log" 2>&1 || { echo "$t: regression $input crashes again"; cat "$out/regression.log"; exit 1; }
  done
done
run() {  # target
  local t="$1" kind
  kind=$(kind_of "$1")
  local corpus="$out/corpus/$t" crashes="$out/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  local seed_flag=()
  [ -z "${FUZZ_SEED:-}" ] || seed_flag=(-seed="$FUZZ_SEED")
  if "$out/tests/fuzz/$t" "$corpus" "$seeds/$kind" "${seed_flag[@]}" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 \
       -max_len=2000000 -artifact_prefix="$crashes/" -print_final_stats=1 >"$out/$t.log" 2>&1; then
    echo "$t: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$t.log" | grep -o '[0-9]*$') runs in ${seconds}s, no crash; corpus $(ls "$corpus" | wc -l) inputs"
  else
    echo "$t: FAILED — see $out/$t.log and $crashes/"; tail -30 "$out/$t.log"; return 1
  fi
}
# Two at a time (this machine has two cores).
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[i]}" & a=$!
  if [ $((i + 1)) -lt ${#targets[@]} ]; then run "${targets[i + 1]}" & b=$!; else b=""; fi
  wait "$a" || status=1
  [ -z "$b" ] || wait "$b" || status=1
done
exit $status
