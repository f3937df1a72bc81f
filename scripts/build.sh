#!/usr/bin/env bash
# Configures and builds Conclave with CMake + Ninja into build/ (programs in
# build/bin/). Extra arguments go to CMake, e.g. -DCMAKE_BUILD_TYPE=Release.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja "$@" >/dev/null
ninja -C "$BUILD_DIR"
