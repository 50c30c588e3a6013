package fdt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// virtTree builds a small tree shaped like QEMU's virt board's.
func virtTree() *Tree {
	root := NewNode("")
	root.SetU32("#address-cells", 2)
	root.SetU32("#size-cells", 2)
	root.SetString("compatible", "linux,dummy-virt")
	root.SetString("model", "mimic virt")
	root.SetU32("interrupt-parent", 1)

	chosen := root.AddChild("chosen")
	chosen.SetString("bootargs", "console=ttyAMA0 root=/dev/vda")
	chosen.SetString("stdout-path", "/pl011@9000000")
	chosen.SetU64("linux,initrd-start", 0x48000000)
	chosen.SetU64("linux,initrd-end", 0x48100000)

	mem := root.AddChild("memory@40000000")
	mem.SetString("device_type", "memory")
	mem.SetCells("reg", 0, 0x40000000, 0, 0x8000000)

	cpus := root.AddChild("cpus")
	cpus.SetU32("#address-cells", 1)
	cpus.SetU32("#size-cells", 0)
	cpu := cpus.AddChild("cpu@0")
	cpu.SetString("device_type", "cpu")
	cpu.SetString("compatible", "arm,cortex-a15")
	cpu.SetU32("reg", 0)

	gic := root.AddChild("intc@8000000")
	gic.SetString("compatible", "arm,cortex-a15-gic")
	gic.SetU32("#interrupt-cells", 3)
	gic.SetU32("#address-cells", 0)
	gic.SetEmpty("interrupt-controller")
	gic.SetCells("reg", 0, 0x8000000, 0, 0x10000, 0, 0x8010000, 0, 0x10000)
	gic.SetPhandle(1)

	clk := root.AddChild("apb-pclk")
	clk.SetString("compatible", "fixed-clock")
	clk.SetU32("#clock-cells", 0)
	clk.SetU32("clock-frequency", 24000000)
	clk.SetString("clock-output-names", "clk24mhz")
	clk.SetPhandle(2)

	uart := root.AddChild("pl011@9000000")
	uart.SetStrings("compatible", "arm,pl011", "arm,primecell")
	uart.SetCells("reg", 0, 0x9000000, 0, 0x1000)
	uart.SetCells("interrupts", 0, 1, 4)
	uart.SetStrings("clock-names", "uartclk", "apb_pclk")
	uart.SetCells("clocks", 2, 2)
	uart.SetBytes("local-mac-address", []byte{0x52, 0x54, 0, 0x12, 0x34, 0x56})

	return &Tree{
		Root:     root,
		Reserved: []Reservation{{Address: 0x40000000, Size: 0x1000}},
	}
}

var cmpTree = cmpopts.EquateEmpty()

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		tree *Tree
	}{
		{"empty root", &Tree{Root: NewNode("")}},
		{"virt", virtTree()},
		{"boot cpu and reservations", func() *Tree {
			tr := virtTree()
			tr.BootCPUIDPhys = 3
			tr.Reserved = append(tr.Reserved, Reservation{Address: 1 << 40, Size: 1 << 33})
			return tr
		}()},
		{"odd sized values", func() *Tree {
			root := NewNode("")
			n := root.AddChild("n")
			n.SetBytes("a", []byte{1})
			n.SetBytes("b", []byte{1, 2, 3, 4, 5})
			n.SetEmpty("c")
			n.AddChild("deeper").AddChild("deepest@1,2").SetString("x", "")
			return &Tree{Root: root}
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			blob, err := tc.tree.Marshal()
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			checkHeader(t, blob)
			got, err := UnmarshalTree(blob)
			if err != nil {
				t.Fatalf("UnmarshalTree: %v", err)
			}
			if diff := cmp.Diff(tc.tree, got, cmpTree); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
			again, err := got.Marshal()
			if err != nil {
				t.Fatalf("second Marshal: %v", err)
			}
			if !bytes.Equal(blob, again) {
				t.Errorf("Marshal is not stable across a round trip")
			}
		})
	}
}

