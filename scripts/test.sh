#!/usr/bin/env bash
# The README's test command: installs what is needed, builds, prints the
# results of the upstream vector files, and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
echo "--- upstream vectors ---"
scripts/vectors.sh
echo "--- ctest ---"
ctest --test-dir build --output-on-failure -j2 "$@"
