package main

import "fmt"

// T32 generation (Thumb-2: 16-bit and 32-bit encodings, ARM ARM chapter A6
// and the per-instruction pages of A8). 32-bit encodings are kept as
// hw1<<16 | hw2, the order `.inst.w` expects.
//
// Rules that differ from A32 and that the forms below honour:
//   - SP and PC are UNPREDICTABLE as operands of almost every 32-bit data
//     instruction, so operands come from dataRegs (SP only in ADD/SUB SP forms).
//   - Inside an IT block the 16-bit flag-setting forms do not set flags, and
//     16-bit MOVS Rd, Rm (LSL #0), CBZ/CBNZ, IT and B<c> are not allowed.
//   - SSAT with ASR needs a non-zero shift (sh=1, imm=0 is SSAT16).
//
// The M profile (g.m) uses the same forms, restricted to what ARMv7-M has
// (ARMv7-M ARM, A5.3 and A7.7): without the DSP extension (g.dsp false, the
// Cortex-M3) there is no PKH, SSAT16/USAT16, extend-and-add or SXTB16/UXTB16,
// parallel add/subtract, QADD/QSUB/QDADD/QDSUB, SEL, halfword, dual or
// most-significant-word multiplies, USAD8/USADA8, UMAAL, SMLALxy/SMLALD/SMLSLD
// or MSR APSR_g. ARMv7E-M (the Cortex-M4) has all the T32 encodings generated
// here; its FPv4-SP forms are in vfp.go.

func t32Imm12(i uint32) uint32 { return i>>11<<26 | i>>8&7<<12 | i&0xff }
func t32Imm16(v uint32) uint32 { return v>>12<<16 | v>>11&1<<26 | v>>8&7<<12 | v&0xff }

// s16 reports whether a 16-bit data instruction sets flags here.
func (g *gen) s16() bool { return !g.inIT }

func t32Setup(g *gen, r int, v uint32) {
	d := v - harnessBase
	switch {
	case r < 8 && d%4 == 0 && d <= 1020 && g.r.pct(50):
		g.emit("setup", 0xa800|uint32(r)<<8|d>>2, 2, fmt.Sprintf("add %s, sp, #%d", rn(r), d))
	case d <= 4095 && g.r.pct(60):
		g.emit("setup", 0xf20d0000|t32Imm12(d)|uint32(r)<<8, 4, fmt.Sprintf("addw %s, sp, #%d", rn(r), d))
	case r < 8 && v < 256 && g.r.pct(30):
		g.emit("setup", 0x2000|uint32(r)<<8|v, 2, fmt.Sprintf("movs %s, #%d", rn(r), v))
	default:
		lo, hi := v&0xffff, v>>16
		g.emit("setup", 0xf2400000|t32Imm16(lo)|uint32(r)<<8, 4, fmt.Sprintf("movw %s, #%d", rn(r), lo))
		if hi != 0 {
			g.emit("setup", 0xf2c00000|t32Imm16(hi)|uint32(r)<<8, 4, fmt.Sprintf("movt %s, #%d", rn(r), hi))
		}
	}
	g.wrKnown(r, v)
}

// t32ModImm returns the i:imm3:imm8 fields of a ThumbExpandImm constant and its value.
func (g *gen) t32ModImm() (enc, val uint32) {
	var i12 uint32
	if g.r.pct(50) {
		pat := uint32(g.r.intn(4))
		imm8 := uint32(g.r.intn(256))
		if g.r.pct(30) {
			imm8 = []uint32{0, 1, 0x7f, 0x80, 0xff}[g.r.intn(5)]
		}
		if pat != 0 && imm8 == 0 {
			imm8 = 0xff // imm8 == 0 with a replicated pattern is UNPREDICTABLE
		}
		i12 = pat<<8 | imm8
		switch pat {
		case 0:
			val = imm8
		case 1:
			val = imm8<<16 | imm8
		case 2:
			val = imm8<<24 | imm8<<8
		default:
			val = imm8 * 0x01010101
		}
	} else {
		rot := uint32(8 + g.r.intn(24))
		low7 := uint32(g.r.intn(128))
		i12 = rot<<7 | low7
		val = ror32(0x80|low7, int(rot))
	}
	return t32Imm12(i12), val
}

var t32DPNames = map[uint32]string{0: "and", 1: "bic", 2: "orr", 3: "orn", 4: "eor", 8: "add", 10: "adc", 11: "sbc", 13: "sub", 14: "rsb"}
var t32CmpNames = map[uint32]string{0: "tst", 4: "teq", 8: "cmn", 13: "cmp"}

func t32DPImm(g *gen) bool {
	op := []uint32{0, 1, 2, 3, 4, 8, 10, 11, 13, 14}[g.r.intn(10)]
	s := g.r.bit()
	rd, n := g.reg(), g.reg()
	enc, v := g.t32ModImm()
	var text string
	cmpName, isCmp := t32CmpNames[op]
	switch {
	case isCmp && g.r.pct(25):
		rd, s = 15, 1
		text = fmt.Sprintf("%s %s, %s", g.mn(cmpName, false), rn(n), imm(v))
	case (op == 2 || op == 3) && g.r.pct(35):
		n = 15
		text = fmt.Sprintf("%s %s, %s", g.mn([]string{"mov", "mvn"}[op-2], s == 1), rn(rd), imm(v))
	default:
		if (op == 8 || op == 13) && g.r.pct(15) {
			n = rSP
		}
		text = fmt.Sprintf("%s %s, %s, %s", g.mn(t32DPNames[op], s == 1), rn(rd), rn(n), imm(v))
	}
	g.emit("t32 dp modified imm", 0xf0000000|enc|op<<21|s<<20|uint32(n)<<16|uint32(rd)<<8, 4, text)
	switch {
	case rd == 15:
	case n == rSP && op == 8:
		g.wrKnown(rd, harnessBase+v)
	case n == rSP:
		g.wrKnown(rd, harnessBase-v)
	default:
		g.wr(rd)
	}
	return true
}

