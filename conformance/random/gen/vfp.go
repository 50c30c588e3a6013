package main

import (
	"fmt"
	"math"
)

// FPv4-SP generation for the Cortex-M4F (ARMv7-M ARM A6.5 and A7.7: the
// single-precision VFP data-processing instructions, VMOV/VMRS/VMSR
// register transfers and VLDR/VSTR/VLDM/VSTM). In T32 a VFP instruction is
// the A32 encoding with condition field 1110; conditional execution comes
// from IT blocks only. The Cortex-M4F has S0-S31 (D0-D15 for the 64-bit
// transfers) and no double-precision arithmetic.
//
// Operands are any S registers, so NaNs, infinities and denormals flow from
// the initial state (vfpValue) through every operation; FPSCR starts each
// batch with a random rounding mode and FZ, DN, AHP bits and is printed with
// S0-S31 at the end.

// Register fields: Sd = Vd:D, Sn = Vn:N, Sm = Vm:M.
func vfpD(d int) uint32 { return uint32(d>>1)<<12 | uint32(d&1)<<22 }
func vfpN(n int) uint32 { return uint32(n>>1)<<16 | uint32(n&1)<<7 }
func vfpM(m int) uint32 { return uint32(m>>1) | uint32(m&1)<<5 }

func sreg(r int) string  { return fmt.Sprintf("s%d", r) }
func (g *gen) sreg() int { return g.r.intn(32) }

// fpscrBits are the FPSCR bits of FPv4-SP: N Z C V, AHP, DN, FZ, RMode and
// the cumulative exception flags IDC, IXC, UFC, OFC, DZC, IOC.
const fpscrBits = 0xf7c0009f

// vfpEdge are single-precision values at the edges: zeros, infinities, quiet
// and signalling NaNs, denormals, extremes and integer-conversion limits.
var vfpEdge = []uint32{
	0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
	0x7fc00000, 0xffc00000, 0x7fa00000, 0xff800001, 0x7fc12345, 0x7f812345,
	0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x80800000,
	0x7f7fffff, 0xff7fffff, 0x4f000000, 0xcf000000, 0x4f800000, 0x4effffff,
	0x3f000000, 0xbf000000, 0x3fc00000, 0x40200000, 0xbfc00000, 0xc0200000,
	0x46fffe00, 0x47000000, 0x477fff00, 0xc7000000, 0x477fff80, 0x38800000,
	0x33800000, 0x0c000000, 0x72800000,
}

// vfpValue is an initial S register value biased to edge cases.
func (r *rng) vfpValue() uint32 {
	switch r.intn(10) {
	case 0, 1, 2, 3:
		return vfpEdge[r.intn(len(vfpEdge))]
	case 4, 5: // small integers, exactly representable
		return math.Float32bits(float32(r.intn(201) - 100))
	case 6: // small fractions
		return math.Float32bits(float32(r.intn(2001)-1000) / 64)
	case 7: // random sign and mantissa, exponent near 1.0 or at the extremes
		exp := []uint32{0, 1, 0x7e, 0x7f, 0x80, 0x96, 0x9e, 0xfe, 0xff}[r.intn(9)]
		return r.u32()&0x807fffff | exp<<23
	default:
		return r.u32()
	}
}

// fpscrValue is an initial FPSCR: random NZCV, rounding mode (round to
// nearest half the time), FZ, DN and AHP a quarter of the time each, and the
// cumulative exception flags clear so the batch shows which ones it raised.
func (r *rng) fpscrValue() uint32 {
	v := r.u32() & 0xf0000000
	if r.pct(50) {
		v |= uint32(r.intn(4)) << 22
	}
	for _, b := range []uint32{1 << 24, 1 << 25, 1 << 26} {
		if r.pct(25) {
			v |= b
		}
	}
	return v
}

