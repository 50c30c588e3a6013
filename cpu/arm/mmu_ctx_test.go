package arm

import (
	"fmt"
	"testing"
)

// Tests of the TLB contexts (mem.go): DACR and TTBCR writes select a
// context instead of flushing, so what is cached under one value must
// never serve another where the permissions differ, and everything that
// invalidates translations must reach every context.

const (
	ctxVBAR    = 0x2000     // vectors, from the code's base: b . at each
	ctxSect    = 0x10000000 // a section (LPAE: a 2 MB block) holding ctxP
	ctxP       = 0x10080000 // the page the tests switch access to
	ctxPA      = 0x40300000 // where ctxSect maps (short descriptors)
	ctxPALong  = 0x40200000 // where ctxSect maps (LPAE)
	dacrOpen   = 0x55555555 // every domain Client
	dacrClosed = 0x55555551 // domain 1 No access
	ctxCopyL1  = 0x40104000 // a second L1 table, for TTBR0 writes
)

// ctxMachine is a CPU with the MMU on and guest code at base (VA), which
// maps to testRAMBase, and ctxP mapped to a page of its own whose access
// a DACR (short descriptors, ctxP in domain 1) or TTBCR (LPAE, ctxP in
// TTBR0's range and the code in TTBR1's) write turns off.
type ctxMachine struct {
	*mmuProbe
	base uint32
}

func newCtxMachine(t *testing.T, lpae, native bool) *ctxMachine {
	t.Helper()
	p := newMMUProbe(t)
	m := &ctxMachine{mmuProbe: p, base: testRAMBase}
	if !lpae {
		for i := uint64(0); i < 4096; i++ {
			p.w32(probeL1+4*i, 0)
		}
		for i := uint64(0x400); i < 0x408; i++ {
			p.w32(probeL1+4*i, sect(uint32(i)<<20, 3, 0, 0, 0))
		}
		p.w32(probeL1+4*(ctxSect>>20), sect(ctxPA, 3, 1, 0, 0))
		p.mcr(0, 3, 0, 0, dacrOpen)
		p.mcr(0, 2, 0, 0, probeL1)
	} else {
		// TTBR0 (T0SZ=1: below 0x80000000): ctxP in a 2 MB block.
		// TTBR1 (from 0x80000000): 0x80000000 is testRAMBase, 1 GB.
		for i := uint64(0); i < 512; i++ {
			p.w64(probeLL1+8*i, 0)
			p.w64(probeLL2+8*i, 0)
			p.w64(probeLL3+8*i, 0)
		}
		p.w64(probeLL1, probeLL2|3)
		p.w64(probeLL2+8*(ctxSect>>21), blk(ctxPALong, 1, 0, 3))
		p.w64(probeLL3+8*2, blk(0x40000000, 1, 0, 3))
		p.mcr(0, 2, 0, 2, ttbcrEAE|1)
		p.mcrr(0, 2, probeLL1)
		p.mcrr(1, 2, probeLL3)
		m.base = 0x80000000
	}
	p.setSCTLR(sctlrM, 0)
	p.mcr(0, 12, 0, 0, m.base+ctxVBAR)
	for i := uint64(0); i < 8; i++ {
		p.w32(testRAMBase+ctxVBAR+4*i, 0xeafffffe) // b .
	}
	p.c.NoNative = !native
	p.c.NativeEager = native
	return m
}

// pa is where va (the code's region or ctxSect) lies in RAM.
func (m *ctxMachine) pa(va uint32) uint64 {
	if va-ctxSect < 1<<20 {
		if m.base == testRAMBase {
			return ctxPA + uint64(va-ctxSect)
		}
		return ctxPALong + uint64(va-ctxSect)
	}
	return uint64(va - m.base + testRAMBase)
}

func (m *ctxMachine) code(va uint32, words ...uint32) {
	for i, w := range words {
		m.w32(m.pa(va+uint32(4*i)), w)
	}
}

// run runs from pc until the CPU spins (b . at stop, or in a vector).
func (m *ctxMachine) run(pc uint32) {
	m.t.Helper()
	m.c.R[15] = pc
	runN(m.t, m.c, 2000)
}

// aborted returns the vector the CPU waits in ("" when it did not take
// an abort) and the fault status and address.
func (m *ctxMachine) aborted() (string, uint32, uint32) {
	s := &m.c.mem.sys
	switch m.c.R[15] - m.base - ctxVBAR {
	case vecPrefetch:
		return "prefetch", s.ifsr, s.ifar
	case vecData:
		return "data", s.dfsr & 0xfff, s.dfar
	}
	return "", 0, 0
}

