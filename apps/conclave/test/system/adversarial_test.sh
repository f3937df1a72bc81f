#!/usr/bin/env bash
# Adversarial system test (ctest label `system`): the server's own code with
# one hostile behaviour switched on (`--test-hostile MODE`, docs/protocol.md)
# and real `conclave join` members, which must notice and refuse:
#
#   server_add          an Add proposed under the server's external-sender key
#   forge_commit        an Add commit the server signed itself
#   tamper_commit       a commit altered on its way to the other members
#   tamper_application  a chat message altered on its way
#   replay              every chat message delivered twice
#   fork                two commits of one epoch, each sent to half the group
#
# Usage: adversarial_test.sh CONCLAVE MODE
set -euo pipefail
CONCLAVE=$1
MODE=$2
source "$(dirname "$0")/system_lib.sh"

export CONCLAVE_TEST_HOSTILE=1
start_server --reconnect-grace-ms 500 --test-hostile "$MODE"
create_meeting

no_server_in_rosters() {
  for who in "$@"; do
    [[ $(json_count "$who" '.event == "roster" and ([.members[].name] | index("conclave-server"))') -eq 0 ]] ||
      fail "$who shows the server in its roster"
  done
}

case $MODE in
  server_add | forge_commit)
    # Two members; a third participant's KeyPackage makes the server try to
    # add a member on its own.
    start_client host --host-key "$HOST_KEY" --admit all --wait-members 2 --for 30
    wait_json host '.event == "epoch"' 20
    start_client alice --wait-members 2 --for 30
    wait_json alice '.event == "roster" and (.members | length) == 2' 30
    start_client bob --for 30
    what=$([[ $MODE == server_add ]] && echo proposal || echo commit)
    for who in host alice; do
      wait_json "$who" ".event == \"rejected\" and .what == \"$what\"" 20
    done
    if [[ $MODE == server_add ]]; then
      for who in host alice; do
        [[ $(json_count "$who" '.event == "rejected" and (.reason | test("CV-POLICY-005"))') -gt 0 ]] ||
          fail "$who did not name CV-POLICY-005"
      done
    fi
    # The honest path still works: the host admits bob, and everyone agrees.
    for who in host alice bob; do
      wait_json "$who" '.event == "roster" and (.members | length) == 3' 30
    done
    E=$(last_epoch host)
    wait_json alice ".event == \"epoch\" and .epoch == $E" 10
    [[ $(code_at host "$E") == "$(code_at alice "$E")" ]] || fail "codes differ"
    no_server_in_rosters host alice bob
    ;;
  tamper_commit)
    # The server alters every commit on its way to the members other than
    # its committer: alice must refuse the commit that adds bob, and so
    # never shows him.
    start_client host --host-key "$HOST_KEY" --admit all --for 20
    wait_json host '.event == "epoch"' 20
    start_client alice --for 20
    wait_json alice '.event == "roster" and (.members | length) == 2' 30
    start_client bob --for 20
    wait_json alice '.event == "rejected" and .what == "commit"' 20
    wait_json host '.event == "roster" and (.members | length) == 3' 20
    sleep 1
    [[ $(json_count alice '.event == "roster" and (.members | length) > 2') -eq 0 ]] ||
      fail "alice applied a tampered commit"
    ;;
  tamper_application | replay)
    start_client host --host-key "$HOST_KEY" --admit all --wait-members 2 --say "one from the host" --for 20
    wait_json host '.event == "epoch"' 20
    start_client alice --wait-members 2 --say "one from alice" --for 20
    wait_json alice '.event == "rejected" and .what == "application"' 20
    wait_json host '.event == "rejected" and .what == "application"' 20
    if [[ $MODE == tamper_application ]]; then
      [[ $(json_count alice '.event == "chat" and (.self | not)') -eq 0 &&
         $(json_count host '.event == "chat" and (.self | not)') -eq 0 ]] ||
        fail "a tampered chat message was shown"
    else
      wait_json alice '.event == "chat" and .text == "one from the host"'
      wait_json host '.event == "chat" and .text == "one from alice"'
      [[ $(json_count alice '.event == "chat" and (.self | not)') -eq 1 &&
         $(json_count host '.event == "chat" and (.self | not)') -eq 1 ]] ||
        fail "a replayed chat message was shown twice"
    fi
    ;;
  fork)
    start_client host --host-key "$HOST_KEY" --admit all --for 40
    wait_json host '.event == "epoch"' 20
    for who in alice bob carol; do start_client "$who" --for 40; done
    for who in host alice bob carol; do
      wait_json "$who" '.event == "roster" and (.members | length) == 4' 40
    done
    E=$(last_epoch host)
    for who in alice bob carol; do wait_json "$who" ".event == \"epoch\" and .epoch == $E" 10; done
    # Carol drops; the server proposes her Remove and holds the first commit
    # until a second member commits too, then splits the group.
    kill -KILL "$PID_carol"
    wait "$PID_carol" 2>/dev/null || true
    for who in host alice bob; do
      wait_json "$who" ".event == \"epoch\" and .epoch == $((E + 1))" 30
    done
    codes=$(for who in host alice bob; do code_at "$who" $((E + 1)); done | sort -u | wc -l)
    [[ $codes -ge 2 ]] || fail "a forked group shows one security code"
    ;;
  *)
    fail "unknown mode $MODE"
    ;;
esac
echo "adversarial system test passed: $MODE"
