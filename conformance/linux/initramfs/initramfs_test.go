package initramfs

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fakeBusybox is enough of a busybox binary for Applets: some code bytes
// and the applet_names table, sorted and NUL-separated.
func fakeBusybox(names ...string) []byte {
	b := []byte("\x7fELF...code...")
	b = append(b, 0)
	for _, n := range names {
		b = append(b, n...)
		b = append(b, 0)
	}
	// What follows the table in a real binary: more strings, unsorted.
	return append(b, "\x00Usage:\x00%s: applet not found\x00"...)
}

var applets = []string{"[", "[[", "ash", "busybox", "cat", "cttyhack", "echo", "ls", "mount", "poweroff", "setsid", "sh", "sha256sum", "uname"}

func TestApplets(t *testing.T) {
	got, err := Applets(fakeBusybox(applets...))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"[", "[[", "ash", "cat", "cttyhack", "echo", "ls", "mount", "poweroff", "setsid", "sh", "sha256sum", "uname"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("applets (-want +got):\n%s", diff)
	}
	if _, err := Applets([]byte("not busybox")); err == nil {
		t.Error("Applets accepted a file without an applet table")
	}
}

func TestWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	steps := []error{
		w.Dir("tmp", 0o1777),
		w.File("init", 0o755, []byte("#!/bin/sh\n")),
		w.File("empty", 0o644, nil),
		w.Symlink("bin/sh", "busybox"),
		w.CharDevice("dev/console", 0o600, 5, 1),
		w.Close(),
	}
	for _, err := range steps {
		if err != nil {
			t.Fatal(err)
		}
	}
	if buf.Len()%4 != 0 {
		t.Errorf("archive length %d is not a multiple of 4", buf.Len())
	}
	got, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Name: "tmp", Mode: 0o041777, NLink: 2, IsDir: true},
		{Name: "init", Mode: 0o100755, NLink: 1, Data: []byte("#!/bin/sh\n")},
		{Name: "empty", Mode: 0o100644, NLink: 1},
		{Name: "bin/sh", Mode: 0o120777, NLink: 1, Data: []byte("busybox"), IsSymlink: true},
		{Name: "dev/console", Mode: 0o020600, NLink: 1, RDevMajor: 5, RDevMinor: 1, IsCharDevice: true},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

func TestReadErrors(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.File("init", 0o755, []byte("#!/bin/sh\n"))
	w.Close()
	full := buf.Bytes()
	for _, n := range []int{0, 50, 115, 130, len(full) - 10} {
		if _, err := Read(bytes.NewReader(full[:n])); !errors.Is(err, ErrFormat) {
			t.Errorf("truncated at %d: err = %v, want ErrFormat", n, err)
		}
	}
	bad := append([]byte("070707"), full[6:]...)
	if _, err := Read(bytes.NewReader(bad)); !errors.Is(err, ErrFormat) {
		t.Errorf("bad magic: err = %v", err)
	}
}

func TestBuild(t *testing.T) {
	bb := fakeBusybox(applets...)
	var out bytes.Buffer
	if err := Build(&out, bb); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	Build(&again, bb)
	if !bytes.Equal(out.Bytes(), again.Bytes()) {
		t.Error("Build is not reproducible")
	}
	zr, err := gzip.NewReader(&out)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := Read(zr)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Entry{}
	for _, e := range entries {
		if _, dup := byName[e.Name]; dup {
			t.Errorf("duplicate entry %s", e.Name)
		}
		byName[e.Name] = e
	}
	check := func(name string, ok func(Entry) bool, what string) {
		t.Helper()
		e, found := byName[name]
		if !found {
			t.Errorf("%s missing", name)
			return
		}
		if !ok(e) {
			t.Errorf("%s: want %s, got %+v", name, what, e)
		}
	}
	for _, d := range []string{"bin", "dev", "proc", "sys", "tmp", "root", "usr", "etc", "testdata"} {
		check(d, func(e Entry) bool { return e.IsDir }, "a directory")
	}
	check("bin/busybox", func(e Entry) bool { return e.Mode == 0o100755 && bytes.Equal(e.Data, bb) }, "the busybox binary, mode 0755")
	check("init", func(e Entry) bool {
		s := string(e.Data)
		return e.Mode == 0o100755 && strings.HasPrefix(s, "#!/bin/sh\n") &&
			strings.Contains(s, "mount -t proc proc /proc") && strings.Contains(s, "mount -t sysfs sysfs /sys") &&
			strings.Contains(s, "mount -t devtmpfs devtmpfs /dev") && strings.Contains(s, Marker) &&
			strings.Contains(s, "exec setsid cttyhack /bin/sh")
	}, "an executable /init that mounts, prints the marker and runs a shell")
	check("dev/console", func(e Entry) bool { return e.IsCharDevice && e.RDevMajor == 5 && e.RDevMinor == 1 }, "char 5,1")
	check("sbin", func(e Entry) bool { return e.IsSymlink && string(e.Data) == "bin" }, "a link to bin")
	check("usr/bin", func(e Entry) bool { return e.IsSymlink && string(e.Data) == "../bin" }, "a link to ../bin")
	check("usr/sbin", func(e Entry) bool { return e.IsSymlink && string(e.Data) == "../bin" }, "a link to ../bin")
	check(BlobPath[1:], func(e Entry) bool { return bytes.Equal(e.Data, Blob()) }, "the test blob")
	for _, a := range []string{"sh", "mount", "poweroff", "sha256sum", "[["} {
		check("bin/"+a, func(e Entry) bool { return e.IsSymlink && string(e.Data) == "busybox" }, "a link to busybox")
	}
	if _, ok := byName["bin/busybox"]; !ok || byName["bin/busybox"].IsSymlink {
		t.Error("bin/busybox must be the binary, not an applet link")
	}
	// Directories come before what they hold.
	seen := map[string]bool{}
	for _, e := range entries {
		if i := strings.LastIndex(e.Name, "/"); i >= 0 && !seen[e.Name[:i]] {
			t.Errorf("%s comes before its directory", e.Name)
		}
		seen[e.Name] = true
	}
}

