package arm

import "math/bits"

// Loads and stores (ARM ARM A5.3, A5.2.8, A6.2.4, A6.3.7-A6.3.10): the
// translator side. Each handler picks the cheapest op for the encoding:
// the plain forms (immediate offset, pre/post-indexed with writeback,
// register offset LSL #n) get one specialised op per access kind; the
// rest (unprivileged forms, other shifts, subtracted register offsets,
// loads into the PC, writeback to the PC) go through opLdSt.
//
// UNPREDICTABLE encodings behave as QEMU (target/arm/tcg/translate.c)
// executes them; each choice is marked "UNPREDICTABLE:" at its handler.

// lsKind names the access of a single load/store.
type lsKind uint8

const (
	lsLDR lsKind = iota
	lsLDRB
	lsLDRH
	lsLDRSB
	lsLDRSH
	lsSTR
	lsSTRB
	lsSTRH
)

var lsInfo = [...]struct {
	size   uint32
	signed bool
	load   bool
}{
	lsLDR:   {4, false, true},
	lsLDRB:  {1, false, true},
	lsLDRH:  {2, false, true},
	lsLDRSB: {1, true, true},
	lsLDRSH: {2, true, true},
	lsSTR:   {4, false, false},
	lsSTRB:  {1, false, false},
	lsSTRH:  {2, false, false},
}

// Specialised ops by kind: immediate offset, pre-indexed with writeback,
// post-indexed, and register offset (added, LSL #amt, no writeback).
var (
	lsOpOff  = [...]opFunc{opLDRi, opLDRBi, opLDRHi, opLDRSBi, opLDRSHi, opSTRi, opSTRBi, opSTRHi}
	lsOpPre  = [...]opFunc{opLDRiPre, opLDRBiPre, opLDRHiPre, opLDRSBiPre, opLDRSHiPre, opSTRiPre, opSTRBiPre, opSTRHiPre}
	lsOpPost = [...]opFunc{opLDRiPost, opLDRBiPost, opLDRHiPost, opLDRSBiPost, opLDRSHiPost, opSTRiPost, opSTRBiPost, opSTRHiPost}
	lsOpReg  = [...]opFunc{opLDRr, opLDRBr, opLDRHr, opLDRSBr, opLDRSHr, opSTRr, opSTRBr, opSTRHr}
)

// Flags of opLdSt in Op.imm2; the low three bits are the access size.
const (
	lsfSigned = 1 << (3 + iota)
	lsfLoad
	lsfUser
	lsfReg
	lsfSub
	lsfPre
	lsfWB
)

// Immediate transforms used by the spec files.
func memImm5x4(insn uint32) uint32   { return insn >> 6 & 0x1f << 2 }
func memImm5x2(insn uint32) uint32   { return insn >> 6 & 0x1f << 1 }
func memImm8x4(insn uint32) uint32   { return insn & 0xff << 2 }
func memPushList(insn uint32) uint32 { return insn&0xff | insn>>8&1<<14 }
func memPopList(insn uint32) uint32  { return insn&0xff | insn>>8&1<<15 }
func memList8(insn uint32) uint32    { return insn & 0xff }

