package arm

import (
	"math/bits"
	"testing"
)

// mmuOn sets up short-descriptor tables at probeL1 with the test RAM
// identity-mapped (sections, domain 0) and every domain Client, then
// turns the MMU on through CP15. It returns the probe helper.
func mmuOn(t *testing.T) *mmuProbe {
	t.Helper()
	p := newMMUProbe(t)
	for i := uint64(0); i < 4096; i++ {
		p.w32(probeL1+4*i, 0)
	}
	for i := uint64(0x400); i < 0x408; i++ {
		p.w32(probeL1+4*i, sect(uint32(i)<<20, 3, 0, 0, 0))
	}
	p.mcr(0, 3, 0, 0, 0x55555555)
	p.mcr(0, 2, 0, 0, probeL1)
	p.setSCTLR(sctlrM, 0)
	return p
}

// read32 reads through the data path at PL1 (user=false) or PL0; ok is
// false when it aborted (the abort is undone).
func (p *mmuProbe) read32(va uint32, user bool) (v uint32, fsr uint32, ok bool) {
	c := p.c
	op := &Op{pc: testRAMBase, size: 4}
	if user {
		v, ok = c.load(op, va, 4, afUser)
	} else {
		v, ok = c.ld32(op, va)
	}
	if !ok {
		fsr = c.mem.sys.dfsr
		p.recover()
	}
	return v, fsr, ok
}

func (p *mmuProbe) mustRead(va uint32) uint32 {
	p.t.Helper()
	v, fsr, ok := p.read32(va, false)
	if !ok {
		p.t.Fatalf("read %#x aborted, DFSR %#x", va, fsr)
	}
	return v
}

// TestTLBMaintenance checks that the software TLB keeps a translation
// until the operation that the architecture requires, and that each
// operation drops what it must: TLBIMVA on any address of a section drops
// all of the section's pages.
func TestTLBMaintenance(t *testing.T) {
	const (
		va  = 0x10000000
		paA = 0x40300000
		paB = 0x40400000
	)
	ops := []struct {
		name                 string
		opc1, crn, crm, opc2 uint32
		val                  uint32
		flushes              bool
	}{
		{"TLBIALL", 0, 8, 7, 0, 0, true},
		{"TLBIALLIS", 0, 8, 3, 0, 0, true},
		{"ITLBIALL", 0, 8, 5, 0, 0, true},
		{"DTLBIALL", 0, 8, 6, 0, 0, true},
		{"TLBIMVA same page", 0, 8, 7, 1, va | 5, true},
		{"TLBIMVA other page of the section", 0, 8, 7, 1, va + 0x80000, true},
		{"TLBIMVAIS", 0, 8, 3, 1, va + 0xff000, true},
		{"DTLBIMVA", 0, 8, 6, 1, va + 0x1000, true},
		{"ITLBIMVA", 0, 8, 5, 1, va, true},
		{"TLBIMVAA", 0, 8, 7, 3, va + 0x5000, true},
		{"TLBIMVAAIS", 0, 8, 3, 3, va, true},
		{"TLBIASID", 0, 8, 7, 2, 0, true},
		{"TLBIASIDIS", 0, 8, 3, 2, 7, true},
		{"TLBIMVA outside the section", 0, 8, 7, 1, va + 0x100000, false},
		{"ICIALLU", 0, 7, 5, 0, 0, false},
		{"BPIALL", 0, 7, 5, 6, 0, false},
		{"DCCIMVAC", 0, 7, 14, 1, va, false},
		{"DACR unchanged", 0, 3, 0, 0, 0x55555555, false},
		{"DACR changed", 0, 3, 0, 0, 0x55555557, true},
		{"CONTEXTIDR", 0, 13, 0, 1, 0x105, true},
		{"TTBCR", 0, 2, 0, 2, 1, true},
		{"PRRR", 0, 10, 2, 0, 0xff0a81a8, true},
		{"NMRR", 0, 10, 2, 1, 0x40e040e0, true},
		{"TPIDRPRW", 0, 13, 0, 4, 1, false},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			p := mmuOn(t)
			p.w32(probeL1+4*(va>>20), sect(paA, 3, 1, 0, 0))
			p.w32(paA, 0xaaaa0000)
			p.w32(paA+0x5000, 0xaaaa5000)
			p.w32(paB, 0xbbbb0000)
			p.w32(paB+0x5000, 0xbbbb5000)
			p.mustRead(va)
			p.mustRead(va + 0x5000)
			p.w32(probeL1+4*(va>>20), sect(paB, 3, 1, 0, 0))
			if got := p.mustRead(va); got != 0xaaaa0000 {
				t.Fatalf("before maintenance: %#x, want the cached mapping", got)
			}
			p.mcr(op.opc1, op.crn, op.crm, op.opc2, op.val)
			want := [2]uint32{0xaaaa0000, 0xaaaa5000}
			if op.flushes {
				want = [2]uint32{0xbbbb0000, 0xbbbb5000}
			}
			if got := [2]uint32{p.mustRead(va), p.mustRead(va + 0x5000)}; got != want {
				t.Errorf("after %s: %#x, want %#x", op.name, got, want)
			}
		})
	}
}

