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
    fuzz_dtls_transport)
      # Mode byte even: |length|datagram| records for a DTLS server (and the
      # ICE agent): an OpenSSL ClientHello offering both SRTP profiles, then
      # a STUN Binding success (RFC 5769's IPv4 response). Mode byte odd: a
      # whole handshake, each following byte deciding the fate of one
      # datagram: all delivered; the first lost; one duplicated and one
      # with a bit flipped.
      printf '%s\n' \
        0000b216feff000000000000000000a5010000990000000000000099fefd0c15c2c90c3ad421268faf5c5662813b7c303a656058250548fa910bfc25581100000016c02bc02fc02cc030cca9cca8c009c013c00ac01400ff01000059000b000403000102000a000c000a001d0017001e00190018000e0007000400070001000016000000170000000d002a0028040305030603080708080809080a080b08040805080604010501060103030301030204020502060200500101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96 \
        0000500101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96 |
        hex_lines_to_files "$dir" datagrams
      printf '\x01' >"$dir/handshake"
      printf '\x01\xd0\x00\x00\x00\x00\x00' >"$dir/handshake-loss"
      printf '\x01\x00\xe8\x00\xf3\x40\x00' >"$dir/handshake-dup-flip"
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
    fuzz_y4m_reader)
      # YUV4MPEG2: two 4x2 frames with every header tag, a 3x3 (odd) frame
      # with FRAME parameters and a comment.
      printf 'YUV4MPEG2 W4 H2 F30:1 Ip A1:1 C420jpeg\nFRAME\nYYYYYYYYUUVVFRAME\nyyyyyyyyuuvv' >"$dir/two-frames"
      printf 'YUV4MPEG2 W3 H3 F30000:1001 It A128:117 C420mpeg2 XCOMMENT=1\nFRAME Ixyz\n%s' \
        "$(printf 'a%.0s' {1..17})" >"$dir/odd"
      ;;
    fuzz_wav_reader)
      # RIFF/WAVE: mono PCM with an odd-sized LIST chunk before the data;
      # stereo WAVE_FORMAT_EXTENSIBLE; a data size of 0xFFFFFFFF.
      printf 'RIFF\x38\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80\xbb\x00\x00\x00\x77\x01\x00\x02\x00\x10\x00LIST\x03\x00\x00\x00abc\x00data\x08\x00\x00\x00\x01\x00\x02\x00\xff\xff\x00\x80' >"$dir/mono"
      printf 'RIFF\x44\x00\x00\x00WAVEfmt \x28\x00\x00\x00\xfe\xff\x02\x00\x80\xbb\x00\x00\x00\xee\x02\x00\x04\x00\x10\x00\x16\x00\x10\x00\x03\x00\x00\x00\x01\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71data\x08\x00\x00\x00\x01\x00\x02\x00\x03\x00\x04\x00' >"$dir/extensible"
      printf 'RIFF\xff\xff\xff\xffWAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80\xbb\x00\x00\x00\x77\x01\x00\x02\x00\x10\x00data\xff\xff\xff\xff\x10\x00\x20\x00\x30' >"$dir/streaming"
      ;;
    fuzz_ivf_reader)
      # IVF: two frames (key, delta) in timebase 1/90000; one frame in
      # timebase 1/30 behind a 40-byte header.
      printf 'DKIF\x00\x00\x20\x00VP80\xa0\x00\x20\x00\x90\x5f\x01\x00\x01\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10\x02\x00\x9d\x03\x00\x00\x00\xb8\x0b\x00\x00\x00\x00\x00\x00\x11\x01\x00' >"$dir/two-frames"
      printf 'DKIF\x00\x00\x28\x00VP80\x02\x00\x02\x00\x1e\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00extended\x02\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x10\x20' >"$dir/timebase"
      ;;
    fuzz_vp8_decoder)
      # VP8 frames of the 160x32 test pattern (the target's reference size):
      # two key frames and two delta frames.
      printf '%s\n' \
        d007009d012aa0002000396b00271c240c2c2c44cc2441a8001a51affe40385fe1edb41d96e8a24234d5bad5920bf7eb1e2c2e61dabc739b6f7a269b4eec8b66a8a4c1cc3e0dc100fecb21279ea7552ad1dec80b2121a31d30a1d7e9d23f84e62dc977338db17d10344ee4711d9ea5e20361126e5b6fe7c7b6f5c045e077122f77a33c83d80ebc16ff2eaffa4ad772dc3b1fa3bcbffea81e26f2b3e1ed7f66ec9b9f30e5b3217fc49e21fd067a87bf9b63e733550ddb26a8ac9ed5279a7c503c3610266880 \
        f007009d012aa0002000396b00271c240c2c2c44cc2441a8001a51affe40385fefa710775cfd59c23c23e80b466a53e6f95d5032dbe4551570dd1fdefcf6f79f10c3daf923b0f737a0feee1d9624b0254890d18e9926e3b0f57caa471f6593548fca440d13b91c7e8d9c6198034fb4e8719d2b2fab23fff15e7f8b45917c3cf9c88368e2f2c9b7dc1b85b67dabeb7d1608fa1566bb90f83846dbb1672fa6eb3a26f5aaf015ceac7b35671b168057768c17234b6b17ab5e9ee1c95e724525918201f7c1663100 \
        910400e4e8989b37af104f4fb10a2fe4a2a01fc08749bfd0012b89cc32ad7827859bd315f8dc00fdeb54443379e7ae5c1d4dfc2d931e4aba7ef5f188b21f4c12f0c754fc1b827dbc3d209f5deb877ba8538491c1fb80 \
        f10400e4f08fb90b37af104f4fb10a2fe4c2601ff4602e0d98eb5cbd0b0bb83fb2cc473cfa7d9a9cf248d561a24621f177ab9d8019c06161df859beb3e73b914f73ef3766279457fb821f8f059bf2519b06a8400 |
        hex_lines_to_files "$dir" vp8
      ;;
    fuzz_opus_decoder)
      # Channel byte, then |len|packet| records (len 0: a lost packet): three
      # 20 ms packets of a 440 Hz tone with a loss after the second, mono and
      # stereo.
      printf '%s\n' \
        00110884c17c3ecba779e33ec59f96302ad94c1308b59693482dfec53a69e8711b713e6b43922e001208ae9a4afafa6727b3177d23033c3b39dc80 \
        011a08847ab50b9f8c317a75726a22701853c08eb466a7255a441e561308af9af1e068083539139a901411c8960bb38f001308a9820afafee2c8c895698e636007c6ac43d0 |
        hex_lines_to_files "$dir" opus
      ;;
    fuzz_sdp)
      # The realistic offers of lib/sdp's tests (Chromium, werift), with CRLF
      # line ends as browsers send them, and a minimal description.
      for f in lib/sdp/test/data/*.sdp; do
        sed 's/$/\r/' "$f" >"$dir/$(basename "$f" .sdp)"
      done
      printf 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' >"$dir/minimal"
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
