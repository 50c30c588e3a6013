#!/usr/bin/env bash
# desktop-acceptance.sh — Mimic's SDL window in a real X server (Debian's
# Xvfb): the SDL build shows a guest's screen in the window (checked with
# a screenshot of the X screen), xdotool's keys and clicks reach the
# guest, the window's close button presses the power button
# (cmd/mimic TestSDLWindow, frontend/sdl TestWindowInput; build tag sdl),
# and mimic without arguments opens the graphical demo in a window.
# Installs libsdl2-dev, xvfb, xdotool, imagemagick and openbox (a window
# manager, for the full-screen check). SDL's audio goes to its dummy driver.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
command -v "$GO" >/dev/null || GO=/usr/local/go/bin/go
scripts/apt-install.sh libsdl2-dev gcc pkg-config xvfb xdotool imagemagick openbox x11-utils
tmp=$(mktemp -d)
disp=:$((90 + RANDOM % 9))
Xvfb "$disp" -screen 0 1280x1024x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $wm $xvfb 2>/dev/null || true; rm -rf "$tmp"' EXIT
wm=
for _ in $(seq 50); do DISPLAY=$disp xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
DISPLAY=$disp openbox >"$tmp/wm.log" 2>&1 &
wm=$!
export DISPLAY=$disp SDL_AUDIODRIVER=dummy
CGO_ENABLED=1 "$GO" test -tags sdl -count=1 -timeout 10m -run 'TestSDLWindow|TestWindowInput' "$@" ./cmd/mimic/ ./frontend/sdl/

# mimic without arguments on a desktop: the graphical demo in a window;
# a key reaches it, and closing the window (Alt-F4 through the window
# manager) presses the power button, which ends the demo with status 0.
CGO_ENABLED=1 "$GO" build -tags sdl -o "$tmp/mimic" ./cmd/mimic
(
	cd "$tmp"
	timeout 120 ./mimic >out 2>err
	echo "status $?" >>out
) &
demo=$!
win=
for _ in $(seq 100); do
	win=$(xdotool search --name '^Mimic - demo' 2>/dev/null | head -n1) && [ -n "$win" ] && break
	sleep 0.2
done
[ -n "$win" ] || { echo "desktop-acceptance: no window from mimic without arguments" >&2; cat "$tmp/err" >&2; exit 1; }
sleep 3
xdotool windowactivate --sync "$win" >/dev/null 2>&1 || true
xdotool key --window "$win" Right
sleep 1
import -window root "$tmp/screen.png"
xdotool key alt+F4
wait "$demo"
cat "$tmp/out"
grep -q 'status 0' "$tmp/out" || { echo "desktop-acceptance: closing the demo's window did not end it with status 0" >&2; cat "$tmp/err" >&2; exit 1; }
grep -Eq 'keys [1-9]' "$tmp/out" || { echo "desktop-acceptance: the key press did not reach the demo" >&2; exit 1; }
# The demo's dark blue background fills most of the X screen.
blue=$(convert "$tmp/screen.png" -format '%[fx:mean.b]' info:)
awk -v b="$blue" 'BEGIN { exit !(b > 0.05) }' || { echo "desktop-acceptance: the X screen does not show the demo (mean blue $blue)" >&2; exit 1; }
echo "desktop-acceptance: mimic without arguments showed the demo in a window, took a key, closed on the power button"
