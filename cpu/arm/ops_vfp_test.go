package arm

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	sf "mimic/cpu/arm/softfloat"
)

// Unit tests of the floating-point instructions, one or a few per form.
// The encodings were produced by GNU as (arm-linux-gnueabihf-as, -mfpu=
// neon-vfpv4) from the text in the comment. Every case with condition AL
// runs both as A32 and as T32 (the same word, as two halfwords).

// vfpSnap is the state the tests compare.
type vfpSnap struct {
	R          [15]uint32 // r0-r14
	PC         uint32
	N, Z, C, V bool
	Mode       uint32
	D          [32]uint64
	FPSCR      uint32
	FPEXC      uint32
}

func snapVFP(c *CPU) vfpSnap {
	s := vfpSnap{PC: c.R[15], N: c.N, Z: c.Z, C: c.C, V: c.V, Mode: c.Mode(), D: c.vfp.d,
		FPSCR: c.FPSCR(), FPEXC: c.FPEXC()}
	copy(s.R[:], c.R[:15])
	return s
}

// Data area of the tests, and some IEEE values.
const (
	vfpData = testRAMBase + 0x10000

	f32One   = 0x3f800000
	f32Two   = 0x40000000
	f32Three = 0x40400000
	f32QNaN  = 0x7fc00000
	f64One   = 0x3ff0000000000000
	f64Two   = 0x4000000000000000
	f64Three = 0x4008000000000000
	f64Seven = 0x401c000000000000
)

// setS sets S register n in a snapshot-style D array.
func setS(d *[32]uint64, n int, v uint32) {
	sh := uint(n&1) * 32
	d[n>>1] = d[n>>1]&^(0xffffffff<<sh) | uint64(v)<<sh
}

func writeWords(t testing.TB, c *CPU, addr uint32, ws ...uint32) {
	t.Helper()
	for i, w := range ws {
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], w)
		if err := c.WriteMem(addr+uint32(4*i), b[:]); err != nil {
			t.Fatal(err)
		}
	}
}

func readWords(t testing.TB, c *CPU, addr uint32, n int) []uint32 {
	t.Helper()
	out := make([]uint32, n)
	for i := range out {
		var b [4]byte
		if err := c.ReadMem(addr+uint32(4*i), b[:]); err != nil {
			t.Fatal(err)
		}
		out[i] = binary.LittleEndian.Uint32(b[:])
	}
	return out
}

type vfpCase struct {
	name string
	code []uint32 // A32 words; with condition AL also the T32 words
	arm  bool     // A32 only
	init func(c *CPU)
	want func(s *vfpSnap) // the expected changes; PC is set already
	mem  func(t *testing.T, c *CPU)
}

// code32 turns A32 words into the halfwords newTestCPU wants for Thumb,
// and appends a branch to itself, which ends the block.
func code32(thumb bool, ws []uint32) []uint32 {
	if !thumb {
		return append(append([]uint32(nil), ws...), 0xeafffffe)
	}
	var hs []uint32
	for _, w := range ws {
		hs = append(hs, w>>16, w&0xffff)
	}
	return append(hs, 0xe7fe)
}

func runVFPCases(t *testing.T, cases []vfpCase) {
	t.Helper()
	for _, tc := range cases {
		for _, thumb := range []bool{false, true} {
			if thumb && tc.arm {
				continue
			}
			t.Run(fmt.Sprintf("%s/thumb=%v", tc.name, thumb), func(t *testing.T) {
				c := newVFPTestCPU(t, thumb, code32(thumb, tc.code)...)
				if tc.init != nil {
					tc.init(c)
				}
				want := snapVFP(c)
				want.PC += uint32(4 * len(tc.code))
				if tc.want != nil {
					tc.want(&want)
				}
				runN(t, c, uint64(len(tc.code)))
				if d := cmp.Diff(want, snapVFP(c)); d != "" {
					t.Errorf("state (-want +got):\n%s", d)
				}
				if tc.mem != nil {
					tc.mem(t, c)
				}
			})
		}
	}
}

