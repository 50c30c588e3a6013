//go:build amd64 && linux

package arm

import (
	"encoding/binary"
	"math/bits"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"

	. "mimic/cpu/arm/internal/x64"
)

// Native code for amd64. Register use inside compiled code: DI holds the
// *CPU throughout; AX, CX, DX, SI, R8 and R9 are scratch. Guest registers and
// flags live in the CPU struct, so any op may fall back to Go at any point
// without spilling anything.

//go:noescape
func callNative(code uintptr, c *CPU) uint64

// natSupported reports whether this host can run native code.
const natSupported = true

const (
	// The mapping holds the code, then a header per block: the valid
	// byte, then two link slots of {vpc uint32, pad, pa uint64, target
	// uint64} (see natLink). Headers are written while code runs (links, invalidation),
	// so they live apart from the code: a store near code the CPU is
	// executing costs a pipeline flush on x86.
	natCodeSize = 64 << 20
	natMaxBlks  = 1 << 17
	natMapSize  = natCodeSize + natMaxBlks*natHdrSize
	natHdrValid = 0
	natHdrSlot0 = 8
	natSlotSize = 24
	natHdrSize  = 64
	natSlotVPC  = 0
	natSlotPA   = 8
	natSlotTgt  = 16
)

// natBlockLimit is natMaxBlks, lowered by tests to exercise natReset.
var natBlockLimit = natMaxBlks

// Offsets of the CPU fields the native code touches.
var (
	offR       = int32(unsafe.Offsetof(CPU{}.R))
	offN       = int32(unsafe.Offsetof(CPU{}.N))
	offZ       = int32(unsafe.Offsetof(CPU{}.Z))
	offC       = int32(unsafe.Offsetof(CPU{}.C))
	offV       = int32(unsafe.Offsetof(CPU{}.V))
	offT       = int32(unsafe.Offsetof(CPU{}.T))
	offI       = int32(unsafe.Offsetof(CPU{}.I))
	offF       = int32(unsafe.Offsetof(CPU{}.F))
	offIT      = int32(unsafe.Offsetof(CPU{}.IT))
	offIRQ     = int32(unsafe.Offsetof(CPU{}.irqLine))
	offFIQ     = int32(unsafe.Offsetof(CPU{}.fiqLine))
	offHalted  = int32(unsafe.Offsetof(CPU{}.halted))
	offNextPC  = int32(unsafe.Offsetof(CPU{}.nextPC))
	offRetired = int32(unsafe.Offsetof(CPU{}.retired))
	offNLimit  = int32(unsafe.Offsetof(CPU{}.nlimit))
	offMode    = int32(unsafe.Offsetof(CPU{}.mode))
	offSys     = int32(unsafe.Offsetof(CPU{}.mem) + unsafe.Offsetof(memState{}.sys))
	offTPIDRs  = [3]int32{
		offSys + int32(unsafe.Offsetof(sysRegs{}.tpidrurw)),
		offSys + int32(unsafe.Offsetof(sysRegs{}.tpidruro)),
		offSys + int32(unsafe.Offsetof(sysRegs{}.tpidrprw)),
	}
	offCur  = int32(unsafe.Offsetof(CPU{}.mem) + unsafe.Offsetof(memState{}.cur))
	offICur = int32(unsafe.Offsetof(CPU{}.mem) + unsafe.Offsetof(memState{}.icur))

	offTLBRead  = int32(unsafe.Offsetof(tlbEntry{}.read))
	offTLBWrite = int32(unsafe.Offsetof(tlbEntry{}.write))
	offTLBExec  = int32(unsafe.Offsetof(tlbEntry{}.exec))
	offTLBPA    = int32(unsafe.Offsetof(tlbEntry{}.pa))
	offTLBHost  = int32(unsafe.Offsetof(tlbEntry{}.host))
)

// The TLB index is scaled by a shift, so an entry must be 32 bytes.
var _ [32 - unsafe.Sizeof(tlbEntry{})]byte
var _ [unsafe.Sizeof(tlbEntry{}) - 32]byte

// The epilogue tests irqLine, fiqLine and halted with one load: they
// must be adjacent bytes (these fail to compile otherwise).
var _ [1 - (unsafe.Offsetof(CPU{}.fiqLine) - unsafe.Offsetof(CPU{}.irqLine))]byte
var _ [2 - (unsafe.Offsetof(CPU{}.halted) - unsafe.Offsetof(CPU{}.irqLine))]byte

func rOff(r uint8) int32 { return offR + 4*int32(r&15) }

func regM(r uint8) Mem { return M(RDI, rOff(r)) }

// natEmit compiles one op; it returns false when the op must run in Go.
type natEmit func(g *natGen, o *Op) bool

var natOps = map[uintptr]natEmit{}

