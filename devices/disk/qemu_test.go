//go:build qemu

// Interoperability with QEMU's own tools (Debian's qemu-utils and
// qemu-system-arm): go test -tags qemu ./devices/disk/
package disk

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func requireQemuImg(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("qemu-img"); err != nil {
		t.Skip("qemu-img not installed (apt-get install qemu-utils)")
	}
}

// qemuImg runs qemu-img and returns its output and exit status.
func qemuImg(t *testing.T, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("qemu-img", args...)
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("qemu-img %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return string(out), code
}

func mustQemuImg(t *testing.T, args ...string) string {
	t.Helper()
	out, code := qemuImg(t, args...)
	if code != 0 {
		t.Fatalf("qemu-img %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// qemuCheckClean fails unless qemu-img check finds no errors and no leaks.
func qemuCheckClean(t *testing.T, path string) {
	t.Helper()
	out, code := qemuImg(t, "check", path)
	if code != 0 || !strings.Contains(out, "No errors were found on the image.") {
		t.Fatalf("qemu-img check %s: exit %d\n%s", path, code, out)
	}
}

// qemuCompare fails unless the image reads like the raw file holding m.
func qemuCompare(t *testing.T, path, format string, m model) {
	t.Helper()
	raw := path + ".expected.raw"
	if err := os.WriteFile(raw, m, 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(raw)
	out, code := qemuImg(t, "compare", "-f", format, "-F", "raw", path, raw)
	if code != 0 {
		t.Fatalf("qemu-img compare %s: exit %d\n%s", path, code, out)
	}
}

// compareInfo checks that Info marshals to what qemu-img info --output=json
// prints.
func compareInfo(t *testing.T, path string) {
	t.Helper()
	var want, got map[string]any
	if err := json.Unmarshal([]byte(mustQemuImg(t, "info", "--output=json", path)), &want); err != nil {
		t.Fatal(err)
	}
	info, err := Info(path, InfoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(info)
	json.Unmarshal(b, &got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Info(%s) against qemu-img info (-qemu +mimic):\n%s", path, diff)
	}
}

// TestQemuChecksMimicImages: images Mimic creates and writes pass
// qemu-img check, read as Mimic wrote them, and Info agrees with qemu-img.
func TestQemuChecksMimicImages(t *testing.T) {
	requireQemuImg(t)
	tests := []struct {
		name    string
		create  CreateOptions
		backing bool
		resize  int64
	}{
		{"v3", CreateOptions{Format: FormatQcow2, Size: 8 << 20}, false, 0},
		{"v2", CreateOptions{Format: FormatQcow2, Size: 8 << 20, Compat: "0.10"}, false, 0},
		{"v3-4k", CreateOptions{Format: FormatQcow2, Size: 8 << 20, ClusterSize: 4096}, false, 0},
		{"v3-512-refcount1", CreateOptions{Format: FormatQcow2, Size: 3 << 20, ClusterSize: 512, RefcountBits: 1}, false, 0},
		{"v3-512-refcount64", CreateOptions{Format: FormatQcow2, Size: 3 << 20, ClusterSize: 512, RefcountBits: 64}, false, 0},
		{"v3-2m", CreateOptions{Format: FormatQcow2, Size: 16 << 20, ClusterSize: 2 << 20}, false, 0},
		{"backing", CreateOptions{Format: FormatQcow2, ClusterSize: 4096}, true, 0},
		{"v2-backing", CreateOptions{Format: FormatQcow2, Compat: "0.10"}, true, 0},
		{"resize", CreateOptions{Format: FormatQcow2, Size: 2 << 20, ClusterSize: 512}, false, 40 << 20},
		{"raw", CreateOptions{Format: FormatRaw, Size: 4 << 20}, false, 0},
		{"raw-resize", CreateOptions{Format: FormatRaw, Size: 4 << 20}, false, 6 << 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "img")
			rng := rand.New(rand.NewPCG(20, uint64(len(tc.name))))
			var m model
			if tc.backing {
				base := filepath.Join(dir, "base.qcow2")
				mustQemuImg(t, "create", "-q", "-f", "qcow2", base, "4M")
				img := mustOpen(t, base, OpenOptions{})
				m = make(model, img.Size())
				exercise(t, img, m, rng, 100, 128<<10)
				img.Close()
				tc.create.BackingFile = "base.qcow2"
			}
			mustCreate(t, path, tc.create)
			compareInfo(t, path)
			img := mustOpen(t, path, OpenOptions{})
			if m == nil {
				m = make(model, img.Size())
			}
			exercise(t, img, m, rng, 300, 256<<10)
			img.Close()
			if tc.resize != 0 {
				if err := Resize(path, "", tc.resize, false); err != nil {
					t.Fatal(err)
				}
				m = append(m, make(model, tc.resize-int64(len(m)))...)
				img = mustOpen(t, path, OpenOptions{})
				exercise(t, img, m, rng, 100, 256<<10)
				img.Close()
			}
			format := tc.create.Format
			if format == FormatQcow2 {
				qemuCheckClean(t, path)
			}
			compareInfo(t, path)
			qemuCompare(t, path, format, m)
		})
	}
}

// TestMimicReadsQemuImages: images made by qemu-img (versions 2 and 3,
// compressed, with a backing file, with internal snapshots) read
// correctly, and stay consistent after Mimic writes to them; snapshots
// survive and still hold their data.
func TestMimicReadsQemuImages(t *testing.T) {
	requireQemuImg(t)
	tests := []struct {
		name    string
		convert []string // qemu-img convert options
		backing bool
		snap    bool
	}{
		{"v3", []string{"-O", "qcow2"}, false, false},
		{"v2", []string{"-O", "qcow2", "-o", "compat=0.10"}, false, false},
		{"compressed", []string{"-O", "qcow2", "-c"}, false, false},
		{"compressed-v2-4k", []string{"-O", "qcow2", "-c", "-o", "compat=0.10,cluster_size=4096"}, false, false},
		{"refcount-bits-4", []string{"-O", "qcow2", "-o", "refcount_bits=4,cluster_size=1024"}, false, false},
		{"backing", []string{"-O", "qcow2"}, true, false},
		{"snapshot", []string{"-O", "qcow2"}, false, true},
		{"snapshot-compressed", []string{"-O", "qcow2", "-c", "-o", "cluster_size=8192"}, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			rng := rand.New(rand.NewPCG(30, uint64(len(tc.name))))
			m := make(model, 6<<20)
			// Sparse-ish content: some regions random, some zero.
			for off := 0; off < len(m); off += 64 << 10 {
				if rng.IntN(3) != 0 {
					fillRandom(rng, m[off:off+int(rng.Int64N(64<<10))+1])
				}
			}
			raw := filepath.Join(dir, "src.raw")
			os.WriteFile(raw, m, 0o644)
			path := filepath.Join(dir, "img.qcow2")
			if tc.backing {
				// The base holds m; the overlay changes some of it.
				base := filepath.Join(dir, "base.qcow2")
				mustQemuImg(t, append(append([]string{"convert", "-f", "raw"}, tc.convert...), raw, base)...)
				mustQemuImg(t, "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", path)
				mustQemuImg(t, "rebase", "-u", "-b", "base.qcow2", "-F", "qcow2", path)
				out, _ := exec.Command("qemu-io", "-c", "write -P 0x61 1M 100k", "-c", "write -z 2M 64k", path).CombinedOutput()
				if !strings.Contains(string(out), "wrote") {
					t.Fatalf("qemu-io: %s", out)
				}
				for i := 1 << 20; i < 1<<20+100<<10; i++ {
					m[i] = 0x61
				}
				clear(m[2<<20 : 2<<20+64<<10])
			} else {
				mustQemuImg(t, append(append([]string{"convert", "-f", "raw"}, tc.convert...), raw, path)...)
			}
			var snapData model
			if tc.snap {
				mustQemuImg(t, "snapshot", "-c", "s1", path)
				snapData = bytes.Clone(m)
			}
			compareInfo(t, path)
			img := mustOpen(t, path, OpenOptions{})
			verify(t, img, m)
			exercise(t, img, m, rng, 300, 256<<10)
			verify(t, img, m)
			img.Close()
			qemuCheckClean(t, path)
			qemuCompare(t, path, FormatQcow2, m)
			compareInfo(t, path)
			if tc.snap {
				out := mustQemuImg(t, "snapshot", "-l", path)
				if !strings.Contains(out, "s1") {
					t.Fatalf("snapshot list lost s1:\n%s", out)
				}
				// Apply the snapshot: it must still hold the old data.
				mustQemuImg(t, "snapshot", "-a", "s1", path)
				qemuCheckClean(t, path)
				qemuCompare(t, path, FormatQcow2, snapData)
				img := mustOpen(t, path, OpenOptions{})
				verify(t, img, snapData)
				img.Close()
			}
		})
	}
}

// TestQemuLockInterop: Mimic and QEMU exclude each other's writers.
func TestQemuLockInterop(t *testing.T) {
	requireQemuImg(t)
	for _, format := range []string{FormatQcow2, FormatRaw} {
		t.Run(format, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "img")
			mustCreate(t, path, CreateOptions{Format: format, Size: 1 << 20})
			img := mustOpen(t, path, OpenOptions{})
			// qemu-img info reads qcow2 metadata and so needs the
			// image unchanging; for raw it reads nothing and takes no
			// lock. qemu-io -r reads data either way.
			out, code := qemuImg(t, "info", path)
			if format == FormatQcow2 && (code == 0 || !strings.Contains(out, `Failed to get shared "write" lock`)) {
				t.Errorf("qemu-img info on an image Mimic writes: exit %d\n%s", code, out)
			}
			// A second writer is refused whatever the format; a reader
			// only where it reads metadata (QEMU's own behaviour with a
			// qemu-system-arm writer is the same).
			b, err := exec.Command("qemu-io", "-f", format, "-c", "read 0 512", path).CombinedOutput()
			if err == nil || !strings.Contains(string(b), `Failed to get "write" lock`) {
				t.Errorf("qemu-io on an image Mimic writes: %v\n%s", err, b)
			}
			b, err = exec.Command("qemu-io", "-r", "-f", format, "-c", "read 0 512", path).CombinedOutput()
			if format == FormatQcow2 && (err == nil || !strings.Contains(string(b), `Failed to get shared "write" lock`)) {
				t.Errorf("qemu-io -r on a qcow2 image Mimic writes: %v\n%s", err, b)
			}
			out, code = qemuImg(t, "info", "-U", path)
			if code != 0 {
				t.Errorf("qemu-img info -U: exit %d\n%s", code, out)
			}
			img.Close()
			mustQemuImg(t, "info", path)

			// Mimic reading: qemu-img may read too, but not write.
			img = mustOpen(t, path, OpenOptions{ReadOnly: true})
			mustQemuImg(t, "info", path)
			out, code = qemuImg(t, "resize", "-f", format, path, "2M")
			if code == 0 || !strings.Contains(out, `Failed to get "write" lock`) {
				t.Errorf("qemu-img resize on an image Mimic reads: exit %d\n%s", code, out)
			}
			img.Close()
		})
	}
}

// TestQemuSystemHoldsImage: an image a running qemu-system-arm writes
// cannot be opened by Mimic, except with NoLock.
func TestQemuSystemHoldsImage(t *testing.T) {
	requireQemuImg(t)
	if _, err := exec.LookPath("qemu-system-arm"); err != nil {
		t.Skip("qemu-system-arm not installed")
	}
	path := filepath.Join(t.TempDir(), "img.qcow2")
	mustCreate(t, path, CreateOptions{Format: FormatQcow2, Size: 1 << 20})
	cmd := exec.Command("qemu-system-arm", "-M", "virt", "-display", "none", "-S", "-monitor", "none", "-serial", "none",
		"-drive", "file="+path+",format=qcow2,if=none,id=d", "-device", "virtio-blk-device,drive=d")
	var qemuOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &qemuOut, &qemuOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	// Wait for QEMU to take its write lock, watching byte 101 without
	// locking anything (a lock of ours could make QEMU fail to start).
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		held, err := ofdTest(int(f.Fd()), lockPermBase+1)
		if err != nil {
			t.Fatal(err)
		}
		if held {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("QEMU never locked the image; its output:\n%s", qemuOut.String())
		}
	}
	_, err = Open(path, OpenOptions{ReadOnly: true})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "is in use by another process (shared write lock)") {
		t.Errorf("read-only Open while QEMU runs: %v", err)
	}
	if _, err := Open(path, OpenOptions{}); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "(write lock)") {
		t.Errorf("read-write Open while QEMU runs: %v", err)
	}
	img, err := Open(path, OpenOptions{ReadOnly: true, NoLock: true})
	if err != nil {
		t.Fatalf("NoLock open: %v", err)
	}
	img.Close()
}

