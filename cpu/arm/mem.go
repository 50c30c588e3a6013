package arm

import (
	"encoding/binary"
	"math/bits"
)

// Memory access: a software TLB maps a virtual page to the host bytes of
// a RAM page so that an aligned access that hits does one compare and one
// load, with no allocation. Everything else (misses, MMIO, unaligned,
// big-endian data, writes to pages holding translated code, faults) takes
// the slow path.

const (
	pageShift = 12
	pageSize  = 1 << pageShift
	pageMask  = pageSize - 1
	tlbBits   = 10
	tlbSize   = 1 << tlbBits
	// noTag never equals a page-aligned address, so an entry tag set to it
	// forces the slow path for that kind of access.
	noTag = 1
)

type tlbEntry struct {
	read, write, exec uint32 // virtual page address when allowed, else noTag
	// big is, for a page of a mapping larger than a page (section,
	// supersection, large page, LPAE block), the mapping's virtual base
	// with log2 of its size in bits [4:0]; 0 otherwise. TLBIMVA of any
	// address in the mapping must drop every page of it.
	big  uint32
	pa   uint64 // physical page address
	host *[pageSize]byte
}

var emptyTLBEntry = tlbEntry{read: noTag, write: noTag, exec: noTag}

// tlbContexts is how many TLB contexts memState keeps (see tlbContext).
const tlbContexts = 4

// A tlbContext is a software TLB filled under one value of the
// translation registers that an operating system switches back and forth
// without TLB maintenance: DACR (Linux's software PAN opens and closes
// every user access window with a DACR write) and TTBCR (the LPAE
// kernels do the same with TTBCR.EPD0). Those writes only select another
// context, so that the next few thousand instructions do not walk the
// tables again; everything that invalidates translations (TLB
// maintenance, the other translation registers) invalidates every
// context. Holding entries across a DACR or TTBCR change is what a real
// TLB does: its entries stay until TLB maintenance.
type tlbContext struct {
	key   uint64 // the DACR<<32 | TTBCR value the entries were filled under
	used  uint64 // when it was last made current, for replacement
	stale bool   // flushed while not current: clear before use
	// tlb holds the data accesses, itlb the instruction fetches, each
	// indexed by privilege: [0] serves PL0 (User mode, LDRT/STRT), [1]
	// PL1. Instruction pages apart from data pages cannot evict each
	// other, and lookup (block.go) checks every cached block against itlb.
	tlb  [2][tlbSize]tlbEntry
	itlb [2][tlbSize]tlbEntry
	// filled lists the entries fill has written since the last clear
	// (tlbSlot), so that clear rewrites only those: a flush then costs
	// what the guest touched, not the 4096 entries (an M-profile RTOS
	// reprograms the MPU, which flushes, on every context switch).
	// tracked says filled is complete: false in a new context and after
	// tlbFilledMax entries, when clear sweeps every array instead.
	filled  []uint16
	tracked bool
}

// tlbFilledMax bounds tlbContext.filled; beyond it a full sweep is as
// cheap.
const tlbFilledMax = 512

// tlbSlot names entry i of the data (exec false) or instruction TLB of
// privilege k, for tlbContext.filled.
func tlbSlot(k int, exec bool, i uint32) uint16 {
	v := uint16(k)<<(tlbBits+1) | uint16(i)
	if exec {
		v |= 1 << tlbBits
	}
	return v
}

// noteFilled records that fill wrote a slot.
func (x *tlbContext) noteFilled(slot uint16) {
	if !x.tracked {
		return
	}
	if len(x.filled) == tlbFilledMax {
		x.tracked = false
		return
	}
	x.filled = append(x.filled, slot)
}

