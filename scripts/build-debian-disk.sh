#!/usr/bin/env bash
# build-debian-disk.sh [--force] [--method=auto|chroot|vm] [--variant=base|desktop] [DEST-CACHE-DIR]
#
# Builds (or reuses) a Debian 13 "trixie" armhf system disk for Mimic's
# acceptance tests, from Debian's packages only, and prints the directory
# holding it on the LAST line of stdout (everything else goes to stderr).
# --variant=desktop builds the desktop variant (see THE DESKTOP VARIANT).
#
#   DIR/disk.qcow2    the disk (qcow2, uncompressed clusters, virtual size 1.7 GiB)
#   DIR/vmlinuz       the kernel inside it (trixie linux-image-armmp)
#   DIR/initrd.img    its initramfs (initramfs-tools, MODULES=list: loads
#                     virtio_mmio, virtio_blk, virtio_net, ext4 -- all modules
#                     in armmp -- and, to boot faster, runs no udev: the root
#                     is named /dev/vda2 and devtmpfs makes it; udev's
#                     coldplug happens once, on the root file system)
#   DIR/manifest      key=value lines, then "package NAME VERSION" lines
#
# DIR is DEST-CACHE-DIR/<key> (default ${XDG_CACHE_HOME:-~/.cache}/mimic/debian-disk,
# or .../mimic/debian-desktop for the desktop variant),
# where <key> hashes this script, scripts/debian-disk/{configure.sh,
# builder-init.sh,initramfs-no-udev} and the archive's current versions of linux-image-armmp's
# kernel package and systemd: an edit of the build or a Debian point release
# makes a new image; otherwise the cached one is reused (in about a second;
# the qcow2 is checked against its sha256 and rebuilt if it was modified, so
# boot it with -snapshot or through an overlay). A build happens in a
# temporary directory that is renamed into place when complete.
#
# THE IMAGE
#   MBR, partition 1 (bootable, ext4, 200 MiB) = /boot: vmlinuz-<kver>,
#   initrd.img-<kver>, extlinux/extlinux.conf (for U-Boot's distro boot:
#   "linux /vmlinuz-<kver>", "initrd /initrd.img-<kver>",
#   "append root=/dev/vda2 console=ttyAMA0 rw", no fdt line);
#   partition 2 (ext4, 1.5 GiB) = /;
#   partition 3 (EFI system partition, FAT, 32 MiB): EFI/BOOT/BOOTARM.EFI, a
#   standalone GRUB (grub-efi-arm-bin) that reads /boot/grub/grub.cfg (same
#   kernel, initrd and command line), for UEFI firmware such as Debian's
#   EDK2 (qemu-efi-arm's AAVMF32).
#   minbase trixie, no recommends, plus systemd-sysv, udev, linux-image-armmp,
#   initramfs-tools, openssh-server, busybox, iproute2, util-linux,
#   e2fsprogs, procps, kmod, passwd, netbase, zstd. wget is busybox's applet
#   (/usr/local/bin/wget); sha256sum is coreutils'.
#   Root password: "mimic". Hostname: mimic-debian. Serial getty on ttyAMA0
#   logs root in automatically (prompt "root@mimic-debian:~# ").
#   systemd-networkd does DHCP on eth0 (kernel names kept: Debian's
#   99-default.link is replaced, so no predictable renaming);
#   systemd-networkd-wait-online, apt/dpkg/e2scrub/fstrim timers are masked;
#   /etc/machine-id is set at build time, so boot 1 is not a "first boot";
#   SSH host keys are made at build time; sshd allows root with password.
#   Kernel console messages are limited to errors once systemd-sysctl ran.
#   The kernel comes from "trixie main" only (no trixie-security).
#
# THE DESKTOP VARIANT (--variant=desktop; root partition 2.5 GiB)
#   The same system plus X.Org (xserver-xorg-core's modesetting driver on
#   virtio-gpu, libinput for virtio-keyboard/-mouse/-tablet), twm, xterm,
#   alsa-utils (aplay, speaker-test on virtio-snd), xdotool and dbus (so
#   systemd-logind turns the board's power button into a clean poweroff).
#   The initrd also loads virtio_gpu, virtio_input and virtio_snd, so
#   fbcon is on the screen before the root is mounted. tty1 has a login
#   getty (root/mimic). When a GPU exists (/dev/dri/card0) the service
#   mimic-desktop starts X on vt7 with twm and an xterm titled "Mimic
#   terminal" (a root shell); without one the system boots as the base
#   variant does. Boot it with, e.g., -device virtio-gpu-device -device
#   virtio-keyboard-device -device virtio-tablet-device
#   -device virtio-sound-device,audiodev=snd -audiodev sdl,id=snd.
#
# HOW (and why): foreign-architecture maintainer scripts must run armhf
# code. Two methods, same packages, same configure.sh, same disk layout:
#   chroot (default when possible): mmdebstrap --mode=root --variant=minbase
#     with qemu-user-static through binfmt_misc. If armhf programs do not
#     run yet, the script mounts binfmt_misc and registers qemu-arm (this
#     needs a VM or a privileged container). About 5 minutes on 2 cores.
#   vm (fallback; force it with --method=vm): needs no kernel support, no
#     mounts, no namespaces: `debootstrap --foreign` unpacks the packages on
#     the host, `mkfs.ext4 -d` turns the tree into a file system, and
#     qemu-system-arm boots the very trixie kernel being installed with a
#     small busybox initramfs (scripts/debian-disk/builder-init.sh) that
#     runs the debootstrap second stage and configure.sh. About 3-4 times
#     slower than the chroot method (full-system TCG).
#   Rejected: proot -q qemu-arm-static (Debian's proot 5.1.0 does not know
#   statx/faccessat2/openat2, which trixie's 64-bit-time glibc uses, so
#   every stat fails; hiding those syscalls with seccomp gets dpkg going, but
#   systemd 257's tools then abort in chase()); fakechroot (needs binfmt for
#   foreign code too); mmdebstrap's chrootless mode (runs maintainer scripts
#   on the host); MODULES=most (the initramfs step alone took ~170 s under
#   emulation, twice). File systems are made with `mkfs.ext4 -d` and the
#   disk is assembled with sfdisk + dd: nothing is mounted on the host
#   beyond what mmdebstrap --mode=root does inside its chroot.
#
# Needs root (the build creates device nodes and root-owned files; it
# installs its host tools with scripts/apt-install.sh) and the network
# (deb.debian.org).
set -euo pipefail
exec 3>&1 1>&2 # stdout is only for the result directory

