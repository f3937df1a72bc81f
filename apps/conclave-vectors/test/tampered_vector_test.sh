#!/usr/bin/env bash
# Copies upstream vector files, changes one expected byte in one case, and
# checks that conclave-vectors reports exactly that case as failed (naming
# the case and the field) and exits non-zero. Usage: RUNNER VECTORS_DIR
set -euo pipefail
RUNNER=$1
VECTORS=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# flip_first_hex_digit: replaces the first hex digit of a string with a
# different one.
FLIP='def flip: (.[0:1] | if . == "0" then "1" else "0" end) + .[1:];'

expect_failure() {  # FILE CASE FIELD
  local out status=0
  out=$("$RUNNER" "$1") || status=$?
  echo "$out"
  if ((status == 0)); then
    echo "FAIL: runner exited 0 on a tampered file" >&2
    exit 1
  fi
  grep -q ": [0-9]* passed, 1 failed" <<<"$out" || { echo "FAIL: expected exactly 1 failed case" >&2; exit 1; }
  grep -q "case $2: $3" <<<"$out" || { echo "FAIL: failure does not name case $2 field $3" >&2; exit 1; }
}

# HPKE: one byte of the 5th encryption's ciphertext of case 17.
jq "$FLIP"' .[17].encryptions[4].ct |= flip' "$VECTORS/hpke/test-vectors.json" >"$TMP/hpke.json"
expect_failure "$TMP/hpke.json" 17 "encryptions\\[4\\].ct"

# HPKE: an exported value of case 100.
jq "$FLIP"' .[100].exports[2].exported_value |= flip' "$VECTORS/hpke/test-vectors.json" >"$TMP/hpke2.json"
expect_failure "$TMP/hpke2.json" 100 "exports\\[2\\].exported_value"

# SFrame files hold 64-bit KID/CTR numbers that jq 1.6 rounds through a
# double, so they are edited as text: the expected string is replaced once.
flip_string() {  # FILE JQ_PATH OUT
  local old new
  old=$(jq -r "$2" "$1")
  new=$(jq -rn --arg s "$old" "$FLIP"' $s | flip')
  sed "0,/\"$old\"/s//\"$new\"/" "$1" >"$3"
  ! cmp -s "$1" "$3" || { echo "FAIL: could not edit $2" >&2; exit 1; }
}

# SFrame: the ciphertext of the suite-4 case.
flip_string "$VECTORS/sframe/test-vectors.json" '.sframe[3].ct' "$TMP/sframe.json"
expect_failure "$TMP/sframe.json" "sframe\\[3\\]" "ct"

# SFrame header: an encoded header.
flip_string "$VECTORS/sframe/test-vectors.json" '.header[40].encoded' "$TMP/header.json"
expect_failure "$TMP/header.json" "header\\[40\\]" "encoded"

# MLS deserialization: a length.
jq '.[5].length += 1' "$VECTORS/mls/deserialization.json" >"$TMP/deser.json"
expect_failure "$TMP/deser.json" 5 "length"

echo "tampered vectors: all reported"
