#!/bin/busybox sh
# builder-init.sh — /init of the builder VM that build-debian-disk.sh uses
# when this host cannot execute armhf programs (no binfmt_misc/qemu-user).
#
# The VM boots Debian's own armmp kernel under qemu-system-arm with two
# virtio disks: the root file system (label mimic-root) holding the result
# of `debootstrap --foreign`, and the empty /boot file system (label
# mimic-boot). It mounts them, runs /mimic-build/stage2 in a chroot (the
# debootstrap second stage, then configure.sh), and powers off. The host
# reads the outcome from the console line "MIMIC-BUILDER-RC=<status>".
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "MIMIC-BUILDER: loading modules"
for m in /modules/*.ko; do
	insmod "$m" 2>/dev/null || echo "MIMIC-BUILDER: insmod $m failed (ignored)"
done

done_rc() {
	echo "MIMIC-BUILDER-RC=$1"
	sync
	poweroff -f
	sleep 10
}

i=0
while [ "$i" -lt 100 ]; do
	root=$(findfs LABEL=mimic-root 2>/dev/null) && boot=$(findfs LABEL=mimic-boot 2>/dev/null) && break
	sleep 0.1
	i=$((i + 1))
done
[ -n "${root:-}" ] && [ -n "${boot:-}" ] || { echo "MIMIC-BUILDER: disks not found"; ls /dev; done_rc 98; }
mkdir -p /mnt
mount -t ext4 -o noatime,barrier=0 "$root" /mnt || done_rc 97
mount -t ext4 -o noatime,barrier=0 "$boot" /mnt/boot || done_rc 97
mount -t devtmpfs devtmpfs /mnt/dev
mkdir -p /mnt/dev/pts
mount -t devpts devpts /mnt/dev/pts
mount -t proc proc /mnt/proc
mount -t sysfs sysfs /mnt/sys
echo "MIMIC-BUILDER: stage2 start at $(cut -d' ' -f1 /proc/uptime)s"
chroot /mnt /bin/sh /mimic-build/stage2 </dev/console >/dev/console 2>&1
rc=$?
echo "MIMIC-BUILDER: stage2 end at $(cut -d' ' -f1 /proc/uptime)s"
umount /mnt/dev/pts /mnt/dev /mnt/proc /mnt/sys 2>/dev/null
umount /mnt/boot && umount /mnt || rc=96
done_rc "$rc"
