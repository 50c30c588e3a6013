#!/usr/bin/env bash
# record.sh — re-record the QEMU device trees the virt tests compare with.
# Needs Debian's qemu-system-arm (recorded with QEMU 7.2) and dtc, which
# repacks the blobs (QEMU pads them to 1 MiB) without changing their order.
#   qemu-default.dtb  -M virt -cpu cortex-a15 (128 MiB, no kernel)
#   qemu-linux.dtb    -m 512 -kernel kernel.bin -initrd initrd.cpio.gz -append ...
#   qemu-userdtb.dtb  the same with -dtb user.dtb
#   qemu-desktop.dtb.gz  the desktop devices (-device virtio-gpu-device,...),
#                        kept as QEMU wrote it, 1 MiB padding gzipped
set -euo pipefail
cd "$(dirname "$0")"
Q="qemu-system-arm -M virt -cpu cortex-a15 -display none"
dump() { local out=$1; shift; $Q "$@" -machine dumpdtb=/tmp/mimic-record.dtb >/dev/null 2>&1; dtc -I dtb -O dtb -o "$out" /tmp/mimic-record.dtb; }
dump qemu-default.dtb
dump qemu-linux.dtb -m 512 -kernel kernel.bin -initrd initrd.cpio.gz -append "console=ttyAMA0 root=/dev/ram"
dump qemu-userdtb.dtb -m 512 -kernel kernel.bin -initrd initrd.cpio.gz -append "console=ttyAMA0 root=/dev/ram" -dtb user.dtb
$Q -device virtio-gpu-device,xres=800,yres=600 -device ramfb -device virtio-keyboard-device \
  -device virtio-tablet-device -machine dumpdtb=/tmp/mimic-record.dtb >/dev/null 2>&1
gzip -9n </tmp/mimic-record.dtb >qemu-desktop.dtb.gz
qemu-system-arm --version | head -n1 >qemu-version.txt