func t32DPReg(g *gen) bool {
	ops := []uint32{0, 1, 2, 3, 4, 6, 8, 10, 11, 13, 14}
	if !g.dsp {
		ops = []uint32{0, 1, 2, 3, 4, 8, 10, 11, 13, 14} // no PKHBT/PKHTB
	}
	op := ops[g.r.intn(len(ops))]
	s := g.r.bit()
	rd, n, m := g.reg(), g.reg(), g.reg()
	typ, amt := g.r.intn(4), g.shiftAmt()
	var text string
	cmpName, isCmp := t32CmpNames[op]
	switch {
	case op == 6: // PKHBT/PKHTB
		s = 0
		tb := g.r.intn(2)
		typ = 2 * tb
		if tb == 0 {
			sh := ""
			if amt != 0 {
				sh = fmt.Sprintf(", lsl #%d", amt)
			}
			text = fmt.Sprintf("%s %s, %s, %s%s", g.mn("pkhbt", false), rn(rd), rn(n), rn(m), sh)
		} else {
			text = fmt.Sprintf("%s %s, %s, %s%s", g.mn("pkhtb", false), rn(rd), rn(n), rn(m), shiftText(2, amt))
		}
	case isCmp && g.r.pct(25):
		rd, s = 15, 1
		text = fmt.Sprintf("%s %s, %s%s", g.mn(cmpName, false), rn(n), rn(m), shiftText(typ, amt))
	case op == 2 && g.r.pct(40):
		n = 15
		text = movShiftText(g.mn, s == 1, rd, m, typ, amt)
	case op == 3 && g.r.pct(40):
		n = 15
		text = fmt.Sprintf("%s %s, %s%s", g.mn("mvn", s == 1), rn(rd), rn(m), shiftText(typ, amt))
	default:
		text = fmt.Sprintf("%s %s, %s, %s%s", g.mn(t32DPNames[op], s == 1), rn(rd), rn(n), rn(m), shiftText(typ, amt))
	}
	group := "t32 dp shifted reg"
	if op == 6 {
		group = "t32 pack/extend/sel"
	}
	g.emit(group, 0xea000000|op<<21|s<<20|uint32(n)<<16|uint32(amt)>>2<<12|uint32(rd)<<8|uint32(amt)&3<<6|uint32(typ)<<4|uint32(m), 4, text)
	if rd != 15 {
		g.wr(rd)
	}
	return true
}

func t32PlainImm(g *gen) bool {
	rd := g.reg()
	switch g.r.intn(4) {
	case 0, 1: // ADDW/SUBW, including ADR (Rn = PC) and SP-relative forms
		sub := g.r.bit()
		i12 := uint32(g.r.intn(4096))
		if g.r.pct(50) {
			i12 = uint32(g.r.intn(256))
		}
		n := g.reg()
		switch g.r.intn(8) {
		case 0:
			n = rPC
			i12 = uint32(g.r.intn(literalReach + 1))
		case 1:
			n = rSP
		}
		base := uint32(0xf2000000)
		name := "addw"
		if sub == 1 {
			base, name = 0xf2a00000, "subw"
		}
		g.emit("t32 plain imm", base|t32Imm12(i12)|uint32(n)<<16|uint32(rd)<<8, 4,
			fmt.Sprintf("%s %s, %s, #%d", g.mn(name, false), rn(rd), rn(n), i12))
		switch {
		case n == rSP && sub == 0:
			g.wrKnown(rd, harnessBase+i12)
		case n == rSP:
			g.wrKnown(rd, harnessBase-i12)
		default:
			g.wr(rd)
		}
	case 2:
		v := g.imm16()
		g.emit("t32 movw/movt", 0xf2400000|t32Imm16(v)|uint32(rd)<<8, 4, fmt.Sprintf("%s %s, #%d", g.mn("movw", false), rn(rd), v))
		g.wrKnown(rd, v)
	default:
		v := g.imm16()
		g.emit("t32 movw/movt", 0xf2c00000|t32Imm16(v)|uint32(rd)<<8, 4, fmt.Sprintf("%s %s, #%d", g.mn("movt", false), rn(rd), v))
		g.wr(rd)
	}
	return true
}

func t32Saturate(g *gen) bool {
	rd, n := g.reg(), g.reg()
	kinds := 4
	if !g.dsp {
		kinds = 2 // SSAT/USAT only: SSAT16/USAT16 are DSP instructions
	}
	switch g.r.intn(kinds) {
	case 0, 1:
		unsigned := g.r.bit()
		sat := uint32(g.r.intn(32))
		sh, amt := g.r.bit(), uint32(g.shiftAmt())
		if sh == 1 && amt == 0 {
			amt = 1 + uint32(g.r.intn(31))
		}
		base, name, to := uint32(0xf3000000), "ssat", sat+1
		if unsigned == 1 {
			base, name, to = 0xf3800000, "usat", sat
		}
		shift := ""
		if amt != 0 {
			shift = fmt.Sprintf(", %s #%d", []string{"lsl", "asr"}[sh], amt)
		}
		g.emit("t32 saturate", base|sh<<21|uint32(n)<<16|amt>>2<<12|uint32(rd)<<8|amt&3<<6|sat, 4,
			fmt.Sprintf("%s %s, #%d, %s%s", g.mn(name, false), rn(rd), to, rn(n), shift))
	case 2:
		sat := uint32(g.r.intn(16))
		g.emit("t32 saturate", 0xf3200000|uint32(n)<<16|uint32(rd)<<8|sat, 4,
			fmt.Sprintf("%s %s, #%d, %s", g.mn("ssat16", false), rn(rd), sat+1, rn(n)))
	default:
		sat := uint32(g.r.intn(16))
		g.emit("t32 saturate", 0xf3a00000|uint32(n)<<16|uint32(rd)<<8|sat, 4,
			fmt.Sprintf("%s %s, #%d, %s", g.mn("usat16", false), rn(rd), sat, rn(n)))
	}
	g.wr(rd)
	return true
}

