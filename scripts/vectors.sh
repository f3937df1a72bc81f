#!/usr/bin/env bash
# Runs build/bin/conclave-vectors over every shared vector file listed in
# apps/conclave-vectors/vector-files.txt and prints one result line per file.
set -euo pipefail
cd "$(dirname "$0")/.."
VECTORS=${CONCLAVE_VECTORS_DIR:-../shared/vectors}
files=()
while read -r f; do
  [[ -n $f ]] && files+=("$VECTORS/$f")
done <apps/conclave-vectors/vector-files.txt
exec build/bin/conclave-vectors "${files[@]}"
