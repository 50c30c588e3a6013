package arm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"unsafe"
)

// An op is one pre-decoded step of a block: the handler plus operands that
// the translator already extracted. Most instructions become one op; an
// instruction that reads the PC is preceded by an opSetPC pseudo-op that
// puts the architectural PC value in R[15].
type Op struct {
	fn   opFunc
	pc   uint32 // address of the instruction
	imm  uint32
	imm2 uint32
	insn uint32 // raw encoding (T32: first halfword in the high half)

	idx  uint16 // instructions before this one in the block
	cond uint8  // condition, condAL when unconditional
	it   uint8  // ITSTATE in effect for this instruction
	size uint8  // 2 or 4 bytes
	rd   uint8
	rn   uint8
	rm   uint8
	ra   uint8 // also Rs (register-shifted register) and Rt2
	sh   uint8 // shift type (shiftLSL...) or other small operand
	amt  uint8 // shift amount or other small operand
	s    bool  // sets flags
}

type opFunc func(c *CPU, o *Op)

// fnPC identifies an op function (the address of its code), for tables
// keyed by op kind.
func fnPC(fn opFunc) uintptr { return reflect.ValueOf(fn).Pointer() }

const (
	condAL = 14
	// maxBlockInsns bounds a block so interrupts are checked often enough.
	maxBlockInsns = 64
)

// Block is a translated run of guest instructions: straight-line code that
// ends at a branch, at an instruction that may write the PC or change
// state that translation depends on, or at a page boundary.
type Block struct {
	ops   []Op
	vpc   uint32 // virtual address of the first instruction
	pa    uint64 // physical address of the first instruction
	end   uint32 // virtual address after the last instruction
	state uint32 // ISA state the block was translated for: see stateKey
	ninsn uint32
	size  uint32    // bytes of code, from vpc
	itEnd uint8     // ITSTATE after the last instruction
	pages [2]uint64 // physical pages the code lies in (second may equal first)
	// span is set when the last instruction continues in the next virtual
	// page (a 32-bit Thumb instruction across the boundary): the block
	// then depends on two translations.
	span bool
	// fetchAbort is set when the block only raises the Prefetch Abort of
	// a first instruction whose second halfword could not be fetched. It
	// is not cached: once the guest maps that page (which needs no TLB
	// maintenance), the instruction must run.
	fetchAbort bool
	valid      bool
	link       [2]blockLink

	nat     *natBlockState // native code, once compiled (native.go)
	hits    uint32         // runs in the interpreter, towards natThreshold
	natSkip bool           // not worth compiling
}

// invalidate drops the block from execution, including chained jumps
// into its native code.
func (bc *blockCache) invalidate(b *Block) {
	b.valid = false
	// A dead block's links would keep its successors, and theirs, alive.
	b.link = [2]blockLink{}
	bc.cpu.natInvalidate(b)
}

// blockLink chains a block to a successor by virtual address; it is valid
// while the execution state is the one it was made in and the instruction
// TLB maps the successor's code (memState.mapsCode).
type blockLink struct {
	b     *Block
	vpc   uint32
	state uint32
}

// stateKey packs what translation depends on besides the address: Thumb,
// ITSTATE, and (for the virtual-address caches) privilege, because execute
// permission differs by privilege.
func (c *CPU) stateKey() uint32 {
	k := uint32(c.IT) << 1
	if c.T {
		k |= 1
	}
	if c.mode != ModeUSR {
		k |= 1 << 9
	}
	return k
}

const jumpBits = 12

// jumpEntry caches the block for a virtual address and state; like a
// link, it holds while the instruction TLB maps the block's code, so
// nothing needs to clear the jump cache when translations change.
type jumpEntry struct {
	vpc   uint32
	state uint32
	b     *Block
}

type blockKey struct {
	pa    uint64
	state uint32 // Thumb and ITSTATE only
}

