package main

import "fmt"

// A32 generation. Encodings and their constraints follow the ARM ARM
// (DDI0406C) chapter A5 tables and the per-instruction pages of chapter A8;
// every "UNPREDICTABLE" condition of an encoding we produce is avoided here.

// a32Src picks a source operand for forms where the ARM ARM allows SP and PC
// (data-processing with an immediate or immediate-shifted register).
func (g *gen) a32Src() int {
	switch g.r.intn(40) {
	case 0:
		return rSP
	case 1:
		return rPC
	}
	return g.reg()
}

func (g *gen) c() uint32 { return uint32(g.cond) << 28 }

// a32ModImm returns rotation and imm8 of an A32 modified immediate.
func (g *gen) a32ModImm() (rot, imm8 uint32) {
	rot = uint32(g.r.intn(16))
	if g.r.pct(30) {
		rot = 0
	}
	imm8 = uint32(g.r.intn(256))
	if g.r.pct(30) {
		imm8 = []uint32{0, 1, 0x7f, 0x80, 0xff, 0x3f, 0xc0}[g.r.intn(7)]
	}
	return rot, imm8
}

func (g *gen) shiftAmt() int {
	switch g.r.intn(8) {
	case 0:
		return 0
	case 1:
		return 1
	case 2:
		return 31
	}
	return g.r.intn(32)
}

func (g *gen) imm16() uint32 {
	if g.r.pct(30) {
		return []uint32{0, 1, 0x7fff, 0x8000, 0xffff, 0xff, 0x100}[g.r.intn(7)]
	}
	return uint32(g.r.intn(65536))
}

var dpNames = [16]string{"and", "eor", "sub", "rsb", "add", "adc", "sbc", "rsc", "tst", "teq", "cmp", "cmn", "orr", "mov", "bic", "mvn"}

func a32Setup(g *gen, r int, v uint32) {
	if d := v - harnessBase; d%4 == 0 && d <= 1020 && g.r.pct(75) {
		// ADD Rd, SP, #d: d = imm8 ROR 30.
		g.emit("setup", 0xe28d0f00|uint32(r)<<12|d>>2, 4, fmt.Sprintf("add %s, sp, #%d", rn(r), d))
		g.wrKnown(r, v)
		return
	}
	lo, hi := v&0xffff, v>>16
	g.emit("setup", 0xe3000000|lo>>12<<16|uint32(r)<<12|lo&0xfff, 4, fmt.Sprintf("movw %s, #%d", rn(r), lo))
	if hi != 0 {
		g.emit("setup", 0xe3400000|hi>>12<<16|uint32(r)<<12|hi&0xfff, 4, fmt.Sprintf("movt %s, #%d", rn(r), hi))
	}
	g.wrKnown(r, v)
}

func a32DPImm(g *gen) bool {
	op := uint32(g.r.intn(16))
	s := g.r.bit()
	cmp := op >= 8 && op <= 11
	var rd, n int
	if cmp {
		s = 1
	} else {
		rd = g.reg()
	}
	if op != 13 && op != 15 {
		n = g.a32Src()
	}
	rot, imm8 := g.a32ModImm()
	v := ror32(imm8, int(2*rot))
	enc := g.c() | 1<<25 | op<<21 | s<<20 | uint32(n)<<16 | uint32(rd)<<12 | rot<<8 | imm8
	var text string
	switch {
	case cmp:
		text = fmt.Sprintf("%s %s, %s", g.mn(dpNames[op], false), rn(n), imm(v))
	case op == 13 || op == 15:
		text = fmt.Sprintf("%s %s, %s", g.mn(dpNames[op], s == 1), rn(rd), imm(v))
	default:
		text = fmt.Sprintf("%s %s, %s, %s", g.mn(dpNames[op], s == 1), rn(rd), rn(n), imm(v))
	}
	g.emit("a32 dp imm", enc, 4, text)
	if !cmp {
		if n == rSP && (op == 4 || op == 2) && s == 0 {
			res := harnessBase + v
			if op == 2 {
				res = harnessBase - v
			}
			g.wrKnown(rd, res)
		} else {
			g.wr(rd)
		}
	}
	return true
}

// a32MovShift renders MOV with a shift the way disassemblers do (LSL #n etc.).
func movShiftText(mn func(string, bool) string, s bool, rd, rm, typ, amt int) string {
	switch {
	case typ == 0 && amt == 0:
		return fmt.Sprintf("%s %s, %s", mn("mov", s), rn(rd), rn(rm))
	case typ == 3 && amt == 0:
		return fmt.Sprintf("%s %s, %s", mn("rrx", s), rn(rd), rn(rm))
	case amt == 0:
		amt = 32
	}
	return fmt.Sprintf("%s %s, %s, #%d", mn(shiftNames[typ], s), rn(rd), rn(rm), amt)
}

