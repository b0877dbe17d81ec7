# The README's entry points. Each target installs what is missing first (scripts/bootstrap).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
DEBUG_DIR := build/debug
ASAN_DIR := build/asan
CMAKE_GEN := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: run test test-debug test-asan bench fmt sql build-release build-debug build-asan bootstrap timescaledb test-tools clean

bootstrap:
	@scripts/bootstrap

## test-tools: the test-only tools from npm (the Parquet readers of tests/parquet/readers).
test-tools: bootstrap
	@scripts/test-tools

## timescaledb: the extension for the second backend of the suite, if installed or buildable from
## TIMESCALEDB_SOURCE (a source tarball; .ci/run names the shared one). Absent, the TimescaleDB
## tests are reported skipped, and this prints how to enable them.
timescaledb: bootstrap
	@scripts/timescaledb ensure || [ $$? -eq 3 ]

build-release: bootstrap
	@cmake -S . -B $(RELEASE_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target dataplane

build-debug: bootstrap
	@cmake -S . -B $(DEBUG_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(DEBUG_DIR) -j $(JOBS)

## run: the embedded default — private PostgreSQL under ./var, Local API on :18000, demo workload.
run: build-release
	$(RELEASE_DIR)/dataplane up $(ARGS)

build-asan: bootstrap
	@cmake -S . -B $(ASAN_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DDATAPLANE_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)

## test: builds (Debug, assertions on) and runs the whole suite against its own PostgreSQL,
## then the same suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
test: test-debug test-asan

test-debug: build-debug timescaledb test-tools
	cd $(DEBUG_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

test-asan: build-asan timescaledb test-tools
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 900

## bench: load scenarios (see bench/README.md); BACKEND=postgres|timescaledb (default: the first
## installed of timescaledb, postgres).
bench: build-release timescaledb
	BACKEND=$(BACKEND) bench/run

fmt: bootstrap
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

## sql: regenerates database/sql/*.sql (the seed's psql path) from database/sql/parts; the test
## sql_files_match_parts fails until this has been run after a fragment changed.
sql:
	@cmake -DPARTS=database/sql/parts -DOUT=database/sql -P database/assemble_sql.cmake

clean:
	rm -rf build
