// Command bootbench times one Linux boot on an emulator: from start to the
// initramfs's shell prompt, and from start to the emulator's exit after
// `poweroff -f`, plus the emulator's peak RSS. scripts/bench-linux.sh runs
// it for Mimic and QEMU and prints the ratios.
//
//	bootbench -emulator "bin/mimic -M virt" -kernel K -initrd I [-m 512]
//
// It prints one line: prompt_s poweroff_s rss_mib exit_status.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
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
	flag.Parse()
	var log io.Writer
	if *verbose {
		log = os.Stderr
	}
	s, err := guest.Start(guest.Boot{Emulator: strings.Fields(*emu), RAMMiB: *ram, Kernel: *kernel, Initrd: *initrd}, log)
	if err != nil {
		fail(err)
	}
	defer s.Kill()
	prompt, err := s.WaitShell(context.Background(), *timeout)
	if err != nil {
		fail(err)
	}
	if err := s.Send("poweroff -f\n"); err != nil {
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
