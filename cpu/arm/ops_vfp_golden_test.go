package arm

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	sf "mimic/cpu/arm/softfloat"
)

// The differential test of the instruction layer: the softfloat golden
// vectors, recorded from QEMU (softfloat/testdata/gen), run as real
// instructions through the CPU, in A32 and T32. The encodings are those
// the recording harness (testdata/gen/harness/harness.c) assembled, so
// this checks decoding, operand registers, the FPSCR controls handed to
// the arithmetic and the flags and NZCV written back, against QEMU.
//
// Register conventions of the harness: single-precision instructions use
// s0 = a, s1 = b, s2 = c with the result in s2; double-precision ones
// d0 = a, d1 = b, d2 = c with the result in d2 (s4 for single results).
// The fixed-point VCVTs convert in place: the operand goes in s2/d2.

// vfpGoldenInsns are the harness encodings: name, A32 word (condition
// AL, which is also the T32 word), ARMv8-only (must be UNDEFINED here),
// double-precision harness.
var vfpGoldenInsns = []struct {
	name   string
	insn   uint32
	v8     bool
	double bool
}{
	{"vadd.f32", 0xee301a20, false, false},
	{"vsub.f32", 0xee301a60, false, false},
	{"vmul.f32", 0xee201a20, false, false},
	{"vnmul.f32", 0xee201a60, false, false},
	{"vdiv.f32", 0xee801a20, false, false},
	{"vsqrt.f32", 0xeeb11ac0, false, false},
	{"vmla.f32", 0xee001a20, false, false},
	{"vmls.f32", 0xee001a60, false, false},
	{"vnmla.f32", 0xee101a60, false, false},
	{"vnmls.f32", 0xee101a20, false, false},
	{"vfma.f32", 0xeea01a20, false, false},
	{"vfms.f32", 0xeea01a60, false, false},
	{"vfnma.f32", 0xee901a60, false, false},
	{"vfnms.f32", 0xee901a20, false, false},
	{"vneg.f32", 0xeeb11a40, false, false},
	{"vabs.f32", 0xeeb01ac0, false, false},
	{"vcmp.f32", 0xeeb40a60, false, false},
	{"vcmpe.f32", 0xeeb40ae0, false, false},
	{"vcmp.f32#0", 0xeeb50a40, false, false},
	{"vcmpe.f32#0", 0xeeb50ac0, false, false},
	{"vcvt.s32.f32", 0xeebd1ac0, false, false},
	{"vcvt.u32.f32", 0xeebc1ac0, false, false},
	{"vcvtr.s32.f32", 0xeebd1a40, false, false},
	{"vcvtr.u32.f32", 0xeebc1a40, false, false},
	{"vcvt.f32.s32", 0xeeb81ac0, false, false},
	{"vcvt.f32.u32", 0xeeb81a40, false, false},
	{"vcvtb.f16.f32", 0xeeb31a40, false, false},
	{"vcvtb.f32.f16", 0xeeb21a40, false, false},
	{"vcvtt.f16.f32", 0xeeb31ac0, false, false},
	{"vcvtt.f32.f16", 0xeeb21ac0, false, false},
	{"vrintr.f32", 0xeeb61a40, true, false},
	{"vrintz.f32", 0xeeb61ac0, true, false},
	{"vrintx.f32", 0xeeb71a40, true, false},
	{"vrinta.f32", 0xfeb81a40, true, false},
	{"vrintn.f32", 0xfeb91a40, true, false},
	{"vrintp.f32", 0xfeba1a40, true, false},
	{"vrintm.f32", 0xfebb1a40, true, false},
	{"vcvta.s32.f32", 0xfebc1ac0, true, false},
	{"vcvta.u32.f32", 0xfebc1a40, true, false},
	{"vcvtn.s32.f32", 0xfebd1ac0, true, false},
	{"vcvtn.u32.f32", 0xfebd1a40, true, false},
	{"vcvtp.s32.f32", 0xfebe1ac0, true, false},
	{"vcvtp.u32.f32", 0xfebe1a40, true, false},
	{"vcvtm.s32.f32", 0xfebf1ac0, true, false},
	{"vcvtm.u32.f32", 0xfebf1a40, true, false},
	{"vmaxnm.f32", 0xfe801a20, true, false},
	{"vminnm.f32", 0xfe801a60, true, false},
	{"vcvt.s16.f32#1", 0xeebe1a67, false, false},
	{"vcvt.u16.f32#1", 0xeebf1a67, false, false},
	{"vcvt.f32.s16#1", 0xeeba1a67, false, false},
	{"vcvt.f32.u16#1", 0xeebb1a67, false, false},
	{"vcvt.s16.f32#8", 0xeebe1a44, false, false},
	{"vcvt.u16.f32#8", 0xeebf1a44, false, false},
	{"vcvt.f32.s16#8", 0xeeba1a44, false, false},
	{"vcvt.f32.u16#8", 0xeebb1a44, false, false},
	{"vcvt.s16.f32#16", 0xeebe1a40, false, false},
	{"vcvt.u16.f32#16", 0xeebf1a40, false, false},
	{"vcvt.f32.s16#16", 0xeeba1a40, false, false},
	{"vcvt.f32.u16#16", 0xeebb1a40, false, false},
	{"vcvt.s32.f32#1", 0xeebe1aef, false, false},
	{"vcvt.u32.f32#1", 0xeebf1aef, false, false},
	{"vcvt.f32.s32#1", 0xeeba1aef, false, false},
	{"vcvt.f32.u32#1", 0xeebb1aef, false, false},
	{"vcvt.s32.f32#16", 0xeebe1ac8, false, false},
	{"vcvt.u32.f32#16", 0xeebf1ac8, false, false},
	{"vcvt.f32.s32#16", 0xeeba1ac8, false, false},
	{"vcvt.f32.u32#16", 0xeebb1ac8, false, false},
	{"vcvt.s32.f32#32", 0xeebe1ac0, false, false},
	{"vcvt.u32.f32#32", 0xeebf1ac0, false, false},
	{"vcvt.f32.s32#32", 0xeeba1ac0, false, false},
	{"vcvt.f32.u32#32", 0xeebb1ac0, false, false},
	{"vadd.f64", 0xee302b01, false, true},
	{"vsub.f64", 0xee302b41, false, true},
	{"vmul.f64", 0xee202b01, false, true},
	{"vnmul.f64", 0xee202b41, false, true},
	{"vdiv.f64", 0xee802b01, false, true},
	{"vsqrt.f64", 0xeeb12bc0, false, true},
	{"vmla.f64", 0xee002b01, false, true},
	{"vmls.f64", 0xee002b41, false, true},
	{"vnmla.f64", 0xee102b41, false, true},
	{"vnmls.f64", 0xee102b01, false, true},
	{"vfma.f64", 0xeea02b01, false, true},
	{"vfms.f64", 0xeea02b41, false, true},
	{"vfnma.f64", 0xee902b41, false, true},
	{"vfnms.f64", 0xee902b01, false, true},
	{"vneg.f64", 0xeeb12b40, false, true},
	{"vabs.f64", 0xeeb02bc0, false, true},
	{"vcmp.f64", 0xeeb40b41, false, true},
	{"vcmpe.f64", 0xeeb40bc1, false, true},
	{"vcmp.f64#0", 0xeeb50b40, false, true},
	{"vcmpe.f64#0", 0xeeb50bc0, false, true},
	{"vcvt.s32.f64", 0xeebd2bc0, false, true},
	{"vcvt.u32.f64", 0xeebc2bc0, false, true},
	{"vcvtr.s32.f64", 0xeebd2b40, false, true},
	{"vcvtr.u32.f64", 0xeebc2b40, false, true},
	{"vcvt.f64.s32", 0xeeb82bc0, false, true},
	{"vcvt.f64.u32", 0xeeb82b40, false, true},
	{"vcvt.f64.f32", 0xeeb72ac0, false, true},
	{"vcvt.f32.f64", 0xeeb72bc0, false, true},
	{"vcvtb.f16.f64", 0xeeb32b40, true, true},
	{"vcvtb.f64.f16", 0xeeb22b40, true, true},
	{"vrintr.f64", 0xeeb62b40, true, true},
	{"vrintz.f64", 0xeeb62bc0, true, true},
	{"vrintx.f64", 0xeeb72b40, true, true},
	{"vrinta.f64", 0xfeb82b40, true, true},
	{"vrintn.f64", 0xfeb92b40, true, true},
	{"vrintp.f64", 0xfeba2b40, true, true},
	{"vrintm.f64", 0xfebb2b40, true, true},
	{"vcvta.s32.f64", 0xfebc2bc0, true, true},
	{"vcvta.u32.f64", 0xfebc2b40, true, true},
	{"vcvtn.s32.f64", 0xfebd2bc0, true, true},
	{"vcvtn.u32.f64", 0xfebd2b40, true, true},
	{"vcvtp.s32.f64", 0xfebe2bc0, true, true},
	{"vcvtp.u32.f64", 0xfebe2b40, true, true},
	{"vcvtm.s32.f64", 0xfebf2bc0, true, true},
	{"vcvtm.u32.f64", 0xfebf2b40, true, true},
	{"vmaxnm.f64", 0xfe802b01, true, true},
	{"vminnm.f64", 0xfe802b41, true, true},
	{"vcvt.s16.f64#1", 0xeebe2b67, false, true},
	{"vcvt.u16.f64#1", 0xeebf2b67, false, true},
	{"vcvt.f64.s16#1", 0xeeba2b67, false, true},
	{"vcvt.f64.u16#1", 0xeebb2b67, false, true},
	{"vcvt.s16.f64#8", 0xeebe2b44, false, true},
	{"vcvt.u16.f64#8", 0xeebf2b44, false, true},
	{"vcvt.f64.s16#8", 0xeeba2b44, false, true},
	{"vcvt.f64.u16#8", 0xeebb2b44, false, true},
	{"vcvt.s16.f64#16", 0xeebe2b40, false, true},
	{"vcvt.u16.f64#16", 0xeebf2b40, false, true},
	{"vcvt.f64.s16#16", 0xeeba2b40, false, true},
	{"vcvt.f64.u16#16", 0xeebb2b40, false, true},
	{"vcvt.s32.f64#1", 0xeebe2bef, false, true},
	{"vcvt.u32.f64#1", 0xeebf2bef, false, true},
	{"vcvt.f64.s32#1", 0xeeba2bef, false, true},
	{"vcvt.f64.u32#1", 0xeebb2bef, false, true},
	{"vcvt.s32.f64#16", 0xeebe2bc8, false, true},
	{"vcvt.u32.f64#16", 0xeebf2bc8, false, true},
	{"vcvt.f64.s32#16", 0xeeba2bc8, false, true},
	{"vcvt.f64.u32#16", 0xeebb2bc8, false, true},
	{"vcvt.s32.f64#32", 0xeebe2bc0, false, true},
	{"vcvt.u32.f64#32", 0xeebf2bc0, false, true},
	{"vcvt.f64.s32#32", 0xeeba2bc0, false, true},
	{"vcvt.f64.u32#32", 0xeebb2bc0, false, true},
}

