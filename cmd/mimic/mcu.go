package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"mimic/frontend/cli"
	"mimic/machine"
	"mimic/machine/mcu"
)

// bootMCU runs firmware on a microcontroller board (-M mps2-an385,
// mps2-an386, lm3s6965evb): the M-profile CPU, the board's memories and
// peripherals, UART 0 on the terminal, semihosting, and the same limits,
// deterministic time, tracing and statistics as the virt board.
func bootMCU(o *cli.Options, stdin *os.File, stdout, stderr io.Writer, log *slog.Logger) (int, error) {
	if err := checkMCUOptions(o); err != nil {
		return 0, err
	}
	cfg := mcu.Config{
		Board: o.Machine, CPU: o.CPU, Kernel: o.Kernel, Append: o.Append,
		Semihosting: o.Semihosting, ICountShift: o.ICount.Shift,
		Stdin: stdin, Stderr: stderr,
		Timeout: o.Timeout, MaxInsns: o.MaxInsns, NoReboot: o.NoReboot, Log: log,
	}
	if line, ok := o.SemihostingCmdline(); ok {
		cfg.SemihostingCmdline = line
	}
	// The MPS2's LAN9118 is always there; -nic user puts the user-mode
	// network behind it. Unlike QEMU there is no network by default: a
	// network back end keeps an idle machine waiting for frames, so a
	// firmware stuck in WFI under -icount would hang instead of stopping
	// with an error, and most microcontroller firmware has no use for it.
	if len(o.NICs) == 1 {
		nw, err := openNetdev(o.NICs[0].Netdev)
		if err != nil {
			return 0, err
		}
		defer nw.Close()
		cfg.NIC, cfg.MAC = nw, [6]byte(o.NICs[0].MAC)
	}
	serialOut, closeSerial, err := openSerial(o, stdout)
	if err != nil {
		return 0, err
	}
	cfg.Serial = serialOut
	switch o.ITM {
	case "":
	case "-":
		cfg.ITM = stdout
	default:
		f, err := os.Create(o.ITM)
		if err != nil {
			return 0, usageError{fmt.Sprintf("--itm: %v", err)}
		}
		defer f.Close()
		cfg.ITM = f
	}
	var flushTrace func()
	cfg.Trace, flushTrace = newTrace(o, stderr)
	defer flushTrace()
	var m *mcu.Machine
	con, err := openConsole(o, cfg.Semihosting, stdin, stdout, stderr, func() *machine.Loop {
		if m == nil {
			return nil
		}
		return m.Loop
	})
	if err != nil {
		return 0, err
	}
	if con != nil {
		defer con.Close()
		cfg.Input = con.Input
	}
	m, err = mcu.New(cfg)
	if err != nil {
		return 0, err
	}
	// Guest errors of the devices name the PC of the access.
	slog.SetDefault(slog.New(machine.WithPC(log.Handler(), m.CPU.AccessPC)))
	m.CPU.NoNative = o.Accel == "interp"
	stopProfile, err := startCPUProfile(o.CPUProfile)
	if err != nil {
		return 0, err
	}
	defer stopProfile()
	start := time.Now()
	code, err := m.Run()
	if cerr := m.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if o.Stats {
		printStats(stderr, m.Retired(), time.Since(start))
	}
	if closeSerial != nil {
		if cerr := closeSerial(); err == nil && cerr != nil {
			err = cerr
		}
	}
	return code, err
}

// checkMCUOptions refuses what a microcontroller board does not have.
func checkMCUOptions(o *cli.Options) error {
	no := func(what string) error {
		return usageError{fmt.Sprintf("-machine %s has no %s (that is the virt board's)", o.Machine, what)}
	}
	switch {
	case o.Kernel == "":
		return usageError{fmt.Sprintf("-machine %s needs firmware: -kernel FILE (ELF, Intel HEX or raw binary)", o.Machine)}
	case o.Initrd != "":
		return no("-initrd")
	case o.DTB != "":
		return no("device tree (-dtb)")
	case o.Bios != "":
		return no("-bios flash; pass the firmware with -kernel")
	case len(o.Drives) > 0:
		return no("disks (-drive)")
	case len(o.Devices) > 0:
		return no("-device slots (virtio-mmio)")
	case (len(o.NICs) > 0 || len(o.Netdevs) > 0) && mcu.Boards[o.Machine].NIC == "":
		return usageError{fmt.Sprintf("-machine %s has no network card Mimic models yet (the Stellaris Ethernet is not implemented)", o.Machine)}
	case len(o.Netdevs) > 0:
		return usageError{fmt.Sprintf("-machine %s: -netdev needs a -device, and the board's LAN9118 is built in (QEMU has no -device lan9118 either); use -nic user[,mac=MAC][,hostfwd=...]", o.Machine)}
	case len(o.NICs) > 1:
		return usageError{fmt.Sprintf("-machine %s has one network controller (the LAN9118): give one -nic", o.Machine)}
	case o.Display == "sdl":
		return no("display")
	case o.Screenshot != "" || o.AudioOut != "" || o.InputScript != "":
		return no("display, sound or input devices")
	case o.DumpDTB != "":
		return no("device tree")
	case strings.HasPrefix(o.Machine, "mps2-") && o.RAM != 0 && o.RAM != 16<<20:
		// As QEMU: the MPS2's memories are fixed; -m names its 16 MiB PSRAM.
		return usageError{fmt.Sprintf("-machine %s: invalid RAM size, should be 16 MiB (-m 16M)", o.Machine)}
	}
	return nil
}