// ldst translates a single load or store. reg selects the register-offset
// form, user the unprivileged (T) form.
//
// UNPREDICTABLE: a load with writeback and Rn == Rt writes the base first,
// then the loaded value, so Rt gets the loaded value.
// UNPREDICTABLE: a store with writeback and Rn == Rt stores the old Rn.
// UNPREDICTABLE: writeback with Rn == PC (A32, and A32/T32 unprivileged
// forms) is a branch (BranchWritePC) to the written-back address.
// UNPREDICTABLE: Rm == PC reads the PC (+8/+4) like any register read.
// UNPREDICTABLE: LDR into the PC from a misaligned address, or not last in
// an IT block, interworks as usual; byte/halfword loads into the PC (T32)
// and LDRT into the PC interwork the same way.
// UNPREDICTABLE: T32 stores with Rt == PC store the PC value (address + 4).
func (t *translator) ldst(k lsKind, f *fields, reg, user bool) bool {
	info := lsInfo[k]
	rt, rn := uint8(f.t), uint8(f.n)
	var pre, wb bool
	switch {
	case user && t.thumb:
		pre, wb = true, false // T32 LDRT etc.: offset addressing
	case user:
		pre, wb = false, true // A32 LDRT etc.: post-indexed
	case t.thumb && f.P == 0 && f.W == 0:
		return false // T32 imm8 form with P=0 W=0: UNDEFINED
	default:
		pre, wb = f.P == 1, f.P == 0 || f.W == 1
	}
	if !info.load && rn == 15 && t.thumb {
		return false // Thumb stores with Rn=1111 are UNDEFINED
	}
	off := f.i
	if f.U == 0 {
		off = -off
	}
	var sh, amt uint8
	if reg {
		sh, amt = decodeImmShift(f.y, f.j)
	}
	loadPC := info.load && rt == 15
	general := user || loadPC || wb && rn == 15
	if !general {
		switch {
		case reg:
			if !pre || wb || sh != shiftLSL || f.U == 0 {
				general = true
				break
			}
			t.emit(Op{fn: lsOpReg[k], rd: rt, rn: rn, rm: uint8(f.m), amt: amt})
		case rn == 15:
			// Literal: the address is known now (Align(PC, 4) + offset).
			addr := t.pcRead()&^3 + off
			if k == lsLDR {
				t.emit(Op{fn: opLDRlit, rd: rt, imm: addr})
			} else {
				// R15 holds pcRead while the op runs.
				t.emit(Op{fn: lsOpOff[k], rd: rt, rn: 15, imm: addr - t.pcRead()})
			}
		case !wb:
			t.emit(Op{fn: lsOpOff[k], rd: rt, rn: rn, imm: off})
		case pre:
			t.emit(Op{fn: lsOpPre[k], rd: rt, rn: rn, imm: off})
		default:
			t.emit(Op{fn: lsOpPost[k], rd: rt, rn: rn, imm: off})
		}
	}
	if general {
		fl := info.size
		if info.signed {
			fl |= lsfSigned
		}
		if info.load {
			fl |= lsfLoad
		}
		if user {
			fl |= lsfUser
		}
		if reg {
			fl |= lsfReg
			if f.U == 0 {
				fl |= lsfSub
			}
		}
		if pre {
			fl |= lsfPre
		}
		if wb {
			fl |= lsfWB
		}
		o := Op{fn: opLdSt, rd: rt, rn: rn, imm: off, imm2: fl}
		if reg {
			o.rm, o.sh, o.amt = uint8(f.m), sh, amt
		}
		t.emit(o)
		if loadPC || wb && rn == 15 {
			t.end = true
		}
	}
	return true
}

// Immediate-offset forms.
func (t *translator) LDR(f *fields) bool   { return t.ldst(lsLDR, f, false, false) }
func (t *translator) LDRB(f *fields) bool  { return t.ldst(lsLDRB, f, false, false) }
func (t *translator) LDRH(f *fields) bool  { return t.ldst(lsLDRH, f, false, false) }
func (t *translator) LDRSB(f *fields) bool { return t.ldst(lsLDRSB, f, false, false) }
func (t *translator) LDRSH(f *fields) bool { return t.ldst(lsLDRSH, f, false, false) }
func (t *translator) STR(f *fields) bool   { return t.ldst(lsSTR, f, false, false) }
func (t *translator) STRB(f *fields) bool  { return t.ldst(lsSTRB, f, false, false) }
func (t *translator) STRH(f *fields) bool  { return t.ldst(lsSTRH, f, false, false) }