func a32DPReg(g *gen) bool {
	op := uint32(g.r.intn(16))
	s := g.r.bit()
	cmp := op >= 8 && op <= 11
	var rd, n int
	if cmp {
		s = 1
	} else {
		rd = g.reg()
	}
	if op != 13 && op != 15 {
		n = g.a32Src()
	}
	m := g.a32Src()
	typ, amt := g.r.intn(4), g.shiftAmt()
	enc := g.c() | op<<21 | s<<20 | uint32(n)<<16 | uint32(rd)<<12 | uint32(amt)<<7 | uint32(typ)<<5 | uint32(m)
	var text string
	switch {
	case cmp:
		text = fmt.Sprintf("%s %s, %s%s", g.mn(dpNames[op], false), rn(n), rn(m), shiftText(typ, amt))
	case op == 13:
		text = movShiftText(g.mn, s == 1, rd, m, typ, amt)
	case op == 15:
		text = fmt.Sprintf("%s %s, %s%s", g.mn("mvn", s == 1), rn(rd), rn(m), shiftText(typ, amt))
	default:
		text = fmt.Sprintf("%s %s, %s, %s%s", g.mn(dpNames[op], s == 1), rn(rd), rn(n), rn(m), shiftText(typ, amt))
	}
	g.emit("a32 dp reg", enc, 4, text)
	if !cmp {
		g.wr(rd)
	}
	return true
}

func a32DPRegShiftReg(g *gen) bool {
	op := uint32(g.r.intn(16))
	s := g.r.bit()
	cmp := op >= 8 && op <= 11
	var rd, n int
	if cmp {
		s = 1
	} else {
		rd = g.reg()
	}
	if op != 13 && op != 15 {
		n = g.reg()
	}
	m, rs := g.reg(), g.reg()
	typ := g.r.intn(4)
	enc := g.c() | op<<21 | s<<20 | uint32(n)<<16 | uint32(rd)<<12 | uint32(rs)<<8 | uint32(typ)<<5 | 1<<4 | uint32(m)
	sh := fmt.Sprintf(", %s %s", shiftNames[typ], rn(rs))
	var text string
	switch {
	case cmp:
		text = fmt.Sprintf("%s %s, %s%s", g.mn(dpNames[op], false), rn(n), rn(m), sh)
	case op == 13:
		text = fmt.Sprintf("%s %s, %s, %s", g.mn(shiftNames[typ], s == 1), rn(rd), rn(m), rn(rs))
	case op == 15:
		text = fmt.Sprintf("%s %s, %s%s", g.mn("mvn", s == 1), rn(rd), rn(m), sh)
	default:
		text = fmt.Sprintf("%s %s, %s, %s%s", g.mn(dpNames[op], s == 1), rn(rd), rn(n), rn(m), sh)
	}
	g.emit("a32 dp reg-shifted-reg", enc, 4, text)
	if !cmp {
		g.wr(rd)
	}
	return true
}

func a32MovWT(g *gen) bool {
	rd, v := g.reg(), g.imm16()
	op, name := uint32(0x03000000), "movw"
	if g.r.pct(50) {
		op, name = 0x03400000, "movt"
	}
	g.emit("a32 movw/movt", g.c()|op|v>>12<<16|uint32(rd)<<12|v&0xfff, 4,
		fmt.Sprintf("%s %s, #%d", g.mn(name, false), rn(rd), v))
	g.wr(rd)
	return true
}

func a32Mul(g *gen) bool {
	rd, n, m, ra := g.reg(), g.reg(), g.reg(), g.reg()
	s := g.r.bit()
	switch g.r.intn(3) {
	case 0:
		g.emit("a32 mul", g.c()|s<<20|uint32(rd)<<16|uint32(m)<<8|0x90|uint32(n), 4,
			fmt.Sprintf("%s %s, %s, %s", g.mn("mul", s == 1), rn(rd), rn(n), rn(m)))
	case 1:
		g.emit("a32 mul", g.c()|1<<21|s<<20|uint32(rd)<<16|uint32(ra)<<12|uint32(m)<<8|0x90|uint32(n), 4,
			fmt.Sprintf("%s %s, %s, %s, %s", g.mn("mla", s == 1), rn(rd), rn(n), rn(m), rn(ra)))
	default:
		g.emit("a32 mul", g.c()|0x00600090|uint32(rd)<<16|uint32(ra)<<12|uint32(m)<<8|uint32(n), 4,
			fmt.Sprintf("%s %s, %s, %s, %s", g.mn("mls", false), rn(rd), rn(n), rn(m), rn(ra)))
	}
	g.wr(rd)
	return true
}

