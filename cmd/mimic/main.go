// Command mimic is a full-system ARM emulator.
//
//	mimic                                   run the bundled demo
//	mimic -M virt -m 256 --kernel prog.elf --semihosting --nographic
//	mimic img create -f qcow2 disk.qcow2 8G  disk images, as qemu-img
//
// The options are qemu-system-arm's, one dash or two (package
// mimic/frontend/cli has the grammar). Exit status: the guest's
// own exit code (semihosting, PSCI SYSTEM_OFF gives 0), 2 for a bad command
// line or image, 1 when the emulator stopped the guest (timeout, limit).
package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"mimic/frontend/cli"
	"mimic/frontend/console"
	"mimic/frontend/img"
	"mimic/machine"
	"mimic/machine/mcu"
	"mimic/machine/virt"
	"mimic/roms"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "img" {
		// mimic img: the counterpart of qemu-img (package frontend/img).
		os.Exit(img.Main(os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// usageError is a bad command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		// No arguments: the bundled demo, in a window when this build
		// has SDL and there is a display (desktopArgs), else on the
		// terminal.
		args = desktopArgs()
	}
	opts, err := parse(args)
	var help *cli.Help
	if errors.As(err, &help) {
		fmt.Fprint(stdout, help.Text)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "mimic: %v\n", err)
		return 2
	}
	for _, w := range opts.Warnings {
		fmt.Fprintf(stderr, "mimic: warning: %s\n", w)
	}
	code, err := boot(opts, stdin, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "mimic: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) || errors.Is(err, virt.ErrConfig) || errors.Is(err, mcu.ErrConfig) {
			return 2
		}
		return 1
	}
	return code
}

// parse reads the command line; package cli holds the whole grammar
// (QEMU's options, one dash or two, and Mimic's own). A request for help
// comes back as the *cli.Help error; any other error is a usage error.
func parse(args []string) (*cli.Options, error) {
	o, err := cli.Parse(args)
	var help *cli.Help
	if errors.As(err, &help) {
		return nil, err
	}
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return o, nil
}