// Register-offset forms.
func (t *translator) LDRreg(f *fields) bool   { return t.ldst(lsLDR, f, true, false) }
func (t *translator) LDRBreg(f *fields) bool  { return t.ldst(lsLDRB, f, true, false) }
func (t *translator) LDRHreg(f *fields) bool  { return t.ldst(lsLDRH, f, true, false) }
func (t *translator) LDRSBreg(f *fields) bool { return t.ldst(lsLDRSB, f, true, false) }
func (t *translator) LDRSHreg(f *fields) bool { return t.ldst(lsLDRSH, f, true, false) }
func (t *translator) STRreg(f *fields) bool   { return t.ldst(lsSTR, f, true, false) }
func (t *translator) STRBreg(f *fields) bool  { return t.ldst(lsSTRB, f, true, false) }
func (t *translator) STRHreg(f *fields) bool  { return t.ldst(lsSTRH, f, true, false) }

// Unprivileged forms (A8.8.66 LDRT etc.): accesses as if in User mode.
func (t *translator) LDRT(f *fields) bool      { return t.ldst(lsLDR, f, false, true) }
func (t *translator) LDRBT(f *fields) bool     { return t.ldst(lsLDRB, f, false, true) }
func (t *translator) LDRHT(f *fields) bool     { return t.ldst(lsLDRH, f, false, true) }
func (t *translator) LDRSBT(f *fields) bool    { return t.ldst(lsLDRSB, f, false, true) }
func (t *translator) LDRSHT(f *fields) bool    { return t.ldst(lsLDRSH, f, false, true) }
func (t *translator) STRT(f *fields) bool      { return t.ldst(lsSTR, f, false, true) }
func (t *translator) STRBT(f *fields) bool     { return t.ldst(lsSTRB, f, false, true) }
func (t *translator) STRHT(f *fields) bool     { return t.ldst(lsSTRH, f, false, true) }
func (t *translator) LDRTreg(f *fields) bool   { return t.ldst(lsLDR, f, true, true) }
func (t *translator) LDRBTreg(f *fields) bool  { return t.ldst(lsLDRB, f, true, true) }
func (t *translator) LDRHTreg(f *fields) bool  { return t.ldst(lsLDRH, f, true, true) }
func (t *translator) LDRSBTreg(f *fields) bool { return t.ldst(lsLDRSB, f, true, true) }
func (t *translator) LDRSHTreg(f *fields) bool { return t.ldst(lsLDRSH, f, true, true) }
func (t *translator) STRTreg(f *fields) bool   { return t.ldst(lsSTR, f, true, true) }
func (t *translator) STRBTreg(f *fields) bool  { return t.ldst(lsSTRB, f, true, true) }
func (t *translator) STRHTreg(f *fields) bool  { return t.ldst(lsSTRH, f, true, true) }

// Flags of opLDRD/opSTRD in Op.sh.
const (
	ldPre = 1 << iota
	ldWB
	ldReg
	ldSub
)

// ldrd translates LDRD/STRD (A8.8.72-74, A8.8.210-211).
//
// UNPREDICTABLE: A32 odd Rt and A32 P=0 W=1 are UNDEFINED.
// UNPREDICTABLE: A32 Rt = 14 loads the PC as a branch without interworking
// (as does T32 Rt or Rt2 = PC); STRD then stores PC+8 for Rt2.
// UNPREDICTABLE: T32 Rn == PC, also for STRD and with writeback, uses
// Align(PC, 4) as the base; writeback to the PC is a branch.
// UNPREDICTABLE: LDRD writes Rt, then Rt2, then the base, so a written-back
// base wins over a loaded register of the same number, and Rt == Rt2
// (T32) leaves the second word.
// UNPREDICTABLE: Rm == Rt or Rt2 (register form) reads Rm before loading.
func (t *translator) ldrd(f *fields, reg, load bool) bool {
	rt, rn := f.t, f.n
	var rt2 uint32
	if t.thumb {
		rt2 = f.u
	} else {
		if rt&1 != 0 || f.P == 0 && f.W == 1 {
			return false
		}
		rt2 = rt + 1
	}
	pre, wb := f.P == 1, f.P == 0 || f.W == 1
	off := f.i
	if f.U == 0 {
		off = -off
	}
	o := Op{rd: uint8(rt), ra: uint8(rt2), rn: uint8(rn), imm: off}
	if !reg && !wb && rn != 15 && rt != 15 && rt2 != 15 {
		o.fn = opLDRDi
		if !load {
			o.fn = opSTRDi
		}
		t.emit(o)
		return true
	}
	o.fn = opLDRD
	if !load {
		o.fn = opSTRD
	}
	if pre {
		o.sh |= ldPre
	}
	if wb {
		o.sh |= ldWB
	}
	if reg {
		o.sh |= ldReg
		o.rm = uint8(f.m)
		if f.U == 0 {
			o.sh |= ldSub
		}
	}
	t.emit(o)
	if load && (rt == 15 || rt2 == 15) || wb && rn == 15 {
		t.end = true
	}
	return true
}