type blockCache struct {
	cpu         *CPU
	translated  uint64 // blocks translated
	invalidated uint64 // code pages invalidated by writes
	flushes     uint64 // whole-cache flushes for exceeding the budget
	// bytes estimates the memory the cached blocks hold. Blocks are only
	// dropped when their code is written, so a guest that runs the same
	// library at ever new virtual addresses (ASLR: every process of a
	// Linux system) would grow the cache without end; past
	// cacheBudget the whole cache is flushed, as QEMU does when its code
	// buffer is full.
	bytes int
	// scratch is the translator's op buffer, reused; each block keeps an
	// exact-sized copy.
	scratch []Op
	blocks  map[blockKey]*Block
	byPage  map[uint64][]*Block
	jump    [1 << jumpBits]jumpEntry
}

func (bc *blockCache) init(c *CPU) {
	bc.cpu = c
	bc.blocks = map[blockKey]*Block{}
	bc.byPage = map[uint64][]*Block{}
}

func (bc *blockCache) flush() {
	for _, b := range bc.blocks {
		bc.invalidate(b)
	}
	// Copies replaced in blocks by one for another virtual address are
	// only in byPage.
	for _, bs := range bc.byPage {
		for _, b := range bs {
			if b.valid {
				bc.invalidate(b)
			}
		}
	}
	clear(bc.blocks)
	clear(bc.byPage)
	clear(bc.jump[:])
	bc.bytes = 0
}

// cacheBudget bounds blockCache.bytes (a variable for tests).
var cacheBudget = 64 << 20

// blockBytes estimates what b holds: its ops, the Block and the cache's
// references to it.
func blockBytes(b *Block) int {
	return len(b.ops)*int(unsafe.Sizeof(Op{})) + int(unsafe.Sizeof(Block{})) + 64
}

// invalidatePage drops every block with code in the physical page.
func (bc *blockCache) invalidatePage(page uint64) {
	bc.invalidated++
	for _, b := range bc.byPage[page] {
		if !b.valid {
			continue
		}
		bc.invalidate(b)
		delete(bc.blocks, blockKey{b.pa, b.state &^ (1 << 9)})
	}
	delete(bc.byPage, page)
	// Jump-cache entries of invalid blocks fail their valid check.
}

// lookup returns the block to run at the current PC and state, translating
// it if needed. It returns nil when fetching the first instruction aborted;
// the abort has then been taken.
func (c *CPU) lookup(prev *Block) *Block {
	pc, st := c.R[15], c.stateKey()
	if prev != nil {
		for i := range prev.link {
			l := &prev.link[i]
			if l.vpc == pc && l.state == st && l.b != nil && l.b.valid && c.mapped(l.b) {
				return l.b
			}
		}
	}
	j := &c.cache.jump[(pc>>1)&(1<<jumpBits-1)]
	b := j.b
	if b == nil || j.vpc != pc || j.state != st || !b.valid || !c.mapped(b) {
		b = c.findBlock(pc, st)
		if b == nil {
			return nil
		}
		*j = jumpEntry{vpc: pc, state: st, b: b}
	}
	if prev != nil {
		// Replace the older link.
		l := &prev.link[0]
		if l.b != nil {
			prev.link[1] = *l
		}
		*l = blockLink{b: b, vpc: pc, state: st}
	}
	return b
}

// mapped reports whether cached block b may run at its address now
// (memState.mapsCode), filling the instruction TLB on a miss. A fault is
// not taken here: findBlock takes it.
func (c *CPU) mapped(b *Block) bool {
	if c.mem.mapsCode(b) {
		return true
	}
	user := c.mode == ModeUSR
	if _, _, fsr := c.mem.fetchEntry(b.vpc, user); fsr != 0 {
		return false
	}
	if b.span {
		if _, _, fsr := c.mem.fetchEntry(b.vpc&^pageMask+pageSize, user); fsr != 0 {
			return false
		}
	}
	return c.mem.mapsCode(b)
}

