package softfloat

import (
	"math"
	"testing"
)

// The host's IEEE 754 arithmetic in round-to-nearest, without flush-to-zero
// or default NaN, is a second oracle for the rounding core. NaN results are
// only checked for being NaNs: the host's NaN propagation rules differ.

func check64(t *testing.T, op string, got uint64, want float64, args ...float64) {
	t.Helper()
	if math.IsNaN(want) {
		if !math.IsNaN(math.Float64frombits(got)) {
			t.Errorf("%s%v = %#016x, want NaN", op, args, got)
		}
		return
	}
	if w := math.Float64bits(want); got != w {
		t.Errorf("%s%v = %#016x (%g), want %#016x (%g)", op, args, got, math.Float64frombits(got), w, want)
	}
}

func check32(t *testing.T, op string, got uint32, want float32, args ...float32) {
	t.Helper()
	if want != want {
		if g := math.Float32frombits(got); g == g {
			t.Errorf("%s%v = %#08x, want NaN", op, args, got)
		}
		return
	}
	if w := math.Float32bits(want); got != w {
		t.Errorf("%s%v = %#08x (%g), want %#08x (%g)", op, args, got, math.Float32frombits(got), w, want)
	}
}

func seedFuzz64(f *testing.F) {
	for _, v := range [][3]uint64{
		{0, 0, 0},
		{0x3ff0000000000000, 0x3ca0000000000000, 0x8000000000000000},
		{0x0010000000000000, 0x800fffffffffffff, 0x0000000000000001},
		{0x7fefffffffffffff, 0x7fefffffffffffff, 0xffefffffffffffff},
		{0x3ff0000000000001, 0xbff0000000000000, 0x3cb0000000000000},
		{0x4000000000000000, 0x3fe0000000000000, 0x7ff0000000000000},
	} {
		f.Add(v[0], v[1], v[2])
	}
}

func FuzzArith64(f *testing.F) {
	seedFuzz64(f)
	f.Fuzz(func(t *testing.T, a, b, c uint64) {
		x, y, z := math.Float64frombits(a), math.Float64frombits(b), math.Float64frombits(c)
		if math.IsNaN(x) || math.IsNaN(y) || math.IsNaN(z) {
			return
		}
		var e Env
		check64(t, "Add64", Add64(a, b, &e), x+y, x, y)
		check64(t, "Sub64", Sub64(a, b, &e), x-y, x, y)
		check64(t, "Mul64", Mul64(a, b, &e), x*y, x, y)
		check64(t, "Div64", Div64(a, b, &e), x/y, x, y)
		check64(t, "Sqrt64", Sqrt64(a, &e), math.Sqrt(x), x)
		check64(t, "MulAdd64", MulAdd64(c, a, b, &e), math.FMA(x, y, z), z, x, y)
		check32(t, "F64ToF32", F64ToF32(a, &e), float32(x))
		if w := float64(float32(x)); !math.IsNaN(w) {
			if got := F32ToF64(math.Float32bits(float32(x)), &e); got != math.Float64bits(w) {
				t.Errorf("F32ToF64(%g) = %#x, want %#x", w, got, math.Float64bits(w))
			}
		}
		if x > -2147483649 && x < 2147483648 {
			got := uint32(F64ToFixed(a, 32, 0, false, RoundZero, &e))
			if want := uint32(int32(x)); got != want {
				t.Errorf("F64ToFixed(%g) = %d, want %d", x, int32(got), int32(want))
			}
		}
		got := FixedToF64(a, 64, 0, false, RoundNearest, &e)
		check64(t, "FixedToF64", got, float64(int64(a)), float64(int64(a)))
		got = FixedToF64(a, 64, 0, true, RoundNearest, &e)
		check64(t, "FixedToF64u", got, float64(a), float64(a))
	})
}

