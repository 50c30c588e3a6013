package conformance

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/machine/mcu"
)

// TestMProfile runs every M-profile conformance image (mprofile/build,
// NAME-BOARD.elf) on its board in deterministic time (1 ns per
// instruction, as the references were recorded with QEMU's -icount
// shift=0) and compares the UART and semihosting output, in order, and
// the exit status with mprofile/ref/NAME-BOARD.ref. Some references are
// written from the ARM ARM where QEMU 7.2 is wrong (mprofile/README.md).
func TestMProfile(t *testing.T) {
	images, err := filepath.Glob("mprofile/build/*.elf")
	if err != nil {
		t.Fatal(err)
	}
	if len(images) == 0 {
		t.Fatal("no M-profile conformance images in mprofile/build")
	}
	for _, engine := range []string{"interp", "native"} {
		t.Run(engine, func(t *testing.T) {
			for _, img := range images {
				name := strings.TrimSuffix(filepath.Base(img), ".elf")
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					board := name[strings.LastIndexByte(name, '-')+1:]
					if !strings.HasPrefix(board, "an") && board != "lm3s6965evb" {
						t.Fatalf("image %s names no board", name)
					}
					if strings.HasPrefix(board, "an") {
						board = "mps2-" + board
					}
					wantOut, wantCode := readRef(t, filepath.Join("mprofile", "ref", name+".ref"))
					var out bytes.Buffer
					m, err := mcu.New(mcu.Config{Board: board, Kernel: img, Semihosting: true, ICountShift: 0,
						Serial: &out, MaxInsns: 5e8, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
					if err != nil {
						t.Fatal(err)
					}
					m.CPU.NoNative = engine == "interp"
					code, err := m.Run()
					got := fmt.Sprintf("%s\nexit=%d\n", out.Bytes(), code)
					if err != nil {
						got = fmt.Sprintf("%s\nerror: %v\n", out.Bytes(), err)
					}
					want := fmt.Sprintf("%s\nexit=%d\n", wantOut, wantCode)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("%s differs from the reference (-want +got):\n%s", name, diff)
					}
				})
			}
		})
	}
}
