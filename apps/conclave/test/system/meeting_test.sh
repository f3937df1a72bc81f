#!/usr/bin/env bash
# System test (ctest label `system`): a real server and four `conclave join`
# processes on loopback. The host admits two joiners; all agree on roster,
# epoch and security code; chat reaches everyone; a killed member is removed
# by the server's Remove and a new epoch follows; a late joiner cannot read
# earlier chat; a member that loses its connection resumes; a clean leave is
# committed. Finally the database and the server's log must hold no chat
# text and no key material.
set -euo pipefail
CONCLAVE=$1
source "$(dirname "$0")/system_lib.sh"

start_server --reconnect-grace-ms 1500
create_meeting

start_client host --host-key "$HOST_KEY" --admit all --wait-members 3 \
  --say "hello from the host" --for 60 --test-reveal-secrets
wait_json host '.event == "epoch"' 20
start_client alice --wait-members 3 --say "hi from alice" --for 60 --test-reveal-secrets
start_client bob --wait-members 3 --say "hi from bob" --for 60

# Three members, one roster, one security code.
for who in host alice bob; do
  wait_json "$who" '.event == "roster" and (.members | length) == 3' 30
done
E3=$(jq -r 'select(.event == "roster" and (.members | length) == 3) | .epoch' "$TMP/host.jsonl" | head -n 1)
for who in alice bob; do
  wait_json "$who" ".event == \"epoch\" and .epoch == $E3" 10
done
CODE=$(code_at host "$E3")
[[ -n $CODE && $CODE == "$(code_at alice "$E3")" && $CODE == "$(code_at bob "$E3")" ]] ||
  fail "security codes differ at epoch $E3"
NAMES=$(jq -c "select(.event == \"roster\" and .epoch == $E3) | [.members[].name] | sort" "$TMP/host.jsonl" | head -n 1)
[[ $NAMES == '["alice","bob","host"]' ]] || fail "roster $NAMES"
for who in alice bob; do
  [[ $(jq -c "select(.event == \"roster\" and .epoch == $E3) | [.members[].name] | sort" "$TMP/$who.jsonl" | head -n 1) == "$NAMES" ]] ||
    fail "$who's roster differs"
done

# Chat reaches everyone, from everyone.
wait_json alice '.event == "chat" and .text == "hello from the host" and .from == "host"'
wait_json bob '.event == "chat" and .text == "hello from the host"'
wait_json host '.event == "chat" and .text == "hi from alice" and .from == "alice"'
wait_json bob '.event == "chat" and .text == "hi from alice"'
wait_json host '.event == "chat" and .text == "hi from bob"'
wait_json alice '.event == "chat" and .text == "hi from bob"'

# Killing a member: the server proposes its Remove, a member commits it.
kill -KILL "$PID_bob"
wait "$PID_bob" 2>/dev/null || true
wait_json host ".event == \"roster\" and .epoch > $E3 and ([.members[].name] | sort) == [\"alice\",\"host\"]" 20
wait_json alice ".event == \"roster\" and .epoch > $E3 and ([.members[].name] | sort) == [\"alice\",\"host\"]" 20
E2=$(last_epoch host)
wait_json alice ".event == \"epoch\" and .epoch == $E2" 10
[[ $(code_at host "$E2") == "$(code_at alice "$E2")" ]] || fail "codes differ after the removal"
[[ $(code_at host "$E2") != "$CODE" ]] || fail "the code did not change with the epoch"

# A late joiner reads only what is said after it joined.
start_client carol --wait-members 3 --say "carol is here" --for 8
wait_json carol '.event == "roster" and (.members | length) == 3' 30
wait_json host '.event == "chat" and .text == "carol is here"'
wait_json alice '.event == "chat" and .text == "carol is here"'
[[ $(json_count carol '.event == "chat" and (.text | startswith("h"))') -eq 0 ]] ||
  fail "the late joiner read earlier chat"

# Carol's --for ends: a clean leave, committed by a remaining member.
wait_json carol '.event == "left"' 20
E_CAROL=$(jq -r 'select(.event == "roster" and (.members | length) == 3) | .epoch' "$TMP/carol.jsonl" | head -n 1)
wait_json host ".event == \"roster\" and .epoch > $E_CAROL and ([.members[].name] | sort) == [\"alice\",\"host\"]" 20

# A member whose connection drops resumes within the grace period: still a
# member, same epoch and code as the others, chat still flows.
start_client dave --wait-members 3 --say "dave is here" --test-drop-connection-after 2 --for 40
wait_json host '.event == "chat" and .text == "dave is here"' 30
wait_json dave '.event == "joined" and .resumed == true' 30
# After the resume a new member comes in and speaks: dave follows the
# commit and reads her.
start_client erin --wait-members 4 --say "erin after the drop" --for 20
wait_json dave '.event == "chat" and .text == "erin after the drop"' 30
ED=$(last_epoch dave)
[[ $ED == "$(last_epoch host)" && $(code_at dave "$ED") == "$(code_at host "$ED")" ]] ||
  fail "dave did not recover (epoch $ED, host $(last_epoch host))"
[[ $(json_count host '.event == "rejected"') -eq 0 ]] || fail "the host rejected something"

# No chat text and no key material in the server's database or log.
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "server exit status $?"
SERVER_PID=""
SECRETS=$(jq -r 'select(.event == "epoch") | .sframe_base_key // empty, .epoch_authenticator // empty' "$TMP/host.jsonl" "$TMP/alice.jsonl" | sort -u)
[[ $(wc -l <<<"$SECRETS") -ge 3 ]] || fail "the clients revealed no test secrets"
for needle in "hello from the host" "hi from alice" "hi from bob" "carol is here" "dave is here" "erin after the drop" $SECRETS; do
  if grep -qaF -- "$needle" "$TMP/server.err" "$TMP/data/conclave.db"*; then
    fail "the server stored or logged '$needle'"
  fi
done
echo "meeting system test passed: epochs $E3 → $(last_epoch alice), code at $E3: $CODE"