func t32Bitfield(g *gen) bool {
	rd, n := g.reg(), g.reg()
	lsb, w := g.bitfield()
	lsbF := lsb>>2<<12 | lsb&3<<6
	switch g.r.intn(4) {
	case 0:
		g.emit("t32 bitfield", 0xf3400000|uint32(n)<<16|lsbF|uint32(rd)<<8|(w-1), 4,
			fmt.Sprintf("%s %s, %s, #%d, #%d", g.mn("sbfx", false), rn(rd), rn(n), lsb, w))
	case 1:
		g.emit("t32 bitfield", 0xf3c00000|uint32(n)<<16|lsbF|uint32(rd)<<8|(w-1), 4,
			fmt.Sprintf("%s %s, %s, #%d, #%d", g.mn("ubfx", false), rn(rd), rn(n), lsb, w))
	case 2:
		g.emit("t32 bitfield", 0xf3600000|uint32(n)<<16|lsbF|uint32(rd)<<8|(lsb+w-1), 4,
			fmt.Sprintf("%s %s, %s, #%d, #%d", g.mn("bfi", false), rn(rd), rn(n), lsb, w))
	default:
		g.emit("t32 bitfield", 0xf36f0000|lsbF|uint32(rd)<<8|(lsb+w-1), 4,
			fmt.Sprintf("%s %s, #%d, #%d", g.mn("bfc", false), rn(rd), lsb, w))
	}
	g.wr(rd)
	return true
}

func t32ShiftReg(g *gen) bool {
	rd, n, m := g.reg(), g.reg(), g.reg()
	typ, s := uint32(g.r.intn(4)), g.r.bit()
	g.emit("t32 shift by register", 0xfa00f000|typ<<21|s<<20|uint32(n)<<16|uint32(rd)<<8|uint32(m), 4,
		fmt.Sprintf("%s %s, %s, %s", g.mn(shiftNames[typ], s == 1), rn(rd), rn(n), rn(m)))
	g.wr(rd)
	return true
}

var extNamesT32 = [6][2]string{{"sxtah", "sxth"}, {"uxtah", "uxth"}, {"sxtab16", "sxtb16"}, {"uxtab16", "uxtb16"}, {"sxtab", "sxtb"}, {"uxtab", "uxtb"}}

func t32Extend(g *gen) bool {
	rd, n, m := g.reg(), g.reg(), g.reg()
	op, rot := uint32(g.r.intn(6)), uint32(g.r.intn(4))
	if !g.dsp {
		// SXTH, UXTH, SXTB, UXTB (T2): the others are DSP instructions.
		op = []uint32{0, 1, 4, 5}[op%4]
	}
	if !g.dsp || g.r.pct(40) {
		g.emit("t32 pack/extend/sel", 0xfa0ff080|op<<20|uint32(rd)<<8|rot<<4|uint32(m), 4,
			fmt.Sprintf("%s %s, %s%s", g.mn(extNamesT32[op][1], false), rn(rd), rn(m), rotText(rot)))
	} else {
		g.emit("t32 pack/extend/sel", 0xfa00f080|op<<20|uint32(n)<<16|uint32(rd)<<8|rot<<4|uint32(m), 4,
			fmt.Sprintf("%s %s, %s, %s%s", g.mn(extNamesT32[op][0], false), rn(rd), rn(n), rn(m), rotText(rot)))
	}
	g.wr(rd)
	return true
}

// T32 parallel add/subtract: op1 (bits 22:20) selects the operation, op2
// (bits 5:4) the flavour, bit 6 signed/unsigned.
var parOpsT32 = map[uint32]string{1: "add16", 2: "asx", 6: "sax", 5: "sub16", 0: "add8", 4: "sub8"}
var parPrefixT32 = [2][3]string{{"s", "q", "sh"}, {"u", "uq", "uh"}}

func t32Parallel(g *gen) bool {
	rd, n, m := g.reg(), g.reg(), g.reg()
	op1 := []uint32{0, 1, 2, 4, 5, 6}[g.r.intn(6)]
	u, op2 := g.r.bit(), uint32(g.r.intn(3))
	g.emit("t32 parallel add/sub", 0xfa80f000|op1<<20|uint32(n)<<16|uint32(rd)<<8|u<<6|op2<<4|uint32(m), 4,
		fmt.Sprintf("%s %s, %s, %s", g.mn(parPrefixT32[u][op2]+parOpsT32[op1], false), rn(rd), rn(n), rn(m)))
	g.wr(rd)
	return true
}

func t32Misc(g *gen) bool {
	rd, n, m := g.reg(), g.reg(), g.reg()
	ops := []struct {
		op1, op2 uint32
		name     string
		group    string
	}{
		{0, 0, "qadd", "t32 saturating add/sub"}, {0, 1, "qdadd", "t32 saturating add/sub"},
		{0, 2, "qsub", "t32 saturating add/sub"}, {0, 3, "qdsub", "t32 saturating add/sub"},
		{1, 0, "rev", "t32 clz/rbit/rev"}, {1, 1, "rev16", "t32 clz/rbit/rev"}, {1, 2, "rbit", "t32 clz/rbit/rev"},
		{1, 3, "revsh", "t32 clz/rbit/rev"}, {2, 0, "sel", "t32 pack/extend/sel"}, {3, 0, "clz", "t32 clz/rbit/rev"},
	}
	if !g.dsp { // REV, REV16, RBIT, REVSH, CLZ: the rest are DSP instructions
		all := ops
		ops = nil
		for _, o := range all {
			if o.group == "t32 clz/rbit/rev" {
				ops = append(ops, o)
			}
		}
	}
	o := ops[g.r.intn(len(ops))]
	var text string
	switch o.op1 {
	case 0:
		text = fmt.Sprintf("%s %s, %s, %s", g.mn(o.name, false), rn(rd), rn(m), rn(n))
	case 2:
		text = fmt.Sprintf("%s %s, %s, %s", g.mn(o.name, false), rn(rd), rn(n), rn(m))
	default:
		n = m // Rm is encoded twice and both copies must agree
		text = fmt.Sprintf("%s %s, %s", g.mn(o.name, false), rn(rd), rn(m))
	}
	g.emit(o.group, 0xfa80f080|o.op1<<20|uint32(n)<<16|uint32(rd)<<8|o.op2<<4|uint32(m), 4, text)
	g.wr(rd)
	return true
}

