#!/usr/bin/env bash
# fetch-guests.sh [DEST] — fetch the Linux guests the acceptance tests boot,
# without installing anything on the host, and build their initramfs.
#
# Downloads (apt-get download + dpkg-deb -x, armhf):
#   - bookworm's linux-image-6.1.0-*-armmp        -> DEST/bookworm-armmp/vmlinuz
#   - trixie's linux-image-6.12.*-armmp            -> DEST/trixie-armmp/vmlinuz
#   - trixie's linux-image-6.12.*-armmp-lpae       -> DEST/trixie-armmp-lpae/vmlinuz
#   - busybox-static                               -> DEST/busybox
# and builds DEST/initrd.gz (newc cpio, gzip: busybox, its applet links, an
# /init that mounts /proc, /sys, /dev, prints a marker and runs a shell on
# ttyAMA0, and each kernel's virtio and desktop modules from DEST/modules
# with /bin/virtio-up and /bin/desktop-up to load them) with Go
# (conformance/linux/cmd/mkinitramfs). DEST defaults to
# .cache/guests. The exact kernel package names change with Debian point
# releases; they are resolved from the linux-image-armmp and
# linux-image-armmp-lpae meta-packages of each suite. DEST/manifest records
# what was fetched. Re-running reuses what is there.
#
# Needs root (or sudo) once, for the apt set-up: the armhf architecture and a
# trixie source pinned below the host's own suite, so nothing on the host is
# upgraded from it; and kmod's depmod and modprobe, which resolve the
# modules' dependencies (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-.cache/guests}
GO=${GO:-go}
command -v "$GO" >/dev/null || GO=/usr/local/go/bin/go

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo

setup_apt() {
	local changed=0
	if ! dpkg --print-foreign-architectures | grep -qx armhf; then
		$SUDO dpkg --add-architecture armhf
		changed=1
	fi
	if ! grep -rqs 'Suites:.*\btrixie\b' /etc/apt/sources.list.d/ && ! grep -qs ' trixie ' /etc/apt/sources.list; then
		$SUDO tee /etc/apt/sources.list.d/mimic-trixie.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		$SUDO tee /etc/apt/preferences.d/mimic-trixie >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
		changed=1
	fi
	if [ "$changed" = 1 ] || ! ls /var/lib/apt/lists/*trixie*binary-armhf_Packages* >/dev/null 2>&1 ||
		! ls /var/lib/apt/lists/*bookworm_main_binary-armhf_Packages* >/dev/null 2>&1; then
		# A missing armhf index of the security suite is harmless here.
		$SUDO apt-get update -q >/dev/null 2>&1 || true
	fi
}

# resolve META SUITE: the linux-image-* package the suite's meta-package
# META (armhf) depends on, e.g. linux-image-6.1.0-37-armmp.
resolve() {
	local meta=$1 suite=$2 ver dep
	ver=$(apt-cache madison "$meta:armhf" | awk -v s="$suite" '$0 ~ "[ /]"s"[/ ]" && $0 ~ /armhf/ {print $3; exit}')
	[ -n "$ver" ] || { echo "fetch-guests: no $meta:armhf in $suite" >&2; return 1; }
	dep=$(apt-cache show "$meta:armhf=$ver" | sed -n 's/^Depends: *//p' | head -n1 | tr ',' '\n' |
		sed 's/^ *//; s/ .*//; s/:.*//' | grep -E '^linux-image-[0-9]' | head -n1)
	[ -n "$dep" ] || { echo "fetch-guests: cannot resolve $meta=$ver ($suite)" >&2; return 1; }
	echo "$dep"
}

# fetch PKG SUITE DIR: download PKG:armhf from SUITE and unpack it in DIR.
fetch() {
	local pkg=$1 suite=$2 dir=$3 deb
	if [ -d "$dir" ]; then
		return 0
	fi
	mkdir -p "$dest/debs"
	rm -f "$dest/debs/${pkg}_"*.deb
	(cd "$dest/debs" && { apt-get download -q -t "$suite" "$pkg:armhf" >/dev/null 2>&1 || apt-get download -q "$pkg:armhf/$suite"; })
	deb=$(ls -t "$dest/debs/${pkg}_"*.deb | head -n1)
	mkdir -p "$dir.tmp"
	dpkg-deb -x "$deb" "$dir.tmp"
	mv "$dir.tmp" "$dir"
	echo "fetch-guests: unpacked $(basename "$deb")" >&2
}

# The kernel modules the initramfs carries, by the name modprobe knows them.
# virtio_mmio and its block, network and entropy drivers are loaded by
# /bin/virtio-up; the desktop ones (display, input, sound: DRM and fbcon's
# framebuffer, virtio input with evdev, ALSA with its OSS emulation so that
# busybox can play through /dev/dsp) by /bin/desktop-up. Their dependencies
# are resolved with depmod + modprobe --show-depends against the package's
# own modules, so each kernel gets its own list, in load order.
virtio_modules="virtio_mmio virtio_blk virtio_net virtio-rng"
desktop_modules="virtio-gpu virtio_input evdev virtio_snd snd-pcm-oss"

