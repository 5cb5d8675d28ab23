#!/usr/bin/env bash
# Checks that the committed Wails bindings (frontend/wailsjs) match the Go
# facades: it copies the sources (tracked and new files, not ignored ones)
# to a temporary folder, regenerates the bindings there with
# `wails generate module`, and compares. The working tree is not touched.
#
#   scripts/check-bindings.sh bin/wails [-tags webkit2_41]
set -euo pipefail

wails=$(realpath "${1:?usage: $0 WAILS_CLI [-tags TAGS]}")
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf - | tar -xf - -C "$work/"
mkdir -p "$work/frontend/dist"
rm -rf "$work/frontend/wailsjs"

# Generating runs the app's main to collect the bound objects: keep its
# files in the temporary folder.
if ! (cd "$work" && PODCASTFY_HOME="$work/.home" "$wails" generate module -nocolour "$@" >"$work/.generate.log" 2>&1); then
  cat "$work/.generate.log" >&2
  echo "check-bindings: wails generate module failed" >&2
  exit 1
fi
if ! diff -r "$work/frontend/wailsjs" frontend/wailsjs; then
  echo "check-bindings: frontend/wailsjs is out of date with the Go facades." >&2
  echo "Regenerate with 'make build' (or bin/wails generate module) and commit frontend/wailsjs." >&2
  exit 1
fi
echo "check-bindings: frontend/wailsjs matches the Go facades"
