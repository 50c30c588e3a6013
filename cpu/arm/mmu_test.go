package arm

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/bus"
)

// mmuTestRAM is the RAM of the MMU tests: 8 MiB at testRAMBase, so that
// 0x50000000 (and everything else) is unmapped, as on QEMU's virt board
// with its default 128 MiB.
const mmuTestRAM = 8 << 20

// newMMUTestCPU returns a CPU with CP15 enabled (no timer) and 8 MiB of
// RAM at testRAMBase, in Supervisor mode with the MMU off.
func newMMUTestCPU(t testing.TB) *CPU {
	t.Helper()
	b := bus.New()
	if err := b.MapRAM("ram", testRAMBase, make([]byte, mmuTestRAM)); err != nil {
		t.Fatal(err)
	}
	c := New(b, Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c.EnableCP15(CP15Config{PeriphBase: 0x08000000})
	return c
}

// mmuProbe replays a bare-metal probe program: each method does what the
// program's function of the same name does and prints the same line.
type mmuProbe struct {
	t   *testing.T
	c   *CPU
	cp  *cp15
	out strings.Builder
}

func newMMUProbe(t *testing.T) *mmuProbe {
	c := newMMUTestCPU(t)
	return &mmuProbe{t: t, c: c, cp: c.cp[15].(*cp15)}
}

func (p *mmuProbe) printf(format string, args ...any) { fmt.Fprintf(&p.out, format, args...) }

func (p *mmuProbe) mcr(opc1, crn, crm, opc2, v uint32) {
	p.t.Helper()
	if !p.cp.MCR(opc1, crn, crm, opc2, v, true) {
		p.t.Fatalf("MCR p15, %d, c%d, c%d, %d UNDEFINED", opc1, crn, crm, opc2)
	}
}

func (p *mmuProbe) mrc(opc1, crn, crm, opc2 uint32) uint32 {
	p.t.Helper()
	v, ok := p.cp.MRC(opc1, crn, crm, opc2, true)
	if !ok {
		p.t.Fatalf("MRC p15, %d, c%d, c%d, %d UNDEFINED", opc1, crn, crm, opc2)
	}
	return v
}

func (p *mmuProbe) mcrr(opc1, crm uint32, v uint64) {
	p.t.Helper()
	if !p.cp.MCRR(opc1, crm, v, true) {
		p.t.Fatalf("MCRR p15, %d, c%d UNDEFINED", opc1, crm)
	}
}

func (p *mmuProbe) w32(pa uint64, v uint32) {
	if !p.c.Bus.Write(pa, 4, uint64(v)) {
		p.t.Fatalf("write %#x", pa)
	}
}

func (p *mmuProbe) w64(pa uint64, v uint64) {
	if !p.c.Bus.Write(pa, 8, v) {
		p.t.Fatalf("write %#x", pa)
	}
}

func (p *mmuProbe) setSCTLR(set, clear uint32) {
	p.mcr(0, 1, 0, 0, p.mrc(0, 1, 0, 0)&^clear|set)
}

func (p *mmuProbe) tlbiall() { p.mcr(0, 8, 7, 0, 0) }

func (p *mmuProbe) ats(va uint32) {
	var r [4]uint32
	for i := range r {
		p.mcr(0, 7, 8, uint32(i), va)
		r[i] = p.mrc(0, 7, 4, 0)
	}
	p.printf("ats %08x: %08x %08x %08x %08x\n", va, r[0], r[1], r[2], r[3])
}

func (p *mmuProbe) ats64(va uint32) {
	var r [4]uint64
	for i := range r {
		p.mcr(0, 7, 8, uint32(i), va)
		v, ok := p.cp.MRRC(0, 7, true)
		if !ok {
			p.t.Fatal("MRRC PAR UNDEFINED")
		}
		r[i] = v
	}
	p.printf("ats64 %08x: %016x %016x %016x %016x\n", va, r[0], r[1], r[2], r[3])
}

// recover returns from an exception the probe took: back to Supervisor
// mode, no exit pending.
func (p *mmuProbe) recover() {
	c := p.c
	c.switchMode(ModeSVC)
	c.exit, c.faulted, c.exitPSR = false, false, false
	c.A, c.I, c.F = true, true, true
}

// access performs a word load or store at PL1 through the data path and
// prints the Data Abort it took, if any.
func (p *mmuProbe) access(name string, va uint32, store bool) uint32 {
	c := p.c
	op := &Op{pc: testRAMBase, size: 4}
	var v uint32
	var ok bool
	if store {
		ok = c.st32(op, va, 0)
	} else {
		v, ok = c.ld32(op, va)
	}
	n, fsr, far := 0, uint32(0), uint32(0)
	if !ok {
		n, fsr, far = 1, c.mem.sys.dfsr, c.mem.sys.dfar
		p.recover()
	}
	p.printf("%s %08x: n=%d fsr=%08x far=%08x\n", name, va, n, fsr, far)
	return v
}

func (p *mmuProbe) ld(va uint32) { p.access("ld", va, false) }
func (p *mmuProbe) st(va uint32) { p.access("st", va, true) }

// ex branches to va, where a BX LR waits if the fetch succeeds, and prints
// the Prefetch Abort it took, if any.
func (p *mmuProbe) ex(va uint32) {
	c := p.c
	c.R[15], c.R[14], c.T = va, testRAMBase, false
	c.Run(1)
	n, fsr, far := 0, uint32(0), uint32(0)
	if c.Mode() == ModeABT {
		n, fsr, far = 1, c.mem.sys.ifsr, c.mem.sys.ifar
		p.recover()
	}
	p.printf("ex %08x: n=%d fsr=%08x far=%08x\n", va, n, fsr, far)
}

// Short-descriptor section (ARM ARM B3.5.1): AP[2] is bit 15, AP[1:0]
// bits 11:10, domain bits 8:5, XN bit 4, PXN bit 0 (type 0b11).
func sect(pa, ap, dom, xn, pxn uint32) uint32 {
	return pa&0xfff00000 | ap&3<<10 | ap>>2<<15 | dom<<5 | xn<<4 | 2 | pxn
}

const (
	probeL1  = 0x40100000
	probeL2A = 0x40104000
	bxLR     = 0xe12fff1e
)

func (p *mmuProbe) shortTables() {
	for i := uint64(0); i < 4096; i++ {
		p.w32(probeL1+4*i, 0)
	}
	l1 := func(i uint64, v uint32) { p.w32(probeL1+4*i, v) }
	for i := uint64(0x400); i < 0x410; i++ {
		l1(i, sect(uint32(i)<<20, 3, 0, 0, 0))
	}
	l1(0x100, sect(0x40300000, 3, 1, 0, 0))
	l1(0x101, sect(0x40300000, 1, 1, 0, 0))
	l1(0x102, sect(0x40300000, 2, 1, 0, 0))
	l1(0x103, sect(0x40300000, 5, 1, 0, 0))
	l1(0x104, sect(0x40300000, 7, 1, 0, 0))
	l1(0x105, sect(0x40300000, 0, 1, 0, 0))
	l1(0x106, sect(0x40300000, 3, 1, 1, 0))
	l1(0x107, sect(0x40300000, 3, 1, 0, 1))
	l1(0x108, sect(0x40300000, 3, 2, 0, 0))
	l1(0x109, sect(0x40300000, 0, 3, 1, 0))
	// Supersection: PA[31:24]=0x40, PA[35:32]=0x2, PA[39:36]=0x1.
	for i := uint64(0x110); i < 0x120; i++ {
		l1(i, 0x40000000|1<<18|0x2<<20|0x1<<5|3<<10|2)
	}
	l1(0x120, probeL2A|1<<5|1)
	l1(0x121, 0x50000000|1<<5|1)
	l2 := func(i uint64, v uint32) { p.w32(probeL2A+4*i, v) }
	for i := uint64(0); i < 256; i++ {
		l2(i, 0)
	}
	l2(0, 0x40301000|3<<4|2)
	l2(1, 0x40301000|2<<4|3) // XN small page
	l2(3, 0x40301000|0<<4|2)
	for i := uint64(16); i < 32; i++ {
		l2(i, 0x40310000|3<<4|1)
	}
	p.w32(0x40300000, bxLR)
	p.w32(0x40301000, bxLR)
	p.w32(0x40310000, bxLR)
}

// Long-descriptor block or page (ARM ARM B3.6.2): AF bit 10, SH bits 9:8,
// AP[2:1] bits 7:6, AttrIndx bits 4:2.
func blk(pa uint64, ap, idx, sh uint32) uint64 {
	return pa | 1<<10 | uint64(ap)<<6 | uint64(idx)<<2 | uint64(sh)<<8 | 1
}

const (
	probeLL1  = 0x40110000
	probeLL2  = 0x40111000
	probeLL3  = 0x40113000
	probeLL3b = 0x40114000
	probeLL3c = 0x40115000
	probeLL2T = 0x40116000
	descAF    = 1 << 10
)

func (p *mmuProbe) longTables() {
	for i := uint64(0); i < 4; i++ {
		p.w64(probeLL1+8*i, 0)
	}
	for i := uint64(0); i < 512; i++ {
		for _, tb := range []uint64{probeLL2, probeLL3, probeLL3b, probeLL3c} {
			p.w64(tb+8*i, 0)
		}
	}
	e := func(tb, i, v uint64) { p.w64(tb+8*i, v) }
	e(probeLL1, 0, probeLL2|3)
	e(probeLL1, 1, blk(0x40000000, 1, 0, 3))
	e(probeLL1, 2, 0x50000000|3)
	e(probeLL2, 0x80, blk(0x40200000, 1, 1, 3))
	e(probeLL2, 0x81, blk(0x40200000, 2, 1, 2))
	e(probeLL2, 0x82, blk(0x40200000, 1, 0, 0)&^descAF)
	e(probeLL2, 0x83, blk(0x40200000, 1, 0, 0)|1<<54)
	e(probeLL2, 0x84, blk(0x40200000, 1, 0, 0)|1<<53)
	e(probeLL2, 0x85, probeLL3|3)
	e(probeLL3, 0, blk(0x40301000, 3, 2, 1)|2)
	e(probeLL3, 2, blk(0x40301000, 3, 2, 1)&^2)
	e(probeLL3, 3, (blk(0x40301000, 3, 2, 1)|2)&^descAF)
	e(probeLL2, 0x86, probeLL3b|3|1<<61) // APTable[0]: no PL0 access
	e(probeLL3b, 0, blk(0x40301000, 1, 0, 0)|2)
	e(probeLL2, 0x87, probeLL3c|3|3<<59) // PXNTable, XNTable
	e(probeLL3c, 0, blk(0x40301000, 1, 0, 0)|2)
	e(probeLL2, 0x88, 0x50000000|3)
	p.w32(0x40200000, bxLR)
}

var probeShortVAs = []uint32{0x10000000, 0x10100000, 0x10200000, 0x10300000, 0x10400000, 0x10500000, 0x10600000, 0x10700000,
	0x10800000, 0x10900000, 0x10a00000, 0x11000000, 0x11abcdef, 0x12000000, 0x12001000, 0x12002000, 0x12003000, 0x12010000, 0x1201f123, 0x12100000, 0x80000000}

var probeLongVAs = []uint32{0x10000000, 0x10200000, 0x10400000, 0x10600000, 0x10800000, 0x10a00000, 0x10a01000, 0x10a02000, 0x10a03000,
	0x10c00000, 0x10e00000, 0x11000000, 0x11200000, 0x40000000, 0x80000000, 0xc0000000}

const (
	sctlrBitA   = 1 << 1
	sctlrBitAFE = 1 << 29
)

// run replays the probe program's main.
func (p *mmuProbe) run() {
	p.printf("mmu off: ")
	p.ats(0x12345678)
	p.mcr(0, 2, 0, 2, 0x80000000)
	p.ats64(0x12345678)
	p.mcr(0, 2, 0, 2, 0)

	p.shortTables()
	p.mcr(0, 3, 0, 0, 0xc5) // DACR: domain 0, 1 client, 2 no access, 3 manager
	p.mcr(0, 2, 0, 2, 1)    // TTBCR.N = 1
	p.mcr(0, 2, 0, 0, probeL1)
	p.mcr(0, 2, 0, 1, 0x50000000)
	p.tlbiall()
	p.setSCTLR(sctlrM, 0)
	p.tlbiall()
	p.printf("short AFE=0\n")
	for _, va := range probeShortVAs {
		p.ats(va)
	}
	for _, a := range []struct {
		va    uint32
		store bool
	}{{0x10000104, false}, {0x10000104, true}, {0x10300000, false}, {0x10300000, true}, {0x10500000, false},
		{0x10800000, false}, {0x10800000, true}, {0x10a00000, false}, {0x12002000, false}, {0x12003000, true},
		{0x12100000, false}, {0x80000000, false}, {0x80000010, true}, {0x10000102, false}, {0x10000102, true}} {
		p.access(map[bool]string{false: "ld", true: "st"}[a.store], a.va, a.store)
	}
	for _, va := range []uint32{0x10000000, 0x10600000, 0x10700000, 0x10800000, 0x10a00000, 0x12001000, 0x12002000, 0x12100000, 0x80000000, 0x10900000} {
		p.ex(va)
	}
	p.setSCTLR(sctlrBitA, 0)
	p.ld(0x10000102)
	p.st(0x10000102)
	p.setSCTLR(0, sctlrBitA)
	p.printf("short AFE=1\n")
	p.setSCTLR(sctlrBitAFE, 0)
	p.tlbiall()
	for _, va := range probeShortVAs {
		p.ats(va)
	}
	p.ld(0x10000004)
	p.ld(0x10200000)
	p.st(0x10200000)
	p.ld(0x12000000)
	p.ld(0x12001000)
	p.ld(0x12003000)
	p.setSCTLR(0, sctlrBitAFE)
	p.tlbiall()

	// A remapping without TLB maintenance keeps the old translation
	// until TLBIMVA drops it.
	p.printf("tlb\n")
	p.w32(0x40300000, 0x11111111)
	p.w32(0x40400000, 0x22222222)
	rd := func() uint32 {
		v, ok := p.c.ld32(&Op{pc: testRAMBase, size: 4}, 0x10000000)
		if !ok {
			p.t.Fatal("read of 0x10000000 aborted")
		}
		return v
	}
	p.printf("v=%08x\n", rd())
	p.w32(probeL1+4*0x100, sect(0x40400000, 3, 1, 0, 0))
	p.printf("stale v=%08x\n", rd())
	p.mcr(0, 8, 7, 1, 0x10000000)
	p.printf("after tlbimva v=%08x\n", rd())
	p.setSCTLR(0, sctlrM)
	p.tlbiall()

	p.printf("lpae\n")
	p.longTables()
	p.mcr(0, 10, 2, 0, 0x004404ff) // MAIR0
	p.mcr(0, 10, 2, 1, 0x12345678) // MAIR1
	p.mcr(0, 2, 0, 2, 0x80000000)
	p.mcrr(0, 2, 0x00010000_00000000|probeLL1) // TTBR0, ASID 1
	p.mcrr(1, 2, 0x50000000)
	p.tlbiall()
	p.setSCTLR(sctlrM, 0)
	p.tlbiall()
	for _, va := range probeLongVAs {
		p.ats64(va)
	}
	p.ld(0x10000004)
	p.st(0x10200000)
	p.ld(0x10400000)
	p.st(0x10400000)
	p.ld(0x10a01000)
	p.ld(0x10a02000)
	p.ld(0x10a03000)
	p.ld(0x11000000)
	p.ld(0x11200000)
	p.ld(0x80000000)
	p.st(0x80000000)
	p.ld(0x50000000)
	p.st(0x50000000)
	p.ld(0x10000002)
	p.setSCTLR(sctlrBitA, 0)
	p.ld(0x10000002)
	p.st(0x10000002)
	p.setSCTLR(0, sctlrBitA)
	for _, va := range []uint32{0x10000000, 0x10600000, 0x10800000, 0x10e00000, 0x11200000, 0x11000000} {
		p.ex(va)
	}
	p.printf("T1SZ=1 EPD1\n")
	p.mcr(0, 2, 0, 2, 0x80000000|1<<16|1)
	p.tlbiall()
	p.ats64(0x10000000)
	p.ats64(0x80000000)
	p.ats64(0xc0000000)
	p.mcr(0, 2, 0, 2, 0x80000000|1<<16|1|1<<23)
	p.tlbiall()
	p.ats64(0x80000000)
	p.ats64(0xffffffff)
	p.ld(0x80000000)
	p.printf("T0SZ=1 T1SZ=2\n")
	for i := uint64(0); i < 512; i++ {
		p.w64(probeLL2T+8*i, 0)
	}
	p.w64(probeLL2T, blk(0x40200000, 1, 1, 3))
	p.w64(probeLL2T+8*511, blk(0x40200000, 0, 2, 1))
	p.mcrr(1, 2, probeLL2T)
	p.mcr(0, 2, 0, 2, 0x80000000|2<<16|1)
	p.tlbiall()
	for _, va := range []uint32{0x7fffffff, 0x80000000, 0xbfffffff, 0xc0000000, 0xffffffff} {
		p.ats64(va)
	}
	p.ld(0x80000000)
	p.ld(0xc0000004)
	p.printf("T0SZ=1 T1SZ=0\n")
	p.mcr(0, 2, 0, 2, 0x80000000|1)
	p.tlbiall()
	p.mcrr(1, 2, probeLL1)
	p.ats64(0x80000000)
	p.ats64(0xc0000000)
	p.printf("addrsize\n")
	p.mcrr(1, 2, 0x100_00000000|probeLL1)
	p.tlbiall()
	p.ats64(0x80000000)
	p.ld(0x80000000)
	p.mcrr(1, 2, 0x10000_00000000|probeLL1)
	p.tlbiall()
	p.ats64(0x80000000)
	p.ld(0x80000000)
}

// TestMMUAgainstQEMU replays a bare-metal probe of PAR, DFSR/DFAR and
// IFSR/IFAR values for short-descriptor and LPAE tables and compares with
// what qemu-system-arm 7.2 (-M virt -cpu cortex-a15) printed. Lines marked
// "#" are deliberate differences (the comment gives QEMU's behaviour).
func TestMMUAgainstQEMU(t *testing.T) {
	p := newMMUProbe(t)
	p.run()
	var want []string
	for _, l := range strings.Split(strings.TrimSuffix(mmuQEMUGolden, "\n"), "\n") {
		if i := strings.Index(l, "  #"); i >= 0 {
			l = l[:i]
		}
		want = append(want, l)
	}
	got := strings.Split(strings.TrimSuffix(p.out.String(), "\n"), "\n")
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("probe output (-want +got):\n%s", d)
	}
}

