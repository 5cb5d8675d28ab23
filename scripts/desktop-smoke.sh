#!/usr/bin/env bash
# Desktop smoke test: opens the built app in a private virtual X server with
# an empty PODCASTFY_HOME, waits for its window and for the first rendered
# screen, saves a screenshot, then sends SIGTERM and checks that the app
# exits cleanly (status 0, "desktop window closed" logged) within a time
# limit; then launches it again on the same home (a relaunch). Each time the
# first screen must be the library, read from the screenshot by tesseract
# (no first-run form, no login: the person at the desktop is the local
# user). It fails when the window never appears, stays blank or shows
# another screen, the app dies early, or does not exit cleanly. It prints
# the time from launch to the window and to the first rendered screen
# (what `make bench` reports), for the first launch and the relaunch.
#
#   scripts/desktop-smoke.sh build/bin/podcastfy test-artifacts/desktop-smoke.png
#
# Needs xvfb, x11-utils (xwininfo), imagemagick (import, identify) and
# tesseract-ocr.
set -euo pipefail

app=${1:?usage: $0 APP_BINARY OUTPUT.png}
out=${2:?usage: $0 APP_BINARY OUTPUT.png}
timeout_s=${SMOKE_TIMEOUT:-60}
exit_timeout_s=${SMOKE_EXIT_TIMEOUT:-45}
[ -x "$app" ] || { echo "$app is not an executable: run make build first" >&2; exit 1; }
mkdir -p "$(dirname "$out")"

work=$(mktemp -d)
xvfb_pid=""
app_pid=""
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill -KILL "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "desktop smoke test FAILED: $*" >&2
  echo "--- app log ---" >&2
  cat "$work/app.log" >&2 || true
  exit 1
}

exec {dfd}>"$work/display"
Xvfb -displayfd "$dfd" -screen 0 1280x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -s "$work/display" ] && break
  sleep 0.1
done
exec {dfd}>&-
[ -s "$work/display" ] || { cat "$work/xvfb.log" >&2; fail "Xvfb did not start"; }
export DISPLAY=":$(head -n1 "$work/display")"

launch() {
  started=$(date +%s.%N)
  PODCASTFY_HOME="$work/home" "$app" >"$work/app.log" 2>&1 &
  app_pid=$!

  deadline=$((SECONDS + timeout_s))
  until xwininfo -root -tree 2>/dev/null | grep -q '"podcastfy"'; do
    kill -0 "$app_pid" 2>/dev/null || fail "the app exited before opening a window"
    [ $SECONDS -lt $deadline ] || fail "no podcastfy window after ${timeout_s}s"
    sleep 0.05
  done
  window_at=$(date +%s.%N)
  # A blank window has a handful of colours; a rendered screen has many, and
  # the library's (the first screen) says "No podcasts yet" in a new home.
  # The time is the screenshot's, not the reading's.
  until shot_at=$(date +%s.%N) && import -window root "$work/shot.png" 2>/dev/null && [ "$(identify -format %k "$work/shot.png")" -gt 64 ] &&
    tesseract "$work/shot.png" - 2>/dev/null >"$work/shot.txt" && grep -q "No podcasts yet" "$work/shot.txt"; do
    kill -0 "$app_pid" 2>/dev/null || fail "the app exited before rendering its first screen"
    [ $SECONDS -lt $deadline ] || fail "the window did not show the library within ${timeout_s}s; it read: $(tr -s "\n" " " <"$work/shot.txt" 2>/dev/null)"
    sleep 0.05
  done
  rendered_at=$shot_at
  cp "$work/shot.png" "$out"
  if grep -Eqi "log in|welcome|password" "$work/shot.txt"; then
    fail "the first screen asks to log in: $(tr -s "\n" " " <"$work/shot.txt")"
  fi

  kill -TERM "$app_pid"
  term_at=$(date +%s.%N)
  exit_deadline=$((SECONDS + exit_timeout_s))
  while kill -0 "$app_pid" 2>/dev/null; do
    [ $SECONDS -lt $exit_deadline ] || fail "the app was still running ${exit_timeout_s}s after SIGTERM"
    sleep 0.05
  done
  status=0
  wait "$app_pid" || status=$?
  exited_at=$(date +%s.%N)
  app_pid=""
  [ "$status" -eq 0 ] || fail "the app exited with status $status after SIGTERM"
  grep -q "desktop window closed" "$work/app.log" || fail "the app did not log its shutdown (\"desktop window closed\")"
  if grep -E 'level=ERROR|panic:' "$work/app.log" >&2; then
    fail "the app logged errors"
  fi

  awk -v label="$1" -v s="$started" -v w="$window_at" -v r="$rendered_at" -v t="$term_at" -v x="$exited_at" 'BEGIN {
    printf "desktop (" label "): window after %.2f s, first screen rendered after %.2f s, exit %.2f s after SIGTERM\n", w - s, r - s, x - t
  }'
}

launch "first launch"
launch relaunch
echo "screenshot: $out"
