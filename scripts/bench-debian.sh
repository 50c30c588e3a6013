#!/usr/bin/env bash
# bench-debian.sh — boot the Debian disk (scripts/build-debian-disk.sh)
# to its serial login shell on Mimic and, when installed, on QEMU, each
# through its own qcow2 overlay with the same kernel, initrd and options,
# and print the seconds to the shell and to the emulator's exit after
# poweroff, peak RSS and the Mimic/QEMU ratios (>1: Mimic is slower).
# A benchmark, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
MIMIC=${MIMIC:-bin/mimic}
QEMU=${QEMU-$(command -v qemu-system-arm || true)}
GO=${GO:-go}
command -v "$GO" >/dev/null || GO=/usr/local/go/bin/go
disk=$(scripts/build-debian-disk.sh | tail -n1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$GO" build -o "$tmp/bootbench" ./conformance/linux/cmd/bootbench
div() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a != "-" && b != "-" && b > 0) printf "%.2f", a/b; else print "-" }'; }
run() { # run NAME EMULATOR -> "prompt total rss status"
	"$MIMIC" img create -f qcow2 -b "$disk/disk.qcow2" -F qcow2 "$tmp/$1.qcow2" >/dev/null
	"$tmp/bootbench" -emulator "$2" -kernel "$disk/vmlinuz" -initrd "$disk/initrd.img" -m 512 \
		-append "root=/dev/vda2 console=ttyAMA0 rw" -prompt 'root@mimic-debian:[^\n]*# ' -poweroff poweroff \
		-extra "-drive file=$tmp/$1.qcow2,format=qcow2,if=none,id=d0 -device virtio-blk-device,drive=d0 -netdev user,id=n0 -device virtio-net-device,netdev=n0" \
		2>"$tmp/err" || { echo "bootbench ($1): $(cat "$tmp/err")" >&2; echo "- - - fail"; }
}
read -r mp mo mr _ <<<"$(run mimic "$MIMIC -M virt")"
qp=- qo=- qr=-
[ -n "$QEMU" ] && read -r qp qo qr _ <<<"$(run qemu "$QEMU -M virt -cpu cortex-a15")"
printf '%-14s %9s %9s %8s | %9s %9s %8s | %7s %7s %6s\n' guest mimic_sh mimic_off mimic_MiB qemu_sh qemu_off qemu_MiB r_sh r_off r_rss
printf '%-14s %9s %9s %8s | %9s %9s %8s | %7s %7s %6s\n' debian-disk "$mp" "$mo" "$mr" "$qp" "$qo" "$qr" \
	"$(div "$mp" "$qp")" "$(div "$mo" "$qo")" "$(div "$mr" "$qr")"
echo "(sh: seconds to the login shell; off: to exit after poweroff; MiB: peak RSS; r_*: Mimic/QEMU)"