func a32MulLong(g *gen) bool {
	lo := g.reg()
	hi := g.regNot(mask(lo)) // RdHi == RdLo is UNPREDICTABLE
	n, m := g.reg(), g.reg()
	ops := []struct {
		op   uint32
		name string
		s    bool
	}{{2, "umaal", false}, {4, "umull", true}, {5, "umlal", true}, {6, "smull", true}, {7, "smlal", true}}
	o := ops[g.r.intn(len(ops))]
	var s uint32
	if o.s {
		s = g.r.bit()
	}
	g.emit("a32 mul long", g.c()|o.op<<21|s<<20|uint32(hi)<<16|uint32(lo)<<12|uint32(m)<<8|0x90|uint32(n), 4,
		fmt.Sprintf("%s %s, %s, %s, %s", g.mn(o.name, s == 1), rn(lo), rn(hi), rn(n), rn(m)))
	g.wr(lo)
	g.wr(hi)
	return true
}

var bt = [2]string{"b", "t"}

func a32MulHalf(g *gen) bool {
	rd, n, m, ra := g.reg(), g.reg(), g.reg(), g.reg()
	x, y := g.r.bit(), g.r.bit() // x selects Rn's half (N bit), y Rm's (M bit)
	switch g.r.intn(5) {
	case 0:
		g.emit("a32 mul halfword", g.c()|0x01000080|uint32(rd)<<16|uint32(ra)<<12|uint32(m)<<8|y<<6|x<<5|uint32(n), 4,
			fmt.Sprintf("%s %s, %s, %s, %s", g.mn("smla"+bt[x]+bt[y], false), rn(rd), rn(n), rn(m), rn(ra)))
	case 1:
		g.emit("a32 mul halfword", g.c()|0x01200080|uint32(rd)<<16|uint32(ra)<<12|uint32(m)<<8|y<<6|uint32(n), 4,
			fmt.Sprintf("%s %s, %s, %s, %s", g.mn("smlaw"+bt[y], false), rn(rd), rn(n), rn(m), rn(ra)))
	case 2:
		g.emit("a32 mul halfword", g.c()|0x012000a0|uint32(rd)<<16|uint32(m)<<8|y<<6|uint32(n), 4,
			fmt.Sprintf("%s %s, %s, %s", g.mn("smulw"+bt[y], false), rn(rd), rn(n), rn(m)))
	case 3:
		hi := g.regNot(mask(rd))
		g.emit("a32 mul halfword", g.c()|0x01400080|uint32(hi)<<16|uint32(rd)<<12|uint32(m)<<8|y<<6|x<<5|uint32(n), 4,
			fmt.Sprintf("%s %s, %s, %s, %s", g.mn("smlal"+bt[x]+bt[y], false), rn(rd), rn(hi), rn(n), rn(m)))
		g.wr(hi)
	default:
		g.emit("a32 mul halfword", g.c()|0x01600080|uint32(rd)<<16|uint32(m)<<8|y<<6|x<<5|uint32(n), 4,
			fmt.Sprintf("%s %s, %s, %s", g.mn("smul"+bt[x]+bt[y], false), rn(rd), rn(n), rn(m)))
	}
	g.wr(rd)
	return true
}

var qNames = [4]string{"qadd", "qsub", "qdadd", "qdsub"}

func a32SatArith(g *gen) bool {
	rd, n, m := g.reg(), g.reg(), g.reg()
	op := uint32(g.r.intn(4))
	g.emit("a32 saturating add/sub", g.c()|0x01000050|op<<21|uint32(n)<<16|uint32(rd)<<12|uint32(m), 4,
		fmt.Sprintf("%s %s, %s, %s", g.mn(qNames[op], false), rn(rd), rn(m), rn(n)))
	g.wr(rd)
	return true
}

func a32Bits(g *gen) bool {
	rd, m := g.reg(), g.reg()
	ops := []struct {
		enc  uint32
		name string
	}{{0x016f0f10, "clz"}, {0x06bf0f30, "rev"}, {0x06bf0fb0, "rev16"}, {0x06ff0f30, "rbit"}, {0x06ff0fb0, "revsh"}}
	o := ops[g.r.intn(len(ops))]
	g.emit("a32 clz/rbit/rev", g.c()|o.enc|uint32(rd)<<12|uint32(m), 4,
		fmt.Sprintf("%s %s, %s", g.mn(o.name, false), rn(rd), rn(m)))
	g.wr(rd)
	return true
}

// psrMasks are the APSR_<bits> masks of MSR (mask field bits 19:18).
var psrMasks = []struct {
	mask uint32
	name string
}{{8, "APSR_nzcvq"}, {4, "APSR_g"}, {12, "APSR_nzcvqg"}}

