package arm

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	sf "mimic/cpu/arm/softfloat"
)

// Loads, stores, register transfers, system registers, access control,
// faults and UNDEFINED encodings of the floating-point instructions.

func TestVFPLoadStore(t *testing.T) {
	const dd = 0x0123456789abcdef
	runVFPCases(t, []vfpCase{
		{name: "vldr s1, [r2, #-8]", code: []uint32{0xed520a02},
			init: func(c *CPU) { c.R[2] = vfpData + 8; writeWords(t, c, vfpData, 0x11223344) },
			want: func(s *vfpSnap) { setS(&s.D, 1, 0x11223344) }},
		{name: "vldr d17, [r3, #1020]", code: []uint32{0xedd31bff},
			init: func(c *CPU) { c.R[3] = vfpData; writeWords(t, c, vfpData+1020, 0x89abcdef, 0x01234567) },
			want: func(s *vfpSnap) { s.D[17] = dd }},
		{name: "vstr d31, [sp]", code: []uint32{0xedcdfb00},
			init: func(c *CPU) { c.R[13] = vfpData + 0x100; c.SetDReg(31, dd) },
			mem: func(t *testing.T, c *CPU) {
				if d := cmp.Diff([]uint32{0x89abcdef, 0x01234567}, readWords(t, c, vfpData+0x100, 2)); d != "" {
					t.Errorf("memory (-want +got):\n%s", d)
				}
			}},
		{name: "vstr s5, [r2, #4]", code: []uint32{0xedc22a01},
			init: func(c *CPU) { c.R[2] = vfpData; c.SetSReg(5, 0xcafef00d) },
			mem: func(t *testing.T, c *CPU) {
				if got := readWords(t, c, vfpData+4, 1)[0]; got != 0xcafef00d {
					t.Errorf("memory %#x, want 0xcafef00d", got)
				}
			}},
		{name: "vldmia r1!, {s3-s7}", code: []uint32{0xecf11a05},
			init: func(c *CPU) { c.R[1] = vfpData; writeWords(t, c, vfpData, 3, 4, 5, 6, 7) },
			want: func(s *vfpSnap) {
				for i := 3; i <= 7; i++ {
					setS(&s.D, i, uint32(i))
				}
				s.R[1] = vfpData + 20
			}},
		{name: "vldmia r1, {s0}", code: []uint32{0xec910a01},
			init: func(c *CPU) { c.R[1] = vfpData; writeWords(t, c, vfpData, 0x55) },
			want: func(s *vfpSnap) { setS(&s.D, 0, 0x55) }},
		{name: "vldmdb r1!, {d16-d18}", code: []uint32{0xed710b06},
			init: func(c *CPU) { c.R[1] = vfpData + 24; writeWords(t, c, vfpData, 1, 2, 3, 4, 5, 6) },
			want: func(s *vfpSnap) {
				s.D[16], s.D[17], s.D[18] = 2<<32|1, 4<<32|3, 6<<32|5
				s.R[1] = vfpData
			}},
		{name: "vpush {d8-d9}", code: []uint32{0xed2d8b04},
			init: func(c *CPU) { c.R[13] = vfpData + 0x100; c.SetDReg(8, 2<<32|1); c.SetDReg(9, 4<<32|3) },
			want: func(s *vfpSnap) { s.R[13] = vfpData + 0xf0 },
			mem: func(t *testing.T, c *CPU) {
				if d := cmp.Diff([]uint32{1, 2, 3, 4}, readWords(t, c, vfpData+0xf0, 4)); d != "" {
					t.Errorf("memory (-want +got):\n%s", d)
				}
			}},
		{name: "vpop {d8-d9}", code: []uint32{0xecbd8b04},
			init: func(c *CPU) { c.R[13] = vfpData; writeWords(t, c, vfpData, 1, 2, 3, 4) },
			want: func(s *vfpSnap) { s.D[8], s.D[9] = 2<<32|1, 4<<32|3; s.R[13] = vfpData + 16 }},
		{name: "vpush {s1-s2}", code: []uint32{0xed6d0a02},
			init: func(c *CPU) { c.R[13] = vfpData + 0x100; c.SetSReg(1, 11); c.SetSReg(2, 22) },
			want: func(s *vfpSnap) { s.R[13] = vfpData + 0xf8 },
			mem: func(t *testing.T, c *CPU) {
				if d := cmp.Diff([]uint32{11, 22}, readWords(t, c, vfpData+0xf8, 2)); d != "" {
					t.Errorf("memory (-want +got):\n%s", d)
				}
			}},
		{name: "fstmiax r2!, {d0-d1}", code: []uint32{0xeca20b05},
			init: func(c *CPU) { c.R[2] = vfpData; c.SetDReg(0, 2<<32|1); c.SetDReg(1, 4<<32|3) },
			want: func(s *vfpSnap) { s.R[2] = vfpData + 20 }, // imm8 = 5 words
			mem: func(t *testing.T, c *CPU) {
				if d := cmp.Diff([]uint32{1, 2, 3, 4, 0}, readWords(t, c, vfpData, 5)); d != "" {
					t.Errorf("memory (-want +got):\n%s", d)
				}
			}},
		{name: "fldmdbx r2!, {d0-d1}", code: []uint32{0xed320b05},
			init: func(c *CPU) { c.R[2] = vfpData + 20; writeWords(t, c, vfpData, 1, 2, 3, 4, 5) },
			want: func(s *vfpSnap) { s.D[0], s.D[1] = 2<<32|1, 4<<32|3; s.R[2] = vfpData }},
		{name: "vldmia pc, {d0}", code: []uint32{0xec9f0b02}, arm: true,
			init: func(c *CPU) { writeWords(t, c, testRAMBase+8, 0xaaaa, 0xbbbb) },
			want: func(s *vfpSnap) { s.D[0] = 0xbbbb<<32 | 0xaaaa }},
		{name: "vldr s3, [pc, #8] A32", code: []uint32{0xeddf1a02}, arm: true,
			init: func(c *CPU) { writeWords(t, c, testRAMBase+12, 0x1111, 0x2222) },
			want: func(s *vfpSnap) { setS(&s.D, 3, 0x2222) }}, // PC+8+8
	})
}

