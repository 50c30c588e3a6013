// Command gen records the softfloat golden vectors. It generates operand
// tuples for each instruction (edge values crossed with every FPSCR mode,
// and shaped random values under each rounding mode), runs them through
// the harness program under qemu-arm, and writes ../<group>.txt.gz.
//
// Usage (see Makefile): gen -harness ./harness [-qemu qemu-arm] [-out ..]
//
// Output lines are "<instruction> <fpscr> <operands...> <result> <flags>"
// in hex, where flags are the FPSCR cumulative exception bits after the
// instruction, run from a state with none set. Operand order is the
// harness's a, b, c (n, m, d for the accumulating forms).
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// typ is the type of an operand or result, which fixes its width in hex.
type typ int

const (
	tF16  typ = iota // half-precision value
	tF32             // single-precision value (or any 32-bit register)
	tF64             // double-precision value (or any 64-bit register)
	tI32             // 32-bit integer or fixed-point operand
	tI64             // 64-bit integer or fixed-point operand
	tNZCV            // FPSCR.NZCV of a compare
)

func (t typ) digits() int {
	switch t {
	case tF16:
		return 4
	case tF64, tI64:
		return 16
	case tNZCV:
		return 1
	}
	return 8
}

// FPSCR control bits.
const (
	rn  = 0 << 22
	rp  = 1 << 22
	rm  = 2 << 22
	rz  = 3 << 22
	fz  = 1 << 24
	dn  = 1 << 25
	ahp = 1 << 26
)

var (
	modesFull   = product([]uint32{rn, rp, rm, rz}, []uint32{0, fz}, []uint32{0, dn})
	modesHalf   = product([]uint32{rn, rp, rm, rz}, []uint32{0, fz}, []uint32{0, dn}, []uint32{0, ahp})
	modesHalfIn = product([]uint32{rn, rz}, []uint32{0, fz}, []uint32{0, dn}, []uint32{0, ahp})
	modesCmp    = []uint32{rn, fz | rp, dn | rm, fz | dn | rz}
	// Advanced SIMD ignores the FPSCR controls (except AHP); two settings
	// show that.
	modesNeon = []uint32{rn, rm | fz}
)

func product(sets ...[]uint32) []uint32 {
	out := []uint32{0}
	for _, s := range sets {
		var next []uint32
		for _, o := range out {
			for _, v := range s {
				next = append(next, o|v)
			}
		}
		out = next
	}
	return out
}

// op is one instruction to record.
type op struct {
	name     string   // harness name
	cpu      string   // qemu -cpu model
	file     string   // golden file group
	in       []typ    // operands recorded (harness a, b, c)
	out      typ      // result
	modes    []uint32 // FPSCR values every special tuple runs under
	specials [][3]uint64
	random   int                    // number of random tuples
	gen      func(g *gen) [3]uint64 // random tuple
}

// fmtp describes a floating-point format for the value generators.
type fmtp struct {
	e, f uint // exponent and fraction bits
}

func (p fmtp) bias() uint64   { return 1<<(p.e-1) - 1 }
func (p fmtp) expMax() uint64 { return 1<<p.e - 1 }

var (
	p16 = fmtp{5, 10}
	p32 = fmtp{8, 23}
	p64 = fmtp{11, 52}
)

