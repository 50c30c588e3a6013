package softfloat

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The golden files in testdata were recorded from QEMU (qemu-arm -cpu
// cortex-a15, and -cpu max for the ARMv8 instructions) by testdata/gen;
// see testdata/gen/Makefile. Each line is
//
//	<instruction> <fpscr> <operands...> <result> <cumulative flags>
//
// in hex, with the operands in the harness order n, m, d.

// goldenOp is how the test runs one recorded instruction.
type goldenOp struct {
	nin  int  // operands on the line
	neon bool // Advanced SIMD: StandardEnv instead of the FPSCR controls
	run  func(a, b, c uint64, e *Env) uint64
}

func f32op2(fn func(a, b uint32, e *Env) uint32) goldenOp {
	return goldenOp{nin: 2, run: func(a, b, _ uint64, e *Env) uint64 {
		return uint64(fn(uint32(a), uint32(b), e))
	}}
}

func f64op2(fn func(a, b uint64, e *Env) uint64) goldenOp {
	return goldenOp{nin: 2, run: func(a, b, _ uint64, e *Env) uint64 { return fn(a, b, e) }}
}

func f32op1(fn func(a uint32, e *Env) uint32) goldenOp {
	return goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 { return uint64(fn(uint32(a), e)) }}
}

func f64op1(fn func(a uint64, e *Env) uint64) goldenOp {
	return goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 { return fn(a, e) }}
}

func op3(fn func(a, b, c uint64, e *Env) uint64) goldenOp { return goldenOp{nin: 3, run: fn} }

func neonOp(o goldenOp) goldenOp {
	o.neon = true
	return o
}

func b2mask(b bool) uint64 {
	if b {
		return 0xffffffff
	}
	return 0
}

