#!/usr/bin/env bash
# Opens the desktop app in a private virtual X server, waits until its window
# shows a rendered page, saves a screenshot of the whole screen and closes
# everything again. The app runs with PODCASTFY_HOME in a temporary folder,
# so the user's own settings and library are never touched.
#
#   scripts/desktop-screenshot.sh build/bin/podcastfy test-artifacts/desktop.png
#
# Needs xvfb, x11-utils (xwininfo) and imagemagick (import, identify).
set -euo pipefail

app=${1:?usage: $0 APP_BINARY OUTPUT.png}
out=${2:?usage: $0 APP_BINARY OUTPUT.png}
timeout_s=${SCREENSHOT_TIMEOUT:-60}
[ -x "$app" ] || { echo "$app is not an executable: run make build first" >&2; exit 1; }
mkdir -p "$(dirname "$out")"

work=$(mktemp -d)
xvfb_pid=""
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Xvfb picks a free display number and writes it to the descriptor we give it.
exec {dfd}>"$work/display"
Xvfb -displayfd "$dfd" -screen 0 1280x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -s "$work/display" ] && break
  sleep 0.1
done
exec {dfd}>&-
[ -s "$work/display" ] || { echo "Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$work/display")"

started=$(date +%s.%N)
PODCASTFY_HOME="$work/home" "$app" >"$work/app.log" 2>&1 &
app_pid=$!

# Wait for the window, then for the page inside it: a blank window has a
# handful of colours, the rendered welcome screen has many.
deadline=$((SECONDS + timeout_s))
until xwininfo -root -tree 2>/dev/null | grep -q '"podcastfy"'; do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "the app exited before opening a window:" >&2; cat "$work/app.log" >&2; exit 1
  fi
  [ $SECONDS -lt $deadline ] || { echo "no podcastfy window after ${timeout_s}s:" >&2; cat "$work/app.log" >&2; exit 1; }
  sleep 0.2
done
window_at=$(date +%s.%N)
until import -window root "$work/shot.png" 2>/dev/null && [ "$(identify -format %k "$work/shot.png")" -gt 64 ]; do
  [ $SECONDS -lt $deadline ] || { echo "the window stayed blank for ${timeout_s}s:" >&2; cat "$work/app.log" >&2; exit 1; }
  sleep 0.2
done
rendered_at=$(date +%s.%N)
cp "$work/shot.png" "$out"
awk -v s="$started" -v w="$window_at" -v r="$rendered_at" \
  'BEGIN { printf "window after %.1fs, page rendered after %.1fs\n", w - s, r - s }'
echo "screenshot: $out"