// Edge values. The small lists are crossed with each other for the
// two- and three-operand instructions; the big lists feed one-operand
// instructions and random picks.
var (
	small32 = []uint64{
		0, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x80800001,
		0x3f800000, 0xbf800000, 0x3fc00000, 0x7f7fffff, 0xff7fffff,
		0x7f800000, 0xff800000, 0x7fc00000, 0xffd00001, 0x7f800001, 0xffa00002,
	}
	big32 = append(append([]uint64{}, small32...),
		0x007fffff, 0x00800001, 0x3f7fffff, 0x3f800001, 0x40000000, 0x3f000000,
		0x7f000000, 0x00400000, 0x33800000, 0x34000000, 0x4f000000, 0xcf000000,
		0x4f800000, 0x5f000000, 0x7fffffff, 0x7fbfffff, 0xc0400000, 0x40400000,
		0x40490fdb, 0x3effffff, 0xbf000000, 0x4effffff, 0xcf000001, 0x477fe000,
		0x477ff000, 0x387fc000, 0x38800000, 0x33000000, 0xb3000001, 0x7e800000)
	small64 = []uint64{
		0, 1 << 63, 1, 0x800fffffffffffff, 0x0010000000000000, 0x8010000000000001,
		0x3ff0000000000000, 0xbff0000000000000, 0x3ff8000000000000,
		0x7fefffffffffffff, 0xffefffffffffffff, 0x7ff0000000000000, 0xfff0000000000000,
		0x7ff8000000000000, 0xfffa000000000001, 0x7ff0000000000001, 0xfff4000000000002,
	}
	big64 = append(append([]uint64{}, small64...),
		0x000fffffffffffff, 0x0010000000000001, 0x3fefffffffffffff, 0x3ff0000000000001,
		0x4000000000000000, 0x3fe0000000000000, 0x7fe0000000000000, 0x0008000000000000,
		0x3ca0000000000000, 0x3cb0000000000000, 0x41e0000000000000, 0xc1e0000000000000,
		0x41f0000000000000, 0x43e0000000000000, 0x7fffffffffffffff, 0x7ff7ffffffffffff,
		0xc008000000000000, 0x4008000000000000, 0x400921fb54442d18, 0x3fdfffffffffffff,
		0xbfe0000000000000, 0x41dfffffffffffff, 0xc1e0000000200000, 0x47efffffe0000000,
		0x47effffff0000000, 0x380fffffe0000000, 0x3810000000000000, 0x36a0000000000000,
		0xb6a0000000000001, 0x7fd0000000000000, 0x41efffffffe00000, 0x40efffe000000000)
	big16 = []uint64{
		0, 0x8000, 0x0001, 0x03ff, 0x8400, 0x0400, 0x3c00, 0xbc00, 0x3c01, 0x7bff,
		0xfbff, 0x7c00, 0xfc00, 0x7e00, 0xfe01, 0x7d55, 0x7c01, 0xfdff, 0x7fff, 0xffff,
	}
)

type gen struct{ r *rand.Rand }

func (g *gen) n(k int) int { return g.r.IntN(k) }
func (g *gen) bit() bool   { return g.r.IntN(2) == 0 }
func (g *gen) u64() uint64 { return g.r.Uint64() }
func (g *gen) span(lo, hi int) int {
	return lo + g.r.IntN(hi-lo+1)
}
func (g *gen) pick(l []uint64) uint64 { return l[g.n(len(l))] }

// mant returns an f-bit fraction: uniform, or with long runs of ones and
// zeros, or with only a few bits set, which is where rounding is hard.
func (g *gen) mant(f uint) uint64 {
	mask := uint64(1)<<f - 1
	switch g.n(8) {
	case 0, 1, 2:
		return g.u64() & mask
	case 3, 4:
		var m uint64
		bit := g.bit()
		for i := uint(0); i < f; {
			run := uint(1 + g.n(int(f)))
			for ; run > 0 && i < f; run, i = run-1, i+1 {
				m <<= 1
				if bit {
					m |= 1
				}
			}
			bit = !bit
		}
		return m
	case 5:
		var m uint64
		for k := g.n(3) + 1; k > 0; k-- {
			m |= 1 << uint(g.n(int(f)))
		}
		return m
	case 6: // all ones, perhaps with one bit clear
		m := mask
		if g.bit() {
			m &^= 1 << uint(g.n(int(f)))
		}
		return m
	}
	return uint64(g.n(4))
}

// val returns a value of format p with an exponent from a shaped
// distribution: near one, anywhere, tiny or denormal, huge, or an edge
// value.
func (g *gen) val(p fmtp, edges []uint64) uint64 {
	bias := int(p.bias())
	var exp int
	switch g.n(16) {
	case 0, 1, 2, 3:
		exp = bias + g.span(-int(p.f)-4, int(p.f)+4)
	case 4, 5, 6:
		exp = g.span(1, int(p.expMax())-1)
	case 7, 8:
		exp = g.n(int(p.f) + 3)
	case 9:
		exp = 0
	case 10, 11:
		exp = int(p.expMax()) - 1 - g.n(int(p.f)+3)
	case 12, 13:
		return g.pick(edges)
	default:
		exp = bias + g.span(-2, 2)
	}
	return g.build(p, g.bit(), exp, g.mant(p.f))
}

