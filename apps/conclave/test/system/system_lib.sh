# Shared helpers of the multi-process system tests (sourced, not run).
# Every wait is bounded; cleanup kills whatever is still running.
#
#   start_server [server flags...]   sets URL, FP, SERVER_PID; logs in $TMP/server.err
#                                    (log level $SERVER_LOG_LEVEL, default debug)
#   create_meeting [--passcode P]    sets MEETING, HOST_KEY, LINK
#   start_client NAME [join flags]   `conclave join LINK --name NAME --json ...` in the
#                                    background, events in $TMP/NAME.jsonl
#   wait_json NAME FILTER [SECONDS]  until some event of NAME matches the jq FILTER
#   json_count NAME FILTER           how many events of NAME match FILTER

TMP=$(mktemp -d)
PIDS=()
SERVER_PID=""

cleanup() {
  for pid in "${PIDS[@]}" $SERVER_PID; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [[ -n ${KEEP_TMP:-} ]]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

fail() {
  echo "system test FAILED: $*" >&2
  echo "--- server stderr (tail):" >&2
  tail -n 40 "$TMP/server.err" >&2 || true
  for f in "$TMP"/*.jsonl; do
    [[ -e $f ]] || continue
    echo "--- $(basename "$f") (tail):" >&2
    tail -n 15 "$f" >&2
    tail -n 5 "${f%.jsonl}.err" >&2 2>/dev/null || true
  done
  exit 1
}

start_server() {
  "$CONCLAVE" server --listen 127.0.0.1:0 --data-dir "$TMP/data" \
    --log-level "${SERVER_LOG_LEVEL:-debug}" "$@" \
    >"$TMP/server.out" 2>"$TMP/server.err" &
  SERVER_PID=$!
  for _ in $(seq 300); do
    grep -q '^conclave: ready at ' "$TMP/server.out" && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited before it was ready"
    sleep 0.1
  done
  local ready
  ready=$(grep '^conclave: ready at ' "$TMP/server.out") || fail "no ready line in 30 s"
  URL=$(sed -n 's/^conclave: ready at \(https:[^ ]*\) (certificate sha256 \([0-9A-F:]*\))$/\1/p' <<<"$ready")
  FP=$(sed -n 's/^conclave: ready at https:[^ ]* (certificate sha256 \([0-9A-F:]*\))$/\1/p' <<<"$ready")
  [[ -n $URL && -n $FP ]] || fail "ready line: $ready"
}

create_meeting() {
  "$CONCLAVE" meeting create --server "$URL" --fingerprint "$FP" "$@" >"$TMP/meeting.json" ||
    fail "meeting create"
  MEETING=$(jq -er .meeting_id "$TMP/meeting.json")
  HOST_KEY=$(jq -er .host_key "$TMP/meeting.json")
  LINK=$(jq -er .join_link "$TMP/meeting.json")
}

start_client() {
  local name=$1
  shift
  "$CONCLAVE" join "$LINK" --fingerprint "$FP" --name "$name" --json "$@" \
    >"$TMP/$name.jsonl" 2>"$TMP/$name.err" &
  PIDS+=($!)
  eval "PID_$name=$!"
}

json_count() {
  local name=$1 filter=$2
  jq -c "select($filter)" "$TMP/$name.jsonl" 2>/dev/null | wc -l
}

wait_json() {
  local name=$1 filter=$2 seconds=${3:-30}
  local tries=$((seconds * 10))
  for _ in $(seq "$tries"); do
    [[ $(json_count "$name" "$filter") -gt 0 ]] && return 0
    sleep 0.1
  done
  fail "$name: no event matching '$filter' within $seconds s"
}

# The security code NAME showed for EPOCH.
code_at() {
  jq -r "select(.event == \"epoch\" and .epoch == $2) | .security_code" "$TMP/$1.jsonl" | tail -n 1
}

# The newest epoch NAME reached.
last_epoch() {
  jq -r 'select(.event == "epoch") | .epoch' "$TMP/$1.jsonl" | tail -n 1
}
