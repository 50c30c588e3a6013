package img

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/disk"
)

// run runs Main and returns its exit status and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := run(t, args...)
	if code != 0 {
		t.Fatalf("mimic img %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	raw := filepath.Join(dir, "r.img")
	q := filepath.Join(dir, "q.qcow2")
	mustRun(t, "create", "-q", raw, "1M")
	mustRun(t, "create", "-q", "-f", "qcow2", q, "1M")
	x := filepath.Join(dir, "x")
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 1, "missing command"},
		{[]string{"bogus"}, 1, `unknown command "bogus"`},
		{[]string{"create"}, 1, "create: missing arguments"},
		{[]string{"create", "--bogus", x, "1M"}, 1, "unknown flag: --bogus"},
		{[]string{"create", "-f", "vmdk", x, "1M"}, 1, `unknown image format "vmdk"`},
		{[]string{"create", x}, 1, "needs a size"},
		{[]string{"create", x, "12Q"}, 1, `invalid size "12Q"`},
		{[]string{"create", x, "-5"}, 1, "unknown shorthand flag"},
		{[]string{"create", x, "1M", "extra"}, 1, `unexpected argument "extra"`},
		{[]string{"create", "-f", "qcow2", "-o", "cluster_size=3000", x, "1M"}, 1, "cluster size 3000 must be a power of two"},
		{[]string{"create", "-f", "qcow2", "-o", "compat=2.0", x, "1M"}, 1, `invalid compat level "2.0"`},
		{[]string{"create", "-f", "qcow2", "-o", "bogus=1", x, "1M"}, 1, `invalid option "bogus"`},
		{[]string{"create", "-f", "qcow2", "-o", "lazy_refcounts=on", x, "1M"}, 1, "lazy_refcounts=on is not supported"},
		{[]string{"create", "-f", "qcow2", "-b", "nothere", x}, 1, "backing file " + filepath.Join(dir, "nothere") + " not found"},
		{[]string{"create", "-b", q, x}, 1, "raw images cannot have a backing file"},
		{[]string{"info", filepath.Join(dir, "missing")}, 1, "missing: no such file"},
		{[]string{"info", "--output=xml", q}, 1, "--output must be used with human or json"},
		{[]string{"info", "-f", "qcow2", raw}, 1, "bad magic"},
		{[]string{"check", raw}, 63, "does not support checks"},
		{[]string{"check", "--output=xml", q}, 1, "--output must be used"},
		{[]string{"resize", q}, 1, "missing arguments"},
		{[]string{"resize", q, "-512k"}, 1, "use --shrink"},
		{[]string{"resize", "--shrink", q, "-512k"}, 1, "shrinking qcow2 images is not supported"},
		{[]string{"resize", raw, "-2M"}, 1, "must be positive"},
		{[]string{"resize", raw, "big"}, 1, `invalid size "big"`},
		{[]string{"convert", q}, 1, "missing arguments"},
		{[]string{"convert", "-c", "-O", "qcow2", q, x}, 1, "compressed clusters (-c) is not supported"},
		{[]string{"convert", "-O", "vdi", q, x}, 1, `unknown output format "vdi"`},
		{[]string{"convert", "-O", "qcow2", "-o", "backing_file=" + q, q, x}, 1, "backing file for the output"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			if !strings.HasPrefix(errOut, "mimic img: ") || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tc.msg) {
				t.Errorf("stderr %q: want one line \"mimic img: ...%s...\"", errOut, tc.msg)
			}
		})
	}
}