// switchOp is the guest instruction that turns ctxP's access on or off
// (with r7): an MCR to DACR or TTBCR.
func (m *ctxMachine) switchOp() uint32 {
	if m.base == testRAMBase {
		return 0xee037f10 // mcr p15, 0, r7, c3, c0, 0
	}
	return 0xee027f50 // mcr p15, 0, r7, c2, c0, 2
}

// regs returns the values that give and take away access to ctxP.
func (m *ctxMachine) regs() (open, closed uint32) {
	if m.base == testRAMBase {
		return dacrOpen, dacrClosed
	}
	return ttbcrEAE | 1, ttbcrEAE | 1 | ttbcrEPD0
}

// setAccess writes DACR or TTBCR directly (as an MCR would).
func (m *ctxMachine) setAccess(open bool) {
	o, c := m.regs()
	v := c
	if open {
		v = o
	}
	if m.base == testRAMBase {
		m.mcr(0, 3, 0, 0, v)
	} else {
		m.mcr(0, 2, 0, 2, v)
	}
}

func (m *ctxMachine) closedFault() uint32 {
	if m.base == testRAMBase {
		return 0x19 // domain fault, section, domain 1
	}
	return fsLPAE | lfsTrans | 1 // EPD0: translation fault, level 1
}

func ctxVariants(t *testing.T, f func(t *testing.T, lpae, native bool)) {
	for _, lpae := range []bool{false, true} {
		for _, native := range []bool{false, true} {
			name := fmt.Sprintf("short/native=%v", native)
			if lpae {
				name = fmt.Sprintf("lpae/native=%v", native)
			}
			t.Run(name, func(t *testing.T) { f(t, lpae, native) })
		}
	}
}

// TestTLBContextFetchAfterSwitch: code in ctxP runs, chained to and from
// the caller's blocks (natively linked, with NativeEager), many times;
// then the guest takes ctxP's access away with an MCR and branches back
// into the same loop. The call must take a Prefetch Abort at once, and,
// after switching back and forth, run again and abort again.
func TestTLBContextFetchAfterSwitch(t *testing.T) {
	ctxVariants(t, func(t *testing.T, lpae, native bool) {
		m := newCtxMachine(t, lpae, native)
		c := m.c
		b := m.base
		m.code(b,
			0xe3a05028,   // mov r5, #40
			0xe3a00000,   // mov r0, #0
			0xe3006000,   // movw r6, #0
			0xe3416008,   // movt r6, #0x1008 (ctxP)
			0xe12fff36,   // loop: blx r6
			0xe2555001,   // subs r5, r5, #1
			0x1afffffc,   // bne loop
			m.switchOp(), // mcr: close ctxP (r7)
			0xe3a05001,   // mov r5, #1
			0xeafffff9,   // b loop
		)
		m.code(ctxP, 0xe2800001, bxLR) // add r0, r0, #1; bx lr
		_, closed := m.regs()
		c.R[7] = closed
		m.run(b)
		if v, fsr, far := m.aborted(); v != "prefetch" || fsr != m.closedFault() || far != ctxP {
			t.Fatalf("after closing: %q abort, FSR %#x FAR %#x (PC %#x); want prefetch, %#x, %#x",
				v, fsr, far, c.R[15], m.closedFault(), ctxP)
		}
		if c.R[0] != 40 {
			t.Errorf("r0 = %d, want 40 (ctxP's code ran after its access was taken away)", c.R[0])
		}
		for round := range 3 {
			// Open again: the call runs; close again: it aborts.
			m.recover()
			m.setAccess(true)
			c.R[5], c.R[7] = 1, closed
			m.run(b + 0x10)
			if v, _, _ := m.aborted(); v != "prefetch" || c.R[0] != uint32(41+round) {
				t.Fatalf("round %d: %q abort with r0 = %d, want prefetch with %d", round, v, c.R[0], 41+round)
			}
		}
	})
}