// The crash test: a child process writes and flushes until it is killed
// with SIGKILL; qemu-img check must find no corruption (leaks are allowed)
// and everything flushed must be there.

const crashEnv = "MIMIC_DISK_CRASH_CHILD"

// crashSlot is the size of the region each write of the crash child owns.
const crashSlot = 96 << 10

// crashWrite returns the i-th write of the crash child: a slot of its own
// (so later writes never overwrite it) at a random place, random length.
func crashWrite(i int, slots int) (off int64, data []byte) {
	rng := rand.New(rand.NewPCG(99, uint64(i)))
	perm := rand.New(rand.NewPCG(98, 0)).Perm(slots)
	slot := perm[i%slots]
	n := 1 + rng.IntN(crashSlot-1)
	start := rng.IntN(crashSlot - n + 1)
	data = make([]byte, n)
	fillRandom(rng, data)
	return int64(slot)*crashSlot + int64(start), data
}

// TestCrashChild is the child: it runs only under crashEnv.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("crash test child")
	}
	img, err := Open(path, OpenOptions{})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	slots := int(img.Size() / crashSlot)
	w := bufio.NewWriter(os.Stdout)
	for i := 0; i < slots; i++ {
		off, data := crashWrite(i, slots)
		if _, err := img.WriteAt(data, off); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		if i%5 == 4 {
			if err := img.Flush(); err != nil {
				fmt.Println("error", err)
				os.Exit(1)
			}
			fmt.Fprintf(w, "flushed %d\n", i+1)
			w.Flush()
		}
	}
	fmt.Fprintln(w, "done")
	w.Flush()
	select {} // wait for the kill
}