func t32Mul(g *gen) bool {
	rd, n, m, ra := g.reg(), g.reg(), g.reg(), g.reg()
	x, y := g.r.bit(), g.r.bit()
	acc := g.r.pct(60)
	emit := func(group string, op1, op2 uint32, name string, accum bool) {
		a := uint32(15)
		text := fmt.Sprintf("%s %s, %s, %s", g.mn(name, false), rn(rd), rn(n), rn(m))
		if accum {
			a = uint32(ra)
			text += ", " + rn(ra)
		}
		g.emit(group, 0xfb000000|op1<<20|uint32(n)<<16|a<<12|uint32(rd)<<8|op2<<4|uint32(m), 4, text)
	}
	kind := g.r.intn(9)
	if !g.dsp {
		kind = 0 // MUL, MLA, MLS only
	}
	switch kind {
	case 0:
		switch g.r.intn(3) {
		case 0:
			emit("t32 mul", 0, 0, "mul", false)
		case 1:
			emit("t32 mul", 0, 0, "mla", true)
		default:
			emit("t32 mul", 0, 1, "mls", true)
		}
	case 1, 2:
		if acc {
			emit("t32 mul halfword", 1, x<<1|y, "smla"+bt[x]+bt[y], true)
		} else {
			emit("t32 mul halfword", 1, x<<1|y, "smul"+bt[x]+bt[y], false)
		}
	case 3:
		if acc {
			emit("t32 mul halfword", 3, y, "smlaw"+bt[y], true)
		} else {
			emit("t32 mul halfword", 3, y, "smulw"+bt[y], false)
		}
	case 4:
		if acc {
			emit("t32 media mul", 2, x, "smlad"+xSuffix[x], true)
		} else {
			emit("t32 media mul", 2, x, "smuad"+xSuffix[x], false)
		}
	case 5:
		if acc {
			emit("t32 media mul", 4, x, "smlsd"+xSuffix[x], true)
		} else {
			emit("t32 media mul", 4, x, "smusd"+xSuffix[x], false)
		}
	case 6:
		switch g.r.intn(3) {
		case 0:
			emit("t32 media mul", 5, x, "smmul"+rSuffix[x], false)
		case 1:
			emit("t32 media mul", 5, x, "smmla"+rSuffix[x], true)
		default:
			emit("t32 media mul", 6, x, "smmls"+rSuffix[x], true)
		}
	default:
		if acc {
			emit("t32 media mul", 7, 0, "usada8", true)
		} else {
			emit("t32 media mul", 7, 0, "usad8", false)
		}
	}
	g.wr(rd)
	return true
}

func t32MulLong(g *gen) bool {
	lo := g.reg()
	hi := g.regNot(mask(lo))
	n, m := g.reg(), g.reg()
	x, y := g.r.bit(), g.r.bit()
	ops := []struct {
		op1, op2 uint32
		name     string
	}{
		{0, 0, "smull"}, {2, 0, "umull"}, {4, 0, "smlal"}, {6, 0, "umlal"}, {6, 6, "umaal"},
		{4, 8 | x<<1 | y, "smlal" + bt[x] + bt[y]}, {4, 0xc | x, "smlald" + xSuffix[x]}, {5, 0xc | x, "smlsld" + xSuffix[x]},
	}
	if g.r.pct(25) {
		u := g.r.bit()
		g.emit("t32 divide", 0xfb90f0f0|u<<21|uint32(n)<<16|uint32(lo)<<8|uint32(m), 4,
			fmt.Sprintf("%s %s, %s, %s", g.mn([]string{"sdiv", "udiv"}[u], false), rn(lo), rn(n), rn(m)))
		g.wr(lo)
		return true
	}
	if !g.dsp {
		ops = ops[:4] // SMULL, UMULL, SMLAL, UMLAL
	}
	o := ops[g.r.intn(len(ops))]
	g.emit("t32 mul long", 0xfb800000|o.op1<<20|uint32(n)<<16|uint32(lo)<<12|uint32(hi)<<8|o.op2<<4|uint32(m), 4,
		fmt.Sprintf("%s %s, %s, %s, %s", g.mn(o.name, false), rn(lo), rn(hi), rn(n), rn(m)))
	g.wr(lo)
	g.wr(hi)
	return true
}