func (c *CPU) findBlock(pc uint32, st uint32) *Block {
	user := c.mode == ModeUSR
	e, pa, fsr := c.mem.fetchEntry(pc, user)
	if fsr == 0 && e == nil {
		// Not RAM or ROM: executing from MMIO or unmapped space. Only this
		// is a guest error; MMU faults are the guest's demand paging.
		fsr = c.mem.faultStatus(fsExtAbort)
		c.guestError("instruction fetch from a physical address that is not memory", "pc", hex32(pc), "pa", hex64(pa))
	}
	if fsr != 0 {
		c.prefetchAbort(pc, c.IT, fsr)
		c.R[15] = c.nextPC
		c.exit = false
		c.faulted = false
		c.exitPSR = false
		return nil
	}
	key := blockKey{pa, st &^ (1 << 9)}
	if b := c.cache.blocks[key]; b != nil {
		// Same physical code at another virtual address: ops hold absolute
		// PCs, so translate a copy for this address. A block whose last
		// instruction continues in the next page needs that page to map
		// where it did too.
		// A page whose execute permission varies (v7m_mpu.go) runs one
		// instruction per block; a longer block was translated before.
		if b.vpc == pc && (!b.span || c.mapped(b)) && (e.exec == pc&^pageMask || b.ninsn <= 1) {
			return b
		}
	}
	if c.cache.bytes > cacheBudget {
		c.cache.flush()
		c.cache.flushes++
	}
	b := c.translateBlock(pc, pa, st)
	c.cache.translated++
	if b.fetchAbort {
		b.valid, b.natSkip = false, true
		return b
	}
	c.cache.blocks[key] = b
	c.cache.bytes += blockBytes(b)
	for _, p := range uniquePages(b.pages) {
		c.cache.byPage[p] = append(c.cache.byPage[p], b)
	}
	// The bytes the code occupies: from pa to the page end at most, and
	// the rest at the start of the second page.
	off := pa & pageMask
	n := max(uint64(b.size), 4)
	first := min(off+n, pageSize)
	c.mem.markCode(b.pages[0], chunkMask(off, first))
	if rest := off + n - first; rest > 0 && b.pages[1] != b.pages[0] {
		c.mem.markCode(b.pages[1], chunkMask(0, min(rest, pageSize)))
	}
	return b
}

func uniquePages(p [2]uint64) []uint64 {
	if p[0] == p[1] {
		return p[:1]
	}
	return p[:]
}

// translator builds one block.
type translator struct {
	c     *CPU
	ops   []Op
	pc    uint32 // address of the instruction being translated
	insn  uint32
	size  uint8
	thumb bool
	it    uint8 // ITSTATE for the instruction being translated
	cond  uint8 // condition for the instruction being translated
	n     uint16
	end   bool // the instruction ends the block
	// itSet is set by the IT instruction's handler: the ITSTATE for the
	// next instruction.
	itSet   bool
	itNext  uint8
	needsPC bool // force an opSetPC before the instruction's ops
	// jump is set by an unconditional branch folded into the block's end
	// address (jumpTo) instead of an op.
	jump   bool
	jumpTo uint32
	first  int // index in ops of the instruction's first op
}

// pcRead is the value an instruction reads from the PC (ARM ARM A2.3).
func (t *translator) pcRead() uint32 {
	if t.thumb {
		return t.pc + 4
	}
	return t.pc + 8
}

// inIT reports whether the instruction is inside an IT block.
func (t *translator) inIT() bool { return t.it&0xf != 0 }

// lastInIT reports whether the instruction is the last of an IT block.
func (t *translator) lastInIT() bool { return t.it&0xf == 8 }

// emit appends an op for the current instruction, stamping the common
// fields. An op that names R15 in any register field gets the PC value
// written to R15 first.
func (t *translator) emit(o Op) {
	o.pc, o.insn, o.size, o.idx, o.it = t.pc, t.insn, t.size, t.n, t.it
	o.cond = t.cond
	if o.rd == 15 || o.rn == 15 || o.rm == 15 || o.ra == 15 || t.needsPC {
		t.needsPC = false
		t.ops = append(t.ops, Op{fn: opSetPC, imm: t.pcRead(), pc: t.pc, insn: t.insn,
			size: t.size, idx: t.n, it: t.it, cond: condAL})
	}
	t.ops = append(t.ops, o)
}

func opSetPC(c *CPU, o *Op) { c.R[15] = o.imm }

func opNop(c *CPU, o *Op) {}

func opUndefined(c *CPU, o *Op) {
	c.guestError("undefined instruction", "pc", hex32(o.pc), "insn", insnString(o))
	c.undefined(o)
}

func insnString(o *Op) string {
	if o.size == 2 {
		return fmt.Sprintf("%04x", o.insn)
	}
	if o.size == 4 && o.insn>>16 != 0 && o.insn>>27 >= 0x1d && o.insn>>29 == 7 {
		return fmt.Sprintf("%04x %04x", o.insn>>16, o.insn&0xffff)
	}
	return fmt.Sprintf("%08x", o.insn)
}