func a32StatusReg(g *gen) bool {
	switch g.r.intn(3) {
	case 0:
		rd := g.reg()
		g.emit("a32 mrs/msr", g.c()|0x010f0000|uint32(rd)<<12, 4, fmt.Sprintf("%s %s, APSR", g.mn("mrs", false), rn(rd)))
		g.wr(rd)
	case 1:
		// MSR (register): the source must hold a value with bits 26:20 clear,
		// so it is set up just before.
		if g.noSetup {
			return false
		}
		pm := psrMasks[g.r.intn(3)]
		v := g.r.psrValue()
		n := g.reg()
		g.setup(n, v)
		g.emit("a32 mrs/msr", g.c()|0x0120f000|pm.mask<<16|uint32(n), 4, fmt.Sprintf("%s %s, %s", g.mn("msr", false), pm.name, rn(n)))
	default:
		pm := psrMasks[g.r.intn(3)]
		for {
			rot, imm8 := uint32(g.r.intn(16)), uint32(g.r.intn(256))
			if v := ror32(imm8, int(2*rot)); v&0x07f00000 == 0 && v&0xf80f0000 != 0 || imm8 == 0 {
				g.emit("a32 mrs/msr", g.c()|0x0320f000|pm.mask<<16|rot<<8|imm8, 4,
					fmt.Sprintf("%s %s, %s", g.mn("msr", false), pm.name, imm(v)))
				break
			}
		}
	}
	return true
}

func a32Saturate(g *gen) bool {
	rd, n := g.reg(), g.reg()
	switch g.r.intn(4) {
	case 0, 1:
		unsigned := g.r.intn(2) == 1
		sat := uint32(g.r.intn(32))
		sh, amt := g.r.bit(), uint32(g.shiftAmt())
		base, name, to := uint32(0x06a00010), "ssat", sat+1
		if unsigned {
			base, name, to = 0x06e00010, "usat", sat
		}
		shift := ""
		switch {
		case sh == 0 && amt != 0:
			shift = fmt.Sprintf(", lsl #%d", amt)
		case sh == 1 && amt == 0:
			shift = ", asr #32"
		case sh == 1:
			shift = fmt.Sprintf(", asr #%d", amt)
		}
		g.emit("a32 saturate", g.c()|base|sat<<16|uint32(rd)<<12|amt<<7|sh<<6|uint32(n), 4,
			fmt.Sprintf("%s %s, #%d, %s%s", g.mn(name, false), rn(rd), to, rn(n), shift))
	case 2:
		sat := uint32(g.r.intn(16))
		g.emit("a32 saturate", g.c()|0x06a00f30|sat<<16|uint32(rd)<<12|uint32(n), 4,
			fmt.Sprintf("%s %s, #%d, %s", g.mn("ssat16", false), rn(rd), sat+1, rn(n)))
	default:
		sat := uint32(g.r.intn(16))
		g.emit("a32 saturate", g.c()|0x06e00f30|sat<<16|uint32(rd)<<12|uint32(n), 4,
			fmt.Sprintf("%s %s, #%d, %s", g.mn("usat16", false), rn(rd), sat, rn(n)))
	}
	g.wr(rd)
	return true
}

// Parallel add/subtract: prefixes by op1 and operations by op2 (A5.4.1/A5.4.2).
var parPrefixA32 = map[uint32]string{1: "s", 2: "q", 3: "sh", 5: "u", 6: "uq", 7: "uh"}
var parOpsA32 = map[uint32]string{0: "add16", 1: "asx", 2: "sax", 3: "sub16", 4: "add8", 7: "sub8"}

func a32Parallel(g *gen) bool {
	rd, n, m := g.reg(), g.reg(), g.reg()
	op1 := []uint32{1, 2, 3, 5, 6, 7}[g.r.intn(6)]
	op2 := []uint32{0, 1, 2, 3, 4, 7}[g.r.intn(6)]
	g.emit("a32 parallel add/sub", g.c()|0x06000f10|op1<<20|uint32(n)<<16|uint32(rd)<<12|op2<<5|uint32(m), 4,
		fmt.Sprintf("%s %s, %s, %s", g.mn(parPrefixA32[op1]+parOpsA32[op2], false), rn(rd), rn(n), rn(m)))
	g.wr(rd)
	return true
}

var extNamesA32 = map[uint32][2]string{0: {"sxtab16", "sxtb16"}, 2: {"sxtab", "sxtb"}, 3: {"sxtah", "sxth"},
	4: {"uxtab16", "uxtb16"}, 6: {"uxtab", "uxtb"}, 7: {"uxtah", "uxth"}}

func rotText(rot uint32) string {
	if rot == 0 {
		return ""
	}
	return fmt.Sprintf(", ror #%d", 8*rot)
}

