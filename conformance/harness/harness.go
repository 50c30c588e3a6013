// Package harness runs a bare-metal test image on Mimic's virt board the
// way the conformance references were recorded on QEMU
// (qemu-system-arm -M virt -cpu cortex-a15 -semihosting -kernel IMAGE),
// capturing the semihosting console and the exit code.
package harness

import (
	"bytes"
	"io"
	"log/slog"
	"time"

	"mimic/machine/virt"
)

// Options tune one run.
type Options struct {
	Args     string        // the program's command line (QEMU's -append)
	Timeout  time.Duration // host time limit; 0 means 60 s
	MaxInsns uint64        // instruction limit; 0 means none
	RAMSize  uint64        // bytes; 0 means 256 MiB as the references use
	// Engine picks the CPU's execution engine: "" (the default: hot
	// blocks native), "interp" (interpreter only) or "native" (every
	// block native from its first run).
	Engine string
}

// Result is what the guest did.
type Result struct {
	Stdout   []byte // semihosting console and UART output, interleaved
	ExitCode int
	Insns    uint64 // instructions retired
}

// Run boots image with semihosting in deterministic time (icount shift 0)
// so results and instruction counts are reproducible.
func Run(image string, opts Options) (Result, error) {
	if opts.Timeout == 0 {
		opts.Timeout = 60 * time.Second
	}
	if opts.RAMSize == 0 {
		opts.RAMSize = 256 << 20
	}
	var out bytes.Buffer
	m, err := virt.New(virt.Config{
		RAMSize: opts.RAMSize, Kernel: image, Append: opts.Args,
		Semihosting: true, ICountShift: 0,
		Serial: &out, Stderr: &out,
		Timeout: opts.Timeout, MaxInsns: opts.MaxInsns,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		return Result{}, err
	}
	m.CPU.NoNative = opts.Engine == "interp"
	m.CPU.NativeEager = opts.Engine == "native"
	code, err := m.Run()
	return Result{Stdout: out.Bytes(), ExitCode: code, Insns: m.Retired()}, err
}
