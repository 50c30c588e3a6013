package arm

//go:generate go run ops_dpgen.go -o ops_dp_gen.go

// Translation of the data-processing group: ALU operations, MOVW/MOVT,
// multiplies, divides, saturation, parallel add/subtract, pack/extend,
// SEL, USAD8, bitfields, CLZ/RBIT/REV* (ARM ARM A5.2, A5.4, A6.2, A6.3).
// The spec files spec/{a32,t32,t16}_dp.decode list the encodings; their
// header comments document the field letters used here.
//
// Each handler picks, at translate time, an op specialised for the
// operation, the flag setting and the form of operand 2 (ops_dp_gen.go),
// so that running an ALU instruction is one call doing only the work.

// Data-processing opcodes as the spec files' o field gives them: the A32
// encoding's numbering, then ORN (T32 only).
const (
	dpAND = iota
	dpEOR
	dpSUB
	dpRSB
	dpADD
	dpADC
	dpSBC
	dpRSC
	dpTST
	dpTEQ
	dpCMP
	dpCMN
	dpORR
	dpMOV
	dpBIC
	dpMVN
	dpORN
	dpNumOps
)

// Forms of operand 2; each has its own op (ops_dp_gen.go).
const (
	formImm = iota // constant in Op.imm; Op.amt = carry (2 = unchanged)
	formReg        // Rm unshifted
	formLsl        // Rm, LSL #1..31
	formLsr        // Rm, LSR #1..32
	formAsr        // Rm, ASR #1..32
	formShf        // Rm, ROR #n or RRX (Op.sh, Op.amt)
	formRsr        // Rm shifted by Rs (Op.sh, Rs in Op.ra)
	dpNumForms
)

func dpHasDest(opc uint32) bool { return opc < dpTST || opc > dpCMN }

func dpUnary(opc uint32) bool { return opc == dpMOV || opc == dpMVN }

// dpLogical reports whether opc is a logical operation: with S it sets N
// and Z from the result and C from the shifter, and leaves V.
func dpLogical(opc uint32) bool {
	switch opc {
	case dpAND, dpEOR, dpTST, dpTEQ, dpORR, dpMOV, dpBIC, dpMVN, dpORN:
		return true
	}
	return false
}

// dpS resolves a spec S field: 2 is the 16-bit Thumb rule, flags are set
// outside an IT block only.
func (t *translator) dpS(s uint32) bool {
	if s == 2 {
		return !t.inIT()
	}
	return s != 0
}

// DPI is data processing with an immediate operand 2 (fields o, S, d, n,
// i, k; e=1: Rn is Rd, for the two-operand 16-bit Thumb forms).
//
// UNPREDICTABLE (T32): SP or PC as Rd or Rn where the ARM ARM forbids
// them. Like QEMU we execute the instruction plainly: a PC operand reads
// as the instruction's address + 4, SP is an ordinary register, and a PC
// destination is handled by dp.
func (t *translator) DPI(f *fields) bool {
	n := f.n
	if f.e == 1 {
		n = f.d
	}
	return t.dp(f.o, t.dpS(f.S), f.d, n, Op{imm: f.i, amt: uint8(f.k)}, formImm)
}

// DPR is data processing with an immediate-shifted register (fields o, S,
// d, n, m, y, j; e=1: Rn is Rd).
//
// UNPREDICTABLE: T32 SP/PC operands, as for DPI; 16-bit CMP (high
// registers) with two low registers or a PC operand; 16-bit ADD/MOV to
// the PC inside an IT block but not last in it. Like QEMU we execute them
// plainly.
func (t *translator) DPR(f *fields) bool {
	n := f.n
	if f.e == 1 {
		n = f.d
	}
	s := t.dpS(f.S)
	sh, amt := decodeImmShift(f.y, f.j)
	form := formShf
	switch {
	case sh == shiftLSL && amt == 0:
		form = formReg
	case sh == shiftLSL:
		form = formLsl
	case sh == shiftLSR:
		form = formLsr
	case sh == shiftASR:
		form = formAsr
	}
	if f.m == 15 && sh != shiftRRX {
		// Operand 2 from the PC is a constant: fold it.
		v, cy := shiftC(t.pcRead(), sh, uint32(amt), false)
		k := uint8(bool2u(cy))
		if form == formReg {
			k = 2
		}
		return t.dp(f.o, s, f.d, n, Op{imm: v, amt: k}, formImm)
	}
	return t.dp(f.o, s, f.d, n, Op{rm: uint8(f.m), sh: sh, amt: amt}, form)
}

