package main

import "strconv"

const (
	a15 = "cortex-a15" // the modelled CPU: ARMv7 VFPv4 and Advanced SIMD
	max = "max"        // ARMv8 AArch32, for the ARMv8 instructions only
)

// buildOps lists every recorded instruction with its operand shapes.
func buildOps(g *gen) []*op {
	var ops []*op
	add := func(o *op) { ops = append(ops, o) }

	type fmtInfo struct {
		sfx        string
		p          fmtp
		small, big []uint64
		t, it      typ // value type; register type of an integer result/operand
		file       string
	}
	for _, fi := range []fmtInfo{
		{"f32", p32, small32, big32, tF32, tF32, "vfp32"},
		{"f64", p64, small64, big64, tF64, tF64, "vfp64"},
	} {
		p, small, big, t := fi.p, fi.small, fi.big, fi.t
		name := func(s string) string { return "v" + s + "." + fi.sfx }
		bin := func(s string, random int, gen func(*gen) [3]uint64) {
			add(&op{name: name(s), cpu: a15, file: fi.file, in: []typ{t, t}, out: t,
				modes: modesFull, specials: cross2(small), random: random, gen: gen})
		}
		bin("add", 3000, addPair(p, big))
		bin("sub", 3000, addPair(p, big))
		bin("mul", 3000, mulPair(p, big, false))
		bin("nmul", 500, mulPair(p, big, false))
		bin("div", 3000, mulPair(p, big, true))
		add(&op{name: name("sqrt"), cpu: a15, file: fi.file, in: []typ{t}, out: t,
			modes: modesFull, specials: singles(big), random: 3000,
			gen: func(g *gen) [3]uint64 {
				if g.n(3) == 0 {
					return [3]uint64{g.square(p)}
				}
				return [3]uint64{g.val(p, big)}
			}})
		for _, s := range []string{"fma", "fms", "fnma", "fnms", "mla", "mls", "nmla", "nmls"} {
			nt, random := 200, 600
			if s == "fma" {
				nt, random = 600, 3000
			}
			add(&op{name: name(s), cpu: a15, file: fi.file, in: []typ{t, t, t}, out: t,
				modes: modesFull, specials: triples(g, small, nt), random: random, gen: fmaTriple(p, big)})
		}
		for _, s := range []string{"cmp", "cmpe"} {
			add(&op{name: name(s), cpu: a15, file: fi.file, in: []typ{t, t}, out: tNZCV,
				modes: modesCmp, specials: cross2(small), random: 1500, gen: cmpPair(p, big)})
			add(&op{name: name(s) + "#0", cpu: a15, file: fi.file, in: []typ{t}, out: tNZCV,
				modes: modesCmp, specials: singles(big), random: 300, gen: one(p, big)})
		}
		for _, s := range []string{"neg", "abs"} {
			add(&op{name: name(s), cpu: a15, file: fi.file, in: []typ{t}, out: t,
				modes: modesCmp, specials: singles(big), random: 100, gen: one(p, big)})
		}

		// Conversions to and from integers and fixed point.
		for _, s := range []string{"vcvt.s32.", "vcvt.u32.", "vcvtr.s32.", "vcvtr.u32."} {
			add(&op{name: s + fi.sfx, cpu: a15, file: "cvt", in: []typ{t}, out: tI32,
				modes: modesFull, specials: singles(big), random: 1500,
				gen: func(g *gen) [3]uint64 { return [3]uint64{g.fixedVal(p, big, 32, 0)} }})
		}
		for _, s := range []string{"s32", "u32"} {
			add(&op{name: "vcvt." + fi.sfx + "." + s, cpu: a15, file: "cvt", in: []typ{tI32}, out: t,
				modes: modesFull, specials: singles(intEdges), random: 1000,
				gen: func(g *gen) [3]uint64 { return [3]uint64{g.intVal(32)} }})
		}
		for _, size := range []int{16, 32} {
			fbs := []int{1, 8, 16}
			if size == 32 {
				fbs = []int{1, 16, 32}
			}
			it := tI32
			if fi.t == tF64 {
				it = tI64
			}
			for _, fb := range fbs {
				for _, sg := range []string{"s", "u"} {
					ty := sg + strconv.Itoa(size)
					add(&op{name: "vcvt." + ty + "." + fi.sfx + "#" + strconv.Itoa(fb), cpu: a15, file: "cvt",
						in: []typ{t}, out: it, modes: modesCmp, specials: singles(big), random: 300,
						gen: func(g *gen) [3]uint64 { return [3]uint64{g.fixedVal(p, big, size, fb)} }})
					add(&op{name: "vcvt." + fi.sfx + "." + ty + "#" + strconv.Itoa(fb), cpu: a15, file: "cvt",
						in: []typ{it}, out: t, modes: modesFull, random: 200,
						gen: func(g *gen) [3]uint64 { return [3]uint64{g.intVal(size)} }})
				}
			}
		}

		// ARMv8 rounding to integral and conversions with explicit rounding.
		for _, s := range []string{"r", "z", "x", "a", "n", "p", "m"} {
			add(&op{name: "vrint" + s + "." + fi.sfx, cpu: max, file: "v8", in: []typ{t}, out: t,
				modes: modesFull, specials: singles(big), random: 800,
				gen: func(g *gen) [3]uint64 { return [3]uint64{g.fixedVal(p, big, int(p.f)+2, 0)} }})
		}
		for _, s := range []string{"a", "n", "p", "m"} {
			for _, sg := range []string{".s32.", ".u32."} {
				add(&op{name: "vcvt" + s + sg + fi.sfx, cpu: max, file: "v8", in: []typ{t}, out: tI32,
					modes: modesCmp, specials: singles(big), random: 600,
					gen: func(g *gen) [3]uint64 { return [3]uint64{g.fixedVal(p, big, 32, 0)} }})
			}
		}
		for _, s := range []string{"maxnm", "minnm"} {
			add(&op{name: name(s), cpu: max, file: "v8", in: []typ{t, t}, out: t,
				modes: modesCmp, specials: cross2(small), random: 600, gen: cmpPair(p, big)})
		}
	}

	// Conversions between floating-point formats.
	add(&op{name: "vcvt.f64.f32", cpu: a15, file: "cvt", in: []typ{tF32}, out: tF64,
		modes: modesFull, specials: singles(big32), random: 1000, gen: one(p32, big32)})
	add(&op{name: "vcvt.f32.f64", cpu: a15, file: "cvt", in: []typ{tF64}, out: tF32,
		modes: modesFull, specials: singles(big64), random: 3000,
		gen: func(g *gen) [3]uint64 {
			if g.bit() {
				return [3]uint64{g.val(p64, big64)}
			}
			return [3]uint64{g.build(p64, g.bit(), 1023+g.span(-152, 130), g.mant(52))}
		}})
	toHalf := func(p fmtp, big []uint64) func(g *gen) [3]uint64 {
		return func(g *gen) [3]uint64 {
			if g.n(3) == 0 {
				return [3]uint64{g.val(p, big)}
			}
			return [3]uint64{g.build(p, g.bit(), int(p.bias())+g.span(-27, 17), g.mant(p.f))}
		}
	}
	// Half-precision sources sit in the bottom (VCVTB) or top (VCVTT) half
	// of a register whose other half is garbage.
	fromHalf := func(top bool) func(g *gen) [3]uint64 {
		return func(g *gen) [3]uint64 {
			h := g.val(p16, big16)
			if g.n(8) == 0 {
				h = g.u64() & 0xffff
			}
			if top {
				return [3]uint64{h<<16 | g.u64()&0xffff}
			}
			return [3]uint64{h | g.u64()&0xffff0000}
		}
	}
	add(&op{name: "vcvtb.f16.f32", cpu: a15, file: "cvt", in: []typ{tF32}, out: tF16,
		modes: modesHalf, specials: singles(big32), random: 2500, gen: toHalf(p32, big32)})
	add(&op{name: "vcvtb.f32.f16", cpu: a15, file: "cvt", in: []typ{tF32}, out: tF32,
		modes: modesHalfIn, specials: singles(big16), random: 1500, gen: fromHalf(false)})
	add(&op{name: "vcvtt.f16.f32", cpu: a15, file: "cvt", in: []typ{tF32}, out: tF32,
		modes: modesHalf, random: 300, gen: toHalf(p32, big32)})
	add(&op{name: "vcvtt.f32.f16", cpu: a15, file: "cvt", in: []typ{tF32}, out: tF32,
		modes: modesHalfIn, random: 300, gen: fromHalf(true)})
	add(&op{name: "vcvtb.f16.f64", cpu: max, file: "v8", in: []typ{tF64}, out: tF16,
		modes: modesHalf, specials: singles(big64), random: 2500, gen: toHalf(p64, big64)})
	add(&op{name: "vcvtb.f64.f16", cpu: max, file: "v8", in: []typ{tF32}, out: tF64,
		modes: modesHalfIn, specials: singles(big16), random: 1000, gen: fromHalf(false)})

	// Advanced SIMD, single precision, with the standard FPSCR value.
	neon := func(s string, in []typ, out typ, specials [][3]uint64, random int, gen func(*gen) [3]uint64) {
		add(&op{name: "neon:" + s, cpu: a15, file: "neon", in: in, out: out,
			modes: modesNeon, specials: specials, random: random, gen: gen})
	}
	two, three := []typ{tF32, tF32}, []typ{tF32, tF32, tF32}
	neon("vadd.f32", two, tF32, cross2(small32), 1500, addPair(p32, big32))
	neon("vsub.f32", two, tF32, cross2(small32), 1500, addPair(p32, big32))
	neon("vabd.f32", two, tF32, cross2(small32), 800, addPair(p32, big32))
	neon("vmul.f32", two, tF32, cross2(small32), 1500, mulPair(p32, big32, false))
	for _, s := range []string{"vmla.f32", "vmls.f32", "vfma.f32", "vfms.f32"} {
		neon(s, three, tF32, triples(g, small32, 300), 1000, fmaTriple(p32, big32))
	}
	for _, s := range []string{"vmax.f32", "vmin.f32", "vceq.f32", "vcge.f32", "vcgt.f32", "vacge.f32", "vacgt.f32"} {
		neon(s, two, tF32, cross2(small32), 800, cmpPair(p32, big32))
	}
	step := func(c float64) func(g *gen) [3]uint64 {
		return func(g *gen) [3]uint64 {
			a := g.val(p32, big32)
			if g.n(3) == 0 {
				return [3]uint64{a, g.val(p32, big32)}
			}
			b := fromFloat(p32, c/toFloat(p32, a)) + uint64(g.span(-3, 3))
			return [3]uint64{a, b & 0xffffffff}
		}
	}
	neon("vrecps.f32", two, tF32, cross2(small32), 1000, step(2))
	neon("vrsqrts.f32", two, tF32, cross2(small32), 1000, step(3))
	neon("vrecpe.f32", []typ{tF32}, tF32, singles(big32), 2500, one(p32, big32))
	neon("vrsqrte.f32", []typ{tF32}, tF32, singles(big32), 2500, one(p32, big32))
	u32 := func(g *gen) [3]uint64 { return [3]uint64{g.u64() >> uint(32+g.n(3))} }
	neon("vrecpe.u32", []typ{tI32}, tI32, singles(intEdges), 1500, u32)
	neon("vrsqrte.u32", []typ{tI32}, tI32, singles(intEdges), 1500, u32)
	toInt := func(fb int) func(g *gen) [3]uint64 {
		return func(g *gen) [3]uint64 { return [3]uint64{g.fixedVal(p32, big32, 32, fb)} }
	}
	fromInt := func(g *gen) [3]uint64 { return [3]uint64{g.intVal(32)} }
	neon("vcvt.s32.f32", []typ{tF32}, tI32, singles(big32), 800, toInt(0))
	neon("vcvt.u32.f32", []typ{tF32}, tI32, singles(big32), 800, toInt(0))
	neon("vcvt.f32.s32", []typ{tI32}, tF32, singles(intEdges), 600, fromInt)
	neon("vcvt.f32.u32", []typ{tI32}, tF32, singles(intEdges), 600, fromInt)
	neon("vcvt.s32.f32#16", []typ{tF32}, tI32, singles(big32), 600, toInt(16))
	neon("vcvt.f32.u32#16", []typ{tI32}, tF32, singles(intEdges), 600, fromInt)
	return ops
}

var intEdges = []uint64{
	0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x80000001, 0x00ffffff, 0x01000000,
	0x01000001, 0x01000003, 0xfeffffff, 0x40000000, 0xc0000000, 0x0000ffff, 0x00008000,
	0x00007fff, 0xffff8000, 0x3fffffff,
}