// TestTLBContextFetchSamePage: the code in ctxP takes its own page's
// access away; the next instruction, in the same page (and block chain),
// must take the Prefetch Abort.
func TestTLBContextFetchSamePage(t *testing.T) {
	ctxVariants(t, func(t *testing.T, lpae, native bool) {
		m := newCtxMachine(t, lpae, native)
		c := m.c
		b := m.base
		open, closed := m.regs()
		m.code(b,
			0xe3a05028, // mov r5, #40
			0xe3a00000, // mov r0, #0
			0xe3006000, // movw r6, #0
			0xe3416008, // movt r6, #0x1008 (ctxP)
			0xe12fff36, // loop: blx r6
			0xe2555001, // subs r5, r5, #1
			0x1afffffc, // bne loop
			0xe1a07008, // mov r7, r8
			0xe3a05001, // mov r5, #1
			0xeafffff9, // b loop
		)
		m.code(ctxP,
			0xe2800001,   // add r0, r0, #1
			m.switchOp(), // mcr (r7)
			0xe2800001,   // add r0, r0, #1
			bxLR,
		)
		c.R[7], c.R[8] = open, closed
		m.run(b)
		if v, fsr, far := m.aborted(); v != "prefetch" || fsr != m.closedFault() || far != ctxP+8 {
			t.Fatalf("%q abort, FSR %#x FAR %#x (PC %#x); want prefetch, %#x, %#x",
				v, fsr, far, c.R[15], m.closedFault(), ctxP+8)
		}
		if c.R[0] != 81 {
			t.Errorf("r0 = %d, want 81", c.R[0])
		}
	})
}

// TestTLBContextLoadAfterSwitch: a load from ctxP in a loop (a native
// fast-path load, with NativeEager) must take a Data Abort as soon as the
// guest has taken the access away, and work again when it is back.
func TestTLBContextLoadAfterSwitch(t *testing.T) {
	ctxVariants(t, func(t *testing.T, lpae, native bool) {
		m := newCtxMachine(t, lpae, native)
		c := m.c
		b := m.base
		m.code(b,
			0xe3a05028,   // mov r5, #40
			0xe3a00000,   // mov r0, #0
			0xe3006000,   // movw r6, #0
			0xe3416008,   // movt r6, #0x1008 (ctxP)
			0xe5968100,   // loop: ldr r8, [r6, #0x100]
			0xe0800008,   // add r0, r0, r8
			0xe2555001,   // subs r5, r5, #1
			0x1afffffb,   // bne loop
			m.switchOp(), // mcr: close ctxP (r7)
			0xe3a05001,   // mov r5, #1
			0xeafffff8,   // b loop
		)
		m.w32(m.pa(ctxP+0x100), 1)
		_, closed := m.regs()
		c.R[7] = closed
		m.run(b)
		if v, fsr, far := m.aborted(); v != "data" || fsr != m.closedFault() || far != ctxP+0x100 {
			t.Fatalf("%q abort, FSR %#x FAR %#x (PC %#x); want data, %#x, %#x",
				v, fsr, far, c.R[15], m.closedFault(), ctxP+0x100)
		}
		if c.R[0] != 40 {
			t.Errorf("r0 = %d, want 40", c.R[0])
		}
		for round := range 3 {
			m.recover()
			m.setAccess(true)
			c.R[5] = 1
			m.run(b + 0x10)
			if v, _, _ := m.aborted(); v != "data" || c.R[0] != uint32(41+round) {
				t.Fatalf("round %d: %q abort with r0 = %d, want data with %d", round, v, c.R[0], 41+round)
			}
		}
	})
}

