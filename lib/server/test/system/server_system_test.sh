#!/usr/bin/env bash
# System test (ctest label `system`): the real `conclave` binary on a random
# loopback port with a fresh data dir; `conclave meeting create` over pinned
# HTTPS; the WebSocket probe runs hello / wrong passcode / lobby / admit /
# leave; a wrong pin is refused; SIGTERM must end the server with exit 0.
# Every wait is bounded.
set -euo pipefail

CONCLAVE=$1
PROBE=$2
TMP=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -KILL "$SERVER_PID" || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "system test FAILED: $*" >&2; echo "--- server stderr:" >&2; cat "$TMP/stderr" >&2 || true; exit 1; }

"$CONCLAVE" server --listen 127.0.0.1:0 --data-dir "$TMP/data" --log-level debug \
  >"$TMP/stdout" 2>"$TMP/stderr" &
SERVER_PID=$!

# The ready line, within 30 s.
for _ in $(seq 300); do
  grep -q '^conclave: ready at ' "$TMP/stdout" && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited before it was ready"
  sleep 0.1
done
grep -q '^conclave: ready at ' "$TMP/stdout" || fail "no ready line in 30 s"
[[ $(wc -l <"$TMP/stdout") -eq 1 ]] || fail "stdout has more than the ready line"
READY=$(cat "$TMP/stdout")
URL=$(sed -n 's/^conclave: ready at \(https:\/\/127\.0\.0\.1:[0-9]*\) (certificate sha256 \([0-9A-F:]*\))$/\1/p' <<<"$READY")
FP=$(sed -n 's/^conclave: ready at https:[^ ]* (certificate sha256 \([0-9A-F:]*\))$/\1/p' <<<"$READY")
[[ -n $URL && ${#FP} -eq 95 ]] || fail "ready line not as documented: $READY"
[[ -f $TMP/data/tls/cert.pem && -f $TMP/data/tls/key.pem && -f $TMP/data/conclave.db ]] ||
  fail "data dir not populated"
[[ $(stat -c %a "$TMP/data/tls/key.pem") == 600 ]] || fail "private key is not mode 0600"

# Create a meeting, pinning the certificate read from the data dir.
PASSCODE="pc-$RANDOM-$RANDOM"
"$CONCLAVE" meeting create --server "$URL" --data-dir "$TMP/data" --passcode "$PASSCODE" \
  >"$TMP/meeting.json" || fail "meeting create"
[[ $(wc -l <"$TMP/meeting.json") -eq 1 ]] || fail "meeting create printed more than one line"
MEETING=$(jq -er .meeting_id "$TMP/meeting.json") || fail "no meeting_id"
HOST_KEY=$(jq -er .host_key "$TMP/meeting.json") || fail "no host_key"
LINK=$(jq -er .join_link "$TMP/meeting.json") || fail "no join_link"
[[ $LINK == "$URL/j/$MEETING" ]] || fail "join link $LINK"
[[ $(jq -r 'keys | join(",")' "$TMP/meeting.json") == "host_key,join_link,meeting_id" ]] ||
  fail "unexpected keys in $(cat "$TMP/meeting.json")"

# A wrong pin is refused, and --server without a pin is refused.
BAD_FP="00${FP:2}"
[[ $BAD_FP != "$FP" ]] || BAD_FP="11${FP:2}"
if "$CONCLAVE" meeting create --server "$URL" --fingerprint "$BAD_FP" >/dev/null 2>"$TMP/bad-pin"; then
  fail "a wrong fingerprint was accepted"
fi
grep -q "pinned fingerprint" "$TMP/bad-pin" || fail "wrong-pin error not reported: $(cat "$TMP/bad-pin")"
if "$CONCLAVE" meeting create --server "$URL" >/dev/null 2>&1; then
  fail "--server without a fingerprint was accepted"
fi

# Secrets never reach the logs or the database in clear.
timeout 60 "$PROBE" "$URL" "$FP" "$MEETING" "$HOST_KEY" "$PASSCODE" || fail "signaling probe"
for secret in "$PASSCODE" "$HOST_KEY"; do
  if grep -qF -- "$secret" "$TMP/stderr" "$TMP/data/conclave.db"*; then fail "a secret leaked"; fi
done

# SIGTERM: clean shutdown, exit 0, within 10 s.
kill -TERM "$SERVER_PID"
for _ in $(seq 100); do
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$SERVER_PID" 2>/dev/null; then fail "server still running 10 s after SIGTERM"; fi
set +e
wait "$SERVER_PID"
STATUS=$?
set -e
SERVER_PID=""
[[ $STATUS -eq 0 ]] || fail "server exit status $STATUS after SIGTERM"
echo "system test passed: $URL, meeting ${MEETING:0:6}…"