func (x *tlbContext) clear() {
	if x.tracked {
		for _, v := range x.filled {
			k, i := v>>(tlbBits+1), v&(tlbSize-1)
			if v&(1<<tlbBits) != 0 {
				x.itlb[k][i] = emptyTLBEntry
			} else {
				x.tlb[k][i] = emptyTLBEntry
			}
		}
	} else {
		for k := range x.tlb {
			for j := range x.tlb[k] {
				x.tlb[k][j] = emptyTLBEntry
				x.itlb[k][j] = emptyTLBEntry
			}
		}
	}
	x.filled = x.filled[:0]
	x.tracked = true
	x.stale = false
}

type memState struct {
	c   *CPU
	sys sysRegs
	// cur and icur are the data and instruction TLBs of the current
	// privilege in the current context; the native code reads them.
	cur  *[tlbSize]tlbEntry
	icur *[tlbSize]tlbEntry
	ctx  *tlbContext // the current context
	key  uint64      // the translation registers' DACR<<32 | TTBCR
	ctxs [tlbContexts]tlbContext
	tick uint64 // context switches, for tlbContext.used
	// codePages holds the physical pages that have translated code, each
	// with a bitmap of its 64-byte chunks that do: only a write to one of
	// those invalidates the page's translations. Small firmware often
	// keeps data or its stack next to its code, and a page granularity
	// would retranslate it on every such store.
	codePages map[uint64]uint64
	// bigMB has a bit for each MiB of virtual address space that a TLB
	// entry of a mapping larger than a page (big != 0) may cover, in any
	// context: flushPage scans the TLBs for such entries only when the
	// address's bit is set. It is a superset, made exact again by each
	// scan.
	bigMB [1 << (32 - 20 - 6)]uint64
	// flushes counts flushAll calls (tests, statistics).
	flushes uint64
}

func (m *memState) init(c *CPU) {
	m.c = c
	m.codePages = map[uint64]uint64{}
	m.ctx = &m.ctxs[0]
	m.privilegeChanged()
	m.flushAll()
}

// flushAll invalidates every TLB entry of every context (TLBIALL and
// anything that changes translation wholesale). The other contexts are
// only marked stale; they are cleared when next made current.
func (m *memState) flushAll() {
	for i := range m.ctxs {
		m.ctxs[i].stale = true
	}
	m.ctx.clear()
	m.ctx.key = m.key
	clear(m.bigMB[:])
	m.flushes++
}

// setKey tells the TLB that DACR or TTBCR changed (key is DACR<<32 |
// TTBCR): it makes the context filled under key current, or replaces the
// least recently used context with an empty one for key.
func (m *memState) setKey(key uint64) {
	if key == m.key {
		return
	}
	m.key = key
	var x *tlbContext
	for i := range m.ctxs {
		y := &m.ctxs[i]
		if y.key == key && !y.stale {
			x = y
			break
		}
		if x == nil || y.stale && !x.stale || y.stale == x.stale && y.used < x.used {
			x = y
		}
	}
	if x.key != key || x.stale {
		x.clear()
		x.key = key
	}
	m.tick++
	x.used = m.tick
	m.ctx = x
	m.privilegeChanged()
}

// flushPage invalidates the entries for the page holding va in every
// context (TLBIMVA), and every page of a larger mapping that holds va.
func (m *memState) flushPage(va uint32) {
	i := va >> pageShift & (tlbSize - 1)
	vpage := va &^ pageMask
	for x := range m.ctxs {
		ctx := &m.ctxs[x]
		if ctx.stale {
			continue
		}
		for k := range ctx.tlb {
			if e := &ctx.tlb[k][i]; e.read == vpage || e.write == vpage {
				*e = emptyTLBEntry
			}
			if e := &ctx.itlb[k][i]; e.exec == vpage {
				*e = emptyTLBEntry
			}
		}
	}
	if m.bigMB[va>>26]&(1<<(va>>20&63)) != 0 {
		m.flushBig(va)
	}
}