// DPX is data processing with a register-shifted register (fields o, S,
// d, n, m, s, y; e=2: Rm is Rd, for the 16-bit Thumb shifts).
//
// UNPREDICTABLE: any of Rd, Rn, Rm, Rs being the PC (A32). Like QEMU, a
// PC operand reads as the instruction's address + 8 (not + 12 as on some
// hardware), and Rd = PC writes the PC as the other forms do.
func (t *translator) DPX(f *fields) bool {
	m := f.m
	if f.e == 2 {
		m = f.d
	}
	return t.dp(f.o, t.dpS(f.S), f.d, f.n, Op{rm: uint8(m), ra: uint8(f.s), sh: uint8(f.y)}, formRsr)
}

// dp emits data-processing operation opc with operand 2 described by o
// and form.
//
// A destination of the PC: A32 with S=0 is ALUWritePC (interworking); A32
// with S=1 is an exception return (SUBS PC, LR and related instructions,
// ARM ARM B9.3.20) for every operation, as the ARM ARM says (QEMU treats
// only SUBS and MOVS so). In T32 a PC destination is UNPREDICTABLE; like
// QEMU we branch (setting the flags if S), except that MOVS PC is an
// exception return. The 16-bit ADD/MOV to the PC are BranchWritePC.
func (t *translator) dp(opc uint32, s bool, d, n uint32, o Op, form int) bool {
	if !dpHasDest(opc) {
		s = true // compares set the flags even inside an IT block
	}
	o.s = s
	if dpUnary(opc) {
		n = 0
	}
	if !dpHasDest(opc) {
		d = 0
	}
	o.rd, o.rn = uint8(d), uint8(n)
	if dpHasDest(opc) && d == 15 {
		o.fn = opDPPC
		o.imm2 = opc | uint32(form)<<dpFormShft
		if s && (!t.thumb || opc == dpMOV) {
			o.imm2 |= dpExcRet
		}
		t.emit(o)
		t.end = true
		return true
	}
	si := 0
	if s {
		si = 1
	}
	o.fn = dpFns[opc][si][form]
	t.emit(o)
	return true
}

// MOVW Rd, #imm16 and MOVT Rd, #imm16 (A8.8.102, A8.8.106).
// UNPREDICTABLE: Rd = PC (A32), Rd = SP or PC (T32); like QEMU we write
// the register, branching for the PC.
func (t *translator) MOVW(f *fields) bool {
	t.emitDest(Op{fn: opMovImm, rd: uint8(f.d), imm: f.i}, f.d == 15)
	return true
}

func (t *translator) MOVT(f *fields) bool {
	t.emitDest(Op{fn: opMovt, rd: uint8(f.d), imm: f.i}, f.d == 15)
	return true
}

// --- Field functions used by the spec files ---------------------------

// a32Imm16 is imm4:imm12 of A32 MOVW/MOVT.
func a32Imm16(insn uint32) uint32 { return insn>>4&0xf000 | insn&0xfff }

// t32Imm16 is imm4:i:imm3:imm8 of T32 MOVW/MOVT.
func t32Imm16(insn uint32) uint32 {
	return insn>>4&0xf000 | insn>>15&0x800 | insn>>4&0x700 | insn&0xff
}

// t32Imm12 is i:imm3:imm8 of T32 ADDW/SUBW.
func t32Imm12(insn uint32) uint32 { return insn>>15&0x800 | insn>>4&0x700 | insn&0xff }

// bitsRn is bits 19:16, for patterns that fix some of Rn's bits.
func bitsRn(insn uint32) uint32 { return insn >> 16 & 0xf }

// t16Imm8x4 and t16Imm7x4 are the word-scaled immediates of 16-bit ADD
// (SP plus immediate) and ADD/SUB SP, SP, #imm.
func t16Imm8x4(insn uint32) uint32 { return insn & 0xff << 2 }
func t16Imm7x4(insn uint32) uint32 { return insn & 0x7f << 2 }

// --- Multiplies and divides --------------------------------------------
//
// UNPREDICTABLE for all of them: the PC as any operand (and SP in T32),
// RdHi = RdLo for long forms. Like QEMU we read the PC as usual and a PC
// destination branches to the value written (emitDest); RdHi wins when it
// equals RdLo.