func TestCrashConsistency(t *testing.T) {
	requireQemuImg(t)
	for run := range 6 {
		t.Run(strconv.Itoa(run), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "crash.qcow2")
			// Small clusters make many metadata updates per write.
			cs := []int64{512, 4096, 65536}[run%3]
			mustCreate(t, path, CreateOptions{Format: FormatQcow2, Size: 600 * crashSlot, ClusterSize: cs})
			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
			cmd.Env = append(os.Environ(), crashEnv+"="+path)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := make(chan string)
			go func() {
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
			}()
			// Kill it at a different moment each run.
			killAfter := time.Duration(50+run*70) * time.Millisecond
			timer := time.After(killAfter)
			flushed := 0
		wait:
			for {
				select {
				case l, ok := <-lines:
					if !ok {
						break wait
					}
					if strings.HasPrefix(l, "error") {
						t.Fatalf("child: %s", l)
					}
					fmt.Sscanf(l, "flushed %d", &flushed)
				case <-timer:
					break wait
				}
			}
			cmd.Process.Signal(syscall.SIGKILL)
			for l := range lines {
				fmt.Sscanf(l, "flushed %d", &flushed)
			}
			cmd.Wait()
			t.Logf("killed after %v with %d writes flushed", killAfter, flushed)

			out, code := qemuImg(t, "check", path)
			if code != 0 && code != 3 {
				t.Fatalf("qemu-img check after the crash: exit %d\n%s", code, out)
			}
			res, err := Check(path, CheckOptions{})
			if err != nil || res.Corruptions != 0 {
				t.Fatalf("Check after the crash: %v %+v", err, res)
			}
			img := mustOpen(t, path, OpenOptions{ReadOnly: true})
			defer img.Close()
			slots := int(img.Size() / crashSlot)
			for i := range flushed {
				off, data := crashWrite(i, slots)
				got := make([]byte, len(data))
				if _, err := img.ReadAt(got, off); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, data) {
					t.Fatalf("flushed write %d at %d lost", i, off)
				}
			}
		})
	}
}