// vfp3Ops are the three-register data-processing instructions.
var vfp3Ops = []struct {
	enc  uint32
	name string
}{
	{0xee000a00, "vmla"}, {0xee000a40, "vmls"}, {0xee100a00, "vnmls"}, {0xee100a40, "vnmla"},
	{0xee200a00, "vmul"}, {0xee200a40, "vnmul"}, {0xee300a00, "vadd"}, {0xee300a40, "vsub"},
	{0xee800a00, "vdiv"}, {0xee900a00, "vfnms"}, {0xee900a40, "vfnma"}, {0xeea00a00, "vfma"},
	{0xeea00a40, "vfms"},
}

// vfpDP3: the three-register data-processing instructions.
func vfpDP3(g *gen) bool {
	o := vfp3Ops[g.r.intn(len(vfp3Ops))]
	d, n, m := g.sreg(), g.sreg(), g.sreg()
	g.emit("vfp arith", o.enc|vfpD(d)|vfpN(n)|vfpM(m), 4,
		fmt.Sprintf("%s.f32 %s, %s, %s", g.mn(o.name, false), sreg(d), sreg(n), sreg(m)))
	return true
}

// vfpExpandImm is VFPExpandImm(imm8) for single precision.
func vfpExpandImm(imm8 uint32) uint32 {
	sign := imm8 >> 7 & 1
	b6 := imm8 >> 6 & 1
	exp := (b6^1)<<7 | b6*0x7c | imm8>>4&3
	return sign<<31 | exp<<23 | (imm8&15)<<19
}

// vfpDP2: the two-register and immediate data-processing instructions,
// comparisons and conversions.
func vfpDP2(g *gen) bool {
	d, m := g.sreg(), g.sreg()
	f32 := func(group string, enc uint32, name string) {
		g.emit(group, enc|vfpD(d)|vfpM(m), 4, fmt.Sprintf("%s %s, %s", name, sreg(d), sreg(m)))
	}
	switch g.r.intn(11) {
	case 0:
		imm8 := uint32(g.r.intn(256))
		v := math.Float32frombits(vfpExpandImm(imm8))
		g.emit("vfp move/abs/neg", 0xeeb00a00|imm8>>4<<16|imm8&15|vfpD(d), 4,
			fmt.Sprintf("%s.f32 %s, #%v", g.mn("vmov", false), sreg(d), v))
	case 1:
		op := g.r.intn(3)
		enc := []uint32{0xeeb00a40, 0xeeb00ac0, 0xeeb10a40}[op]
		f32("vfp move/abs/neg", enc, g.mn([]string{"vmov", "vabs", "vneg"}[op], false)+".f32")
	case 2:
		f32("vfp arith", 0xeeb10ac0, g.mn("vsqrt", false)+".f32")
	case 3: // VCVTB/VCVTT between half and single precision
		toHalf, top := g.r.bit(), g.r.bit()
		name := g.mn([]string{"vcvtb", "vcvtt"}[top], false) + []string{".f32.f16", ".f16.f32"}[toHalf]
		f32("vfp convert", 0xeeb20a40|toHalf<<16|top<<7, name)
	case 4, 5: // VCMP, VCMPE with a register or with zero
		e := g.r.bit()
		name := g.mn([]string{"vcmp", "vcmpe"}[e], false) + ".f32"
		if g.r.pct(30) {
			g.emit("vfp compare", 0xeeb50a40|e<<7|vfpD(d), 4, fmt.Sprintf("%s %s, #0.0", name, sreg(d)))
		} else {
			f32("vfp compare", 0xeeb40a40|e<<7, name)
		}
	case 6: // VCVT.F32.S32/U32
		signed := g.r.bit()
		f32("vfp convert", 0xeeb80a40|signed<<7, g.mn("vcvt", false)+".f32."+[]string{"u32", "s32"}[signed])
	case 7, 8: // VCVT (round towards zero) and VCVTR (FPSCR rounding) to S32/U32
		signed, rz := g.r.bit(), g.r.bit()
		name := g.mn([]string{"vcvtr", "vcvt"}[rz], false) + "." + []string{"u32", "s32"}[signed] + ".f32"
		f32("vfp convert", 0xeebc0a40|signed<<16|rz<<7, name)
	default: // cases 9, 10: VCVT between single precision and 16/32-bit fixed point, in place
		toFixed, unsigned, sx := g.r.bit(), g.r.bit(), g.r.bit()
		size := 16 << sx
		fbits := g.r.intn(size + 1)
		if sx == 1 && fbits == 0 {
			fbits = 1 + g.r.intn(32)
		}
		imm5 := uint32(size - fbits)
		fx := []string{"s", "u"}[unsigned] + fmt.Sprint(size)
		name := g.mn("vcvt", false) + ".f32." + fx
		if toFixed == 1 {
			name = g.mn("vcvt", false) + "." + fx + ".f32"
		}
		g.emit("vfp convert", 0xeeba0a40|toFixed<<18|unsigned<<16|uint32(sx)<<7|imm5&1<<5|imm5>>1|vfpD(d), 4,
			fmt.Sprintf("%s %s, %s, #%d", name, sreg(d), sreg(d), fbits))
	}
	return true
}

