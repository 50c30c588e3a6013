#!/usr/bin/env bash
# debian-desktop-acceptance.sh [--qemu] [go test flags...] — the Debian
# desktop in a real window: boots the desktop variant of the Debian disk
# (scripts/build-debian-disk.sh --variant=desktop builds it, or reuses the
# cached one) on Mimic's SDL build inside Xvfb with a window manager, and
# checks X.Org, twm and xterm in the window, the pointer, a click, typing,
# a login on tty1, sound through ALSA and the window's close button
# (conformance/debian TestDebianDesktop, build tag acceptance). SDL's own
# audio goes to its dummy driver; the guest's sound is recorded to a WAV.
#
# --qemu runs the same test on qemu-system-arm -display sdl (QEMU 7.2 has
# no virtio-sound: no sound checks; poweroff from the console), to validate
# the test and the disk. Console logs and screenshots go to
# .cache/debian-acceptance/.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
command -v "$GO" >/dev/null || GO=/usr/local/go/bin/go
scripts/apt-install.sh qemu-utils libsdl2-dev gcc pkg-config xvfb xdotool imagemagick openbox x11-utils
CGO_ENABLED=0 "$GO" build -o bin/mimic ./cmd/mimic
CGO_ENABLED=1 "$GO" build -tags sdl -o bin/mimic-sdl ./cmd/mimic
emulator="$PWD/bin/mimic-sdl -M virt"
if [ "${1:-}" = "--qemu" ]; then
	shift
	scripts/apt-install.sh qemu-system-arm qemu-system-gui
	emulator="qemu-system-arm -M virt -cpu cortex-a15"
fi
disk=$(scripts/build-debian-disk.sh --variant=desktop | tail -n1)

tmp=$(mktemp -d)
disp=:$((70 + RANDOM % 9))
Xvfb "$disp" -screen 0 1600x1200x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xvfb=$!
wm=
trap 'kill $wm $xvfb 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do DISPLAY=$disp xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
DISPLAY=$disp openbox >"$tmp/wm.log" 2>&1 &
wm=$!

export DISPLAY=$disp SDL_AUDIODRIVER=dummy
export MIMIC_DEBIAN_DESKTOP_DISK="$disk"
export MIMIC_DEBIAN_DESKTOP_EMULATOR="$emulator"
export MIMIC_DEBIAN_LOGDIR="$PWD/.cache/debian-acceptance"
mkdir -p "$MIMIC_DEBIAN_LOGDIR"
"$GO" test -tags acceptance -count=1 -timeout 30m -run '^TestDebianDesktop$' "$@" ./conformance/debian/
