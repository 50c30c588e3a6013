package mcu

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mrtosDir holds the mrtos firmware (roms/mrtos): a small preemptive RTOS
// with two tasks exchanging float results through a queue, a software
// timer and PendSV context switches, built for each board, and the output
// qemu-system-arm 7.2 prints for it under -icount shift=0.
const mrtosDir = "../../roms/mrtos"

// TestMRTOS runs mrtos on each board in both engines and compares UART 0's
// output and the semihosting exit status with QEMU's, byte for byte. Its
// lines carry SysTick tick counts, so the test also checks that interrupts
// arrive at the instruction QEMU's -icount delivers them at (which needs
// the run loop to end a slice at an event a device schedules inside it).
func TestMRTOS(t *testing.T) {
	for _, board := range []struct{ name, image string }{
		{"mps2-an385", "mrtos-an385"}, {"mps2-an386", "mrtos-an386"}, {"lm3s6965evb", "mrtos-lm3s6965evb"},
	} {
		want, err := os.ReadFile(filepath.Join(mrtosDir, "ref", board.image+".ref"))
		if err != nil {
			t.Fatal(err)
		}
		for _, native := range []bool{false, true} {
			engine := map[bool]string{false: "interp", true: "native"}[native]
			t.Run(board.name+"/"+engine, func(t *testing.T) {
				t.Parallel()
				got, log := runMRTOS(t, board.name, filepath.Join(mrtosDir, "build", board.image+".elf"), native)
				diff := cmp.Diff(string(want), got)
				if diff != "" {
					t.Errorf("output differs from QEMU's (-want +got):\n%s", diff)
				}
				if strings.Contains(log, "guest error") {
					t.Errorf("guest errors:\n%s", log)
				}
			})
		}
	}
}

// runMRTOS runs one mrtos image and returns its output in the reference's
// form (UART 0's output, then "exit=N") and the log.
func runMRTOS(t *testing.T, board, kernel string, native bool) (string, string) {
	t.Helper()
	var out, log bytes.Buffer
	m, err := New(Config{Board: board, Kernel: kernel, Semihosting: true, ICountShift: 0,
		Serial: &out, MaxInsns: 50e6, Log: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	m.CPU.NoNative = !native
	code, err := m.Run()
	if err != nil {
		fmt.Fprintf(&out, "run error: %v\n", err)
	}
	fmt.Fprintf(&out, "exit=%d\n", code)
	return out.String(), log.String()
}
