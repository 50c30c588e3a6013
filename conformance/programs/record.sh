#!/bin/sh
# record.sh IMAGE REF: run IMAGE under qemu-system-arm (virt, Cortex-A15) and
# write its stdout plus a final "exit=N" line to REF.
#
# The CPU is cortex-a15 with neon=off: Mimic models VFPv4 without Advanced
# SIMD until NEON is implemented, so its ID registers (MVFR1, CPACR.ASEDIS)
# say so, as QEMU's do with neon=off.
#
# Semihosting output is routed to the serial chardev (chardev=serial0) so it
# reaches stdout interleaved with PL011 output; without that QEMU 7.2 writes
# semihosting console output to stderr.
set -u
img=$1
ref=$2
qemu=${QEMU:-qemu-system-arm}
name=$(basename "$img" .elf)
prog=${name%-*}
dir=$(dirname "$img")/..
tmp=$ref.tmp

if [ -f "$dir/$prog.args" ]; then
    args=$(cat "$dir/$prog.args")
    timeout 10 "$qemu" -M virt -cpu cortex-a15,neon=off -m 256 -nographic \
        -semihosting-config enable=on,target=native,chardev=serial0 \
        -kernel "$img" -append "$args" </dev/null >"$tmp"
else
    timeout 10 "$qemu" -M virt -cpu cortex-a15,neon=off -m 256 -nographic \
        -semihosting-config enable=on,target=native,chardev=serial0 \
        -kernel "$img" </dev/null >"$tmp"
fi
rc=$?
echo "exit=$rc" >>"$tmp"
mv "$tmp" "$ref"