func TestVFPDataProcessing(t *testing.T) {
	runVFPCases(t, []vfpCase{
		{name: "vadd.f64 d31, d16, d17", code: []uint32{0xee70fba1},
			init: func(c *CPU) { c.SetDReg(16, 0x3ff8000000000000); c.SetDReg(17, 0x4002000000000000) },
			want: func(s *vfpSnap) { s.D[31] = 0x400e000000000000 }},
		{name: "vadd.f32 s31, s15, s17", code: []uint32{0xee77faa8},
			init: func(c *CPU) { c.SetSReg(15, f32One); c.SetSReg(17, f32Two); c.SetSReg(30, 0x12345678) },
			want: func(s *vfpSnap) { setS(&s.D, 31, f32Three) }},
		{name: "vmla.f64 d20, d21, d22", code: []uint32{0xee454ba6},
			init: func(c *CPU) { c.SetDReg(20, f64One); c.SetDReg(21, f64Two); c.SetDReg(22, f64Three) },
			want: func(s *vfpSnap) { s.D[20] = f64Seven }},
		{name: "vmov.f32 s1, s30", code: []uint32{0xeef00a4f},
			init: func(c *CPU) { c.SetDReg(0, 0x1111111122222222); c.SetSReg(30, 0x7f800001) },
			want: func(s *vfpSnap) { s.D[0] = 0x7f80000122222222 }},
		{name: "vmov.f64 d3, d30", code: []uint32{0xeeb03b6e},
			init: func(c *CPU) { c.SetDReg(30, 0xfff0000000000001) },
			want: func(s *vfpSnap) { s.D[3] = 0xfff0000000000001 }},
		{name: "vabs.f64 d16, d31", code: []uint32{0xeef00bef},
			init: func(c *CPU) { c.SetDReg(31, 0xfff0000000000001) }, // a NaN keeps its payload
			want: func(s *vfpSnap) { s.D[16] = 0x7ff0000000000001 }},
		{name: "vneg.f32 s7, s8", code: []uint32{0xeef13a44},
			init: func(c *CPU) { c.SetSReg(8, f32One) },
			want: func(s *vfpSnap) { setS(&s.D, 7, 0xbf800000) }},
		{name: "vsqrt.f64 d17, d18 exact", code: []uint32{0xeef11be2},
			init: func(c *CPU) { c.SetDReg(18, 0x4010000000000000) },
			want: func(s *vfpSnap) { s.D[17] = f64Two }},
		{name: "vsqrt.f64 d17, d18 inexact", code: []uint32{0xeef11be2},
			init: func(c *CPU) { c.SetDReg(18, f64Two) },
			want: func(s *vfpSnap) { s.D[17] = 0x3ff6a09e667f3bcd; s.FPSCR |= sf.IXC }},
		{name: "vdiv.f32 by zero", code: []uint32{0xee811a02}, // vdiv.f32 s2, s2, s4
			init: func(c *CPU) { c.SetSReg(2, f32One) },
			want: func(s *vfpSnap) { setS(&s.D, 2, 0x7f800000); s.FPSCR |= sf.DZC }},
		{name: "vadd.f32 round towards zero", code: []uint32{0xee300a81}, // vadd.f32 s0, s1, s2
			init: func(c *CPU) { c.SetSReg(1, f32One); c.SetSReg(2, 0x33800001); c.SetFPSCR(3 << 22) },
			want: func(s *vfpSnap) { setS(&s.D, 0, f32One); s.FPSCR |= sf.IXC }},
		{name: "vadd.f32 round to plus infinity", code: []uint32{0xee300a81},
			init: func(c *CPU) { c.SetSReg(1, f32One); c.SetSReg(2, 0x33800001); c.SetFPSCR(1 << 22) },
			want: func(s *vfpSnap) { setS(&s.D, 0, f32One+1); s.FPSCR |= sf.IXC }},
		{name: "vadd.f32 flush to zero and default NaN", code: []uint32{0xee300a81, 0xee311a01}, // + vadd.f32 s2, s2, s2
			init: func(c *CPU) {
				c.SetSReg(1, 1)          // denormal input: flushed, IDC
				c.SetSReg(2, 0x7f800001) // signalling NaN: default NaN, IOC
				c.SetFPSCR(sf.FZ | sf.DN)
			},
			want: func(s *vfpSnap) { setS(&s.D, 0, f32QNaN); setS(&s.D, 2, f32QNaN); s.FPSCR |= sf.IDC | sf.IOC }},
		{name: "vcmp.f64 d31, d16 less", code: []uint32{0xeef4fb60},
			init: func(c *CPU) { c.SetDReg(31, f64One); c.SetDReg(16, f64Two); c.SetFPSCR(0x60000000) },
			want: func(s *vfpSnap) { s.FPSCR = 0x80000000 }},
		{name: "vcmpe.f32 s31, #0 NaN", code: []uint32{0xeef5fac0},
			init: func(c *CPU) { c.SetSReg(31, f32QNaN) },
			want: func(s *vfpSnap) { s.FPSCR = 0x30000000 | sf.IOC }},
		{name: "vcmp then vmrs APSR_nzcv", code: []uint32{0xeef4fb60, 0xeef1fa10},
			init: func(c *CPU) { c.SetDReg(31, f64Two); c.SetDReg(16, f64Two); c.N = true },
			want: func(s *vfpSnap) { s.FPSCR = 0x60000000; s.N, s.Z, s.C = false, true, true }},
		{name: "vmov.f32 s3, #-1.5", code: []uint32{0xeeff1a08},
			want: func(s *vfpSnap) { setS(&s.D, 3, 0xbfc00000) }},
		{name: "vmov.f64 d30, #0.5", code: []uint32{0xeef6eb00},
			init: func(c *CPU) { c.SetDReg(30, 0xffffffffffffffff) },
			want: func(s *vfpSnap) { s.D[30] = 0x3fe0000000000000 }},
		{name: "vmov.f32 s0, #31.0", code: []uint32{0xeeb30a0f},
			want: func(s *vfpSnap) { setS(&s.D, 0, 0x41f80000) }},
		{name: "vmov.f64 d16, #-0.125", code: []uint32{0xeefc0b00},
			want: func(s *vfpSnap) { s.D[16] = 0xbfc0000000000000 }},
	})
}