// mmuQEMUGolden is the probe's output under qemu-system-arm 7.2.
const mmuQEMUGolden = `mmu off: ats 12345678: 12345200 12345200 12345200 12345200
ats64 12345678: 0000000012345a00 0000000012345a00 0000000012345a00 0000000012345a00
short AFE=0
ats 10000000: 40300200 40300200 40300200 40300200
ats 10100000: 40300200 40300200 0000001b 0000001b
ats 10200000: 40300200 40300200 40300200 0000001b
ats 10300000: 40300200 0000001b 0000001b 0000001b
ats 10400000: 40300200 0000001b 40300200 0000001b
ats 10500000: 0000001b 0000001b 0000001b 0000001b
ats 10600000: 40300200 40300200 40300200 40300200
ats 10700000: 40300200 40300200 40300200 40300200
ats 10800000: 00000013 00000013 00000013 00000013
ats 10900000: 40300200 40300200 40300200 40300200
ats 10a00000: 0000000b 0000000b 0000000b 0000000b
ats 11000000: 40120202 40120202 40120202 40120202  # QEMU 7.2: 40000202 (drops PA[39:32])
ats 11abcdef: 40120202 40120202 40120202 40120202  # QEMU 7.2: 40000202 (drops PA[39:32])
ats 12000000: 40301200 40301200 40301200 40301200
ats 12001000: 40301200 40301200 40301200 0000001f
ats 12002000: 0000000f 0000000f 0000000f 0000000f
ats 12003000: 0000001f 0000001f 0000001f 0000001f
ats 12010000: 40310200 40310200 40310200 40310200
ats 1201f123: 4031f200 4031f200 4031f200 4031f200
ats 12100000: 0000001d 0000001d 0000001d 0000001d  # QEMU: Data Abort, PAR unchanged
ats 80000000: 00000019 00000019 00000019 00000019  # QEMU: Data Abort, PAR unchanged
ld 10000104: n=0 fsr=00000000 far=00000000
st 10000104: n=0 fsr=00000000 far=00000000
ld 10300000: n=0 fsr=00000000 far=00000000
st 10300000: n=1 fsr=0000081d far=10300000
ld 10500000: n=1 fsr=0000001d far=10500000
ld 10800000: n=1 fsr=00000029 far=10800000
st 10800000: n=1 fsr=00000829 far=10800000
ld 10a00000: n=1 fsr=00000005 far=10a00000
ld 12002000: n=1 fsr=00000017 far=12002000
st 12003000: n=1 fsr=0000081f far=12003000
ld 12100000: n=1 fsr=0000001e far=12100000
ld 80000000: n=1 fsr=0000000c far=80000000
st 80000010: n=1 fsr=0000080c far=80000010
ld 10000102: n=0 fsr=00000000 far=00000000
st 10000102: n=0 fsr=00000000 far=00000000
ex 10000000: n=0 fsr=00000000 far=00000000
ex 10600000: n=1 fsr=0000001d far=10600000
ex 10700000: n=1 fsr=0000001d far=10700000
ex 10800000: n=1 fsr=00000029 far=10800000
ex 10a00000: n=1 fsr=00000005 far=10a00000
ex 12001000: n=1 fsr=0000001f far=12001000
ex 12002000: n=1 fsr=00000017 far=12002000
ex 12100000: n=1 fsr=0000001e far=12100000
ex 80000000: n=1 fsr=0000000c far=80000000
ex 10900000: n=0 fsr=00000000 far=00000000
ld 10000102: n=1 fsr=00000001 far=10000102
st 10000102: n=1 fsr=00000801 far=10000102
short AFE=1
ats 10000000: 40300200 40300200 40300200 40300200
ats 10100000: 40300200 40300200 0000001b 0000001b
ats 10200000: 00000007 00000007 00000007 00000007
ats 10300000: 40300200 0000001b 0000001b 0000001b
ats 10400000: 40300200 0000001b 40300200 0000001b
ats 10500000: 00000007 00000007 00000007 00000007
ats 10600000: 40300200 40300200 40300200 40300200
ats 10700000: 40300200 40300200 40300200 40300200
ats 10800000: 00000013 00000013 00000013 00000013
ats 10900000: 40300200 40300200 40300200 40300200
ats 10a00000: 0000000b 0000000b 0000000b 0000000b
ats 11000000: 40120202 40120202 40120202 40120202  # QEMU 7.2: 40000202 (drops PA[39:32])
ats 11abcdef: 40120202 40120202 40120202 40120202  # QEMU 7.2: 40000202 (drops PA[39:32])
ats 12000000: 40301200 40301200 40301200 40301200
ats 12001000: 0000000d 0000000d 0000000d 0000000d
ats 12002000: 0000000f 0000000f 0000000f 0000000f
ats 12003000: 0000000d 0000000d 0000000d 0000000d
ats 12010000: 40310200 40310200 40310200 40310200
ats 1201f123: 4031f200 4031f200 4031f200 4031f200
ats 12100000: 0000001d 0000001d 0000001d 0000001d  # QEMU: Data Abort, PAR unchanged
ats 80000000: 00000019 00000019 00000019 00000019  # QEMU: Data Abort, PAR unchanged
ld 10000004: n=0 fsr=00000000 far=00000000
ld 10200000: n=1 fsr=00000013 far=10200000
st 10200000: n=1 fsr=00000813 far=10200000
ld 12000000: n=0 fsr=00000000 far=00000000
ld 12001000: n=1 fsr=00000016 far=12001000
ld 12003000: n=1 fsr=00000016 far=12003000
tlb
v=11111111
stale v=11111111
after tlbimva v=22222222
lpae
ats64 10000000: 0400000040200b80 0400000040200b80 0400000040200b80 0400000040200b80
ats64 10200000: 0400000040200b00 000000000000081d 000000000000081d 000000000000081d
ats64 10400000: 0000000000000815 0000000000000815 0000000000000815 0000000000000815
ats64 10600000: ff00000040200a00 ff00000040200a00 ff00000040200a00 ff00000040200a00
ats64 10800000: ff00000040200a00 ff00000040200a00 ff00000040200a00 ff00000040200a00
ats64 10a00000: 4400000040301a80 000000000000081f 4400000040301a80 000000000000081f
ats64 10a01000: 000000000000080f 000000000000080f 000000000000080f 000000000000080f
ats64 10a02000: 000000000000080f 000000000000080f 000000000000080f 000000000000080f
ats64 10a03000: 0000000000000817 0000000000000817 0000000000000817 0000000000000817
ats64 10c00000: ff00000040301a00 ff00000040301a00 000000000000081f 000000000000081f
ats64 10e00000: ff00000040301a00 ff00000040301a00 ff00000040301a00 ff00000040301a00
ats64 11000000: 000000000000082f 000000000000082f 000000000000082f 000000000000082f  # QEMU: Data Abort, PAR unchanged
ats64 11200000: 000000000000080d 000000000000080d 000000000000080d 000000000000080d
ats64 40000000: ff00000040000b80 ff00000040000b80 ff00000040000b80 ff00000040000b80
ats64 80000000: 000000000000082d 000000000000082d 000000000000082d 000000000000082d  # QEMU: Data Abort, PAR unchanged
ats64 c0000000: 000000000000080b 000000000000080b 000000000000080b 000000000000080b
ld 10000004: n=0 fsr=00000000 far=00000000
st 10200000: n=1 fsr=00000a0e far=10200000
ld 10400000: n=1 fsr=0000020a far=10400000
st 10400000: n=1 fsr=00000a0a far=10400000
ld 10a01000: n=1 fsr=00000207 far=10a01000
ld 10a02000: n=1 fsr=00000207 far=10a02000
ld 10a03000: n=1 fsr=0000020b far=10a03000
ld 11000000: n=1 fsr=00000217 far=11000000
ld 11200000: n=1 fsr=00000206 far=11200000
ld 80000000: n=1 fsr=00000216 far=80000000
st 80000000: n=1 fsr=00000a16 far=80000000
ld 50000000: n=1 fsr=00000210 far=50000000
st 50000000: n=1 fsr=00000a10 far=50000000
ld 10000002: n=0 fsr=00000000 far=00000000
ld 10000002: n=1 fsr=00000221 far=10000002
st 10000002: n=1 fsr=00000a21 far=10000002
ex 10000000: n=0 fsr=00000000 far=00000000
ex 10600000: n=1 fsr=0000020e far=10600000
ex 10800000: n=1 fsr=0000020e far=10800000
ex 10e00000: n=1 fsr=0000020f far=10e00000
ex 11200000: n=1 fsr=00000206 far=11200000
ex 11000000: n=1 fsr=00000217 far=11000000
T1SZ=1 EPD1
ats64 10000000: 0400000040200b80 0400000040200b80 0400000040200b80 0400000040200b80
ats64 80000000: 000000000000082b 000000000000082b 000000000000082b 000000000000082b  # QEMU: Data Abort, PAR unchanged
ats64 c0000000: 000000000000082b 000000000000082b 000000000000082b 000000000000082b  # QEMU: Data Abort, PAR unchanged
ats64 80000000: 000000000000080b 000000000000080b 000000000000080b 000000000000080b
ats64 ffffffff: 000000000000080b 000000000000080b 000000000000080b 000000000000080b
ld 80000000: n=1 fsr=00000205 far=80000000
T0SZ=1 T1SZ=2
ats64 7fffffff: ff0000007ffffb80 ff0000007ffffb80 ff0000007ffffb80 ff0000007ffffb80
ats64 80000000: 000000000000080b 000000000000080b 000000000000080b 000000000000080b
ats64 bfffffff: 000000000000080b 000000000000080b 000000000000080b 000000000000080b
ats64 c0000000: 0400000040200b80 0400000040200b80 0400000040200b80 0400000040200b80
ats64 ffffffff: 44000000403ffa80 44000000403ffa80 000000000000081d 000000000000081d
ld 80000000: n=1 fsr=00000205 far=80000000
ld c0000004: n=0 fsr=00000000 far=00000000
T0SZ=1 T1SZ=0
ats64 80000000: 000000000000082d 000000000000082d 000000000000082d 000000000000082d  # QEMU: Data Abort, PAR unchanged
ats64 c0000000: 000000000000080b 000000000000080b 000000000000080b 000000000000080b
addrsize
ats64 80000000: 0000000000000801 0000000000000801 0000000000000801 0000000000000801
ld 80000000: n=1 fsr=00000200 far=80000000
ats64 80000000: 000000000000082d 000000000000082d 000000000000082d 000000000000082d  # QEMU: Data Abort, PAR unchanged
ld 80000000: n=1 fsr=00000216 far=80000000
`
