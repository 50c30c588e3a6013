#!/usr/bin/env bash
# debian-acceptance.sh [--qemu] [go test flags...] — boot a real Debian 13
# armhf system from its own disk (scripts/build-debian-disk.sh builds it
# from Debian's packages, or reuses the cached one) on bin/mimic, directly
# and through Debian's U-Boot, and check disk, snapshot, crash safety and
# network from the guest's shell (conformance/debian, build tag
# acceptance). Installs qemu-utils (qemu-img check is the oracle for the
# images Mimic writes), u-boot-qemu and qemu-efi-arm (EDK2).
#
# --qemu runs the same tests on qemu-system-arm instead, to validate the
# tests themselves. Console logs go to .cache/debian-acceptance/.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
command -v "$GO" >/dev/null || GO=/usr/local/go/bin/go
scripts/apt-install.sh qemu-utils u-boot-qemu qemu-efi-arm
CGO_ENABLED=0 "$GO" build -o bin/mimic ./cmd/mimic
emulator="$PWD/bin/mimic -M virt"
if [ "${1:-}" = "--qemu" ]; then
	shift
	scripts/apt-install.sh qemu-system-arm
	emulator="qemu-system-arm -M virt -cpu cortex-a15"
fi
disk=$(scripts/build-debian-disk.sh | tail -n1)
export MIMIC_DEBIAN_DISK="$disk"
export MIMIC_DEBIAN_EMULATOR="$emulator"
export MIMIC_DEBIAN_LOGDIR="$PWD/.cache/debian-acceptance"
exec "$GO" test -tags acceptance -count=1 -timeout 40m -run '^TestDebianDisk$' "$@" ./conformance/debian/