// TestVFPLiteralThumb checks Align(PC, 4) of a T32 PC-relative VLDR/VSTR
// at a halfword-aligned address.
func TestVFPLiteralThumb(t *testing.T) {
	// nop; vldr s3, [pc, #8]; vstr s3, [pc, #8]; b .
	c := newVFPTestCPU(t, true, 0xbf00, 0xeddf, 0x1a02, 0xedcf, 0x1a02, 0xe7fe)
	writeWords(t, c, testRAMBase+0xc, 0x12345678)
	runN(t, c, 4)
	if got := c.SReg(3); got != 0x12345678 {
		t.Errorf("vldr: s3 = %#x, want 0x12345678 (from Align(0x%x, 4) + 8)", got, testRAMBase+6)
	}
	// vstr at testRAMBase+6: Align(+10, 4) + 8 = +16.
	if got := readWords(t, c, testRAMBase+16, 1)[0]; got != 0x12345678 {
		t.Errorf("vstr: memory %#x, want 0x12345678", got)
	}
}

func TestVFPTransfers(t *testing.T) {
	runVFPCases(t, []vfpCase{
		{name: "vmov s3, r4", code: []uint32{0xee014a90},
			init: func(c *CPU) { c.R[4] = 0xdeadbeef },
			want: func(s *vfpSnap) { setS(&s.D, 3, 0xdeadbeef) }},
		{name: "vmov r4, s31", code: []uint32{0xee1f4a90},
			init: func(c *CPU) { c.SetSReg(31, 0xdeadbeef) },
			want: func(s *vfpSnap) { s.R[4] = 0xdeadbeef }},
		{name: "vmov s3, s4, r1, r2", code: []uint32{0xec421a31},
			init: func(c *CPU) { c.R[1], c.R[2] = 1, 2 },
			want: func(s *vfpSnap) { setS(&s.D, 3, 1); setS(&s.D, 4, 2) }},
		{name: "vmov r1, r2, s30, s31", code: []uint32{0xec521a1f},
			init: func(c *CPU) { c.SetDReg(15, 2<<32|1) },
			want: func(s *vfpSnap) { s.R[1], s.R[2] = 1, 2 }},
		{name: "vmov d5, r1, r2", code: []uint32{0xec421b15},
			init: func(c *CPU) { c.R[1], c.R[2] = 0x89abcdef, 0x01234567 },
			want: func(s *vfpSnap) { s.D[5] = 0x0123456789abcdef }},
		{name: "vmov r1, r2, d30", code: []uint32{0xec521b3e},
			init: func(c *CPU) { c.SetDReg(30, 0x0123456789abcdef) },
			want: func(s *vfpSnap) { s.R[1], s.R[2] = 0x89abcdef, 0x01234567 }},
		{name: "vmov.32 d25[1], r3", code: []uint32{0xee293b90},
			init: func(c *CPU) { c.R[3] = 7; c.SetDReg(25, 0x1111111122222222) },
			want: func(s *vfpSnap) { s.D[25] = 0x0000000722222222 }},
		{name: "vmov.32 r3, d30[0]", code: []uint32{0xee1e3b90},
			init: func(c *CPU) { c.SetDReg(30, 0x1111111122222222) },
			want: func(s *vfpSnap) { s.R[3] = 0x22222222 }},
		{name: "vmov r1, r1, d3 (UNPREDICTABLE: Rt2 wins)", code: []uint32{0xec511b13},
			init: func(c *CPU) { c.SetDReg(3, 0x1111111122222222) },
			want: func(s *vfpSnap) { s.R[1] = 0x11111111 }},
		{name: "vmov pc, s0 (UNPREDICTABLE: APSR_nzcv)", code: []uint32{0xee10fa10},
			init: func(c *CPU) { c.SetSReg(0, 0xa0000000) },
			want: func(s *vfpSnap) { s.N, s.Z, s.C, s.V = true, false, true, false }},
		{name: "vmov s1, pc (UNPREDICTABLE: the PC value)", code: []uint32{0xee00fa90}, arm: true,
			want: func(s *vfpSnap) { setS(&s.D, 1, testRAMBase+8) }},
		{name: "vmov d16, r0, r1 then vmov s0, s1, r2, r3", code: []uint32{0xec410b30, 0xec432a10},
			init: func(c *CPU) { c.R[0], c.R[1], c.R[2], c.R[3] = 1, 2, 3, 4 },
			want: func(s *vfpSnap) { s.D[16] = 2<<32 | 1; s.D[0] = 4<<32 | 3 }},
	})
}

