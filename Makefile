# gongkai — top-level commands. Each target installs the Debian packages it needs, then configures and builds.
#   make demo    the main job on the bundled example reports
#   make test    every test (unit, service, CLI), as CI runs it
#   make bench   the benchmarks whose figures BENCHMARKS.md records
#   make fuzz    every libFuzzer target for 10 minutes (scripts/fuzz.sh)

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# What builds the binaries (the container image installs the same list), plus what the tests and benchmarks use.
DEB_PACKAGES := $(shell grep -v '^\#' deploy/build-packages.txt) \
  libgtest-dev libgmock-dev libbenchmark-dev python3-grpcio python3-grpc-tools python3-yaml openssl

.PHONY: all deps configure build test fuzz demo bench clean

all: build

deps:
	@./scripts/install-deps.sh $(DEB_PACKAGES)
	@command -v kubectl >/dev/null || ./scripts/install-deps.sh kubernetes-client  # renders the overlays in tests

configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)
	FUZZ_SEED=1 ./scripts/fuzz.sh 20   # each libFuzzer target briefly on its seeds (ASan + UBSan); `make fuzz` runs longer

fuzz: build
	./scripts/fuzz.sh 600

demo: build
	@./scripts/demo.sh $(BUILD_DIR)

bench: build
	$(BUILD_DIR)/bench/parse_bench
	$(BUILD_DIR)/bench/validate_bench
	$(BUILD_DIR)/bench/aggregate_bench
	$(BUILD_DIR)/bench/e2e_bench 10000

clean:
	rm -rf $(BUILD_DIR)
