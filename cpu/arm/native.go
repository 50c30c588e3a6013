package arm

import "unsafe"

// The native backend (native_amd64.go) compiles hot blocks' ops to host
// machine code. This file is the part every host shares: the bookkeeping
// in Block and CPU, and the driver that runs a compiled block.
//
// A compiled block runs its ops natively where it can. An op it cannot run
// (an unsupported op, or a memory access that misses the fast path) makes
// the native code return to Go with the op's index; Go runs that op as the
// interpreter would and resumes the native code after it, so the native
// code only ever covers the common case and never decides anything the
// interpreter does not. At the end of a block the native code does the
// interpreter's epilogue (PC, retired count, ITSTATE) and jumps straight
// to a chained successor when nothing needs Go's attention: the budget is
// not used up, no interrupt is pending, the CPU is not halted, and the
// state (Thumb, privilege, TLB epoch) is the one the link was made in.

// natThreshold is how many times a block runs in the interpreter before
// it is compiled: cold code (most of a kernel's boot) is not worth it.
const natThreshold = 16

// Status words the native code returns: the block's id in the high bits,
// and in the low 16 bits the index of the op for Go to run, or natEnd when
// the block finished.
const (
	natEnd     = 0xffff
	natIdShift = 16
)

// natBlockState is a block's native-code bookkeeping; nil until compiled.
type natBlockState struct {
	id    uint32
	entry []uintptr      // resume address before each op; [len(ops)] is the epilogue
	hdr   unsafe.Pointer // the block's header (valid byte, link slots)
	chain uintptr        // where chained jumps enter: the valid check, then op 0
	// tailGo is set when the last op always runs in Go, which then
	// finishes the block itself: such a block never chains natively.
	tailGo bool
}

// execNative runs compiled block b and any blocks it chains to, returning
// the last block it ran (for the caller's chaining).
func (c *CPU) execNative(b *Block) *Block {
	st := callNative(b.nat.entry[0], c)
	for {
		// An invalidated block's id is free, but its code still runs
		// when Go resumes it after an op that invalidated it (a store to
		// its own page); chained jumps never enter it. So a status from
		// a freed id comes from b, the block Go last entered.
		if nb := c.natBlocks[st>>natIdShift]; nb != nil {
			b = nb
		}
		i := int(st & 0xffff)
		if i == natEnd {
			return b
		}
		o := &b.ops[i]
		if o.cond == condAL || c.condPass(o.cond) {
			o.fn(c, o)
			if c.exit {
				c.blockExit(o)
				return b
			}
			if c.stop != StopBudget {
				c.nlimit = 0 // end at this block, as the interpreter would
			}
		}
		if i+1 == len(b.ops) {
			// The last op ran in Go (typically a PC-writing one): finish
			// here rather than re-enter only for the epilogue.
			c.retired += uint64(b.ninsn)
			c.R[15] = c.nextPC
			c.IT = b.itEnd
			return b
		}
		st = callNative(b.nat.entry[i+1], c)
	}
}

// natEndState is the state key a compiled block ends in unless an op
// changed it: that is the state its native chains are valid for.
func natEndState(b *Block) uint32 {
	return b.state&^(0xff<<1) | uint32(b.itEnd)<<1
}

// Ops that native code must leave to Go on the M profile: PC writes that
// may be exception returns (BX, BLX, LDM and loads to the PC in Handler
// mode, ARMv7-M ARM B1.5.8), and divisions, which may trap (CCR.DIV_0_TRP).
var (
	natPCopBX     = fnPC(opBX)
	natPCopBLXReg = fnPC(opBLXReg)
	natPCopUdiv   = fnPC(opUdiv)
	natPCopSdiv   = fnPC(opSdiv)
	natPCopLDM    = fnPC(opLDM)
)

// natAllowed reports whether op o may be compiled to native code.
func (c *CPU) natAllowed(o *Op) bool {
	if c.m == nil {
		return true
	}
	switch fnPC(o.fn) {
	case natPCopBX, natPCopBLXReg, natPCopUdiv, natPCopSdiv:
		return false
	case natPCopLDM:
		return o.imm&0x8000 == 0
	}
	return o.rd != 15
}