// TestVFPTransferToPC checks the UNPREDICTABLE transfers to the PC:
// VMOV Rt, Rt2, Dm with Rt2 = PC and VMOV.32 PC, Dn[x] branch to the value
// (BranchWritePC), as qemu-arm 7.2 does.
func TestVFPTransferToPC(t *testing.T) {
	for _, insn := range []uint32{0xec5f1b13, 0xee33fb10} { // vmov r1, pc, d3; vmov.32 pc, d3[1]
		for _, thumb := range []bool{false, true} {
			c := newVFPTestCPU(t, thumb, code32(thumb, []uint32{insn})...)
			c.SetDReg(3, uint64(testRAMBase+0x203)<<32|0x55)
			runN(t, c, 1)
			want := uint32(testRAMBase + 0x200)
			if thumb {
				want = testRAMBase + 0x202
			}
			wantR1 := uint32(0)
			if insn == 0xec5f1b13 {
				wantR1 = 0x55
			}
			if c.R[1] != wantR1 || c.R[15] != want || c.T != thumb {
				t.Errorf("%#08x thumb=%v: r1 %#x pc %#x T %v, want r1 %#x pc %#x", insn, thumb, c.R[1], c.R[15], c.T, wantR1, want)
			}
		}
	}
}

func TestVFPSystemRegisters(t *testing.T) {
	runVFPCases(t, []vfpCase{
		{name: "vmsr fpscr, r3", code: []uint32{0xeee13a10},
			init: func(c *CPU) { c.R[3] = 0xffffffff },
			want: func(s *vfpSnap) { s.FPSCR = 0xf7f7009f }},
		{name: "vmrs r3, fpscr", code: []uint32{0xeef13a10},
			init: func(c *CPU) { c.SetFPSCR(0x83c00011) },
			want: func(s *vfpSnap) { s.R[3] = 0x83c00011 }},
		{name: "vmrs APSR_nzcv, fpscr", code: []uint32{0xeef1fa10},
			init: func(c *CPU) { c.SetFPSCR(0x30000000); c.N = true },
			want: func(s *vfpSnap) { s.N, s.Z, s.C, s.V = false, false, true, true }},
		{name: "vmrs r1, fpsid", code: []uint32{0xeef01a10}, want: func(s *vfpSnap) { s.R[1] = 0x410430f0 }},
		{name: "vmrs r1, mvfr0", code: []uint32{0xeef71a10}, want: func(s *vfpSnap) { s.R[1] = 0x10110222 }},
		{name: "vmrs r1, mvfr1", code: []uint32{0xeef61a10}, want: func(s *vfpSnap) { s.R[1] = 0x11000011 }},
		{name: "vmrs r1, fpexc", code: []uint32{0xeef81a10}, want: func(s *vfpSnap) { s.R[1] = 0x40000000 }},
		{name: "vmsr fpexc, r1", code: []uint32{0xeee81a10},
			init: func(c *CPU) { c.R[1] = 0xffffffff }},
		{name: "vmsr fpsid, r1 (ignored)", code: []uint32{0xeee01a10},
			init: func(c *CPU) { c.R[1] = 0 }},
	})
}

