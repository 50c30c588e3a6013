#!/usr/bin/env bash
# linux-acceptance.sh [--qemu] [go test flags...] — boot Debian's armmp
# kernels (bookworm 6.1, trixie 6.12, trixie 6.12 LPAE with -m 512 and
# -m 2048) on bin/mimic with the project's initramfs and check the guest
# from its shell (conformance/linux, build tag acceptance). Fetches the
# guests first (scripts/fetch-guests.sh) and builds bin/mimic.
#
# --qemu runs the same tests on qemu-system-arm instead, to validate the
# tests themselves on a known-good emulator.
#
# Console logs go to .cache/linux-acceptance/<case>.log and one timing line
# per boot to .cache/linux-acceptance/times.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
command -v "$GO" >/dev/null || GO=/usr/local/go/bin/go
emulator="$PWD/bin/mimic -M virt"
if [ "${1:-}" = "--qemu" ]; then
	shift
	scripts/apt-install.sh qemu-system-arm
	emulator="qemu-system-arm -M virt -cpu cortex-a15"
else
	CGO_ENABLED=0 "$GO" build -o bin/mimic ./cmd/mimic
fi
[ -f .cache/guests/manifest ] && [ -f .cache/guests/initrd.gz ] && compgen -G ".cache/guests/modules/*/desktop.order" >/dev/null || scripts/fetch-guests.sh
out=.cache/linux-acceptance
mkdir -p "$out"
export MIMIC_LINUX_EMULATOR="$emulator"
export MIMIC_LINUX_GUESTS="$PWD/.cache/guests"
export MIMIC_LINUX_LOGDIR="$PWD/$out"
export MIMIC_LINUX_TIMES="$PWD/$out/times.tsv"
exec "$GO" test -tags acceptance -count=1 -timeout 120m "$@" ./conformance/linux/
