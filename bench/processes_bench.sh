#!/usr/bin/env bash
# A batch through the four service binaries as separate processes on loopback, as they run in a cluster:
# generates N reports (gongkai gen-corpus, every layout), runs `gongkai batch`, and prints the wall time,
# reports per second and each process's peak resident memory (VmHWM from /proc), the CLI's included.
# Usage: bench/processes_bench.sh [N=10000] [BUILD_DIR=build] [REGION=23 (one province; "" for the whole country)]
set -euo pipefail
n="${1:-10000}"; build="${2:-build}"; region="${3-23}"
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
source "$root/tests/testing/services.sh"
bin() { echo "$build/services/$1/gongkai-$1"; }
"$build/tools/gongkai/gongkai" gen-corpus --reports "$n" --seed 1 ${region:+--region "$region"} --out "$work/corpus" >/dev/null
bytes=$(du -sb "$work/corpus/reports" | cut -f1)
start parser "$(bin parser)" "$base"
start validator "$(bin validator)" $((base + 1))
start aggregator "$(bin aggregator)" $((base + 2))
start gateway "$(bin gateway)" $((base + 3)) --parser "ipv4:127.0.0.1:$base" --validator "ipv4:127.0.0.1:$((base + 1))" \
  --aggregator "127.0.0.1:$((base + 2))" --store "$work/jobs.sqlite"
names=(parser validator aggregator gateway)
t0=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/cli.rss" "$build/tools/gongkai/gongkai" batch --gateway "127.0.0.1:$((base + 3))" \
  --out "$work/out" "$work/corpus/reports" >"$work/batch.out" 2>&1 || { tail -20 "$work/batch.out"; exit 1; }
t1=$(date +%s.%N)
secs=$(echo "$t1 - $t0" | bc)
printf 'batch of %d reports (%.1f MB, all eight layouts, region %s) through four processes: %.1f s, %.0f reports/s\n' \
  "$n" "$(echo "$bytes / 1048576" | bc -l)" "${region:-all}" "$secs" "$(echo "$n / $secs" | bc -l)"
for i in "${!names[@]}"; do
  printf '  peak RSS %-10s %7.1f MB\n' "${names[$i]}" "$(awk '/VmHWM/ {print $2 / 1024}' "/proc/${pids[$i]}/status")"
done
printf '  peak RSS %-10s %7.1f MB\n' "gongkai" "$(echo "$(cat "$work/cli.rss") / 1024" | bc -l)"
grep -E '^(reports|  )' "$work/batch.out" | head -3 || true
