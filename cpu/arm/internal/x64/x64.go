// Package x64 encodes the small subset of x86-64 machine code that the
// native backend of the ARM CPU emits (Intel SDM vol. 2): 32-bit ALU
// operations between registers, immediates and memory operands addressed
// as base+disp or base+index+disp, SETcc, conditional and indirect jumps,
// and the load/store widths the guest's memory accesses need.
//
// There is no general assembler here on purpose: every form is encoded one
// way, always with a 32-bit displacement unless an 8-bit one fits, and the
// tests check each form against golang.org/x/arch/x86/x86asm.
package x64

import "encoding/binary"

// Reg is a general-purpose register number as the hardware numbers them.
type Reg uint8

const (
	RAX Reg = iota
	RCX
	RDX
	RBX
	RSP
	RBP
	RSI
	RDI
	R8
	R9
	R10
	R11
	R12
	R13
	R14
	R15
)

// Cond is a condition code (the low nibble of Jcc and SETcc).
type Cond uint8

const (
	CondO  Cond = 0x0
	CondNO Cond = 0x1
	CondB  Cond = 0x2 // CF=1
	CondAE Cond = 0x3 // CF=0
	CondE  Cond = 0x4
	CondNE Cond = 0x5
	CondBE Cond = 0x6
	CondA  Cond = 0x7
	CondS  Cond = 0x8
	CondNS Cond = 0x9
	CondL  Cond = 0xc
	CondGE Cond = 0xd
	CondLE Cond = 0xe
	CondG  Cond = 0xf
)

// Mem is a memory operand: [Base + Index + Disp] (no index when
// HasIndex is false), or [RIP + Disp] when RIP is set.
type Mem struct {
	Base     Reg
	Index    Reg
	HasIndex bool
	RIP      bool
	Disp     int32
}

// M is [base + disp].
func M(base Reg, disp int32) Mem { return Mem{Base: base, Disp: disp} }

// MI is [base + index + disp].
func MI(base, index Reg, disp int32) Mem {
	return Mem{Base: base, Index: index, HasIndex: true, Disp: disp}
}

// ALU operations that share the classic encoding (opcode group 1).
type ALU uint8

const (
	ADD ALU = 0
	OR  ALU = 1
	ADC ALU = 2
	SBB ALU = 3
	AND ALU = 4
	SUB ALU = 5
	XOR ALU = 6
	CMP ALU = 7
)

// Shift operations (opcode group 2).
type Shift uint8

const (
	ROL Shift = 0
	ROR Shift = 1
	SHL Shift = 4
	SHR Shift = 5
	SAR Shift = 7
)

// Label marks a position in the code; jumps to a label not yet placed are
// fixed up when it is.
type Label struct {
	pos   int
	bound bool
	refs  []int // offsets of rel32 fields that jump here
}

// Asm accumulates machine code.
type Asm struct {
	B []byte
}

// Len is the number of bytes emitted so far.
func (a *Asm) Len() int { return len(a.B) }

func (a *Asm) byte1(b ...byte) { a.B = append(a.B, b...) }

func (a *Asm) u32(v uint32) { a.B = binary.LittleEndian.AppendUint32(a.B, v) }

func (a *Asm) u64(v uint64) { a.B = binary.LittleEndian.AppendUint64(a.B, v) }

// rex emits a REX prefix when any bit is needed or force is set (byte
// registers 4-7 need one to mean SPL..DIL rather than AH..BH).
func (a *Asm) rex(w bool, r, x, b Reg, force bool) {
	v := byte(0x40)
	if w {
		v |= 8
	}
	if r&8 != 0 {
		v |= 4
	}
	if x&8 != 0 {
		v |= 2
	}
	if b&8 != 0 {
		v |= 1
	}
	if v != 0x40 || force {
		a.byte1(v)
	}
}