// TestTLBSmallPageMaintenance: TLBIMVA of a small page drops that page
// only (the other may stay cached, as the architecture allows).
func TestTLBSmallPageMaintenance(t *testing.T) {
	p := mmuOn(t)
	const l2 = 0x40104000
	for i := uint64(0); i < 256; i++ {
		p.w32(l2+4*i, 0)
	}
	p.w32(probeL1+4*0x100, l2|1)
	p.w32(l2, 0x40300000|3<<4|2)
	p.w32(l2+4, 0x40301000|3<<4|2)
	p.w32(0x40300000, 1)
	p.w32(0x40301000, 2)
	p.w32(0x40302000, 3)
	p.w32(0x40303000, 4)
	p.mustRead(0x10000000)
	p.mustRead(0x10001000)
	p.w32(l2, 0x40302000|3<<4|2)
	p.w32(l2+4, 0x40303000|3<<4|2)
	p.mcr(0, 8, 7, 1, 0x10000000)
	if got := [2]uint32{p.mustRead(0x10000000), p.mustRead(0x10001000)}; got != [2]uint32{3, 2} {
		t.Errorf("after TLBIMVA of page 0: %v, want [3 2]", got)
	}
}

// TestTLBPermissionsNotStale: permissions cached at fill time follow DACR
// and privilege.
func TestTLBPermissionsNotStale(t *testing.T) {
	p := mmuOn(t)
	// Section at 0x10000000, domain 1, PL1 read/write only.
	p.w32(probeL1+4*0x100, sect(0x40300000, 1, 1, 0, 0))
	if _, fsr, ok := p.read32(0x10000000, false); !ok {
		t.Fatalf("PL1 read aborted: %#x", fsr)
	}
	if _, fsr, ok := p.read32(0x10000000, true); ok || fsr != 0x1d {
		t.Errorf("PL0 read: ok=%v DFSR=%#x, want permission fault 0x1d", ok, fsr)
	}
	// Domain 1 to Manager: PL0 may now read.
	p.mcr(0, 3, 0, 0, 0x55555555|3<<2)
	if _, fsr, ok := p.read32(0x10000000, true); !ok {
		t.Errorf("PL0 read in a Manager domain aborted: %#x", fsr)
	}
	// Domain 1 to No access: PL1 reads fault although cached.
	p.mcr(0, 3, 0, 0, 0x55555551)
	if _, fsr, ok := p.read32(0x10000000, false); ok || fsr != 0x19 {
		t.Errorf("PL1 read, No access domain: ok=%v DFSR=%#x, want domain fault 0x19", ok, fsr)
	}
	// A write to a read-only page after a read filled the entry.
	p.mcr(0, 3, 0, 0, 0x55555555)
	p.w32(probeL1+4*0x101, sect(0x40300000, 7, 0, 0, 0))
	p.mustRead(0x10100000)
	if ok := p.c.st32(&Op{pc: testRAMBase, size: 4}, 0x10100000, 1); ok {
		t.Error("store to a read-only section succeeded")
	} else if p.c.mem.sys.dfsr != 0x80d {
		t.Errorf("DFSR = %#x, want 0x80d", p.c.mem.sys.dfsr)
	}
}

