// Command mimic is a full-system ARM emulator.
//
//	mimic                                   run the bundled demo
//	mimic -M virt -m 256 --kernel prog.elf --semihosting --nographic
//
// The options follow qemu-system-arm's vocabulary. Exit status: the guest's
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
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"mimic/frontend/console"
	"mimic/machine"
	"mimic/machine/virt"
	"mimic/roms"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

type options struct {
	machine     string
	cpu         string
	mem         string
	kernel      string
	initrd      string
	appendLine  string
	dtb         string
	dumpDTB     string
	bios        string
	semihosting bool
	nographic   bool
	display     string
	serial      string
	icount      string
	accel       string
	trace       bool
	timeout     time.Duration
	maxInsns    uint64
	noReboot    bool
	gdb         string
	verbose     bool
	stats       bool
	cpuprofile  string
}

// usageError is a bad command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	opts, err := parse(args, stderr)
	if errors.Is(err, pflag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "mimic: %v\n", err)
		return 2
	}
	code, err := boot(opts, stdin, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "mimic: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) || errors.Is(err, virt.ErrConfig) {
			return 2
		}
		return 1
	}
	return code
}

func parse(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := pflag.NewFlagSet("mimic", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVarP(&o.machine, "machine", "M", "virt", "board to emulate (virt)")
	fs.StringVar(&o.cpu, "cpu", "cortex-a15", "CPU model (cortex-a15)")
	fs.StringVarP(&o.mem, "memory", "m", "128", "guest RAM size in MiB, or with a suffix: 512M, 1G")
	fs.StringVar(&o.kernel, "kernel", "", "kernel or bare-metal program: Linux zImage, uImage, ELF or raw binary")
	fs.StringVar(&o.initrd, "initrd", "", "initial ramdisk")
	fs.StringVar(&o.appendLine, "append", "", "kernel command line (semihosting: the program's command line)")
	fs.StringVar(&o.dtb, "dtb", "", "device tree blob to pass to the kernel instead of the board's (/memory, /chosen, /psci are filled in)")
	fs.StringVar(&o.dumpDTB, "dump-dtb", "", "write the device tree the guest would get to FILE and exit")
	fs.StringVar(&o.bios, "bios", "", "firmware image for the first flash bank (e.g. U-Boot); the CPU starts at address 0")
	fs.BoolVar(&o.semihosting, "semihosting", false, "enable ARM semihosting (console, files, exit code)")
	fs.BoolVar(&o.nographic, "nographic", false, "no window: serial port on the terminal")
	fs.StringVar(&o.display, "display", "none", "display backend (none)")
	fs.StringVar(&o.serial, "serial", "stdio", "serial port backend: stdio, none, or file:PATH")
	fs.StringVar(&o.icount, "icount", "", "deterministic time: shift=N (2^N ns per instruction)")
	fs.StringVar(&o.accel, "accel", "native", "execution engine: native (hot code compiled to host code where the host allows) or interp")
	fs.BoolVar(&o.trace, "trace", false, "print every executed instruction to stderr")
	fs.DurationVar(&o.timeout, "timeout", 0, "stop the guest after this much host time (e.g. 30s)")
	fs.Uint64Var(&o.maxInsns, "max-insns", 0, "stop the guest after this many instructions")
	fs.BoolVar(&o.noReboot, "no-reboot", false, "exit instead of rebooting when the guest resets")
	fs.StringVar(&o.gdb, "gdb", "", "wait for a GDB connection on this address (not supported yet)")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "log emulator events in detail (guest errors are always logged)")
	fs.BoolVar(&o.stats, "stats", false, "print instructions, time, MIPS and peak memory to stderr at exit")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a Go CPU profile of the emulator to this file (for PGO and tuning)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: mimic [options]\n\nWith no options, mimic runs its bundled demo.\n\nOptions:\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usageError{fmt.Sprintf("unexpected argument %q (images go after --kernel)", fs.Arg(0))}
	}
	if o.machine != "virt" {
		return nil, usageError{fmt.Sprintf("unknown machine %q (supported: virt)", o.machine)}
	}
	if o.cpu != "cortex-a15" {
		return nil, usageError{fmt.Sprintf("unknown CPU %q for machine virt (supported: cortex-a15)", o.cpu)}
	}
	if o.display != "none" {
		return nil, usageError{fmt.Sprintf("unknown display %q (supported: none)", o.display)}
	}
	if o.gdb != "" {
		return nil, usageError{"--gdb is not supported yet"}
	}
	if o.initrd != "" && o.kernel == "" {
		return nil, usageError{"--initrd needs --kernel"}
	}
	if o.appendLine != "" && o.kernel == "" && !o.semihosting {
		return nil, usageError{"--append needs --kernel"}
	}
	return o, nil
}

