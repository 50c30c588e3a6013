#!/usr/bin/env bash
# record-qemu.sh — record the reference screens of the graphical demo from
# QEMU (Debian's qemu-system-arm 7.2) on virtio-gpu at 1280x800, with the
# monitor's screendump while the demo is halted on frame 60 (-append
# "frames=60 halt": 1 s of virtual time, no input):
#   testdata/qemu-frame60.png  frame 60 as drawn
#   testdata/qemu-keys.png     the same frame after the arrow keys right,
#                              right, right, down, down (sendkey), each of
#                              which moves the halted demo's cube 40 pixels
# then Esc ends the demo, whose counters must show the 6 key presses.
# cmd/mimic's TestGDemoMatchesQEMU and TestGDemoKeysMatchQEMU compare
# Mimic's --screenshot of the same runs with them, pixel for pixel (their
# input script has to press the same keys as KEYS below).
# QEMU's virt board defaults to legacy virtio-mmio; the demo needs version 2.
set -euo pipefail
cd "$(dirname "$0")"
command -v qemu-system-arm >/dev/null || { echo "needs qemu-system-arm" >&2; exit 1; }
command -v convert >/dev/null || { echo "needs imagemagick (convert)" >&2; exit 1; }
KEYS="right right right down down"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timeout 300 qemu-system-arm -M virt -cpu cortex-a15 -m 256 -semihosting -kernel gdemo.elf \
	-append "frames=60 halt" -global virtio-mmio.force-legacy=false \
	-device virtio-gpu-device -device virtio-keyboard-device -device virtio-tablet-device \
	-icount shift=0 -display none -nic none -serial "file:$tmp/serial" \
	-monitor "unix:$tmp/mon,server,nowait" &
qemu=$!
for _ in $(seq 240); do
	grep -qs halted "$tmp/serial" && break
	kill -0 $qemu 2>/dev/null || break
	sleep 0.5
done
grep -qs halted "$tmp/serial" || { cat "$tmp/serial" >&2; echo "the demo did not reach its last frame" >&2; exit 1; }
python3 - "$tmp" $KEYS <<'PY'
import os, socket, sys, time
d, keys = sys.argv[1], sys.argv[2:]
s = socket.socket(socket.AF_UNIX)
s.connect(d + "/mon")
s.settimeout(10)

def cmd(line):
    """Sends a monitor command and reads up to the next prompt."""
    s.send((line + "\n").encode())
    out = b""
    while not out.endswith(b"(qemu) "):
        out += s.recv(4096)

def screendump(name):
    path = "%s/%s.ppm" % (d, name)
    cmd("screendump " + path)
    for _ in range(100):
        if os.path.exists(path) and os.path.getsize(path) >= 1280 * 800 * 3:
            break
        time.sleep(0.1)
    time.sleep(0.5)

out = b""
while not out.endswith(b"(qemu) "):  # the banner
    out += s.recv(4096)
screendump("frame60")
for k in keys:
    cmd("sendkey " + k)  # pressed for 100 ms
    time.sleep(0.3)
time.sleep(0.5)
screendump("keys")
cmd("sendkey esc")
time.sleep(1)
try:
    cmd("quit")  # only if Esc did not end it
except OSError:
    pass
PY
wait $qemu || true
want="keys $(($(wc -w <<<"$KEYS") + 1)),"
grep -qs "$want" "$tmp/serial" || { cat "$tmp/serial" >&2; echo "the demo did not count $want" >&2; exit 1; }
convert "$tmp/frame60.ppm" -strip testdata/qemu-frame60.png
convert "$tmp/keys.ppm" -strip testdata/qemu-keys.png
echo "recorded testdata/qemu-frame60.png and testdata/qemu-keys.png"
