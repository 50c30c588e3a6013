package arm

// Branches (ARM ARM A8.8.18 B, A8.8.25 BL/BLX immediate).

// branchImmA32 is the byte offset of an A32 B/BL: imm24:'00' sign-extended.
func branchImmA32(insn uint32) uint32 { return uint32(int32(insn<<8) >> 6) }

func (t *translator) B(f *fields) bool {
	t.emit(Op{fn: opBranch, imm: t.pcRead() + f.i})
	t.end = true
	return true
}

func (t *translator) BL(f *fields) bool {
	lr := t.pc + uint32(t.size)
	if t.thumb {
		lr |= 1
	}
	t.emit(Op{fn: opBranchLink, imm: t.pcRead() + f.i, imm2: lr})
	t.end = true
	return true
}

func opBranch(c *CPU, o *Op) { c.nextPC = o.imm }

func opBranchLink(c *CPU, o *Op) {
	c.R[14] = o.imm2
	c.nextPC = o.imm
}
