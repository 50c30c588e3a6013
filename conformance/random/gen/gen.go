package main

import (
	"fmt"
	"strings"
)

// Memory map shared by the harness and the generator. The harness keeps SP at
// harnessBase for the whole run; random instructions never write SP or PC, so
// SP-relative reads see these constants on every emulator.
//
//	harnessBase-0x40 .. harnessBase      register save area (STMDB sp, ...)
//	harnessBase      .. +0x100           harness slots (read-only to random code)
//	scratchBase      .. +scratchSize     scratch buffer, re-initialised per batch
//	scratchBase+0x100 .. +0x300          zero-filled once at start-up
//
// The addresses depend on the board (virt RAM at 0x40000000, mps2 RAM at
// 0x20000000): generate sets them from the image's profile (useLayout) before
// it generates anything. The generator is single-threaded.
var (
	harnessBase uint32
	scratchBase uint32
	lineBuf     uint32 // where the harness formats its output lines
)

const (
	scratchOff  = 0x100
	scratchSize = 256

	harnessA = 0x48000000 // virt (A profile): top of the first 128 MiB of RAM
	harnessM = 0x20008000 // mps2 (M profile): SSRAM2, above 28 KiB of line buffer
)

// useLayout selects the memory map of the A (virt) or M (mps2) harness.
func useLayout(mprofile bool) {
	harnessBase = harnessA
	if mprofile {
		harnessBase = harnessM
	}
	scratchBase = harnessBase + scratchOff
	lineBuf = harnessBase - 0x1000
}

const (
	// Harness slots, offsets from SP.
	slotEntry = 0  // entry address of the current block (bit 0 set for T32)
	slotDone  = 4  // address of batch_done (A32 on A, Thumb on M)
	slotTable = 8  // pointer to the next batch_table row
	slotIndex = 12 // index of the current batch
)

// literalReach bounds PC-relative literal offsets. Every block is surrounded
// by at least this many bytes of image (guards), so literal loads always read
// bytes of the image itself.
const literalReach = 252

// Registers the random instructions may name as data operands: every general
// purpose register except SP (the harness pointer) and PC.
var dataRegs = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14}
var lowRegs = []int{0, 1, 2, 3, 4, 5, 6, 7}

const (
	rSP = 13
	rLR = 14
	rPC = 15
	al  = 14
)