// TestTLBHitNoAlloc: RAM accesses that hit the TLB with the MMU on do not
// allocate.
func TestTLBHitNoAlloc(t *testing.T) {
	p := mmuOn(t)
	p.w32(probeL1+4*0x100, sect(0x40300000, 3, 1, 0, 0))
	c := p.c
	op := &Op{pc: testRAMBase, size: 4}
	c.st32(op, 0x10000010, 5)
	c.ld32(op, 0x10000010)
	n := testing.AllocsPerRun(100, func() {
		c.st32(op, 0x10000010, 7)
		if v, _ := c.ld32(op, 0x10000010); v != 7 {
			t.Fatal("bad value")
		}
	})
	if n != 0 {
		t.Errorf("%v allocations per hit", n)
	}
}

// TestMMUWalkBigEndian: with SCTLR.EE the table entries are big-endian.
func TestMMUWalkBigEndian(t *testing.T) {
	p := newMMUProbe(t)
	for i := uint64(0); i < 4096; i++ {
		p.w32(probeL1+4*i, 0)
	}
	p.w32(probeL1+4*0x100, bits.ReverseBytes32(sect(0x40300000, 3, 0, 0, 0)))
	p.mcr(0, 3, 0, 0, 1)
	p.mcr(0, 2, 0, 0, probeL1)
	p.setSCTLR(sctlrM|sctlrEE, 0)
	p.mcr(0, 7, 8, 0, 0x10000123)
	if par := p.mrc(0, 7, 4, 0); par != 0x40300200 {
		t.Errorf("PAR = %#x, want 0x40300200", par)
	}
	// LPAE: 64-bit entries swapped whole.
	p.setSCTLR(0, sctlrM)
	p.w64(probeLL1, bits.ReverseBytes64(blk(0x40000000, 1, 0, 3)))
	p.mcr(0, 2, 0, 2, ttbcrEAE|2<<16) // T1SZ=2: TTBR0 below 0xc0000000
	p.mcrr(0, 2, probeLL1)
	p.setSCTLR(sctlrM, 0)
	p.mcr(0, 7, 8, 0, 0x00000123)
	if v, _ := p.cp.MRRC(0, 7, true); v != 0x40000b80 {
		t.Errorf("PAR = %#x, want 0x40000b80", v)
	}
}

// TestMMUShortSplit: TTBCR.N selects TTBR1 for high addresses and shrinks
// TTBR0's table.
func TestMMUShortSplit(t *testing.T) {
	p := newMMUProbe(t)
	const (
		t0 = 0x40100000 // N=2: 4 KB, aligned to 4 KB
		t1 = 0x40104000
	)
	for i := uint64(0); i < 4096; i++ {
		p.w32(t0+4*i, 0)
		p.w32(t1+4*i, 0)
	}
	p.w32(t0+4*0x100, sect(0x40300000, 3, 0, 0, 0)) // 0x10000000 via TTBR0
	p.w32(t1+4*0x100, sect(0x40500000, 3, 0, 0, 0)) // would be 0x10000000 in TTBR1
	p.w32(t1+4*0xc00, sect(0x40600000, 3, 0, 0, 0)) // 0xc0000000 via TTBR1
	p.mcr(0, 3, 0, 0, 1)
	p.mcr(0, 2, 0, 0, t0) // with N=2 the base is bits [31:12]
	p.mcr(0, 2, 0, 1, t1)
	p.mcr(0, 2, 0, 2, 2)
	p.setSCTLR(sctlrM, 0)
	for _, tc := range []struct{ va, par uint32 }{
		{0x10000000, 0x40300200},
		{0x3ff00000, 0x0000000b}, // TTBR0 entry 0x3ff: empty
		{0xc0000000, 0x40600200},
		{0x40000000, 0x0000000b}, // TTBR1 entry 0x400: empty
	} {
		p.mcr(0, 7, 8, 0, tc.va)
		if par := p.mrc(0, 7, 4, 0); par != tc.par {
			t.Errorf("ATS1CPR %#x: PAR %#x, want %#x", tc.va, par, tc.par)
		}
	}
}

