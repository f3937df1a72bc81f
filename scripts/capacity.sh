#!/usr/bin/env bash
# Capacity of one server on this machine (docs/performance.md, "Capacity").
# Not part of CI; every step ends by itself.
#
#   scripts/capacity.sh [BUILD_DIR] [video|audio|both] [SECONDS]
#   (VIDEO_STEPS="8 9 10" / AUDIO_STEPS="4 6" run chosen steps only)
#
# Each step starts a fresh server (loopback, --media-port 0) pinned to CPU 0
# and runs `conclave load --media` pinned to CPU 1: the load clients do as
# much SRTP work as the server (they protect every packet the server
# unprotects, and unprotect every packet it protects), so one core each is
# the fair split of a 2-core machine. Both run at nice $NICE (default -15,
# when allowed) so that whatever else runs on the machine (builds) takes
# only the CPU they leave; the load average before each step is printed.
# The kernel's UDP receive-buffer drops over each step (RcvbufErrors in
# /proc/net/snmp, server and load sockets together) are printed beside the
# loss.
#
#   video: meetings of 5, each member publishing 1 Mbit/s (synthetic frames)
#          and receiving the other 4, so every publisher has 4 subscribers;
#          K = 1, 2, 4, 6, 8, ... meetings
#   audio: meetings of 10, all publishing audio (20 ms frames of 80 bytes);
#          K = 1, 2, 4, 8, 16, ... meetings
#
# A ramp stops at the first step with loss >= 1%, or where the load side
# could not keep up: its CPU neared 100%, or what reached the server in the
# window fell below 98% of the senders' schedule (sent%: publishers x
# frames/s x packets per frame) while more than 1% of the senders' frames
# went out over 100 ms late. That is the limit of the method, not of the
# server, and the table says so (checked before the loss). A shortfall at
# the server with senders on time is loss between them (the kernel's
# receive-buffer drops show in rcvbuf). Results: one JSON line per
# step in $OUT (default /tmp/conclave-capacity), and a table per mode.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
MODES=${2:-both}
SECONDS_PER_STEP=${3:-20}
CONCLAVE=$BUILD_DIR/bin/conclave
OUT=${OUT:-/tmp/conclave-capacity}
MAX_VIDEO_MEETINGS=${MAX_VIDEO_MEETINGS:-30}
MAX_AUDIO_MEETINGS=${MAX_AUDIO_MEETINGS:-64}
NICE=${NICE:--15}
[[ $(nice -n "$NICE" nice 2>/dev/null) == "$NICE" ]] || NICE=0
[[ -x $CONCLAVE ]] || { echo "capacity.sh: no $CONCLAVE (build the conclave target)" >&2; exit 2; }
command -v taskset >/dev/null || { echo "capacity.sh: needs taskset (util-linux)" >&2; exit 2; }
command -v jq >/dev/null || { echo "capacity.sh: needs jq" >&2; exit 2; }
mkdir -p "$OUT"
TMP=$(mktemp -d)
SERVER_PID=""
stop_server() {
  if [[ -n $SERVER_PID ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
trap 'stop_server; rm -rf "$TMP"' EXIT

# Meeting creation and joins are rate-limited per address by default; the
# load comes from one address.
cat >"$TMP/capacity.toml" <<'TOML'
log_level = "warn"
[rate_limit]
create_address_burst = 100000
create_address_per_minute = 6000000
auth_address_burst = 100000
auth_address_per_minute = 6000000
auth_meeting_burst = 100000
auth_meeting_per_minute = 6000000
TOML

udp_rcvbuf_errors() {
  awk '/^Udp: [0-9]/ { print $6 }' /proc/net/snmp
}

start_server() {
  rm -rf "$TMP/data"
  nice -n "$NICE" taskset -c 0 "$CONCLAVE" server --config "$TMP/capacity.toml" --listen 127.0.0.1:0 \
    --media-port 0 --data-dir "$TMP/data" >"$TMP/server.out" 2>"$TMP/server.err" &
  SERVER_PID=$!
  for _ in $(seq 300); do
    grep -q '^conclave: ready at ' "$TMP/server.out" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.err" >&2; exit 1; }
    sleep 0.1
  done
  local ready
  ready=$(grep '^conclave: ready at ' "$TMP/server.out") || { echo "server not ready" >&2; exit 1; }
  URL=$(sed -n 's/^conclave: ready at \(https:[^ ]*\) (certificate sha256 \([0-9A-F:]*\))$/\1/p' <<<"$ready")
  FP=$(sed -n 's/^conclave: ready at https:[^ ]* (certificate sha256 \([0-9A-F:]*\))$/\1/p' <<<"$ready")
}

# run_step MODE MEETINGS CLIENTS: one bounded load run; prints its table row
# and sets VERDICT (ok, loss, load_limit, failed).
run_step() {
  local mode=$1 meetings=$2 clients=$3 deadline=$((60 + 2 * $2 * $3 / 5))
  start_server
  local loadavg json="$OUT/$mode-$meetings.json"
  loadavg=$(cut -d' ' -f1 /proc/loadavg)
  local rcvbuf_before rcvbuf_after
  rcvbuf_before=$(udp_rcvbuf_errors)
  timeout --kill-after=10 $((deadline + SECONDS_PER_STEP + 60)) \
    nice -n "$NICE" taskset -c 1 "$CONCLAVE" load --server "$URL" --fingerprint "$FP" --meetings "$meetings" \
    --clients "$clients" --media "$mode" --seconds "$SECONDS_PER_STEP" --deadline "$deadline" \
    --server-pid "$SERVER_PID" >"$json" 2>"$TMP/load.err" || true
  rcvbuf_after=$(udp_rcvbuf_errors)
  stop_server
  if ! jq -e .media >/dev/null 2>&1 <"$json"; then
    printf '%4d %6d  load run failed: %s\n' "$meetings" $((meetings * clients)) \
      "$(tail -c 300 "$TMP/load.err" | tr '\n' ' ')"
    VERDICT=failed
    return
  fi
  jq --arg loadavg "$loadavg" --arg rcvbuf $((rcvbuf_after - rcvbuf_before)) \
    '. + {loadavg_before: ($loadavg | tonumber), udp_rcvbuf_errors: ($rcvbuf | tonumber)}' \
    "$json" >"$json.tmp" &&
    mv "$json.tmp" "$json"
  # The offered load: what the senders' schedule puts on the wire per
  # second (publishers x frames/s x packets per frame), against what reached
  # the server in the window.
  jq '. + {offered_pps: (.clients * (if .media.kind == "video" then 30 else 50 end) *
                          (.media.packets_sent / ([.media.sender_schedule.frames, 1] | max)))}
       | . + {offered_ratio: (.media.window.server.rtp_received / .media.window.seconds /
                              ([.offered_pps, 1] | max))}' "$json" >"$json.tmp" &&
    mv "$json.tmp" "$json"
  VERDICT=$(jq -r '
    if .failed > 0 or .media.window == null or .media.tracks < .media.tracks_expected then "failed"
    elif .media.window.load_cpu_percent >= 95 or
         (.offered_ratio < 0.98 and .media.sender_schedule.late_percent >= 1) then "load_limit"
    elif .media.loss_percent >= 1 or .media.max_receiver_loss_percent >= 1 then "loss"
    else "ok" end' "$json")
  jq -r --arg v "$VERDICT" '
    .media as $m | $m.window as $w |
    [ .meetings, .clients,
      ($w.server.rtp_received / $w.seconds | floor),
      ($w.server.rtp_forwarded / $w.seconds | floor),
      ($w.server.bytes_sent * 8 / $w.seconds / 1e6 | floor),
      ($m.loss_percent * 1000 | round / 1000),
      ($m.max_receiver_loss_percent * 1000 | round / 1000),
      ($w.server.dropped), .udp_rcvbuf_errors,
      ($w.server.cpu_percent // -1 | round),
      ($w.load_cpu_percent | round),
      (.offered_ratio * 1000 | round / 10),
      .loadavg_before, $v ] | @tsv' "$json" |
    awk -F'\t' '{ printf "%4d %6d %8d %9d %7d %7.3f %8.3f %7d %7d %5d%% %5d%% %6.2f %6.1f  %s\n",
      $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 }'
}

header() {
  printf '%4s %6s %8s %9s %7s %7s %8s %7s %7s %6s %6s %6s %6s  %s\n' \
    K people "in pkt/s" "out pkt/s" "Mbit/s" "loss%" "worst%" dropped rcvbuf srvCPU loadCPU sent% \
    ldavg verdict
}

ramp() {  # MODE CLIENTS MAX K...
  local mode=$1 clients=$2 max=$3 k last_ok=0
  shift 3
  echo "== $mode: meetings of $clients, ${SECONDS_PER_STEP}s of media per step" \
    "(server CPU 0, load CPU 1, nice $NICE)"
  header
  for k in "$@"; do
    ((k > max)) && break
    run_step "$mode" "$k" "$clients"
    case $VERDICT in
      ok) last_ok=$k ;;
      *) break ;;
    esac
  done
  echo "-- $mode: $last_ok meetings of $clients ($((last_ok * clients)) participants) under 1% loss;" \
    "stopped by: ${VERDICT}"
  echo
}

if [[ $MODES == video || $MODES == both ]]; then
  # shellcheck disable=SC2086
  ramp video 5 "$MAX_VIDEO_MEETINGS" ${VIDEO_STEPS:-1 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30}
fi
if [[ $MODES == audio || $MODES == both ]]; then
  # shellcheck disable=SC2086
  ramp audio 10 "$MAX_AUDIO_MEETINGS" ${AUDIO_STEPS:-1 2 4 8 16 32 64}
fi