// modrmMem emits ModRM (+SIB, +disp) for reg field r and memory operand m.
// For a RIP-relative operand, tail is the number of immediate bytes that
// follow, so the displacement can be made relative to the next
// instruction.
func (a *Asm) modrmMem(r Reg, m Mem, tail int) {
	rr := byte(r&7) << 3
	if m.RIP {
		a.byte1(rr | 5)
		a.u32(uint32(m.Disp - int32(len(a.B)+4+tail)))
		return
	}
	var mod byte
	switch {
	case m.Disp == 0 && m.Base&7 != 5:
		mod = 0
	case m.Disp >= -128 && m.Disp < 128:
		mod = 1
	default:
		mod = 2
	}
	if m.HasIndex {
		a.byte1(mod<<6 | rr | 4)
		a.byte1(byte(m.Index&7)<<3 | byte(m.Base&7))
	} else if m.Base&7 == 4 {
		a.byte1(mod<<6 | rr | 4)
		a.byte1(0x24)
	} else {
		a.byte1(mod<<6 | rr | byte(m.Base&7))
	}
	switch mod {
	case 1:
		a.byte1(byte(int8(m.Disp)))
	case 2:
		a.u32(uint32(m.Disp))
	}
}

func memX(m Mem) Reg {
	if m.HasIndex {
		return m.Index
	}
	return 0
}

func memB(m Mem) Reg {
	if m.RIP {
		return 0
	}
	return m.Base
}

// op emits [prefix] [REX] opcode ModRM for a register and a memory operand.
func (a *Asm) opMem(w bool, opcode []byte, r Reg, m Mem, tail int, forceRex bool) {
	a.rex(w, r, memX(m), memB(m), forceRex)
	a.byte1(opcode...)
	a.modrmMem(r, m, tail)
}

// opReg emits [REX] opcode ModRM for two registers (reg field r, r/m rm).
func (a *Asm) opReg(w bool, opcode []byte, r, rm Reg) {
	a.rex(w, r, 0, rm, false)
	a.byte1(opcode...)
	a.byte1(0xc0 | byte(r&7)<<3 | byte(rm&7))
}

// Load32 is MOV r32, [m].
func (a *Asm) Load32(r Reg, m Mem) { a.opMem(false, []byte{0x8b}, r, m, 0, false) }

// Load64 is MOV r64, [m].
func (a *Asm) Load64(r Reg, m Mem) { a.opMem(true, []byte{0x8b}, r, m, 0, false) }

// Store32 is MOV [m], r32.
func (a *Asm) Store32(m Mem, r Reg) { a.opMem(false, []byte{0x89}, r, m, 0, false) }

// Store16 is MOV [m], r16.
func (a *Asm) Store16(m Mem, r Reg) {
	a.byte1(0x66)
	a.opMem(false, []byte{0x89}, r, m, 0, false)
}

// Store8 is MOV [m], r8 (the low byte of r).
func (a *Asm) Store8(m Mem, r Reg) { a.opMem(false, []byte{0x88}, r, m, 0, true) }

// Load8Z, Load16Z, Load8S and Load16S are MOVZX/MOVSX r32 from memory.
func (a *Asm) Load8Z(r Reg, m Mem)  { a.opMem(false, []byte{0x0f, 0xb6}, r, m, 0, false) }
func (a *Asm) Load16Z(r Reg, m Mem) { a.opMem(false, []byte{0x0f, 0xb7}, r, m, 0, false) }
func (a *Asm) Load8S(r Reg, m Mem)  { a.opMem(false, []byte{0x0f, 0xbe}, r, m, 0, false) }
func (a *Asm) Load16S(r Reg, m Mem) { a.opMem(false, []byte{0x0f, 0xbf}, r, m, 0, false) }

// StoreImm32 is MOV dword [m], imm32.
func (a *Asm) StoreImm32(m Mem, v uint32) {
	a.opMem(false, []byte{0xc7}, 0, m, 4, false)
	a.u32(v)
}

// StoreImm16 is MOV word [m], imm16.
func (a *Asm) StoreImm16(m Mem, v uint16) {
	a.byte1(0x66)
	a.opMem(false, []byte{0xc7}, 0, m, 2, false)
	a.B = binary.LittleEndian.AppendUint16(a.B, v)
}

