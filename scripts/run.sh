#!/usr/bin/env bash
# The README's run command: installs what is needed, builds, and starts the
# Conclave server on its embedded defaults (data in ./conclave-data, HTTPS
# and WSS on 127.0.0.1:8443, a self-signed certificate created on first
# start). Extra arguments go to `conclave server` (see docs/operations.md),
# e.g. scripts/run.sh --listen 127.0.0.1:9443. The upstream vectors run in
# the test command (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
# The browser client's pages (web/dist), served at / (docs/web.md); Node and
# web/node_modules come from install-deps.
node web/scripts/build.mjs --no-typecheck
exec build/bin/conclave server "$@"
