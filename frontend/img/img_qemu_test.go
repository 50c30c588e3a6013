//go:build qemu

// Output of `mimic img` against qemu-img's on the same images:
// go test -tags qemu ./frontend/img/
package img

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func qemuImg(t *testing.T, args ...string) (int, string) {
	t.Helper()
	out, err := exec.Command("qemu-img", args...).Output()
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("qemu-img: %v", err)
		}
		return ee.ExitCode(), string(out)
	}
	return 0, string(out)
}

func TestAgainstQemuImg(t *testing.T) {
	if _, err := exec.LookPath("qemu-img"); err != nil {
		t.Skip("qemu-img not installed (apt-get install qemu-utils)")
	}
	dir := t.TempDir()
	chdir(t, dir)
	data := make([]byte, 3<<20)
	for i := range 200000 {
		data[1<<20+i] = byte(i % 253)
	}
	os.WriteFile("data.raw", data, 0o644)
	setup := [][]string{
		{"mimic", "create", "-q", "-f", "qcow2", "m.qcow2", "10G"},
		{"mimic", "create", "-q", "-f", "qcow2", "-o", "compat=0.10,cluster_size=512", "m2.qcow2", "3M"},
		{"mimic", "create", "-q", "-f", "qcow2", "-b", "m.qcow2", "mo.qcow2"},
		{"mimic", "convert", "-O", "qcow2", "data.raw", "mc.qcow2"},
		{"mimic", "create", "-q", "r.img", "100M"},
		{"qemu", "convert", "-O", "qcow2", "-c", "data.raw", "qc.qcow2"},
		{"qemu", "create", "-q", "-f", "qcow2", "-b", "qc.qcow2", "-F", "qcow2", "qo.qcow2"},
		{"qemu", "convert", "-O", "qcow2", "data.raw", "qs.qcow2"},
		{"qemu", "snapshot", "-c", "first", "qs.qcow2"},
		{"qemu", "snapshot", "-c", "second-snapshot", "qs.qcow2"},
	}
	for _, s := range setup {
		if s[0] == "mimic" {
			mustRun(t, s[1:]...)
		} else if code, out := qemuImg(t, s[1:]...); code != 0 {
			t.Fatalf("qemu-img %v: exit %d %s", s[1:], code, out)
		}
	}
	for _, file := range []string{"m.qcow2", "m2.qcow2", "mo.qcow2", "mc.qcow2", "r.img", "qc.qcow2", "qo.qcow2", "qs.qcow2"} {
		t.Run(file, func(t *testing.T) {
			for _, args := range [][]string{
				{"info", file},
				{"info", "--backing-chain", file},
				{"check", file},
			} {
				wantCode, want := qemuImg(t, args...)
				code, got, _ := run(t, args...)
				if code != wantCode {
					t.Errorf("%v: exit %d, qemu-img %d", args, code, wantCode)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%v (-qemu-img +mimic):\n%s", args, diff)
				}
				jargs := append([]string{args[0], "--output=json"}, args[1:]...)
				_, want = qemuImg(t, jargs...)
				_, got, _ = run(t, jargs...)
				var w, g any
				json.Unmarshal([]byte(want), &w)
				json.Unmarshal([]byte(got), &g)
				if diff := cmp.Diff(w, g); diff != "" {
					t.Errorf("%v (-qemu-img +mimic):\n%s", jargs, diff)
				}
			}
			// What mimic img converts, qemu-img finds identical.
			out := filepath.Join(dir, file+".converted")
			mustRun(t, "convert", "-O", "qcow2", file, out)
			if code, msg := qemuImg(t, "compare", file, out); code != 0 {
				t.Errorf("qemu-img compare: exit %d %s", code, msg)
			}
			if code, msg := qemuImg(t, "check", out); code != 0 || !strings.Contains(msg, "No errors") {
				t.Errorf("qemu-img check of the converted image: exit %d %s", code, msg)
			}
		})
	}
}