func (t *translator) mulOp(fn opFunc, d, n, m, a uint32) {
	t.emitDest(Op{fn: fn, rd: uint8(d), rn: uint8(n), rm: uint8(m), ra: uint8(a)}, d == 15)
}

// longOp emits a long multiply: RdLo in ra, RdHi in rd.
func (t *translator) longOp(fn opFunc, lo, hi, n, m uint32, sh uint8) {
	t.emitDest(Op{fn: fn, rd: uint8(hi), ra: uint8(lo), rn: uint8(n), rm: uint8(m), sh: sh}, lo == 15 || hi == 15)
}

// MUL (fields d, n, m, S; e=2: Rm is Rd, the 16-bit form).
func (t *translator) MUL(f *fields) bool {
	m := f.m
	if f.e == 2 {
		m = f.d
	}
	fn := opMul
	if t.dpS(f.S) {
		fn = opMuls
	}
	t.mulOp(fn, f.d, f.n, m, 0)
	return true
}

func (t *translator) MLA(f *fields) bool {
	fn := opMla
	if f.S != 0 {
		fn = opMlas
	}
	t.mulOp(fn, f.d, f.n, f.m, f.a)
	return true
}

func (t *translator) MLS(f *fields) bool {
	t.mulOp(opMls, f.d, f.n, f.m, f.a)
	return true
}

// MULL is UMULL, UMLAL, SMULL, SMLAL as x = 0..3 (fields l, h, n, m, S).
func (t *translator) MULL(f *fields) bool {
	fns := [4][2]opFunc{
		{opUmull, opUmulls}, {opUmlal, opUmlals}, {opSmull, opSmulls}, {opSmlal, opSmlals},
	}
	t.longOp(fns[f.x&3][f.S&1], f.l, f.h, f.n, f.m, 0)
	return true
}

func (t *translator) UMAAL(f *fields) bool {
	t.longOp(opUmaal, f.l, f.h, f.n, f.m, 0)
	return true
}

// SMULXY, SMLAXY, SMLALXY: x bit 0 = top half of Rn, bit 1 = of Rm.
func (t *translator) SMULXY(f *fields) bool {
	t.emitDest(Op{fn: opSmulxy, rd: uint8(f.d), rn: uint8(f.n), rm: uint8(f.m), sh: uint8(f.x)}, f.d == 15)
	return true
}

func (t *translator) SMLAXY(f *fields) bool {
	t.emitDest(Op{fn: opSmlaxy, rd: uint8(f.d), rn: uint8(f.n), rm: uint8(f.m), ra: uint8(f.a), sh: uint8(f.x)}, f.d == 15)
	return true
}

func (t *translator) SMLALXY(f *fields) bool {
	t.longOp(opSmlalxy, f.l, f.h, f.n, f.m, uint8(f.x))
	return true
}

// SMULWY, SMLAWY: x bit 1 = top half of Rm.
func (t *translator) SMULWY(f *fields) bool {
	t.emitDest(Op{fn: opSmulwy, rd: uint8(f.d), rn: uint8(f.n), rm: uint8(f.m), sh: uint8(f.x)}, f.d == 15)
	return true
}

func (t *translator) SMLAWY(f *fields) bool {
	t.emitDest(Op{fn: opSmlawy, rd: uint8(f.d), rn: uint8(f.n), rm: uint8(f.m), ra: uint8(f.a), sh: uint8(f.x)}, f.d == 15)
	return true
}

// DUAL is SMLAD/SMUAD (x=0) and SMLSD/SMUSD (x=1); a = 15 means no
// accumulate; X swaps the halves of Rm.
func (t *translator) DUAL(f *fields) bool {
	fns := [2][2]opFunc{{opSmlad, opSmuad}, {opSmlsd, opSmusd}}
	fn, a := fns[f.x&1][0], f.a
	if a == 15 {
		fn, a = fns[f.x&1][1], 0
	}
	t.emitDest(Op{fn: fn, rd: uint8(f.d), rn: uint8(f.n), rm: uint8(f.m), ra: uint8(a), sh: uint8(f.X)}, f.d == 15)
	return true
}

// DUALL is SMLALD (x=0) and SMLSLD (x=1).
func (t *translator) DUALL(f *fields) bool {
	fn := opSmlald
	if f.x != 0 {
		fn = opSmlsld
	}
	t.longOp(fn, f.l, f.h, f.n, f.m, uint8(f.X))
	return true
}

