#!/usr/bin/env bash
# Load system test (ctest label `system`): 100 clients in 10 meetings join
# through the lobby and chat, against the real server. The test passes when
# every client joined and every chat message reached every other member; it
# reports the join-time percentiles (never gates on them).
set -euo pipefail
CONCLAVE=$1
MEETINGS=${LOAD_MEETINGS:-10}
CLIENTS=${LOAD_CLIENTS:-10}
source "$(dirname "$0")/system_lib.sh"

SERVER_LOG_LEVEL=info start_server
"$CONCLAVE" load --server "$URL" --fingerprint "$FP" --meetings "$MEETINGS" --clients "$CLIENTS" \
  --deadline 180 >"$TMP/load.json" 2>"$TMP/load.err" || fail "load run: $(cat "$TMP/load.json" "$TMP/load.err")"
RESULT=$(cat "$TMP/load.json")
[[ $(jq -r .joined <<<"$RESULT") -eq $((MEETINGS * CLIENTS)) ]] || fail "not everyone joined: $RESULT"
[[ $(jq -r '.chats_delivered == .chats_expected' <<<"$RESULT") == true ]] || fail "chat lost: $RESULT"
echo "load: $RESULT"
echo "load: join time p50 $(jq -r .join_ms.p50 <<<"$RESULT") ms, p99 $(jq -r .join_ms.p99 <<<"$RESULT") ms ($((MEETINGS * CLIENTS)) clients in $MEETINGS meetings)"