func init() {
	for opc := range dpNumOps {
		for si := range 2 {
			for form := formImm; form <= formRsr; form++ {
				if fn := dpFns[opc][si][form]; fn != nil {
					natOps[fnPC(fn)] = natDP(uint32(opc), si == 1, form)
					natSetsFlags[fnPC(fn)] = si == 1
				}
			}
		}
	}
	for k := range lsOpOff {
		natOps[fnPC(lsOpOff[k])] = natLdSt(k, lsModeOff)
		natOps[fnPC(lsOpPre[k])] = natLdSt(k, lsModePre)
		natOps[fnPC(lsOpPost[k])] = natLdSt(k, lsModePost)
		natOps[fnPC(lsOpReg[k])] = natLdSt(k, lsModeReg)
	}
	natOps[fnPC(opSetPC)] = func(g *natGen, o *Op) bool {
		g.a.StoreImm32(regM(15), o.imm)
		return true
	}
	natOps[fnPC(opNop)] = func(g *natGen, o *Op) bool { return true }
	natOps[fnPC(opSetRegImm)] = func(g *natGen, o *Op) bool {
		g.a.StoreImm32(regM(o.rd), o.imm)
		return true
	}
	natOps[fnPC(opBranch)] = func(g *natGen, o *Op) bool {
		g.a.StoreImm32(M(RDI, offNextPC), o.imm)
		return true
	}
	natOps[fnPC(opBranchLink)] = func(g *natGen, o *Op) bool {
		g.a.StoreImm32(regM(14), o.imm2)
		g.a.StoreImm32(M(RDI, offNextPC), o.imm)
		return true
	}
	cbz := func(taken Cond) natEmit {
		return func(g *natGen, o *Op) bool {
			var skip Label
			g.a.Load32(RAX, regM(o.rn))
			g.a.Test32(RAX, RAX)
			g.a.Jcc(taken^1, &skip)
			g.a.StoreImm32(M(RDI, offNextPC), o.imm)
			g.a.Bind(&skip)
			return true
		}
	}
	natOps[fnPC(opCBZ)] = cbz(CondE)
	natOps[fnPC(opCBNZ)] = cbz(CondNE)
	natOps[fnPC(opMovt)] = func(g *natGen, o *Op) bool {
		g.a.StoreImm16(M(RDI, rOff(o.rd)+2), uint16(o.imm))
		return true
	}
	ext := func(load func(a *Asm, r Reg, m Mem)) natEmit {
		return func(g *natGen, o *Op) bool {
			load(&g.a, RAX, regM(o.rm))
			g.a.Store32(regM(o.rd), RAX)
			return true
		}
	}
	natOps[fnPC(opUxtb)] = ext((*Asm).Load8Z)
	natOps[fnPC(opUxth)] = ext((*Asm).Load16Z)
	natOps[fnPC(opSxtb)] = ext((*Asm).Load8S)
	natOps[fnPC(opSxth)] = ext((*Asm).Load16S)
	natOps[fnPC(opRev)] = func(g *natGen, o *Op) bool {
		g.a.Load32(RAX, regM(o.rm))
		g.a.Bswap32(RAX)
		g.a.Store32(regM(o.rd), RAX)
		return true
	}
	natOps[fnPC(opUmull)] = natMulLong(false, false)
	natOps[fnPC(opSmull)] = natMulLong(true, false)
	natOps[fnPC(opUmlal)] = natMulLong(false, true)
	natOps[fnPC(opSmlal)] = natMulLong(true, true)
	natOps[fnPC(opLDM)] = natLDM(false)
	natOps[fnPC(opSTM)] = natLDM(true)
	natOps[fnPC(opLDRDi)] = natLDRD(false)
	natOps[fnPC(opSTRDi)] = natLDRD(true)
	natOps[fnPC(opUdiv)] = natDiv(false)
	natOps[fnPC(opSdiv)] = natDiv(true)
	natOps[fnPC(opLDRlit)] = func(g *natGen, o *Op) bool {
		g.a.MovImm32(RAX, o.imm)
		g.tlbHost(false, 3, g.slowPath(g.cur))
		g.a.Load32(R8, MI(RCX, RDX, 0))
		g.a.Store32(regM(o.rd), R8)
		return true
	}
	natOps[fnPC(opMRC)] = func(g *natGen, o *Op) bool {
		// The thread ID registers, with the CP15 model that keeps them
		// in sysRegs; TPIDRPRW is UNDEFINED at PL0 (cp15.MRC).
		if o.amt != 15 || !g.cp15 {
			return false
		}
		var off int32
		switch o.imm {
		case regTPIDRURW:
			off = offTPIDRs[0]
		case regTPIDRURO:
			off = offTPIDRs[1]
		case regTPIDRPRW:
			if !g.priv {
				return false
			}
			off = offTPIDRs[2]
		default:
			return false
		}
		g.a.Load32(RAX, M(RDI, off))
		g.a.Store32(regM(o.sh), RAX)
		return true
	}
	natOps[fnPC(opBX)] = natBX(false)
	natOps[fnPC(opBLXReg)] = natBX(true)
	natOps[fnPC(opUbfx)] = func(g *natGen, o *Op) bool {
		g.a.Load32(RAX, regM(o.rn))
		g.a.ShiftRI(SHR, RAX, o.sh)
		g.a.ALURI(AND, RAX, o.imm)
		g.a.Store32(regM(o.rd), RAX)
		return true
	}
	natOps[fnPC(opSbfx)] = func(g *natGen, o *Op) bool {
		if o.sh+o.amt > 31 {
			return false // x86 would take the shift counts mod 32
		}
		g.a.Load32(RAX, regM(o.rn))
		g.a.ShiftRI(SHL, RAX, 31-o.sh-o.amt)
		g.a.ShiftRI(SAR, RAX, 31-o.amt)
		g.a.Store32(regM(o.rd), RAX)
		return true
	}
	natOps[fnPC(opBfi)] = func(g *natGen, o *Op) bool {
		g.a.Load32(RAX, regM(o.rn))
		g.a.ShiftRI(SHL, RAX, o.sh)
		g.a.ALURI(AND, RAX, o.imm)
		g.a.Load32(RDX, regM(o.rd))
		g.a.ALURI(AND, RDX, ^o.imm)
		g.a.ALURR(OR, RAX, RDX)
		g.a.Store32(regM(o.rd), RAX)
		return true
	}
	natOps[fnPC(opBfc)] = func(g *natGen, o *Op) bool {
		g.a.Load32(RAX, regM(o.rd))
		g.a.ALURI(AND, RAX, ^o.imm)
		g.a.Store32(regM(o.rd), RAX)
		return true
	}
	natOps[fnPC(opClz)] = func(g *natGen, o *Op) bool {
		var zero, done Label
		g.a.BsrRM(RAX, regM(o.rm)) // ZF: the source is zero
		g.a.Jcc(CondE, &zero)
		g.a.ALURI(XOR, RAX, 31)
		g.a.Jmp(&done)
		g.a.Bind(&zero)
		g.a.MovImm32(RAX, 32)
		g.a.Bind(&done)
		g.a.Store32(regM(o.rd), RAX)
		return true
	}
	natOps[fnPC(opMul)] = func(g *natGen, o *Op) bool {
		g.a.Load32(RAX, regM(o.rn))
		g.a.ImulRM(RAX, regM(o.rm))
		g.a.Store32(regM(o.rd), RAX)
		return true
	}
	natOps[fnPC(opMla)] = func(g *natGen, o *Op) bool {
		g.a.Load32(RAX, regM(o.rn))
		g.a.ImulRM(RAX, regM(o.rm))
		g.a.ALURM(ADD, RAX, regM(o.ra))
		g.a.Store32(regM(o.rd), RAX)
		return true
	}
	natOps[fnPC(opMls)] = func(g *natGen, o *Op) bool {
		g.a.Load32(RAX, regM(o.rn))
		g.a.ImulRM(RAX, regM(o.rm))
		g.a.Load32(RCX, regM(o.ra))
		g.a.ALURR(SUB, RCX, RAX)
		g.a.Store32(regM(o.rd), RCX)
		return true
	}
}