func TestCreateAndInfo(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	tests := []struct {
		args      []string
		formatted string // the Formatting line
		info      map[string]any
	}{
		{
			[]string{"create", "r.img", "1.5M"},
			"Formatting 'r.img', fmt=raw size=1572864",
			map[string]any{"filename": "r.img", "format": "raw", "virtual-size": 1572864.0, "dirty-flag": false},
		},
		{
			[]string{"create", "-f", "qcow2", "q.qcow2", "1G"},
			"Formatting 'q.qcow2', fmt=qcow2 cluster_size=65536 extended_l2=off compression_type=zlib size=1073741824 lazy_refcounts=off refcount_bits=16",
			map[string]any{
				"filename": "q.qcow2", "format": "qcow2", "virtual-size": 1073741824.0, "cluster-size": 65536.0, "dirty-flag": false,
				"format-specific": map[string]any{"type": "qcow2", "data": map[string]any{
					"compat": "1.1", "compression-type": "zlib", "lazy-refcounts": false, "refcount-bits": 16.0, "corrupt": false, "extended-l2": false,
				}},
			},
		},
		{
			[]string{"create", "-f", "qcow2", "-o", "compat=0.10,cluster_size=4k", "v2.qcow2", "1000"},
			"Formatting 'v2.qcow2', fmt=qcow2 cluster_size=4096 compat=0.10 extended_l2=off compression_type=zlib size=1024 lazy_refcounts=off refcount_bits=16",
			map[string]any{
				"filename": "v2.qcow2", "format": "qcow2", "virtual-size": 1024.0, "cluster-size": 4096.0, "dirty-flag": false,
				"format-specific": map[string]any{"type": "qcow2", "data": map[string]any{
					"compat": "0.10", "compression-type": "zlib", "refcount-bits": 16.0,
				}},
			},
		},
		{
			// With -b and no size, the backing file's size.
			[]string{"create", "-f", "qcow2", "-b", "q.qcow2", "-F", "qcow2", "ov.qcow2"},
			"Formatting 'ov.qcow2', fmt=qcow2 cluster_size=65536 extended_l2=off compression_type=zlib size=1073741824 backing_file=q.qcow2 backing_fmt=qcow2 lazy_refcounts=off refcount_bits=16",
			map[string]any{
				"filename": "ov.qcow2", "format": "qcow2", "virtual-size": 1073741824.0, "cluster-size": 65536.0, "dirty-flag": false,
				"backing-filename": "q.qcow2", "full-backing-filename": "q.qcow2", "backing-filename-format": "qcow2",
				"format-specific": map[string]any{"type": "qcow2", "data": map[string]any{
					"compat": "1.1", "compression-type": "zlib", "lazy-refcounts": false, "refcount-bits": 16.0, "corrupt": false, "extended-l2": false,
				}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out := mustRun(t, tc.args...)
			if diff := cmp.Diff(tc.formatted+"\n", out); diff != "" {
				t.Errorf("create output (-want +got):\n%s", diff)
			}
			file := tc.info["filename"].(string)
			var got map[string]any
			if err := json.Unmarshal([]byte(mustRun(t, "info", "--output=json", file)), &got); err != nil {
				t.Fatal(err)
			}
			delete(got, "actual-size")
			if diff := cmp.Diff(tc.info, got); diff != "" {
				t.Errorf("info (-want +got):\n%s", diff)
			}
		})
	}

	// Human output, as qemu-img prints it (the disk size depends on the
	// file system).
	out := mustRun(t, "info", "--backing-chain", "ov.qcow2")
	out = regexp.MustCompile(`disk size: .*`).ReplaceAllString(out, "disk size: X")
	want := `image: ov.qcow2
file format: qcow2
virtual size: 1 GiB (1073741824 bytes)
disk size: X
cluster_size: 65536
backing file: q.qcow2
backing file format: qcow2
Format specific information:
    compat: 1.1
    compression type: zlib
    lazy refcounts: false
    refcount bits: 16
    corrupt: false
    extended l2: false

image: q.qcow2
file format: qcow2
virtual size: 1 GiB (1073741824 bytes)
disk size: X
cluster_size: 65536
Format specific information:
    compat: 1.1
    compression type: zlib
    lazy refcounts: false
    refcount bits: 16
    corrupt: false
    extended l2: false
`
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("info --backing-chain (-want +got):\n%s", diff)
	}
	var chain []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, "info", "--backing-chain", "--output=json", "ov.qcow2")), &chain); err != nil || len(chain) != 2 {
		t.Errorf("info --backing-chain --output=json: %d images, %v", len(chain), err)
	}
}

func chdir(t *testing.T, dir string) {
	t.Helper()
	old, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(old) })
}

func TestConvertRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.raw")
	data := make([]byte, 5<<20+512)
	for i := 1 << 20; i < 1<<20+100000; i++ {
		data[i] = byte(i % 251)
	}
	copy(data[4<<20:], "the end")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	q := filepath.Join(dir, "q.qcow2")
	back := filepath.Join(dir, "back.raw")
	mustRun(t, "convert", "-p", "-O", "qcow2", "-o", "cluster_size=4096", src, q)
	mustRun(t, "convert", "-f", "qcow2", q, back)
	got, err := os.ReadFile(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("round trip changed the data")
	}
	// Zeros were skipped: 100000 bytes and one block at 4 MiB were
	// written, in 4 KiB clusters.
	res, err := disk.Check(q, disk.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.AllocatedClusters != 26 {
		t.Errorf("%d clusters allocated, want 26", res.AllocatedClusters)
	}
	info, err := disk.Info(back, disk.InfoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if info.ActualSize > 1<<20 {
		t.Errorf("raw output occupies %d bytes: not sparse", info.ActualSize)
	}
}

func TestCheckExitStatus(t *testing.T) {
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.qcow2")
	mustRun(t, "create", "-q", "-f", "qcow2", "-o", "cluster_size=4096", clean, "1M")
	// Corrupt copies: the refcount block is cluster 2 (16-bit entries).
	base, err := os.ReadFile(clean)
	if err != nil {
		t.Fatal(err)
	}
	leaky := filepath.Join(dir, "leaky.qcow2")
	b := append(bytes.Clone(base), make([]byte, 4096)...)
	b[2*4096+2*4+1] = 1 // cluster 4: refcount 1, unreferenced
	os.WriteFile(leaky, b, 0o644)
	corrupt := filepath.Join(dir, "corrupt.qcow2")
	b = bytes.Clone(base)
	b[2*4096+2*3+1] = 0 // cluster 3 (the L1 table): refcount 0
	os.WriteFile(corrupt, b, 0o644)

	tests := []struct {
		file       string
		code       int
		stdout     string
		stderr     string
		jsonFields map[string]any
	}{
		{clean, 0, "No errors were found on the image.\nImage end offset: 16384\n", "",
			map[string]any{"filename": clean, "format": "qcow2", "check-errors": 0.0, "image-end-offset": 16384.0, "total-clusters": 256.0}},
		{leaky, 3, "\n1 leaked clusters were found on the image.\nThis means waste of disk space, but no harm to data.\nImage end offset: 20480\n",
			"Leaked cluster 4 refcount=1 reference=0\n",
			map[string]any{"filename": leaky, "format": "qcow2", "check-errors": 0.0, "image-end-offset": 20480.0, "total-clusters": 256.0, "leaks": 1.0}},
		{corrupt, 2, "\n1 errors were found on the image.\nData may be corrupted, or further writes to the image may corrupt it.\nImage end offset: 16384\n",
			"ERROR cluster 3 refcount=0 reference=1\n",
			map[string]any{"filename": corrupt, "format": "qcow2", "check-errors": 0.0, "image-end-offset": 16384.0, "total-clusters": 256.0, "corruptions": 1.0}},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			code, out, errOut := run(t, "check", tc.file)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if diff := cmp.Diff(tc.stdout, out); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.stderr, errOut); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			code, out, _ = run(t, "check", "--output=json", tc.file)
			if code != tc.code {
				t.Errorf("json: exit %d, want %d", code, tc.code)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.jsonFields, got); diff != "" {
				t.Errorf("json (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResize(t *testing.T) {
	dir := t.TempDir()
	raw := filepath.Join(dir, "r.img")
	q := filepath.Join(dir, "q.qcow2")
	mustRun(t, "create", "-q", raw, "1M")
	mustRun(t, "create", "-q", "-f", "qcow2", q, "1M")
	tests := []struct {
		args []string
		file string
		want int64
	}{
		{[]string{"resize", raw, "+1M"}, raw, 2 << 20},
		{[]string{"resize", "--shrink", raw, "-512K"}, raw, 3 << 19},
		{[]string{"resize", raw, "4M"}, raw, 4 << 20},
		{[]string{"resize", "-f", "qcow2", q, "+1G"}, q, 1<<30 + 1<<20},
		{[]string{"resize", q, "2G"}, q, 2 << 30},
	}
	for _, tc := range tests {
		out := mustRun(t, tc.args...)
		if out != "Image resized.\n" {
			t.Errorf("%v: output %q", tc.args, out)
		}
		info, err := disk.Info(tc.file, disk.InfoOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if info.VirtualSize != tc.want {
			t.Errorf("%v: size %d, want %d", tc.args, info.VirtualSize, tc.want)
		}
	}
	if code, _, _ := run(t, "check", q); code != 0 {
		t.Errorf("check after resize: exit %d", code)
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"512", 512, true},
		{"512b", 512, true},
		{"1k", 1024, true},
		{"1K", 1024, true},
		{"64M", 64 << 20, true},
		{"1.5G", 3 << 29, true},
		{"2T", 2 << 40, true},
		{"1P", 1 << 50, true},
		{"7E", 7 << 60, true},
		{"8E", 0, false},
		{"", 0, false},
		{"M", 0, false},
		{"-1", 0, false},
		{"1e3", 0, false},
		{"0x10", 0, false},
		{"12Q", 0, false},
		{"1.2.3", 0, false},
	}
	for _, tc := range tests {
		got, err := parseSize(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, ok %t", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// TestSizeToStr checks values qemu-img prints.
func TestSizeToStr(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0 B"},
		{512, "512 B"},
		{1000, "0.977 KiB"},
		{1024, "1 KiB"},
		{200704, "196 KiB"},
		{1000 << 10, "0.977 MiB"},
		{1 << 30, "1 GiB"},
		{3 << 29, "1.5 GiB"},
		{1094713344, "1.02 GiB"},
		{1 << 62, "4 EiB"},
	}
	for _, tc := range tests {
		if got := sizeToStr(tc.in); got != tc.want {
			t.Errorf("sizeToStr(%d) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestProgressBar(t *testing.T) {
	var b bytes.Buffer
	p := &progressBar{w: &b}
	for _, done := range []int64{0, 1, 2, 50, 100} {
		p.update(done, 200)
	}
	p.done()
	want := "    (0.00/100%)\r    (1.00/100%)\r    (25.00/100%)\r    (50.00/100%)\r    (100.00/100%)\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	// Not a terminal: convert -p prints nothing.
	if isTerminal(&b) {
		t.Error("a buffer is a terminal")
	}
	var nilBar *progressBar
	nilBar.update(1, 2)
	nilBar.done()
}
