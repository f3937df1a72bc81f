#!/usr/bin/env bash
# Media under loss (ctest label `system`): the server drops 5% of the
# RTP/RTCP datagrams at its media port at random, both ways
# (--test-media-loss 0.05). Two members send each other audio and video
# for about 12 s; video must still decode (NACKs answered from the SFU's
# cache or by the sender, PLIs for what is gone), every decoded frame must
# match its source (PSNR >= 30 dB), and the frames decoded against the
# frames sent are reported.
set -euo pipefail
CONCLAVE=$1
CHECK=$2
source "$(dirname "$0")/system_lib.sh"

export CONCLAVE_TEST_HOSTILE=1  # for --test-media-loss only
start_server --media-port 0 --test-media-loss 0.05
create_meeting

declare -A TONE=([host]=440 [alice]=550)
media() {
  echo --publish test --tone-hz "${TONE[$1]}" --video-size 320x180 --video-kbps 500 \
    --record "$TMP/rec-$1"
}
start_client host --host-key "$HOST_KEY" --admit all --for 16 $(media host)
wait_json host '.event == "epoch"' 20
start_client alice --for 14 $(media alice)
for who in host alice; do
  pid_var="PID_$who"
  for _ in $(seq 300); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.1; done
  kill -0 "${!pid_var}" 2>/dev/null && fail "$who did not end"
  wait_json "$who" '.event == "media_stats"' 5
done

pid_of() { jq -r 'select(.event == "joined") | .participant_id' "$TMP/$1.jsonl" | head -n 1; }
for pair in "host alice" "alice host"; do
  read -r rx tx <<<"$pair"
  sent=$(jq 'select(.event == "media_stats") | .video_sent.frames' "$TMP/$tx.jsonl" | tail -n 1)
  got=$(jq -c "select(.event == \"media_stats\") | [.received[] | select(.kind == \"video\" and .participant_id == \"$(pid_of "$tx")\")][0]" "$TMP/$rx.jsonl" | tail -n 1)
  decoded=$(jq '.frames_decoded' <<<"$got")
  mid=$(jq -r '.mid' <<<"$got")
  echo "media under 5% loss: $rx <- $tx: video frames sent $sent, decoded $decoded; $(jq -c '{frames_lost, decrypt_failures, latency_ms_p50, latency_ms_p99}' <<<"$got")"
  [[ $sent -gt 100 && $decoded -ge $((sent * 7 / 10)) ]] || fail "$rx decoded $decoded of $sent frames of $tx"
  out=$("$CHECK" video "$TMP/rec-$rx/$(pid_of "$tx")-$mid.y4m" --min-frames 100 --min-psnr 30) ||
    fail "$rx <- $tx video: $out"
  echo "media under 5% loss: $rx <- $tx recording $out"
done
grep -q 'TEST loss of 5.0%' "$TMP/server.err" || fail "the server did not apply the loss"
echo "system.media_loss_5_percent: passed"
