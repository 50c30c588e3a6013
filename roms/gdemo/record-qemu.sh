#!/usr/bin/env bash
# record-qemu.sh — record the reference screen of the graphical demo from
# QEMU (Debian's qemu-system-arm 7.2): frame 60 (1 s of virtual time, no
# input) on virtio-gpu at 1280x800, taken with the monitor's screendump
# while the demo idles ("halt"). cmd/mimic's TestGDemoMatchesQEMU compares
# Mimic's --screenshot of the same run with it, pixel for pixel.
# QEMU's virt board defaults to legacy virtio-mmio; the demo needs version 2.
set -euo pipefail
cd "$(dirname "$0")"
command -v qemu-system-arm >/dev/null || { echo "needs qemu-system-arm" >&2; exit 1; }
command -v convert >/dev/null || { echo "needs imagemagick (convert)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timeout 300 qemu-system-arm -M virt -cpu cortex-a15 -m 256 -semihosting -kernel gdemo.elf \
	-append "frames=60 halt" -global virtio-mmio.force-legacy=false \
	-device virtio-gpu-device -device virtio-keyboard-device -device virtio-tablet-device \
	-icount shift=0 -display none -nic none -serial "file:$tmp/serial" \
	-monitor "unix:$tmp/mon,server,nowait" &
for _ in $(seq 240); do grep -qs halted "$tmp/serial" && break; sleep 0.5; done
grep -qs halted "$tmp/serial" || { cat "$tmp/serial" >&2; echo "the demo did not reach its last frame" >&2; exit 1; }
python3 - "$tmp" <<'PY'
import socket, sys, time, os
d = sys.argv[1]
s = socket.socket(socket.AF_UNIX); s.connect(d + "/mon"); time.sleep(0.5)
s.send(("screendump %s/screen.ppm\n" % d).encode())
for _ in range(100):
    if os.path.exists(d + "/screen.ppm") and os.path.getsize(d + "/screen.ppm") > 1280 * 800 * 3:
        break
    time.sleep(0.1)
time.sleep(0.5); s.send(b"quit\n"); time.sleep(0.5)
PY
wait || true
convert "$tmp/screen.ppm" -strip testdata/qemu-frame60.png
echo "recorded testdata/qemu-frame60.png"
