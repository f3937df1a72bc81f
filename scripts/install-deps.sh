#!/usr/bin/env bash
# Installs every dependency Conclave needs to build, test and fuzz:
#  1. Debian packages (apt). Idempotent: when everything is present it changes
#     nothing and does not touch the network; otherwise it runs
#     `apt-get update` once and installs what is missing. Runs as root, or
#     through sudo when available.
#  2. The npm packages of each npm folder (NPM_DIRS: the interop tests
#     against ts-mls and werift, the browser client), with `npm ci`, when
#     its node_modules is missing or older than its package-lock.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

PACKAGES=(
  # toolchain
  g++ clang-14 clang cmake ninja-build pkg-config git ccache
  # sanitizer and libFuzzer runtimes for clang
  libclang-rt-14-dev
  # libraries
  libssl-dev nlohmann-json3-dev
  # server: Asio + Beast (header-only), SQLite store, logging, CLI, config
  libboost-dev libsqlite3-dev libspdlog-dev libcli11-dev libtomlplusplus-dev
  # media: VP8 and Opus codecs
  libvpx-dev libopus-dev
  # tests and benchmarks (libsrtp2: the reference net_test checks our SRTP
  # against)
  libgtest-dev libgmock-dev libbenchmark-dev libsrtp2-dev
  # fuzz seeds are cut from the JSON vectors
  jq xxd
  # interop tests: MLS against ts-mls (interop/ts-mls), werift as an SFU
  # subscriber (interop/werift); the browser client (web/)
  nodejs npm
  # the browser tests drive Debian's Chromium headless (playwright-core)
  chromium
)

# A Node.js that is already installed from another source (such as a
# nodesource `nodejs`, which bundles npm and conflicts with Debian's `npm`)
# satisfies nodejs and npm: they are installed from Debian only when the
# `node` or `npm` command is missing.
node_present() { command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; }

missing=()
for p in "${PACKAGES[@]}"; do
  if [[ $p == nodejs || $p == npm ]] && node_present; then continue; fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
else
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}"
fi

# npm packages of each npm folder. npm writes node_modules/.package-lock.json
# last, so its absence also catches an interrupted install.
NPM_DIRS=(
  interop/ts-mls
  interop/werift
  web
)
for dir in "${NPM_DIRS[@]}"; do
  if [[ -f $ROOT/$dir/package-lock.json ]]; then
    if [[ ! -f $ROOT/$dir/node_modules/.package-lock.json ||
          $ROOT/$dir/package-lock.json -nt $ROOT/$dir/node_modules/.package-lock.json ]]; then
      echo "install-deps: npm ci in $dir"
      (cd "$ROOT/$dir" && npm ci --no-audit --no-fund --loglevel=error)
    else
      echo "install-deps: $dir/node_modules up to date"
    fi
  fi
done