here=$(cd "$(dirname "$0")" && pwd)
helpers=$here/debian-disk
SUITE=trixie
MIRROR=${MIMIC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
HOSTNAME_=mimic-debian
ROOT_PASSWORD=mimic
APPEND="root=/dev/vda2 console=ttyAMA0 rw"
BOOT_MIB=200
ROOT_MIB=1536
ESP_MIB=32
PACKAGES=systemd-sysv,udev,linux-image-armmp,initramfs-tools,openssh-server,busybox,iproute2,util-linux,e2fsprogs,procps,kmod,passwd,netbase,zstd,grub-efi-arm-bin
INITRAMFS_MODULES="virtio_mmio virtio_blk virtio_net ext4"

force=0
method=${MIMIC_DEBIAN_DISK_METHOD:-auto}
variant=${MIMIC_DEBIAN_DISK_VARIANT:-base}
dest=""
for arg in "$@"; do
	case "$arg" in
	--force) force=1 ;;
	--method=*) method=${arg#--method=} ;;
	--variant=*) variant=${arg#--variant=} ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	-*) echo "build-debian-disk: unknown option $arg" >&2; exit 2 ;;
	*) dest=$arg ;;
	esac
done
case "$method" in auto | chroot | vm) ;; *) echo "build-debian-disk: --method must be auto, chroot or vm" >&2; exit 2 ;; esac
case "$variant" in
base) cachename=debian-disk ;;
desktop)
	cachename=debian-desktop
	PACKAGES=$PACKAGES,dbus,xserver-xorg-core,xserver-xorg-input-libinput,xinit,twm,xterm,xfonts-base,alsa-utils,xdotool
	INITRAMFS_MODULES="$INITRAMFS_MODULES virtio_gpu virtio_input virtio_snd"
	ROOT_MIB=2560
	;;
*) echo "build-debian-disk: --variant must be base or desktop" >&2; exit 2 ;;
esac
dest=${dest:-${XDG_CACHE_HOME:-$HOME/.cache}/mimic/$cachename}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

