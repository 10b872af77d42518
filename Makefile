# forecast-zoo: two commands, `make demo` and `make test`.
#
# One optimized profile (release; bench inherits it) so dependencies compile once, in a
# target folder outside the clone that builds and CI runs share.

CARGO ?= cargo
CARGO_TARGET_DIR ?= $(HOME)/.cache/forecast-zoo/target
export CARGO_TARGET_DIR
# CMake >= 3.28 for lightgbm3-sys, from the venv scripts/prereqs.sh creates.
FORECAST_ZOO_CMAKE_VENV ?= $(HOME)/.cache/forecast-zoo/cmake-venv
export FORECAST_ZOO_CMAKE_VENV
export CMAKE := $(FORECAST_ZOO_CMAKE_VENV)/bin/cmake
export PATH := $(FORECAST_ZOO_CMAKE_VENV)/bin:$(PATH)

.PHONY: all prereqs build test demo bench lint clean

all: test

## Install missing system packages (apt-get as root or with sudo; else print the command).
prereqs:
	@scripts/prereqs.sh

## Release build of the library and the `forecast-zoo` binary.
build: prereqs
	$(CARGO) build --release

## Every workspace test (release profile), then build the benches without running them.
test: prereqs
	$(CARGO) test --workspace --release --no-fail-fast
	$(CARGO) build --workspace --release --benches

## Backtest every registered model on the bundled dataset, print the leaderboard, plot.
demo: build
	$(CARGO) run --release --quiet -- demo --output-dir out

## Run the criterion benches (results in $(CARGO_TARGET_DIR)/criterion), the augurs
## cross-check included (its wasmtime build adds about 13 minutes the first time).
bench: prereqs
	$(CARGO) bench --workspace --features forecast-stats/augurs

## Formatting and clippy with warnings as errors.
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings

clean:
	$(CARGO) clean