// flushBig drops the entries of every mapping larger than a page that
// holds va, and recomputes bigMB from the entries that remain.
func (m *memState) flushBig(va uint32) {
	clear(m.bigMB[:])
	drop := func(e *tlbEntry) {
		if e.big == 0 {
			return
		}
		if mask := uint32(1)<<(e.big&0x1f) - 1; (e.big^va)&^mask == 0 {
			*e = emptyTLBEntry
		} else {
			m.markBig(e.big)
		}
	}
	for x := range m.ctxs {
		ctx := &m.ctxs[x]
		if ctx.stale {
			continue
		}
		for k := range ctx.tlb {
			for j := range ctx.tlb[k] {
				drop(&ctx.tlb[k][j])
				drop(&ctx.itlb[k][j])
			}
		}
	}
}

// markBig sets the bigMB bits of the mapping that tlbEntry.big describes.
func (m *memState) markBig(big uint32) {
	base := big &^ 0x1f
	first, last := base>>20, (base+(uint32(1)<<(big&0x1f)-1))>>20
	for w := first >> 6; w <= last>>6; w++ {
		lo, hi := max(first, w<<6)&63, min(last, w<<6|63)&63
		m.bigMB[w] |= ^uint64(0) >> (63 - hi) &^ (1<<lo - 1)
	}
}

func (m *memState) privilegeChanged() {
	k := 1
	if m.c.mode == ModeUSR {
		k = 0
	}
	m.cur = &m.ctx.tlb[k]
	m.icur = &m.ctx.itlb[k]
}

// codeChunkShift is log2 of the granule codePages tracks code in.
const codeChunkShift = 6

// chunkMask is the codePages bitmap of the chunks that bytes [lo, hi) of a
// page touch (0 <= lo < hi <= pageSize).
func chunkMask(lo, hi uint64) uint64 {
	first, last := lo>>codeChunkShift, (hi-1)>>codeChunkShift
	return (^uint64(0) >> (63 - last)) &^ (1<<first - 1)
}

// markCode records that the chunks of page holds translated code and
// revokes fast writes to the page in every context, so that writes are
// checked against them.
func (m *memState) markCode(page uint64, chunks uint64) {
	old, had := m.codePages[page]
	m.codePages[page] = old | chunks
	if had {
		return
	}
	for x := range m.ctxs {
		ctx := &m.ctxs[x]
		if ctx.stale {
			continue
		}
		for k := range ctx.tlb {
			for j := range ctx.tlb[k] {
				if e := &ctx.tlb[k][j]; e.pa == page && e.host != nil {
					e.write = noTag
				}
			}
		}
	}
}

// Access kinds for the slow path.
type accKind uint8

const (
	accRead accKind = iota
	accWrite
	accExec
)

// Access flags.
const (
	afUser     = 1 << iota // unprivileged access (LDRT/STRT) or User mode
	afAlignA               // alignment fault on misalignment only when SCTLR.A=1
	afAlignAll             // alignment fault on any misalignment (LDM, LDREX, ...)
)

// Fault status values, short-descriptor format (ARM ARM B3.13.3).
const (
	fsAlignment = 0x01
	fsDebug     = 0x02
	fsExtAbort  = 0x08
	fsTransSect = 0x05
	fsTransPage = 0x07
	fsWnR       = 1 << 11
)

// translation is the result of translating a virtual address.
type translation struct {
	pa  uint64
	fsr uint32 // fault status in the current FSR format; 0 on success
	// perm holds, on success, the kinds of access (1<<accRead,
	// 1<<accWrite, 1<<accExec) the mapping permits at the privilege the
	// translation was made for; it includes the kind asked for.
	perm uint8
	size uint8 // log2 of the size of the mapping (12 for a small page)
}

// flat is the translation with the MMU off (ARM ARM B3.2): the identity,
// every access permitted.
func flat(va uint32) translation {
	return translation{pa: uint64(va), perm: 1<<accRead | 1<<accWrite | 1<<accExec, size: pageShift}
}

// translate maps va to a physical address for an access of the given kind.
// With the MMU off it is the identity (ARM ARM B3.2).
func (m *memState) translate(va uint32, kind accKind, user bool) translation {
	if m.c.m != nil {
		return m.c.mpuTranslate(va, kind, user) // v7m_mpu.go
	}
	if m.sys.sctlr&sctlrM != 0 && m.c.mmu != nil {
		return m.c.mmu.Translate(va, kind, user)
	}
	return flat(va)
}