func (t *translator) LDRD(f *fields) bool    { return t.ldrd(f, false, true) }
func (t *translator) STRD(f *fields) bool    { return t.ldrd(f, false, false) }
func (t *translator) LDRDreg(f *fields) bool { return t.ldrd(f, true, true) }
func (t *translator) STRDreg(f *fields) bool { return t.ldrd(f, true, false) }

// blockAddr returns the start offset from Rn and the writeback delta of
// an LDM/STM of n registers (ARM ARM A8.8.58-61, A8.8.199-202).
func blockAddr(p, u uint32, n uint32, wb bool) (start, delta uint32) {
	switch {
	case p == 0 && u == 1: // IA
		start, delta = 0, 4*n
	case p == 1 && u == 1: // IB
		start, delta = 4, 4*n
	case p == 0: // DA
		start, delta = 4-4*n, 0-4*n
	default: // DB
		start, delta = 0-4*n, 0-4*n
	}
	if !wb {
		delta = 0
	}
	return start, delta
}

// blockOp builds the op of an LDM/STM: imm holds the register list in its
// low half and the writeback delta (signed) in its high half; imm2 is the
// start address relative to Rn.
func blockOp(fn opFunc, rn uint8, list uint32, start, delta uint32) Op {
	return Op{fn: fn, rn: rn, imm: list | uint32(uint16(int16(int32(delta))))<<16, imm2: start}
}

// LDM translates LDM/LDMIA/LDMDA/LDMDB/LDMIB and POP (A8.8.58-61, A8.8.131).
// T16 LDM writes back only when Rn is not in the list (architected).
//
// UNPREDICTABLE: an empty list (T32: fewer than two registers), Rn = PC,
// and A32/T32 writeback with Rn in the list are UNDEFINED.
// UNPREDICTABLE: T32 lists with both PC and LR, or with SP, and a PC load
// not last in an IT block, load as listed (PC: LoadWritePC).
func (t *translator) LDM(f *fields) bool {
	list, rn, wb := f.r&0xffff, f.n, f.W == 1
	n := uint32(bits.OnesCount32(list))
	inList := list>>rn&1 != 0
	if t.size == 2 {
		wb = wb && !inList
	} else if wb && inList {
		return false
	}
	if n < 1 || t.thumb && t.size == 4 && n < 2 || rn == 15 {
		return false
	}
	start, delta := blockAddr(f.P, f.U, n, wb)
	t.emit(blockOp(opLDM, uint8(rn), list, start, delta))
	if list&0x8000 != 0 {
		t.end = true
	}
	return true
}