// SMML is SMMLA/SMMUL (x=0) and SMMLS (x=1); R rounds; a = 15 means no
// accumulate (SMMUL).
//
// UNPREDICTABLE: SMMLS with Ra = PC. Like QEMU we treat it as SMMUL.
func (t *translator) SMML(f *fields) bool {
	fn := opSmmla
	if f.x != 0 {
		fn = opSmmls
	}
	a := f.a
	if a == 15 {
		fn, a = opSmmul, 0
	}
	t.emitDest(Op{fn: fn, rd: uint8(f.d), rn: uint8(f.n), rm: uint8(f.m), ra: uint8(a), sh: uint8(f.R)}, f.d == 15)
	return true
}

func (t *translator) SDIV(f *fields) bool {
	t.mulOp(opSdiv, f.d, f.n, f.m, 0)
	return true
}

func (t *translator) UDIV(f *fields) bool {
	t.mulOp(opUdiv, f.d, f.n, f.m, 0)
	return true
}

// --- Saturation -------------------------------------------------------

// QADDSUB is QADD, QSUB, QDADD, QDSUB as x = 0..3 (Rd, Rm, Rn).
func (t *translator) QADDSUB(f *fields) bool {
	fns := [4]opFunc{opQadd, opQsub, opQdadd, opQdsub}
	t.mulOp(fns[f.x&3], f.d, f.n, f.m, 0)
	return true
}

// SAT is SSAT (x=0) and USAT (x=1): i = the width to saturate to, y the
// shift type (LSL or ASR), j the shift amount.
func (t *translator) SAT(f *fields) bool {
	sh, amt := decodeImmShift(f.y, f.j)
	fn := opSsat
	if f.x != 0 {
		fn = opUsat
	}
	t.emitDest(Op{fn: fn, rd: uint8(f.d), rn: uint8(f.n), sh: sh, amt: amt, imm: f.i}, f.d == 15)
	return true
}

// SAT16 is SSAT16 (x=0) and USAT16 (x=1): i = the width to saturate to.
//
// UNPREDICTABLE: T32 sat_imm bit 4 set; like QEMU we saturate to that many
// bits, which leaves 16-bit halves unchanged.
func (t *translator) SAT16(f *fields) bool {
	fn := opSsat16
	if f.x != 0 {
		fn = opUsat16
	}
	t.emitDest(Op{fn: fn, rd: uint8(f.d), rn: uint8(f.n), imm: f.i}, f.d == 15)
	return true
}

// --- Parallel add/subtract, packing, extension -------------------------

// PAR is the parallel add/subtract group: x = prefix*6 + operation (see
// parS and parADD16).
func (t *translator) PAR(f *fields) bool {
	t.emitDest(Op{fn: opPar, rd: uint8(f.d), rn: uint8(f.n), rm: uint8(f.m), sh: uint8(f.x)}, f.d == 15)
	return true
}

// PKH is PKHBT (x=0, Rm LSL #j) and PKHTB (x=1, Rm ASR #j, 0 meaning 32).
func (t *translator) PKH(f *fields) bool {
	fn, amt := opPkhbt, uint8(f.j)
	if f.x != 0 {
		fn = opPkhtb
		if amt == 0 {
			amt = 32
		}
	}
	t.emitDest(Op{fn: fn, rd: uint8(f.d), rn: uint8(f.n), rm: uint8(f.m), amt: amt}, f.d == 15)
	return true
}

// EXT is the extend group: x = extSXTB..extUXTB16, q = rotation in bits,
// n = 15 for the forms without accumulate.
func (t *translator) EXT(f *fields) bool {
	o := Op{fn: opExtendAdd, rd: uint8(f.d), rn: uint8(f.n), rm: uint8(f.m), sh: uint8(f.x), amt: uint8(f.q)}
	if f.n == 15 {
		o.rn = 0
		o.fn = opExtend
		if f.q == 0 {
			switch f.x {
			case extUXTB:
				o.fn = opUxtb
			case extUXTH:
				o.fn = opUxth
			case extSXTB:
				o.fn = opSxtb
			case extSXTH:
				o.fn = opSxth
			}
		}
	}
	t.emitDest(o, f.d == 15)
	return true
}

func (t *translator) SEL(f *fields) bool {
	t.mulOp(opSel, f.d, f.n, f.m, 0)
	return true
}