// natGen compiles one block.
type natGen struct {
	a     Asm
	id    uint32
	base  int // where the code will be placed in the buffer
	cur   int // index of the op being compiled
	flags int // what the host flags hold (flagsNone...)
	// goOps is set when an op of the block always runs in Go;
	// interworks when a native op may change the Thumb bit.
	goOps, interworks bool
	// priv is set when the block runs at PL1; cp15 when coprocessor 15 is
	// the CP15 model (cp15.go), whose registers native code may read.
	priv, cp15 bool
	stubs      []natStub
}

// natStub is an out-of-line return to Go for op idx (a fast-path miss).
type natStub struct {
	l   *Label
	idx int
}

// hdrMem addresses byte off of the block's header, RIP-relative: the code
// will be placed at g.base.
func (g *natGen) hdrMem(off int32) Mem {
	return Mem{RIP: true, Disp: int32(natCodeSize+int(g.id)*natHdrSize-g.base) + off}
}

// status is the word the block returns to ask Go to run op idx (or to
// say it ended, for natEnd). Ids take more than 16 bits, so it is 64-bit.
func (g *natGen) status(idx int) uint64 { return uint64(g.id)<<natIdShift | uint64(idx) }

// exitTo emits the return to Go asking it to run op idx.
func (g *natGen) exitTo(idx int) {
	g.a.MovImm64(RAX, g.status(idx))
	g.a.Ret()
}

// slowPath returns a label that leaves for Go to run op idx.
func (g *natGen) slowPath(idx int) *Label {
	l := &Label{}
	g.stubs = append(g.stubs, natStub{l, idx})
	return l
}

// skipUnless jumps to skip when condition cond (ARM ARM A8.3) fails. The
// flags are the CPU's bools: 1 or 0.
func (g *natGen) skipUnless(cond uint8, skip *Label) {
	a := &g.a
	if cc, ok := g.hostCond(cond); ok {
		a.Jcc(cc^1, skip)
		return
	}
	neg := cond&1 != 0
	flag := func(off int32, set bool) { // skip unless flag == set
		a.CmpMemImm8(M(RDI, off), 0)
		if set {
			a.Jcc(CondE, skip)
		} else {
			a.Jcc(CondNE, skip)
		}
	}
	switch cond >> 1 {
	case 0:
		flag(offZ, !neg)
	case 1:
		flag(offC, !neg)
	case 2:
		flag(offN, !neg)
	case 3:
		flag(offV, !neg)
	case 4: // HI: C && !Z; LS: !C || Z
		if !neg {
			flag(offC, true)
			flag(offZ, false)
		} else {
			var run Label
			a.CmpMemImm8(M(RDI, offC), 0)
			a.Jcc(CondE, &run)
			a.CmpMemImm8(M(RDI, offZ), 0)
			a.Jcc(CondE, skip)
			a.Bind(&run)
		}
	case 5: // GE: N == V; LT: N != V
		a.Load8Z(RAX, M(RDI, offN))
		a.Cmp8RM(RAX, M(RDI, offV))
		if !neg {
			a.Jcc(CondNE, skip)
		} else {
			a.Jcc(CondE, skip)
		}
	case 6: // GT: !Z && N == V; LE: Z || N != V
		if !neg {
			flag(offZ, false)
			a.Load8Z(RAX, M(RDI, offN))
			a.Cmp8RM(RAX, M(RDI, offV))
			a.Jcc(CondNE, skip)
		} else {
			var run Label
			a.CmpMemImm8(M(RDI, offZ), 0)
			a.Jcc(CondNE, &run)
			a.Load8Z(RAX, M(RDI, offN))
			a.Cmp8RM(RAX, M(RDI, offV))
			a.Jcc(CondE, skip)
			a.Bind(&run)
		}
	}
}