// fill loads the TLB entry for va's page and returns it, or nil when the
// page is not RAM/ROM (MMIO or unmapped) or a fault occurred (fsr != 0).
// An instruction fetch (accExec) fills the instruction TLB, any other
// access the data TLB. The entry caches the permissions the translation
// reports for the privilege it serves; anything that changes them (a
// privilege change selects another array, a DACR or TTBCR write another
// context; SCTLR, TTBR and CONTEXTIDR writes and TLB maintenance flush)
// invalidates it.
func (m *memState) fill(va uint32, kind accKind, user bool) (e *tlbEntry, pa uint64, fsr uint32) {
	t := m.translate(va, kind, user)
	if t.fsr != 0 {
		return nil, 0, t.fsr
	}
	pa = t.pa
	page := pa &^ pageMask
	b := m.c.Bus
	host := b.HostPage(page, false)
	if host == nil {
		return nil, pa, 0
	}
	k := 1
	if user {
		k = 0
	}
	i := va >> pageShift & (tlbSize - 1)
	if kind == accExec {
		e = &m.ctx.itlb[k][i]
	} else {
		e = &m.ctx.tlb[k][i]
	}
	m.ctx.noteFilled(tlbSlot(k, kind == accExec, i))
	vpage := va &^ pageMask
	*e = tlbEntry{read: noTag, write: noTag, exec: noTag, pa: page, host: (*[pageSize]byte)(host)}
	if t.size > pageShift {
		e.big = va&^(uint32(1)<<t.size-1) | uint32(t.size)
		m.markBig(e.big)
	}
	if t.size < pageShift {
		// Permissions differ within the page (an M-profile MPU region
		// smaller than a page): every access asks translate.
		return e, pa, 0
	}
	if kind == accExec {
		e.exec = vpage
		return e, pa, 0
	}
	if m.c.E {
		// Big-endian data: keep data accesses on the slow path, which swaps.
		return e, pa, 0
	}
	if t.perm&(1<<accRead) != 0 {
		e.read = vpage
	}
	if _, code := m.codePages[page]; t.perm&(1<<accWrite) != 0 && !code && b.HostPage(page, true) != nil {
		e.write = vpage
	}
	return e, pa, 0
}

// fetchEntry returns the instruction TLB entry for va's page, filling it
// on a miss, as fill does.
func (m *memState) fetchEntry(va uint32, user bool) (e *tlbEntry, pa uint64, fsr uint32) {
	k := 1
	if user {
		k = 0
	}
	e = &m.ctx.itlb[k][va>>pageShift&(tlbSize-1)]
	if e.exec == va&^pageMask {
		return e, e.pa | uint64(va&pageMask), 0
	}
	return m.fill(va, accExec, user)
}

// mapsCode reports whether the instruction TLB of the current privilege
// maps b's code for execution to the physical pages b was translated
// from: then b may run at its address. Every cached way to a block by
// virtual address (links, the jump cache, native chains between pages)
// checks this, so that TLB maintenance, a DACR or TTBCR change and a
// remapped page all take effect at the next block without flushing
// anything else.
func (m *memState) mapsCode(b *Block) bool {
	e := &m.icur[b.vpc>>pageShift&(tlbSize-1)]
	if e.exec != b.vpc&^pageMask || e.pa != b.pages[0] {
		return false
	}
	if !b.span {
		return true
	}
	va := b.vpc&^pageMask + pageSize
	e = &m.icur[va>>pageShift&(tlbSize-1)]
	return e.exec == va && e.pa == b.pages[1]
}

// MMU is the address translation the CP15 model provides.
type MMU interface {
	// Translate maps va for an access of the given kind at PL0 (user) or
	// PL1, returning the physical address and the permissions of the
	// mapping, or a fault status in the current FSR format (with the
	// domain, and bit 9 for LPAE format). The caller has checked that
	// SCTLR.M is set.
	Translate(va uint32, kind accKind, user bool) translation
}