// TestTLBContextsReused: switching DACR back and forth keeps each
// context's entries (a real TLB keeps them too: DACR is checked when an
// entry is used), so the switch itself costs no table walk; the contexts
// beyond tlbContexts are replaced, least recently used first.
func TestTLBContextsReused(t *testing.T) {
	m := newCtxMachine(t, false, false)
	c := m.c
	m.w32(m.pa(ctxP), 0xaaaa)
	readP := func() uint32 {
		t.Helper()
		v, fsr, ok := m.read32(ctxP, false)
		if !ok {
			t.Fatalf("read aborted, DFSR %#x", fsr)
		}
		return v
	}
	dacrs := []uint32{dacrOpen, dacrOpen | 3<<2, dacrOpen | 3<<4, dacrOpen | 3<<6, dacrOpen | 3<<8}
	for _, d := range dacrs[:tlbContexts] {
		m.mcr(0, 3, 0, 0, d)
		readP()
	}
	// Change the mapping without TLB maintenance: every context keeps
	// the old one.
	m.w32(probeL1+4*(ctxSect>>20), sect(0x40400000, 3, 1, 0, 0))
	m.w32(0x40400000+ctxP-ctxSect, 0xbbbb)
	flushes := c.mem.flushes
	for i := range 3 {
		for _, d := range dacrs[:tlbContexts] {
			m.mcr(0, 3, 0, 0, d)
			if got := readP(); got != 0xaaaa {
				t.Fatalf("round %d, DACR %#x: read %#x, want the cached 0xaaaa", i, d, got)
			}
		}
	}
	if c.mem.flushes != flushes {
		t.Errorf("DACR writes flushed the TLB %d times", c.mem.flushes-flushes)
	}
	// A fifth value replaces the least recently used context (the first).
	m.mcr(0, 3, 0, 0, dacrs[tlbContexts])
	if got := readP(); got != 0xbbbb {
		t.Errorf("new DACR: read %#x, want 0xbbbb", got)
	}
	m.mcr(0, 3, 0, 0, dacrs[0])
	if got := readP(); got != 0xbbbb {
		t.Errorf("replaced context: read %#x, want 0xbbbb", got)
	}
	m.mcr(0, 3, 0, 0, dacrs[tlbContexts-1])
	if got := readP(); got != 0xaaaa {
		t.Errorf("most recent context: read %#x, want the cached 0xaaaa", got)
	}
}

// TestTLBMaintenanceAllContexts: TLB maintenance and the register writes
// that flush the TLB, done in one context, drop what every other context
// cached: data and instruction translations, and the blocks, jump-cache
// entries and links found through them. ctxP is mapped by a section or by
// a small page.
func TestTLBMaintenanceAllContexts(t *testing.T) {
	ops := []struct {
		name                 string
		opc1, crn, crm, opc2 uint32
		val                  uint32
	}{
		{"TLBIALL", 0, 8, 7, 0, 0},
		{"TLBIALLIS", 0, 8, 3, 0, 0},
		{"TLBIASID", 0, 8, 7, 2, 0},
		{"TLBIMVA", 0, 8, 7, 1, ctxP + 0x100},
		{"TLBIMVA other page of the section", 0, 8, 7, 1, ctxP + 0x5000},
		{"TLBIMVAA", 0, 8, 7, 3, ctxP},
		{"ITLBIMVA", 0, 8, 5, 1, ctxP},
		{"TTBR0", 0, 2, 0, 0, ctxCopyL1},
		{"CONTEXTIDR", 0, 13, 0, 1, 0x105},
		{"SCTLR.AFE", 0, 1, 0, 0, sctlrReset | sctlrM | sctlrAFE},
		{"PRRR", 0, 10, 2, 0, 0xff0a81a8},
	}
	for _, small := range []bool{false, true} {
		for _, op := range ops {
			if small && op.name == "TLBIMVA other page of the section" {
				continue
			}
			for _, native := range []bool{false, true} {
				name := fmt.Sprintf("section/%s/native=%v", op.name, native)
				if small {
					name = fmt.Sprintf("page/%s/native=%v", op.name, native)
				}
				t.Run(name, func(t *testing.T) {
					testMaintenanceAllContexts(t, small, native, op.opc1, op.crn, op.crm, op.opc2, op.val)
				})
			}
		}
	}
}