# depends MODDIR NAME...: the paths of the modules NAME... need, NAME...
# included, in load order (one per line, each once).
depends() {
	local moddir=$1 rel base m
	shift
	rel=$(basename "$moddir")
	base=$dest/depmod/$rel
	if [ ! -f "$base/lib/modules/$rel/modules.dep" ]; then
		# depmod wants BASE/lib/modules/REL; Debian's packages ship no
		# modules.dep (the postinst makes it), so index a linked copy.
		rm -rf "$base"
		mkdir -p "$base/lib/modules/$rel"
		ln -s "$(cd "$moddir" && pwd)/kernel" "$base/lib/modules/$rel/kernel"
		cp "$moddir"/modules.order "$moddir"/modules.builtin* "$base/lib/modules/$rel/" 2>/dev/null || true
		depmod -b "$base" "$rel"
	fi
	for m in "$@"; do
		# A module the kernel lacks (bookworm 6.1 has no virtio_snd) or has
		# built in prints no insmod line.
		modprobe -d "$base" -S "$rel" --show-depends "$m" 2>/dev/null | sed -n 's/^insmod \([^ ]*\).*/\1/p' || true
	done | awk '!seen[$0]++'
}

# modules PKGDIR: copy the kernel's virtio and desktop modules, uncompressed,
# to $dest/modules/RELEASE for the initramfs, with the load orders
# virtio.order and desktop.order (module names, one line each).
modules() {
	local moddir="" rel d f m name virtio
	for d in "$1"/lib/modules/* "$1"/usr/lib/modules/*; do
		[ -d "$d" ] && moddir=$d && break
	done
	[ -n "$moddir" ] || { echo "fetch-guests: no modules in $1" >&2; return 1; }
	rel=$(basename "$moddir")
	rm -rf "$dest/modules/$rel.tmp"
	mkdir -p "$dest/modules/$rel.tmp"
	virtio=$(depends "$moddir" $virtio_modules)
	for f in $virtio $(depends "$moddir" $desktop_modules); do
		name=$(basename "$f")
		name=${name%.xz}
		name=${name%.ko}
		case $f in
		*.xz) xz -dc "$f" >"$dest/modules/$rel.tmp/$name.ko" ;;
		*) cp "$f" "$dest/modules/$rel.tmp/$name.ko" ;;
		esac
	done
	for f in $virtio; do m=$(basename "$f"); m=${m%.xz}; echo "${m%.ko}"; done >"$dest/modules/$rel.tmp/virtio.order"
	for f in $(depends "$moddir" $desktop_modules); do
		m=$(basename "$f"); m=${m%.xz}; m=${m%.ko}
		grep -qx "$m" "$dest/modules/$rel.tmp/virtio.order" || echo "$m"
	done >"$dest/modules/$rel.tmp/desktop.order"
	rm -rf "$dest/modules/$rel"
	mv "$dest/modules/$rel.tmp" "$dest/modules/$rel"
}

kernel() { # kernel NAME META SUITE
	local name=$1 meta=$2 suite=$3 pkg
	pkg=$(resolve "$meta" "$suite")
	fetch "$pkg" "$suite" "$dest/pkg/$pkg"
	modules "$dest/pkg/$pkg"
	cp "$(ls "$dest/pkg/$pkg"/boot/vmlinuz-* | head -n1)" "$dest/$name.vmlinuz.tmp"
	mv "$dest/$name.vmlinuz.tmp" "$dest/$name.vmlinuz"
	echo "$name $pkg" >>"$dest/manifest.tmp"
}

setup_apt
PATH=$PATH:/usr/sbin:/sbin
command -v depmod >/dev/null && command -v modprobe >/dev/null || scripts/apt-install.sh kmod
mkdir -p "$dest/pkg"
: >"$dest/manifest.tmp"
kernel bookworm-armmp linux-image-armmp bookworm
kernel trixie-armmp linux-image-armmp trixie
kernel trixie-armmp-lpae linux-image-armmp-lpae trixie
fetch busybox-static bookworm "$dest/pkg/busybox-static"
cp "$dest/pkg/busybox-static/bin/busybox" "$dest/busybox"
echo "busybox busybox-static $(dpkg-deb -f "$(ls -t "$dest"/debs/busybox-static_*.deb | head -n1)" Version)" >>"$dest/manifest.tmp"
mv "$dest/manifest.tmp" "$dest/manifest"

"$GO" run ./conformance/linux/cmd/mkinitramfs -busybox "$dest/busybox" -modules "$dest/modules" -o "$dest/initrd.gz"
echo "fetch-guests: guests in $dest:" >&2
cat "$dest/manifest" >&2