// vfpSetCPACR writes CPACR through the CP15 model.
func vfpSetCPACR(t *testing.T, c *CPU, v uint32) {
	t.Helper()
	if !c.cp[15].MCR(0, 1, 0, 2, v, true) {
		t.Fatal("CPACR write refused")
	}
}

func TestVFPAccessControl(t *testing.T) {
	const (
		vadd       = 0xee300a81 // vadd.f32 s0, s1, s2
		vmrsFPSCR  = 0xeef13a10 // vmrs r3, fpscr
		vmrsFPEXC  = 0xeef81a10 // vmrs r1, fpexc
		vmrsFPSID  = 0xeef01a10 // vmrs r1, fpsid
		vmrsMVFR0  = 0xeef71a10
		vmsrFPEXC  = 0xeee81a10 // vmsr fpexc, r1
		vmsrFPSCR  = 0xeee13a10 // vmsr fpscr, r3
		vldr       = 0xed912b00 // vldr d2, [r1]
		vmovToCore = 0xee1f4a90 // vmov r4, s31
	)
	type step struct {
		insn  uint32
		undef bool
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, c *CPU)
		steps []step
	}{
		{"FPEXC.EN clear", func(t *testing.T, c *CPU) { c.SetFPEXC(0) },
			[]step{{vadd, true}, {vmrsFPSCR, true}, {vmsrFPSCR, true}, {vldr, true}, {vmovToCore, true},
				{vmrsFPEXC, false}, {vmrsFPSID, false}, {vmrsMVFR0, false}, {vmsrFPEXC, false}}},
		{"User mode", func(t *testing.T, c *CPU) { c.switchMode(ModeUSR) },
			[]step{{vadd, false}, {vmrsFPSCR, false}, {vmsrFPSCR, false}, {vldr, false},
				{vmrsFPEXC, true}, {vmrsFPSID, true}, {vmrsMVFR0, true}, {vmsrFPEXC, true}}},
		{"CPACR reset value", func(t *testing.T, c *CPU) { c.EnableCP15(CP15Config{}) },
			[]step{{vadd, true}, {vmrsFPSCR, true}, {vmrsFPEXC, true}, {vmrsFPSID, true}, {vmsrFPEXC, true}}},
		{"CPACR PL1 only, privileged", func(t *testing.T, c *CPU) {
			c.EnableCP15(CP15Config{})
			vfpSetCPACR(t, c, 0x00500000)
		}, []step{{vadd, false}, {vmrsFPEXC, false}, {vldr, false}}},
		{"CPACR PL1 only, User", func(t *testing.T, c *CPU) {
			c.EnableCP15(CP15Config{})
			vfpSetCPACR(t, c, 0x00500000)
			c.switchMode(ModeUSR)
		}, []step{{vadd, true}, {vmrsFPSCR, true}, {vldr, true}}},
		{"CPACR full, User", func(t *testing.T, c *CPU) {
			c.EnableCP15(CP15Config{})
			vfpSetCPACR(t, c, 0x00f00000)
			c.switchMode(ModeUSR)
		}, []step{{vadd, false}, {vmrsFPSCR, false}, {vldr, false}}},
		{"CPACR reserved 0b10", func(t *testing.T, c *CPU) {
			c.EnableCP15(CP15Config{})
			vfpSetCPACR(t, c, 0x00a00000)
		}, []step{{vadd, true}, {vmrsFPEXC, true}}},
		{"FPSCR.Len non-zero", func(t *testing.T, c *CPU) { c.SetFPSCR(1 << 16) },
			[]step{{vadd, true}, {0xeeb00a60, true}, {0xeeb00ae0, true}, {0xeef71a00, true}, {0xeea10b02, true},
				{0xeeb40b41, false}, {0xeeb70ac0, false}, {vldr, false}, {vmrsFPSCR, false}, {vmovToCore, false}}},
		{"FPSCR.Stride non-zero", func(t *testing.T, c *CPU) { c.SetFPSCR(3 << 20) },
			[]step{{0xee210b02, true}, {0xeeb40b41, false}}},
	}
	for _, tc := range tests {
		for _, thumb := range []bool{false, true} {
			for _, st := range tc.steps {
				what := fmt.Sprintf("%s: %#08x thumb=%v", tc.name, st.insn, thumb)
				c := newVFPTestCPU(t, thumb, code32(thumb, []uint32{st.insn})...)
				c.R[1] = vfpData
				tc.setup(t, c)
				c.R[15], c.T = testRAMBase, thumb
				if st.undef {
					vfpExpectUndef(t, c, what)
					continue
				}
				mode := c.Mode()
				c.Run(1)
				if c.Mode() != mode || c.R[15] != testRAMBase+4 {
					t.Errorf("%s: mode %#x pc %#x, want it to run", what, c.Mode(), c.R[15])
				}
			}
		}
	}
}