func (g *gen) build(p fmtp, sign bool, exp int, frac uint64) uint64 {
	if exp < 0 {
		exp = 0
	}
	if exp > int(p.expMax()) {
		exp = int(p.expMax())
	}
	v := uint64(exp)<<p.f | frac&(1<<p.f-1)
	if sign {
		v |= 1 << (p.e + p.f)
	}
	return v
}

func expOf(p fmtp, v uint64) int { return int(v >> p.f & p.expMax()) }

// near returns a value related to a: of a nearby exponent, a far one at
// the edge of the rounding range, a few units from a or -a, or unrelated.
func (g *gen) near(p fmtp, edges []uint64, a uint64) uint64 {
	ea := expOf(p, a)
	switch g.n(10) {
	case 0, 1, 2:
		return g.build(p, g.bit(), ea+g.span(-3, 3), g.mant(p.f))
	case 3, 4:
		d := g.span(int(p.f)-2, int(p.f)+3)
		if g.bit() {
			d = -d
		}
		return g.build(p, g.bit(), ea+d, g.mant(p.f))
	case 5, 6:
		v := a + uint64(g.span(-3, 3))
		if g.bit() {
			v ^= 1 << (p.e + p.f)
		}
		return v & (1<<(p.e+p.f+1) - 1)
	}
	return g.val(p, edges)
}

// scaled returns a value for multiplication or division of a: its
// exponent puts the result near the underflow or overflow threshold, or
// anywhere.
func (g *gen) scaled(p fmtp, edges []uint64, a uint64, divide bool) uint64 {
	ea, bias, top := expOf(p, a), int(p.bias()), int(p.expMax())
	var target int // biased exponent of the result
	switch g.n(6) {
	case 0:
		target = g.span(-int(p.f)-2, 3)
	case 1:
		target = top + g.span(-2, 1)
	case 2, 3:
		if b, ok := g.boundary(p, a, divide); ok {
			return b
		}
		return g.val(p, edges)
	default:
		return g.val(p, edges)
	}
	eb := target - ea + bias // a*b: ea + eb - bias
	if divide {
		eb = ea - target + bias // a/b: ea - eb + bias
	}
	return g.build(p, g.bit(), eb, g.mant(p.f))
}

// boundary returns b such that a*b (or a/b) is within a few ulps of the
// smallest normal number or of the overflow threshold, where the rounded
// result decides tininess (which ARM detects before rounding) or overflow.
func (g *gen) boundary(p fmtp, a uint64, divide bool) (uint64, bool) {
	ea := expOf(p, a)
	if ea == 0 || ea == int(p.expMax()) {
		return 0, false
	}
	bias := int(p.bias())
	xm := toFloat(p, a&(1<<p.f-1)|uint64(bias)<<p.f) // |a| scaled to [1, 2)
	tm, te := 1-math.Ldexp(1, -53), 1-bias           // just below the smallest normal
	if g.bit() {
		tm, te = 2-math.Ldexp(1, -52), bias // just below 2^(emax+1)
	}
	var b float64
	if divide {
		b = math.Ldexp(xm/tm, ea-bias-te)
	} else {
		b = math.Ldexp(tm/xm, te-(ea-bias))
	}
	if g.bit() {
		b = -b
	}
	v := fromFloat(p, b)
	if e := expOf(p, v); e == 0 || e == int(p.expMax()) {
		return 0, false
	}
	return v + uint64(g.span(-2, 2)), true
}

func toFloat(p fmtp, v uint64) float64 {
	if p == p32 {
		return float64(math.Float32frombits(uint32(v)))
	}
	return math.Float64frombits(v)
}

func fromFloat(p fmtp, x float64) uint64 {
	if p == p32 {
		return uint64(math.Float32bits(float32(x)))
	}
	return math.Float64bits(x)
}

// square returns an exact square (of a value with at most half the
// significand bits), sometimes moved by an ulp.
func (g *gen) square(p fmtp) uint64 {
	h := (p.f + 1) / 2
	y := g.build(p, false, int(p.bias())+g.span(-40, 40), g.mant(h)<<(p.f-h))
	x := toFloat(p, y)
	v := fromFloat(p, x*x)
	return v + uint64(g.span(-1, 1))
}