// What the host flags hold at the current point of a block being
// compiled: nothing usable, or the guest's flags as a subtraction
// (C = NOT borrow), an addition, or a logical operation (N and Z only)
// left them.
const (
	flagsNone = iota
	flagsSub
	flagsAdd
	flagsLogic
)

// natNoCond marks a guest condition the host flags cannot decide.
const natNoCond Cond = 0xff

// natHostCond gives, for each kind of host flags (flagsSub...), the host
// condition equal to each guest condition (ARM ARM A8.3). After an
// addition C is the host carry, after a subtraction its complement; a
// logical operation leaves only N and Z in the host flags.
var natHostCond = func() (t [4][16]Cond) {
	for k := range t {
		for c := range t[k] {
			t[k][c] = natNoCond
		}
	}
	nz := map[uint8]Cond{0: CondE, 1: CondNE, 4: CondS, 5: CondNS}
	nzv := map[uint8]Cond{6: CondO, 7: CondNO, 10: CondGE, 11: CondL, 12: CondG, 13: CondLE}
	for c, h := range nz {
		t[flagsSub][c], t[flagsAdd][c], t[flagsLogic][c] = h, h, h
	}
	for c, h := range nzv {
		t[flagsSub][c], t[flagsAdd][c] = h, h
	}
	t[flagsSub][2], t[flagsSub][3], t[flagsSub][8], t[flagsSub][9] = CondAE, CondB, CondA, CondBE
	t[flagsAdd][2], t[flagsAdd][3] = CondB, CondAE
	return t
}()

// hostCond maps guest condition cond to a host condition on the flags
// g.flags describes.
func (g *natGen) hostCond(cond uint8) (Cond, bool) {
	h := natHostCond[g.flags][cond&15]
	return h, h != natNoCond
}

// natSetsFlags holds the native ops that write the guest's flags.
var natSetsFlags = map[uintptr]bool{}

// natALU is the host operation of the data-processing opcodes that are
// Rn op operand 2 (BIC and ORN invert operand 2 first).
var natALU = [dpNumOps]ALU{
	dpAND: AND, dpTST: AND, dpBIC: AND,
	dpEOR: XOR, dpTEQ: XOR,
	dpORR: OR, dpORN: OR,
	dpADD: ADD, dpCMN: ADD,
	dpSUB: SUB, dpCMP: SUB,
}

// natDP compiles the data-processing op for opcode opc, flag setting s,
// operand-2 form form, with the semantics of ops_dpgen.go.
func natDP(opc uint32, s bool, form int) natEmit {
	logical := dpLogical(opc)
	return func(g *natGen, o *Op) bool {
		a := &g.a
		// Operand 2 into DX.
		switch form {
		case formImm:
			a.MovImm32(RDX, o.imm)
			if logical && s && o.amt != 2 {
				a.StoreImm8(M(RDI, offC), uint8(bool2u(o.amt != 0)))
			}
		case formReg:
			a.Load32(RDX, regM(o.rm))
		case formShf:
			a.Load32(RDX, regM(o.rm))
			switch o.sh {
			case shiftROR:
				a.ShiftRI(ROR, RDX, o.amt) // CF = bit 31 of the result
			case shiftRRX:
				a.Load8Z(RCX, M(RDI, offC))
				a.ALURI(ADD, RCX, 0xffffffff) // CF = C
				a.Rcr1(RDX)                   // CF = the bit shifted out
			default:
				return false
			}
			if logical && s {
				a.SetMem(CondB, M(RDI, offC))
			}
		case formRsr:
			if logical && s {
				return false // the shifter carry of a register shift
			}
			var done Label
			a.Load8Z(RCX, regM(o.ra)) // the bottom byte of Rs
			a.Load32(RDX, regM(o.rm))
			switch o.sh {
			case shiftLSL, shiftLSR:
				sh := SHL
				if o.sh == shiftLSR {
					sh = SHR
				}
				a.ShiftRCL(sh, RDX) // x86 takes the count mod 32
				a.ALURI(CMP, RCX, 32)
				a.Jcc(CondB, &done)
				a.ALURR(XOR, RDX, RDX)
			case shiftASR:
				var shift Label
				a.ALURI(CMP, RCX, 31)
				a.Jcc(CondBE, &shift)
				a.MovImm32(RCX, 31) // ASR by 32 or more fills with the sign
				a.Bind(&shift)
				a.ShiftRCL(SAR, RDX)
			default: // ROR by any amount is ROR by it mod 32
				a.ShiftRCL(ROR, RDX)
			}
			a.Bind(&done)
		default:
			if o.amt == 0 || o.amt >= 32 {
				return false // LSR/ASR #32: x86 masks the count
			}
			a.Load32(RDX, regM(o.rm))
			sh := SHL
			if form == formLsr {
				sh = SHR
			} else if form == formAsr {
				sh = SAR
			}
			a.ShiftRI(sh, RDX, o.amt)
			if logical && s {
				a.SetMem(CondB, M(RDI, offC)) // the last bit shifted out
			}
		}
		rn := regM(o.rn)
		switch opc {
		case dpAND, dpTST, dpEOR, dpTEQ, dpORR, dpBIC, dpORN, dpADD, dpCMN, dpSUB, dpCMP:
			if opc == dpBIC || opc == dpORN {
				a.Not32(RDX)
			}
			a.Load32(RAX, rn)
			a.ALURR(natALU[opc], RAX, RDX)
		case dpMOV, dpMVN:
			if opc == dpMVN {
				a.Not32(RDX)
			}
			a.Mov32(RAX, RDX)
			if s {
				a.Test32(RAX, RAX)
			}
		case dpRSB:
			a.Mov32(RAX, RDX)
			a.ALURM(SUB, RAX, rn)
		case dpADC:
			a.Load32(RAX, rn)
			a.Load8Z(RCX, M(RDI, offC))
			a.ALURI(ADD, RCX, 0xffffffff) // CF = C
			a.ALURR(ADC, RAX, RDX)
		case dpSBC:
			a.Load32(RAX, rn)
			a.Load8Z(RCX, M(RDI, offC))
			a.ALURI(CMP, RCX, 1) // CF = !C (the borrow)
			a.ALURR(SBB, RAX, RDX)
		case dpRSC:
			a.Mov32(RAX, RDX)
			a.Load8Z(RCX, M(RDI, offC))
			a.ALURI(CMP, RCX, 1)
			a.ALURM(SBB, RAX, rn)
		default:
			return false
		}
		if dpHasDest(opc) {
			a.Store32(regM(o.rd), RAX) // MOV does not change the flags
		}
		if !s {
			return true
		}
		a.SetMem(CondS, M(RDI, offN))
		a.SetMem(CondE, M(RDI, offZ))
		if logical {
			g.flags = flagsLogic
			return true
		}
		switch opc {
		case dpADD, dpADC, dpCMN:
			a.SetMem(CondB, M(RDI, offC))
			g.flags = flagsAdd
		default: // ARM's carry is NOT borrow
			a.SetMem(CondAE, M(RDI, offC))
			g.flags = flagsSub
		}
		a.SetMem(CondO, M(RDI, offV))
		return true
	}
}