// TestVFPEnableInBlock checks that enabling the extension takes effect for
// the next instruction of the same block, and that a VFP instruction
// whose condition fails does not trap while the extension is disabled.
func TestVFPEnableInBlock(t *testing.T) {
	// vaddne.f32 s0, s1, s2; vmsr fpexc, r1; vadd.f32 s0, s1, s2; b .
	c := newVFPTestCPU(t, false, 0x1e300a81, 0xeee81a10, 0xee300a81, 0xeafffffe)
	c.SetFPEXC(0)
	c.Z = true
	c.R[1] = fpexcEN
	c.SetSReg(1, f32One)
	c.SetSReg(2, f32Two)
	runN(t, c, 3)
	if c.Mode() != ModeSVC || c.SReg(0) != f32Three || c.FPEXC() != fpexcEN {
		t.Errorf("mode %#x s0 %#x fpexc %#x, want SVC, 3.0, EN", c.Mode(), c.SReg(0), c.FPEXC())
	}
}

// TestVFPInITBlock runs VFP instructions under IT: the condition comes
// from the IT state.
func TestVFPInITBlock(t *testing.T) {
	// ite eq; vaddeq.f32 s0, s1, s2; vsubne.f32 s3, s1, s2; b .
	for _, z := range []bool{false, true} {
		c := newVFPTestCPU(t, true, 0xbf0c, 0xee30, 0x0a81, 0xee70, 0x1ac1, 0xe7fe)
		c.Z = z
		c.SetSReg(1, f32Three)
		c.SetSReg(2, f32One)
		runN(t, c, 3)
		got := [2]uint32{c.SReg(0), c.SReg(3)}
		want := [2]uint32{0, f32Two}
		if z {
			want = [2]uint32{0x40800000, 0}
		}
		if got != want {
			t.Errorf("Z=%v: s0, s3 = %#x, want %#x", z, got, want)
		}
	}
}

