#!/usr/bin/env bash
# bench-desktop.sh — the graphical demo (roms/gdemo) in real time for 10 s
# (600 frames at 60 per second) with virtio-gpu at 1280x800, keyboard and
# tablet, headless, on Mimic and, when installed, on QEMU (7.2 has no
# virtio-sound, so neither run has one): frames shown and skipped (the demo
# counts them) and the host CPU time each emulator used, with the ratio
# (>1: Mimic used more). Also the cost of one full-screen update through
# virtio-gpu to the display console (Go benchmark; the target is < 2 ms).
# A benchmark, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
MIMIC=${MIMIC:-bin/mimic}
QEMU=${QEMU-$(command -v qemu-system-arm || true)}
GO=${GO:-go}
command -v "$GO" >/dev/null || GO=/usr/local/go/bin/go
elf=roms/gdemo/gdemo.elf
devs="-device virtio-gpu-device -device virtio-keyboard-device -device virtio-tablet-device"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() { # run NAME COMMAND... -> "shown skipped cpu_seconds wall_seconds"
	local name=$1
	shift
	local TIMEFORMAT='%R %U %S'
	{ time "$@" </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err"; } 2>"$tmp/$name.time" || true
	local shown skipped
	shown=$(sed -n 's/.*frames shown \([0-9]*\).*/\1/p' "$tmp/$name.out")
	skipped=$(sed -n 's/.*skipped \([0-9]*\).*/\1/p' "$tmp/$name.out")
	read -r real user sys <"$tmp/$name.time"
	echo "${shown:--} ${skipped:--} $(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}') $real"
}
# shellcheck disable=SC2086
read -r ms mk mc mw <<<"$(run mimic "$MIMIC" -M virt -m 256 -semihosting -nographic -nic none -kernel "$elf" -append frames=600 $devs)"
qs=- qk=- qc=- qw=-
if [ -n "$QEMU" ]; then
	# shellcheck disable=SC2086
	read -r qs qk qc qw <<<"$(run qemu "$QEMU" -M virt -cpu cortex-a15 -m 256 -semihosting -display none -nic none \
		-global virtio-mmio.force-legacy=false -kernel "$elf" -append frames=600 $devs -serial stdio -monitor none)"
fi
ratio=$(awk -v a="$mc" -v b="$qc" 'BEGIN{ if (b != "-" && b > 0) printf "%.2f", a/b; else print "-" }')
printf '%-8s %7s %8s %8s %7s\n' emu shown skipped cpu_s wall_s
printf '%-8s %7s %8s %8s %7s\n' mimic "$ms" "$mk" "$mc" "$mw" qemu "$qs" "$qk" "$qc" "$qw"
echo "(600 frames of the demo in real time; cpu_s: host CPU seconds; Mimic/QEMU CPU: $ratio)"
"$GO" test -run '^$' -bench FullScreenUpdate -benchtime 200x ./devices/virtio/gpu/ | awk '/^Benchmark/ {printf "full-screen 1280x800 update (transfer, flush, take): %.2f ms\n", $3/1e6}'
