package arm

import "math/bits"

// Data-processing ops that are not generated (ops_dp_gen.go holds the
// specialised ALU ops): shifter helpers, the slow path for ALU results
// written to the PC, and the wrapper for other instructions whose
// destination is the PC.

// shiftImmVal is operand 2 of an immediate-shifted register for the rare
// shifts that have no op of their own (ROR, RRX): Shift(R[m], sh, amt, C).
func shiftImmVal(c *CPU, o *Op) uint32 {
	v := c.R[o.rm]
	switch o.sh {
	case shiftLSL:
		return v << o.amt
	case shiftLSR:
		return v >> o.amt
	case shiftASR:
		return uint32(int32(v) >> o.amt)
	case shiftROR:
		return bits.RotateLeft32(v, -int(o.amt))
	default: // RRX
		return v>>1 | bool2u(c.C)<<31
	}
}

// shiftImmC is shiftImmVal with the shifter carry out (Shift_C).
func shiftImmC(c *CPU, o *Op) (uint32, bool) {
	return shiftC(c.R[o.rm], o.sh, uint32(o.amt), c.C)
}

// Fields of imm2 in opDPPC.
const (
	dpOpcMask  = 0xff
	dpExcRet   = 1 << 8 // S=1 with Rd=PC in A32: exception return
	dpFormShft = 9
)

// dpOperand2 computes operand 2 and the shifter carry out of any form.
func dpOperand2(c *CPU, o *Op) (uint32, bool) {
	switch o.imm2 >> dpFormShft {
	case formImm:
		if o.amt == 2 {
			return o.imm, c.C
		}
		return o.imm, o.amt != 0
	case formRsr:
		return shiftC(c.R[o.rm], o.sh, c.R[o.ra]&0xff, c.C)
	default:
		return shiftC(c.R[o.rm], o.sh, uint32(o.amt), c.C)
	}
}

// dpEval computes data-processing operation opc on a and operand 2 (b,
// with shifter carry cy), setting the flags when s is set.
func dpEval(c *CPU, opc uint32, a, b uint32, cy bool, s bool) uint32 {
	var r uint32
	switch opc {
	case dpAND, dpTST:
		r = a & b
	case dpEOR, dpTEQ:
		r = a ^ b
	case dpORR:
		r = a | b
	case dpORN:
		r = a | ^b
	case dpBIC:
		r = a &^ b
	case dpMOV:
		r = b
	case dpMVN:
		r = ^b
	default:
		var x, y uint32
		var cin bool
		switch opc {
		case dpSUB, dpCMP:
			x, y, cin = a, ^b, true
		case dpRSB:
			x, y, cin = b, ^a, true
		case dpADD, dpCMN:
			x, y = a, b
		case dpADC:
			x, y, cin = a, b, c.C
		case dpSBC:
			x, y, cin = a, ^b, c.C
		default: // dpRSC
			x, y, cin = b, ^a, c.C
		}
		var co, ov bool
		r, co, ov = addWithCarry(x, y, cin)
		if s {
			c.setNZ(r)
			c.C, c.V = co, ov
		}
		return r
	}
	if s {
		c.setNZ(r)
		c.C = cy
	}
	return r
}

// opDPPC is any data-processing instruction that writes the PC: the
// result is a branch (ALUWritePC), or with dpExcRet an exception return
// (ARM ARM B9.3.20 SUBS PC, LR and related instructions).
func opDPPC(c *CPU, o *Op) {
	b, cy := dpOperand2(c, o)
	excret := o.imm2&dpExcRet != 0
	r := dpEval(c, o.imm2&dpOpcMask, c.R[o.rn], b, cy, o.s && !excret)
	if excret {
		if c.mode == ModeUSR {
			// UNPREDICTABLE in User mode; like QEMU we take UNDEFINED.
			c.undefined(o)
			return
		}
		c.exceptionReturn(r, c.SPSR())
		return
	}
	c.aluWritePC(r)
}

// pcDestFns lists the ops (other than data processing) that an
// UNPREDICTABLE encoding may run with R15 as a destination; opPCDest runs
// them and then branches to the value they left in R15, as QEMU does (a
// plain BranchWritePC). These ops must not use Op.imm2, which holds the
// index into this table.
var pcDestFns = []opFunc{
	opMul, opMuls, opMla, opMlas, opMls,
	opUmull, opUmulls, opUmlal, opUmlals, opSmull, opSmulls, opSmlal, opSmlals, opUmaal,
	opSmulxy, opSmlaxy, opSmulwy, opSmlawy, opSmlalxy,
	opSmuad, opSmlad, opSmusd, opSmlsd, opSmlald, opSmlsld, opSmmul, opSmmla, opSmmls,
	opSdiv, opUdiv,
	opQadd, opQsub, opQdadd, opQdsub,
	opSsat, opUsat, opSsat16, opUsat16,
	opPar, opPkhbt, opPkhtb, opExtend, opExtendAdd, opUxtb, opUxth, opSxtb, opSxth,
	opSel, opUsad8, opUsada8, opSbfx, opUbfx, opBfi, opBfc, opClz, opRbit, opRev, opRev16, opRevsh, opMovImm, opMovt,
}

func opPCDest(c *CPU, o *Op) {
	pcDestFns[o.imm2](c, o)
	if !c.exit {
		c.branchWritePC(c.R[15])
	}
}

// pcDestIndex returns fn's index in pcDestFns.
func pcDestIndex(fn opFunc) uint32 {
	p := fnPC(fn)
	for i, f := range pcDestFns {
		if fnPC(f) == p {
			return uint32(i)
		}
	}
	panic("BUG: arm: op missing from pcDestFns")
}

// emitDest emits o, an op whose destination registers include the PC when
// pc is set: UNPREDICTABLE for every instruction that uses it, handled as
// QEMU does by branching to the value written.
func (t *translator) emitDest(o Op, pc bool) {
	if pc {
		o.imm2 = pcDestIndex(o.fn)
		o.fn = opPCDest
		t.end = true
	}
	t.emit(o)
}
