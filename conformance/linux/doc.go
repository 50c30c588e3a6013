// Package linux holds the Linux acceptance tests: Debian's armmp kernels
// (bookworm 6.1, trixie 6.12, trixie 6.12 LPAE) boot on an emulator with
// the project's initramfs, a shell session checks the machine from the
// inside, and the guest powers off through PSCI.
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
//	MIMIC_LINUX_LOGDIR    keep each console log there
//	MIMIC_LINUX_TIMES     append a line per boot with its timings there
//
// Package guest drives the console; package initramfs builds the
// initramfs; cmd/bootbench times boots for scripts/bench-linux.sh.
package linux