// TestMMULongLevel2Start: with T0SZ >= 2 the TTBR0 walk starts at level 2
// (ARM ARM B3.6.6), the table aligned to its size.
func TestMMULongLevel2Start(t *testing.T) {
	p := newMMUProbe(t)
	const l2 = 0x40120000
	for i := uint64(0); i < 512; i++ {
		p.w64(l2+8*i, 0)
	}
	p.w64(l2+8*0x80, blk(0x40200000, 1, 0, 0)) // 0x10000000, 2 MB
	p.mcr(0, 2, 0, 2, ttbcrEAE|2)              // T0SZ=2: 1 GB, T1SZ=0
	p.mcrr(0, 2, l2)
	p.mcrr(1, 2, 0x50000000)
	p.setSCTLR(sctlrM, 0)
	for _, tc := range []struct {
		va  uint32
		par uint64
	}{
		{0x10012345, 0x40212a00},
		{0x3fe00000, 0x80d},               // level 2 translation fault
		{0x40000000, 0x800 | 0x15<<1 | 1}, // TTBR1 (external abort, level 1)
	} {
		p.mcr(0, 7, 8, 0, tc.va)
		if v, _ := p.cp.MRRC(0, 7, true); v != tc.par {
			t.Errorf("ATS1CPR %#x: PAR %#x, want %#x", tc.va, v, tc.par)
		}
	}
}

// TestMMUInstructions runs guest code that turns the MMU on and uses it,
// including an instruction fetch through a remapped page after TLBIALL.
func TestMMUInstructions(t *testing.T) {
	c := newMMUTestCPU(t)
	p := &mmuProbe{t: t, c: c, cp: c.cp[15].(*cp15)}
	for i := uint64(0); i < 4096; i++ {
		p.w32(probeL1+4*i, 0)
	}
	for i := uint64(0x400); i < 0x408; i++ {
		p.w32(probeL1+4*i, sect(uint32(i)<<20, 3, 0, 0, 0))
	}
	p.w32(probeL1+4*0x100, sect(0x40300000, 3, 0, 0, 0))
	p.w32(0x40300000, 0x1234)
	code := []uint32{
		0xee020f10, // mcr p15, 0, r0, c2, c0, 0 (TTBR0)
		0xee031f10, // mcr p15, 0, r1, c3, c0, 0 (DACR)
		0xee112f10, // mrc p15, 0, r2, c1, c0, 0
		0xe3822001, // orr r2, r2, #1
		0xee012f10, // mcr p15, 0, r2, c1, c0, 0 (SCTLR.M)
		0xf57ff06f, // isb
		0xe5943000, // ldr r3, [r4]
		0xe12fff1e, // bx lr
	}
	for i, w := range code {
		p.w32(testRAMBase+uint64(4*i), w)
	}
	c.R[0], c.R[1], c.R[4], c.R[14] = probeL1, 1, 0x10000000, 0x10000100
	// At VA 0x10000100: mov r0, #1; b . — then remapped to mov r0, #2.
	p.w32(0x40300100, 0xe3a00001)
	p.w32(0x40300104, 0xeafffffe)
	p.w32(0x40500100, 0xe3a00002)
	p.w32(0x40500104, 0xeafffffe)
	c.R[15] = testRAMBase
	runN(t, c, uint64(len(code))+1)
	if c.R[3] != 0x1234 || c.R[0] != 1 {
		t.Fatalf("r3 = %#x, r0 = %d; want 0x1234, 1 (PC %#x, mode %#x)", c.R[3], c.R[0], c.R[15], c.Mode())
	}
	if c.mem.sys.sctlr&sctlrM == 0 {
		t.Fatal("MMU not on")
	}
	// Remap the code's section; until TLBIALL the old code keeps running.
	p.w32(probeL1+4*0x100, sect(0x40500000, 3, 0, 0, 0))
	c.R[0], c.R[15] = 0, 0x10000100
	runN(t, c, 1)
	if c.R[0] != 1 {
		t.Errorf("before TLBIALL r0 = %d, want 1 (stale TLB)", c.R[0])
	}
	p.tlbiall()
	c.R[0], c.R[15] = 0, 0x10000100
	runN(t, c, 1)
	if c.R[0] != 2 {
		t.Errorf("after TLBIALL r0 = %d, want 2", c.R[0])
	}
}

