#!/usr/bin/env bash
# The image's build steps: install the build packages, configure a Release build without tests or
# benchmarks, build the four service binaries and the CLI, and install them into PREFIX/bin.
# The Dockerfile runs exactly this; CI runs it too (tests/deploy/image_build_test.sh), since no container
# engine runs there.
# Usage: deploy/build-release.sh SOURCE_DIR BUILD_DIR PREFIX
set -euo pipefail
src=$(cd "$1" && pwd); build="$2"; prefix="$3"
"$src/scripts/install-deps.sh" $(grep -v '^#' "$src/deploy/build-packages.txt")
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGONGKAI_BUILD_TESTS=OFF -DGONGKAI_BUILD_BENCHMARKS=OFF
cmake --build "$build" --target gongkai gongkai-parser gongkai-validator gongkai-aggregator gongkai-gateway
cmake --install "$build" --prefix "$prefix" --strip
