#!/usr/bin/env bash
# pgo.sh — record cmd/mimic/default.pgo (profile-guided optimisation) from
# the CPU benchmark in both instruction sets and, when the Debian guests are
# fetched, a Linux boot to power-off.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
command -v "$GO" >/dev/null || GO=/usr/local/go/bin/go
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bin/mimic --semihosting --kernel roms/bench/bench-arm.elf --cpuprofile "$tmp/a.prof" >/dev/null
bin/mimic --semihosting --kernel roms/bench/bench-thumb.elf --cpuprofile "$tmp/t.prof" >/dev/null
profs=("$tmp/a.prof" "$tmp/t.prof")
if [ -f .cache/guests/initrd.gz ]; then
	(sleep 30; echo "poweroff -f") | timeout 120 bin/mimic -m 512 --kernel .cache/guests/trixie-armmp.vmlinuz \
		--initrd .cache/guests/initrd.gz --append console=ttyAMA0 --cpuprofile "$tmp/l.prof" >/dev/null 2>&1 || true
	[ -s "$tmp/l.prof" ] && profs+=("$tmp/l.prof")
fi
"$GO" tool pprof -proto "${profs[@]}" >cmd/mimic/default.pgo
echo "wrote cmd/mimic/default.pgo from ${#profs[@]} profiles"
