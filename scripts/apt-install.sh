#!/usr/bin/env bash
# apt-install.sh PKG... — install Debian packages that are missing, so a
# bare machine can run the project's targets. Needs root (or sudo).
set -euo pipefail
missing=()
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "installing: ${missing[*]}" >&2
if [ ! -f /tmp/.mimic-apt-updated ]; then
	$SUDO apt-get update -q >/dev/null && touch /tmp/.mimic-apt-updated
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}" >/dev/null
