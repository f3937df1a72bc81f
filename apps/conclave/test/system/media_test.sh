#!/usr/bin/env bash
# Media system test (ctest label `system`): a real server (its SFU on a UDP
# port) and `conclave join --publish test --record DIR` processes on
# loopback. Three members exchange audio and video; then a fourth joins and
# one leaves while media flows (two epoch changes).
#   - every receiver decodes every sender: the video matches its source
#     (PSNR >= 30 dB against the test pattern frame the counter names) and
#     the audio is the sender's tone;
#   - loss around the epoch changes is reported and bounded;
#   - the SFU's capture (every RTP packet once SRTP is off: what the server
#     can read) holds nothing decodable;
#   - the departed member (bob), holding every SFrame key it ever had
#     (--test-reveal-secrets), opens none of the frames sent after its
#     removal, though it opens frames sent while it was there.
set -euo pipefail
CONCLAVE=$1
CHECK=$2
source "$(dirname "$0")/system_lib.sh"

export CONCLAVE_TEST_HOSTILE=1  # for --test-media-capture only
start_server --media-port 0 --test-media-capture "$TMP/capture.bin"
create_meeting

declare -A TONE=([host]=440 [alice]=550 [bob]=660 [carol]=770)
media() {
  echo --publish test --tone-hz "${TONE[$1]}" --video-size 320x180 --video-kbps 500 \
    --record "$TMP/rec-$1"
}

start_client host --host-key "$HOST_KEY" --admit all --for 30 $(media host)
wait_json host '.event == "epoch"' 20
start_client alice --for 28 $(media alice)
start_client bob --for 16 --test-reveal-secrets $(media bob)
for who in host alice bob; do
  wait_json "$who" '.event == "roster" and (.members | length) == 3' 30
done
# Everyone receives the two others' audio and video.
for who in host alice bob; do
  wait_json "$who" '.event == "media_connected" and .transport == "subscribe"' 20
  for _ in $(seq 100); do
    [[ $(json_count "$who" '.event == "media_track"') -ge 4 ]] && break
    sleep 0.1
  done
  [[ $(json_count "$who" '.event == "media_track"') -ge 4 ]] || fail "$who: not 4 tracks"
done
sleep 8
# Keys rotate under media: carol joins, then bob leaves (his --for ends).
start_client carol --for 9 $(media carol)
wait_json carol '.event == "media_track"' 20
# A late joiner learns who speaks at once (the SFU reports only changes).
wait_json carol '.event == "active_speaker" and .participant_id != null' 10

# Once the host and alice have moved to the epoch without bob, and a
# second more for frames in flight, everything the capture gets is sealed
# under keys bob never held.
gone='.event == "epoch" and .epoch > $BOB_LAST'
for _ in $(seq 400); do kill -0 "$PID_bob" 2>/dev/null || break; sleep 0.1; done
BOB_LAST=$(jq -s '[.[] | select(.event == "epoch") | .epoch] | max' "$TMP/bob.jsonl")
for who in host alice; do
  for _ in $(seq 100); do
    [[ $(jq -c --argjson BOB_LAST "$BOB_LAST" "select($gone)" "$TMP/$who.jsonl" | wc -l) -gt 0 ]] && break
    sleep 0.1
  done
  [[ $(jq -c --argjson BOB_LAST "$BOB_LAST" "select($gone)" "$TMP/$who.jsonl" | wc -l) -gt 0 ]] ||
    fail "$who never left epoch $BOB_LAST behind"
done
sleep 1
SPLIT=$(stat -c %s "$TMP/capture.bin")

for who in bob carol alice host; do
  pid_var="PID_$who"
  for _ in $(seq 400); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
  kill -0 "${!pid_var}" 2>/dev/null && fail "$who did not end"
  wait_json "$who" '.event == "media_stats"' 5
done

pid_of() { jq -r 'select(.event == "joined") | .participant_id' "$TMP/$1.jsonl" | head -n 1; }
mid_of() {  # receiver, sender, kind
  jq -r "select(.event == \"media_track\" and .participant_id == \"$(pid_of "$2")\" and .kind == \"$3\") | .mid" \
    "$TMP/$1.jsonl" | head -n 1
}
report() { echo "media: $*"; }

# Every receiver decodes every sender it overlapped with.
check_pair() {  # receiver sender min_frames
  local rx=$1 tx=$2 min=$3 mid file out
  mid=$(mid_of "$rx" "$tx" video)
  [[ -n $mid ]] || fail "$rx never received $tx's video"
  file="$TMP/rec-$rx/$(pid_of "$tx")-$mid.y4m"
  out=$("$CHECK" video "$file" --min-frames "$min" --min-psnr 30) || fail "$rx <- $tx video: $out"
  report "$rx <- $tx video $out"
  mid=$(mid_of "$rx" "$tx" audio)
  file="$TMP/rec-$rx/$(pid_of "$tx")-$mid.wav"
  out=$("$CHECK" audio "$file" --tone "${TONE[$tx]}" --min-seconds 3) || fail "$rx <- $tx audio: $out"
  report "$rx <- $tx audio $out"
}
for rx in host alice; do
  for tx in host alice bob carol; do
    [[ $rx == "$tx" ]] && continue
    check_pair "$rx" "$tx" 90
  done
done
check_pair bob host 200
check_pair bob alice 200
check_pair carol host 90
check_pair carol alice 90

# Decryption never failed at steady state; loss around the epoch changes
# stays small. The counts are printed for the closing note.
for who in host alice bob carol; do
  stats=$(jq -c 'select(.event == "media_stats") | [.received[] | {from: .participant_id, kind, frames_decoded, frames_lost, decrypt_failures, unknown_epoch, latency_ms_p50, latency_ms_p99}]' "$TMP/$who.jsonl" | tail -n 1)
  report "$who received $stats"
  lost=$(jq '[.[] | select(.kind == "video") | .frames_lost] | max // 0' <<<"$stats")
  [[ $lost -le 45 ]] || fail "$who lost $lost video frames in one track"
  failures=$(jq '[.[] | .decrypt_failures] | add // 0' <<<"$stats")
  [[ $failures -le 20 ]] || fail "$who: $failures decrypt failures"
done

# What the server sees: ciphertext only.
out=$("$CHECK" capture "$TMP/capture.bin" --tones 440,550,660,770) || fail "capture: $out"
report "server capture $out"
# The departed member decrypts nothing sent after its removal.
BOB_KEYS=$(jq -r 'select(.event == "epoch" and .sframe_base_key) | "\(.epoch):\(.sframe_base_key)"' \
  "$TMP/bob.jsonl" | paste -sd, -)
[[ -n $BOB_KEYS ]] || fail "bob revealed no keys"
out=$("$CHECK" departed "$TMP/capture.bin" --keys "$BOB_KEYS" --split "$SPLIT") ||
  fail "departed: $out"
report "departed bob $out"
echo "system.media_three_participants: passed"
