#!/usr/bin/env bash
# Installs every Debian package Conclave needs to build, test and fuzz.
# Idempotent: when everything is present it changes nothing and does not
# touch the network; otherwise it runs `apt-get update` once and installs
# what is missing. Runs as root, or through sudo when available.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ clang-14 clang cmake ninja-build pkg-config git
  # sanitizer and libFuzzer runtimes for clang
  libclang-rt-14-dev
  # libraries
  libssl-dev nlohmann-json3-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # fuzz seeds are cut from the JSON vectors
  jq xxd
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}"