func testMaintenanceAllContexts(t *testing.T, small, native bool, opc1, crn, crm, opc2, val uint32) {
	t.Helper()
	const (
		copyL1 = ctxCopyL1
		l2     = 0x40108000 // ctxSect's L2 table, for small pages
		newPA  = 0x40400000 // where ctxSect maps after the change
	)
	m := newCtxMachine(t, false, native)
	c := m.c
	b := m.base
	// Domain 0 Client in both DACR values; they differ in domain 2 only.
	mapTo := func(pa uint32) {
		if !small {
			m.w32(probeL1+4*(ctxSect>>20), sect(pa, 3, 0, 0, 0))
			m.w32(copyL1+4*(ctxSect>>20), sect(pa, 3, 0, 0, 0))
			return
		}
		m.w32(probeL1+4*(ctxSect>>20), l2|1)
		m.w32(copyL1+4*(ctxSect>>20), l2|1)
		for i := uint32(0); i < 256; i++ {
			m.w32(l2+4*uint64(i), pa+i<<12|3<<4|2)
		}
	}
	mapTo(ctxPA)
	m.code(b,
		0xe3006100, // movw r6, #0x100
		0xe3416008, // movt r6, #0x1008 (ctxP + 0x100)
		0xe12fff36, // blx r6
		0xeafffffe, // b .
	)
	dx, dy := uint32(dacrOpen), uint32(dacrOpen|3<<4)
	m.code(ctxP+0x100, 0xe3a00001, bxLR) // mov r0, #1
	m.w32(m.pa(ctxP), 0xaaaa)
	const newP = newPA + ctxP - ctxSect // the new mapping
	m.w32(newP+0x100, 0xe3a00002)       // mov r0, #2
	m.w32(newP+0x104, bxLR)
	m.w32(newP, 0xbbbb)
	check := func(when string, d uint32, want uint32) {
		t.Helper()
		m.mcr(0, 3, 0, 0, d)
		c.R[0] = 0
		m.run(b)
		if c.R[0] != want {
			t.Errorf("%s, DACR %#x: code returned %d, want %d (PC %#x)", when, d, c.R[0], want, c.R[15])
		}
		data := uint32(0xaaaa)
		if want == 2 {
			data = 0xbbbb
		}
		if got := m.mustRead(ctxP); got != data {
			t.Errorf("%s, DACR %#x: read %#x, want %#x", when, d, got, data)
		}
	}
	for range 20 { // compile and link
		check("before", dx, 1)
		check("before", dy, 1)
	}
	// The new mapping, in both tables.
	for i := uint64(0); i < 4096; i++ {
		v, _ := m.c.Bus.Read(probeL1+4*i, 4)
		m.w32(copyL1+4*i, uint32(v))
	}
	mapTo(newPA)
	check("stale", dy, 1)
	m.mcr(opc1, crn, crm, opc2, val)
	// Run the remapped code directly first: the instruction TLB then maps
	// its page again, now to the new physical page, and links to the old
	// block, in the caller's native code too, must see the difference.
	m.mcr(0, 3, 0, 0, dx)
	c.R[0], c.R[14] = 0, b+12
	m.run(ctxP + 0x100)
	if c.R[0] != 2 {
		t.Errorf("after, direct: code returned %d, want 2", c.R[0])
	}
	check("after", dx, 2)
	check("after", dy, 2)
	check("after", dx, 2)
}

// TestStoreToCodeAnyContext: a page holds translated code; a store to it
// made in another TLB context (whose data entry for the page was filled
// before the code was translated) must still invalidate the code.
func TestStoreToCodeAnyContext(t *testing.T) {
	for _, native := range []bool{false, true} {
		t.Run(fmt.Sprintf("native=%v", native), func(t *testing.T) {
			m := newCtxMachine(t, false, native)
			c := m.c
			b := m.base
			dx, dy := uint32(dacrOpen), uint32(dacrOpen|3<<4)
			m.code(b,
				0xe3006100, // movw r6, #0x100
				0xe3416008, // movt r6, #0x1008 (ctxP + 0x100)
				0xe12fff36, // blx r6
				0xeafffffe, // b .
			)
			m.code(ctxP+0x100, 0xe3a00001, bxLR) // mov r0, #1
			op := &Op{pc: b, size: 4}
			// In context y, a fast-path store fills the data TLB entry
			// for ctxP's page with write access.
			m.mcr(0, 3, 0, 0, dy)
			if !c.st32(op, ctxP+0x800, 0) {
				t.Fatal("store aborted")
			}
			// In context x, the code is translated (and compiled).
			m.mcr(0, 3, 0, 0, dx)
			for range 20 {
				c.R[0] = 0
				m.run(b)
				if c.R[0] != 1 {
					t.Fatalf("r0 = %d, want 1", c.R[0])
				}
			}
			// Back in context y, the guest rewrites the code.
			m.mcr(0, 3, 0, 0, dy)
			if !c.st32(op, ctxP+0x100, 0xe3a00003) { // mov r0, #3
				t.Fatal("store aborted")
			}
			for _, d := range []uint32{dy, dx} {
				m.mcr(0, 3, 0, 0, d)
				c.R[0] = 0
				m.run(b)
				if c.R[0] != 3 {
					t.Errorf("DACR %#x: r0 = %d, want 3: the store did not invalidate the code", d, c.R[0])
				}
			}
		})
	}
}