// USADA8 with a = 15 is USAD8.
func (t *translator) USADA8(f *fields) bool {
	if f.a == 15 {
		t.mulOp(opUsad8, f.d, f.n, f.m, 0)
	} else {
		t.mulOp(opUsada8, f.d, f.n, f.m, f.a)
	}
	return true
}

// --- Bitfields and bit operations --------------------------------------

// BFX is SBFX (x=0) and UBFX (x=1): b = lsb, w = width.
//
// UNPREDICTABLE: lsb + width > 32; like QEMU we take UNDEFINED.
func (t *translator) BFX(f *fields) bool {
	if f.b+f.w > 32 {
		return false
	}
	fn := opSbfx
	if f.x != 0 {
		fn = opUbfx
	}
	mask := uint32(1)<<f.w - 1 // f.w = 32: Go shifts to 0, and 0 - 1 is all ones
	t.emitDest(Op{fn: fn, rd: uint8(f.d), rn: uint8(f.n), sh: uint8(f.b), amt: uint8(f.w - 1), imm: mask}, f.d == 15)
	return true
}

// BFI is BFI, and BFC when n = 15: b = lsb, w = msb - lsb + 1.
//
// UNPREDICTABLE: msb < lsb; like QEMU we take UNDEFINED.
func (t *translator) BFI(f *fields) bool {
	if int32(f.w) <= 0 {
		return false
	}
	mask := (uint32(1)<<f.w - 1) << f.b
	o := Op{fn: opBfi, rd: uint8(f.d), rn: uint8(f.n), sh: uint8(f.b), imm: mask}
	if f.n == 15 {
		o.fn, o.rn = opBfc, 0
	}
	t.emitDest(o, f.d == 15)
	return true
}

// CLZ, RBIT, REV, REV16, REVSH Rd, Rm.
// UNPREDICTABLE (T32): the two copies of Rm differ; like QEMU we use the
// one in bits 3:0.
func (t *translator) CLZ(f *fields) bool   { t.mulOp(opClz, f.d, 0, f.m, 0); return true }
func (t *translator) RBIT(f *fields) bool  { t.mulOp(opRbit, f.d, 0, f.m, 0); return true }
func (t *translator) REV(f *fields) bool   { t.mulOp(opRev, f.d, 0, f.m, 0); return true }
func (t *translator) REV16(f *fields) bool { t.mulOp(opRev16, f.d, 0, f.m, 0); return true }
func (t *translator) REVSH(f *fields) bool { t.mulOp(opRevsh, f.d, 0, f.m, 0); return true }

// Field functions of the saturate, bitfield and extend patterns.

func a32SsatImm(insn uint32) uint32  { return insn>>16&0x1f + 1 }
func a32Sat16Imm(insn uint32) uint32 { return insn>>16&0xf + 1 }
func t32SsatImm(insn uint32) uint32  { return insn&0x1f + 1 }
func t32Sat16Imm(insn uint32) uint32 { return insn&0x1f + 1 }

// a32SatSh and t32SatSh give the sh bit as a shift type: LSL or ASR.
func a32SatSh(insn uint32) uint32 { return insn >> 5 & 2 }
func t32SatSh(insn uint32) uint32 { return insn >> 20 & 2 }

func a32BfxWidth(insn uint32) uint32 { return insn>>16&0x1f + 1 }
func t32BfxWidth(insn uint32) uint32 { return insn&0x1f + 1 }

// a32BfiWidth and t32BfiWidth are msb - lsb + 1, which wraps when msb < lsb.
func a32BfiWidth(insn uint32) uint32 { return insn>>16&0x1f - insn>>7&0x1f + 1 }
func t32BfiWidth(insn uint32) uint32 {
	return insn&0x1f - (insn>>10&0x1c | insn>>6&3) + 1
}

// a32Rot and t32Rot are the extend rotation in bits.
func a32Rot(insn uint32) uint32 { return insn >> 7 & 0x18 }
func t32Rot(insn uint32) uint32 { return insn >> 1 & 0x18 }

// a32Shift32 is the imm5 shift amount of A32 LSR/ASR (immediate), where 0
// means 32.
func a32Shift32(insn uint32) uint32 {
	if j := insn >> 7 & 0x1f; j != 0 {
		return j
	}
	return 32
}

// t32Shift32 is imm3:imm2 of T32 PKHTB, where 0 means 32.
func t32Shift32(insn uint32) uint32 {
	if j := insn>>10&0x1c | insn>>6&3; j != 0 {
		return j
	}
	return 32
}
