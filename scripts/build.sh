#!/usr/bin/env bash
# Configures and builds Conclave with CMake + Ninja into build/ (programs in
# build/bin/). Extra arguments go to CMake, e.g. -DCMAKE_BUILD_TYPE=Release.
# TARGETS (space-separated) builds only those targets, e.g.
# TARGETS=conclave_unit_tests.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja "$@" >/dev/null
# shellcheck disable=SC2086 # TARGETS is a word list
ninja -C "$BUILD_DIR" ${TARGETS:-}