// TestLinkNeedsItsOwnPage: a link (and native chain) to a block holds only
// while the block's own virtual page maps to its code; an instruction TLB
// entry for another page that maps the same physical page (an alias in
// the same TLB slot) must not do.
func TestLinkNeedsItsOwnPage(t *testing.T) {
	for _, native := range []bool{false, true} {
		t.Run(fmt.Sprintf("native=%v", native), func(t *testing.T) {
			m := newCtxMachine(t, false, native)
			c := m.c
			b := m.base
			const alias = ctxSect + 1<<20 // the same TLB slots as ctxSect
			m.w32(probeL1+4*(ctxSect>>20), sect(ctxPA, 3, 0, 0, 0))
			m.w32(probeL1+4*(alias>>20), sect(ctxPA, 3, 0, 0, 0))
			m.code(b,
				0xe3006100, // movw r6, #0x100
				0xe3416008, // movt r6, #0x1008 (ctxP + 0x100)
				0xe12fff36, // blx r6
				0xeafffffe, // b .
			)
			m.code(ctxP+0x100, 0xe3a00001, bxLR) // mov r0, #1
			for range 20 {
				c.R[0] = 0
				m.run(b)
				if c.R[0] != 1 {
					t.Fatalf("r0 = %d, want 1", c.R[0])
				}
			}
			// Unmap ctxSect; run the same code through the alias.
			m.w32(probeL1+4*(ctxSect>>20), 0)
			m.tlbiall()
			c.R[0], c.R[14] = 0, b+12
			m.run(alias + ctxP - ctxSect + 0x100)
			if c.R[0] != 1 {
				t.Fatalf("through the alias: r0 = %d, want 1", c.R[0])
			}
			c.R[0] = 0
			m.run(b)
			if v, fsr, far := m.aborted(); v != "prefetch" || fsr != fsTransSect || far != ctxP+0x100 || c.R[0] != 0 {
				t.Errorf("%q abort, FSR %#x FAR %#x, r0 = %d; want prefetch, %#x, %#x, 0",
					v, fsr, far, c.R[0], fsTransSect, ctxP+0x100)
			}
		})
	}
}

// TestThumbAcrossPages: a 32-bit Thumb instruction whose second halfword
// lies in the next page depends on both pages' translations. When the
// next page is not mapped yet, the fetch takes a Prefetch Abort; once the
// guest maps it (no TLB maintenance is needed for a translation that
// faulted), the instruction must run. When the next page is remapped
// (with TLBIMVA of that page only), the new halfword must be used.
func TestThumbAcrossPages(t *testing.T) {
	for _, native := range []bool{false, true} {
		t.Run(fmt.Sprintf("native=%v", native), func(t *testing.T) {
			m := newCtxMachine(t, false, native)
			c := m.c
			const l2 = 0x40108000
			m.w32(probeL1+4*(ctxSect>>20), l2|1)
			for i := uint64(0); i < 256; i++ {
				m.w32(l2+4*i, 0)
			}
			page := func(va uint32, pa uint32) { m.w32(l2+4*uint64(va>>12&255), pa|3<<4|2) }
			const (
				pa1 = ctxPA
				pa2 = ctxPA + 0x1000
				pa3 = ctxPA + 0x2000
			)
			page(ctxP, pa1)
			m.w32(pa1+0xffc, 0xf2410000) // (bytes 0xffe-0xfff) movw r0, #0x1234, first halfword
			m.w32(pa2, 0xe7fe2034)       // its second halfword; b .
			m.w32(pa3, 0xe7fe3056)       // movw r0, #0x1356, second halfword; b .
			for round := range 3 {
				c.R[0], c.T = 0, true
				m.run(ctxP + 0xffe)
				if v, fsr, far := m.aborted(); v != "prefetch" || fsr != fsTransPage || far != ctxP+0x1000 {
					t.Fatalf("round %d: %q abort, FSR %#x FAR %#x (PC %#x); want prefetch, %#x, %#x",
						round, v, fsr, far, c.R[15], fsTransPage, ctxP+0x1000)
				}
				m.recover()
				page(ctxP+0x1000, pa2)
				c.T = true
				m.run(ctxP + 0xffe)
				if c.R[0] != 0x1234 || c.R[15] != ctxP+0x1002 {
					t.Fatalf("round %d, mapped: r0 = %#x at PC %#x, want 0x1234 at %#x", round, c.R[0], c.R[15], ctxP+0x1002)
				}
				page(ctxP+0x1000, pa3)
				m.mcr(0, 8, 7, 1, ctxP+0x1000) // TLBIMVA of the second page
				m.run(ctxP + 0xffe)
				if c.R[0] != 0x1356 || c.R[15] != ctxP+0x1002 {
					t.Fatalf("round %d, remapped: r0 = %#x at PC %#x, want 0x1356 at %#x", round, c.R[0], c.R[15], ctxP+0x1002)
				}
				m.w32(l2+4*uint64((ctxP+0x1000)>>12&255), 0)
				m.mcr(0, 8, 7, 1, ctxP+0x1000)
			}
		})
	}
}