// checkHeader checks the header fields against the layout §5 requires.
func checkHeader(t *testing.T, blob []byte) {
	t.Helper()
	w := func(off int) uint32 { return binary.BigEndian.Uint32(blob[off:]) }
	if w(hMagic) != magic || int(w(hTotalSize)) != len(blob) || w(hVersion) != 17 || w(hLastCompVersion) != 16 {
		t.Errorf("bad header: magic %#x totalsize %d (len %d) version %d/%d", w(hMagic), w(hTotalSize), len(blob), w(hVersion), w(hLastCompVersion))
	}
	if w(hOffMemRsvmap)%8 != 0 || w(hOffDtStruct)%4 != 0 {
		t.Errorf("misaligned blocks: rsvmap %#x struct %#x", w(hOffMemRsvmap), w(hOffDtStruct))
	}
	if w(hOffDtStruct)+w(hSizeDtStruct) != w(hOffDtStrings) || w(hOffDtStrings)+w(hSizeDtStrings) != w(hTotalSize) {
		t.Errorf("blocks not contiguous: struct %#x+%#x strings %#x+%#x total %#x",
			w(hOffDtStruct), w(hSizeDtStruct), w(hOffDtStrings), w(hSizeDtStrings), w(hTotalSize))
	}
	if end := binary.BigEndian.Uint32(blob[w(hOffDtStrings)-4:]); end != tokEnd {
		t.Errorf("structure block ends with %#x, want FDT_END", end)
	}
}

func TestStringsDedup(t *testing.T) {
	root := NewNode("")
	for _, name := range []string{"a", "b@1", "c@2"} {
		n := root.AddChild(name)
		n.SetString("compatible", "x")
		n.SetU32("reg", 1)
	}
	blob, err := root.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	size := binary.BigEndian.Uint32(blob[hSizeDtStrings:])
	if want := uint32(len("compatible\x00reg\x00")); size != want {
		t.Errorf("size_dt_strings = %d, want %d (each name once)", size, want)
	}
}

func TestDtcDecompile(t *testing.T) {
	dtc := lookDtc(t)
	blob, err := virtTree().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	dts := runDtc(t, dtc, blob, "-I", "dtb", "-O", "dts")
	for _, want := range []string{
		"/memreserve/\t0x0000000040000000 0x0000000000001000;",
		`compatible = "arm,pl011\0arm,primecell";`,
		"reg = <0x00 0x40000000 0x00 0x8000000>;",
		"interrupt-controller;",
		"phandle = <0x01>;",
		"local-mac-address = [52 54 00 12 34 56];",
		"linux,initrd-start = <0x00 0x48000000>;",
	} {
		if !strings.Contains(dts, want) {
			t.Errorf("dtc output lacks %q:\n%s", want, dts)
		}
	}
}

// TestDtcCompiled parses a blob dtc compiled and checks that re-encoding
// it decompiles to the same source.
func TestDtcCompiled(t *testing.T) {
	dtc := lookDtc(t)
	src := `/dts-v1/;
/memreserve/ 0x10000000 0x4000;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	compatible = "arm,mps2";
	chosen { bootargs = "quiet"; };
	memory@0 { device_type = "memory"; reg = <0x0 0x400000>; };
	intc: interrupt-controller@e000e100 {
		compatible = "arm,v7m-nvic";
		interrupt-controller;
		#interrupt-cells = <1>;
		#address-cells = <0>;
		reg = <0xe000e100 0xc00>;
	};
	uart@40004000 {
		compatible = "arm,cmsdk-uart";
		reg = <0x40004000 0x1000>;
		interrupt-parent = <&intc>;
		interrupts = <0>, <1>;
		data = [01 02 03];
	};
};
`
	blob := runDtcIn(t, dtc, []byte(src), "-I", "dts", "-O", "dtb")
	tree, err := UnmarshalTree(blob)
	if err != nil {
		t.Fatalf("UnmarshalTree(dtc output): %v", err)
	}
	uart := tree.Root.Find("/uart")
	if uart == nil {
		t.Fatal(`Find("/uart") = nil`)
	}
	ph, err := uart.GetU32("interrupt-parent")
	if err != nil {
		t.Fatal(err)
	}
	intc := tree.Root.Find("/interrupt-controller@e000e100")
	if got, ok := intc.Phandle(); !ok || got != ph {
		t.Errorf("intc phandle = %d, %v; uart interrupt-parent = %d", got, ok, ph)
	}
	if diff := cmp.Diff([]Reservation{{0x10000000, 0x4000}}, tree.Reserved); diff != "" {
		t.Errorf("reservations mismatch (-want +got):\n%s", diff)
	}
	again, err := tree.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := runDtc(t, dtc, blob, "-I", "dtb", "-O", "dts")
	got := runDtc(t, dtc, again, "-I", "dtb", "-O", "dts")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decompiled source mismatch (-dtc blob +re-encoded):\n%s", diff)
	}
}

