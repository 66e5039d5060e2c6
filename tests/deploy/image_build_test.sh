#!/usr/bin/env bash
# The container image's build, checked without a container engine: the Dockerfile's stages are what
# deploy/README.md says, its build stage runs deploy/build-release.sh, and this test runs that same script
# here (install packages, Release build, install), then checks that every library the installed binaries
# load comes from deploy/runtime-packages.txt or what apt installs with them, and that the installed
# service starts and serves as the image's user (uid 10001) on loopback.
# Usage: image_build_test.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src=$(cd "$1" && pwd); work="$2"
fail() { echo "FAIL: $*"; exit 1; }
dockerfile="$src/deploy/Dockerfile"

# The Dockerfile itself.
grep -q '^FROM debian:12 AS build$' "$dockerfile" || fail "the build stage is not Debian 12"
grep -q '^FROM debian:12-slim AS run$' "$dockerfile" || fail "the run stage is not Debian 12 slim"
grep -q '^RUN deploy/build-release.sh /src /build /out$' "$dockerfile" || fail "the build stage does not run deploy/build-release.sh"
grep -q "deploy/build-packages.txt" "$dockerfile" || fail "the build stage does not install deploy/build-packages.txt"
grep -q "runtime-packages.txt" "$dockerfile" || fail "the run stage does not install deploy/runtime-packages.txt"
user=$(awk '/^FROM .* AS run$/{run=1} run && /^USER /{print $2}' "$dockerfile")
[ -n "$user" ] && [ "${user%%:*}" != "0" ] && [ "${user%%:*}" != "root" ] || fail "the run stage does not switch to a non-root user"
uid=${user%%:*}
runtime=$(grep -v '^#' "$src/deploy/runtime-packages.txt" | tr -s ' \n' ' ')
for pkg in $runtime; do
  case "$pkg" in *-dev) fail "runtime package $pkg is a -dev package";; esac
  apt-cache show "$pkg" >/dev/null 2>&1 || fail "runtime package $pkg does not exist in Debian 12"
done

# The same build steps as the image's build stage.
rm -rf "$work"
mkdir -p "$work"
"$src/deploy/build-release.sh" "$src" "$work/build" "$work/out"
bins=(gongkai gongkai-parser gongkai-validator gongkai-aggregator gongkai-gateway)
for b in "${bins[@]}"; do [ -x "$work/out/bin/$b" ] || fail "$b was not installed"; done

# Every library they load comes from the runtime packages or their dependencies.
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
  --no-enhances $runtime 2>/dev/null | grep -v '^ ' | sed 's/:amd64$//' | sort -u)
needed=$(for b in "${bins[@]}"; do ldd "$work/out/bin/$b"; done | awk '/=>/ {print $3}' | sort -u)
for lib in $needed; do
  pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null || dpkg -S "$(realpath "$lib")" 2>/dev/null || true)
  pkg=${pkg%%:*}
  [ -n "$pkg" ] || fail "$lib belongs to no Debian package"
  grep -qx "$pkg" <<<"$closure" || fail "$lib (package $pkg) is not brought by deploy/runtime-packages.txt"
done
echo "runtime libraries: $(wc -w <<<"$needed") libraries, all from deploy/runtime-packages.txt and its dependencies"

# The installed parser starts and serves as the image's user, with nothing to write.
run_as=()
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  run_as=(setpriv --reuid "$uid" --regid "${user##*:}" --clear-groups)
fi
port=$(( 20000 + RANDOM % 20000 ))
# A copy in a folder the image's user can reach, wherever this checkout lives (it may be under /root).
run_dir=$(mktemp -d)
chmod 755 "$run_dir"
cp "$work/out/bin/gongkai-parser" "$run_dir/"
(cd / && exec "${run_as[@]}" "$run_dir/gongkai-parser" --address "127.0.0.1:$port" --drain_seconds 0 2>"$work/parser.log") &
pid=$!
for _ in $(seq 100); do grep -q '"serving"' "$work/parser.log" 2>/dev/null && break; sleep 0.1; done
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
grep -q '"serving"' "$work/parser.log" || { cat "$work/parser.log"; fail "the installed parser did not start"; }
echo "ok: the image's build steps build, install and run here${run_as:+ as uid $uid}"
rm -rf "$work" "$run_dir"