// translateBlock decodes from pc (physical pa) until the block must end.
func (c *CPU) translateBlock(pc uint32, pa uint64, st uint32) *Block {
	if c.m != nil && st&1 == 0 {
		return c.mInvStateBlock(pc, pa, st)
	}
	t := &translator{c: c, thumb: st&1 != 0, it: uint8(st >> 1), ops: c.cache.scratch[:0]}
	b := &Block{vpc: pc, pa: pa, state: st, valid: true}
	b.pages = [2]uint64{pa &^ pageMask, pa &^ pageMask}
	page := pc &^ pageMask
	for t.n < maxBlockInsns {
		t.pc = pc
		insn, size, ok := c.fetchInsn(pc, t.thumb, &b.pages)
		if !ok {
			if t.n == 0 {
				// The first instruction straddles into a page we cannot
				// fetch: run it as a prefetch abort.
				t.size = 2
				t.insn = 0
				t.cond = condAL
				t.emit(Op{fn: opPrefetchAbortHigh})
				t.n++
				b.fetchAbort = true
			}
			break
		}
		t.insn, t.size = insn, size
		t.end = false
		t.itSet = false
		t.needsPC = false
		t.first = len(t.ops)
		t.decode()
		t.n++
		pc += uint32(size)
		if t.itSet {
			t.it = t.itNext
		} else if t.thumb {
			t.it = itAdvance(t.it)
		}
		if t.end || pc&^pageMask != page {
			break
		}
		if c.mem.icur[page>>pageShift&(tlbSize-1)].exec != page {
			// Execute permission varies within the page (v7m_mpu.go):
			// one instruction per block, each checked when entered.
			break
		}
	}
	b.ops = slices.Clone(t.ops)
	c.cache.scratch = t.ops[:0]
	b.ninsn = uint32(t.n)
	b.size = pc - b.vpc
	b.span = b.size > 0 && (b.vpc^(pc-1))&^pageMask != 0
	b.end = pc
	if t.jump {
		b.end = t.jumpTo
	}
	b.itEnd = t.it
	return b
}

// opPrefetchAbortHigh raises the prefetch abort for the second halfword of
// a 32-bit Thumb instruction that lies in an unfetchable page.
func opPrefetchAbortHigh(c *CPU, o *Op) {
	va := o.pc + 2
	_, _, fsr := c.mem.fill(va, accExec, c.mode == ModeUSR)
	if fsr == 0 {
		fsr = c.mem.faultStatus(fsExtAbort)
	}
	c.prefetchAbort(o.pc, o.it, fsr)
	c.mem.sys.ifar = va
}

// fetchInsn reads the instruction at pc. A Thumb instruction whose second
// halfword lies in the next page records that page in pages[1].
func (c *CPU) fetchInsn(pc uint32, thumb bool, pages *[2]uint64) (insn uint32, size uint8, ok bool) {
	e, _, fsr := c.mem.fetchEntry(pc, c.mode == ModeUSR)
	if fsr != 0 || e == nil {
		return 0, 0, false
	}
	off := pc & pageMask
	if !thumb {
		if off&3 != 0 {
			return 0, 0, false
		}
		return binary.LittleEndian.Uint32(e.host[off:]), 4, true
	}
	hw1 := uint32(binary.LittleEndian.Uint16(e.host[off&^1:]))
	if hw1>>11 < 0x1d {
		return hw1, 2, true
	}
	if off+2 < pageSize {
		return hw1<<16 | uint32(binary.LittleEndian.Uint16(e.host[off+2:])), 4, true
	}
	e2, pa2, fsr := c.mem.fetchEntry(pc+2, c.mode == ModeUSR)
	if fsr != 0 || e2 == nil {
		return 0, 0, false
	}
	pages[1] = pa2 &^ pageMask
	return hw1<<16 | uint32(binary.LittleEndian.Uint16(e2.host[0:])), 4, true
}