func FuzzArith32(f *testing.F) {
	f.Add(uint32(0x3f800000), uint32(0x33800000))
	f.Add(uint32(0x00800000), uint32(0x807fffff))
	f.Add(uint32(0x7f7fffff), uint32(0x7f7fffff))
	f.Add(uint32(0x3f800001), uint32(0xbf800000))
	f.Fuzz(func(t *testing.T, a, b uint32) {
		x, y := math.Float32frombits(a), math.Float32frombits(b)
		if x != x || y != y {
			return
		}
		var e Env
		check32(t, "Add32", Add32(a, b, &e), x+y, x, y)
		check32(t, "Sub32", Sub32(a, b, &e), x-y, x, y)
		check32(t, "Mul32", Mul32(a, b, &e), x*y, x, y)
		check32(t, "Div32", Div32(a, b, &e), x/y, x, y)
		// sqrt rounded to double and then to single is correctly rounded.
		check32(t, "Sqrt32", Sqrt32(a, &e), float32(math.Sqrt(float64(x))), x)
		check32(t, "FixedToF32", FixedToF32(uint64(a), 32, 0, false, RoundNearest, &e), float32(int32(a)))
		check32(t, "FixedToF32u", FixedToF32(uint64(a), 32, 0, true, RoundNearest, &e), float32(a))
	})
}

// TestArithRandom runs the fuzz bodies over a fixed pseudo-random sample so
// that a plain go test exercises them.
func TestArithRandom(t *testing.T) {
	var s uint64 = 0x9e3779b97f4a7c15
	next := func() uint64 {
		s ^= s << 13
		s ^= s >> 7
		s ^= s << 17
		return s
	}
	// Bias the exponents towards interesting ranges: near 1, near the
	// denormal boundary, near overflow, and fully random.
	shape := func() uint64 {
		v := next()
		switch next() % 4 {
		case 0:
			v = v&0x800fffffffffffff | (1023+next()%64-32)<<52
		case 1:
			v = v&0x800fffffffffffff | (next()%64)<<52
		case 2:
			v = v&0x800fffffffffffff | (2046-next()%64)<<52
		}
		return v
	}
	n := 100000
	if testing.Short() {
		n = 10000
	}
	for i := 0; i < n; i++ {
		a, b, c := shape(), shape(), shape()
		if i%2 == 0 {
			// Operands of close magnitude, to exercise cancellation.
			b = b&^(0x7ff<<52) | a&(0x7ff<<52)
		}
		x, y, z := math.Float64frombits(a), math.Float64frombits(b), math.Float64frombits(c)
		if math.IsNaN(x) || math.IsNaN(y) || math.IsNaN(z) {
			continue
		}
		var e Env
		check64(t, "Add64", Add64(a, b, &e), x+y, x, y)
		check64(t, "Sub64", Sub64(a, b, &e), x-y, x, y)
		check64(t, "Mul64", Mul64(a, b, &e), x*y, x, y)
		check64(t, "Div64", Div64(a, b, &e), x/y, x, y)
		check64(t, "Sqrt64", Sqrt64(a, &e), math.Sqrt(x), x)
		check64(t, "MulAdd64", MulAdd64(c, a, b, &e), math.FMA(x, y, z), z, x, y)
		p := x * y
		check64(t, "MulAdd64/cancel", MulAdd64(math.Float64bits(-p), a, b, &e), math.FMA(x, y, -p), -p, x, y)
		a32, b32 := uint32(a>>32), uint32(b>>32)
		x32, y32 := math.Float32frombits(a32), math.Float32frombits(b32)
		if x32 != x32 || y32 != y32 {
			continue
		}
		check32(t, "Add32", Add32(a32, b32, &e), x32+y32, x32, y32)
		check32(t, "Mul32", Mul32(a32, b32, &e), x32*y32, x32, y32)
		check32(t, "Div32", Div32(a32, b32, &e), x32/y32, x32, y32)
		if t.Failed() {
			break
		}
	}
}