// Addressing of the specialised load/store ops (translate_mem.go).
const (
	lsModeOff = iota
	lsModePre
	lsModePost
	lsModeReg
)

// The host accesses of the load/store kinds, in lsOpOff order.
var (
	natLoads  = [...]func(*Asm, Reg, Mem){(*Asm).Load32, (*Asm).Load8Z, (*Asm).Load16Z, (*Asm).Load8S, (*Asm).Load16S}
	natStores = [...]func(*Asm, Mem, Reg){(*Asm).Store32, (*Asm).Store8, (*Asm).Store16}
)

// natLdSt compiles load/store kind k (the index into lsOpOff and friends:
// LDR, LDRB, LDRH, LDRSB, LDRSH, STR, STRB, STRH) in addressing mode mode.
// The TLB fast path is the one of hostR/hostW; anything else leaves for
// Go, which runs the whole op again.
func natLdSt(k, mode int) natEmit {
	size := [...]uint32{4, 1, 2, 1, 2, 4, 1, 2}[k]
	store := k >= 5
	return func(g *natGen, o *Op) bool {
		a := &g.a
		// The address into AX.
		a.Load32(RAX, regM(o.rn))
		switch mode {
		case lsModeOff, lsModePre:
			if o.imm != 0 {
				a.ALURI(ADD, RAX, o.imm)
			}
		case lsModeReg:
			a.Load32(RCX, regM(o.rm))
			if o.amt != 0 {
				a.ShiftRI(SHL, RCX, o.amt)
			}
			a.ALURR(ADD, RAX, RCX)
		}
		g.tlbHost(store, size-1, g.slowPath(g.cur))
		host := MI(RCX, RDX, 0)
		if store {
			a.Load32(R8, regM(o.rd))
			natStores[k-5](a, host, R8)
		} else {
			natLoads[k](a, R8, host)
		}
		// Writeback before Rt, as the Go ops do.
		switch mode {
		case lsModePre:
			a.Store32(regM(o.rn), RAX)
		case lsModePost:
			a.ALURI(ADD, RAX, o.imm)
			a.Store32(regM(o.rn), RAX)
		}
		if !store {
			a.Store32(regM(o.rd), R8)
		}
		return true
	}
}

// tlbHost emits the TLB fast path of hostR/hostW for the address in AX
// and an access with alignment mask mask: on a hit CX is the host page
// and DX the offset in it; otherwise it jumps to slow.
func (g *natGen) tlbHost(store bool, mask uint32, slow *Label) {
	a := &g.a
	// CX = &cur[va>>12 & (tlbSize-1)]; the tag must equal the page with
	// the alignment bits of the access.
	g.tlbEntry(offCur)
	a.Mov32(RDX, RAX)
	a.ALURI(AND, RDX, ^(pageMask ^ mask))
	tag := offTLBRead
	if store {
		tag = offTLBWrite
	}
	a.ALURM(CMP, RDX, M(RCX, tag))
	a.Jcc(CondNE, slow)
	a.Load64(RCX, M(RCX, offTLBHost))
	a.Mov32(RDX, RAX)
	a.ALURI(AND, RDX, pageMask)
}

// tlbEntry sets CX to the address of the entry for the address in AX
// in the TLB array that the CPU field at off points to (memState.cur or
// icur): (AX >> 12 & (tlbSize-1)) * 32 as one shift and one mask.
func (g *natGen) tlbEntry(off int32) {
	a := &g.a
	a.Mov32(RCX, RAX)
	a.ShiftRI(SHR, RCX, pageShift-5)
	a.ALURI(AND, RCX, (tlbSize-1)<<5)
	a.ALURM64(ADD, RCX, M(RDI, off))
}

