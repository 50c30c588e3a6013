// Package debian holds the acceptance tests of a real Debian system booted
// from its own disk: the trixie armhf disk that scripts/build-debian-disk.sh
// builds from Debian's packages (systemd, the armmp kernel, an initramfs
// that loads the virtio modules, sshd, a serial autologin), booted directly
// and through Debian's U-Boot and EDK2, with the user-mode network; and
// its desktop variant (X.Org, twm, xterm, ALSA) in a real SDL window.
//
// The tests are behind the build tag "acceptance":
//
//	scripts/debian-acceptance.sh        # builds or reuses the disk, then:
//	MIMIC_DEBIAN_DISK=DIR go test -tags acceptance -run TestDebianDisk -v ./conformance/debian/
//	scripts/debian-desktop-acceptance.sh # the desktop variant, in Xvfb
//
// Environment:
//
//	MIMIC_DEBIAN_DISK      the directory build-debian-disk.sh printed
//	                       (disk.qcow2, vmlinuz, initrd.img)
//	MIMIC_DEBIAN_EMULATOR  the emulator command, split on spaces (default
//	                       "<repo>/bin/mimic -M virt"); the tests run on
//	                       "qemu-system-arm -M virt -cpu cortex-a15" too
//	MIMIC_DEBIAN_DESKTOP_DISK      the desktop variant's directory
//	MIMIC_DEBIAN_DESKTOP_EMULATOR  its emulator, with SDL (default
//	                       "<repo>/bin/mimic-sdl -M virt"); TestDebianDesktop
//	                       also needs $DISPLAY, xdotool, xwininfo, import
//	MIMIC_DEBIAN_UBOOT     U-Boot for qemu_arm (default Debian's,
//	                       /usr/lib/u-boot/qemu_arm/u-boot.bin)
//	MIMIC_DEBIAN_EDK2      EDK2's code and variables flash images (default
//	MIMIC_DEBIAN_EDK2_VARS Debian's /usr/share/AAVMF/AAVMF32_{CODE,VARS}.fd)
//	MIMIC_DEBIAN_TIMEOUT   the limit for each boot and command (default 10m)
//	MIMIC_DEBIAN_LOGDIR    keep each console log there
//
// The tests never write to the cached disk: every boot uses a qcow2
// overlay whose backing file is the disk.
package debian
