#!/usr/bin/env bash
# system.media_werift (ctest label `system`): an independent WebRTC stack
# subscribes through the SFU. A real server (its SFU on a UDP port), a
# native host publishing the test pattern and a tone, and a second member
# whose subscribe transport is held by werift (interop/werift/subscriber.mjs,
# through `conclave join --test-external-subscriber`): werift does ICE,
# DTLS and SRTP with the SFU and hands the RTP packets to the client, which
# reassembles, decrypts (SFrame, MLS keys) and decodes them as usual. A
# third member joins, publishes and leaves while werift is connected: the
# SFU offers again (a new track, then an inactive one) and werift answers
# each renegotiation.
#   - the recording comes from packets that went through werift only (the
#     client's own subscribe transport received nothing);
#   - the video matches the test pattern (PSNR >= 30 dB), enough frames are
#     decoded, the audio is the sender's tone, for the host and for the
#     late publisher;
#   - werift answered every offer (at least three);
#   - no decryption failure after each track's first second, no line from
#     werift refused, no answer refused.
# Fails (never skips) when node or the werift package is missing.
set -euo pipefail
CONCLAVE=$1
CHECK=$2
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
WERIFT_DIR="$ROOT/interop/werift"

command -v node >/dev/null 2>&1 ||
  { echo "system.media_werift FAILED: node is not installed (run scripts/install-deps.sh)" >&2; exit 1; }
[[ -f $WERIFT_DIR/node_modules/werift/package.json ]] ||
  { echo "system.media_werift FAILED: the werift package is missing: run scripts/install-deps.sh (npm ci in interop/werift)" >&2; exit 1; }
WERIFT_VERSION=$(jq -r .version "$WERIFT_DIR/node_modules/werift/package.json")

source "$(dirname "$0")/system_lib.sh"

export CONCLAVE_TEST_HOSTILE=1  # for --test-external-subscriber
start_server --media-port 0
create_meeting

HOST_SECONDS=20
VIEWER_SECONDS=18
LATE_SECONDS=6
start_client host --host-key "$HOST_KEY" --admit all --for "$HOST_SECONDS" --no-subscribe \
  --publish test --tone-hz 440 --video-size 320x180 --video-kbps 500
wait_json host '.event == "epoch"' 20
START=$(date +%s.%N)
start_client viewer --for "$VIEWER_SECONDS" --record "$TMP/rec" \
  --test-external-subscriber "node '$WERIFT_DIR/subscriber.mjs'"
wait_json viewer '.event == "media_connected" and .via == "external"' 20
CONNECTED=$(date +%s.%N)
wait_json viewer '.event == "media_track" and .kind == "video"' 5
wait_json viewer '.event == "media_track" and .kind == "audio"' 5
# A renegotiation: a third member publishes for a while, then leaves.
start_client late --for "$LATE_SECONDS" --no-subscribe \
  --publish test --tone-hz 550 --video-size 320x180 --video-kbps 500
wait_json late '.event == "joined"' 10

for who in late viewer host; do
  pid_var="PID_$who"
  for _ in $(seq 300); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
  kill -0 "${!pid_var}" 2>/dev/null && fail "$who did not end"
  wait_json "$who" '.event == "media_stats"' 5
done

report() { echo "media_werift: $*"; }
stats=$(jq -c 'select(.event == "media_stats")' "$TMP/viewer.jsonl" | tail -n 1)
host_stats=$(jq -c 'select(.event == "media_stats")' "$TMP/host.jsonl" | tail -n 1)
media_seconds=$(awk -v a="$CONNECTED" -v b="$START" -v s="$VIEWER_SECONDS" 'BEGIN { printf "%.1f", s - (a - b) }')
report "werift $WERIFT_VERSION, media for about $media_seconds s after werift connected"
report "host sent $(jq -c .video_sent <<<"$host_stats") audio $(jq -c .audio_sent <<<"$host_stats")"
report "viewer subscribe RTP $(jq -c .subscribe_rtp <<<"$stats"), external subscriber $(jq -c .external_subscriber <<<"$stats")"
report "viewer received $(jq -c '[.received[] | {from: .participant_id, kind, packets, frames_decoded, frames_lost, decrypt_failures, decrypt_failures_after_1s, latency_ms_p50, latency_ms_p99}]' <<<"$stats")"

# Everything came through werift, nothing through the client's own
# transport, and werift's lines and answers were all accepted.
[[ $(jq '.subscribe_rtp.external' <<<"$stats") -gt 0 ]] || fail "no RTP from werift"
[[ $(jq '.subscribe_rtp.transport' <<<"$stats") -eq 0 ]] || fail "RTP arrived on the client's own transport"
[[ $(jq '.external_subscriber.parse_errors' <<<"$stats") -eq 0 ]] || fail "lines from werift refused"
[[ $(jq '.external_subscriber.answers_rejected' <<<"$stats") -eq 0 ]] || fail "werift's answer refused"
offers=$(jq '.external_subscriber.offers' <<<"$stats")
[[ $offers -ge 3 ]] || fail "$offers offers: the renegotiations did not happen"
[[ $(jq '.external_subscriber.answers' <<<"$stats") -eq $offers ]] || fail "werift left offers unanswered"
[[ $(json_count viewer '.event == "media_error"') -eq 0 ]] || fail "media errors at the viewer"
[[ $(jq '[.received[] | .decrypt_failures_after_1s] | add // 0' <<<"$stats") -eq 0 ]] ||
  fail "decryption failed after the first second"

pid_of() { jq -r 'select(.event == "joined") | .participant_id' "$TMP/$1.jsonl" | head -n 1; }
mid_of() {  # sender kind
  jq -r "select(.event == \"media_track\" and .participant_id == \"$(pid_of "$1")\" and .kind == \"$2\") | .mid" \
    "$TMP/viewer.jsonl" | head -n 1
}
check_sender() {  # sender tone min_frames
  local tx=$1 tone=$2 min=$3 mid out
  mid=$(mid_of "$tx" video)
  [[ -n $mid ]] || fail "the viewer never received $tx's video"
  out=$("$CHECK" video "$TMP/rec/$(pid_of "$tx")-$mid.y4m" --min-frames "$min" --min-psnr 30) ||
    fail "$tx video: $out"
  report "$tx video $out (at least $min frames required)"
  mid=$(mid_of "$tx" audio)
  [[ -n $mid ]] || fail "the viewer never received $tx's audio"
  out=$("$CHECK" audio "$TMP/rec/$(pid_of "$tx")-$mid.wav" --tone "$tone" --min-seconds 3) ||
    fail "$tx audio: $out"
  report "$tx audio $out"
}
# At least 20 of the 30 frames per second of media, minus two seconds for
# the first key frame and the end.
min_frames=$(awk -v s="$media_seconds" 'BEGIN { n = int((s - 2) * 20); print (n < 100 ? 100 : n) }')
check_sender host 440 "$min_frames"
# The late publisher: about LATE_SECONDS minus its join and the
# renegotiation (a few seconds on a loaded machine).
check_sender late 550 50
echo "system.media_werift: passed"
