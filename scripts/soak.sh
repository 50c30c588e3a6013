#!/usr/bin/env bash
# soak.sh [N] [soak flags...] — boot the Debian kernels N times (default
# 200) in realtime mode, two at a time, to the initramfs shell and back
# out through `poweroff -f`; a boot that does not finish within 60 s fails
# and shows the console's last lines and Mimic's CPU, timer and GIC state
# (conformance/linux/cmd/soak). `make soak` runs 200, `make check` 20.
# Fetches the guests first (scripts/fetch-guests.sh) and builds bin/mimic.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
command -v "$GO" >/dev/null || GO=/usr/local/go/bin/go
n=${1:-200}
shift || true
CGO_ENABLED=0 "$GO" build -o bin/mimic ./cmd/mimic
[ -f .cache/guests/manifest ] && [ -f .cache/guests/initrd.gz ] && compgen -G ".cache/guests/modules/*/desktop.order" >/dev/null || scripts/fetch-guests.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$GO" build -o "$tmp/soak" ./conformance/linux/cmd/soak
"$tmp/soak" -n "$n" -j 2 -timeout 60s -emulator "$PWD/bin/mimic -M virt" -guests .cache/guests "$@"
