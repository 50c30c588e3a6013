// Package linux holds the Linux acceptance tests: Debian's armmp kernels
// (bookworm 6.1, trixie 6.12, trixie 6.12 LPAE) boot on an emulator with
// the project's initramfs, a shell session checks the machine from the
// inside, and the guest powers off through PSCI. TestVirtioDevices loads
// the virtio modules (/bin/virtio-up) and drives disk, entropy and
// network; the desktop tests (desktop_test.go) load DRM, virtio-gpu,
// virtio-input and ALSA with virtio-snd (/bin/desktop-up), type on the
// virtio keyboard into a shell on the framebuffer console, check the
// screen saved at power-off, and record what the guest plays (sound on
// Mimic only: QEMU 7.2 has no virtio-sound-device).
//
// The tests are behind the build tag "acceptance" so that `go test ./...`
// does not run them:
//
//	scripts/fetch-guests.sh                 # once: kernels, busybox, initramfs
//	go test -tags acceptance -v ./conformance/linux/
//	scripts/linux-acceptance.sh [--qemu]    # the same, building bin/mimic first
//
// Environment:
//
//	MIMIC_LINUX_EMULATOR  the emulator command, split on spaces; default
//	                      "<repo>/bin/mimic -M virt". Validate the tests on
//	                      QEMU with "qemu-system-arm -M virt -cpu cortex-a15".
//	MIMIC_LINUX_GUESTS    the guest directory (default <repo>/.cache/guests)
//	MIMIC_LINUX_CASES     comma-separated case names to run (default all)
//	MIMIC_LINUX_TIMEOUT   boot-to-prompt limit (default 20m); each command
//	                      and the power-off get the same limit
//	MIMIC_LINUX_DATE_SLACK how far the guest's clock may be from the host's
//	                      (default 5m; "off" skips the check, for
//	                      deterministic-time runs)
//	MIMIC_LINUX_LOGDIR    keep each console log (and the desktop test's
//	                      screens) there
//	MIMIC_LINUX_TIMES     append a line per boot with its timings there
//
// Package guest drives the console; package initramfs builds the
// initramfs; cmd/bootbench times boots for scripts/bench-linux.sh;
// cmd/pcmtone is the guest's ALSA tone player, which the sound test builds
// for linux/arm.
package linux