log() { echo "build-debian-disk: $*" >&2; }
die() { log "error: $*"; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null && [ -z "${MIMIC_NO_SUDO:-}" ]; then
		exec sudo -E "$0" "$@" 1>&3
	fi
	die "must run as root"
fi

"$here/apt-install.sh" apt coreutils e2fsprogs fdisk qemu-utils util-linux dosfstools mtools

# --- resolve the archive's current versions (private apt state) ----------
aptdir=$dest/apt
mkdir -p "$aptdir/state/lists/partial" "$aptdir/cache/archives/partial" "$aptdir/sources.list.d" "$aptdir/preferences.d"
: >"$aptdir/status"
echo "deb [arch=armhf signed-by=$KEYRING] $MIRROR $SUITE main" >"$aptdir/sources.list"
cat >"$aptdir/apt.conf" <<EOF
Dir::Etc::SourceList "$aptdir/sources.list";
Dir::Etc::SourceParts "$aptdir/sources.list.d";
Dir::Etc::Preferences "$aptdir/preferences";
Dir::Etc::PreferencesParts "$aptdir/preferences.d";
Dir::State "$aptdir/state";
Dir::State::Lists "$aptdir/state/lists";
Dir::State::status "$aptdir/status";
Dir::Cache "$aptdir/cache";
APT::Architecture "armhf";
APT::Architectures { "armhf"; };
Acquire::Languages "none";
Debug::NoLocking "true";
EOF
export APT_CONFIG=$aptdir/apt.conf
if ! apt-get -q update >"$aptdir/update.log" 2>&1; then
	cat "$aptdir/update.log" >&2
	ls "$aptdir/state/lists/"*Packages* >/dev/null 2>&1 || die "apt-get update failed and no package lists are cached"
	log "warning: apt-get update failed; using the package lists cached earlier"
fi
pkgver() { apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n1; }
meta_ver=$(pkgver linux-image-armmp)
[ -n "$meta_ver" ] || die "linux-image-armmp:armhf not found in $SUITE"
kpkg=$(apt-cache show --no-all-versions linux-image-armmp | sed -n 's/^Depends: //p' | head -n1 | tr ',' '\n' |
	sed 's/^ *//; s/ .*//' | grep -E '^linux-image-[0-9]' | head -n1)
[ -n "$kpkg" ] || die "cannot resolve linux-image-armmp $meta_ver"
kpkg_ver=$(pkgver "$kpkg")
systemd_ver=$(pkgver systemd)
[ -n "$kpkg_ver" ] && [ -n "$systemd_ver" ] || die "cannot resolve versions of $kpkg / systemd"
unset APT_CONFIG

key=$(
	{
		cat "$0" "$helpers/configure.sh" "$helpers/builder-init.sh" "$helpers/initramfs-no-udev"
		echo "$SUITE $MIRROR $kpkg=$kpkg_ver systemd=$systemd_ver variant=$variant"
	} | sha256sum | cut -c1-16
)
out=$dest/$key
log "key $key ($kpkg $kpkg_ver, systemd $systemd_ver)"

valid() { # valid DIR: a finished build whose disk still has its recorded hash
	local d=$1 sum
	[ -f "$d/manifest" ] && [ -f "$d/disk.qcow2" ] && [ -f "$d/vmlinuz" ] && [ -f "$d/initrd.img" ] || return 1
	sum=$(sed -n 's/^disk_sha256=//p' "$d/manifest")
	[ "$(sha256sum <"$d/disk.qcow2" | cut -d' ' -f1)" = "$sum" ]
}

exec 9>"$dest/.lock"
flock 9 # one build at a time per cache directory
if [ "$force" = 0 ] && [ -d "$out" ]; then
	if valid "$out"; then
		log "reusing $out"
		echo "$out" >&3
		exit 0
	fi
	log "$out is incomplete or its disk was modified; rebuilding"
fi

# --- choose the method ----------------------------------------------------
armhf_runs() { arch-test armhf 2>/dev/null | grep -q '^armhf: ok'; }
can_mount() { # mmdebstrap --mode=root mounts /proc, /sys, /dev in the chroot
	local d
	d=$(mktemp -d)
	unshare --mount sh -c "mount -t tmpfs none '$d'" 2>/dev/null
	local rc=$?
	rmdir "$d"
	return $rc
}
setup_binfmt() {
	"$here/apt-install.sh" arch-test qemu-user-static binfmt-support mmdebstrap
	armhf_runs && return 0
	if ! grep -qs '^binfmt_misc /proc/sys/fs/binfmt_misc ' /proc/mounts; then
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || return 1
	fi
	update-binfmts --import qemu-arm >/dev/null 2>&1 || true
	update-binfmts --enable qemu-arm >/dev/null 2>&1 || true
	armhf_runs
}
if [ "$method" = auto ] || [ "$method" = chroot ]; then
	if can_mount && setup_binfmt; then
		method=chroot
	elif [ "$method" = chroot ]; then
		die "--method=chroot: this host cannot run armhf programs through binfmt_misc or cannot mount"
	else
		log "armhf programs cannot run here (no binfmt_misc/qemu-user, or no mounts): using the builder VM (slower)"
		method=vm
	fi
fi
log "method: $method"

# --- build in a temporary directory ---------------------------------------
tmp=$(mktemp -d "$dest/.build-$key-XXXXXX")
cleanup() {
	local m
	# never follow a mount that a killed build left inside the tree
	for m in $(awk -v t="$tmp/" 'index($2, t) == 1 {print $2}' /proc/mounts | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
	if awk -v t="$tmp/" 'index($2, t) == 1 {f=1} END {exit !f}' /proc/mounts; then
		log "warning: mounts remain under $tmp; not removing it"
	else
		rm -rf --one-file-system "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start=$(date +%s)
root=$tmp/root
bootdir=$tmp/boot
mkdir -p "$tmp/build"
cp "$helpers/configure.sh" "$tmp/build/configure.sh"
cat >"$tmp/build/env" <<EOF
export MIMIC_HOSTNAME='$HOSTNAME_' MIMIC_ROOT_PASSWORD='$ROOT_PASSWORD' MIMIC_APPEND='$APPEND'
export MIMIC_MIRROR='$MIRROR' MIMIC_SUITE='$SUITE' MIMIC_VARIANT='$variant'
EOF

# preseed ROOT: files that must be in place before the packages are
# installed (the initramfs configuration, no service starts, fast dpkg)
preseed() {
	local r=$1
	mkdir -p "$r/etc/initramfs-tools/conf.d" "$r/usr/share/initramfs-tools/modules.d" "$r/etc/dpkg/dpkg.cfg.d" "$r/mimic-build"
	printf 'MODULES=list\nFSTYPE=ext4\n' >"$r/etc/initramfs-tools/conf.d/mimic"
	printf '%s\n' $INITRAMFS_MODULES >"$r/usr/share/initramfs-tools/modules.d/mimic"
	echo force-unsafe-io >"$r/etc/dpkg/dpkg.cfg.d/mimic-unsafe-io"
	mkdir -p "$r/etc/initramfs-tools/hooks"
	cp "$helpers/initramfs-no-udev" "$r/etc/initramfs-tools/hooks/zz-mimic-no-udev"
	chmod 755 "$r/etc/initramfs-tools/hooks/zz-mimic-no-udev"
	cp "$tmp/build/configure.sh" "$tmp/build/env" "$r/mimic-build/"
}
policy_rc_d() {
	mkdir -p "$1/usr/sbin"
	printf '#!/bin/sh\nexit 101\n' >"$1/usr/sbin/policy-rc.d"
	chmod 755 "$1/usr/sbin/policy-rc.d"
}

build_chroot() {
	"$here/apt-install.sh" mmdebstrap
	# mmdebstrap runs a hook that is an executable file with the root as $1
	{
		echo '#!/bin/bash'
		echo 'set -e'
		declare -f preseed
		echo "tmp='$tmp' helpers='$helpers' INITRAMFS_MODULES='$INITRAMFS_MODULES'"
		echo 'preseed "$1"'
	} >"$tmp/build/setup-hook"
	{
		echo '#!/bin/bash'
		echo 'set -e'
		declare -f policy_rc_d
		echo 'policy_rc_d "$1"'
	} >"$tmp/build/essential-hook"
	chmod 755 "$tmp/build/setup-hook" "$tmp/build/essential-hook"
	export INITRD=No # the kernel's postinst does not make the initramfs; configure.sh does, once
	mmdebstrap --mode=root --variant=minbase --architectures=armhf --format=directory \
		--keyring="$KEYRING" --dpkgopt=force-unsafe-io --skip=cleanup/reproducible \
		--include="$PACKAGES" \
		--setup-hook="$tmp/build/setup-hook" \
		--essential-hook="$tmp/build/essential-hook" \
		--customize-hook='chroot "$1" /bin/sh -c ". /mimic-build/env && /bin/sh /mimic-build/configure.sh"' \
		--customize-hook='rm -rf "$1/mimic-build"' \
		"$SUITE" "$root" "deb [signed-by=$KEYRING] $MIRROR $SUITE main"
	unset INITRD
	mv "$root/boot" "$bootdir"
	mkdir -m 755 "$root/boot"
	mv "$bootdir/efi-esp" "$tmp/esp"
	make_fs "$bootdir" mimic-boot "$BOOT_MIB" "$tmp/boot.ext4"
	make_fs "$root" mimic-root "$ROOT_MIB" "$tmp/root.ext4"
}

make_fs() { # make_fs DIR LABEL MIB FILE
	rm -f "$4"
	truncate -s "$3M" "$4"
	# The file is new, hence zero: mark the inode tables initialized, so the
	# guest kernel does not zero them in the background (ext4lazyinit) during
	# the first boot.
	mkfs.ext4 -q -F -L "$2" -E root_owner=0:0,assume_storage_prezeroed=1 -d "$1" "$4"
}

build_vm() {
	"$here/apt-install.sh" debootstrap qemu-system-arm kmod cpio xz-utils
	preseed "$root"
	log "debootstrap --foreign (downloads and unpacks on the host)"
	debootstrap --foreign --arch=armhf --variant=minbase --keyring="$KEYRING" \
		--include="$PACKAGES" "$SUITE" "$root" "$MIRROR" >"$tmp/debootstrap.log" 2>&1 ||
		{ tail -n 30 "$tmp/debootstrap.log" >&2; die "debootstrap --foreign failed"; }
	policy_rc_d "$root"
	if [ -L "$root/proc" ]; then rm "$root/proc" && mkdir "$root/proc"; fi
	cat >"$root/mimic-build/stage2" <<'EOF'
#!/bin/sh
set -e
export INITRD=No DEBOOTSTRAP_DIR=/debootstrap PATH=/usr/sbin:/usr/bin:/sbin:/bin
/debootstrap/debootstrap --second-stage
. /mimic-build/env
/bin/sh /mimic-build/configure.sh
rm -rf /mimic-build
EOF
	# the builder's kernel and initramfs: trixie's own kernel, busybox and
	# libc from the downloaded packages, modules for virtio-mmio disks and ext4
	local deb kver b=$tmp/builder
	deb=$(ls "$root"/var/cache/apt/archives/${kpkg}_*.deb | head -n1)
	mkdir -p "$b/k" "$b/bb" "$b/ird/bin" "$b/ird/lib/arm-linux-gnueabihf" "$b/ird/modules" "$b/ird/proc" "$b/ird/sys" "$b/ird/dev" "$b/ird/mnt"
	dpkg-deb -x "$deb" "$b/k"
	dpkg-deb -x "$(ls "$root"/var/cache/apt/archives/busybox_*.deb | head -n1)" "$b/bb"
	kver=$(ls "$b/k/usr/lib/modules")
	ln -s usr/lib "$b/k/lib"
	depmod -b "$b/k" "$kver"
	local i=0 m f
	for m in virtio_mmio virtio_blk ext4; do modprobe -d "$b/k" -S "$kver" --show-depends "$m"; done |
		awk '$1 == "insmod" && !seen[$2]++ {print $2}' | while read -r f; do
		i=$((i + 1))
		xz -dc "$f" >"$b/ird/modules/$(printf %02d "$i")-$(basename "$f" .xz)"
	done
	cp "$b/bb/usr/bin/busybox" "$b/ird/bin/"
	cp -L "$root/usr/lib/ld-linux-armhf.so.3" "$b/ird/lib/"
	cp -L "$root"/usr/lib/arm-linux-gnueabihf/{libc.so.6,libresolv.so.2} "$b/ird/lib/arm-linux-gnueabihf/"
	cp "$helpers/builder-init.sh" "$b/ird/init"
	chmod 755 "$b/ird/init"
	(cd "$b/ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$b/initrd.gz"

	mkdir -p "$bootdir"
	make_fs "$bootdir" mimic-boot "$BOOT_MIB" "$tmp/boot.ext4"
	make_fs "$root" mimic-root "$ROOT_MIB" "$tmp/root.ext4"
	rm -rf --one-file-system "$root" # the file system image is the tree now
	log "builder VM: debootstrap second stage and configure.sh under qemu-system-arm (this takes a while)"
	local vmstart=$(date +%s)
	timeout 3600 qemu-system-arm -M virt -cpu cortex-a15 -smp 2 -m 1024 -nographic -no-reboot \
		-kernel "$b/k/boot/vmlinuz-$kver" -initrd "$b/initrd.gz" -append "console=ttyAMA0 quiet panic=-1" \
		-drive "file=$tmp/root.ext4,format=raw,if=none,id=d0,cache=unsafe" -device virtio-blk-device,drive=d0 \
		-drive "file=$tmp/boot.ext4,format=raw,if=none,id=d1,cache=unsafe" -device virtio-blk-device,drive=d1 \
		</dev/null >"$tmp/builder.log" 2>&1 || true
	local rc
	rc=$(tr -d '\r' <"$tmp/builder.log" | sed -n 's/^MIMIC-BUILDER-RC=\([0-9]*\).*/\1/p' | tail -n1)
	log "builder VM finished in $(($(date +%s) - vmstart)) s (status ${rc:-none})"
	if [ "$rc" != 0 ]; then
		tail -n 60 "$tmp/builder.log" >&2
		die "the builder VM failed"
	fi
	e2fsck -fy "$tmp/root.ext4" >/dev/null 2>&1 || true
	e2fsck -fy "$tmp/boot.ext4" >/dev/null 2>&1 || true
	# bring what the host needs out of the file systems (no mounting)
	mkdir -p "$root/var/lib/mimic"
	debugfs -R "dump /var/lib/mimic/packages $root/var/lib/mimic/packages" "$tmp/root.ext4" 2>/dev/null
	debugfs -R "dump /var/lib/mimic/kernel-release $root/var/lib/mimic/kernel-release" "$tmp/root.ext4" 2>/dev/null
	kver=$(cat "$root/var/lib/mimic/kernel-release")
	debugfs -R "dump /vmlinuz-$kver $bootdir/vmlinuz-$kver" "$tmp/boot.ext4" 2>/dev/null
	debugfs -R "dump /initrd.img-$kver $bootdir/initrd.img-$kver" "$tmp/boot.ext4" 2>/dev/null
	mkdir -p "$tmp/esp/EFI/BOOT"
	debugfs -R "dump /efi-esp/EFI/BOOT/BOOTARM.EFI $tmp/esp/EFI/BOOT/BOOTARM.EFI" "$tmp/boot.ext4" 2>/dev/null
}

case "$method" in
chroot) build_chroot ;;
vm) build_vm ;;
esac

# --- check the file systems, assemble the disk ----------------------------
for fs in boot root; do
	e2fsck -fn "$tmp/$fs.ext4" >"$tmp/fsck.log" 2>&1 || { cat "$tmp/fsck.log" >&2; die "$fs file system check failed"; }
done
kver=$(cat "$root/var/lib/mimic/kernel-release")
[ -s "$tmp/esp/EFI/BOOT/BOOTARM.EFI" ] || die "GRUB's BOOTARM.EFI is missing"
# The EFI system partition (FAT), for UEFI firmware: GRUB only.
rm -f "$tmp/esp.fat"
mkfs.fat -C -n MIMIC-ESP "$tmp/esp.fat" $((ESP_MIB * 1024)) >/dev/null
mcopy -s -i "$tmp/esp.fat" "$tmp/esp/EFI" ::/
[ -s "$bootdir/vmlinuz-$kver" ] && [ -s "$bootdir/initrd.img-$kver" ] || die "kernel or initrd missing from /boot"
grep -qx "$kpkg $kpkg_ver" "$root/var/lib/mimic/packages" && grep -qx "systemd $systemd_ver" "$root/var/lib/mimic/packages" ||
	die "the archive changed during the build (wanted $kpkg $kpkg_ver, systemd $systemd_ver); run again"

boot_start=2048
boot_sectors=$((BOOT_MIB * 2048))
root_start=$((boot_start + boot_sectors))
root_sectors=$((ROOT_MIB * 2048))
esp_start=$((root_start + root_sectors))
esp_sectors=$((ESP_MIB * 2048))
total=$((esp_start + esp_sectors))
raw=$tmp/disk.raw
rm -f "$raw"
truncate -s $((total * 512)) "$raw"
sfdisk -q "$raw" <<EOF
label: dos
label-id: 0x4d494d43
unit: sectors
start=$boot_start, size=$boot_sectors, type=83, bootable
start=$root_start, size=$root_sectors, type=83
start=$esp_start, size=$esp_sectors, type=ef
EOF
dd if="$tmp/boot.ext4" of="$raw" bs=1M seek=$((boot_start * 512)) oflag=seek_bytes conv=notrunc,sparse status=none
dd if="$tmp/root.ext4" of="$raw" bs=1M seek=$((root_start * 512)) oflag=seek_bytes conv=notrunc,sparse status=none
dd if="$tmp/esp.fat" of="$raw" bs=1M seek=$((esp_start * 512)) oflag=seek_bytes conv=notrunc,sparse status=none
rm -f "$tmp/boot.ext4" "$tmp/root.ext4" "$tmp/esp.fat"

final=$tmp/final
mkdir -p "$final"
qemu-img convert -f raw -O qcow2 "$raw" "$final/disk.qcow2"
rm -f "$raw"
cp "$bootdir/vmlinuz-$kver" "$final/vmlinuz"
cp "$bootdir/initrd.img-$kver" "$final/initrd.img"
chmod 444 "$final/disk.qcow2" "$final/vmlinuz" "$final/initrd.img"
{
	echo "key=$key"
	echo "suite=$SUITE"
	echo "variant=$variant"
	echo "mirror=$MIRROR"
	echo "method=$method"
	echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "build_seconds=$(($(date +%s) - start))"
	echo "kernel_package=$kpkg"
	echo "kernel_version=$kpkg_ver"
	echo "kernel_release=$kver"
	echo "systemd_version=$systemd_ver"
	echo "hostname=$HOSTNAME_"
	echo "root_password=$ROOT_PASSWORD"
	echo "append=$APPEND"
	echo "disk=disk.qcow2"
	echo "disk_format=qcow2"
	echo "disk_virtual_bytes=$((total * 512))"
	echo "boot_partition=1 start=$boot_start sectors=$boot_sectors fs=ext4 label=mimic-boot"
	echo "root_partition=2 start=$root_start sectors=$root_sectors fs=ext4 label=mimic-root"
	echo "esp_partition=3 start=$esp_start sectors=$esp_sectors fs=vfat label=MIMIC-ESP"
	echo "disk_sha256=$(sha256sum <"$final/disk.qcow2" | cut -d' ' -f1)"
	echo "vmlinuz_sha256=$(sha256sum <"$final/vmlinuz" | cut -d' ' -f1)"
	echo "initrd_sha256=$(sha256sum <"$final/initrd.img" | cut -d' ' -f1)"
	sed 's/^/package /' "$root/var/lib/mimic/packages"
} >"$final/manifest"

# --- move into place atomically -------------------------------------------
if [ -d "$out" ]; then
	mv -T "$out" "$tmp/old"
fi
mv -T "$final" "$out"
log "built $out in $(($(date +%s) - start)) s ($(du -h "$out/disk.qcow2" | cut -f1) qcow2)"
# Keep the previous build too (another checkout may still use it); older
# ones go, so that each Debian point release does not leave 300 MB behind.
older=$(ls -1dt "$dest"/[0-9a-f]*/ 2>/dev/null | sed 's:/$::' | { grep -E '/[0-9a-f]{16}$' || true; } | { grep -vx "$out" || true; } | tail -n +2)
for old in $older; do
	if [ -f "$old/manifest" ]; then
		rm -rf --one-file-system "$old"
		log "removed the older build $old"
	fi
done
echo "$out" >&3
