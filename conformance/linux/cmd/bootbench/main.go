// Command bootbench times one Linux boot on an emulator: from start to the
// initramfs's shell prompt, and from start to the emulator's exit after
// `poweroff -f`, plus the emulator's peak RSS. scripts/bench-linux.sh runs
// it for Mimic and QEMU and prints the ratios.
//
//	bootbench -emulator "bin/mimic -M virt" -kernel K -initrd I [-m 512]
//	bootbench ... -append "root=/dev/vda2 console=ttyAMA0 rw" \
//	    -extra "-drive file=disk.qcow2,if=virtio" -prompt 'root@host:.*# ' -poweroff poweroff
//
// Without -prompt it waits for the project's initramfs shell.
// It prints one line: prompt_s poweroff_s rss_mib exit_status.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"mimic/conformance/linux/guest"
)

func main() {
	emu := flag.String("emulator", "bin/mimic -M virt", "emulator command")
	kernel := flag.String("kernel", "", "kernel image")
	initrd := flag.String("initrd", "", "initramfs")
	ram := flag.Int("m", 512, "RAM in MiB")
	timeout := flag.Duration("timeout", 30*time.Minute, "limit for each phase")
	verbose := flag.Bool("v", false, "copy the console to stderr")
	appendLine := flag.String("append", "", "kernel command line (default console=ttyAMA0)")
	extra := flag.String("extra", "", "more emulator arguments, split on spaces")
	promptRE := flag.String("prompt", "", "regexp of the shell prompt to wait for (default: the initramfs shell)")
	poweroff := flag.String("poweroff", "poweroff -f", "command that powers the guest off")
	flag.Parse()
	var log io.Writer
	if *verbose {
		log = os.Stderr
	}
	s, err := guest.Start(guest.Boot{Emulator: strings.Fields(*emu), RAMMiB: *ram, Kernel: *kernel, Initrd: *initrd,
		Append: *appendLine, Extra: strings.Fields(*extra)}, log)
	if err != nil {
		fail(err)
	}
	defer s.Kill()
	var prompt time.Duration
	if *promptRE == "" {
		prompt, err = s.WaitShell(context.Background(), *timeout)
	} else {
		re, rerr := regexp.Compile(*promptRE)
		if rerr != nil {
			fail(rerr)
		}
		_, err = s.WaitFor(re, 0, *timeout)
		prompt = s.Elapsed()
	}
	if err != nil {
		fail(err)
	}
	if err := s.Send(*poweroff + "\n"); err != nil {
		fail(err)
	}
	code, err := s.Wait(*timeout)
	if err != nil {
		fail(err)
	}
	fmt.Printf("%.2f %.2f %d %d\n", prompt.Seconds(), s.Elapsed().Seconds(), s.MaxRSS()>>20, code)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "bootbench: %v\n", err)
	os.Exit(1)
}