// natLDM compiles LDM (loading the PC too, interworking) or STM when all
// the words lie in one page, as the Go ops' fast path does.
func natLDM(store bool) natEmit {
	return func(g *natGen, o *Op) bool {
		a := &g.a
		list := o.imm & 0xffff
		n := uint32(bits.OnesCount32(list))
		if n == 0 {
			return false
		}
		slow := g.slowPath(g.cur)
		a.Load32(R9, regM(o.rn))
		a.Mov32(RAX, R9)
		if o.imm2 != 0 {
			a.ALURI(ADD, RAX, o.imm2)
		}
		g.tlbHost(store, 3, slow)
		a.ALURI(CMP, RDX, pageSize-4*n)
		a.Jcc(CondA, slow)
		delta := blockDelta(o)
		if !store && delta != 0 {
			// The base first, so that a loaded Rn wins.
			a.ALURI(ADD, R9, delta)
			a.Store32(regM(o.rn), R9)
		}
		k := int32(0)
		for l := list; l != 0; l &= l - 1 {
			r := uint8(bits.TrailingZeros32(l))
			if r == 15 && !store {
				// LoadWritePC, last: interworking as BX does.
				a.Load32(RAX, MI(RCX, RDX, 4*k))
				g.bxWritePC()
				break
			}
			if store {
				a.Load32(R8, regM(r))
				a.Store32(MI(RCX, RDX, 4*k), R8)
			} else {
				a.Load32(R8, MI(RCX, RDX, 4*k))
				a.Store32(regM(r), R8)
			}
			k++
		}
		if store && delta != 0 {
			a.ALURI(ADD, R9, delta)
			a.Store32(regM(o.rn), R9)
		}
		return true
	}
}

// natLDRD compiles LDRD/STRD with an immediate offset and no writeback
// when both words lie in one page.
func natLDRD(store bool) natEmit {
	return func(g *natGen, o *Op) bool {
		a := &g.a
		slow := g.slowPath(g.cur)
		a.Load32(RAX, regM(o.rn))
		if o.imm != 0 {
			a.ALURI(ADD, RAX, o.imm)
		}
		g.tlbHost(store, 3, slow)
		a.ALURI(CMP, RDX, pageSize-8)
		a.Jcc(CondA, slow)
		if store {
			a.Load32(R8, regM(o.rd))
			a.Store32(MI(RCX, RDX, 0), R8)
			a.Load32(R8, regM(o.ra))
			a.Store32(MI(RCX, RDX, 4), R8)
		} else {
			a.Load32(R8, MI(RCX, RDX, 0))
			a.Load32(R9, MI(RCX, RDX, 4))
			a.Store32(regM(o.rd), R8)
			a.Store32(regM(o.ra), R9)
		}
		return true
	}
}

// natMulLong compiles UMULL/SMULL/UMLAL/SMLAL (no flags): RdLo is ra,
// RdHi is rd, written in that order as setLong does.
func natMulLong(signed, acc bool) natEmit {
	return func(g *natGen, o *Op) bool {
		a := &g.a
		a.Load32(RAX, regM(o.rn))
		if signed {
			a.ImulM(regM(o.rm))
		} else {
			a.MulM(regM(o.rm))
		}
		if acc {
			a.ALURM(ADD, RAX, regM(o.ra))
			a.ALURM(ADC, RDX, regM(o.rd))
		}
		a.Store32(regM(o.ra), RAX)
		a.Store32(regM(o.rd), RDX)
		return true
	}
}

// natBX compiles BX and BLX (register): BXWritePC sets T from bit 0. A
// change of state is caught by the epilogue's check before chaining.
func natBX(link bool) natEmit {
	return func(g *natGen, o *Op) bool {
		a := &g.a
		a.Load32(RAX, regM(o.rm))
		if link {
			a.StoreImm32(regM(14), o.imm2)
		}
		g.bxWritePC()
		return true
	}
}

// bxWritePC emits BXWritePC of the value in AX: T from bit 0, the rest
// is where the block continues.
func (g *natGen) bxWritePC() {
	a := &g.a
	g.interworks = true
	a.Mov32(RDX, RAX)
	a.ALURI(AND, RDX, 1)
	a.Store8(M(RDI, offT), RDX)
	a.ALURI(AND, RAX, ^uint32(1))
	a.Store32(M(RDI, offNextPC), RAX)
}

// natDiv compiles UDIV and SDIV: division by zero gives 0 and INT_MIN/-1
// gives INT_MIN, where x86 would fault.
func natDiv(signed bool) natEmit {
	return func(g *natGen, o *Op) bool {
		a := &g.a
		var zero, done Label
		a.Load32(RAX, regM(o.rn))
		a.Load32(RCX, regM(o.rm))
		a.Test32(RCX, RCX)
		a.Jcc(CondE, &zero)
		if signed {
			var div Label
			a.ALURI(CMP, RCX, 0xffffffff)
			a.Jcc(CondNE, &div)
			a.Neg32(RAX)
			a.Jmp(&done)
			a.Bind(&div)
			a.Cdq()
			a.Idiv32(RCX)
		} else {
			a.ALURR(XOR, RDX, RDX)
			a.Div32(RCX)
		}
		a.Jmp(&done)
		a.Bind(&zero)
		a.ALURR(XOR, RAX, RAX)
		a.Bind(&done)
		a.Store32(regM(o.rd), RAX)
		return true
	}
}