func a32Pack(g *gen) bool {
	rd, n, m := g.reg(), g.reg(), g.reg()
	switch g.r.intn(5) {
	case 0, 1:
		tb, amt := g.r.bit(), uint32(g.shiftAmt())
		name, sh := "pkhbt", ""
		if tb == 1 {
			name = "pkhtb"
			sh = ", asr #32"
			if amt != 0 {
				sh = fmt.Sprintf(", asr #%d", amt)
			}
		} else if amt != 0 {
			sh = fmt.Sprintf(", lsl #%d", amt)
		}
		g.emit("a32 pack/extend/sel", g.c()|0x06800010|uint32(n)<<16|uint32(rd)<<12|amt<<7|tb<<6|uint32(m), 4,
			fmt.Sprintf("%s %s, %s, %s%s", g.mn(name, false), rn(rd), rn(n), rn(m), sh))
	case 2:
		g.emit("a32 pack/extend/sel", g.c()|0x06800fb0|uint32(n)<<16|uint32(rd)<<12|uint32(m), 4,
			fmt.Sprintf("%s %s, %s, %s", g.mn("sel", false), rn(rd), rn(n), rn(m)))
	default:
		op := []uint32{0, 2, 3, 4, 6, 7}[g.r.intn(6)]
		rot := uint32(g.r.intn(4))
		names := extNamesA32[op]
		if g.r.pct(40) {
			g.emit("a32 pack/extend/sel", g.c()|0x068f0070|op<<20|uint32(rd)<<12|rot<<10|uint32(m), 4,
				fmt.Sprintf("%s %s, %s%s", g.mn(names[1], false), rn(rd), rn(m), rotText(rot)))
		} else {
			g.emit("a32 pack/extend/sel", g.c()|0x06800070|op<<20|uint32(n)<<16|uint32(rd)<<12|rot<<10|uint32(m), 4,
				fmt.Sprintf("%s %s, %s, %s%s", g.mn(names[0], false), rn(rd), rn(n), rn(m), rotText(rot)))
		}
	}
	g.wr(rd)
	return true
}

var xSuffix = [2]string{"", "x"}
var rSuffix = [2]string{"", "r"}

func a32MediaMul(g *gen) bool {
	rd, n, m, ra := g.reg(), g.reg(), g.reg(), g.reg()
	x := g.r.bit()
	acc := g.r.pct(60)
	c := g.c()
	switch g.r.intn(6) {
	case 0, 1: // SMLAD/SMUAD, SMLSD/SMUSD
		sub := g.r.bit()
		base, an, nn := c|0x07000010|sub<<6, "smlad", "smuad"
		if sub == 1 {
			an, nn = "smlsd", "smusd"
		}
		if acc {
			g.emit("a32 media mul", base|uint32(rd)<<16|uint32(ra)<<12|uint32(m)<<8|x<<5|uint32(n), 4,
				fmt.Sprintf("%s %s, %s, %s, %s", g.mn(an+xSuffix[x], false), rn(rd), rn(n), rn(m), rn(ra)))
		} else {
			g.emit("a32 media mul", base|uint32(rd)<<16|0xf<<12|uint32(m)<<8|x<<5|uint32(n), 4,
				fmt.Sprintf("%s %s, %s, %s", g.mn(nn+xSuffix[x], false), rn(rd), rn(n), rn(m)))
		}
	case 2: // SMLALD, SMLSLD
		sub := g.r.bit()
		hi := g.regNot(mask(rd))
		name := []string{"smlald", "smlsld"}[sub]
		g.emit("a32 media mul", c|0x07400010|sub<<6|uint32(hi)<<16|uint32(rd)<<12|uint32(m)<<8|x<<5|uint32(n), 4,
			fmt.Sprintf("%s %s, %s, %s, %s", g.mn(name+xSuffix[x], false), rn(rd), rn(hi), rn(n), rn(m)))
		g.wr(hi)
	case 3: // SMMLA/SMMUL/SMMLS
		switch g.r.intn(3) {
		case 0:
			g.emit("a32 media mul", c|0x0750f010|uint32(rd)<<16|uint32(m)<<8|x<<5|uint32(n), 4,
				fmt.Sprintf("%s %s, %s, %s", g.mn("smmul"+rSuffix[x], false), rn(rd), rn(n), rn(m)))
		case 1:
			g.emit("a32 media mul", c|0x07500010|uint32(rd)<<16|uint32(ra)<<12|uint32(m)<<8|x<<5|uint32(n), 4,
				fmt.Sprintf("%s %s, %s, %s, %s", g.mn("smmla"+rSuffix[x], false), rn(rd), rn(n), rn(m), rn(ra)))
		default:
			g.emit("a32 media mul", c|0x075000d0|uint32(rd)<<16|uint32(ra)<<12|uint32(m)<<8|x<<5|uint32(n), 4,
				fmt.Sprintf("%s %s, %s, %s, %s", g.mn("smmls"+rSuffix[x], false), rn(rd), rn(n), rn(m), rn(ra)))
		}
	case 4: // SDIV/UDIV
		u := g.r.bit()
		g.emit("a32 divide", c|0x0710f010|u<<21|uint32(rd)<<16|uint32(m)<<8|uint32(n), 4,
			fmt.Sprintf("%s %s, %s, %s", g.mn([]string{"sdiv", "udiv"}[u], false), rn(rd), rn(n), rn(m)))
	default: // USAD8/USADA8
		if acc {
			g.emit("a32 media mul", c|0x07800010|uint32(rd)<<16|uint32(ra)<<12|uint32(m)<<8|uint32(n), 4,
				fmt.Sprintf("%s %s, %s, %s, %s", g.mn("usada8", false), rn(rd), rn(n), rn(m), rn(ra)))
		} else {
			g.emit("a32 media mul", c|0x0780f010|uint32(rd)<<16|uint32(m)<<8|uint32(n), 4,
				fmt.Sprintf("%s %s, %s, %s", g.mn("usad8", false), rn(rd), rn(n), rn(m)))
		}
	}
	g.wr(rd)
	return true
}