// STM translates STM/STMIA/STMDA/STMDB/STMIB and PUSH (A8.8.199-202,
// A8.8.133).
//
// UNPREDICTABLE: an empty list (T32: fewer than two registers), Rn = PC,
// and T32 writeback with Rn in the list are UNDEFINED.
// UNPREDICTABLE: A32/T16 writeback with Rn in the list (not lowest) stores
// the original Rn; a listed PC (A32 STM, T32) stores address + 8 / + 4.
func (t *translator) STM(f *fields) bool {
	list, rn, wb := f.r&0xffff, f.n, f.W == 1
	n := uint32(bits.OnesCount32(list))
	if t.thumb && t.size == 4 && wb && list>>rn&1 != 0 {
		return false
	}
	if n < 1 || t.thumb && t.size == 4 && n < 2 || rn == 15 {
		return false
	}
	start, delta := blockAddr(f.P, f.U, n, wb)
	if list&0x8000 != 0 {
		t.needsPC = true
	}
	t.emit(blockOp(opSTM, uint8(rn), list, start, delta))
	return true
}

// LDMUser translates the A32 LDM with S=1: LDM (User registers) without
// the PC (B9.3.5) and LDM (exception return) with it (B9.3.4).
//
// UNPREDICTABLE: in User mode both are UNDEFINED (checked when the op runs:
// translations are shared between privilege levels).
// UNPREDICTABLE: the user-registers form with writeback, exception return
// with writeback and Rn in the list, and an empty list are UNDEFINED.
// UNPREDICTABLE: exception return in System mode (no SPSR) only branches.
func (t *translator) LDMUser(f *fields) bool {
	list, rn, wb := f.r&0xffff, f.n, f.W == 1
	n := uint32(bits.OnesCount32(list))
	if n < 1 || rn == 15 {
		return false
	}
	if list&0x8000 == 0 {
		if wb {
			return false
		}
		start, delta := blockAddr(f.P, f.U, n, false)
		t.emit(blockOp(opLDMUser, uint8(rn), list, start, delta))
		return true
	}
	if wb && list>>rn&1 != 0 {
		return false
	}
	start, delta := blockAddr(f.P, f.U, n, wb)
	t.emit(blockOp(opLDMExcRet, uint8(rn), list, start, delta))
	t.end = true
	return true
}

// STMUser translates STM (User registers) (B9.3.14).
//
// UNPREDICTABLE: UNDEFINED in User mode (checked when the op runs); W=1
// writes back; an empty list is UNDEFINED; a listed PC stores address + 8.
func (t *translator) STMUser(f *fields) bool {
	list, rn, wb := f.r&0xffff, f.n, f.W == 1
	n := uint32(bits.OnesCount32(list))
	if n < 1 || rn == 15 {
		return false
	}
	start, delta := blockAddr(f.P, f.U, n, wb)
	if list&0x8000 != 0 {
		t.needsPC = true
	}
	t.emit(blockOp(opSTMUser, uint8(rn), list, start, delta))
	return true
}

// Exclusives (A8.8.75-78 LDREX*, A8.8.212-215 STREX*).
//
// UNPREDICTABLE: these register choices are UNDEFINED: any of Rt, Rt2, Rn,
// Rd the PC; (Thumb) Rt, Rt2 or Rd the SP; Rd equal to Rn, Rt or Rt2;
// LDREXD with Rt == Rt2; A32 doubleword forms with an odd Rt.

func (t *translator) ldrex(f *fields, size uint8) bool {
	rt, rn := f.t, f.n
	if rn == 15 || rt == 15 || t.thumb && rt == 13 {
		return false
	}
	t.emit(Op{fn: opLDREX, rd: uint8(rt), rn: uint8(rn), imm: f.i, amt: size})
	return true
}

func (t *translator) strex(f *fields, size uint8) bool {
	rd, rt, rn := f.d, f.t, f.n
	if rd == 15 || rn == 15 || rt == 15 || rd == rn || rd == rt || t.thumb && (rd == 13 || rt == 13) {
		return false
	}
	t.emit(Op{fn: opSTREX, rd: uint8(rt), rn: uint8(rn), ra: uint8(rd), imm: f.i, amt: size})
	return true
}