// natCompile compiles b, or marks it as not worth compiling.
func (c *CPU) natCompile(b *Block) {
	if c.natBuf == nil {
		mem, err := unix.Mmap(-1, 0, natMapSize, unix.PROT_READ|unix.PROT_WRITE|unix.PROT_EXEC,
			unix.MAP_PRIVATE|unix.MAP_ANON)
		if err != nil {
			c.log.Warn("native code disabled: cannot map executable memory", "err", err)
			c.NoNative = true
			return
		}
		c.natBuf = mem
		runtime.AddCleanup(c, func(m []byte) { unix.Munmap(m) }, mem)
	}
	fns := make([]natEmit, len(b.ops))
	native := 0
	for i := range b.ops {
		if e := natOps[fnPC(b.ops[i].fn)]; e != nil && c.natAllowed(&b.ops[i]) {
			fns[i] = e
			native++
		}
	}
	if 2*native < len(b.ops) {
		b.natSkip = true
		return
	}
	if len(c.natBlocks) >= natBlockLimit {
		c.natReset()
	}
	_, isCP15 := c.cp[15].(*cp15)
	g := &natGen{id: uint32(len(c.natBlocks)), base: c.natUsed, priv: b.state&(1<<9) != 0, cp15: isCP15}
	a := &g.a
	a.B = make([]byte, 0, 1024)
	// Chained entry: a block invalidated since the link was made sends
	// the caller's status (in SI) back to Go.
	var invalid Label
	a.CmpMemImm8(g.hdrMem(natHdrValid), 0)
	a.Jcc(CondE, &invalid)
	labels := make([]Label, len(b.ops)+1)
	entries := make([]int, len(b.ops)+1)
	// Go enters op 0 here; a block may have no ops at all (a lone folded
	// branch), so this is before the loop.
	entries[0] = a.Len()
	a.StoreImm32(M(RDI, offNextPC), b.end)
	// A run of ops with the same condition shares one check, as long as
	// none but the last sets the flags; the check reads the host flags
	// when the op just before left the guest's flags in them.
	groupEnd := -1
	for i := range b.ops {
		o := &b.ops[i]
		a.Bind(&labels[i])
		if i > 0 {
			entries[i] = a.Len()
			if b.ops[i-1].cond != condAL && i > groupEnd {
				g.flags = flagsNone // a skipped op lands here
			}
		}
		g.cur = i
		if fns[i] != nil && o.cond != condAL && i > groupEnd {
			j := i
			for j+1 < len(b.ops) && b.ops[j+1].cond == o.cond && fns[j+1] != nil && !natSetsFlags[fnPC(b.ops[j].fn)] {
				j++
			}
			groupEnd = j
			g.skipUnless(o.cond, &labels[j+1])
		}
		mark := a.Len()
		nstubs := len(g.stubs)
		g.flags = flagsNone
		ok := fns[i] != nil && fns[i](g, o)
		if !ok {
			a.Truncate(mark, &labels[i+1])
			g.stubs = g.stubs[:nstubs]
			g.exitTo(i)
			g.goOps = true
			g.flags = flagsNone
		}
		if len(g.stubs) > nstubs {
			// Go may resume at the next op, with any host flags.
			g.flags = flagsNone
		}
	}
	a.Bind(&labels[len(b.ops)])
	if len(b.ops) > 0 {
		entries[len(b.ops)] = a.Len()
	}
	g.epilogue(c, b)
	a.Bind(&invalid)
	a.Mov64(RAX, RSI)
	a.Ret()
	for _, s := range g.stubs {
		a.Bind(s.l)
		g.exitTo(s.idx)
	}

	n := (len(a.B) + 63) &^ 63
	if c.natUsed+n > natCodeSize {
		c.natReset()
		c.natCompile(b) // ids are baked into the code: compile again
		return
	}
	base := c.natUsed
	copy(c.natBuf[base:], a.B)
	c.natUsed += n
	hdrOff := natCodeSize + int(g.id)*natHdrSize
	h := c.natBuf[hdrOff : hdrOff+natHdrSize]
	clear(h)
	h[natHdrValid] = 1
	for k := range 2 {
		binary.LittleEndian.PutUint32(h[natHdrSlot0+k*natSlotSize+natSlotVPC:], noTag)
	}
	hdr := unsafe.Pointer(&h[0])
	start := uintptr(unsafe.Pointer(&c.natBuf[base]))
	ns := &natBlockState{id: g.id, hdr: hdr, chain: start, entry: make([]uintptr, len(entries)),
		tailGo: len(b.ops) > 0 && fns[len(b.ops)-1] == nil}
	for i, e := range entries {
		ns.entry[i] = start + uintptr(e)
	}
	b.nat = ns
	c.natBlocks = append(c.natBlocks, b)
}