// bitfield returns lsb and width with lsb+width <= 32.
func (g *gen) bitfield() (lsb, width uint32) {
	lsb = uint32(g.r.intn(32))
	width = 1 + uint32(g.r.intn(int(32-lsb)))
	if g.r.pct(20) {
		lsb, width = 0, 32
	}
	return
}

func a32Bitfield(g *gen) bool {
	rd, n := g.reg(), g.reg()
	lsb, w := g.bitfield()
	switch g.r.intn(4) {
	case 0:
		g.emit("a32 bitfield", g.c()|0x07a00050|(w-1)<<16|uint32(rd)<<12|lsb<<7|uint32(n), 4,
			fmt.Sprintf("%s %s, %s, #%d, #%d", g.mn("sbfx", false), rn(rd), rn(n), lsb, w))
	case 1:
		g.emit("a32 bitfield", g.c()|0x07e00050|(w-1)<<16|uint32(rd)<<12|lsb<<7|uint32(n), 4,
			fmt.Sprintf("%s %s, %s, #%d, #%d", g.mn("ubfx", false), rn(rd), rn(n), lsb, w))
	case 2:
		g.emit("a32 bitfield", g.c()|0x07c00010|(lsb+w-1)<<16|uint32(rd)<<12|lsb<<7|uint32(n), 4,
			fmt.Sprintf("%s %s, %s, #%d, #%d", g.mn("bfi", false), rn(rd), rn(n), lsb, w))
	default:
		g.emit("a32 bitfield", g.c()|0x07c0001f|(lsb+w-1)<<16|uint32(rd)<<12|lsb<<7, 4,
			fmt.Sprintf("%s %s, #%d, #%d", g.mn("bfc", false), rn(rd), lsb, w))
	}
	g.wr(rd)
	return true
}

// a32LdStWordByte: LDR/STR/LDRB/STRB and the unprivileged LDRT/STRT/LDRBT/STRBT,
// immediate and (shifted) register offsets, offset/pre/post-indexed.
func a32LdStWordByte(g *gen) bool {
	load := g.r.pct(55)
	b := uint32(0)
	size := 4
	if g.r.pct(40) {
		b, size = 1, 1
	}
	mode := []int{modeOffset, modeOffset, modeOffset, modePre, modePre, modePost, modePost, modeUnpriv}[g.r.intn(8)]
	wback := mode != modeOffset
	regForm := g.r.pct(35)
	rt := g.reg()
	var excl uint16
	if wback {
		excl = mask(rt) // writeback with n == t is UNPREDICTABLE
	}
	var off int
	n, ok := g.memBase(excl, false, func(n int, v uint32) bool {
		offs := offsets(v, size, size, mode == modePost || mode == modeUnpriv, -255, 255, 1)
		if len(offs) == 0 {
			return false
		}
		off = g.pickOff(offs)
		return true
	})
	if !ok {
		return false
	}
	p, w := uint32(1), uint32(0)
	switch mode {
	case modePre:
		w = 1
	case modePost:
		p = 0
	case modeUnpriv:
		p, w = 0, 1
	}
	u, mag := absU(off)
	l := uint32(0)
	name := "str"
	if load {
		l, name = 1, "ldr"
	}
	if b == 1 {
		name += "b"
	}
	textMode := mode
	if mode == modeUnpriv {
		name += "t"
		textMode = modePost
	}
	base := g.c() | 0x04000000 | p<<24 | u<<23 | b<<22 | w<<21 | l<<20 | uint32(n)<<16 | uint32(rt)<<12
	if regForm {
		typ, amt, mv := g.regOffset(uint32(mag), 4)
		// Index == Rt is allowed by the ARM ARM for most of these, but
		// binutils calls several such forms UNPREDICTABLE; avoid it everywhere.
		mexcl := mask(n, rt)
		m, ok := g.index(mexcl, false, mv)
		if !ok {
			return false
		}
		g.emit("a32 ldr/str word/byte", base|1<<25|uint32(amt)<<7|uint32(typ)<<5|uint32(m), 4,
			fmt.Sprintf("%s %s, %s", g.mn(name, false), rn(rt), addrRegText(n, u, m, shiftText(typ, amt), textMode)))
	} else {
		g.emit("a32 ldr/str word/byte", base|uint32(mag), 4,
			fmt.Sprintf("%s %s, %s", g.mn(name, false), rn(rt), addrText(n, u, mag, textMode)))
	}
	if load {
		g.wr(rt)
	}
	if wback {
		g.wrKnown(n, g.val[n]+uint32(off))
	}
	return true
}