// decode translates the current instruction into ops.
func (t *translator) decode() {
	var ok bool
	switch {
	case !t.thumb:
		t.cond = uint8(t.insn >> 28)
		if t.cond == 0xf {
			t.cond = condAL
			ok = decodeWith(t, &a32uTable, t.insn)
		} else {
			ok = decodeWith(t, &a32Table, t.insn)
		}
	case t.size == 2:
		t.cond = t.itCond()
		ok = decodeWith(t, &t16Table, t.insn)
	default:
		t.cond = t.itCond()
		ok = decodeWith(t, &t32Table, t.insn)
	}
	if !ok {
		t.ops = t.ops[:t.first]
		if t.c.m != nil && t.mUndefinedInsn() {
			return
		}
		t.cond = condAL
		if t.inIT() {
			// UNDEFINED inside an IT block still obeys its condition.
			t.cond = t.it >> 4
		}
		t.emit(Op{fn: opUndefined})
		t.end = true
	}
}

// itCond is the condition the IT state imposes on the current instruction.
func (t *translator) itCond() uint8 {
	if t.inIT() {
		return t.it >> 4
	}
	return condAL
}

// --- Execution -------------------------------------------------------------

// Run executes guest code until about budget instructions have retired (it
// finishes the block it is in), the CPU halts in WFI/WFE with no interrupt
// pending, or a hook requests a stop. It returns the instructions retired.
func (c *CPU) Run(budget uint64) (uint64, StopReason) {
	start := c.retired
	c.runLimit = start + budget
	c.stop = StopBudget
	var prev *Block
	// Aborted fetches retire nothing; count them against the budget too so
	// a guest stuck in an abort loop still returns to the machine.
	var aborts uint64
	c.nlimit = c.runLimit
	native := natSupported && !c.NoNative && c.Trace == nil
	for c.retired+aborts < c.runLimit {
		if c.irqLine || c.fiqLine {
			if c.checkInterrupts() {
				prev = nil
			}
		}
		if c.halted {
			if !c.wakeUp() {
				if c.m != nil && c.m.lockedUp {
					return c.retired - start, StopLockup
				}
				return c.retired - start, StopHalt
			}
		}
		b := c.lookup(prev)
		if b == nil {
			prev = nil
			aborts++
			c.nlimit = c.runLimit - aborts
			continue
		}
		if native && b.nat == nil && !b.natSkip {
			if b.hits++; b.hits > natThreshold || c.NativeEager {
				c.natCompile(b)
			}
		}
		switch {
		case c.Trace != nil:
			c.execTraced(b)
			prev = b
		case b.nat != nil:
			if prev != nil && prev.nat != nil && !prev.nat.tailGo && prev.valid {
				c.natLink(prev, b)
			}
			prev = c.execNative(b)
		default:
			c.exec(b)
			prev = b
		}
		if c.stop != StopBudget {
			return c.retired - start, c.stop
		}
	}
	return c.retired - start, StopBudget
}

// LimitRun lowers the running Run's limit to retired count n: a timer
// event scheduled during the run falls due after n instructions, and the
// machine must see it then, not at the end of the budget it gave Run.
// The block running finishes first. A limit above the current one, or a
// call outside Run, changes nothing.
func (c *CPU) LimitRun(n uint64) {
	if n < c.runLimit {
		c.runLimit = n
		c.nlimit = min(c.nlimit, n)
	}
}

// exec runs one block. This is the hot loop.
func (c *CPU) exec(b *Block) {
	c.nextPC = b.end
	ops := b.ops
	for i := range ops {
		o := &ops[i]
		if o.cond != condAL && !c.condPass(o.cond) {
			continue
		}
		o.fn(c, o)
		if c.exit {
			c.blockExit(o)
			return
		}
	}
	c.retired += uint64(b.ninsn)
	c.R[15] = c.nextPC
	c.IT = b.itEnd
}

// blockExit finishes a block that op o cut short.
func (c *CPU) blockExit(o *Op) {
	c.exit = false
	n := uint64(o.idx)
	if !c.faulted {
		n++
	}
	c.faulted = false
	c.retired += n
	c.R[15] = c.nextPC
	if c.exitPSR {
		// Exception entry or return set the ITSTATE itself.
		c.exitPSR = false
	} else {
		c.IT = itAdvance(o.it)
	}
	if c.m != nil && c.m.excReturn {
		// An M-profile exception return (B1.5.8), now that the
		// instruction that loaded EXC_RETURN into the PC is complete.
		c.m.excReturn = false
		c.mExceptionReturn(c.R[15])
		c.mBoundary()
	}
	if c.m != nil && c.m.resetReq {
		c.mSystemReset()
	}
}

