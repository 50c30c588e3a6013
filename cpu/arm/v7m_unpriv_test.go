package arm

import "testing"

// TestMUnprivilegedForms: LDRT, STRT, LDRBT from privileged code access
// memory as unprivileged code would (ARMv7-M ARM A7.7.52 etc.): the MPU
// checks them with unprivileged permissions (MemManage DACCVIOL), and
// the System Control Space refuses them (BusFault PRECISERR, B3.2.1),
// while LDR and STR to the same addresses succeed.
func TestMUnprivilegedForms(t *testing.T) {
	const (
		sram  = mTestSRAM // region 0: privileged RW, unprivileged none
		cpuid = 0xe000ed00
		vtor  = 0xe000ed08
	)
	tests := []struct {
		asm  string
		insn []byte
		addr uint32
		cfsr uint32 // 0: no fault
	}{
		{"ldrt r1, [r0] (MPU)", []byte{0x50, 0xf8, 0x00, 0x1e}, sram, cfsrDACCVIOL | cfsrMMARVALID},
		{"strt r1, [r0] (MPU)", []byte{0x40, 0xf8, 0x00, 0x1e}, sram, cfsrDACCVIOL | cfsrMMARVALID},
		{"ldr r1, [r0] (MPU)", []byte{0x01, 0x68, 0x00, 0xbf}, sram, 0},
		{"ldrt r1, [r0] (SCS)", []byte{0x50, 0xf8, 0x00, 0x1e}, cpuid, cfsrPRECISERR | cfsrBFARVALID},
		{"ldrbt r1, [r0] (SCS)", []byte{0x10, 0xf8, 0x00, 0x1e}, cpuid, cfsrPRECISERR | cfsrBFARVALID},
		{"strt r1, [r0] (SCS)", []byte{0x40, 0xf8, 0x00, 0x1e}, vtor, cfsrPRECISERR | cfsrBFARVALID},
		{"ldr r1, [r0] (SCS)", []byte{0x01, 0x68, 0x00, 0xbf}, cpuid, 0},
		{"str r1, [r0] (SCS)", []byte{0x01, 0x60, 0x00, 0xbf}, vtor, 0},
	}
	for _, tt := range tests {
		t.Run(tt.asm, func(t *testing.T) {
			// 0x100: the instruction; 0x104: bkpt (done); 0x106: the
			// fault handlers, bkpt.
			code := append(append([]byte{}, tt.insn...), 0xab, 0xbe, 0xab, 0xbe)
			vec := []uint32{0x20008000, 0x101, 0x107, 0x107, 0x107, 0x107, 0x107}
			c := newMTest(t, MConfig{Model: CortexM3}, mProg{vectors: vec, code: code})
			m := c.m
			m.mpu.rbar[0], m.mpu.rasr[0] = sram, 1<<24|15<<1|rasrENABLE // 64 KiB, AP=01
			m.mpu.ctrl = mpuENABLE | mpuPRIVDEFENA
			m.shcsr = shcsrMEMFAULTEN | shcsrBUSFAULTEN
			c.mUpdate()
			c.mem.flushAll()
			c.R[0], c.R[1] = tt.addr, 0x400
			if why := runM(t, c, nil, 10); why != StopRequest {
				t.Fatalf("stop = %v, pc %#x", why, c.R[15])
			}
			if m.cfsr != tt.cfsr {
				t.Errorf("CFSR = %#x, want %#x (IPSR %d)", m.cfsr, tt.cfsr, c.IPSR())
			}
			if tt.cfsr == 0 && c.IPSR() != 0 || tt.cfsr != 0 && c.IPSR() == 0 {
				t.Errorf("IPSR = %d with CFSR %#x", c.IPSR(), m.cfsr)
			}
			if tt.addr == vtor && (m.vtor == 0x400) != (tt.cfsr == 0) {
				t.Errorf("VTOR = %#x after the store", m.vtor)
			}
		})
	}
}
