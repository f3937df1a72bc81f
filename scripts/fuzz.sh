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
    fuzz_static_path)
      # Request targets for the web pages, served and hostile.
      for t in / /j/abc123 /app.js /sub/x.css '/%2e%2e/secret.js' '/..%2fsecret.js' '/style.css%00.js' \
               '/j/../x' '/.hidden.js' '/a//b.js' '/?q=1'; do
        printf '%s' "$t" >"$dir/$(printf '%s' "$t" | md5sum | cut -c1-8)"
      done
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
    fuzz_srtp)
      # Mode byte (bit 0 GCM, bit 1 RTCP, bit 2 protect-then-unprotect),
      # then the packet: RTP with CSRCs and a one-byte extension, an RTCP
      # RR, each for both profiles and both modes; and the same packets
      # protected with the target's fixed master (0x10 0x11 ...; SRTCP
      # index 1), which open in mode 0 (AES-CM and GCM, RTP and RTCP).
      for mode in 0 1 4 5; do
        printf "\\x$mode"'\x92\x60\x12\x34\x00\x00\x00\x01\x11\x22\x33\x44\x00\x00\x00\x05\x00\x00\x00\x06\xbe\xde\x00\x01\x10\xaa\x00\x00payload-bytes' >"$dir/rtp-$mode"
      done
      for mode in 2 3 6 7; do
        printf "\\x$mode"'\x81\xc9\x00\x07\x55\x66\x77\x88\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17' >"$dir/rtcp-$mode"
      done
      printf '%s\n' \
        009260123400000001112233440000000500000006bede000110aa000057594a5d7a138827d1c41928f66c2bfa45bb2a3b23d495 \
        019260123400000001112233440000000500000006bede000110aa0000407a648e1fb95da883f5edf29a277e69938558c69d797226d108d55e6d \
        0281c9000755667788ff8dff0eed8140a5e0a64b002433099113d1cf48313a2f42800000016102629ef49f1913e97f \
        0381c9000755667788e366820c22948fe5c6f3437194211859634b82ccde537c871bd87e86cb705655dd0051f02d5ad65f80000001 |
        hex_lines_to_files "$dir" protected
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
    fuzz_media_receiver)
      # Track byte (1 video, 0 audio), then |len16|RTP packet| records (len 0:
      # 100 ms pass), protected with the target's epoch-1 key by leaf 3: three
      # 160x32 VP8 frames in 120-byte packets; three 20 ms Opus frames of a
      # 440 Hz tone with the third of four missing.
      printf '%s\n' \
        01006e906003e8000000001234abcdbede00055880000080003a410100203142040000310000009080800090103100464f41f49b7858608ff9f6e4ce1a0bf61d3cb9f3693393c0863165f287ae33e30f023089acd9814f1ec7ab1af5ab499898cad3d329763f77b6196771f0d5607a7669006a906003e9000000001234abcdbede000452000000203142040000310001000000808080008e124d68c240392343900789892cf22f464443cc5de03b29540bd9091ec1ab9ba0fc22ff84eab1f55e5c2ef3682310433e652d30ebb841243edfac3abfe1966239cf3927a7230069906003ea000000001234abcdbede000452000000203142040000310002000000808080009f8a5b4f1b91762b95e84a2c0d2776ded8afe1fae14177ba00ba21e4b28bd1dac6fc13a41d0cc9bdcd9f0e90515f2552100008ca3101597a50337b691c713401fc986294aa0069906003eb000000001234abcdbede00045200000020314204000031000300000080808000711c2db029cb9680c020c06a9927967e9b3c0e51547c1c0f1101e01bf2f9068292dc6836dcd93a5df56fb8025479b33383b15fd8bd8b05ac4706e78a4923779309f903d18d0069906003ec000000001234abcdbede00045200000020314204000031000400000080808000687f856dc3671b3e922d9d908f9b4fb5da92a8f03deb1300b4c910ba9a1bde4e8fb8b6bb9e7be2f5f5f16e742e9bcd169a6b24539ac6ebc04828723dd80a5244d9eaefefba006990e003ed000000001234abcdbede00045240000020314204000031000500000080808000380593b7f734a43b5f951c9897fea08b5c67481d2e424a67a045deba8267ee68ab3e0a244a9f46389b5c5c723168b1040cf717b6a78c0ade4a909e54a652b72883107bf3870068906003ee00000bb81234abcdbede0004528100012031420421cb31000600000090808001911031247da5d889dc9e243bc53582ccfefa810ad6a92b0e17c04f7d09adc069bbb5f6c09079bf8900b8f42589c67e8e995d4502502530406511df5dc7fb2c1a59aa28980067906003ef00000bb81234abcdbede0004520100012031420421cb31000700000080808001a4c30bf8d25ce7d89c58532003010692b2a010756acb83447ac77606e0b9f7b4a1dc77a5210caf1e82579c284a136ec0c9b9214d598b983a5a88b4d3108ab1aa455b3a0067906003f000000bb81234abcdbede0004520100012031420421cb31000800000080808001917d383047fc3dec2cf817b0e79f03d0b14821b2495df97870501818f1d0b14aaf86d51f0ab7e1a048b164bcdc1034374708b9933b4c63e7aee3fd63b88371a6a6a9e40067906003f100000bb81234abcdbede0004520100012031420421cb3100090000008080800119c8cfa6b3405c710ca4b20fc69a8e6fe3645e4f9e2fa7440202bb4ad89245796fa5cd5d1f8f5d596a9235ee56a2028d2983dbad522e97f661119d4b9349968fc8a1830067906003f200000bb81234abcdbede0004520100012031420421cb31000a000000808080012f2dfe9b0a6c6007651a4a8b77e9f5cefde06fd9fc01800a1677b8bd421291c61556ed4db0cb1c24d355562a828f50f4813bb1b35f89e1e35b68be4231dea073cf9eaa006790e003f300000bb81234abcdbede0004524100012031420421cb31000b00000080808001e70d1c006f510ce20e9c8945ae62838c007f2fa62bea462d38cf5de1fb0844f2877c13e16dd50cc757c2dc003fd070cec17da9a25d33422fb8a83168602229cce8f69a006b906003f4000017701234abcdbede00045281000220314204439631000c00000090808002921031251a61236605334614a55f24386b04c10040ec854783b8d77fdc5d90a8c7346924f1d49e137f4172453496c1ff66e6f570a4adf01d5c5e3e276d59a7d3ff25042b8c6822006b906003f5000017701234abcdbede00045201000220314204439631000d00000080808002383f754c14f0c3afdb513183cf330f5516eb72edda47ebecd88f67703d12a1d3692cc50060a214f7b7decb295272018e4ab6d2f5722eb381052c797a56544b7c0a9bc9329d2511006b90e003f6000017701234abcdbede00045241000220314204439631000e0000008080800281969d52b4b18435491b5a8d039163d336bfd80c63a3bee9d56aa4535a5583a141b010cbb64545a81da211fa858af6b3c26af763ea59c88cbdefb922cf91b0b73ea1971c6e93790000 \
        00009d90ef07d0000000005678ef01bede0003108920304204656031000f0080312d1174eb0060614a8c1cea3617ca0daf75d02a38e96f6f415cf22ff3d8eb2fdb5d0a3af736535aacb22983019782e72f31f44535df84db39af00b5741513454e972f9c994d06c3520bbcdefab0fecdbfed6d2f144ee08a851bbb4e72d1dae0177a64e15781353adab43b0b601697777ca84a18343e268be45341da8e0c59860072906f07d1000003c05678ef01bede000310892030420479db310010008131434c3cf0b7da1352c772d0bf86c83cd823186b56cae58087237aa1567b16f437977f5a29679740a6c0d30d92c8f3f31ca747ff41b3fed782f0bcb457e675bfc87688f8f9feada221721e452e6f83b9893e10d8340082906f07d300000b405678ef01bede0003108920304204a2d1310012008331a80824a29aff285df499ad14c13a6ada8639cf088ad9c5a5c01fbefb30fcadf4633033bd12d3912a168c46fd044f71d362a5c3d6de4a33e363fc46de661535538ad8edf74c16ff586f56f460446c2b307e1186b94e096ceff47371aa7b4709bc522df3030000 |
        hex_lines_to_files "$dir" media
      ;;
    fuzz_external_subscriber)
      # Lines of the test-only external subscriber (interop/werift): an
      # answer, an RTP packet, and lines that must be refused.
      printf '%s\n' '{"type":"answer","sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"}' \
        '{"type":"rtp","data":"gGAAAQAAAAIAAAADYWJj"}' >"$dir/lines"
      printf '%s\n' '{"type":"rtp","data":"@@"}' '{"type":"offer","sdp":"v=0"}' '[1,{"a":[]}]' >"$dir/refused"
      ;;
    fuzz_loss_counter)
      # In order; a gap; a duplicate and a reordered one; across the 16-bit wrap.
      printf '\x00\x01\x00\x02\x00\x03\x00\x04' >"$dir/in-order"
      printf '\x00\x01\x00\x05\x00\x05\x00\x03\x00\x02' >"$dir/gap-dup-reorder"
      printf '\xff\xfd\xff\xfe\x00\x00\x00\x01' >"$dir/wrap"
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