// --- Fast paths -------------------------------------------------------------

// hostR returns the host bytes at va when a read of the size whose
// alignment mask is mask (size-1) hits the TLB, else nil. It is small
// enough for the compiler to inline into the ops; an access that misses,
// is misaligned or is big-endian goes to loadSlow.
func (c *CPU) hostR(va, mask uint32) []byte {
	e := &c.mem.cur[va>>pageShift&(tlbSize-1)]
	if e.read == va&^(pageMask^mask) {
		return e.host[va&pageMask:]
	}
	return nil
}

// hostW is hostR for writes (pages with translated code never hit).
func (c *CPU) hostW(va, mask uint32) []byte {
	e := &c.mem.cur[va>>pageShift&(tlbSize-1)]
	if e.write == va&^(pageMask^mask) {
		return e.host[va&pageMask:]
	}
	return nil
}

// ld32 loads a word for LDR-class instructions (unaligned allowed unless
// SCTLR.A=1). ok is false when an abort was taken; the op must then return
// without changing any register.
func (c *CPU) ld32(o *Op, va uint32) (uint32, bool) {
	if p := c.hostR(va, 3); p != nil {
		return binary.LittleEndian.Uint32(p), true
	}
	return c.loadSlow(o, va, 4, afAlignA)
}

// ld32a loads a word that must be word-aligned (LDM, LDRD, POP, RFE).
func (c *CPU) ld32a(o *Op, va uint32) (uint32, bool) {
	if p := c.hostR(va, 3); p != nil {
		return binary.LittleEndian.Uint32(p), true
	}
	return c.loadSlow(o, va, 4, afAlignAll)
}

func (c *CPU) ld16(o *Op, va uint32) (uint32, bool) {
	if p := c.hostR(va, 1); p != nil {
		return uint32(binary.LittleEndian.Uint16(p)), true
	}
	return c.loadSlow(o, va, 2, afAlignA)
}

func (c *CPU) ld8(o *Op, va uint32) (uint32, bool) {
	if p := c.hostR(va, 0); p != nil {
		return uint32(p[0]), true
	}
	return c.loadSlow(o, va, 1, 0)
}

// load is the general form: size 1, 2 or 4 bytes with access flags af.
func (c *CPU) load(o *Op, va uint32, size int, af int) (uint32, bool) {
	return c.loadSlow(o, va, size, af)
}

func (c *CPU) st32(o *Op, va, v uint32) bool {
	if p := c.hostW(va, 3); p != nil {
		binary.LittleEndian.PutUint32(p, v)
		return true
	}
	return c.storeSlow(o, va, 4, v, afAlignA)
}

func (c *CPU) st32a(o *Op, va, v uint32) bool {
	if p := c.hostW(va, 3); p != nil {
		binary.LittleEndian.PutUint32(p, v)
		return true
	}
	return c.storeSlow(o, va, 4, v, afAlignAll)
}

func (c *CPU) st16(o *Op, va, v uint32) bool {
	if p := c.hostW(va, 1); p != nil {
		binary.LittleEndian.PutUint16(p, uint16(v))
		return true
	}
	return c.storeSlow(o, va, 2, v, afAlignA)
}

func (c *CPU) st8(o *Op, va, v uint32) bool {
	if p := c.hostW(va, 0); p != nil {
		p[0] = byte(v)
		return true
	}
	return c.storeSlow(o, va, 1, v, 0)
}

// store is the general form.
func (c *CPU) store(o *Op, va uint32, size int, v uint32, af int) bool {
	return c.storeSlow(o, va, size, v, af)
}

// --- Slow path ---------------------------------------------------------------

func (c *CPU) alignFault(va uint32, size int, af int) bool {
	if va&uint32(size-1) == 0 {
		return false
	}
	return af&afAlignAll != 0 || af&afAlignA != 0 && c.mem.sys.sctlr&sctlrA != 0
}