// fixedVal returns a value to convert to a size-bit fixed-point number
// with fb fraction bits: around the integer range with interesting
// fractions.
func (g *gen) fixedVal(p fmtp, edges []uint64, size, fb int) uint64 {
	if g.n(4) == 0 {
		return g.val(p, edges)
	}
	var ip float64
	switch g.n(4) {
	case 0:
		ip = float64(g.n(4))
	case 1:
		ip = math.Ldexp(1, size-1+g.span(-1, 1)) + float64(g.span(-2, 2))
	default:
		ip = float64(g.u64() >> uint(64-g.span(1, size+1)))
	}
	fr := []float64{0, 0.5, 0.25, 0.75, 0.5 + 1.0/1024, 0.5 - 1.0/1024, g.r.Float64()}[g.n(7)]
	x := math.Ldexp(ip+fr, -fb)
	if g.bit() {
		x = -x
	}
	return fromFloat(p, x)
}

// intVal returns an integer operand with a random number of significant
// bits, and random garbage above bit `size` for the narrow forms.
func (g *gen) intVal(size int) uint64 {
	var v uint64
	switch g.n(4) {
	case 0:
		v = g.u64()
	case 1:
		v = 1<<uint(g.n(size)) + uint64(g.span(-2, 2))
	default:
		v = g.u64() >> uint(64-g.span(1, size))
		if g.bit() {
			v = -v
		}
	}
	if size < 64 {
		v = v&(1<<uint(size)-1) | g.u64()<<uint(size)
	}
	return v
}

// Tuple builders.

func one(p fmtp, edges []uint64) func(g *gen) [3]uint64 {
	return func(g *gen) [3]uint64 { return [3]uint64{g.val(p, edges)} }
}

func cross2(l []uint64) [][3]uint64 {
	var out [][3]uint64
	for _, a := range l {
		for _, b := range l {
			out = append(out, [3]uint64{a, b})
		}
	}
	return out
}

func singles(l []uint64) [][3]uint64 {
	var out [][3]uint64
	for _, a := range l {
		out = append(out, [3]uint64{a})
	}
	return out
}

func triples(g *gen, l []uint64, n int) [][3]uint64 {
	out := make([][3]uint64, n)
	for i := range out {
		out[i] = [3]uint64{g.pick(l), g.pick(l), g.pick(l)}
	}
	return out
}

func addPair(p fmtp, edges []uint64) func(g *gen) [3]uint64 {
	return func(g *gen) [3]uint64 {
		a := g.val(p, edges)
		return [3]uint64{a, g.near(p, edges, a)}
	}
}

func mulPair(p fmtp, edges []uint64, divide bool) func(g *gen) [3]uint64 {
	return func(g *gen) [3]uint64 {
		a := g.val(p, edges)
		return [3]uint64{a, g.scaled(p, edges, a, divide)}
	}
}

// fmaTriple returns n, m, d for d + n*m: d is often close to -n*m, so that
// the fused result is the small rounding error of the product.
func fmaTriple(p fmtp, edges []uint64) func(g *gen) [3]uint64 {
	return func(g *gen) [3]uint64 {
		a := g.val(p, edges)
		b := g.scaled(p, edges, a, false)
		var c uint64
		switch g.n(5) {
		case 0, 1:
			c = fromFloat(p, -toFloat(p, a)*toFloat(p, b)) + uint64(g.span(-2, 2))
			if g.n(4) == 0 {
				c ^= 1 << (p.e + p.f)
			}
		case 2:
			pe := expOf(p, a) + expOf(p, b) - int(p.bias())
			c = g.build(p, g.bit(), pe+g.span(-int(p.f)-3, int(p.f)+3), g.mant(p.f))
		default:
			c = g.val(p, edges)
		}
		return [3]uint64{a, b, c}
	}
}

func cmpPair(p fmtp, edges []uint64) func(g *gen) [3]uint64 {
	return func(g *gen) [3]uint64 {
		a := g.val(p, edges)
		var b uint64
		switch g.n(6) {
		case 0:
			b = a
		case 1:
			b = a ^ 1<<(p.e+p.f)
		case 2, 3:
			b = a + uint64(g.span(-1, 1))
		default:
			b = g.near(p, edges, a)
		}
		return [3]uint64{a, b}
	}
}