// TestThreadIDRegisters: the thread ID registers read back what was
// written, from code hot enough to be compiled (native code reads them
// itself), at PL1 and PL0, where TPIDRPRW is UNDEFINED.
func TestThreadIDRegisters(t *testing.T) {
	for _, native := range []bool{false, true} {
		t.Run(fmt.Sprintf("native=%v", native), func(t *testing.T) {
			m := newCtxMachine(t, false, native)
			c := m.c
			b := m.base
			m.code(b,
				0xee0d1f50, // mcr p15, 0, r1, c13, c0, 2 (TPIDRURW)
				0xee0d2f70, // mcr p15, 0, r2, c13, c0, 3 (TPIDRURO)
				0xee0d3f90, // mcr p15, 0, r3, c13, c0, 4 (TPIDRPRW)
				0xe3a00000, // mov r0, #0
				0xee1d4f50, // loop: mrc p15, 0, r4, c13, c0, 2
				0xee1d5f70, // mrc p15, 0, r5, c13, c0, 3
				0xee1d6f90, // mrc p15, 0, r6, c13, c0, 4
				0xe0888004, // add r8, r8, r4
				0xe0899005, // add r9, r9, r5
				0xe08aa006, // add r10, r10, r6
				0xe2800001, // add r0, r0, #1
				0xe3500028, // cmp r0, #40
				0x1afffff6, // bne loop
				0xf1020010, // cps #0x10 (User)
				0xe3a00000, // mov r0, #0
				0xee1d4f50, // uloop: mrc p15, 0, r4, c13, c0, 2
				0xee1d5f70, // mrc p15, 0, r5, c13, c0, 3
				0xe0888004, // add r8, r8, r4
				0xe0899005, // add r9, r9, r5
				0xe2800001, // add r0, r0, #1
				0xe3500028, // cmp r0, #40
				0x1afffff8, // bne uloop
				0xee1d6f90, // mrc p15, 0, r6, c13, c0, 4: UNDEFINED
				0xeafffffe, // b .
			)
			c.R[1], c.R[2], c.R[3] = 0x11, 0x202, 0x3003
			m.run(b)
			if got, want := [3]uint32{c.R[8], c.R[9], c.R[10]}, [3]uint32{80 * 0x11, 80 * 0x202, 40 * 0x3003}; got != want {
				t.Errorf("sums %#x, want %#x", got, want)
			}
			if c.Mode() != ModeUND || c.R[15] != b+ctxVBAR+vecUndef || c.R[14] != b+0x5c {
				t.Errorf("mode %#x PC %#x LR %#x; want Undefined mode at %#x, LR %#x", c.Mode(), c.R[15], c.R[14], b+ctxVBAR+vecUndef, b+0x5c)
			}
		})
	}
}

// TestMarkBig: the bigMB bits of a mapping larger than a page are those of
// every MiB it overlaps, for each mapping size (large page, section, LPAE
// block, supersection, 1 GB block).
func TestMarkBig(t *testing.T) {
	for _, tc := range []struct{ va, size uint32 }{
		{0x10050000, 16}, {0xc0000000, 20}, {0xfff00000, 20}, {0xc0200000, 21},
		{0x3fc00000, 21}, {0xff000000, 24}, {0x40000000, 30}, {0xc0000000, 30},
	} {
		var m memState
		base := tc.va &^ (uint32(1)<<tc.size - 1)
		m.markBig(base | tc.size)
		end := uint64(base) + 1<<tc.size
		for mb := uint64(0); mb < 4096; mb++ {
			want := mb<<20 < end && mb<<20+1<<20 > uint64(base)
			if got := m.bigMB[mb>>6]&(1<<(mb&63)) != 0; got != want {
				t.Errorf("mapping %#x, 2^%d bytes: MiB %#x marked %v, want %v", base, tc.size, mb, got, want)
			}
		}
	}
}