func (c *CPU) abortFor(o *Op, va uint32, fsr uint32, write bool) {
	if write {
		fsr |= fsWnR
	}
	c.dataAbort(o, fsr, va)
}

// xlate translates one data access, taking the abort on a fault.
func (c *CPU) xlate(o *Op, va uint32, kind accKind, user bool) (e *tlbEntry, pa uint64, ok bool) {
	e, pa, fsr := c.mem.fill(va, kind, user)
	if fsr != 0 {
		c.abortFor(o, va, fsr, kind == accWrite)
		return nil, 0, false
	}
	return e, pa, true
}

func (c *CPU) loadSlow(o *Op, va uint32, size int, af int) (uint32, bool) {
	if c.alignFault(va, size, af) {
		c.abortFor(o, va, c.mem.faultStatus(fsAlignment), false)
		return 0, false
	}
	user := af&afUser != 0 || c.mode == ModeUSR
	var v uint32
	if va&pageMask+uint32(size) > pageSize {
		// Crosses a page: translate both before reading anything.
		if _, _, ok := c.xlate(o, va, accRead, user); !ok {
			return 0, false
		}
		if _, _, ok := c.xlate(o, va+uint32(size)-1&^pageMask, accRead, user); !ok {
			return 0, false
		}
		for i := 0; i < size; i++ {
			b, ok := c.loadOne(o, va+uint32(i), 1, user)
			if !ok {
				return 0, false
			}
			v |= b << (8 * i)
		}
	} else {
		var ok bool
		if v, ok = c.loadOne(o, va, size, user); !ok {
			return 0, false
		}
	}
	if c.E {
		v = swapBytes(v, size)
	}
	return v, true
}

// loadOne performs a little-endian access that does not cross a page.
func (c *CPU) loadOne(o *Op, va uint32, size int, user bool) (uint32, bool) {
	e, pa, ok := c.xlate(o, va, accRead, user)
	if !ok {
		return 0, false
	}
	if e != nil {
		off := va & pageMask
		switch size {
		case 1:
			return uint32(e.host[off]), true
		case 2:
			return uint32(binary.LittleEndian.Uint16(e.host[off:])), true
		default:
			return binary.LittleEndian.Uint32(e.host[off:]), true
		}
	}
	if c.m != nil {
		c.m.accOp = o // for DWT_CYCCNT (v7m_dwt.go)
		c.m.accUser = user
	}
	c.mmioPC = o.pc
	v, ok := c.Bus.Read(pa, size)
	c.mmioPC = noMMIO
	if c.m != nil {
		c.m.accUser = false
	}
	if !ok {
		c.guestError("read from unmapped physical address", "pa", hex64(pa), "pc", hex32(o.pc))
		c.abortFor(o, va, c.mem.faultStatus(fsExtAbort), false)
		return 0, false
	}
	if c.m != nil && c.m.busErr {
		// The System Control Space refused the access (v7m_scs.go).
		c.m.busErr = false
		c.abortFor(o, va, c.mem.faultStatus(fsExtAbort), false)
		return 0, false
	}
	return uint32(v), true
}

func (c *CPU) storeSlow(o *Op, va uint32, size int, v uint32, af int) bool {
	if c.alignFault(va, size, af) {
		c.abortFor(o, va, c.mem.faultStatus(fsAlignment), true)
		return false
	}
	user := af&afUser != 0 || c.mode == ModeUSR
	if c.E {
		v = swapBytes(v, size)
	}
	if va&pageMask+uint32(size) > pageSize {
		if _, _, ok := c.xlate(o, va, accWrite, user); !ok {
			return false
		}
		if _, _, ok := c.xlate(o, va+uint32(size)-1&^pageMask, accWrite, user); !ok {
			return false
		}
		for i := 0; i < size; i++ {
			if !c.storeOne(o, va+uint32(i), 1, v>>(8*i), user) {
				return false
			}
		}
		return true
	}
	return c.storeOne(o, va, size, v, user)
}

