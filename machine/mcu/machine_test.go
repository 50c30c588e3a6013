package mcu

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"mimic/machine"
)

// run builds board with firmware and runs it to its end.
func run(t *testing.T, board, firmware string, log *bytes.Buffer) (string, int, error) {
	t.Helper()
	var out bytes.Buffer
	if log == nil {
		log = &bytes.Buffer{}
	}
	m, err := New(Config{Board: board, Kernel: "testdata/" + firmware, Semihosting: true, ICountShift: 0,
		Serial: &out, MaxInsns: 1e6, Log: slog.New(slog.NewTextHandler(log, nil))})
	if err != nil {
		return "", 0, err
	}
	code, err := m.Run()
	return out.String(), code, err
}

// TestHello runs the smallest firmware on each board: UART 0 prints, the
// semihosting exit ends the run with status 0 (QEMU 7.2 prints the same
// line and exits 0 with each of these images).
func TestHello(t *testing.T) {
	for _, c := range []struct{ board, fw string }{
		{"mps2-an385", "hello-mps2.elf"}, {"mps2-an386", "hello-mps2.elf"}, {"lm3s6965evb", "hello-lm3s.elf"},
	} {
		t.Run(c.board, func(t *testing.T) {
			var log bytes.Buffer
			out, code, err := run(t, c.board, c.fw, &log)
			if err != nil || code != 0 || out != "hello from the microcontroller\n" {
				t.Errorf("output %q, status %d, %v", out, code, err)
			}
			if strings.Contains(log.String(), "guest error") {
				t.Errorf("guest errors:\n%s", log.String())
			}
		})
	}
}

// TestLockup: a fault in the HardFault handler stops the run with an
// error naming the PC and the fault (QEMU aborts with "Lockup: can't
// escalate 3 to HardFault").
func TestLockup(t *testing.T) {
	_, _, err := run(t, "mps2-an385", "lockup.elf", nil)
	if !errors.Is(err, machine.ErrLockup) || !strings.Contains(err.Error(), "0x00000104") {
		t.Errorf("error %v, want ErrLockup naming pc 0x00000104", err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Board: "mps2-an385", CPU: "cortex-m4", Kernel: "testdata/hello-mps2.elf"}, "-cpu cortex-m4 is not possible"},
		{Config{Board: "mps2-an385"}, "no firmware given"},
		{Config{Board: "nope", Kernel: "x"}, "unknown board"},
		{Config{Board: "lm3s6965evb", Kernel: "testdata/missing.elf"}, "no such file"},
		{Config{Board: "lm3s6965evb", Kernel: "testdata/hello.S"}, "initial stack pointer"},
	} {
		_, err := New(c.cfg)
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want ErrConfig with %q", c.cfg, err, c.want)
		}
	}
}

// TestUnimplemented: an access to a device Mimic does not model reads as
// zero and logs one guest error naming the device, offset and PC.
func TestUnimplemented(t *testing.T) {
	var log bytes.Buffer
	m, err := New(Config{Board: "lm3s6965evb", Kernel: "testdata/hello-lm3s.elf", Log: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if v, ok := m.Bus.Read(0x400fd004, 4); !ok || v != 0 {
			t.Errorf("flash-control read: %#x, %v", v, ok)
		}
	}
	if v, ok := m.Bus.Read(0x50000000, 4); !ok || v != 0 {
		t.Errorf("unassigned read on a board that ignores bus errors: %#x, %v", v, ok)
	}
	got := log.String()
	if strings.Count(got, "device=flash-control") != 1 || !strings.Contains(got, "offset=0x4") || !strings.Contains(got, "pc=0x") {
		t.Errorf("log:\n%s", got)
	}
	mps, err := New(Config{Board: "mps2-an385", Kernel: "testdata/hello-mps2.elf"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := mps.Bus.Read(0x50000000, 4); ok {
		t.Errorf("mps2: an access to nothing must fail (a BusFault)")
	}
	if _, ok := mps.Bus.Read(0x40030010, 4); !ok {
		t.Errorf("mps2: RESERVED 4 is a dummy device")
	}
}

// TestBenchmarkMatchesQEMU runs the CPU benchmark built for the Cortex-M3
// (roms/bench/bench-m3.elf, 2.4 billion instructions of integer work) and
// compares its checksums with QEMU 7.2's run (bench-m3.ref).
func TestBenchmarkMatchesQEMU(t *testing.T) {
	if testing.Short() {
		t.Skip("2.4 billion instructions")
	}
	ref, err := os.ReadFile("../../roms/bench/bench-m3.ref")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	m, err := New(Config{Board: "mps2-an385", Kernel: "../../roms/bench/bench-m3.elf", Semihosting: true,
		ICountShift: -1, Serial: &out, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	code, err := m.Run()
	got := fmt.Sprintf("%sexit=%d\n", out.String(), code)
	if err != nil || got != string(ref) {
		t.Errorf("the benchmark on Mimic (%v):\n%s\nQEMU's:\n%s", err, got, ref)
	}
}