// fpscrSource finds or sets up a register holding a value VMSR may write.
func (g *gen) fpscrSource() (int, bool) {
	var cands []int
	for _, r := range dataRegs {
		if g.known[r] && g.val[r]&^fpscrBits == 0 {
			cands = append(cands, r)
		}
	}
	if len(cands) > 0 && (g.noSetup || g.r.pct(40)) {
		return cands[g.r.intn(len(cands))], true
	}
	if g.noSetup {
		return 0, false
	}
	n := g.reg()
	v := g.r.fpscrValue()
	if g.r.pct(30) {
		v |= g.r.u32() & 0x9f // cumulative flags already set
	}
	g.setup(n, v)
	return n, true
}

// vfpXfer: VMOV between core and FP registers, VMRS, VMSR.
func vfpXfer(g *gen) bool {
	switch g.r.intn(8) {
	case 0, 1: // VMOV Sn, Rt / VMOV Rt, Sn
		op, t, n := g.r.bit(), g.reg(), g.sreg()
		text := fmt.Sprintf("%s %s, %s", g.mn("vmov", false), sreg(n), rn(t))
		if op == 1 {
			text = fmt.Sprintf("%s %s, %s", g.mn("vmov", false), rn(t), sreg(n))
			g.wr(t)
		}
		g.emit("vfp transfer", 0xee000a10|op<<20|vfpN(n)|uint32(t)<<12, 4, text)
	case 2, 3: // VMOV Sm, Sm1, Rt, Rt2 / VMOV Rt, Rt2, Sm, Sm1
		op, t, m := g.r.bit(), g.reg(), g.r.intn(31)
		t2 := g.reg()
		if op == 1 {
			t2 = g.regNot(mask(t))
		}
		text := fmt.Sprintf("%s %s, %s, %s, %s", g.mn("vmov", false), sreg(m), sreg(m+1), rn(t), rn(t2))
		if op == 1 {
			text = fmt.Sprintf("%s %s, %s, %s, %s", g.mn("vmov", false), rn(t), rn(t2), sreg(m), sreg(m+1))
			g.wr(t)
			g.wr(t2)
		}
		g.emit("vfp transfer", 0xec400a10|op<<20|uint32(t2)<<16|uint32(t)<<12|vfpM(m), 4, text)
	case 4: // VMOV Dm, Rt, Rt2 / VMOV Rt, Rt2, Dm
		op, t, m := g.r.bit(), g.reg(), g.r.intn(16)
		t2 := g.reg()
		if op == 1 {
			t2 = g.regNot(mask(t))
		}
		text := fmt.Sprintf("%s d%d, %s, %s", g.mn("vmov", false), m, rn(t), rn(t2))
		if op == 1 {
			text = fmt.Sprintf("%s %s, %s, d%d", g.mn("vmov", false), rn(t), rn(t2), m)
			g.wr(t)
			g.wr(t2)
		}
		g.emit("vfp transfer", 0xec400b10|op<<20|uint32(t2)<<16|uint32(t)<<12|uint32(m), 4, text)
	case 5: // VMRS APSR_nzcv, FPSCR
		g.emit("vfp vmrs/vmsr", 0xeef1fa10, 4, g.mn("vmrs", false)+" APSR_nzcv, fpscr")
	case 6: // VMRS Rt, FPSCR
		t := g.reg()
		g.emit("vfp vmrs/vmsr", 0xeef10a10|uint32(t)<<12, 4, fmt.Sprintf("%s %s, fpscr", g.mn("vmrs", false), rn(t)))
		g.wr(t)
	default: // VMSR FPSCR, Rt
		t, ok := g.fpscrSource()
		if !ok {
			return false
		}
		g.emit("vfp vmrs/vmsr", 0xeee10a10|uint32(t)<<12, 4, fmt.Sprintf("%s fpscr, %s", g.mn("vmsr", false), rn(t)))
	}
	return true
}