func TestBlob(t *testing.T) {
	b := Blob()
	if len(b) != blobSize || bytes.Equal(b[:64], make([]byte, 64)) {
		t.Fatalf("blob: %d bytes starting %x", len(b), b[:16])
	}
	// The hash the acceptance tests expect is pinned: changing Blob
	// would silently change what sha256sum must print.
	if got := BlobSHA256(); got != "e18267b07ccd7a95254ad5fa9cb5d0bbf42e53f06d545ec4661a78dc68f45f47" {
		t.Errorf("BlobSHA256 = %s", got)
	}
}

// TestBuildModules checks the module directories: each kernel's modules
// once, with virtio-up's order file and desktop-up's, given or default.
func TestBuildModules(t *testing.T) {
	bb := fakeBusybox(applets...)
	ko := func(name string) []byte { return []byte("\x7fELF " + name) }
	mods := []Modules{
		{ // Resolved orders, as scripts/fetch-guests.sh writes them.
			Release: "6.12.0-armmp",
			ByName: map[string][]byte{
				"virtio_mmio": ko("virtio_mmio"), "virtio_blk": ko("virtio_blk"),
				"drm": ko("drm"), "virtio-gpu": ko("virtio-gpu"), "snd": ko("snd"), "virtio_snd": ko("virtio_snd"),
			},
			Virtio:  []string{"virtio_mmio", "virtio_blk"},
			Desktop: []string{"virtio_mmio", "drm", "virtio-gpu", "snd", "virtio_snd", "missing"},
		},
		{ // Default orders; no virtio_snd.
			Release: "6.1.0-armmp",
			ByName:  map[string][]byte{"virtio_mmio": ko("virtio_mmio"), "drm": ko("drm"), "virtio-gpu": ko("virtio-gpu")},
		},
	}
	var out bytes.Buffer
	if err := Build(&out, bb, mods...); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&out)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := Read(zr)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range entries {
		if strings.HasPrefix(e.Name, "lib/modules/") && !e.IsDir {
			if _, dup := got[e.Name]; dup {
				t.Errorf("duplicate entry %s", e.Name)
			}
			got[e.Name] = string(e.Data)
		}
		if e.Name == "bin/desktop-up" {
			s := string(e.Data)
			if e.Mode != 0o100755 || !strings.HasPrefix(s, "#!/bin/sh\nvirtio-up || exit 1\n") || !strings.Contains(s, "desktop.order") {
				t.Errorf("bin/desktop-up: mode %o\n%s", e.Mode, s)
			}
		}
	}
	want := map[string]string{
		"lib/modules/6.12.0-armmp/virtio_mmio.ko": "\x7fELF virtio_mmio",
		"lib/modules/6.12.0-armmp/virtio_blk.ko":  "\x7fELF virtio_blk",
		"lib/modules/6.12.0-armmp/drm.ko":         "\x7fELF drm",
		"lib/modules/6.12.0-armmp/virtio-gpu.ko":  "\x7fELF virtio-gpu",
		"lib/modules/6.12.0-armmp/snd.ko":         "\x7fELF snd",
		"lib/modules/6.12.0-armmp/virtio_snd.ko":  "\x7fELF virtio_snd",
		"lib/modules/6.12.0-armmp/order":          "virtio_mmio virtio_blk\n",
		"lib/modules/6.12.0-armmp/desktop.order":  "virtio_mmio drm virtio-gpu snd virtio_snd\n",
		"lib/modules/6.1.0-armmp/virtio_mmio.ko":  "\x7fELF virtio_mmio",
		"lib/modules/6.1.0-armmp/drm.ko":          "\x7fELF drm",
		"lib/modules/6.1.0-armmp/virtio-gpu.ko":   "\x7fELF virtio-gpu",
		"lib/modules/6.1.0-armmp/order":           "virtio_mmio\n",
		"lib/modules/6.1.0-armmp/desktop.order":   "drm virtio-gpu\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lib/modules (-want +got):\n%s", diff)
	}
}
