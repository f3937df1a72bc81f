#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time, each seeded from the
# upstream vectors, and fails if any target finds a crash, leak or
# sanitizer report. Usage: scripts/fuzz.sh BUILD_DIR [SECONDS_PER_TARGET]
# BUILD_DIR must be configured with -DCONCLAVE_FUZZ=ON (clang).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:?usage: scripts/fuzz.sh BUILD_DIR [SECONDS]}
SECONDS_PER_TARGET=${2:-30}
VECTORS=${CONCLAVE_VECTORS_DIR:-../shared/vectors}
WORK=${FUZZ_WORK_DIR:-$BUILD_DIR/fuzz-work}
# Targets that start from a vector file find it here.
CONCLAVE_VECTORS_DIR=$(cd "$VECTORS" && pwd)
export CONCLAVE_VECTORS_DIR

# seeds TARGET DIR: writes the seed inputs of TARGET into DIR, one file each.
hex_lines_to_files() {
  local dir=$1 prefix=$2 i=0
  while read -r hex; do
    [[ -z $hex || $hex == null ]] && continue
    printf '%s' "$hex" | xxd -r -p >"$dir/$prefix-$i"
    i=$((i + 1))
  done
}

seeds() {
  local target=$1 dir=$2
  case $target in
    fuzz_codec_reader)
      jq -r '.[].vlbytes_header' "$VECTORS/mls/deserialization.json" | hex_lines_to_files "$dir" vlbytes
      ;;
    fuzz_sframe_header)
      jq -r '.header[].encoded' "$VECTORS/sframe/test-vectors.json" | hex_lines_to_files "$dir" header
      ;;
    fuzz_sframe_unprotect)
      jq -r '.sframe[].ct' "$VECTORS/sframe/test-vectors.json" | hex_lines_to_files "$dir" sframe
      jq -r '.sframe_aes_256_ctr_hmac[].ct' "$VECTORS/sframe/test-vectors-aes256.json" |
        hex_lines_to_files "$dir" sframe256
      ;;
    fuzz_mls_message)
      jq -r '.[] | .mls_welcome, .mls_group_info, .mls_key_package, .public_message_application,
               .public_message_proposal, .public_message_commit, .private_message' \
        "$VECTORS/mls/messages.json" | hex_lines_to_files "$dir" mls
      ;;
    fuzz_mls_welcome)
      jq -r '.[].welcome' "$VECTORS/mls/welcome.json" | hex_lines_to_files "$dir" welcome
      ;;
    fuzz_mls_group)
      # The epoch the target's group is in: its last proposal and its commit.
      jq -r '.[12].epochs[1] | .proposals[-1], .commit' \
        "$VECTORS/mls/passive-client-handling-commit.json" | hex_lines_to_files "$dir" group
      ;;
    fuzz_signal_envelope)
      # Signaling messages of docs/protocol.md, valid and not.
      printf '%s' '{"v":1,"type":"hello","id":"c1","meeting_id":"abcdefghijklmnopqrstuvwx","display_name":"Ada"}' >"$dir/hello"
      printf '%s' '{"v":1,"type":"admit","id":7,"participant_id":"p1"}' >"$dir/admit"
      printf '%s' '{"v":2,"type":"hello","id":"c1"}' >"$dir/version"
      printf '%s' '{"v":1,"type":"leave","id":"x","nested":[[[[{"a":1}]]]]}' >"$dir/nested"
      ;;
    fuzz_client_session)
      # Server messages of docs/protocol.md, one per line, as a hostile server
      # might send them to a host member.
      printf '%s\n' '{"v":1,"type":"add_request","id":"s3","participant":{"participant_id":"p2","display_name":"a","role":"participant"},"key_package":"AAEAAQ"}' \
        '{"v":1,"type":"commit","id":"s4","commit":"AAEAAQAA","epoch":1,"committer":"p2"}' >"$dir/add"
      printf '%s\n' '{"v":1,"type":"proposal","id":"s5","proposal":"AAE","epoch":0,"proposer":"server"}' \
        '{"v":1,"type":"application","id":"s6","message":"AAEAAg","sender":"p2"}' \
        '{"v":1,"type":"welcome","id":"s7","welcome":"AAEAAw","epoch":3}' >"$dir/mls"
      printf '%s\n' '{"v":1,"type":"error","id":"s8","code":"stale_commit","epoch":9,"in_reply_to":"c3"}' \
        '{"v":1,"type":"meeting_updated","id":"s9","meeting":{"locked":true}}' '{"v":1,"type":"removed","id":"s10","reason":"removed"}' >"$dir/control"
      ;;
    fuzz_signaling_service)
      # One message per line, the first byte choosing the sender: 0 host,
      # 1 guest (in the lobby), 2 stranger (connected, no hello yet).
      printf '%s\n' '0{"v":1,"type":"admit","id":3,"participant_id":"p2"}' \
        '1{"v":1,"type":"key_package","id":2,"key_package":"AAEAAQ"}' \
        '0{"v":1,"type":"commit","id":4,"commit":"AAEAAQAA"}' >"$dir/admit"
      printf '%s\n' '2{"v":1,"type":"hello","id":1,"meeting_id":"x","display_name":"s"}' \
        '0{"v":1,"type":"application","id":5,"message":"AAEAAg"}' \
        '0{"v":1,"type":"proposal","id":6,"proposal":"AAE"}' '0{"v":1,"type":"catch_up","id":7,"epoch":0}' \
        '0{"v":1,"type":"remove","id":8,"participant_id":"p2"}' '1{"v":1,"type":"leave","id":9}' >"$dir/mix"
      ;;
    fuzz_meeting_policy)
      # MeetingPolicy payloads: one host unlocked, two hosts locked.
      printf '\x21\x20%s\x00' "$(printf 'a%.0s' {1..32})" >"$dir/one-host"
      printf '\x40\x42\x20%s\x20%s\x01' "$(printf 'a%.0s' {1..32})" "$(printf 'b%.0s' {1..32})" >"$dir/two-hosts"
      ;;
    fuzz_ratchet_tree)
      # The first byte selects the suite (1 + byte % 7): prefix the case's suite - 1.
      jq -r '.[] | "0\(.cipher_suite - 1)\(.tree)"' "$VECTORS/mls/tree-validation.json" |
        hex_lines_to_files "$dir" tree
      ;;
    fuzz_stun_message)
      # RFC 5769's samples: the request (its password VOkJxbRl1RmTxUk/WvJxBt
      # is the target's responder password), the IPv4 and IPv6 responses and
      # the long-term-credential request.
      printf '%s\n' \
        000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf \
        0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96 \
        010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf11784c97c8292c275bfe3ed4180280004c8fb0b4c \
        000100602112a44278ad3433c6ad72c029da412e00060012e3839ee38388e383aae38383e382afe382b900000015001c662f2f3439396b39353464364f4c33346f4c394653547679363473410014000b6578616d706c652e6f72670000080014f67024656dd64a3e02b8e0712e85c9a28ca89666 |
        hex_lines_to_files "$dir" rfc5769
      ;;
    fuzz_rtp_packet)
      # RTP packets (RFC 3550/8285): plain, CSRCs + one-byte extensions +
      # padding, two-byte extensions, another profile.
      printf '\x80\x60\x00\x01\x00\x00\x00\x02\x00\x00\x00\x03abc' >"$dir/plain"
      printf '\xb2\xe0\x12\x34\x56\x78\x9a\xbc\xde\xad\xbe\xef\x00\x00\x00\x11\x00\x00\x00\x22\xbe\xde\x00\x02\x10\xaa\x21\xbb\xcc\x00\x00\x00\x01\x02\x00\x00\x03' >"$dir/full"
      printf '\x90\x60\x00\x01\x00\x00\x00\x02\x00\x00\x00\x03\x10\x05\x00\x02\x01\x00\x00\xc8\x03\xaa\xbb\xcc\xff' >"$dir/two-byte"
      printf '\x90\x60\x00\x01\x00\x00\x00\x02\x00\x00\x00\x03\xab\xcd\x00\x01\x01\x02\x03\x04' >"$dir/other-profile"
      ;;
    fuzz_rtcp)
      # RTCP: SR with a block, SDES CNAME, NACK, PLI, FIR, REMB,
      # transport-cc, and a compound of RR + BYE + XR.
      printf '\x81\xc8\x00\x0c\x00\x00\x00\x01\xe0\x00\x00\x00\x80\x00\x00\x00\x00\x00\x10\x00\x00\x00\x00\x0a\x00\x00\x04\x00\x01\x02\x03\x04\x40\xff\xff\xfe\x00\x01\x00\x05\x00\x00\x00\x10\xaa\xbb\xcc\xdd\x00\x00\x80\x00' >"$dir/sr"
      printf '\x81\xca\x00\x03\x00\x00\x12\x34\x01\x03abc\x00\x00\x00' >"$dir/sdes"
      printf '\x81\xcd\x00\x03\x00\x00\x00\x01\x00\x00\x00\x02\x00\x64\x00\x05' >"$dir/nack"
      printf '\x81\xce\x00\x02\x00\x00\x00\x0a\x00\x00\x00\x0b' >"$dir/pli"
      printf '\x84\xce\x00\x04\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\xab\xcd\x07\x00\x00\x00' >"$dir/fir"
      printf '\x8f\xce\x00\x05\x00\x00\x00\x01\x00\x00\x00\x00REMB\x01\x0b\xd0\x90\x00\x00\xab\xcd' >"$dir/remb"
      printf '\xaf\xcd\x00\x06\x00\x00\x00\x01\x00\x00\x00\x02\x00\x64\x00\x05\x00\x00\x01\x07\xd1\x90\x04\x01\xff\xfc\xff\x01' >"$dir/tcc"
      printf '\x80\xc9\x00\x01\x00\x00\x00\x09\x81\xcb\x00\x02\x00\x00\x00\x09\x03bye\x80\xcf\x00\x01\x00\x00\x00\x01' >"$dir/compound"
      ;;
    fuzz_vp8_depacketizer)
      # Records |len|flags|payload|: a two-packet key frame, then a
      # one-packet delta frame on the next timestamp.
      printf '\x06\x02\x90\x80\x80\x01\x50\x00\x05\x82\x80\x80\x01\xab\xcd\x06\xc2\x90\x80\x80\x02\x31\x00' >"$dir/frames"
      printf '\x03\x00\x10\x50\x00\x03\x82\x00\x01\x02\x02\xc1\x11\x00' >"$dir/gaps"
      ;;
    fuzz_dependency_descriptor)
      # First byte: structure choice; then |len|descriptor| records: a key
      # frame with the L1T1 structure, a delta frame, custom fdiffs.
      printf '\x00\x09\x80\x00\x01\x80\x00\x3a\x41\x01\x00\x03\xc1\x00\x02\x08\xc1\x00\x02\x55\x08\x4f\x12\xb0' >"$dir/l1t1"
      printf '\x01\x03\xc1\x00\x02' >"$dir/latest"
      ;;
    *)
      echo "fuzz.sh: no seeds known for $target" >&2
      return 1
      ;;
  esac
}

passed=0
failed=0
shopt -s nullglob
targets=("$BUILD_DIR"/bin/fuzz/fuzz_*)
if ((${#targets[@]} == 0)); then
  echo "fuzz.sh: no fuzz targets in $BUILD_DIR/bin/fuzz" >&2
  exit 1
fi
for bin in "${targets[@]}"; do
  name=$(basename "$bin")
  corpus="$WORK/$name/corpus"
  artifacts="$WORK/$name/artifacts/"
  rm -rf "$WORK/$name"
  mkdir -p "$corpus" "$artifacts"
  seeds "$name" "$corpus"
  echo "== $name: $(ls "$corpus" | wc -l) seeds, ${SECONDS_PER_TARGET}s"
  if "$bin" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$artifacts" -print_final_stats=1 "$corpus" \
       >"$WORK/$name/log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^Done' "$WORK/$name/log" | sed 's/^/   /' || true
    passed=$((passed + 1))
  else
    echo "   FAILED: see $WORK/$name/log and $artifacts"
    tail -40 "$WORK/$name/log"
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
((failed == 0))