func (c *CPU) storeOne(o *Op, va uint32, size int, v uint32, user bool) bool {
	_, pa, ok := c.xlate(o, va, accWrite, user)
	if !ok {
		return false
	}
	if c.Bus.IsROM(pa) {
		c.guestError("write to ROM ignored", "pa", hex64(pa), "pc", hex32(o.pc))
		return true
	}
	if c.m != nil {
		c.m.accOp = o // for DWT_CYCCNT (v7m_dwt.go)
		c.m.accUser = user
	}
	// Bus.Write tells the code tracker (invalidateRange) about RAM writes.
	c.mmioPC = o.pc
	wok := c.Bus.Write(pa, size, uint64(v))
	c.mmioPC = noMMIO
	if c.m != nil {
		c.m.accUser = false
	}
	if !wok {
		c.guestError("write to unmapped physical address", "pa", hex64(pa), "pc", hex32(o.pc))
		c.abortFor(o, va, c.mem.faultStatus(fsExtAbort), true)
		return false
	}
	if c.m != nil && (c.m.busErr || c.m.endBlock) {
		return c.mAfterSCSWrite(o, va)
	}
	return true
}

// faultStatus returns the FSR value for a fault status code outside the
// translation tables (alignment, external abort, debug), in the format
// TTBCR.EAE selects. Without LPAE support in the CP15 model this is the
// short-descriptor format.
func (m *memState) faultStatus(fs uint32) uint32 {
	if m.c.mmu != nil {
		if f, ok := m.c.mmu.(interface{ FaultStatus(uint32) uint32 }); ok {
			return f.FaultStatus(fs)
		}
	}
	return fs&0xf | (fs&0x10)<<6
}

func swapBytes(v uint32, size int) uint32 {
	switch size {
	case 2:
		return uint32(bits.ReverseBytes16(uint16(v)))
	case 4:
		return bits.ReverseBytes32(v)
	}
	return v
}

// invalidateRange is told of every RAM write the bus performs; a write to
// a chunk of a page that holds translated code invalidates the page's
// translations.
func (c *CPU) invalidateRange(addr uint64, n int) {
	if len(c.mem.codePages) == 0 || n <= 0 {
		return
	}
	end := addr + uint64(n)
	for p := addr &^ pageMask; p < end; p += pageSize {
		chunks, ok := c.mem.codePages[p]
		if !ok || chunks&chunkMask(max(addr, p)-p, min(end, p+pageSize)-p) == 0 {
			continue
		}
		delete(c.mem.codePages, p)
		c.cache.invalidatePage(p)
	}
}

// ReadMem reads guest virtual memory as a privileged data access would,
// without side effects on failure (for semihosting and debuggers).
func (c *CPU) ReadMem(va uint32, buf []byte) error {
	for i := range buf {
		t := c.mem.translate(va+uint32(i), accRead, false)
		if t.fsr != 0 {
			return errFault
		}
		v, ok := c.Bus.Read(t.pa, 1)
		if !ok {
			return errFault
		}
		buf[i] = byte(v)
	}
	return nil
}

// WriteMem writes guest virtual memory as a privileged data access would.
func (c *CPU) WriteMem(va uint32, buf []byte) error {
	for i, b := range buf {
		t := c.mem.translate(va+uint32(i), accWrite, false)
		if t.fsr != 0 {
			return errFault
		}
		if !c.Bus.Write(t.pa, 1, uint64(b)) {
			return errFault
		}
	}
	return nil
}

// noMMIO is mmioPC outside a device access.
const noMMIO = 1 // no instruction is at an odd address

// AccessPC returns the address of the instruction whose load or store a
// device is serving right now, or else the next instruction's: for the
// guest errors a device logs (machine.WithPC).
func (c *CPU) AccessPC() uint32 {
	if c.mmioPC != noMMIO {
		return c.mmioPC
	}
	return c.R[15]
}
