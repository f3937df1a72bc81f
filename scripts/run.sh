#!/usr/bin/env bash
# The README's run command. Until conclave-server exists, it installs,
# builds, and runs the vector runner over every shared upstream vector file
# it checks (apps/conclave-vectors/vector-files.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
scripts/vectors.sh