func TestVFPConversions(t *testing.T) {
	runVFPCases(t, []vfpCase{
		{name: "vcvt.f64.f32 d18, s3", code: []uint32{0xeef72ae1},
			init: func(c *CPU) { c.SetSReg(3, 0x3fc00000) },
			want: func(s *vfpSnap) { s.D[18] = 0x3ff8000000000000 }},
		{name: "vcvt.f32.f64 s31, d31", code: []uint32{0xeef7fbef},
			init: func(c *CPU) { c.SetDReg(31, 0x3ff0000000000001) },
			want: func(s *vfpSnap) { s.D[15] = uint64(f32One) << 32; s.FPSCR |= sf.IXC }},
		{name: "vcvt.s32.f64 s31, d17", code: []uint32{0xeefdfbe1},
			init: func(c *CPU) { c.SetDReg(17, 0xc00599999999999a) }, // -2.7
			want: func(s *vfpSnap) { setS(&s.D, 31, 0xfffffffe); s.FPSCR |= sf.IXC }},
		{name: "vcvtr.s32.f64 s1, d2 nearest even", code: []uint32{0xeefd0b42},
			init: func(c *CPU) { c.SetDReg(2, 0x4004000000000000) }, // 2.5
			want: func(s *vfpSnap) { setS(&s.D, 1, 2); s.FPSCR |= sf.IXC }},
		{name: "vcvtr.s32.f64 s1, d2 towards plus infinity", code: []uint32{0xeefd0b42},
			init: func(c *CPU) { c.SetDReg(2, 0x4004000000000000); c.SetFPSCR(1 << 22) },
			want: func(s *vfpSnap) { setS(&s.D, 1, 3); s.FPSCR |= sf.IXC }},
		{name: "vcvt.u32.f32 s1, s1 negative saturates", code: []uint32{0xeefc0ae0},
			init: func(c *CPU) { c.SetSReg(1, 0xbf800000) },
			want: func(s *vfpSnap) { setS(&s.D, 1, 0); s.FPSCR |= sf.IOC }},
		{name: "vcvt.f32.s32 s0, s0", code: []uint32{0xeeb80ac0},
			init: func(c *CPU) { c.SetSReg(0, 0xfffffffd) },
			want: func(s *vfpSnap) { setS(&s.D, 0, 0xc0400000) }},
		{name: "vcvtb.f16.f32 s2, s3 alternative half precision", code: []uint32{0xeeb31a61},
			init: func(c *CPU) { c.SetSReg(2, 0xabcd0000); c.SetSReg(3, 0x7f800000); c.SetFPSCR(sf.AHP) },
			want: func(s *vfpSnap) { setS(&s.D, 2, 0xabcd7fff); s.FPSCR |= sf.IOC }},
		{name: "vcvt.f64.u32 d31, s31", code: []uint32{0xeef8fb6f},
			init: func(c *CPU) { c.SetSReg(31, 0xffffffff) },
			want: func(s *vfpSnap) { s.D[31] = 0x41efffffffe00000 }},
		{name: "vcvt.s16.f32 s31, s31, #3", code: []uint32{0xeefefa66},
			init: func(c *CPU) { c.SetSReg(31, 0xbfc00000) }, // -1.5 * 8 = -12
			want: func(s *vfpSnap) { setS(&s.D, 31, 0xfffffff4) }},
		{name: "vcvt.f64.u32 d17, d17, #32", code: []uint32{0xeefb1bc0},
			init: func(c *CPU) { c.SetDReg(17, 0xdeadbeef80000000) },
			want: func(s *vfpSnap) { s.D[17] = 0x3fe0000000000000 }},
		{name: "vcvtt.f16.f32 s31, s30", code: []uint32{0xeef3facf},
			init: func(c *CPU) { c.SetSReg(31, 0x1234abcd); c.SetSReg(30, f32One) },
			want: func(s *vfpSnap) { setS(&s.D, 31, 0x3c00abcd) }},
		{name: "vcvtb.f32.f16 s0, s31", code: []uint32{0xeeb20a6f},
			init: func(c *CPU) { c.SetSReg(31, 0xffff3c00) },
			want: func(s *vfpSnap) { setS(&s.D, 0, f32One) }},
		{name: "vcvt.s16.f32 imm5 > 16 (UNPREDICTABLE)", code: []uint32{0xeefe0a68}, // imm5 = 17: -1 fraction bits
			init: func(c *CPU) { c.SetSReg(1, 0x40800000) }, // 4.0 / 2 = 2
			want: func(s *vfpSnap) { setS(&s.D, 1, 2) }},
		// The fixed-point cases below were checked against qemu-arm 7.2.
		{name: "vcvt.f32.s16 imm5 > 16 (UNPREDICTABLE)", code: []uint32{0xeefa0a68}, // imm5 = 17: 3 * 2
			init: func(c *CPU) { c.SetSReg(1, 0xffff0003) }, // only the low 16 bits count
			want: func(s *vfpSnap) { setS(&s.D, 1, 0x40c00000) }},
		{name: "vcvt.f32.s16 s1, s1, #15", code: []uint32{0xeefa0a60},
			init: func(c *CPU) { c.SetSReg(1, 0x7fff) },
			want: func(s *vfpSnap) { setS(&s.D, 1, 0x3f7ffe00) }},
		{name: "vcvt.f32.s16 imm5 = 31 (UNPREDICTABLE)", code: []uint32{0xeefa0a6f},
			init: func(c *CPU) { c.SetSReg(1, 0x7fff) },
			want: func(s *vfpSnap) { setS(&s.D, 1, 0x4e7ffe00) }},
	})
}
