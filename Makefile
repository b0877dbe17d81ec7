# The README's entry points. Each target installs what is missing first (scripts/bootstrap).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
DEBUG_DIR := build/debug
CMAKE_GEN := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: run test bench fmt build-release build-debug bootstrap clean

bootstrap:
	@scripts/bootstrap

build-release: bootstrap
	@cmake -S . -B $(RELEASE_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target dataplane

build-debug: bootstrap
	@cmake -S . -B $(DEBUG_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(DEBUG_DIR) -j $(JOBS)

## run: the embedded default — private PostgreSQL under ./var, Local API on :18000, demo workload.
run: build-release
	$(RELEASE_DIR)/dataplane up $(ARGS)

## test: builds (Debug, assertions on) and runs the whole suite against its own PostgreSQL.
test: build-debug
	cd $(DEBUG_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

## bench: load scenarios (see bench/README.md).
bench: build-release
	bench/run

fmt: bootstrap
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build
