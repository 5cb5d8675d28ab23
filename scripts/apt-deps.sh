#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages given as arguments that dpkg does not
# list as installed. Runs apt-get update only when something is missing, and
# uses sudo when not root. Prints what it does; exits non-zero on failure.
set -euo pipefail

missing=()
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "apt: all ${#} packages installed"
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "apt: missing packages ${missing[*]}, and apt-get is not here: install them with your package manager" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "apt: missing packages ${missing[*]}: run as root or install sudo" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "apt: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