func goldenOps() map[string]goldenOp {
	m := map[string]goldenOp{
		"vadd.f32":  f32op2(Add32),
		"vsub.f32":  f32op2(Sub32),
		"vmul.f32":  f32op2(Mul32),
		"vnmul.f32": f32op2(func(a, b uint32, e *Env) uint32 { return Neg32(Mul32(a, b, e)) }),
		"vdiv.f32":  f32op2(Div32),
		"vsqrt.f32": f32op1(Sqrt32),
		"vadd.f64":  f64op2(Add64),
		"vsub.f64":  f64op2(Sub64),
		"vmul.f64":  f64op2(Mul64),
		"vnmul.f64": f64op2(func(a, b uint64, e *Env) uint64 { return Neg64(Mul64(a, b, e)) }),
		"vdiv.f64":  f64op2(Div64),
		"vsqrt.f64": f64op1(Sqrt64),

		"vmaxnm.f32": f32op2(MaxNum32),
		"vminnm.f32": f32op2(MinNum32),
		"vmaxnm.f64": f64op2(MaxNum64),
		"vminnm.f64": f64op2(MinNum64),

		"vneg.f32": f32op1(func(a uint32, _ *Env) uint32 { return Neg32(a) }),
		"vabs.f32": f32op1(func(a uint32, _ *Env) uint32 { return Abs32(a) }),
		"vneg.f64": f64op1(func(a uint64, _ *Env) uint64 { return Neg64(a) }),
		"vabs.f64": f64op1(func(a uint64, _ *Env) uint64 { return Abs64(a) }),

		"vcvt.f64.f32": {nin: 1, run: func(a, _, _ uint64, e *Env) uint64 { return F32ToF64(uint32(a), e) }},
		"vcvt.f32.f64": {nin: 1, run: func(a, _, _ uint64, e *Env) uint64 { return uint64(F64ToF32(a, e)) }},
		"vcvtb.f16.f32": {nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
			return uint64(F32ToF16(uint32(a), e))
		}},
		"vcvtt.f16.f32": {nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
			return uint64(F32ToF16(uint32(a), e)) << 16
		}},
		"vcvtb.f32.f16": {nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
			return uint64(F16ToF32(uint16(a), e))
		}},
		"vcvtt.f32.f16": {nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
			return uint64(F16ToF32(uint16(a>>16), e))
		}},
		"vcvtb.f16.f64": {nin: 1, run: func(a, _, _ uint64, e *Env) uint64 { return uint64(F64ToF16(a, e)) }},
		"vcvtb.f64.f16": {nin: 1, run: func(a, _, _ uint64, e *Env) uint64 { return F16ToF64(uint16(a), e) }},

		"neon:vadd.f32": neonOp(f32op2(Add32)),
		"neon:vsub.f32": neonOp(f32op2(Sub32)),
		"neon:vmul.f32": neonOp(f32op2(Mul32)),
		"neon:vabd.f32": neonOp(f32op2(func(a, b uint32, e *Env) uint32 { return Abs32(Sub32(a, b, e)) })),
		"neon:vmax.f32": neonOp(f32op2(Max32)),
		"neon:vmin.f32": neonOp(f32op2(Min32)),
		"neon:vceq.f32": neonOp(goldenOp{nin: 2, run: func(a, b, _ uint64, e *Env) uint64 {
			return b2mask(CompareEQ32(uint32(a), uint32(b), e))
		}}),
		"neon:vcge.f32": neonOp(goldenOp{nin: 2, run: func(a, b, _ uint64, e *Env) uint64 {
			return b2mask(CompareGE32(uint32(a), uint32(b), e))
		}}),
		"neon:vcgt.f32": neonOp(goldenOp{nin: 2, run: func(a, b, _ uint64, e *Env) uint64 {
			return b2mask(CompareGT32(uint32(a), uint32(b), e))
		}}),
		"neon:vacge.f32": neonOp(goldenOp{nin: 2, run: func(a, b, _ uint64, e *Env) uint64 {
			return b2mask(CompareGE32(Abs32(uint32(a)), Abs32(uint32(b)), e))
		}}),
		"neon:vacgt.f32": neonOp(goldenOp{nin: 2, run: func(a, b, _ uint64, e *Env) uint64 {
			return b2mask(CompareGT32(Abs32(uint32(a)), Abs32(uint32(b)), e))
		}}),
		"neon:vrecps.f32":  neonOp(f32op2(RecipStep32)),
		"neon:vrsqrts.f32": neonOp(f32op2(RSqrtStep32)),
		"neon:vrecpe.f32":  neonOp(f32op1(RecipEstimate32)),
		"neon:vrsqrte.f32": neonOp(f32op1(RSqrtEstimate32)),
		"neon:vrecpe.u32": neonOp(goldenOp{nin: 1, run: func(a, _, _ uint64, _ *Env) uint64 {
			return uint64(UnsignedRecipEstimate(uint32(a)))
		}}),
		"neon:vrsqrte.u32": neonOp(goldenOp{nin: 1, run: func(a, _, _ uint64, _ *Env) uint64 {
			return uint64(UnsignedRSqrtEstimate(uint32(a)))
		}}),
		"neon:vcvt.s32.f32": neonOp(goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
			return F32ToFixed(uint32(a), 32, 0, false, RoundZero, e) & 0xffffffff
		}}),
		"neon:vcvt.u32.f32": neonOp(goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
			return F32ToFixed(uint32(a), 32, 0, true, RoundZero, e)
		}}),
		"neon:vcvt.s32.f32#16": neonOp(goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
			return F32ToFixed(uint32(a), 32, 16, false, RoundZero, e) & 0xffffffff
		}}),
		"neon:vcvt.f32.s32": neonOp(goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
			return uint64(FixedToF32(a, 32, 0, false, RoundNearest, e))
		}}),
		"neon:vcvt.f32.u32": neonOp(goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
			return uint64(FixedToF32(a, 32, 0, true, RoundNearest, e))
		}}),
		"neon:vcvt.f32.u32#16": neonOp(goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
			return uint64(FixedToF32(a, 32, 16, true, RoundNearest, e))
		}}),
	}

	// The multiply-accumulates: operands n, m, d.
	type acc struct {
		name              string
		negProd, negAcc   bool // non-fused forms
		fused, negN, negD bool
	}
	for _, a := range []acc{
		{name: "vmla"}, {name: "vmls", negProd: true}, {name: "vnmla", negProd: true, negAcc: true},
		{name: "vnmls", negAcc: true}, {name: "vfma", fused: true}, {name: "vfms", fused: true, negN: true},
		{name: "vfnma", fused: true, negN: true, negD: true}, {name: "vfnms", fused: true, negD: true},
	} {
		m[a.name+".f32"] = op3(func(n, mm, d uint64, e *Env) uint64 {
			n32, m32, d32 := uint32(n), uint32(mm), uint32(d)
			if !a.fused {
				return uint64(MulAcc32(d32, n32, m32, a.negProd, a.negAcc, e))
			}
			if a.negN {
				n32 = Neg32(n32)
			}
			if a.negD {
				d32 = Neg32(d32)
			}
			return uint64(MulAdd32(d32, n32, m32, e))
		})
		m[a.name+".f64"] = op3(func(n, mm, d uint64, e *Env) uint64 {
			if !a.fused {
				return MulAcc64(d, n, mm, a.negProd, a.negAcc, e)
			}
			if a.negN {
				n = Neg64(n)
			}
			if a.negD {
				d = Neg64(d)
			}
			return MulAdd64(d, n, mm, e)
		})
	}
	m["neon:vmla.f32"] = neonOp(m["vmla.f32"])
	m["neon:vmls.f32"] = neonOp(m["vmls.f32"])
	m["neon:vfma.f32"] = neonOp(m["vfma.f32"])
	m["neon:vfms.f32"] = neonOp(m["vfms.f32"])

	// Compares.
	for _, sfx := range []string{"f32", "f64"} {
		for _, signal := range []bool{false, true} {
			name := "vcmp."
			if signal {
				name = "vcmpe."
			}
			m[name+sfx] = goldenOp{nin: 2, run: func(a, b, _ uint64, e *Env) uint64 {
				if sfx == "f32" {
					return uint64(Compare32(uint32(a), uint32(b), signal, e))
				}
				return uint64(Compare64(a, b, signal, e))
			}}
			m[name+sfx+"#0"] = goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
				if sfx == "f32" {
					return uint64(Compare32(uint32(a), 0, signal, e))
				}
				return uint64(Compare64(a, 0, signal, e))
			}}
		}
	}

	// Conversions to integer and fixed point, in both formats. Single
	// results are 32-bit registers; the double-precision fixed-point forms
	// write a whole 64-bit register.
	toFixed := func(sfx string, a uint64, size, fb int, unsigned bool, rm RoundingMode, e *Env) uint64 {
		if sfx == "f32" {
			return F32ToFixed(uint32(a), size, fb, unsigned, rm, e)
		}
		return F64ToFixed(a, size, fb, unsigned, rm, e)
	}
	fromFixed := func(sfx string, a uint64, size, fb int, unsigned bool, rm RoundingMode, e *Env) uint64 {
		if sfx == "f32" {
			return uint64(FixedToF32(a, size, fb, unsigned, rm, e))
		}
		return FixedToF64(a, size, fb, unsigned, rm, e)
	}
	for _, sfx := range []string{"f32", "f64"} {
		for _, unsigned := range []bool{false, true} {
			sg := "s"
			if unsigned {
				sg = "u"
			}
			m["vcvt."+sg+"32."+sfx] = goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
				return toFixed(sfx, a, 32, 0, unsigned, RoundZero, e) & 0xffffffff
			}}
			m["vcvtr."+sg+"32."+sfx] = goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
				return toFixed(sfx, a, 32, 0, unsigned, e.RMode, e) & 0xffffffff
			}}
			m["vcvt."+sfx+"."+sg+"32"] = goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
				return fromFixed(sfx, a, 32, 0, unsigned, e.RMode, e)
			}}
			for _, v8 := range []struct {
				c  string
				rm RoundingMode
			}{{"a", RoundTiesAway}, {"n", RoundNearest}, {"p", RoundPlusInf}, {"m", RoundMinusInf}} {
				m["vcvt"+v8.c+"."+sg+"32."+sfx] = goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
					return toFixed(sfx, a, 32, 0, unsigned, v8.rm, e) & 0xffffffff
				}}
			}
			for _, size := range []int{16, 32} {
				for fb := 0; fb <= size; fb++ {
					ty := sg + strconv.Itoa(size)
					suffix := "#" + strconv.Itoa(fb)
					m["vcvt."+ty+"."+sfx+suffix] = goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
						r := toFixed(sfx, a, size, fb, unsigned, RoundZero, e)
						if sfx == "f32" {
							r &= 0xffffffff
						}
						return r
					}}
					m["vcvt."+sfx+"."+ty+suffix] = goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
						// The fixed-point forms round to nearest.
						return fromFixed(sfx, a, size, fb, unsigned, RoundNearest, e)
					}}
				}
			}
		}
		for _, v8 := range []struct {
			c     string
			rm    RoundingMode
			fpscr bool // use the FPSCR rounding mode
			exact bool
		}{
			{c: "r", fpscr: true}, {c: "x", fpscr: true, exact: true}, {c: "z", rm: RoundZero},
			{c: "a", rm: RoundTiesAway}, {c: "n", rm: RoundNearest}, {c: "p", rm: RoundPlusInf},
			{c: "m", rm: RoundMinusInf},
		} {
			m["vrint"+v8.c+"."+sfx] = goldenOp{nin: 1, run: func(a, _, _ uint64, e *Env) uint64 {
				rm := v8.rm
				if v8.fpscr {
					rm = e.RMode
				}
				if sfx == "f32" {
					return uint64(RoundInt32(uint32(a), rm, v8.exact, e))
				}
				return RoundInt64(a, rm, v8.exact, e)
			}}
		}
	}
	return m
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden files in testdata")
	}
	ops := goldenOps()
	counts := map[string]int{}
	fails := map[string]int{}
	const maxReport = 5
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(zr)
		lineNo := 0
		for sc.Scan() {
			lineNo++
			text := sc.Text()
			if text == "" || text[0] == '#' {
				continue
			}
			fields := strings.Fields(text)
			where := fmt.Sprintf("%s:%d", filepath.Base(path), lineNo)
			o, ok := ops[fields[0]]
			if !ok {
				t.Fatalf("%s: no implementation for %q", where, fields[0])
			}
			if len(fields) != o.nin+4 {
				t.Fatalf("%s: %d fields, want %d: %q", where, len(fields), o.nin+4, text)
			}
			var v [8]uint64
			for i, s := range fields[1:] {
				if v[i], err = strconv.ParseUint(s, 16, 64); err != nil {
					t.Fatalf("%s: %v", where, err)
				}
			}
			fpscr := uint32(v[0])
			var args [3]uint64
			copy(args[:], v[1:1+o.nin])
			want, wantFlags := v[1+o.nin], uint32(v[2+o.nin])
			e := EnvFromFPSCR(fpscr)
			if o.neon {
				e = StandardEnv(fpscr)
			}
			got := o.run(args[0], args[1], args[2], &e)
			counts[fields[0]]++
			if got != want || e.Flags != wantFlags {
				fails[fields[0]]++
				if fails[fields[0]] <= maxReport {
					t.Errorf("%s: %s fpscr=%08x args=%x: got %x flags %02x, want %x flags %02x",
						where, fields[0], fpscr, args[:o.nin], got, e.Flags, want, wantFlags)
				}
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		f.Close()
	}
	var names []string
	total := 0
	for n, c := range counts {
		names = append(names, n)
		total += c
	}
	sort.Strings(names)
	for _, n := range names {
		if fails[n] > 0 {
			t.Errorf("%s: %d of %d vectors failed", n, fails[n], counts[n])
		}
	}
	t.Logf("%d vectors, %d instructions", total, len(names))
}
