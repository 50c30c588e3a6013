#!/usr/bin/env bash
# desktop-acceptance.sh — Mimic's SDL window in a real X server (Debian's
# Xvfb): the SDL build shows a guest's screen in the window (checked with
# a screenshot of the X screen), xdotool's keys and clicks reach the
# guest, the window's close button presses the power button
# (cmd/mimic TestSDLWindow, frontend/sdl TestWindowInput; build tag sdl).
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