var regNames = [16]string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "sp", "lr", "pc"}
var condNames = [16]string{"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "", ""}

func rn(r int) string { return regNames[r] }

// rng is a splitmix64 generator: tiny, and its output is fixed forever, so a
// seed reproduces the same corpus with any Go version.
type rng struct{ s uint64 }

func (r *rng) u64() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
func (r *rng) u32() uint32       { return uint32(r.u64() >> 32) }
func (r *rng) intn(n int) int    { return int(r.u64() % uint64(n)) }
func (r *rng) pct(p int) bool    { return r.intn(100) < p }
func (r *rng) pick(xs []int) int { return xs[r.intn(len(xs))] }
func (r *rng) bit() uint32       { return uint32(r.intn(2)) }

// edgeWords are register values that exercise carries, overflows, saturation
// and shift-amount boundaries.
var edgeWords = []uint32{
	0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x80000001, 0x7ffffffe,
	0x7fff, 0x8000, 0xffff, 0x10000, 0xffff8000, 0xffff7fff, 0x7f, 0x80, 0xff, 0x100,
	0xffffff80, 0xffffff7f, 31, 32, 33, 63, 64, 255, 256, 0x7fff8000, 0x80007fff,
	0x7f7f7f7f, 0x80808080, 0x01010101, 0xfefefefe, 0x7fff7fff, 0x80008000,
}

// value returns a register value biased towards edge cases.
func (r *rng) value() uint32 {
	switch r.intn(20) {
	case 0, 1, 2, 3, 4:
		return edgeWords[r.intn(len(edgeWords))]
	case 5, 6:
		return uint32(r.intn(40))
	case 7:
		return uint32(-(r.intn(40) + 1))
	case 8, 9, 10:
		bytes := []uint32{0, 1, 0x7f, 0x80, 0xff, 0xfe, 0x81}
		var v uint32
		for i := 0; i < 4; i++ {
			b := uint32(r.intn(256))
			if r.pct(70) {
				b = bytes[r.intn(len(bytes))]
			}
			v |= b << (8 * i)
		}
		return v
	case 11, 12, 13:
		halves := []uint32{0, 1, 0x7fff, 0x8000, 0xffff, 0xfffe, 0x8001}
		var v uint32
		for i := 0; i < 2; i++ {
			h := uint32(r.intn(65536))
			if r.pct(70) {
				h = halves[r.intn(len(halves))]
			}
			v |= h << (16 * i)
		}
		return v
	default:
		return r.u32()
	}
}

// insn is one generated instruction.
type insn struct {
	enc   uint32 // A32 word, T32 16-bit halfword, or T32 32-bit hw1<<16|hw2
	size  int    // 2 or 4 bytes
	text  string // intended disassembly (UAL)
	group string // encoding group, for statistics
	setup bool   // emitted to prepare an address, not chosen at random
}

// gen generates one block of random instructions for one instruction set.
//
// It tracks which registers hold values it knows at generation time. Only
// unconditional "setup" instructions (MOVW/MOVT, ADD from SP) and writeback of
// a known base produce known values; every other write forgets the register.
// Memory accesses need a known base so every access lands inside the scratch
// buffer (or, for literal and SP-relative loads, inside the image or harness
// slots), correctly aligned.
type gen struct {
	r     *rng
	t32   bool
	dsp   bool // T32: the DSP instructions (ARMv7-A, ARMv7E-M) may be generated
	fp    bool // T32: FPv4-SP instructions may be generated
	m     bool // ARMv7-M: only encodings the M profile has
	forms []form
	code  []insn
	off   int // byte offset of the next instruction from the block start
	known [16]bool
	val   [16]uint32

	cond    int  // condition of the instruction being generated (al = always)
	certain bool // the instruction will execute whenever the block does
	inIT    bool // T32: generating the body of an IT block
	noSetup bool // setup instructions may not be inserted here (IT block bodies)
	region  *uint16

	stats map[string]int
}

func newGen(r *rng, p profile, stats map[string]int) *gen {
	g := &gen{r: r, t32: p.t32, dsp: p.dsp, fp: p.fp, m: p.m, cond: al, certain: true, stats: stats}
	if p.t32 {
		g.forms = t32FormsFor(p)
	}
	return g
}

// profile is what an instruction-set name (SEEDS, -isa) selects.
type profile struct {
	name string // a32, t32, t32m, t32em (boards: Makefile, random_test.go)
	t32  bool   // Thumb code
	m    bool   // ARMv7-M: mps2 board, M harness, only ARMv7-M encodings
	dsp  bool   // the DSP instructions (ARMv7-A always; ARMv7E-M)
	fp   bool   // FPv4-SP single-precision VFP (Cortex-M4F)
}

var profiles = map[string]profile{
	"a32":   {name: "a32", dsp: true},
	"t32":   {name: "t32", t32: true, dsp: true},
	"t32m":  {name: "t32m", t32: true, m: true},
	"t32em": {name: "t32em", t32: true, m: true, dsp: true, fp: true},
}

func (g *gen) reset() {
	g.code = nil
	g.off = 0
	g.known = [16]bool{}
	g.cond, g.certain, g.inIT, g.noSetup, g.region = al, true, false, false, nil
}

func (g *gen) emit(group string, enc uint32, size int, text string) {
	g.code = append(g.code, insn{enc: enc, size: size, text: text, group: group})
	g.off += size
	g.stats[group]++
}

// cc is the condition suffix for the instruction being generated.
func (g *gen) cc() string { return condNames[g.cond] }

// mn builds a mnemonic: base, optional S, condition.
func (g *gen) mn(base string, s bool) string {
	if s {
		base += "s"
	}
	return base + g.cc()
}

// wr records that r is (possibly) written with a value unknown to the generator.
func (g *gen) wr(r int) {
	g.known[r] = false
	if g.region != nil {
		*g.region |= 1 << r
	}
}

// wrKnown records that r is written with v if the instruction executes.
func (g *gen) wrKnown(r int, v uint32) {
	g.wr(r)
	if g.certain {
		g.known[r], g.val[r] = true, v
	}
}

func mask(rs ...int) uint16 {
	var m uint16
	for _, r := range rs {
		m |= 1 << r
	}
	return m
}

// reg picks a data register not in excl.
func (g *gen) regNot(excl uint16) int {
	for {
		r := g.r.pick(dataRegs)
		if excl&(1<<r) == 0 {
			return r
		}
	}
}

// reg picks a data register. Half the time it avoids registers whose values
// the generator knows, so scratch pointers survive longer and fewer setup
// instructions are needed.
func (g *gen) reg() int {
	r := g.r.pick(dataRegs)
	if g.known[r] && g.r.pct(50) {
		r = g.r.pick(dataRegs)
	}
	return r
}
func (g *gen) low() int { return g.r.intn(8) }
func (g *gen) lowNot(excl uint16) int {
	for {
		r := g.r.intn(8)
		if excl&(1<<r) == 0 {
			return r
		}
	}
}

// ---- addresses -------------------------------------------------------------

func inScratch(a uint32, size int) bool {
	return a >= scratchBase && a+uint32(size) <= scratchBase+scratchSize
}

// baseCandidates lists registers known to point at or just past the scratch buffer.
func (g *gen) baseCandidates(excl uint16, lowOnly bool) []int {
	var out []int
	for _, r := range dataRegs {
		if excl&(1<<r) != 0 || (lowOnly && r >= 8) || !g.known[r] {
			continue
		}
		if v := g.val[r]; v >= scratchBase && v <= scratchBase+scratchSize {
			out = append(out, r)
		}
	}
	return out
}

// memBase finds a base register for a memory access. try is called with a
// candidate base register and its value and returns whether it found
// encodable operands for it (it keeps them in its closure). If no known
// register works and setup is allowed, a register not in excl is loaded with a
// fresh scratch address (setup instructions) and tried.
func (g *gen) memBase(excl uint16, lowOnly bool, try func(n int, v uint32) bool) (int, bool) {
	cands := g.baseCandidates(excl, lowOnly)
	for i := 0; i < 4 && len(cands) > 0; i++ {
		n := cands[g.r.intn(len(cands))]
		if try(n, g.val[n]) {
			return n, true
		}
	}
	if g.noSetup {
		return 0, false
	}
	for i := 0; i < 8; i++ {
		n := g.regNot(excl)
		if lowOnly {
			n = g.lowNot(excl)
		}
		v := scratchBase + uint32(4*g.r.intn(scratchSize/4+1))
		if g.r.pct(25) {
			v = scratchBase + uint32(g.r.intn(scratchSize+1))
		}
		if try(n, v) {
			g.setup(n, v)
			return n, true
		}
	}
	return 0, false
}

// setup loads v into r with unconditional instructions.
func (g *gen) setup(r int, v uint32) {
	saveCond, saveCertain := g.cond, g.certain
	g.cond, g.certain = al, true
	first := len(g.code)
	if g.t32 {
		t32Setup(g, r, v)
	} else {
		a32Setup(g, r, v)
	}
	for i := first; i < len(g.code); i++ {
		g.code[i].setup = true
	}
	g.cond, g.certain = saveCond, saveCertain
}

// index finds or creates a register holding exactly v (for register-offset
// addressing). It returns false if none exists and setup is not allowed.
func (g *gen) index(excl uint16, lowOnly bool, v uint32) (int, bool) {
	var cands []int
	for _, r := range dataRegs {
		if excl&(1<<r) == 0 && !(lowOnly && r >= 8) && g.known[r] && g.val[r] == v {
			cands = append(cands, r)
		}
	}
	if len(cands) > 0 {
		return cands[g.r.intn(len(cands))], true
	}
	if g.noSetup {
		return 0, false
	}
	m := g.regNot(excl)
	if lowOnly {
		m = g.lowNot(excl)
	}
	g.setup(m, v)
	return m, true
}

// smallKnown lists registers with known values below limit.
func (g *gen) smallKnown(excl uint16, lowOnly bool, limit uint32) []int {
	var out []int
	for _, r := range dataRegs {
		if excl&(1<<r) == 0 && !(lowOnly && r >= 8) && g.known[r] && g.val[r] < limit {
			out = append(out, r)
		}
	}
	return out
}

// pickAddr chooses an aligned address for an access of size bytes (span
// bytes in total) inside the scratch buffer.
func (g *gen) pickAddr(span, align int) uint32 {
	n := (scratchSize-span)/align + 1
	return scratchBase + uint32(align*g.r.intn(n))
}

// ---- formatting helpers ----------------------------------------------------

func imm(v uint32) string {
	if v < 256 {
		return fmt.Sprintf("#%d", v)
	}
	return fmt.Sprintf("#0x%x", v)
}

func simm(v int) string {
	if v < 0 {
		return fmt.Sprintf("#-%d", -v)
	}
	return fmt.Sprintf("#%d", v)
}

var shiftNames = [4]string{"lsl", "lsr", "asr", "ror"}

// shiftText renders an immediate shift as in an operand (", lsl #3").
func shiftText(typ, amt int) string {
	switch {
	case typ == 0 && amt == 0:
		return ""
	case typ == 3 && amt == 0:
		return ", rrx"
	case (typ == 1 || typ == 2) && amt == 0:
		return fmt.Sprintf(", %s #32", shiftNames[typ])
	}
	return fmt.Sprintf(", %s #%d", shiftNames[typ], amt)
}

func regList(list uint16) string {
	var parts []string
	for r := 0; r < 16; r++ {
		if list&(1<<r) != 0 {
			parts = append(parts, rn(r))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// randList picks a non-empty register list from allowed with between min and max members.
func (g *gen) randList(allowed []int, min, max int, excl uint16) uint16 {
	var pool []int
	for _, r := range allowed {
		if excl&(1<<r) == 0 {
			pool = append(pool, r)
		}
	}
	if max > len(pool) {
		max = len(pool)
	}
	n := min + g.r.intn(max-min+1)
	if g.r.pct(50) && n > min+1 {
		n = min + g.r.intn(2) // favour short lists
	}
	var list uint16
	for popcount(list) < n {
		list |= 1 << pool[g.r.intn(len(pool))]
	}
	return list
}

func popcount(x uint16) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

func ror32(v uint32, n int) uint32 { n &= 31; return v>>n | v<<((32-n)&31) }

// shiftVal applies an immediate shift to a known value (no RRX).
func shiftVal(v uint32, typ, amt int) uint32 {
	switch typ {
	case 0:
		return v << amt
	case 1:
		if amt == 0 {
			return 0
		}
		return v >> amt
	case 2:
		if amt == 0 {
			amt = 32
		}
		if amt >= 32 {
			return uint32(int32(v) >> 31)
		}
		return uint32(int32(v) >> amt)
	default:
		return ror32(v, amt)
	}
}

// byteSkip computes the size in bytes of code[from:].
func (g *gen) bytesFrom(from int) int {
	n := 0
	for _, in := range g.code[from:] {
		n += in.size
	}
	return n
}

// psrValue is a random value for MSR APSR_nzcvqg: NZCVQ and GE random, bits
// 26:20 zero (reserved/execution-state bits an MSR must not try to set), low
// half random (not written by an APSR_nzcvqg mask).
func (r *rng) psrValue() uint32 {
	return r.u32() & 0xf80fffff
}

// form is one encoding group of the generator.
type form struct {
	name   string
	weight int
	fn     func(g *gen) bool // emits one instruction, or returns false if it cannot here
	plain  bool              // not control flow: allowed in IT blocks and skipped regions
}

func pickForm(r *rng, forms []form) form {
	total := 0
	for _, f := range forms {
		total += f.weight
	}
	n := r.intn(total)
	for _, f := range forms {
		if n < f.weight {
			return f
		}
		n -= f.weight
	}
	panic("BUG: pickForm")
}
