package arm

import "testing"

// vfpVectors is where vfpExpectUndef puts the exception vectors.
const vfpVectors = testRAMBase + 0x8000

// vfpExpectUndef runs one instruction and checks that it took the
// Undefined Instruction exception: Undefined mode, PC at the vector, LR
// the instruction's address + 4 (ARM) or + 2 (Thumb, whatever the size;
// ARM ARM B1.8.3). The vectors are moved into RAM, each a branch to
// itself.
func vfpExpectUndef(t *testing.T, c *CPU, what string) {
	t.Helper()
	c.mem.sys.vbar = vfpVectors
	for off := uint32(0); off < 0x20; off += 4 {
		if err := c.WriteMem(vfpVectors+off, []byte{0xfe, 0xff, 0xff, 0xea}); err != nil {
			t.Fatal(err)
		}
	}
	pc, thumb := c.R[15], c.T
	c.Run(1)
	lr := pc + 4
	if thumb {
		lr = pc + 2
	}
	if c.Mode() != ModeUND || c.R[15] != vfpVectors+4 || c.R[14] != lr {
		t.Errorf("%s: mode %#x PC %#x LR %#x, want UNDEFINED (mode %#x, PC %#x, LR %#x)",
			what, c.Mode(), c.R[15], c.R[14], ModeUND, vfpVectors+4, lr)
	}
}