// parseMem reads a QEMU-style size: plain numbers are MiB.
func parseMem(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	mult := uint64(1 << 20)
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 'k', 'K':
			mult, s = 1<<10, s[:n-1]
		case 'm', 'M':
			mult, s = 1<<20, s[:n-1]
		case 'g', 'G':
			mult, s = 1<<30, s[:n-1]
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil || v == 0 || v > 1<<40/mult {
		return 0, usageError{fmt.Sprintf("bad memory size %q (want e.g. 256, 512M, 1G)", s)}
	}
	return v * mult, nil
}

func parseICount(s string) (int, error) {
	if s == "" {
		return -1, nil
	}
	v := strings.TrimPrefix(s, "shift=")
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 10 {
		return 0, usageError{fmt.Sprintf("bad --icount %q (want shift=N with N from 0 to 10)", s)}
	}
	return n, nil
}

func boot(o *options, stdin *os.File, stdout, stderr io.Writer) (int, error) {
	ram, err := parseMem(o.mem)
	if err != nil {
		return 0, err
	}
	shift, err := parseICount(o.icount)
	if err != nil {
		return 0, err
	}
	level := slog.LevelWarn
	if o.verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	// Devices log guest errors through the default logger.
	slog.SetDefault(log)

	cfg := virt.Config{
		RAMSize: ram, Kernel: o.kernel, Append: o.appendLine,
		Initrd: o.initrd, DTB: o.dtb, Bios: o.bios,
		Semihosting: o.semihosting, ICountShift: shift,
		Stdin: stdin, Stderr: stderr,
		Timeout: o.timeout, MaxInsns: o.maxInsns, NoReboot: o.noReboot, Log: log,
	}
	if o.dumpDTB != "" {
		blob, err := virt.DeviceTree(cfg)
		if err != nil {
			return 0, err
		}
		if err := os.WriteFile(o.dumpDTB, blob, 0o644); err != nil {
			return 0, usageError{fmt.Sprintf("--dump-dtb: %v", err)}
		}
		fmt.Fprintf(stderr, "mimic: device tree written to %s\n", o.dumpDTB)
		return 0, nil
	}

	demo := o.kernel == "" && o.bios == ""
	if demo {
		// The bundled demo reports and exits through semihosting.
		cfg.Semihosting = true
	}

	var serialOut io.Writer = stdout
	var closeSerial func() error
	switch {
	case o.serial == "stdio":
	case o.serial == "none":
		serialOut = io.Discard
	case strings.HasPrefix(o.serial, "file:"):
		f, err := os.Create(strings.TrimPrefix(o.serial, "file:"))
		if err != nil {
			return 0, usageError{fmt.Sprintf("--serial: %v", err)}
		}
		serialOut, closeSerial = f, f.Close
	default:
		return 0, usageError{fmt.Sprintf("unknown --serial %q (supported: stdio, none, file:PATH)", o.serial)}
	}
	cfg.Serial = serialOut

	var tracer *machine.Tracer
	if o.trace {
		tracer = machine.NewTracer(stderr)
		tracer.Thumb = thumbDisasm
		tracer.A32 = armDisasm
		cfg.Trace = tracer.Trace
		defer tracer.Flush()
	}

	// The console reads stdin for the serial port; semihosting reads it
	// itself, so only one of them may own it.
	var con *console.Console
	var m *virt.Machine
	if o.serial == "stdio" && !cfg.Semihosting {
		con, err = console.Open(stdin, stdout, true, console.Keys{
			Quit: func() {
				if m != nil {
					m.Loop.Quit()
				}
			},
			Info: func() {
				if m != nil {
					m.Loop.RequestDump(stderr)
				}
			},
		})
		if err != nil {
			return 0, err
		}
		defer con.Close()
		cfg.Input = con.Input
	}

	if o.accel != "native" && o.accel != "interp" {
		return 0, usageError{fmt.Sprintf("unknown --accel %q (native or interp)", o.accel)}
	}
	if demo {
		m, err = virt.NewFromImage(cfg, "demo", roms.Demo)
	} else {
		m, err = virt.New(cfg)
	}
	if err != nil {
		return 0, err
	}
	m.CPU.NoNative = o.accel == "interp"
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return 0, usageError{fmt.Sprintf("--cpuprofile: %v", err)}
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return 0, err
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	dumpOnSIGQUIT(m, con, stderr)
	start := time.Now()
	code, err := m.Run()
	if o.stats {
		printStats(stderr, m.Retired(), time.Since(start))
		tr, inv := m.CPU.CacheStats()
		fmt.Fprintf(stderr, "mimic: %d blocks translated, %d code pages invalidated by writes\n", tr, inv)
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
