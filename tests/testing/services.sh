# Shell helpers for tests that run the service binaries on loopback (source this file).
# Sets: work (a temporary folder, removed on exit), base (a free-ish port base), pids (started processes).
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
base=$(( 20000 + RANDOM % 20000 ))

# start NAME BINARY PORT [FLAGS...]: runs the binary on 127.0.0.1:PORT, waits until it logs "serving".
start() {
  local name="$1" bin="$2" port="$3"; shift 3
  "$bin" --address "127.0.0.1:$port" --drain_seconds 0 "$@" 2>"$work/$name.log" &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q '"serving"' "$work/$name.log" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$name did not start:"; cat "$work/$name.log"; exit 1
}
