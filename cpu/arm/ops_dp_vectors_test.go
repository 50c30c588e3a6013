package arm

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// dpGoldenStates are the input states of the QEMU-recorded vectors in
// ops_dp_golden_test.go: r0..r12, then the APSR.
var dpGoldenStates = [...][14]uint32{
	{0, 1, 2, 3, 0x10, 0x1f, 5, 7, 8, 0x20, 31, 32, 0x1234, 0},
	{0x7fffffff, 0x80000000, 0xffffffff, 0, 1, 0x8000, 0x7fff, 0xffff8000,
		0x80008000, 0x7fff7fff, 0xff00ff00, 0x00ff00ff, 0xfffffffe, psrC},
	{0x3b9aca07, 0xc6a4a793, 0x0badf00d, 0x5ee1d00d, 0xe3a0b1c5, 0x00007fe1,
		0x9e3779b9, 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f, 0x165667b1, 0xd3a2646c, 0xfd7046c5,
		psrN | psrV | 0xa<<16},
	{0x807f01ff, 0x7f80ff01, 0x01020304, 0xfffefdfc, 0x80808080, 0x7f7f7f7f,
		0xff01ff01, 0x00010001, 0x7fff8000, 0x8000ffff, 0x00800080, 0xffff0000, 0x0000ffff,
		psrZ | psrC | psrQ | 0x5<<16},
	{0x12345678, 0x9abcdef0, 33, 263, 0xffffff00, 16, 0x80000001, 4,
		0x7ffffffe, 0xc0000000, 24, 8, 0xdeadbeef, psrC | psrV | 0xf<<16},
}

// TestDPGolden runs every QEMU-recorded vector (see ops_dp_qemu_test.go).
func TestDPGolden(t *testing.T) {
	sc := bufio.NewScanner(strings.NewReader(dpGolden))
	failures, lines := 0, 0
	var shared *CPU
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		lines++
		insn64, err := strconv.ParseUint(f[1], 16, 32)
		if err != nil {
			t.Fatalf("bad line %q", sc.Text())
		}
		insn := uint32(insn64)
		si, _ := strconv.Atoi(f[2])
		st := dpGoldenStates[si]
		var code []uint32
		thumb := f[0] != "a32"
		size := 4
		switch f[0] {
		case "a32":
			code = []uint32{insn, 0xeafffffe}
		case "t32":
			code = []uint32{insn >> 16, insn & 0xffff, 0xe7fe}
		default:
			code = []uint32{insn, 0xe7fe}
			size = 2
		}
		c := dpReuseCPU(t, &shared, thumb, code)
		copy(c.R[:13], st[:13])
		c.setFlagsFrom(st[13])
		want := dpState{R: c.R}
		undef := false
		for _, kv := range f[3:] {
			if kv == "UNDEF" {
				undef = true
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			x, _ := strconv.ParseUint(v, 16, 32)
			if k == "psr" {
				want.APSR = uint32(x)
			} else {
				r, _ := strconv.Atoi(k[1:])
				want.R[r] = uint32(x)
			}
		}
		dis := Disasm(insn, size, thumb, testRAMBase, 0)
		if undef {
			c.mem.sys.vbar = dpVectors
			if got := dpRunUndef(t, c); !got {
				failures++
				t.Errorf("%s %08x (%s) state %d: want UNDEFINED", f[0], insn, dis, si)
			}
			continue
		}
		want.R[15] = testRAMBase + uint32(size)
		runN(t, c, 1)
		got := dpState{R: c.R, APSR: c.APSR()}
		if got != want {
			failures++
			if failures <= 40 {
				t.Errorf("%s %08x (%s) state %d:\n%s", f[0], insn, dis, si, dpStateDiff(want, got))
			}
		}
	}
	if failures > 40 {
		t.Errorf("... %d failures in all", failures)
	}
	if lines == 0 {
		t.Fatal("no golden vectors")
	}
}

// dpRunUndef runs one instruction and reports whether it was UNDEFINED.
func dpRunUndef(t *testing.T, c *CPU) bool {
	t.Helper()
	for off := uint32(0); off < 0x20; off += 4 {
		if err := c.WriteMem(dpVectors+off, []byte{0xfe, 0xff, 0xff, 0xea}); err != nil {
			t.Fatal(err)
		}
	}
	runN(t, c, 1)
	return c.Mode() == ModeUND && c.R[15] == dpVectors+4
}

func dpStateDiff(want, got dpState) string {
	var b strings.Builder
	for r := range want.R {
		if want.R[r] != got.R[r] {
			fmt.Fprintf(&b, "\tr%d: want %#08x, got %#08x\n", r, want.R[r], got.R[r])
		}
	}
	if want.APSR != got.APSR {
		fmt.Fprintf(&b, "\tAPSR: want %#08x, got %#08x\n", want.APSR, got.APSR)
	}
	return b.String()
}

// dpReuseCPU returns *c (created on first use) reset, with code at
// testRAMBase, in Thumb or ARM state: cheaper than a new CPU per vector.
func dpReuseCPU(t *testing.T, c **CPU, thumb bool, code []uint32) *CPU {
	t.Helper()
	if *c == nil {
		*c = newTestCPU(t, thumb)
	}
	cpu := *c
	cpu.Reset()
	var buf []byte
	for _, w := range code {
		if thumb {
			buf = append(buf, byte(w), byte(w>>8))
		} else {
			buf = append(buf, byte(w), byte(w>>8), byte(w>>16), byte(w>>24))
		}
	}
	if err := cpu.WriteMem(testRAMBase, buf); err != nil {
		t.Fatal(err)
	}
	cpu.R[15] = testRAMBase
	cpu.R[13] = testRAMBase + 0x80000
	cpu.T = thumb
	return cpu
}
