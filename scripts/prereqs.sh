#!/usr/bin/env bash
# Installs the system packages forecast-zoo needs to build and test, when they are missing.
#
# The package list lives here and only here; the Makefile (`make prereqs`, `make test`,
# `make demo`) and .ci/run call this script. Installs with apt-get when running as root or
# when sudo works without a password; otherwise prints the exact command and fails.
set -euo pipefail

# Debian/Ubuntu packages:
# - build-essential, pkg-config: C/C++ toolchain for the -sys crates;
# - cmake, clang, libclang-dev, ninja-build: LightGBM and XGBoost are built from source with
#   CMake, and bindgen needs libclang;
# - python3-venv: a newer CMake than Debian's comes from PyPI (see below);
# - prometheus: the live-Prometheus integration tests start a real server (and use promtool).
PACKAGES=(build-essential pkg-config cmake clang libclang-dev ninja-build python3-venv prometheus)

# Commands that must be on PATH, with the package that provides them.
need_cmd() {
    command -v "$1" >/dev/null 2>&1
}

missing=()
if need_cmd dpkg-query; then
    for p in "${PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
else
    echo "prereqs: not a Debian-like system; make sure these are installed: ${PACKAGES[*]}" >&2
fi

if ((${#missing[@]})); then
    cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    if [[ $(id -u) -eq 0 ]]; then
        echo "prereqs: installing ${missing[*]}" >&2
        bash -c "$cmd"
    elif need_cmd sudo && sudo -n true 2>/dev/null; then
        echo "prereqs: installing ${missing[*]} with sudo" >&2
        sudo bash -c "$cmd"
    else
        echo "prereqs: missing system packages: ${missing[*]}" >&2
        echo "prereqs: run as root:  sudo sh -c '$cmd'" >&2
        exit 1
    fi
fi

# lightgbm3-sys needs CMake >= 3.28; Debian 12 ships 3.25. Install CMake 3.31 from PyPI into a
# virtual environment outside the clone (reused by later builds and CI runs on this machine);
# the Makefile puts its bin folder first on PATH and exports CMAKE.
CMAKE_VENV=${FORECAST_ZOO_CMAKE_VENV:-$HOME/.cache/forecast-zoo/cmake-venv}
CMAKE_VERSION=3.31.10
if ! "$CMAKE_VENV/bin/cmake" --version 2>/dev/null | grep -q "$CMAKE_VERSION"; then
    echo "prereqs: installing cmake $CMAKE_VERSION (PyPI) into $CMAKE_VENV" >&2
    python3 -m venv "$CMAKE_VENV"
    "$CMAKE_VENV/bin/pip" install --quiet --disable-pip-version-check "cmake==$CMAKE_VERSION"
fi

if ! need_cmd cargo; then
    echo "prereqs: cargo not found; install Rust (>= 1.95) with:" >&2
    echo "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y" >&2
    exit 1
fi
