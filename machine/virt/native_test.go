package virt

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"mimic/cpu/arm"
)

// The native backend must do exactly what the interpreter does. Two
// machines run the same image, one with native code and one without, a
// slice of instructions at a time; after every slice the registers, the
// CPSR and the retired count must agree. Slices of one block check the
// compiled ops; longer slices check chaining between compiled blocks. The
// clock does not advance, so only code that needs no timer is compared
// end to end; the rest is compared until it waits.
func TestNativeMatchesInterpreter(t *testing.T) {
	images := []string{"../../roms/bench/bench-arm.elf", "../../roms/bench/bench-thumb.elf", "../../roms/demo/demo.elf"}
	conf, _ := filepath.Glob("../../conformance/programs/build/*.elf")
	images = append(images, conf...)
	for _, img := range images {
		name := strings.TrimSuffix(filepath.Base(img), ".elf")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			limit := uint64(20_000_000)
			if testing.Short() || strings.HasPrefix(name, "bench") {
				limit = 3_000_000
			}
			for _, slice := range []uint64{1, 997} {
				if err := lockstep(img, slice, limit); err != nil {
					t.Fatalf("slices of %d: %v", slice, err)
				}
			}
		})
	}
}

func lockstep(img string, slice, limit uint64) error {
	mk := func(native bool) (*Machine, *bytes.Buffer, error) {
		var out bytes.Buffer
		m, err := New(Config{
			RAMSize: 256 << 20, Kernel: img, Semihosting: true,
			Serial: &out, Stderr: &out,
			Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		})
		if err != nil {
			return nil, nil, err
		}
		m.CPU.NoNative = !native
		return m, &out, nil
	}
	mi, outI, err := mk(false)
	if err != nil {
		return err
	}
	mn, outN, err := mk(true)
	if err != nil {
		return err
	}
	for mi.CPU.Retired() < limit {
		ni, whyI := mi.CPU.Run(slice)
		nn, whyN := mn.CPU.Run(slice)
		if d := stateDiff(mi.CPU, mn.CPU); d != "" || ni != nn || whyI != whyN {
			return fmt.Errorf("after %d instructions: interpreter ran %d (%v), native %d (%v)\n%s",
				mi.CPU.Retired(), ni, whyI, nn, whyN, d)
		}
		if whyI != arm.StopBudget {
			break
		}
	}
	if !bytes.Equal(outI.Bytes(), outN.Bytes()) {
		return fmt.Errorf("output differs:\ninterpreter: %q\nnative:      %q", outI, outN)
	}
	return nil
}

func stateDiff(a, b *arm.CPU) string {
	var d strings.Builder
	for i := range a.R {
		if a.R[i] != b.R[i] {
			fmt.Fprintf(&d, "r%d: interpreter %#x, native %#x\n", i, a.R[i], b.R[i])
		}
	}
	if a.CPSR() != b.CPSR() {
		fmt.Fprintf(&d, "cpsr: interpreter %#x, native %#x\n", a.CPSR(), b.CPSR())
	}
	if a.Retired() != b.Retired() {
		fmt.Fprintf(&d, "retired: interpreter %d, native %d\n", a.Retired(), b.Retired())
	}
	return d.String()
}
