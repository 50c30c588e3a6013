package conformance

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/conformance/harness"
)

// TestPrograms runs every built conformance image on Mimic and compares its
// console output and exit code with what QEMU produced: in the
// interpreter, and with every block compiled to native code before it
// first runs.
func TestPrograms(t *testing.T) {
	for _, engine := range []string{"interp", "native"} {
		t.Run(engine, func(t *testing.T) { testPrograms(t, engine) })
	}
}

func testPrograms(t *testing.T, engine string) {
	images, err := filepath.Glob("programs/build/*.elf")
	if err != nil {
		t.Fatal(err)
	}
	if len(images) == 0 {
		t.Fatal("no conformance images in programs/build")
	}
	for _, img := range images {
		name := strings.TrimSuffix(filepath.Base(img), ".elf")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			wantOut, wantCode := readRef(t, filepath.Join("ref", name+".ref"))
			prog := name[:strings.LastIndexByte(name, '-')]
			args := ""
			if b, err := os.ReadFile(filepath.Join("programs", prog+".args")); err == nil {
				args = strings.TrimRight(string(b), "\n")
			}
			res, err := harness.Run(img, harness.Options{Args: args, MaxInsns: 2e9, Engine: engine})
			if err != nil {
				t.Fatalf("run: %v\noutput so far:\n%s", err, res.Stdout)
			}
			got := fmt.Sprintf("%s\nexit=%d\n", res.Stdout, res.ExitCode)
			want := fmt.Sprintf("%s\nexit=%d\n", wantOut, wantCode)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s differs from QEMU's reference (-want +got):\n%s", name, diff)
			}
		})
	}
}

// readRef splits a reference file into the guest's output and the final
// "exit=N" line that record.sh appends.
func readRef(t *testing.T, path string) ([]byte, int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reference missing (make conformance-record): %v", err)
	}
	i := bytes.LastIndex(b, []byte("exit="))
	if i < 0 || (i > 0 && b[i-1] != '\n') {
		t.Fatalf("%s: no final exit= line", path)
	}
	var code int
	if _, err := fmt.Sscanf(string(b[i:]), "exit=%d", &code); err != nil {
		t.Fatalf("%s: bad exit line: %v", path, err)
	}
	return b[:i], code
}