// a32LdStExtra: LDRH/STRH/LDRSB/LDRSH/LDRD/STRD and LDRHT/STRHT/LDRSBT/LDRSHT.
func a32LdStExtra(g *gen) bool {
	kinds := []struct {
		name string
		l    uint32
		op2  uint32
		size int
		dual bool
	}{{"strh", 0, 1, 2, false}, {"ldrh", 1, 1, 2, false}, {"ldrsb", 1, 2, 1, false},
		{"ldrsh", 1, 3, 2, false}, {"ldrd", 0, 2, 8, true}, {"strd", 0, 3, 8, true}}
	k := kinds[g.r.intn(len(kinds))]
	load := k.l == 1 || k.name == "ldrd"
	mode := []int{modeOffset, modeOffset, modePre, modePost, modeUnpriv}[g.r.intn(5)]
	if k.dual && mode == modeUnpriv {
		mode = modeOffset // P=0 W=1 is UNPREDICTABLE for LDRD/STRD
	}
	wback := mode != modeOffset
	regForm := g.r.pct(35)
	var rt, rt2 int
	var excl uint16 // registers the base must avoid (writeback with n == t or t2 is UNPREDICTABLE)
	if k.dual {
		if load {
			rt = 2 * g.r.intn(6) // r0..r10: Rt2 = Rt+1 must not be SP or PC
		} else {
			rt = 2 * g.r.intn(7) // STRD may store r12 and SP
		}
		rt2 = rt + 1
		if wback {
			excl = mask(rt, rt2)
		}
	} else {
		rt = g.reg()
		if wback {
			excl = mask(rt)
		}
	}
	align := k.size
	if k.dual {
		align = 4
	}
	var off int
	n, ok := g.memBase(excl, false, func(n int, v uint32) bool {
		offs := offsets(v, k.size, align, mode == modePost || mode == modeUnpriv, -255, 255, 1)
		if len(offs) == 0 {
			return false
		}
		off = g.pickOff(offs)
		return true
	})
	if !ok {
		return false
	}
	p, w := uint32(1), uint32(0)
	switch mode {
	case modePre:
		w = 1
	case modePost:
		p = 0
	case modeUnpriv:
		p, w = 0, 1
	}
	u, mag := absU(off)
	name := k.name
	textMode := mode
	if mode == modeUnpriv {
		name += "t"
		textMode = modePost
	}
	regs := rn(rt)
	if k.dual {
		regs = rn(rt) + ", " + rn(rt2)
	}
	base := g.c() | 0x90 | p<<24 | u<<23 | w<<21 | k.l<<20 | uint32(n)<<16 | uint32(rt)<<12 | k.op2<<5
	if regForm {
		mexcl := mask(n, rt) // see a32LdStWordByte
		if k.dual {
			mexcl |= mask(rt2) // LDRD: Rm == Rt or Rt2 is UNPREDICTABLE
		}
		m, ok := g.index(mexcl, false, uint32(mag))
		if !ok {
			return false
		}
		g.emit("a32 ldr/str half/dual/signed", base|uint32(m), 4,
			fmt.Sprintf("%s %s, %s", g.mn(name, false), regs, addrRegText(n, u, m, "", textMode)))
	} else {
		g.emit("a32 ldr/str half/dual/signed", base|1<<22|uint32(mag)>>4<<8|uint32(mag)&15, 4,
			fmt.Sprintf("%s %s, %s", g.mn(name, false), regs, addrText(n, u, mag, textMode)))
	}
	if load {
		g.wr(rt)
		if k.dual {
			g.wr(rt2)
		}
	}
	if wback {
		g.wrKnown(n, g.val[n]+uint32(off))
	}
	return true
}

var ldmModes = map[[2]uint32]string{{0, 1}: "ia", {1, 1}: "ib", {0, 0}: "da", {1, 0}: "db"}