// vfpGoldenVector is one recorded line.
type vfpGoldenVector struct {
	fpscr      uint32
	args       [3]uint64
	want       uint64
	wantFlags  uint32
	where      string
	nin        int
	isCompare  bool
	isFixedVec bool
}

// readVFPGolden reads the golden files, keeping at most perOp vectors of
// each instruction, evenly spread.
func readVFPGolden(t *testing.T, perOp int) map[string][]vfpGoldenVector {
	t.Helper()
	all := map[string][]vfpGoldenVector{}
	for _, file := range []string{"vfp32.txt.gz", "vfp64.txt.gz", "cvt.txt.gz"} {
		path := filepath.Join("softfloat", "testdata", file)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(zr)
		line := 0
		for sc.Scan() {
			line++
			text := sc.Text()
			if text == "" || text[0] == '#' {
				continue
			}
			fields := strings.Fields(text)
			var v vfpGoldenVector
			v.nin = len(fields) - 4
			v.where = fmt.Sprintf("%s:%d", file, line)
			var nums [8]uint64
			for i, s := range fields[1:] {
				if nums[i], err = strconv.ParseUint(s, 16, 64); err != nil {
					t.Fatalf("%s: %v", v.where, err)
				}
			}
			v.fpscr = uint32(nums[0])
			copy(v.args[:], nums[1:1+v.nin])
			v.want, v.wantFlags = nums[1+v.nin], uint32(nums[2+v.nin])
			v.isCompare = strings.HasPrefix(fields[0], "vcmp")
			v.isFixedVec = strings.HasPrefix(fields[0], "vcvt") && strings.Contains(fields[0], "#")
			all[fields[0]] = append(all[fields[0]], v)
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	for name, vs := range all {
		if len(vs) > perOp {
			picked := make([]vfpGoldenVector, 0, perOp)
			for i := 0; i < perOp; i++ {
				picked = append(picked, vs[i*len(vs)/perOp])
			}
			all[name] = picked
		}
	}
	return all
}

// newVFPTestCPU returns a test CPU with the floating-point extension
// enabled (no CP15: CPACR grants full access).
func newVFPTestCPU(t testing.TB, thumb bool, code ...uint32) *CPU {
	t.Helper()
	c := newTestCPU(t, thumb, code...)
	c.SetFPEXC(fpexcEN)
	return c
}

func TestVFPGoldenVectors(t *testing.T) {
	perOp := 2000
	if testing.Short() {
		perOp = 200
	}
	vectors := readVFPGolden(t, perOp)
	ran := 0
	for _, thumb := range []bool{false, true} {
		// Code: each instruction followed by a branch to itself, which
		// ends the block, at 8-byte slots.
		var code []uint32
		for _, g := range vfpGoldenInsns {
			if thumb {
				code = append(code, g.insn>>16, g.insn&0xffff, 0xe7fe, 0xbf00)
			} else {
				code = append(code, g.insn, 0xeafffffe)
			}
		}
		c := newVFPTestCPU(t, thumb, code...)
		for k, g := range vfpGoldenInsns {
			if g.v8 {
				continue
			}
			vs := vectors[g.name]
			if len(vs) == 0 {
				t.Errorf("%s: no golden vectors", g.name)
				continue
			}
			if thumb {
				vs = vs[:min(len(vs), 100)]
			}
			fails := 0
			ran += len(vs)
			for _, v := range vs {
				got, gotFPSCR := runVFPGolden(t, c, testRAMBase+uint32(8*k), thumb, g.double, v)
				want := v.want
				if v.isCompare {
					got = uint64(gotFPSCR >> 28)
				}
				ctl := v.fpscr &^ (sf.NZCVMask | sf.FlagsMask)
				if got != want || gotFPSCR&sf.FlagsMask != v.wantFlags || gotFPSCR&^(sf.NZCVMask|sf.FlagsMask) != ctl ||
					!v.isCompare && gotFPSCR&sf.NZCVMask != v.fpscr&sf.NZCVMask {
					fails++
					if fails <= 3 {
						t.Errorf("%s (thumb=%v) %s fpscr=%08x args=%x: got %x fpscr %08x, want %x flags %02x",
							g.name, thumb, v.where, v.fpscr, v.args[:v.nin], got, gotFPSCR, want, v.wantFlags)
					}
				}
			}
			if fails > 0 {
				t.Errorf("%s (thumb=%v): %d of %d vectors failed", g.name, thumb, fails, len(vs))
			}
		}
	}
	t.Logf("%d vectors run", ran)
}

// runVFPGolden runs the instruction at pc with the operands of v and
// returns the result register and the FPSCR.
func runVFPGolden(t *testing.T, c *CPU, pc uint32, thumb, double bool, v vfpGoldenVector) (uint64, uint32) {
	t.Helper()
	c.vfp.d = [32]uint64{}
	a, b, d := v.args[0], v.args[1], v.args[2]
	if v.isFixedVec {
		d = a
	}
	if double {
		c.vfp.d[0], c.vfp.d[1], c.vfp.d[2] = a, b, d
	} else {
		c.SetSReg(0, uint32(a))
		c.SetSReg(1, uint32(b))
		c.SetSReg(2, uint32(d))
	}
	c.SetFPSCR(v.fpscr)
	c.R[15] = pc
	c.T = thumb
	before := c.Retired()
	runN(t, c, 1)
	if c.Retired() == before || c.Mode() != ModeSVC {
		t.Fatalf("instruction at %#x did not run (mode %#x)", pc, c.Mode())
	}
	if double {
		return c.vfp.d[2], c.FPSCR()
	}
	return uint64(c.SReg(2)), c.FPSCR()
}

// TestVFPv8Undefined checks that the ARMv8 floating-point instructions
// of the harness (VRINT*, VCVTA/N/P/M, VMAXNM/VMINNM, the double<->half
// VCVTB) are UNDEFINED on this ARMv7 CPU, in A32 and T32.
func TestVFPv8Undefined(t *testing.T) {
	for _, g := range vfpGoldenInsns {
		if !g.v8 {
			continue
		}
		for _, thumb := range []bool{false, true} {
			var c *CPU
			if thumb {
				c = newVFPTestCPU(t, true, g.insn>>16, g.insn&0xffff)
			} else {
				c = newVFPTestCPU(t, false, g.insn)
			}
			vfpExpectUndef(t, c, fmt.Sprintf("%s %#08x thumb=%v", g.name, g.insn, thumb))
		}
	}
}