func main() {
	harness := flag.String("harness", "./harness", "harness binary (ARM, static)")
	qemu := flag.String("qemu", "qemu-arm", "qemu user-mode emulator")
	out := flag.String("out", "..", "directory for the golden files")
	flag.Parse()

	g := &gen{rand.New(rand.NewPCG(0x6d696d6963, 0x736f6674666c6f61))}
	ops := buildOps(g)
	byCPU := map[string][]*op{}
	for _, o := range ops {
		byCPU[o.cpu] = append(byCPU[o.cpu], o)
	}
	files := map[string][]string{}
	var cpus []string
	for c := range byCPU {
		cpus = append(cpus, c)
	}
	sort.Strings(cpus)
	counts := map[string]int{}
	for _, c := range cpus {
		lines, err := run(g, *qemu, c, *harness, byCPU[c])
		if err != nil {
			log.Fatal(err)
		}
		for _, l := range lines {
			files[l.file] = append(files[l.file], l.text)
			counts[l.op]++
		}
	}
	for name, lines := range files {
		if err := write(filepath.Join(*out, name+".txt.gz"), name, lines); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d vectors\n", name, len(lines))
	}
	for _, o := range ops {
		fmt.Printf("  %-22s %6d\n", o.name, counts[o.name])
	}
}

type line struct {
	file, op, text string
}

type vec struct {
	o     *op
	fpscr uint32
	t     [3]uint64
}

// run sends every vector of ops through the harness on one CPU model.
func run(g *gen, qemu, cpu, harness string, ops []*op) ([]line, error) {
	var vecs []vec
	for _, o := range ops {
		for _, t := range o.specials {
			for _, m := range o.modes {
				vecs = append(vecs, vec{o, m, t})
			}
		}
		// Each random tuple runs once per rounding mode present in
		// o.modes, with the other controls picked at random.
		groups := map[uint32][]uint32{}
		var keys []uint32
		for _, m := range o.modes {
			k := m & (3 << 22)
			if groups[k] == nil {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], m)
		}
		for i := 0; i < o.random; i++ {
			t := o.gen(g)
			for _, k := range keys {
				vecs = append(vecs, vec{o, groups[k][g.n(len(groups[k]))], t})
			}
		}
	}
	cmd := exec.Command(qemu, "-cpu", cpu, harness)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		w := bufio.NewWriter(stdin)
		for _, v := range vecs {
			fmt.Fprintf(w, "%s %x %x %x %x\n", v.o.name, v.fpscr, v.t[0], v.t[1], v.t[2])
		}
		w.Flush()
		stdin.Close()
	}()
	var lines []line
	sc := bufio.NewScanner(stdout)
	for _, v := range vecs {
		if !sc.Scan() {
			return nil, fmt.Errorf("%s on %s: harness output ended early: %v", harness, cpu, sc.Err())
		}
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			return nil, fmt.Errorf("bad harness output %q", sc.Text())
		}
		res, err1 := strconv.ParseUint(f[0], 16, 64)
		st, err2 := strconv.ParseUint(f[1], 16, 32)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("bad harness output %q", sc.Text())
		}
		if v.o.out == tNZCV {
			res = st >> 28
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s %08x", v.o.name, v.fpscr)
		for i, t := range v.o.in {
			fmt.Fprintf(&b, " %0*x", t.digits(), v.t[i]&mask(t))
		}
		fmt.Fprintf(&b, " %0*x %02x", v.o.out.digits(), res&mask(v.o.out), st&0x9f)
		lines = append(lines, line{v.o.file, v.o.name, b.String()})
	}
	if _, err := io.Copy(io.Discard, stdout); err != nil {
		return nil, err
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("%s on %s: %w", harness, cpu, err)
	}
	return lines, nil
}

func mask(t typ) uint64 {
	if d := t.digits(); d < 16 {
		return 1<<(4*uint(d)) - 1
	}
	return ^uint64(0)
}

func write(path, name string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	// No timestamp or name in the header, so that the file is reproducible.
	w := bufio.NewWriter(zw)
	fmt.Fprintf(w, "# softfloat golden vectors (%s), recorded from QEMU by testdata/gen; DO NOT EDIT.\n", name)
	fmt.Fprintf(w, "# <instruction> <fpscr> <operands...> <result> <cumulative flags>, hex\n")
	for _, l := range lines {
		w.WriteString(l)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}
