#!/usr/bin/env bash
# acceptance.sh — end-to-end checks of the mimic binary as a user runs it.
# Prints "N passed, M failed" and fails if any check failed.
set -uo pipefail
cd "$(dirname "$0")/.."
MIMIC=${MIMIC:-bin/mimic}
pass=0 fail=0
ok()  { echo "ok   $1"; pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# ref_out REF: a reference file without its final exit= line.
ref_out() { sed '$d' "$1"; }
ref_code() { tail -n1 "$1" | sed 's/^exit=//'; }

# 1. The bundled demo: what `make run` shows.
timeout 60 "$MIMIC" </dev/null >"$tmp/demo.out" 2>"$tmp/demo.err"; rc=$?
if [ "$rc" = "$(ref_code roms/demo/demo.ref)" ] && cmp -s "$tmp/demo.out" <(ref_out roms/demo/demo.ref); then
	ok "demo output and exit status match QEMU's"
else
	bad "demo (exit $rc): $(diff <(ref_out roms/demo/demo.ref) "$tmp/demo.out" | head -5) $(head -3 "$tmp/demo.err")"
fi

# 2. Conformance images through the command line, as a firmware CI runs them.
for img in conformance/programs/build/hello-arm.elf conformance/programs/build/hello-thumb.elf; do
	ref=conformance/ref/$(basename "$img" .elf).ref
	timeout 60 "$MIMIC" -M virt -m 256 --semihosting --nographic --kernel "$img" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
	if [ "$rc" = "$(ref_code "$ref")" ] && cmp -s "$tmp/out" <(ref_out "$ref"); then
		ok "$(basename "$img")"
	else
		bad "$(basename "$img") (exit $rc): $(head -3 "$tmp/err")"
	fi
done

# 3. Deterministic mode: two runs retire the same instructions.
a=$(timeout 120 "$MIMIC" --icount shift=0 --stats </dev/null 2>&1 >/dev/null | grep -o '[0-9]* instructions')
b=$(timeout 120 "$MIMIC" --icount shift=0 --stats </dev/null 2>&1 >/dev/null | grep -o '[0-9]* instructions')
if [ -n "$a" ] && [ "$a" = "$b" ]; then ok "icount runs are identical ($a)"; else bad "icount runs differ: '$a' vs '$b'"; fi

# 4. Bad input: one line on stderr, status 2, no Go panic.
printf 'not an image at all' >"$tmp/junk.elf"; printf '\x7fELF\x01\x01\x01' >"$tmp/trunc.elf"
for args in "--no-such-flag" "-M nosuchboard" "--kernel /nonexistent" "--kernel $tmp/trunc.elf" "--kernel /bin/sh" "-m 99999 --kernel $tmp/junk.elf"; do
	# shellcheck disable=SC2086
	"$MIMIC" $args </dev/null >/dev/null 2>"$tmp/err"; rc=$?
	if [ "$rc" = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && ! grep -q 'panic\|goroutine' "$tmp/err"; then
		ok "bad input: mimic $args"
	else
		bad "bad input: mimic $args (exit $rc): $(head -3 "$tmp/err")"
	fi
done

# 5. Real Linux guests (Debian kernels), when the Linux acceptance exists.
# Cortex-M boards: firmware runs on each, a wrong image is a one-line
# error with status 2, a lockup stops Mimic with status 1.
for b in "mps2-an385 hello-mps2" "mps2-an386 hello-mps2" "lm3s6965evb hello-lm3s"; do
	set -- $b
	out=$(timeout 30 "$MIMIC" -M "$1" -nographic -semihosting -kernel "machine/mcu/testdata/$2.elf" </dev/null 2>"$tmp/err"); rc=$?
	if [ "$rc" = 0 ] && [ "$out" = "hello from the microcontroller" ]; then ok "firmware on $1"; else bad "firmware on $1 (exit $rc): $out $(head -3 "$tmp/err")"; fi
done
# The small RTOS (roms/mrtos) through the command line, deterministic:
# QEMU's output byte for byte.
for b in an385 an386 lm3s6965evb; do
	board=$b; [ "$b" = lm3s6965evb ] || board=mps2-$b
	timeout 60 "$MIMIC" -M "$board" -nographic -semihosting --icount shift=0 -kernel "roms/mrtos/build/mrtos-$b.elf" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
	echo "exit=$rc" >>"$tmp/out"
	if cmp -s "$tmp/out" "roms/mrtos/ref/mrtos-$b.ref"; then ok "RTOS on $board matches QEMU"; else bad "RTOS on $board: $(diff "roms/mrtos/ref/mrtos-$b.ref" "$tmp/out" | head -5) $(head -3 "$tmp/err")"; fi
done
for args in "-M mps2-an385 -kernel /bin/sh" "-M lm3s6965evb -kernel conformance/programs/build/hello-arm.elf" "-M mps2-an385 -cpu cortex-m4 -kernel machine/mcu/testdata/hello-mps2.elf"; do
	# shellcheck disable=SC2086
	"$MIMIC" $args -nographic </dev/null >/dev/null 2>"$tmp/err"; rc=$?
	if [ "$rc" = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && ! grep -q 'panic\|goroutine' "$tmp/err"; then
		ok "bad firmware: mimic $args"
	else
		bad "bad firmware: mimic $args (exit $rc): $(head -3 "$tmp/err")"
	fi
done
timeout 30 "$MIMIC" -M mps2-an385 -nographic -semihosting -kernel machine/mcu/testdata/lockup.elf </dev/null >/dev/null 2>"$tmp/err"; rc=$?
if [ "$rc" = 1 ] && grep -q 'locked up.*pc 0x00000104' "$tmp/err" && ! grep -q 'panic\|goroutine' "$tmp/err"; then
	ok "firmware lockup: exit 1 naming the PC"
else
	bad "firmware lockup (exit $rc): $(head -3 "$tmp/err")"
fi

if [ -x scripts/linux-acceptance.sh ]; then
	if scripts/linux-acceptance.sh; then ok "Linux guests"; else bad "Linux guests"; fi
fi

# 6. Soak: 20 realtime boots to the shell and back (`make soak` runs 200).
if [ -x scripts/soak.sh ]; then
	if scripts/soak.sh 20; then ok "soak: 20 realtime Linux boots"; else bad "soak: 20 realtime Linux boots"; fi
fi

# 7. The SDL window under Xvfb: the guest's screen, keys, clicks, close.
if [ -x scripts/desktop-acceptance.sh ]; then
	if scripts/desktop-acceptance.sh; then ok "SDL window (Xvfb)"; else bad "SDL window (Xvfb)"; fi
fi

# 8. A Debian system on its own disk (built from Debian's packages and
# cached): direct and U-Boot boots, -snapshot, SIGKILL, network.
if [ -x scripts/debian-acceptance.sh ]; then
	if scripts/debian-acceptance.sh; then ok "Debian disk"; else bad "Debian disk"; fi
fi

if [ -x scripts/debian-desktop-acceptance.sh ]; then
	if scripts/debian-desktop-acceptance.sh; then ok "Debian desktop (Xvfb)"; else bad "Debian desktop (Xvfb)"; fi
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