// vfpLdSt: VLDR/VSTR (S and D registers, immediate offset, VLDR literal)
// and VLDM/VSTM (IA with or without writeback, DB with writeback).
func vfpLdSt(g *gen) bool {
	load := g.r.bit()
	name := []string{"vstr", "vldr"}[load]
	switch g.r.intn(5) {
	case 0, 1, 2:
		dbl := g.r.pct(25)
		span := 4
		reg, enc := 0, uint32(0xed000a00)|load<<20
		rtext := ""
		if dbl {
			span, enc = 8, enc|0x100
			reg = g.r.intn(16)
			enc |= uint32(reg) << 12
			rtext = fmt.Sprintf("d%d", reg)
		} else {
			reg = g.sreg()
			enc |= vfpD(reg)
			rtext = sreg(reg)
		}
		if load == 1 && g.r.pct(20) { // literal
			mag := 4 * g.r.intn(literalReach/4+1)
			u := g.r.bit()
			g.emit("vfp literal load", enc|u<<23|rPC<<16|uint32(mag/4), 4,
				fmt.Sprintf("%s %s, %s", g.mn(name, false), rtext, addrText(rPC, u, mag, modeOffset)))
			return true
		}
		var off int
		n, ok := g.memBase(0, false, func(n int, v uint32) bool {
			offs := offsets(v, span, 4, false, -1020, 1020, 4)
			if len(offs) == 0 {
				return false
			}
			off = g.pickOff(offs)
			return true
		})
		if !ok {
			return false
		}
		u, mag := absU(off)
		g.emit("vfp vldr/vstr", enc|u<<23|uint32(n)<<16|uint32(mag/4), 4,
			fmt.Sprintf("%s %s, %s", g.mn(name, false), rtext, addrText(n, u, mag, modeOffset)))
	default:
		d := g.sreg()
		count := 1 + g.r.intn(min(32-d, 8))
		mode := g.r.intn(3) // IA, IA!, DB!
		var wb uint32
		n, ok := g.memBase(0, false, func(n int, v uint32) bool {
			span := uint32(4 * count)
			if mode == 2 {
				wb = v - span
				return v%4 == 0 && inScratch(v-span, int(span))
			}
			wb = v + span
			return v%4 == 0 && inScratch(v, int(span))
		})
		if !ok {
			return false
		}
		p, u, w := uint32(0), uint32(1), uint32(0)
		suffix, bang := "ia", ""
		switch mode {
		case 1:
			w, bang = 1, "!"
		case 2:
			p, u, w, suffix, bang = 1, 0, 1, "db", "!"
		}
		list := sreg(d)
		if count > 1 {
			list += "-" + sreg(d+count-1)
		}
		lname := []string{"vstm", "vldm"}[load] + suffix
		g.emit("vfp vldm/vstm", 0xec000a00|p<<24|u<<23|w<<21|load<<20|uint32(n)<<16|vfpD(d)|uint32(count), 4,
			fmt.Sprintf("%s %s%s, {%s}", g.mn(lname, false), rn(n), bang, list))
		if w == 1 {
			g.wrKnown(n, wb)
		}
	}
	return true
}

// vfpForms are added to the T32 forms on a Cortex-M4F.
var vfpForms = []form{
	{"vfp dp3", 8, vfpDP3, true},
	{"vfp dp2", 7, vfpDP2, true},
	{"vfp xfer", 5, vfpXfer, true},
	{"vfp ldst", 4, vfpLdSt, true},
}