// TestMMUUserFetch: a PL1-only page is not executable at PL0, and an XN
// page at neither (prefetch abort with the permission fault status).
func TestMMUUserFetch(t *testing.T) {
	p := mmuOn(t)
	p.w32(probeL1+4*0x100, sect(0x40300000, 1, 1, 0, 0))
	p.w32(0x40300000, 0xe3a00001) // mov r0, #1
	c := p.c
	c.switchMode(ModeUSR)
	c.R[15] = 0x10000000
	c.Run(1)
	if c.Mode() != ModeABT || c.mem.sys.ifsr != 0x1d || c.mem.sys.ifar != 0x10000000 {
		t.Errorf("mode %#x IFSR %#x IFAR %#x, want Abort mode, 0x1d, 0x10000000", c.Mode(), c.mem.sys.ifsr, c.mem.sys.ifar)
	}
	p.recover()
	c.R[15] = 0x10000000
	c.Run(1)
	if c.Mode() != ModeSVC || c.R[0] != 1 {
		t.Errorf("PL1 fetch: mode %#x r0 %d", c.Mode(), c.R[0])
	}
}

// TestFaultStatusFormat: faults outside the tables follow TTBCR.EAE even
// with the MMU off.
func TestFaultStatusFormat(t *testing.T) {
	c := newMMUTestCPU(t)
	op := &Op{pc: testRAMBase, size: 4}
	check := func(want uint32) {
		t.Helper()
		if _, ok := c.ld32(op, 0x50000000); ok {
			t.Fatal("read of unmapped memory succeeded")
		}
		if c.mem.sys.dfsr != want {
			t.Errorf("DFSR = %#x, want %#x", c.mem.sys.dfsr, want)
		}
		c.switchMode(ModeSVC)
		c.exit, c.faulted, c.exitPSR = false, false, false
	}
	check(0x008)
	mcr(c, 15, 0, 2, 0, 2, ttbcrEAE, true)
	check(0x210)
}

// TestTLBClearFilled: clear empties every entry fill wrote, whether it
// tracked them (a short list) or gave up (a full sweep), and a new
// context is swept whole.
func TestTLBClearFilled(t *testing.T) {
	for _, n := range []int{0, 3, tlbFilledMax, tlbFilledMax + 1, 2 * tlbSize} {
		x := new(tlbContext)
		x.clear() // a new context: full sweep
		for k := range 2 {
			for i := range tlbSize {
				if x.tlb[k][i] != emptyTLBEntry || x.itlb[k][i] != emptyTLBEntry {
					t.Fatalf("new context: entry %d/%d not empty", k, i)
				}
			}
		}
		for j := range n {
			k, exec, i := j&1, j&2 != 0, uint32(j*7)%tlbSize
			x.noteFilled(tlbSlot(k, exec, i))
			e := &x.tlb[k][i]
			if exec {
				e = &x.itlb[k][i]
			}
			*e = tlbEntry{read: 0x1000, write: 0x1000, exec: 0x1000}
		}
		x.clear()
		for k := range 2 {
			for i := range tlbSize {
				if x.tlb[k][i] != emptyTLBEntry || x.itlb[k][i] != emptyTLBEntry {
					t.Fatalf("%d fills: entry %d/%d survived clear", n, k, i)
				}
			}
		}
		if !x.tracked || len(x.filled) != 0 {
			t.Errorf("%d fills: after clear tracked %v, %d listed", n, x.tracked, len(x.filled))
		}
	}
}
