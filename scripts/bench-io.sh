#!/usr/bin/env bash
# bench-io.sh — disk and network throughput of a Linux guest on Mimic and,
# when installed, on QEMU with the same guest, image and options
# (conformance/linux/cmd/iobench): O_DIRECT dd write and read of 256 MiB on
# a virtio disk (raw and qcow2), a 256 MiB download from a host HTTP server
# through 10.0.2.2, and a 128 MiB download by the host from the guest
# (served from its RAM) through hostfwd. Each figure is the median of RUNS runs (default 3). Prints MB/s
# and the Mimic/QEMU ratios (>1: Mimic is faster), and Mimic's peak RSS.
# A benchmark, not a test: nothing fails on a slow result.
set -euo pipefail
cd "$(dirname "$0")/.."
MIMIC=${MIMIC:-bin/mimic}
GUESTS=${GUESTS:-.cache/guests}
QEMU=${QEMU-$(command -v qemu-system-arm || true)}
RUNS=${RUNS:-3}
GO=${GO:-go}
command -v "$GO" >/dev/null || GO=/usr/local/go/bin/go

compgen -G "$GUESTS/modules/*/desktop.order" >/dev/null || scripts/fetch-guests.sh >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$GO" build -o "$tmp/iobench" ./conformance/linux/cmd/iobench

# median RESULTS-FILE COLUMN
median() { awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{a[NR]=$1} END{if (NR) print a[int((NR+1)/2)]; else print "-"}'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a != "-" && b != "-" && b > 0) printf "%.2f", a/b; else print "-" }'; }
bench() { # bench NAME EMULATOR FORMAT -> medians in $tmp/NAME
	: >"$tmp/$1.runs"
	for _ in $(seq "$RUNS"); do
		"$tmp/iobench" -emulator "$2" -kernel "$GUESTS/trixie-armmp.vmlinuz" -initrd "$GUESTS/initrd.gz" -format "$3" \
			>>"$tmp/$1.runs" 2>"$tmp/err" || echo "iobench ($1): $(cat "$tmp/err")" >&2
	done
	echo "$(median "$tmp/$1.runs" 1) $(median "$tmp/$1.runs" 2) $(median "$tmp/$1.runs" 3) $(median "$tmp/$1.runs" 4) $(median "$tmp/$1.runs" 5)" >"$tmp/$1"
}

printf '%-7s %-6s %9s %9s %9s %9s %8s\n' format emu write read download upload rss_MiB
for f in raw qcow2; do
	bench "mimic-$f" "$MIMIC -M virt" "$f"
	read -r mw mr md mu mm <"$tmp/mimic-$f"
	printf '%-7s %-6s %9s %9s %9s %9s %8s\n' "$f" mimic "$mw" "$mr" "$md" "$mu" "$mm"
	if [ -n "$QEMU" ]; then
		bench "qemu-$f" "$QEMU -M virt -cpu cortex-a15" "$f"
		read -r qw qr qd qu qm <"$tmp/qemu-$f"
		printf '%-7s %-6s %9s %9s %9s %9s %8s\n' "$f" qemu "$qw" "$qr" "$qd" "$qu" "$qm"
		printf '%-7s %-6s %9s %9s %9s %9s %8s\n' "$f" ratio "$(div "$mw" "$qw")" "$(div "$mr" "$qr")" "$(div "$md" "$qd")" "$(div "$mu" "$qu")" "$(div "$mm" "$qm")"
	fi
done
echo "(MB/s, median of $RUNS runs; ratio = Mimic/QEMU, >1 is better for Mimic except rss)"
[ -n "$QEMU" ] || echo "(qemu-system-arm not installed: no ratios; scripts/apt-install.sh qemu-system-arm)"
