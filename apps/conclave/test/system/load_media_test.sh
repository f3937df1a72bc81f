#!/usr/bin/env bash
# Media load system test (ctest label `system`): `conclave load --media
# video` with one meeting of five against the real server and its SFU.
# Every client publishes a synthetic 1 Mbit/s video stream through the real
# sender path (SFrame, RTP, SRTP) and receives the four others'. Passes when
# nobody failed, every track flowed and loss stays under 1%, and the
# server's counters agree: it forwarded each packet to four subscribers.
set -euo pipefail
CONCLAVE=$1
source "$(dirname "$0")/system_lib.sh"

SERVER_LOG_LEVEL=info start_server --media-port 0
"$CONCLAVE" load --server "$URL" --fingerprint "$FP" --meetings 1 --clients 5 --media video \
  --seconds 5 --deadline 60 --server-pid "$SERVER_PID" >"$TMP/load.json" 2>"$TMP/load.err" ||
  fail "load run: $(cat "$TMP/load.json" "$TMP/load.err")"
RESULT=$(cat "$TMP/load.json")
echo "load_media: $RESULT"
[[ $(jq -r .failed <<<"$RESULT") -eq 0 ]] || fail "failures: $RESULT"
[[ $(jq -r .joined <<<"$RESULT") -eq 5 ]] || fail "not everyone joined: $RESULT"
[[ $(jq -r '.media.tracks == .media.tracks_expected and .media.tracks == 20' <<<"$RESULT") == true ]] ||
  fail "tracks: $RESULT"
[[ $(jq -r '.media.packets_received > 0 and .media.decrypt_failures == 0' <<<"$RESULT") == true ]] ||
  fail "nothing received or decryption failed: $RESULT"
[[ $(jq -r '.media.loss_percent < 1 and .media.max_receiver_loss_percent < 1' <<<"$RESULT") == true ]] ||
  fail "loss of 1% or more: $RESULT"
# Five seconds of 1 Mbit/s from five publishers, in ~1200-byte packets: the
# server saw them and forwarded each to the four others.
[[ $(jq -r '.media.window.server.rtp_received > 5 * 5 * 100' <<<"$RESULT") == true ]] ||
  fail "server received too little: $RESULT"
[[ $(jq -r '.media.window.server.fanout > 3.9 and .media.window.server.fanout < 4.1' <<<"$RESULT") == true ]] ||
  fail "fan-out is not 4: $RESULT"
[[ $(jq -r '.media.window.server.cpu_seconds != null' <<<"$RESULT") == true ]] ||
  fail "no server CPU time: $RESULT"
echo "system.load_media: passed (loss $(jq -r .media.loss_percent <<<"$RESULT")%," \
  "server CPU $(jq -r .media.window.server.cpu_percent <<<"$RESULT")%)"
