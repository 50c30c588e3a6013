#!/usr/bin/env bash
# bench-linux.sh — time Linux boots on Mimic and on QEMU: wall time from
# start to the initramfs shell prompt and to the emulator's exit after
# `poweroff -f`, and peak RSS, with -m 512, for each guest kernel
# (scripts/fetch-guests.sh), printing Mimic/QEMU ratios (>1: Mimic is
# slower). A benchmark, not a test: nothing fails on a slow result.
#
#   scripts/bench-linux.sh [KERNEL...]    (default: all fetched kernels)
# Environment: MIMIC (default bin/mimic), GUESTS (default .cache/guests),
# QEMU (default qemu-system-arm; empty to skip it).
set -euo pipefail
cd "$(dirname "$0")/.."
MIMIC=${MIMIC:-bin/mimic}
GUESTS=${GUESTS:-.cache/guests}
QEMU=${QEMU-$(command -v qemu-system-arm || true)}
GO=${GO:-go}
command -v "$GO" >/dev/null || GO=/usr/local/go/bin/go

[ -f "$GUESTS/initrd.gz" ] || { echo "no guests in $GUESTS: run scripts/fetch-guests.sh" >&2; exit 1; }
[ -x "$MIMIC" ] || { echo "no $MIMIC: run make build" >&2; exit 1; }
bench=$(mktemp -d)
trap 'rm -rf "$bench"' EXIT
"$GO" build -o "$bench/bootbench" ./conformance/linux/cmd/bootbench

kernels=("$@")
if [ ${#kernels[@]} -eq 0 ]; then
	kernels=()
	for k in bookworm-armmp trixie-armmp trixie-armmp-lpae; do
		[ -f "$GUESTS/$k.vmlinuz" ] && kernels+=("$k")
	done
fi

div() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "-" }'; }
run() { # run EMULATOR KERNEL -> "prompt total rss status" or "- - - fail"
	"$bench/bootbench" -emulator "$1" -kernel "$GUESTS/$2.vmlinuz" -initrd "$GUESTS/initrd.gz" -m 512 2>"$bench/err" ||
		{ echo "bootbench ($1, $2): $(cat "$bench/err")" >&2; echo "- - - fail"; }
}

printf '%-20s %9s %9s %8s | %9s %9s %8s | %7s %7s %6s\n' kernel mimic_pr mimic_off mimic_MiB qemu_pr qemu_off qemu_MiB r_pr r_off r_rss
for k in "${kernels[@]}"; do
	read -r mp mo mr ms <<<"$(run "$MIMIC -M virt" "$k")"
	qp=- qo=- qr=-
	if [ -n "$QEMU" ]; then
		read -r qp qo qr qs <<<"$(run "$QEMU -M virt -cpu cortex-a15" "$k")"
	fi
	printf '%-20s %9s %9s %8s | %9s %9s %8s | %7s %7s %6s\n' "$k" "$mp" "$mo" "$mr" "$qp" "$qo" "$qr" \
		"$(div "$mp" "$qp")" "$(div "$mo" "$qo")" "$(div "$mr" "$qr")"
done
echo "(pr: seconds to the shell prompt; off: seconds to exit after poweroff -f; MiB: peak RSS; r_*: Mimic/QEMU)"
[ -n "$QEMU" ] || echo "(qemu-system-arm not installed: no ratios; scripts/apt-install.sh qemu-system-arm)"