// psrSource finds or sets up a register holding a value MSR may write.
func (g *gen) psrSource() (int, bool) {
	var cands []int
	for _, r := range dataRegs {
		if g.known[r] && g.val[r]&0x07f00000 == 0 {
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
	g.setup(n, g.r.psrValue())
	return n, true
}

func t32StatusReg(g *gen) bool {
	if g.r.pct(50) {
		rd := g.reg()
		g.emit("t32 mrs/msr", 0xf3ef8000|uint32(rd)<<8, 4, fmt.Sprintf("%s %s, APSR", g.mn("mrs", false), rn(rd)))
		g.wr(rd)
		return true
	}
	n, ok := g.psrSource()
	if !ok {
		return false
	}
	pm := psrMasks[0] // ARMv7-M without DSP: APSR_nzcvq only
	if g.dsp {
		pm = psrMasks[g.r.intn(3)]
	}
	g.emit("t32 mrs/msr", 0xf3808000|uint32(n)<<16|pm.mask<<8, 4, fmt.Sprintf("%s %s, %s", g.mn("msr", false), pm.name, rn(n)))
	return true
}

type t32LSKind struct {
	name                  string
	load                  bool
	size                  int
	imm12, imm8, reg, lit uint32
}

var t32LSKinds = []t32LSKind{
	{"str", false, 4, 0xf8c00000, 0xf8400800, 0xf8400000, 0},
	{"strh", false, 2, 0xf8a00000, 0xf8200800, 0xf8200000, 0},
	{"strb", false, 1, 0xf8800000, 0xf8000800, 0xf8000000, 0},
	{"ldr", true, 4, 0xf8d00000, 0xf8500800, 0xf8500000, 0xf85f0000},
	{"ldrh", true, 2, 0xf8b00000, 0xf8300800, 0xf8300000, 0xf83f0000},
	{"ldrb", true, 1, 0xf8900000, 0xf8100800, 0xf8100000, 0xf81f0000},
	{"ldrsh", true, 2, 0xf9b00000, 0xf9300800, 0xf9300000, 0xf93f0000},
	{"ldrsb", true, 1, 0xf9900000, 0xf9100800, 0xf9100000, 0xf91f0000},
}

const (
	lsImm12 = iota
	lsNeg8
	lsPre
	lsPost
	lsUnpriv
	lsReg
	lsLit
)

func t32LdSt(g *gen) bool {
	k := t32LSKinds[g.r.intn(len(t32LSKinds))]
	form := []int{lsImm12, lsImm12, lsNeg8, lsPre, lsPost, lsUnpriv, lsReg, lsReg, lsLit}[g.r.intn(9)]
	if form == lsLit && !k.load {
		form = lsImm12
	}
	rt := g.reg()
	if form == lsLit {
		mag := k.size * g.r.intn(literalReach/k.size+1)
		u := g.r.bit()
		g.emit("t32 literal load", k.lit|u<<23|uint32(rt)<<12|uint32(mag), 4,
			fmt.Sprintf("%s %s, %s", g.mn(k.name, false), rn(rt), addrText(rPC, u, mag, modeOffset)))
		g.wr(rt)
		return true
	}
	wback := form == lsPre || form == lsPost
	var excl uint16
	if wback {
		excl = mask(rt)
	}
	lo, hi := 0, 4095
	switch form {
	case lsNeg8:
		lo, hi = -255, 0
	case lsPre, lsPost:
		lo, hi = -255, 255
	case lsUnpriv:
		lo, hi = 0, 255
	case lsReg:
		lo, hi = 0, 3*255
	}
	var off int
	n, ok := g.memBase(excl, false, func(n int, v uint32) bool {
		offs := offsets(v, k.size, k.size, form == lsPost, lo, hi, 1)
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
	name := k.name
	var enc uint32
	var addr string
	switch form {
	case lsImm12:
		enc = k.imm12 | uint32(mag)
		addr = addrText(n, 1, mag, modeOffset)
	case lsNeg8:
		enc = k.imm8 | 1<<10 | uint32(mag)
		addr = addrText(n, 0, mag, modeOffset)
	case lsPre:
		enc = k.imm8 | 1<<10 | u<<9 | 1<<8 | uint32(mag)
		addr = addrText(n, u, mag, modePre)
	case lsPost:
		enc = k.imm8 | u<<9 | 1<<8 | uint32(mag)
		addr = addrText(n, u, mag, modePost)
	case lsUnpriv:
		name += "t"
		enc = k.imm8 | 0xe<<8 | uint32(mag)
		addr = addrText(n, 1, mag, modeOffset)
	case lsReg:
		sh := g.r.intn(4)
		for mag%(1<<sh) != 0 {
			sh--
		}
		mexcl := mask(n, rt) // see a32LdStWordByte
		m, ok := g.index(mexcl, false, uint32(mag>>sh))
		if !ok {
			return false
		}
		enc = k.reg | uint32(sh)<<4 | uint32(m)
		shift := ""
		if sh != 0 {
			shift = fmt.Sprintf(", lsl #%d", sh)
		}
		addr = addrRegText(n, 1, m, shift, modeOffset)
	}
	g.emit("t32 ldr/str single", enc|uint32(n)<<16|uint32(rt)<<12, 4, fmt.Sprintf("%s %s, %s", g.mn(name, false), rn(rt), addr))
	if k.load {
		g.wr(rt)
	}
	if wback {
		g.wrKnown(n, g.val[n]+uint32(off))
	}
	return true
}

func t32Dual(g *gen) bool {
	load := g.r.pct(50)
	rt := g.reg()
	rt2 := g.reg()
	if load {
		rt2 = g.regNot(mask(rt)) // LDRD with Rt == Rt2 is UNPREDICTABLE
	}
	l, name := uint32(0), "strd"
	if load {
		l, name = 1, "ldrd"
	}
	regs := rn(rt) + ", " + rn(rt2)
	mode := []int{modeOffset, modeOffset, modePre, modePost, -1}[g.r.intn(5)]
	if mode == -1 {
		if !load {
			mode = modeOffset
		} else {
			mag := 4 * g.r.intn(literalReach/4+1)
			u := g.r.bit()
			g.emit("t32 literal load", 0xe95f0000|u<<23|uint32(rt)<<12|uint32(rt2)<<8|uint32(mag/4), 4,
				fmt.Sprintf("%s %s, %s", g.mn(name, false), regs, addrText(rPC, u, mag, modeOffset)))
			g.wr(rt)
			g.wr(rt2)
			return true
		}
	}
	wback := mode != modeOffset
	var excl uint16
	if wback {
		excl = mask(rt, rt2)
	}
	var off int
	n, ok := g.memBase(excl, false, func(n int, v uint32) bool {
		offs := offsets(v, 8, 4, mode == modePost, -1020, 1020, 4)
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
	p, w := uint32(1), uint32(0)
	switch mode {
	case modePre:
		w = 1
	case modePost:
		p, w = 0, 1
	}
	g.emit("t32 ldrd/strd", 0xe8400000|p<<24|u<<23|w<<21|l<<20|uint32(n)<<16|uint32(rt)<<12|uint32(rt2)<<8|uint32(mag/4), 4,
		fmt.Sprintf("%s %s, %s", g.mn(name, false), regs, addrText(n, u, mag, mode)))
	if load {
		g.wr(rt)
		g.wr(rt2)
	}
	if wback {
		g.wrKnown(n, g.val[n]+uint32(off))
	}
	return true
}

func t32LdmStm(g *gen) bool {
	load := g.r.pct(50)
	db := g.r.bit()
	w := g.r.bit()
	var list uint16
	var wb uint32
	n, ok := g.memBase(0, false, func(n int, v uint32) bool {
		var excl uint16
		if w == 1 {
			excl = mask(n)
		}
		list = g.randList(dataRegs, 2, 6, excl)
		lowest, nb := ldmAddrs(v, db, 1-db, popcount(list))
		wb = nb
		return inScratch(lowest, 4*popcount(list)) && lowest%4 == 0
	})
	if !ok {
		return false
	}
	base := []uint32{0xe8800000, 0xe9000000}[db]
	name := []string{"stm", "stmdb"}[db]
	if load {
		base |= 1 << 20
		name = []string{"ldm", "ldmdb"}[db]
	}
	bang := ""
	if w == 1 {
		bang = "!"
	}
	g.emit("t32 ldm/stm", base|w<<21|uint32(n)<<16|uint32(list), 4,
		fmt.Sprintf("%s %s%s, %s", g.mn(name, false), rn(n), bang, regList(list)))
	if load {
		for r := 0; r < 16; r++ {
			if list&(1<<r) != 0 {
				g.wr(r)
			}
		}
	}
	if w == 1 {
		g.wrKnown(n, wb)
	}
	return true
}

func t32Nop(g *gen) bool {
	if g.r.pct(50) {
		g.emit("t32 nop", 0xf3af8000, 4, g.mn("nop", false)+".w")
	} else {
		g.emit("t32 nop", 0xbf00, 2, g.mn("nop", false))
	}
	return true
}

// ---- 16-bit encodings ------------------------------------------------------

func t16ShiftImm(g *gen) bool {
	op := uint32(g.r.intn(3))
	rd, m := g.low(), g.low()
	amt := uint32(g.r.intn(32))
	if op == 0 && amt == 0 && g.inIT {
		amt = 1 + uint32(g.r.intn(31)) // MOVS Rd, Rm (T2) is UNPREDICTABLE in an IT block
	}
	var text string
	switch {
	case op == 0 && amt == 0:
		text = fmt.Sprintf("movs %s, %s", rn(rd), rn(m))
	case amt == 0:
		text = fmt.Sprintf("%s %s, %s, #32", g.mn(shiftNames[op], g.s16()), rn(rd), rn(m))
	default:
		text = fmt.Sprintf("%s %s, %s, #%d", g.mn(shiftNames[op], g.s16()), rn(rd), rn(m), amt)
	}
	g.emit("t16 shift/add/sub/mov/cmp", op<<11|amt<<6|uint32(m)<<3|uint32(rd), 2, text)
	g.wr(rd)
	return true
}

func t16AddSub(g *gen) bool {
	rd, n := g.low(), g.low()
	sub := g.r.bit()
	name := []string{"add", "sub"}[sub]
	if g.r.pct(50) {
		m := g.low()
		g.emit("t16 shift/add/sub/mov/cmp", 0x1800|sub<<9|uint32(m)<<6|uint32(n)<<3|uint32(rd), 2,
			fmt.Sprintf("%s %s, %s, %s", g.mn(name, g.s16()), rn(rd), rn(n), rn(m)))
	} else {
		i := uint32(g.r.intn(8))
		g.emit("t16 shift/add/sub/mov/cmp", 0x1c00|sub<<9|i<<6|uint32(n)<<3|uint32(rd), 2,
			fmt.Sprintf("%s %s, %s, #%d", g.mn(name, g.s16()), rn(rd), rn(n), i))
	}
	g.wr(rd)
	return true
}

func t16Imm8(g *gen) bool {
	rd := g.low()
	op := uint32(g.r.intn(4))
	i := uint32(g.r.intn(256))
	if g.r.pct(30) {
		i = []uint32{0, 1, 0x7f, 0x80, 0xff}[g.r.intn(5)]
	}
	name := []string{"mov", "cmp", "add", "sub"}[op]
	text := fmt.Sprintf("%s %s, #%d", g.mn(name, g.s16()), rn(rd), i)
	if op == 1 {
		text = fmt.Sprintf("%s %s, #%d", g.mn(name, false), rn(rd), i)
	}
	g.emit("t16 shift/add/sub/mov/cmp", 0x2000|op<<11|uint32(rd)<<8|i, 2, text)
	if op != 1 {
		g.wr(rd)
	}
	return true
}

var t16DPNames = [16]string{"and", "eor", "lsl", "lsr", "asr", "adc", "sbc", "ror", "tst", "neg", "cmp", "cmn", "orr", "mul", "bic", "mvn"}

func t16DP(g *gen) bool {
	op := uint32(g.r.intn(16))
	dn, m := g.low(), g.low()
	var text string
	switch op {
	case 8, 10, 11:
		text = fmt.Sprintf("%s %s, %s", g.mn(t16DPNames[op], false), rn(dn), rn(m))
	case 13:
		text = fmt.Sprintf("%s %s, %s, %s", g.mn("mul", g.s16()), rn(dn), rn(m), rn(dn))
	default:
		text = fmt.Sprintf("%s %s, %s", g.mn(t16DPNames[op], g.s16()), rn(dn), rn(m))
	}
	g.emit("t16 data processing", 0x4000|op<<6|uint32(m)<<3|uint32(dn), 2, text)
	if op != 8 && op != 10 && op != 11 {
		g.wr(dn)
	}
	return true
}

func t16HiReg(g *gen) bool {
	d, m := g.reg(), g.reg()
	switch g.r.intn(3) {
	case 0:
		g.emit("t16 high register", 0x4400|uint32(d>>3)<<7|uint32(m)<<3|uint32(d&7), 2,
			fmt.Sprintf("%s %s, %s", g.mn("add", false), rn(d), rn(m)))
		g.wr(d)
	case 1:
		for d < 8 && m < 8 { // CMP (T2) with two low registers is UNPREDICTABLE
			d, m = g.reg(), g.reg()
		}
		g.emit("t16 high register", 0x4500|uint32(d>>3)<<7|uint32(m)<<3|uint32(d&7), 2,
			fmt.Sprintf("%s %s, %s", g.mn("cmp", false), rn(d), rn(m)))
	default:
		g.emit("t16 high register", 0x4600|uint32(d>>3)<<7|uint32(m)<<3|uint32(d&7), 2,
			fmt.Sprintf("%s %s, %s", g.mn("mov", false), rn(d), rn(m)))
		g.wr(d)
	}
	return true
}

var t16LSNames = [8]string{"str", "strh", "strb", "ldrsb", "ldr", "ldrh", "ldrb", "ldrsh"}
var t16LSSize = [8]int{4, 2, 1, 1, 4, 2, 1, 2}

func t16LdStReg(g *gen) bool {
	op := uint32(g.r.intn(8))
	size := t16LSSize[op]
	t := g.low()
	var off int
	n, ok := g.memBase(0, true, func(n int, v uint32) bool {
		offs := offsets(v, size, size, false, 0, 255, 1)
		if len(offs) == 0 {
			return false
		}
		off = g.pickOff(offs)
		return true
	})
	if !ok {
		return false
	}
	mexcl := mask(n, t) // see a32LdStWordByte
	m, ok := g.index(mexcl, true, uint32(off))
	if !ok {
		return false
	}
	g.emit("t16 ldr/str", 0x5000|op<<9|uint32(m)<<6|uint32(n)<<3|uint32(t), 2,
		fmt.Sprintf("%s %s, [%s, %s]", g.mn(t16LSNames[op], false), rn(t), rn(n), rn(m)))
	if op >= 3 {
		g.wr(t)
	}
	return true
}

func t16LdStImm(g *gen) bool {
	kinds := []struct {
		base uint32
		name string
		size int
	}{{0x6000, "str", 4}, {0x6800, "ldr", 4}, {0x7000, "strb", 1}, {0x7800, "ldrb", 1}, {0x8000, "strh", 2}, {0x8800, "ldrh", 2}}
	k := kinds[g.r.intn(len(kinds))]
	t := g.low()
	var off int
	n, ok := g.memBase(0, true, func(n int, v uint32) bool {
		offs := offsets(v, k.size, k.size, false, 0, 31*k.size, k.size)
		if len(offs) == 0 {
			return false
		}
		off = g.pickOff(offs)
		return true
	})
	if !ok {
		return false
	}
	g.emit("t16 ldr/str", k.base|uint32(off/k.size)<<6|uint32(n)<<3|uint32(t), 2,
		fmt.Sprintf("%s %s, %s", g.mn(k.name, false), rn(t), addrText(n, 1, off, modeOffset)))
	if k.base&0x0800 != 0 {
		g.wr(t)
	}
	return true
}

// t16PCSP: LDR (literal), LDR Rt, [SP, #imm], ADR and ADD Rd, SP, #imm.
func t16PCSP(g *gen) bool {
	d := g.low()
	switch g.r.intn(4) {
	case 0:
		i := uint32(g.r.intn(literalReach/4 + 1))
		g.emit("t16 literal/sp/adr", 0x4800|uint32(d)<<8|i, 2, fmt.Sprintf("%s %s, [pc, #%d]", g.mn("ldr", false), rn(d), 4*i))
		g.wr(d)
	case 1:
		// Harness slots, the scratch buffer and the zeroed area behind it.
		i := uint32(g.r.intn(0x300 / 4))
		g.emit("t16 literal/sp/adr", 0x9800|uint32(d)<<8|i, 2, fmt.Sprintf("%s %s, [sp, #%d]", g.mn("ldr", false), rn(d), 4*i))
		g.wr(d)
	case 2:
		i := uint32(g.r.intn(literalReach/4 + 1))
		g.emit("t16 literal/sp/adr", 0xa000|uint32(d)<<8|i, 2, fmt.Sprintf("%s %s, pc, #%d", g.mn("add", false), rn(d), 4*i))
		g.wr(d)
	default:
		i := uint32(g.r.intn(256))
		g.emit("t16 literal/sp/adr", 0xa800|uint32(d)<<8|i, 2, fmt.Sprintf("%s %s, sp, #%d", g.mn("add", false), rn(d), 4*i))
		g.wrKnown(d, harnessBase+4*i)
	}
	return true
}

func t16ExtRev(g *gen) bool {
	d, m := g.low(), g.low()
	if g.r.pct(50) {
		op := uint32(g.r.intn(4))
		g.emit("t16 extend/rev", 0xb200|op<<6|uint32(m)<<3|uint32(d), 2,
			fmt.Sprintf("%s %s, %s", g.mn([]string{"sxth", "sxtb", "uxth", "uxtb"}[op], false), rn(d), rn(m)))
	} else {
		op := []uint32{0, 1, 3}[g.r.intn(3)]
		g.emit("t16 extend/rev", 0xba00|op<<6|uint32(m)<<3|uint32(d), 2,
			fmt.Sprintf("%s %s, %s", g.mn([]string{"rev", "rev16", "", "revsh"}[op], false), rn(d), rn(m)))
	}
	g.wr(d)
	return true
}

func t16LdmStm(g *gen) bool {
	load := g.r.pct(50)
	var list uint16
	var wb uint32
	n, ok := g.memBase(0, true, func(n int, v uint32) bool {
		var excl uint16
		if !load {
			excl = mask(n) // STM always writes back; Rn in the list would store an UNKNOWN value
		}
		list = g.randList(lowRegs, 1, 5, excl)
		wb = v + uint32(4*popcount(list))
		return inScratch(v, 4*popcount(list)) && v%4 == 0
	})
	if !ok {
		return false
	}
	wback := !load || list&(1<<n) == 0
	name := "stmia"
	enc := uint32(0xc000)
	if load {
		name, enc = "ldmia", 0xc800
	}
	bang := ""
	if wback {
		bang = "!"
	}
	g.emit("t16 ldm/stm", enc|uint32(n)<<8|uint32(list), 2, fmt.Sprintf("%s %s%s, %s", g.mn(name, false), rn(n), bang, regList(list)))
	if load {
		for r := 0; r < 8; r++ {
			if list&(1<<r) != 0 {
				g.wr(r)
			}
		}
	}
	if wback {
		g.wrKnown(n, wb)
	}
	return true
}

// t32Branch: a forward branch over 0-3 instructions (1-3 for CBZ/CBNZ).
func t32Branch(g *gen) bool {
	if g.region != nil || g.inIT {
		return false
	}
	kind := g.r.intn(7)
	cond := g.r.intn(14)
	size := 2
	if kind >= 2 && kind <= 4 {
		size = 4
	}
	idx := len(g.code)
	g.emit("t32 branch", 0, size, "")
	var written uint16
	g.region = &written
	k := g.r.intn(4)
	if kind >= 5 {
		k = 1 + g.r.intn(3)
	}
	for i := 0; i < k; i++ {
		t32One(g, false)
	}
	g.region = nil
	for r := 0; r < 16; r++ {
		if written&(1<<r) != 0 {
			g.known[r] = false
		}
	}
	skip := g.bytesFrom(idx + 1)
	off16 := uint32(skip - 2) // 16-bit: target = PC(+4) + off = next + skip
	off32 := uint32(skip)
	in := &g.code[idx]
	target := fmt.Sprintf(".+%d", skip+size)
	switch kind {
	case 0:
		in.enc = 0xd000 | uint32(cond)<<8 | off16>>1&0xff
		in.text = fmt.Sprintf("b%s.n %s", condNames[cond], target)
	case 1:
		in.enc = 0xe000 | off16>>1&0x7ff
		in.text = "b.n " + target
	case 2:
		in.enc = 0xf0008000 | uint32(cond)<<22 | off32>>12&0x3f<<16 | off32>>1&0x7ff
		in.text = fmt.Sprintf("b%s.w %s", condNames[cond], target)
	case 3:
		in.enc = 0xf0009000 | 1<<13 | 1<<11 | off32>>12&0x3ff<<16 | off32>>1&0x7ff
		in.text = "b.w " + target
	case 4:
		in.enc = 0xf000d000 | 1<<13 | 1<<11 | off32>>12&0x3ff<<16 | off32>>1&0x7ff
		in.text = "bl " + target
		g.wr(rLR)
	default:
		r := g.low()
		base, name := uint32(0xb100), "cbz"
		if kind == 6 {
			base, name = 0xb900, "cbnz"
		}
		in.enc = base | off16>>6&1<<9 | off16>>1&0x1f<<3 | uint32(r)
		in.text = fmt.Sprintf("%s %s, %s", name, rn(r), target)
	}
	return true
}

// t32Forms is filled in by init: the branch form refers back to it.
var t32Forms []form

// t32FormsFor returns the forms of a T32 profile: ARMv7-A's, without
// parallel add/subtract on ARMv7-M, with the FPv4-SP forms on a Cortex-M4F.
func t32FormsFor(p profile) []form {
	if !p.m {
		return t32Forms
	}
	var out []form
	for _, f := range t32Forms {
		if f.name == "parallel" && !p.dsp {
			continue
		}
		out = append(out, f)
	}
	if p.fp {
		out = append(out, vfpForms...)
	}
	return out
}

func init() {
	t32Forms = []form{
		// 32-bit
		{"dp imm", 8, t32DPImm, true},
		{"dp reg", 8, t32DPReg, true},
		{"plain imm", 4, t32PlainImm, true},
		{"sat", 3, t32Saturate, true},
		{"bitfield", 3, t32Bitfield, true},
		{"shift reg", 3, t32ShiftReg, true},
		{"extend", 3, t32Extend, true},
		{"parallel", 4, t32Parallel, true},
		{"misc", 4, t32Misc, true},
		{"mul", 6, t32Mul, true},
		{"mul long", 4, t32MulLong, true},
		{"psr", 2, t32StatusReg, true},
		{"ldst", 7, t32LdSt, true},
		{"dual", 3, t32Dual, true},
		{"ldm", 2, t32LdmStm, true},
		{"nop", 1, t32Nop, true},
		// 16-bit
		{"t16 shift", 3, t16ShiftImm, true},
		{"t16 addsub", 3, t16AddSub, true},
		{"t16 imm8", 3, t16Imm8, true},
		{"t16 dp", 6, t16DP, true},
		{"t16 hi", 3, t16HiReg, true},
		{"t16 ldst reg", 2, t16LdStReg, true},
		{"t16 ldst imm", 3, t16LdStImm, true},
		{"t16 pc/sp", 2, t16PCSP, true},
		{"t16 ext", 2, t16ExtRev, true},
		{"t16 ldm", 2, t16LdmStm, true},
		// control flow
		{"branch", 3, t32Branch, false},
	}
}

// t32One generates one unconditional instruction (plus any setup it needs).
func t32One(g *gen, allowBranch bool) {
	for {
		g.cond, g.certain = al, true
		f := pickForm(g.r, g.forms)
		if !f.plain && !allowBranch {
			continue
		}
		if f.fn(g) {
			return
		}
	}
}

// t32ITBlock emits IT with 1-4 conditional instructions.
func t32ITBlock(g *gen) {
	if len(g.baseCandidates(0, false)) == 0 && g.r.pct(60) {
		g.setup(g.reg(), scratchBase+uint32(4*g.r.intn(scratchSize/4+1)))
	}
	if g.r.pct(15) {
		g.setup(g.reg(), g.r.psrValue())
	}
	n := 1 + g.r.intn(4)
	first := g.r.intn(14)
	if n == 1 && g.r.pct(10) {
		first = al // IT AL is allowed only for a single instruction
	}
	conds := []int{first}
	var m uint32
	letters := ""
	for i := 1; i < n; i++ {
		c := first
		if g.r.pct(50) {
			c ^= 1
			letters += "e"
		} else {
			letters += "t"
		}
		conds = append(conds, c)
		m |= uint32(c&1) << (4 - i)
	}
	m |= 1 << (4 - n)
	name := condNames[first]
	if first == al {
		name = "al"
	}
	g.emit("t32 it", 0xbf00|uint32(first)<<4|m, 2, fmt.Sprintf("it%s %s", letters, name))
	g.inIT, g.noSetup = true, true
	for _, c := range conds {
		for {
			g.cond, g.certain = c, false
			f := pickForm(g.r, g.forms)
			if !f.plain {
				continue
			}
			if f.fn(g) {
				break
			}
		}
	}
	g.inIT, g.noSetup = false, false
	g.cond, g.certain = al, true
}

func t32Step(g *gen) {
	if g.r.pct(20) {
		t32ITBlock(g)
		return
	}
	t32One(g, true)
}

func a32Step(g *gen) { a32One(g, true) }