// execTraced runs a block one instruction at a time, reporting each.
func (c *CPU) execTraced(b *Block) {
	c.nextPC = b.end
	ops := b.ops
	lastIdx := -1
	for i := range ops {
		o := &ops[i]
		if int(o.idx) != lastIdx {
			lastIdx = int(o.idx)
			c.Trace(o.pc, b.state&1 != 0, o.insn, int(o.size))
		}
		if o.cond != condAL && !c.condPass(o.cond) {
			continue
		}
		o.fn(c, o)
		if c.exit {
			c.blockExit(o)
			return
		}
	}
	c.retired += uint64(b.ninsn)
	c.R[15] = c.nextPC
	c.IT = b.itEnd
}

// condPass evaluates a condition code against the flags (ARM ARM A8.3).
func (c *CPU) condPass(cond uint8) bool {
	var r bool
	switch cond >> 1 {
	case 0:
		r = c.Z
	case 1:
		r = c.C
	case 2:
		r = c.N
	case 3:
		r = c.V
	case 4:
		r = c.C && !c.Z
	case 5:
		r = c.N == c.V
	case 6:
		r = c.N == c.V && !c.Z
	default:
		return true
	}
	if cond&1 != 0 {
		return !r
	}
	return r
}

func (c *CPU) wakeUp() bool {
	if c.m != nil {
		return c.mWakeUp()
	}
	if c.haltWFE {
		// WFE wakes on the event register or an unmasked interrupt
		// (ARM ARM B1.8.13); waking on the event consumes it.
		switch {
		case c.eventReg:
			c.eventReg = false
		case c.irqLine && !c.I, c.fiqLine && !c.F:
		default:
			return false
		}
	} else if !c.irqLine && !c.fiqLine {
		// WFI wakes on any pending interrupt, even a masked one (B1.8.12).
		return false
	}
	c.halted, c.haltWFE = false, false
	return true
}

// Halted reports whether the CPU waits in WFI/WFE.
func (c *CPU) Halted() bool { return c.halted }

// RequestStop makes Run return StopRequest after the current instruction;
// hooks (semihosting exit, PSCI SYSTEM_OFF) use it.
func (c *CPU) RequestStop() {
	c.stop = StopRequest
}

var errFault = errors.New("arm: address not accessible")

func hex32(v uint32) string { return fmt.Sprintf("%#08x", v) }
func hex64(v uint64) string { return fmt.Sprintf("%#x", v) }

// PC writes (ARM ARM A2.3.1). Each sets where execution continues after
// the block; the translator ends the block at any instruction that may
// write the PC.

// branchWritePC branches without changing the instruction set.
func (c *CPU) branchWritePC(v uint32) {
	if c.T {
		c.nextPC = v &^ 1
	} else {
		c.nextPC = v &^ 3
	}
}

// bxWritePC branches and selects the instruction set from bit 0.
// An ARM target with bit 1 set is UNPREDICTABLE; like QEMU we clear only
// bit 0.
func (c *CPU) bxWritePC(v uint32) {
	if c.m != nil && v>>28 == 0xf && c.m.handlerMode() {
		c.mExcReturnPC(v)
		return
	}
	c.T = v&1 != 0
	c.nextPC = v &^ 1
}

// loadWritePC is the PC write of LDR/LDM/POP: interworking (ARMv5T+).
func (c *CPU) loadWritePC(v uint32) { c.bxWritePC(v) }

// aluWritePC is the PC write of data-processing instructions: interworking
// in ARM state (ARMv7), a plain branch in Thumb state.
func (c *CPU) aluWritePC(v uint32) {
	if c.T {
		c.branchWritePC(v)
	} else {
		c.bxWritePC(v)
	}
}

// CacheStats reports how many blocks were translated and how many code
// pages were invalidated by writes since the CPU was created.
func (c *CPU) CacheStats() (translated, invalidated uint64) {
	return c.cache.translated, c.cache.invalidated
}
