#!/bin/sh
# configure.sh — the system configuration of Mimic's Debian disk image.
#
# Runs INSIDE the target root file system as root, after all packages are
# installed: in a chroot through qemu-user binfmt emulation, or in the builder
# VM (see build-debian-disk.sh). It must not need the network. Settings come
# from the environment: MIMIC_HOSTNAME, MIMIC_ROOT_PASSWORD, MIMIC_APPEND,
# MIMIC_MIRROR, MIMIC_SUITE, MIMIC_VARIANT (base or desktop).
set -eu

hostname=${MIMIC_HOSTNAME:-mimic-debian}
password=${MIMIC_ROOT_PASSWORD:-mimic}
append=${MIMIC_APPEND:-root=/dev/vda2 console=ttyAMA0 rw}
mirror=${MIMIC_MIRROR:-http://deb.debian.org/debian}
suite=${MIMIC_SUITE:-trixie}
variant=${MIMIC_VARIANT:-base}
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

# --- identity -----------------------------------------------------------
echo "$hostname" >/etc/hostname
cat >/etc/hosts <<EOF
127.0.0.1	localhost
127.0.1.1	$hostname

::1		localhost ip6-localhost ip6-loopback
ff02::1		ip6-allnodes
ff02::2		ip6-allrouters
EOF
echo "root:$password" | chpasswd
# A fixed machine-id, so the first boot is not a "first boot" (no
# ConditionFirstBoot units such as sshd-keygen or systemd-firstboot).
rm -f /etc/machine-id /var/lib/dbus/machine-id
systemd-machine-id-setup >/dev/null

# --- file systems ---------------------------------------------------------
cat >/etc/fstab <<'EOF'
# <device>	<mount point>	<type>	<options>		<dump>	<pass>
/dev/vda2	/		ext4	errors=remount-ro	0	1
/dev/vda1	/boot		ext4	noauto,x-systemd.automount	0	2
EOF
# /boot is mounted on first access, so the boot does not wait for udev to
# announce vda1 and for its fsck.

# --- apt: the image never runs apt by itself ------------------------------
cat >/etc/apt/sources.list <<EOF
deb $mirror $suite main
EOF
rm -f /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources

# --- console --------------------------------------------------------------
# Autologin as root on the PL011 serial console. The unit is enabled
# explicitly, so it runs even when console= is missing from the command line.
mkdir -p /etc/systemd/system/serial-getty@ttyAMA0.service.d
cat >/etc/systemd/system/serial-getty@ttyAMA0.service.d/autologin.conf <<'EOF'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root -o '-p -f -- \\u' --noreset --noclear --keep-baud 115200,57600,38400,9600 - ${TERM}
EOF
systemctl enable serial-getty@ttyAMA0.service
if [ "$variant" = desktop ]; then
	# A login prompt on tty1 (fbcon on virtio-gpu), as on a PC.
	systemctl enable getty@tty1.service
else
	# No virtual terminals are shown on a -nographic machine.
	systemctl disable getty@tty1.service 2>/dev/null || true
fi
# Kernel messages below "error" stay off the console once systemd-sysctl runs,
# so they do not interleave with the shell a test drives.
cat >/etc/sysctl.d/10-mimic-console.conf <<'EOF'
kernel.printk = 3 4 1 3
EOF
# Plain output for a test that reads the console: no colours, no pager.
printf "NO_COLOR=1\nSYSTEMD_PAGER=cat\n" >>/etc/environment
echo "LANG=C.UTF-8" >/etc/default/locale
# No bracketed-paste escapes around the prompt a test waits for.
echo 'set enable-bracketed-paste off' >/root/.inputrc

# --- network: systemd-networkd, DHCP on eth0 ------------------------------
# Keep the kernel's names (eth0, eth1, ...): this replaces Debian's
# 99-default.link, so udev neither in the initramfs nor on the root renames
# a virtio-net interface. A real file rather than a /dev/null mask, because
# the initramfs hook copies .link files.
cat >/etc/systemd/network/99-default.link <<'EOF'
# Mimic: keep kernel interface names (eth0) instead of predictable names.
[Match]
OriginalName=*

[Link]
NamePolicy=keep
MACAddressPolicy=persistent
EOF
cat >/etc/systemd/network/20-eth0.network <<'EOF'
[Match]
Name=eth0

[Network]
DHCP=ipv4
LinkLocalAddressing=no
IPv6AcceptRA=no

[DHCPv4]
ClientIdentifier=mac
EOF
systemctl enable systemd-networkd.service
# Nothing waits for the network at boot.
systemctl mask systemd-networkd-wait-online.service
# QEMU's (and Mimic's) user-mode network serves DNS at 10.0.2.3.
rm -f /etc/resolv.conf
echo "nameserver 10.0.2.3" >/etc/resolv.conf

# --- ssh ------------------------------------------------------------------
mkdir -p /etc/ssh/sshd_config.d
cat >/etc/ssh/sshd_config.d/mimic.conf <<'EOF'
# Mimic test image: root may log in with its password.
PermitRootLogin yes
PasswordAuthentication yes
UseDNS no
EOF
ssh-keygen -A >/dev/null # keys are normally made by the postinst already

# --- services that slow an emulated boot and do nothing useful here -------
# (Every program started costs much more under emulation than natively.)
for u in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
	e2scrub_all.timer e2scrub_reap.service fstrim.timer man-db.timer \
	systemd-firstboot.service sshd-keygen.service systemd-pstore.service \
	systemd-network-generator.service systemd-binfmt.service \
	proc-sys-fs-binfmt_misc.automount getty-static.service modprobe@drm.service \
	modprobe@fuse.service sys-fs-fuse-connections.mount modprobe@configfs.service \
	sys-kernel-config.mount systemd-udev-load-credentials.service \
	sys-kernel-tracing.mount dev-hugepages.mount; do
	systemctl mask "$u" >/dev/null 2>&1 || true
done
mkdir -p /etc/systemd/system-generators
for g in systemd-ssh-generator systemd-tpm2-generator systemd-gpt-auto-generator \
	systemd-hibernate-resume-generator systemd-system-update-generator \
	systemd-rc-local-generator systemd-sysv-generator; do
	ln -sf /dev/null "/etc/systemd/system-generators/$g"
done

# --- the desktop variant: X.Org on vt7 with twm and an xterm --------------
if [ "$variant" = desktop ]; then
	# The modesetting driver draws into dumb buffers and flushes the damage
	# (virtio-gpu transfers and flushes); glamor would run Mesa's software
	# GL under emulation, slower than the shadow framebuffer.
	mkdir -p /etc/X11/xorg.conf.d /etc/mimic
	cat >/etc/X11/xorg.conf.d/10-mimic.conf <<'EOF'
Section "Device"
	Identifier "virtio-gpu"
	Driver "modesetting"
	Option "AccelMethod" "none"
EndSection
# No GLX: Mesa's software GL costs X ~7 s to load under emulation, and
# no GL program is usable at emulated speed anyway.
Section "Extensions"
	Option "GLX" "Disable"
EndSection
Section "ServerFlags"
	Option "BlankTime" "0"
	Option "StandbyTime" "0"
	Option "SuspendTime" "0"
	Option "OffTime" "0"
EndSection
EOF
	cat >/etc/mimic/xsession <<'EOF'
#!/bin/sh
# Mimic's desktop session (mimic-desktop.service): twm and a root terminal.
cd /root
xterm -geometry 80x24+60+60 -title "Mimic terminal" -ls &
# twm in the C locale: in a UTF-8 one it wants a font set for every
# charset, which xfonts-base lacks.
LANG=C LC_ALL=C exec twm
EOF
	chmod 755 /etc/mimic/xsession
	# twm: place windows without asking (the terminal has a position);
	# the keyboard focus follows the pointer, as twm does by default. Its
	# default fonts (variable) are not in xfonts-base.
	cat >/root/.twmrc <<'EOF'
RandomPlacement
UsePPosition "on"
NoGrabServer
TitleFont "fixed"
ResizeFont "fixed"
MenuFont "fixed"
IconFont "fixed"
IconManagerFont "fixed"
EOF
	cat >/etc/systemd/system/mimic-desktop.service <<'EOF'
[Unit]
Description=Mimic desktop: X.Org on vt7 with twm and xterm
# Only with a display: without -device virtio-gpu-device the system
# boots as the base image does.
ConditionPathExists=/dev/dri/card0
After=systemd-udev-trigger.service systemd-user-sessions.service getty@tty1.service

[Service]
Environment=HOME=/root SHELL=/bin/bash USER=root
WorkingDirectory=/root
ExecStart=/usr/bin/xinit /etc/mimic/xsession -- /usr/bin/Xorg :0 vt7 -nolisten tcp -noreset
Restart=no

[Install]
WantedBy=multi-user.target
EOF
	systemctl enable mimic-desktop.service
	# The board's power button (gpio-keys, KEY_POWER) reaches systemd-logind
	# through dbus; its default HandlePowerKey=poweroff is what we want.
fi

# --- busybox applets that Debian's minimal system lacks ------------------
for a in wget; do
	command -v "$a" >/dev/null 2>&1 || ln -sf /usr/bin/busybox "/usr/local/bin/$a"
done

# --- kernel, initramfs, extlinux.conf -------------------------------------
# The initramfs configuration (MODULES=list plus the virtio/ext4 modules) was
# put in place before the kernel was installed; the kernel's postinst hook
# was suppressed (INITRD=No), so the initramfs is made exactly once, here.
kver=$(linux-version list | tail -n1)
[ -n "$kver" ] || { echo "configure.sh: no kernel installed" >&2; exit 1; }
update-initramfs -c -k "$kver" >&2
[ -s "/boot/initrd.img-$kver" ] || { echo "configure.sh: no initrd" >&2; exit 1; }
# /boot is its own partition (vda1), so paths are relative to it. No fdt
# line: U-Boot passes on the device tree it got from the board.
mkdir -p /boot/extlinux
cat >/boot/extlinux/extlinux.conf <<EOF
# Mimic Debian disk image (written by build-debian-disk.sh; not updated by
# kernel upgrades inside the guest).
default debian
timeout 1
menu title Mimic Debian $suite

label debian
	menu label Debian GNU/Linux ($suite) $kver
	linux /vmlinuz-$kver
	initrd /initrd.img-$kver
	append $append
EOF

# --- GRUB for UEFI firmware (Debian's EDK2, AAVMF32) ------------------------
# A standalone GRUB on the EFI system partition (vda3, made by the build
# script from /boot/efi-esp) finds the /boot partition by its label and
# reads /boot/grub/grub.cfg. Written by hand, like extlinux.conf: grub-mkconfig
# cannot probe devices inside a build chroot.
mkdir -p /boot/grub /boot/efi-esp/EFI/BOOT
cat >/boot/grub/grub.cfg <<EOF
set timeout=1
set default=0
menuentry "Debian GNU/Linux ($suite) $kver" {
	linux /vmlinuz-$kver $append
	initrd /initrd.img-$kver
}
EOF
# Partition maps are never loaded on demand: part_msdos must be preloaded.
printf 'insmod part_msdos\ninsmod ext2\nsearch --no-floppy --label mimic-boot --set=root\nconfigfile ($root)/grub/grub.cfg\n' >/tmp/grub-memdisk.cfg
grub-mkstandalone -O arm-efi --modules="part_msdos ext2" -o /boot/efi-esp/EFI/BOOT/BOOTARM.EFI "boot/grub/grub.cfg=/tmp/grub-memdisk.cfg" >&2
rm -f /tmp/grub-memdisk.cfg

# --- record what is installed --------------------------------------------
mkdir -p /var/lib/mimic
dpkg-query -W -f='${Package} ${Version}\n' >/var/lib/mimic/packages
echo "$kver" >/var/lib/mimic/kernel-release

# --- clean up -------------------------------------------------------------
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old \
	/var/log/dpkg.log /var/log/apt/* /var/log/alternatives.log /var/log/bootstrap.log \
	/var/cache/ldconfig/aux-cache /etc/dpkg/dpkg.cfg.d/mimic-unsafe-io \
	/usr/sbin/policy-rc.d /etc/ssh/ssh_host_*_key-cert.pub
mkdir -p /var/lib/apt/lists/partial
# Mark /etc and /var up to date with /usr, so the first boot does not run
# the ConditionNeedsUpdate= units (ldconfig, hwdb and journal catalog
# rebuilds, sysusers). Last, after every change to /usr.
/usr/lib/systemd/systemd-update-done
echo "configure.sh: done ($kver)" >&2