func (t *translator) LDREX(f *fields) bool  { return t.ldrex(f, 4) }
func (t *translator) LDREXB(f *fields) bool { return t.ldrex(f, 1) }
func (t *translator) LDREXH(f *fields) bool { return t.ldrex(f, 2) }
func (t *translator) STREX(f *fields) bool  { return t.strex(f, 4) }
func (t *translator) STREXB(f *fields) bool { return t.strex(f, 1) }
func (t *translator) STREXH(f *fields) bool { return t.strex(f, 2) }

func (t *translator) LDREXD(f *fields) bool {
	rt, rn := f.t, f.n
	rt2 := f.u
	if !t.thumb {
		if rt&1 != 0 {
			return false
		}
		rt2 = rt + 1
	}
	if rn == 15 || rt == 15 || rt2 == 15 || rt == rt2 || t.thumb && (rt == 13 || rt2 == 13) {
		return false
	}
	t.emit(Op{fn: opLDREXD, rd: uint8(rt), ra: uint8(rt2), rn: uint8(rn)})
	return true
}

func (t *translator) STREXD(f *fields) bool {
	rd, rt, rn := f.d, f.t, f.n
	rt2 := f.u
	if !t.thumb {
		if rt&1 != 0 {
			return false
		}
		rt2 = rt + 1
	}
	if rd == 15 || rn == 15 || rt == 15 || rt2 == 15 || rd == rn || rd == rt || rd == rt2 ||
		t.thumb && (rd == 13 || rt == 13 || rt2 == 13) {
		return false
	}
	t.emit(Op{fn: opSTREXD, rd: uint8(rt), rm: uint8(rt2), rn: uint8(rn), ra: uint8(rd)})
	return true
}

// CLREX clears the local monitor (A8.8.32).
func (t *translator) CLREX(f *fields) bool {
	t.emit(Op{fn: opCLREX})
	return true
}

// SWP/SWPB (A8.8.229): deprecated in ARMv7 but executed whatever SCTLR.SW
// says, as QEMU's cortex-a15 does.
//
// UNPREDICTABLE: PC operands read as address + 8; Rt = PC branches without
// interworking; Rn == Rt or Rt2 uses the old Rn as the address.
func (t *translator) SWP(f *fields) bool  { return t.swp(f, 4) }
func (t *translator) SWPB(f *fields) bool { return t.swp(f, 1) }

func (t *translator) swp(f *fields, size uint8) bool {
	t.emit(Op{fn: opSWP, rd: uint8(f.t), rn: uint8(f.n), rm: uint8(f.u), amt: size})
	if f.t == 15 {
		t.end = true
	}
	return true
}

// TBB/TBH (A8.8.238): a branch, so the block ends.
//
// UNPREDICTABLE: Rn = SP, Rm = SP or PC, and use not last in an IT block
// execute normally.
func (t *translator) TBB(f *fields) bool {
	t.emit(Op{fn: opTBB, rn: uint8(f.n), rm: uint8(f.m), imm: t.pcRead()})
	t.end = true
	return true
}

func (t *translator) TBH(f *fields) bool {
	t.emit(Op{fn: opTBH, rn: uint8(f.n), rm: uint8(f.m), imm: t.pcRead()})
	t.end = true
	return true
}

// Memory hints (A8.8.127-130): no-ops that never fault. They still get an
// op so that tracing shows them.
//
// UNPREDICTABLE: Rm = PC, PLDW with Rn = PC, and the T32 literal form with
// bit 21 set are hints too; unallocated hint encodings are NOPs.
func (t *translator) PLD(f *fields) bool     { return t.memHint() }
func (t *translator) PLDW(f *fields) bool    { return t.memHint() }
func (t *translator) PLI(f *fields) bool     { return t.memHint() }
func (t *translator) MemHint(f *fields) bool { return t.memHint() }

func (t *translator) memHint() bool {
	t.emit(Op{fn: opNop})
	return true
}