func boot(o *cli.Options, stdin *os.File, stdout, stderr io.Writer) (int, error) {
	level := slog.LevelWarn
	if o.Verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	// Devices log guest errors through the default logger.
	slog.SetDefault(log)

	if o.IsMCU() {
		return bootMCU(o, stdin, stdout, stderr, log)
	}
	if o.ITM != "" {
		return 0, usageError{"--itm needs a Cortex-M board (-M mps2-an385, mps2-an386, lm3s6965evb)"}
	}
	cfg := virt.Config{
		RAMSize: o.RAM, Kernel: o.Kernel, Append: o.Append,
		Initrd: o.Initrd, DTB: o.DTB, Bios: o.Bios,
		Semihosting: o.Semihosting, ICountShift: o.ICount.Shift,
		RTCStart: o.RTC.StartAt(time.Now()),
		Stdin:    stdin, Stderr: stderr,
		Timeout: o.Timeout, MaxInsns: o.MaxInsns, NoReboot: o.NoReboot, Log: log,
	}
	if o.DumpDTB != "" {
		blob, err := virt.DeviceTree(cfg)
		if err != nil {
			return 0, err
		}
		if err := os.WriteFile(o.DumpDTB, blob, 0o644); err != nil {
			return 0, usageError{fmt.Sprintf("--dump-dtb: %v", err)}
		}
		fmt.Fprintf(stderr, "mimic: device tree written to %s\n", o.DumpDTB)
		return 0, nil
	}

	demo := o.Kernel == "" && o.Bios == "" && !o.FlashFirmware()
	if demo {
		// The bundled demo reports and exits through semihosting.
		cfg.Semihosting = true
	}
	if line, ok := o.SemihostingCmdline(); ok {
		cfg.SemihostingCmdline = line
	}
	script, err := checkHeadless(o)
	if err != nil {
		return 0, err
	}
	devs, err := wireDevices(o, &cfg)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := devs.Close(); cerr != nil {
			fmt.Fprintf(stderr, "mimic: closing devices: %v\n", cerr)
		}
	}()
	// -display sdl and -audiodev sdl (display_sdl.go, display_nosdl.go).
	desk, err := openDesktop(o, &cfg, devs, stderr)
	if err != nil {
		return 0, err
	}

	serialOut, closeSerial, err := openSerial(o, stdout)
	if err != nil {
		return 0, err
	}
	cfg.Serial = serialOut
	var flushTrace func()
	cfg.Trace, flushTrace = newTrace(o, stderr)
	defer flushTrace()

	var m *virt.Machine
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

	if demo {
		// With a screen, the graphical demo (roms/gdemo); else the
		// terminal one.
		if cfg.RAMFB || hasDevice(o, virt.VirtioGPU) {
			m, err = virt.NewFromImage(cfg, "gdemo", roms.GDemo)
		} else {
			m, err = virt.NewFromImage(cfg, "demo", roms.Demo)
		}
	} else {
		m, err = virt.New(cfg)
	}
	if err != nil {
		return 0, err
	}
	m.CPU.NoNative = o.Accel == "interp"
	// Guest errors of the devices name the PC of the access.
	slog.SetDefault(slog.New(machine.WithPC(log.Handler(), m.CPU.AccessPC)))
	scheduleInput(m, script)
	var lat *latencyProbe
	if o.Stats {
		lat = watchLatency(m.Input(), m.Consoles())
	}
	stopProfile, err := startCPUProfile(o.CPUProfile)
	if err != nil {
		return 0, err
	}
	defer stopProfile()
	dumpOnSIGQUIT(m, con, stderr)
	start := time.Now()
	code, err := desk.run(m)
	if cerr := m.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if o.Screenshot != "" {
		// Whatever stopped the guest (an exit, a limit, an error), the
		// screen is what it showed last.
		if serr := writeScreenshot(m, o.Screenshot); serr != nil {
			if err != nil {
				fmt.Fprintf(stderr, "mimic: %v\n", serr)
			} else {
				err = serr
			}
		}
	}
	if o.Stats {
		printStats(stderr, m.Retired(), time.Since(start))
		tr, inv := m.CPU.CacheStats()
		fmt.Fprintf(stderr, "mimic: %d blocks translated, %d code pages invalidated by writes\n", tr, inv)
		desk.printStats(stderr)
		lat.write(stderr)
	}
	if closeSerial != nil {
		if cerr := closeSerial(); err == nil && cerr != nil {
			err = cerr
		}
	}
	return code, err
}

// dumpOnSIGQUIT makes SIGQUIT (Ctrl-\ on a terminal, kill -QUIT) print
// the machine's state (CPU, timers, GIC) before Go's goroutine dump and
// exit status 2, so a hung guest can be diagnosed from outside.
func dumpOnSIGQUIT(m *virt.Machine, con *console.Console, stderr io.Writer) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGQUIT)
	go func() {
		<-ch
		if con != nil {
			con.Close()
		}
		fmt.Fprintln(stderr, "mimic: SIGQUIT: the machine's state, then the goroutines")
		select {
		case <-m.Loop.RequestDump(stderr):
		case <-time.After(2 * time.Second):
			// The run loop itself is stuck: read what can be read.
			fmt.Fprintln(stderr, "mimic: the run loop did not answer in 2 s; the state below is read without it")
			m.Describe(stderr)
		}
		pprof.Lookup("goroutine").WriteTo(stderr, 2)
		os.Exit(2)
	}()
}

func printStats(w io.Writer, insns uint64, d time.Duration) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Fprintf(w, "mimic: %d instructions in %.3f s: %.1f MIPS, peak RSS %d MiB\n",
		insns, d.Seconds(), float64(insns)/d.Seconds()/1e6, ru.Maxrss>>10)
}
