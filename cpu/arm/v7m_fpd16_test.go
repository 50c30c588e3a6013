package arm

import "testing"

// TestMFPD16: FPv4-SP-D16 has D0-D15 only; the encodings that name
// D16-D31 are UNDEFINED, a UsageFault UNDEFINSTR (ARMv7-M ARM A2.5, and
// QEMU 7.2 without aa32_simd_r32), while the same forms on D0-D15 run.
func TestMFPD16(t *testing.T) {
	tests := []struct {
		asm   string
		insn  [2]uint16 // T32 halfwords
		undef bool
	}{
		{"vldr d16, [r0]", [2]uint16{0xedd0, 0x0b00}, true},
		{"vldr d15, [r0]", [2]uint16{0xed90, 0xfb00}, false},
		{"vstr d16, [r0]", [2]uint16{0xedc0, 0x0b00}, true},
		{"vldmia r0, {d15-d16}", [2]uint16{0xec90, 0xfb04}, true},
		{"vldmia r0, {d14-d15}", [2]uint16{0xec90, 0xeb04}, false},
		{"vpush {d16}", [2]uint16{0xed6d, 0x0b02}, true},
		{"vmov d16, r1, r2", [2]uint16{0xec42, 0x1b30}, true},
		{"vmov d15, r1, r2", [2]uint16{0xec42, 0x1b1f}, false},
		{"vmov r1, r2, d17", [2]uint16{0xec52, 0x1b31}, true},
		{"vmov.32 d16[0], r1", [2]uint16{0xee00, 0x1b90}, true},
		{"vmov.32 r1, d16[1]", [2]uint16{0xee30, 0x1b90}, true},
		{"vmov.32 r1, d15[1]", [2]uint16{0xee3f, 0x1b10}, false},
	}
	for _, tt := range tests {
		t.Run(tt.asm, func(t *testing.T) {
			// 0x100: the instruction; 0x104: bkpt (done); 0x106: the
			// HardFault and UsageFault handler, bkpt.
			code := []byte{
				byte(tt.insn[0]), byte(tt.insn[0] >> 8), byte(tt.insn[1]), byte(tt.insn[1] >> 8),
				0xab, 0xbe, 0xab, 0xbe,
			}
			vec := []uint32{0x20008000, 0x101, 0x107, 0x107, 0x107, 0x107, 0x107}
			c := newMTest(t, MConfig{Model: CortexM4}, mProg{vectors: vec, code: code})
			c.m.cpacr = 0xf << 20 // CP10 and CP11: full access
			c.m.shcsr = shcsrUSGFAULTEN
			c.R[0] = mTestSRAM
			c.R[13] = 0x20008000
			if why := runM(t, c, nil, 10); why != StopRequest {
				t.Fatalf("stop = %v, pc %#x", why, c.R[15])
			}
			got := c.m.cfsr&cfsrUNDEFINSTR != 0
			if got != tt.undef || got != (c.IPSR() == excUsageFault) {
				t.Errorf("UNDEFINSTR %v, IPSR %d (CFSR %#x); want UNDEFINSTR %v", got, c.IPSR(), c.m.cfsr, tt.undef)
			}
		})
	}
}