// StoreImm8 is MOV byte [m], imm8.
func (a *Asm) StoreImm8(m Mem, v uint8) {
	a.opMem(false, []byte{0xc6}, 0, m, 1, false)
	a.byte1(v)
}

// MovImm32 is MOV r32, imm32 (zero-extending to 64 bits).
func (a *Asm) MovImm32(r Reg, v uint32) {
	a.rex(false, 0, 0, r, false)
	a.byte1(0xb8 + byte(r&7))
	a.u32(v)
}

// MovImm64 is MOV r64, imm64.
func (a *Asm) MovImm64(r Reg, v uint64) {
	a.rex(true, 0, 0, r, false)
	a.byte1(0xb8 + byte(r&7))
	a.u64(v)
}

// Mov32 is MOV dst32, src32.
func (a *Asm) Mov32(dst, src Reg) { a.opReg(false, []byte{0x89}, src, dst) }

// ALURR is op dst32, src32.
func (a *Asm) ALURR(op ALU, dst, src Reg) { a.opReg(false, []byte{0x01 + byte(op)<<3}, src, dst) }

// ALURR64 is op dst64, src64.
func (a *Asm) ALURR64(op ALU, dst, src Reg) { a.opReg(true, []byte{0x01 + byte(op)<<3}, src, dst) }

// ALURM is op dst32, [m].
func (a *Asm) ALURM(op ALU, dst Reg, m Mem) {
	a.opMem(false, []byte{0x03 + byte(op)<<3}, dst, m, 0, false)
}

// ALURM64 is op dst64, [m].
func (a *Asm) ALURM64(op ALU, dst Reg, m Mem) {
	a.opMem(true, []byte{0x03 + byte(op)<<3}, dst, m, 0, false)
}

// ALURI is op dst32, imm32.
func (a *Asm) ALURI(op ALU, dst Reg, v uint32) {
	if int32(v) >= -128 && int32(v) < 128 {
		a.opReg(false, []byte{0x83}, Reg(op), dst)
		a.byte1(byte(v))
		return
	}
	a.opReg(false, []byte{0x81}, Reg(op), dst)
	a.u32(v)
}

// ALUMI64 is op qword [m], imm32 (sign-extended).
func (a *Asm) ALUMI64(op ALU, m Mem, v int32) {
	a.opMem(true, []byte{0x81}, Reg(op), m, 4, false)
	a.u32(uint32(v))
}

// CmpMemImm8 is CMP byte [m], imm8.
func (a *Asm) CmpMemImm8(m Mem, v uint8) {
	a.opMem(false, []byte{0x80}, 7, m, 1, false)
	a.byte1(v)
}

// CmpMemImm16 is CMP word [m], imm16.
func (a *Asm) CmpMemImm16(m Mem, v uint16) {
	a.byte1(0x66)
	a.opMem(false, []byte{0x81}, 7, m, 2, false)
	a.B = binary.LittleEndian.AppendUint16(a.B, v)
}

// Cmp8RM is CMP r8, byte [m].
func (a *Asm) Cmp8RM(r Reg, m Mem) { a.opMem(false, []byte{0x3a}, r, m, 0, true) }

// AddMem8Imm is ADD byte [m], imm8 (used to move a stored bool into CF).
func (a *Asm) AddMem8Imm(m Mem, v uint8) {
	a.opMem(false, []byte{0x80}, 0, m, 1, false)
	a.byte1(v)
}

// Test32 is TEST r32, r32.
func (a *Asm) Test32(x, y Reg) { a.opReg(false, []byte{0x85}, y, x) }

// ShiftRI is shift dst32 by imm8.
func (a *Asm) ShiftRI(op Shift, dst Reg, n uint8) {
	a.opReg(false, []byte{0xc1}, Reg(op), dst)
	a.byte1(n)
}

// Not32 and Neg32 are NOT r32 and NEG r32.
func (a *Asm) Not32(r Reg) { a.opReg(false, []byte{0xf7}, 2, r) }
func (a *Asm) Neg32(r Reg) { a.opReg(false, []byte{0xf7}, 3, r) }

