#!/bin/sh
# record.sh IMAGE REF: run IMAGE (build/NAME-BOARD.elf) under qemu-system-arm
# on BOARD and write its stdout plus a final "exit=N" line to REF.
#
# -icount shift=0 makes virtual time advance exactly 1 ns per instruction, so
# SysTick and the board timers count deterministically. Semihosting output
# goes to the first serial chardev (chardev=serial0), which is also UART0 and
# stdout, so both kinds of output arrive interleaved in program order.
set -u
img=$1
ref=$2
qemu=${QEMU:-qemu-system-arm}
name=$(basename "$img" .elf)
board=${name##*-}
case $board in
an385|an386) machine=mps2-$board ;;
*) machine=$board ;;
esac
tmp=$ref.tmp
timeout 10 "$qemu" -M "$machine" -nographic \
    -semihosting-config enable=on,target=native,chardev=serial0 \
    -icount shift=0 -kernel "$img" </dev/null >"$tmp"
rc=$?
echo "exit=$rc" >>"$tmp"
mv "$tmp" "$ref"