// TestVFPUndefinedEncodings checks encodings that must be UNDEFINED:
// Advanced SIMD (not implemented), and the UNPREDICTABLE encodings QEMU
// makes UNDEFINED.
func TestVFPUndefinedEncodings(t *testing.T) {
	tests := []struct {
		name  string
		insn  uint32
		thumb bool
		arm   bool
	}{
		{"vadd.f32 d0, d1, d2 (Advanced SIMD)", 0xf2010d02, false, true},
		{"vadd.f32 d0, d1, d2 (Advanced SIMD, T32)", 0xef010d02, true, false},
		{"vmul.f32 q0, q1, q2", 0xf3020d54, false, true},
		{"vmul.f32 q0, q1, q2 (T32)", 0xff020d54, true, false},
		{"vld1.32 {d0}, [r1]", 0xf421078f, false, true},
		{"vld1.32 {d0}, [r1] (T32)", 0xf921078f, true, false},
		{"vdup.32 d0, r1", 0xee801b10, true, true},
		{"vmov.8 d0[1], r1", 0xee401b30, true, true},
		{"vmov.s8 r1, d0[1]", 0xee501b30, true, true},
		{"vmov.16 d0[1], r1", 0xee001b70, true, true},
		{"vmov.u16 r1, d0[1]", 0xee901b70, true, true},
		{"vmov.f32 s0, #31.0 with bit 5 set", 0xeeb30a2f, true, true},
		{"vcmp.f32 s0, #0 with Vm != 0", 0xeeb50a41, true, true},
		{"vldmia r1, {} (imm8 = 0)", 0xec910a00, true, true},
		{"vldmia pc!, {d0}", 0xecbf0b02, true, true},
		{"vldmia r1, 17 doubleword registers", 0xec910b22, true, true},
		{"vldmia r1, {d30-d32}", 0xecd1eb06, true, true},
		{"vldmia r1, {s31-s32}", 0xecd1fa02, true, true},
		{"vldmia r1!, P=U=0 W=1", 0xec310a01, true, true},
		{"vldmib r1!, P=U=1 W=1", 0xedb10a01, true, true},
		{"vmrs r1, <reg 2>", 0xeef21a10, true, true},
		{"vmrs r1, mvfr2 (ARMv8)", 0xeef51a10, true, true},
		{"vmrs r1, fpinst", 0xeef91a10, true, true},
		{"vmsr fpinst2, r1", 0xeeea1a10, true, true},
		{"vmrs with bit 7 set", 0xeef11a90, true, true},
		{"vadd.f32 with the unconditional prefix", 0xfe300a81, true, true},
		{"vadd.f16 (coprocessor 9)", 0xee300981, true, true},
		{"vcvt.f64.s32 with opc2=001 (VJCVT)", 0xeeb90bc0, true, true},
	}
	for _, tc := range tests {
		if tc.arm {
			c := newVFPTestCPU(t, false, tc.insn)
			vfpExpectUndef(t, c, tc.name)
		}
		if tc.thumb {
			c := newVFPTestCPU(t, true, tc.insn>>16, tc.insn&0xffff)
			vfpExpectUndef(t, c, tc.name+" (T32)")
		}
	}
}

// vfpExpectAbort runs one instruction and checks that it took a Data
// Abort with the given fault status and address.
func vfpExpectAbort(t *testing.T, c *CPU, what string, fs, far uint32) {
	t.Helper()
	c.mem.sys.vbar = vfpVectors
	for off := uint32(0); off < 0x20; off += 4 {
		writeWords(t, c, vfpVectors+off, 0xeafffffe)
	}
	c.Run(1)
	if c.Mode() != ModeABT || c.R[15] != vfpVectors+0x10 || c.mem.sys.dfsr&0xc0f != fs || c.mem.sys.dfar != far {
		t.Errorf("%s: mode %#x pc %#x dfsr %#x dfar %#x, want a data abort (fs %#x, far %#x)",
			what, c.Mode(), c.R[15], c.mem.sys.dfsr, c.mem.sys.dfar, fs, far)
	}
}

