package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"

	"mimic/frontend/cli"
	"mimic/frontend/console"
	"mimic/machine"
)

// What every board shares on the command line: where the serial port
// goes, instruction tracing, the console on the terminal and the CPU
// profile.

// openSerial returns where the board's UART writes (-serial) and what
// closes it (nil for the terminal).
func openSerial(o *cli.Options, stdout io.Writer) (io.Writer, func() error, error) {
	switch o.Serial.Backend {
	case "stdio":
		// mon:stdio too: the console has the Ctrl-A escapes either way.
		return stdout, nil, nil
	case "null":
		return io.Discard, nil, nil
	case "file":
		f, err := os.Create(o.Serial.Path)
		if err != nil {
			return nil, nil, usageError{fmt.Sprintf("-serial %s: %v", o.Serial, err)}
		}
		return f, f.Close, nil
	}
	panic("BUG: unknown serial back end " + o.Serial.Backend)
}

// newTrace returns the CPU's trace hook for --trace and what flushes it,
// or nils without --trace.
func newTrace(o *cli.Options, stderr io.Writer) (func(pc uint32, thumb bool, insn uint32, size int), func()) {
	if !o.Trace {
		return nil, func() {}
	}
	t := machine.NewTracer(stderr)
	t.Thumb = thumbDisasm
	t.A32 = armDisasm
	return t.Trace, func() { t.Flush() }
}

// openConsole puts the terminal in raw mode for the serial port when it
// is on stdio and semihosting does not read stdin itself (only one may
// own it); nil otherwise. Ctrl-A x quits and Ctrl-A i prints the state of
// the machine's loop, once loop returns one.
func openConsole(o *cli.Options, semihosting bool, stdin *os.File, stdout, stderr io.Writer, loop func() *machine.Loop) (*console.Console, error) {
	if o.Serial.Backend != "stdio" || semihosting {
		return nil, nil
	}
	return console.Open(stdin, stdout, true, console.Keys{
		Quit: func() {
			if l := loop(); l != nil {
				l.Quit()
			}
		},
		Info: func() {
			if l := loop(); l != nil {
				l.RequestDump(stderr)
			}
		},
	})
}

// startCPUProfile starts --cpuprofile's Go CPU profile; stop ends it.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, usageError{fmt.Sprintf("--cpuprofile: %v", err)}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
