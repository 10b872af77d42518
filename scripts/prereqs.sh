#!/usr/bin/env bash
# Installs the system packages forecast-zoo needs to build and test, when they are missing.
#
# The package list lives here and only here; the Makefile (`make prereqs`, `make test`,
# `make demo`) and .ci/run call this script. Installs with apt-get when running as root or
# when sudo works without a password; otherwise prints the exact command and fails.
set -euo pipefail

# Debian/Ubuntu packages. Add what new native dependencies need (e.g. cmake, clang,
# libclang-dev for the tree libraries) to this list.
PACKAGES=(build-essential pkg-config)

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

if ! need_cmd cargo; then
    echo "prereqs: cargo not found; install Rust (>= 1.95) with:" >&2
    echo "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y" >&2
    exit 1
fi