// Bswap32 is BSWAP r32.
func (a *Asm) Bswap32(r Reg) {
	a.rex(false, 0, 0, r, false)
	a.byte1(0x0f, 0xc8+byte(r&7))
}

// ImulRM is IMUL r32, [m].
func (a *Asm) ImulRM(r Reg, m Mem) { a.opMem(false, []byte{0x0f, 0xaf}, r, m, 0, false) }

// SetMem is SETcc byte [m].
func (a *Asm) SetMem(cc Cond, m Mem) { a.opMem(false, []byte{0x0f, 0x90 + byte(cc)}, 0, m, 0, false) }

// Bind places l at the current position and fixes up earlier jumps to it.
func (a *Asm) Bind(l *Label) {
	l.pos, l.bound = len(a.B), true
	for _, r := range l.refs {
		binary.LittleEndian.PutUint32(a.B[r:], uint32(int32(l.pos-(r+4))))
	}
	l.refs = nil
}

func (a *Asm) rel32(l *Label) {
	if l.bound {
		a.u32(uint32(int32(l.pos - (len(a.B) + 4))))
		return
	}
	l.refs = append(l.refs, len(a.B))
	a.u32(0)
}

// Jcc is a conditional jump to l.
func (a *Asm) Jcc(cc Cond, l *Label) {
	a.byte1(0x0f, 0x80+byte(cc))
	a.rel32(l)
}

// Jmp is an unconditional jump to l.
func (a *Asm) Jmp(l *Label) {
	a.byte1(0xe9)
	a.rel32(l)
}

// JmpMem is JMP qword [m].
func (a *Asm) JmpMem(m Mem) { a.opMem(false, []byte{0xff}, 4, m, 0, false) }

// Ret is RET.
func (a *Asm) Ret() { a.byte1(0xc3) }

// Lea64 is LEA r64, [m].
func (a *Asm) Lea64(r Reg, m Mem) { a.opMem(true, []byte{0x8d}, r, m, 0, false) }

// MulM and ImulM are the one-operand MUL and IMUL of EAX by dword [m]:
// the 64-bit product in EDX:EAX.
func (a *Asm) MulM(m Mem)  { a.opMem(false, []byte{0xf7}, 4, m, 0, false) }
func (a *Asm) ImulM(m Mem) { a.opMem(false, []byte{0xf7}, 5, m, 0, false) }

// ShiftRCL is shift dst32 by CL.
func (a *Asm) ShiftRCL(op Shift, dst Reg) { a.opReg(false, []byte{0xd3}, Reg(op), dst) }

// Rcr1 is RCR r32, 1.
func (a *Asm) Rcr1(r Reg) { a.opReg(false, []byte{0xd1}, 3, r) }

// BsrRM is BSR r32, dword [m].
func (a *Asm) BsrRM(r Reg, m Mem) { a.opMem(false, []byte{0x0f, 0xbd}, r, m, 0, false) }

// Truncate drops the code after the first n bytes, and the jumps in it
// to the labels ls (not yet bound).
func (a *Asm) Truncate(n int, ls ...*Label) {
	a.B = a.B[:n]
	for _, l := range ls {
		k := 0
		for _, r := range l.refs {
			if r < n {
				l.refs[k] = r
				k++
			}
		}
		l.refs = l.refs[:k]
	}
}

// Mov64 is MOV dst64, src64.
func (a *Asm) Mov64(dst, src Reg) { a.opReg(true, []byte{0x89}, src, dst) }

// Div32 and Idiv32 divide EDX:EAX by r32 (quotient in EAX); Cdq sign-
// extends EAX into EDX.
func (a *Asm) Div32(r Reg)  { a.opReg(false, []byte{0xf7}, 6, r) }
func (a *Asm) Idiv32(r Reg) { a.opReg(false, []byte{0xf7}, 7, r) }
func (a *Asm) Cdq()         { a.byte1(0x99) }

// TestMemImm32 is TEST dword [m], imm32.
func (a *Asm) TestMemImm32(m Mem, v uint32) {
	a.opMem(false, []byte{0xf7}, 0, m, 4, false)
	a.u32(v)
}