// epilogue finishes the block as exec does, then chains or returns.
func (g *natGen) epilogue(c *CPU, b *Block) {
	a := &g.a
	a.Load32(RAX, M(RDI, offNextPC))
	a.Store32(regM(15), RAX)
	a.ALUMI64(ADD, M(RDI, offRetired), int32(b.ninsn))
	a.StoreImm8(M(RDI, offIT), b.itEnd)

	var done, quiet, noIRQ, noFIQ Label
	a.Load64(RCX, M(RDI, offRetired))
	a.ALURM64(CMP, RCX, M(RDI, offNLimit))
	a.Jcc(CondAE, &done)
	// irqLine, fiqLine and halted are adjacent bytes: one test says
	// whether any needs a closer look.
	a.TestMemImm32(M(RDI, offIRQ), 0x00ffffff)
	a.Jcc(CondE, &quiet)
	a.CmpMemImm8(M(RDI, offHalted), 0)
	a.Jcc(CondNE, &done)
	// An interrupt that is pending and not masked goes to Go.
	a.CmpMemImm8(M(RDI, offIRQ), 0)
	a.Jcc(CondE, &noIRQ)
	a.CmpMemImm8(M(RDI, offI), 0)
	a.Jcc(CondE, &done)
	a.Bind(&noIRQ)
	a.CmpMemImm8(M(RDI, offFIQ), 0)
	a.Jcc(CondE, &noFIQ)
	a.CmpMemImm8(M(RDI, offF), 0)
	a.Jcc(CondE, &done)
	a.Bind(&noFIQ)
	a.Bind(&quiet)
	// The links hold for the state the block ends in. Native ops change
	// the Thumb bit only by interworking branches, and the privilege never
	// (an exception leaves through Go); ops run in Go may change either.
	if g.goOps || g.interworks {
		a.CmpMemImm8(M(RDI, offT), uint8(b.state&1))
		a.Jcc(CondNE, &done)
	}
	if g.goOps {
		// The mode's low byte tells User mode (0x10) from the others.
		a.CmpMemImm8(M(RDI, offMode), ModeUSR)
		if b.state&(1<<9) != 0 {
			a.Jcc(CondE, &done)
		} else {
			a.Jcc(CondNE, &done)
		}
	}
	for k := range 2 {
		var next Label
		var jump Label
		slot := int32(natHdrSlot0 + k*natSlotSize)
		a.ALURM(CMP, RAX, g.hdrMem(slot+natSlotVPC))
		a.Jcc(CondNE, &next)
		a.Load64(R8, g.hdrMem(slot+natSlotPA))
		a.ALURR64(OR, R8, R8) // 0: a link within the page, not checked
		a.Jcc(CondE, &jump)
		// Another page: the TLB must map it for execution to the
		// target's physical page (memState.mapsCode); the slot holds
		// that page + 1.
		g.tlbEntry(offICur)
		a.Mov32(RDX, RAX)
		a.ALURI(AND, RDX, ^uint32(pageMask))
		a.ALURM(CMP, RDX, M(RCX, offTLBExec))
		a.Jcc(CondNE, &next)
		a.Load64(RDX, M(RCX, offTLBPA))
		a.Lea64(RDX, M(RDX, 1))
		a.ALURR64(CMP, RDX, R8)
		a.Jcc(CondNE, &next)
		a.Bind(&jump)
		a.MovImm64(RSI, g.status(natEnd))
		a.JmpMem(g.hdrMem(slot + natSlotTgt))
		a.Bind(&next)
	}
	a.Bind(&done)
	g.exitTo(natEnd)
}

// natLink chains compiled block from to compiled block to, which Go found
// as its successor in the state from ends in.
func (c *CPU) natLink(from, to *Block) {
	if to.state != natEndState(from) {
		return
	}
	hdr := unsafe.Slice((*byte)(from.nat.hdr), natHdrSize)
	slot := func(k int) []byte { return hdr[natHdrSlot0+k*natSlotSize:][:natSlotSize] }
	if to.span {
		// Its code depends on two pages' translations: Go checks both.
		return
	}
	target := uint64(to.nat.chain)
	// A link to a block translated from the same virtual and physical
	// page needs no check: from's code runs only while its page maps to
	// that physical page (Go or a checked link entered the page, and
	// every change of translation or permission ends the block that made
	// it, so that Go looks up the next block). A link to another page
	// holds while the instruction TLB maps that page to the physical page
	// to was translated from, as lookup checks (memState.mapsCode); the
	// slot keeps that page + 1, 0 meaning no check. (QEMU chains directly
	// only within a page, for the same reason.)
	pa := to.pages[0] + 1
	if to.vpc&^pageMask == from.vpc&^pageMask && to.pages[0] == from.pages[0] {
		pa = 0
	}
	for k := range 2 {
		s := slot(k)
		if binary.LittleEndian.Uint32(s[natSlotVPC:]) == to.vpc &&
			binary.LittleEndian.Uint64(s[natSlotPA:]) == pa &&
			binary.LittleEndian.Uint64(s[natSlotTgt:]) == target {
			return
		}
	}
	copy(slot(1), slot(0))
	s := slot(0)
	binary.LittleEndian.PutUint32(s[natSlotVPC:], to.vpc)
	binary.LittleEndian.PutUint64(s[natSlotPA:], pa)
	binary.LittleEndian.PutUint64(s[natSlotTgt:], target)
}

// natInvalidate makes chained jumps into b's code return to Go, and lets
// the block be collected (execNative knows it while it still runs it).
func (c *CPU) natInvalidate(b *Block) {
	if b.nat != nil {
		*(*byte)(unsafe.Add(b.nat.hdr, natHdrValid)) = 0
		c.natBlocks[b.nat.id] = nil
	}
}

// natReset empties the code buffer: every block goes back to the
// interpreter until it is hot again.
func (c *CPU) natReset() {
	for _, b := range c.natBlocks {
		if b != nil {
			b.nat = nil
			b.hits = 0
		}
	}
	c.natBlocks = c.natBlocks[:0]
	c.natUsed = 0
}