// TestVFPFaults checks alignment faults and that an aborted load leaves
// every register unchanged.
func TestVFPFaults(t *testing.T) {
	const ramEnd = testRAMBase + 1<<20
	tests := []struct {
		name    string
		insn    uint32
		r1      uint32
		fs, far uint32
		store   bool
	}{
		{"vldr s0, [r1] misaligned", 0xed910a00, vfpData + 2, fsAlignment, vfpData + 2, false},
		{"vldr d0, [r1] word-aligned only", 0xed910b00, vfpData + 4, 0, 0, false},
		{"vldr d0, [r1] second word outside RAM", 0xed910b00, ramEnd - 4, fsExtAbort, ramEnd, false},
		{"vldmia r1!, {d0-d3} faulting on the last word", 0xecb10b08, ramEnd - 28, fsExtAbort, ramEnd, false},
		{"vstmia r1!, {d0-d3} faulting on the last word", 0xeca10b08, ramEnd - 28, fsExtAbort, ramEnd, true},
		{"vstr s0, [r1] misaligned", 0xed810a00, vfpData + 1, fsAlignment, vfpData + 1, true},
	}
	for _, tc := range tests {
		for _, thumb := range []bool{false, true} {
			what := fmt.Sprintf("%s thumb=%v", tc.name, thumb)
			c := newVFPTestCPU(t, thumb, code32(thumb, []uint32{tc.insn})...)
			c.R[1] = tc.r1
			for i := 0; i < 4; i++ {
				c.SetDReg(i, uint64(i+1)*0x1111111111111111)
			}
			before := snapVFP(c)
			if tc.fs == 0 {
				runN(t, c, 1)
				if c.Mode() != ModeSVC || c.DReg(0) == before.D[0] {
					t.Errorf("%s: did not load (mode %#x)", what, c.Mode())
				}
				continue
			}
			if tc.fs&fsWnR == 0 && tc.store {
				tc.fs |= fsWnR
			}
			vfpExpectAbort(t, c, what, tc.fs, tc.far)
			after := snapVFP(c)
			if d := cmp.Diff(before.D, after.D); d != "" {
				t.Errorf("%s: registers changed (-want +got):\n%s", what, d)
			}
			if c.R[1] != tc.r1 {
				t.Errorf("%s: r1 = %#x, want %#x (no writeback)", what, c.R[1], tc.r1)
			}
		}
	}
}

// TestVFPBigEndian checks the word order of doubleword transfers with
// CPSR.E set: the word at the lower address is the high half.
func TestVFPBigEndian(t *testing.T) {
	// vldr d2, [r1]; vstmia r2, {d2}; vldr s0, [r1]; b .
	c := newVFPTestCPU(t, false, 0xed912b00, 0xec822b02, 0xed910a00, 0xeafffffe)
	c.setE(true)
	c.R[1], c.R[2] = vfpData, vfpData+0x40
	if err := c.WriteMem(vfpData, []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}); err != nil {
		t.Fatal(err)
	}
	runN(t, c, 4)
	if got := c.DReg(2); got != 0x0123456789abcdef {
		t.Errorf("vldr d2: %#x, want 0x0123456789abcdef", got)
	}
	if got := c.SReg(0); got != 0x01234567 {
		t.Errorf("vldr s0: %#x, want 0x01234567", got)
	}
	var b [8]byte
	if err := c.ReadMem(vfpData+0x40, b[:]); err != nil {
		t.Fatal(err)
	}
	if b != [8]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef} {
		t.Errorf("vstmia d2: memory % x", b)
	}
}

// TestVFPReset checks the reset state: disabled, registers and FPSCR zero.
func TestVFPReset(t *testing.T) {
	c := newVFPTestCPU(t, false)
	c.SetDReg(7, 1)
	c.SetFPSCR(sf.DN)
	c.Reset()
	if c.FPEXC() != 0 || c.FPSCR() != 0 || c.DReg(7) != 0 {
		t.Errorf("after reset: fpexc %#x fpscr %#x d7 %#x, want all zero", c.FPEXC(), c.FPSCR(), c.DReg(7))
	}
}