func lookDtc(t *testing.T) string {
	t.Helper()
	dtc, err := exec.LookPath("dtc")
	if err != nil {
		t.Skip("dtc (Debian package device-tree-compiler) is not installed; skipping the dtc cross-check")
	}
	return dtc
}

// runDtc runs dtc on blob and fails the test if it prints anything on
// stderr: every warning counts.
func runDtc(t *testing.T, dtc string, blob []byte, args ...string) string {
	t.Helper()
	return string(runDtcIn(t, dtc, blob, args...))
}

func runDtcIn(t *testing.T, dtc string, in []byte, args ...string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(dtc, append(args, path)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("%s printed warnings:\n%s", cmd, stderr.String())
	}
	return stdout.Bytes()
}

func TestFind(t *testing.T) {
	root := virtTree().Root
	tests := []struct {
		path string
		want string // name of the node found, "-" for none
	}{
		{"/", ""},
		{"/cpus", "cpus"},
		{"/cpus/cpu@0", "cpu@0"},
		{"/cpus/cpu", "cpu@0"},
		{"/cpus/cpu@1", "-"},
		{"/memory", "memory@40000000"},
		{"/memory@40000000/", "memory@40000000"},
		{"//chosen", "chosen"},
		{"/nope", "-"},
		{"chosen", "-"},
		{"", "-"},
	}
	for _, tc := range tests {
		got := "-"
		if n := root.Find(tc.path); n != nil {
			got = n.Name
		}
		if got != tc.want {
			t.Errorf("Find(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

func TestSetGet(t *testing.T) {
	n := NewNode("n")
	n.SetU32("a", 7)
	n.SetU64("b", 0x1122334455667788)
	n.SetCells("c", 1, 2, 3)
	n.SetString("d", "hello")
	n.SetStrings("e", "x", "", "yz")
	n.SetBytes("f", []byte{1, 2, 3})
	n.SetEmpty("g")
	n.SetU32("a", 8) // replaces in place

	if diff := cmp.Diff([]string{"a", "b", "c", "d", "e", "f", "g"}, propNames(n)); diff != "" {
		t.Errorf("property order mismatch (-want +got):\n%s", diff)
	}
	type result struct {
		A        uint32
		B        uint64
		C        []uint32
		D        string
		E        []string
		CAsBytes []byte
	}
	var got result
	var errs []error
	collect := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	var err error
	got.A, err = n.GetU32("a")
	collect(err)
	got.B, err = n.GetU64("b")
	collect(err)
	got.C, err = n.GetCells("c")
	collect(err)
	got.D, err = n.GetString("d")
	collect(err)
	got.E, err = n.GetStrings("e")
	collect(err)
	got.CAsBytes = n.Prop("c").Value
	if len(errs) > 0 {
		t.Fatalf("getters failed: %v", errs)
	}
	want := result{A: 8, B: 0x1122334455667788, C: []uint32{1, 2, 3}, D: "hello", E: []string{"x", "", "yz"},
		CAsBytes: []byte{0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("getters mismatch (-want +got):\n%s", diff)
	}
	if !n.Delete("a") || n.Delete("a") || n.Has("a") {
		t.Errorf("Delete did not remove a exactly once")
	}
}

func TestGetErrors(t *testing.T) {
	n := NewNode("n")
	n.SetBytes("three", []byte{1, 2, 3})
	n.SetStrings("two", "a", "b")
	n.SetEmpty("empty")
	tests := []struct {
		name string
		get  func() error
		want string
	}{
		{"missing", func() error { _, err := n.GetU32("nope"); return err }, "nope: no such property"},
		{"u32 size", func() error { _, err := n.GetU32("three"); return err }, "property three is 3 bytes, not a 32-bit cell"},
		{"u64 size", func() error { _, err := n.GetU64("three"); return err }, "property three is 3 bytes, not a 64-bit value"},
		{"cells size", func() error { _, err := n.GetCells("three"); return err }, "property three is 3 bytes, not a whole number of cells"},
		{"string list", func() error { _, err := n.GetString("two"); return err }, "property two holds 2 strings, not one"},
		{"unterminated", func() error { _, err := n.GetStrings("three"); return err }, "property three is not a NUL-terminated string list"},
		{"empty string", func() error { _, err := n.GetStrings("empty"); return err }, "property empty is not a NUL-terminated string list"},
	}
	for _, tc := range tests {
		err := tc.get()
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: error = %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := n.GetU32("nope"); !errors.Is(err, ErrNoProperty) {
		t.Errorf("missing property error %v is not ErrNoProperty", err)
	}
}

func TestPhandles(t *testing.T) {
	root := virtTree().Root
	if got := root.MaxPhandle(); got != 2 {
		t.Errorf("MaxPhandle = %d, want 2", got)
	}
	if _, ok := root.Find("/cpus").Phandle(); ok {
		t.Errorf("cpus has a phandle")
	}
}

func propNames(n *Node) []string {
	var names []string
	for _, p := range n.Props {
		names = append(names, p.Name)
	}
	return names
}

func TestMarshalErrors(t *testing.T) {
	withChild := func(name string) *Tree {
		root := NewNode("")
		root.AddChild(name)
		return &Tree{Root: root}
	}
	withProp := func(name string) *Tree {
		root := NewNode("")
		root.SetEmpty(name)
		return &Tree{Root: root}
	}
	cyclic := NewNode("")
	loop := cyclic.AddChild("loop")
	loop.Children = append(loop.Children, loop)
	dupProp := NewNode("")
	dupProp.Props = []Property{{Name: "a"}, {Name: "a"}}
	dupChild := NewNode("")
	dupChild.AddChild("x")
	dupChild.AddChild("x")

	tests := []struct {
		name string
		tree *Tree
		want string
	}{
		{"no root", &Tree{}, "device tree has no root node"},
		{"named root", &Tree{Root: NewNode("root")}, `root node must have an empty name, not "root"`},
		{"empty child", withChild(""), `node /: child node name "" is empty before the unit address`},
		{"slash", withChild("a/b"), `node name "a/b" contains '/'`},
		{"two @", withChild("a@1@2"), `node name "a@1@2" contains '@'`},
		{"empty unit", withChild("a@"), "has an empty unit address"},
		{"digit first", withChild("1a"), "does not start with a letter"},
		{"long node name", withChild(strings.Repeat("n", 32)), "longer than 31 characters"},
		{"empty prop", withProp(""), "property name is empty"},
		{"bad prop char", withProp("a b"), `property name "a b" contains ' '`},
		{"long prop", withProp(strings.Repeat("p", 32)), "longer than 31 characters"},
		{"dup prop", &Tree{Root: dupProp}, `node /: duplicate property "a"`},
		{"dup child", &Tree{Root: dupChild}, `node /: duplicate child node "x"`},
		{"cycle", &Tree{Root: cyclic}, "nested more than 64 levels deep"},
		{"nil child", &Tree{Root: &Node{Children: []*Node{nil}}}, "node /: nil child"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.tree.Marshal()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Marshal error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// blobEdit returns a marshalled virt tree changed by edit.
func blobEdit(t testing.TB, edit func(b []byte) []byte) []byte {
	t.Helper()
	b, err := virtTree().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return edit(b)
}

func put(b []byte, off int, v uint32) []byte {
	binary.BigEndian.PutUint32(b[off:], v)
	return b
}

// rawBlob assembles a blob from a raw structure block and strings block.
func rawBlob(st []uint32, strs string) []byte {
	var s []byte
	for _, w := range st {
		s = binary.BigEndian.AppendUint32(s, w)
	}
	offStruct := headerSize + rsvEntrySize
	total := offStruct + len(s) + len(strs)
	b := make([]byte, total)
	put(b, hMagic, magic)
	put(b, hTotalSize, uint32(total))
	put(b, hOffDtStruct, uint32(offStruct))
	put(b, hOffDtStrings, uint32(offStruct+len(s)))
	put(b, hOffMemRsvmap, headerSize)
	put(b, hVersion, 17)
	put(b, hLastCompVersion, 16)
	put(b, hSizeDtStrings, uint32(len(strs)))
	put(b, hSizeDtStruct, uint32(len(s)))
	copy(b[offStruct:], s)
	copy(b[offStruct+len(s):], strs)
	return b
}

// name encodes a node name as big-endian words, NUL-padded.
func name(s string) []uint32 {
	b := make([]byte, align4(len(s)+1))
	copy(b, s)
	w := make([]uint32, len(b)/4)
	for i := range w {
		w[i] = binary.BigEndian.Uint32(b[4*i:])
	}
	return w
}

func words(parts ...any) []uint32 {
	var out []uint32
	for _, p := range parts {
		switch v := p.(type) {
		case int:
			out = append(out, uint32(v))
		case []uint32:
			out = append(out, v...)
		}
	}
	return out
}

func TestUnmarshal(t *testing.T) {
	tests := []struct {
		name string
		blob []byte
		want *Tree
	}{
		{
			name: "nops everywhere",
			blob: rawBlob(words(tokNop, tokBeginNode, name(""), tokNop, tokProp, 4, 0, 0x2a, tokNop,
				tokBeginNode, name("child@1"), tokEndNode, tokNop, tokEndNode, tokNop, tokEnd), "val\x00"),
			want: &Tree{Root: &Node{Props: []Property{{Name: "val", Value: []byte{0, 0, 0, 0x2a}}},
				Children: []*Node{{Name: "child@1"}}}},
		},
		{
			name: "property name sharing a suffix",
			blob: rawBlob(words(tokBeginNode, name(""), tokProp, 0, 2, tokEndNode, tokEnd), "xyz\x00"),
			want: &Tree{Root: &Node{Props: []Property{{Name: "z", Value: []byte{}}}}},
		},
		{
			name: "version 16 without size_dt_struct",
			blob: func() []byte {
				b := rawBlob(words(tokBeginNode, name(""), tokEndNode, tokEnd), "")
				put(b, hVersion, 16)
				return put(b, hSizeDtStruct, 0)
			}(),
			want: &Tree{Root: &Node{}},
		},
		{
			name: "trailing bytes after totalsize",
			blob: append(rawBlob(words(tokBeginNode, name(""), tokEndNode, tokEnd), ""), 0xff, 0xff),
			want: &Tree{Root: &Node{}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := UnmarshalTree(tc.blob)
			if err != nil {
				t.Fatalf("UnmarshalTree: %v", err)
			}
			if diff := cmp.Diff(tc.want, got, cmpTree); diff != "" {
				t.Errorf("UnmarshalTree mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnmarshalErrors(t *testing.T) {
	deep := words(tokBeginNode, name(""))
	for range maxDepth {
		deep = append(deep, words(tokBeginNode, name("n"))...)
	}
	tests := []struct {
		name string
		blob []byte
		want string
	}{
		{"empty", nil, "not a device tree blob: 0 bytes is shorter than the 40-byte header"},
		{"bad magic", make([]byte, 64), "not a device tree blob (magic 0x00000000, want 0xd00dfeed)"},
		{"truncated", blobEdit(t, func(b []byte) []byte { return b[:len(b)-1] }), "truncated device tree blob: header says"},
		{"tiny totalsize", blobEdit(t, func(b []byte) []byte { return put(b, hTotalSize, 8) }), "total size 8 is smaller than the header"},
		{"old version", blobEdit(t, func(b []byte) []byte { return put(b, hVersion, 3) }), "version 3 is too old"},
		{"new version", blobEdit(t, func(b []byte) []byte { return put(b, hLastCompVersion, 18) }), "is newer than version 17"},
		{"struct outside", blobEdit(t, func(b []byte) []byte { return put(b, hSizeDtStruct, 0xfffffff0) }), "structure block [0x"},
		{"struct in header", blobEdit(t, func(b []byte) []byte { return put(b, hOffDtStruct, 8) }), "structure block [0x8"},
		{"struct misaligned", blobEdit(t, func(b []byte) []byte {
			put(b, hOffDtStruct, binary.BigEndian.Uint32(b[hOffDtStruct:])+1)
			return put(b, hSizeDtStruct, 4)
		}), "structure block offset 0x49 is not 4-byte aligned"},
		{"strings outside", blobEdit(t, func(b []byte) []byte { return put(b, hOffDtStrings, 0xffffffff) }), "strings block"},
		{"rsvmap outside", blobEdit(t, func(b []byte) []byte { return put(b, hOffMemRsvmap, 0xfffffff8) }), "memory reservation block"},
		{"rsvmap unterminated", func() []byte {
			b := rawBlob(words(tokBeginNode, name(""), tokEndNode, tokEnd), "")
			put(b, hOffMemRsvmap, uint32(len(b)-16))
			for i := len(b) - 16; i < len(b); i++ {
				b[i] = 0xff
			}
			return b
		}(), "no terminating entry"},
		{"no end", rawBlob(words(tokBeginNode, name(""), tokEndNode), ""), "without FDT_END"},
		{"empty struct", rawBlob(nil, ""), "without FDT_END"},
		{"end only", rawBlob(words(tokEnd), ""), "has no root node"},
		{"end inside node", rawBlob(words(tokBeginNode, name(""), tokEnd), ""), `FDT_END at structure offset 0x8 inside node ""`},
		{"bad token", rawBlob(words(tokBeginNode, name(""), 7, tokEndNode, tokEnd), ""), "unknown token 0x7 at structure offset 0x8"},
		{"stray end node", rawBlob(words(tokEndNode, tokEnd), ""), "FDT_END_NODE outside any node"},
		{"prop outside node", rawBlob(words(tokProp, 0, 0, tokEnd), "a\x00"), "property outside any node"},
		{"two roots", rawBlob(words(tokBeginNode, name(""), tokEndNode, tokBeginNode, name(""), tokEndNode, tokEnd), ""), "second root node"},
		{"named root", rawBlob(words(tokBeginNode, name("r"), tokEndNode, tokEnd), ""), `root node is named "r"`},
		{"empty child name", rawBlob(words(tokBeginNode, name(""), tokBeginNode, name(""), tokEndNode, tokEndNode, tokEnd), ""), `bad node name ""`},
		{"slash in name", rawBlob(words(tokBeginNode, name(""), tokBeginNode, name("a/b"), tokEndNode, tokEndNode, tokEnd), ""), `bad node name "a/b"`},
		{"unterminated node name", rawBlob(words(tokBeginNode, 0x41414141), ""), "unterminated node name"},
		{"too deep", rawBlob(deep, ""), "nested more than 64 levels deep"},
		{"truncated prop", rawBlob(words(tokBeginNode, name(""), tokProp, 0), ""), "truncated property"},
		{"value too long", rawBlob(words(tokBeginNode, name(""), tokProp, 0x100, 0, tokEndNode, tokEnd), "a\x00"), "256-byte value runs past the end"},
		{"name offset", rawBlob(words(tokBeginNode, name(""), tokProp, 0, 2, tokEndNode, tokEnd), "a\x00"), "name offset 0x2 is outside the 2-byte strings block"},
		{"unterminated prop name", rawBlob(words(tokBeginNode, name(""), tokProp, 0, 0, tokEndNode, tokEnd), "ab"), "unterminated name in the strings block"},
		{"prop after child", rawBlob(words(tokBeginNode, name(""), tokBeginNode, name("c"), tokEndNode, tokProp, 0, 0, tokEndNode, tokEnd), "a\x00"), "property after child nodes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Unmarshal(tc.blob)
			if err == nil {
				t.Fatalf("Unmarshal = %+v, want error containing %q", got, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Unmarshal error = %q, want it to contain %q", err, tc.want)
			}
		})
	}
}