func a32LdmStm(g *gen) bool {
	load := g.r.pct(50)
	p, u := g.r.bit(), g.r.bit()
	w := g.r.bit()
	var list uint16
	var wb uint32
	n, ok := g.memBase(0, false, func(n int, v uint32) bool {
		var excl uint16
		if w == 1 {
			excl = mask(n) // with writeback the base must not be in the list
		}
		list = g.randList(dataRegs, 1, 6, excl)
		lowest, nb := ldmAddrs(v, p, u, popcount(list))
		wb = nb
		return inScratch(lowest, 4*popcount(list)) && lowest%4 == 0
	})
	if !ok {
		return false
	}
	l, name := uint32(0), "stm"
	if load {
		l, name = 1, "ldm"
	}
	mode := ldmModes[[2]uint32{p, u}]
	if mode == "ia" {
		mode = ""
	}
	bang := ""
	if w == 1 {
		bang = "!"
	}
	g.emit("a32 ldm/stm", g.c()|0x08000000|p<<24|u<<23|w<<21|l<<20|uint32(n)<<16|uint32(list), 4,
		fmt.Sprintf("%s %s%s, %s", g.mn(name+mode, false), rn(n), bang, regList(list)))
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

// a32Literal: PC-relative loads of every size. They read the image itself.
func a32Literal(g *gen) bool {
	kinds := []struct {
		name string
		size int
	}{{"ldr", 4}, {"ldrb", 1}, {"ldrh", 2}, {"ldrsb", 1}, {"ldrsh", 2}, {"ldrd", 8}}
	k := kinds[g.r.intn(len(kinds))]
	align := k.size
	if align == 8 {
		align = 4
	}
	mag := align * g.r.intn(literalReach/align+1)
	u := g.r.bit()
	var rt int
	var enc uint32
	regs := ""
	switch k.name {
	case "ldr", "ldrb":
		rt = g.reg()
		b := uint32(0)
		if k.size == 1 {
			b = 1
		}
		enc = g.c() | 0x051f0000 | u<<23 | b<<22 | uint32(rt)<<12 | uint32(mag)
		regs = rn(rt)
	case "ldrd":
		rt = 2 * g.r.intn(6)
		enc = g.c() | 0x014f00d0 | u<<23 | uint32(rt)<<12 | uint32(mag)>>4<<8 | uint32(mag)&15
		regs = rn(rt) + ", " + rn(rt+1)
		g.wr(rt + 1)
	default:
		rt = g.reg()
		op2 := map[string]uint32{"ldrh": 0xb0, "ldrsb": 0xd0, "ldrsh": 0xf0}[k.name]
		enc = g.c() | 0x015f0000 | op2 | u<<23 | uint32(rt)<<12 | uint32(mag)>>4<<8 | uint32(mag)&15
		regs = rn(rt)
	}
	g.emit("a32 literal load", enc, 4, fmt.Sprintf("%s %s, %s", g.mn(k.name, false), regs, addrText(rPC, u, mag, modeOffset)))
	g.wr(rt)
	return true
}

func a32Nop(g *gen) bool {
	g.emit("a32 nop", g.c()|0x0320f000, 4, g.mn("nop", false))
	return true
}

// a32Branch: a forward B or BL over 0-3 instructions, usually conditional.
func a32Branch(g *gen) bool {
	if g.region != nil {
		return false
	}
	if g.cond == al && g.r.pct(70) {
		g.cond = g.r.intn(14)
		g.certain = false
	}
	cond := g.cond
	link := g.r.bit()
	idx := len(g.code)
	g.emit("a32 branch", 0, 4, "")
	var written uint16
	g.region = &written
	k := g.r.intn(4)
	for i := 0; i < k; i++ {
		a32One(g, false)
	}
	g.region = nil
	for r := 0; r < 16; r++ {
		if written&(1<<r) != 0 {
			g.known[r] = false
		}
	}
	skip := g.bytesFrom(idx + 1)
	imm24 := uint32((skip-4)/4) & 0xffffff
	name := []string{"b", "bl"}[link]
	g.code[idx].enc = uint32(cond)<<28 | 0x0a000000 | link<<24 | imm24
	g.code[idx].text = fmt.Sprintf("%s%s .+%d", name, condNames[cond], skip+4)
	if link == 1 {
		g.wr(rLR)
	}
	return true
}

// a32Forms is filled in by init: the branch form refers back to it.
var a32Forms []form

func init() {
	a32Forms = []form{
		{"dp imm", 10, a32DPImm, true},
		{"dp reg", 10, a32DPReg, true},
		{"dp rsr", 6, a32DPRegShiftReg, true},
		{"movw/movt", 2, a32MovWT, true},
		{"mul", 3, a32Mul, true},
		{"mul long", 3, a32MulLong, true},
		{"mul half", 3, a32MulHalf, true},
		{"qadd", 2, a32SatArith, true},
		{"bits", 3, a32Bits, true},
		{"psr", 2, a32StatusReg, true},
		{"sat", 3, a32Saturate, true},
		{"parallel", 4, a32Parallel, true},
		{"pack", 4, a32Pack, true},
		{"media mul", 5, a32MediaMul, true},
		{"bitfield", 3, a32Bitfield, true},
		{"ldst wb", 7, a32LdStWordByte, true},
		{"ldst extra", 6, a32LdStExtra, true},
		{"ldm", 3, a32LdmStm, true},
		{"literal", 1, a32Literal, true},
		{"nop", 1, a32Nop, true},
		{"branch", 2, a32Branch, false},
	}
}

// a32One generates one instruction (plus any setup it needs) with a random condition.
func a32One(g *gen, allowBranch bool) {
	for {
		g.cond, g.certain = al, true
		if g.r.pct(45) {
			g.cond = g.r.intn(14)
			g.certain = false
		}
		f := pickForm(g.r, a32Forms)
		if !f.plain && !allowBranch {
			continue
		}
		if f.fn(g) {
			return
		}
	}
}
