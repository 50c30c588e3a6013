#!/usr/bin/env bash
# bench.sh — run Mimic's CPU benchmark (roms/bench) and, when QEMU is
# installed, the same images on qemu-system-arm, plain and with
# -icount shift=0, printing wall times, Mimic's guest MIPS and the speed
# ratios Mimic/QEMU (>1 means Mimic is faster). Also Mimic's peak RSS with
# -m 1024, the Linux boot times (scripts/bench-linux.sh), disk and network
# throughput (scripts/bench-io.sh) and the boot of the Debian disk
# (scripts/bench-debian.sh) and the graphical demo (scripts/bench-desktop.sh).
# Benchmarks, not tests: nothing here fails on
# a slow result.
set -euo pipefail
cd "$(dirname "$0")/.."
MIMIC=${MIMIC:-bin/mimic}
QEMU=$(command -v qemu-system-arm || true)

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b-a}'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }

printf '%-12s %10s %8s %10s %10s %8s %10s\n' image mimic_s MIPS qemu_s ratio qemu_ic_s ratio_ic
for img in roms/bench/bench-arm.elf roms/bench/bench-thumb.elf; do
	[ -f "$img" ] || { echo "missing $img (make roms)"; exit 1; }
	ref="${img%.elf}.ref"
	t0=$(now)
	out=$("$MIMIC" -m 256 --semihosting --nographic --kernel "$img" --stats 2>/tmp/mimic-bench.err) || true
	t1=$(now)
	mt=$(secs "$t0" "$t1")
	mips=$(sed -n 's/.*: \([0-9.]*\) MIPS.*/\1/p' /tmp/mimic-bench.err)
	if [ -f "$ref" ] && [ "$out" != "$(grep -v '^exit=' "$ref")" ]; then
		echo "warning: $img output differs from $ref" >&2
	fi
	qt=- ratio=- qit=- ratio_ic=-
	if [ -n "$QEMU" ]; then
		t0=$(now); "$QEMU" -M virt -cpu cortex-a15 -m 256 -nographic -semihosting -kernel "$img" >/dev/null 2>&1 || true; t1=$(now)
		qt=$(secs "$t0" "$t1"); ratio=$(div "$qt" "$mt")
		t0=$(now); "$QEMU" -M virt -cpu cortex-a15 -m 256 -nographic -semihosting -icount shift=0 -kernel "$img" >/dev/null 2>&1 || true; t1=$(now)
		qit=$(secs "$t0" "$t1"); ratio_ic=$(div "$qit" "$mt")
	fi
	printf '%-12s %10.3f %8s %10s %10s %8s %10s\n' "$(basename "$img" .elf)" "$mt" "${mips:--}" "$qt" "$ratio" "$qit" "$ratio_ic"
done
# The same benchmark built for the Cortex-M3 on mps2-an385, plain and in
# deterministic time (Mimic --icount shift=0 against QEMU -icount shift=0,
# what a firmware CI runs in). Targets: >= 0.8 plain, >= 1.5 with icount.
img=roms/bench/bench-m3.elf
if [ -f "$img" ]; then
	t0=$(now); out=$("$MIMIC" -M mps2-an385 --semihosting --nographic --kernel "$img" --stats 2>/tmp/mimic-bench.err) || true; t1=$(now)
	mt=$(secs "$t0" "$t1")
	mips=$(sed -n 's/.*: \([0-9.]*\) MIPS.*/\1/p' /tmp/mimic-bench.err)
	[ "$out" = "$(grep -v '^exit=' roms/bench/bench-m3.ref)" ] || echo "warning: $img output differs from roms/bench/bench-m3.ref" >&2
	t0=$(now); "$MIMIC" -M mps2-an385 --semihosting --nographic --icount shift=0 --kernel "$img" >/dev/null 2>&1 || true; t1=$(now)
	mit=$(secs "$t0" "$t1")
	qt=- ratio=- qit=- ratio_ic=-
	if [ -n "$QEMU" ]; then
		t0=$(now); "$QEMU" -M mps2-an385 -nographic -semihosting -kernel "$img" >/dev/null 2>&1 || true; t1=$(now)
		qt=$(secs "$t0" "$t1"); ratio=$(div "$qt" "$mt")
		t0=$(now); "$QEMU" -M mps2-an385 -nographic -semihosting -icount shift=0 -kernel "$img" >/dev/null 2>&1 || true; t1=$(now)
		qit=$(secs "$t0" "$t1"); ratio_ic=$(div "$qit" "$mit")
	fi
	printf '%-12s %10.3f %8s %10s %10s %8s %10s   (mps2-an385; Mimic --icount: %s s)\n' bench-m3 "$mt" "${mips:--}" "$qt" "$ratio" "$qit" "$ratio_ic" "$mit"
fi
"$MIMIC" -m 1024 --semihosting --nographic --kernel roms/bench/bench-arm.elf --stats 2>&1 >/dev/null | sed -n 's/.*peak RSS/peak RSS with -m 1024:/p'
[ -n "$QEMU" ] || echo "(qemu-system-arm not installed: no ratios; scripts/apt-install.sh qemu-system-arm)"

# Linux boots (Debian kernels): boot-to-prompt and boot-to-poweroff ratios.
echo
echo "Linux boots (-m 512):"
[ -f .cache/guests/initrd.gz ] || scripts/fetch-guests.sh >/dev/null
scripts/bench-linux.sh

# Disk and network throughput, and the Debian disk's boot.
echo
echo "Disk and network (Linux guest, virtio, -netdev user):"
scripts/bench-io.sh
echo
echo "Debian 13 from its own disk (-m 512):"
scripts/bench-debian.sh
echo
echo "Desktop: the graphical demo in real time, and a full-screen update:"
scripts/bench-desktop.sh
