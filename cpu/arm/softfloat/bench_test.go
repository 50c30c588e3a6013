package softfloat

import "testing"

var sink32 uint32
var sink64 uint64

func BenchmarkAdd32(b *testing.B) {
	e := Env{}
	x := uint32(0x3f8ccccd)
	for i := 0; i < b.N; i++ {
		x = Add32(x, 0x3dcccccd, &e)
	}
	sink32 = x
}

func BenchmarkMul64(b *testing.B) {
	e := Env{}
	x := uint64(0x3ff199999999999a)
	for i := 0; i < b.N; i++ {
		x = Mul64(x, 0x3fefffffffffffff, &e)
	}
	sink64 = x
}

func BenchmarkMulAdd64(b *testing.B) {
	e := Env{}
	x := uint64(0x3ff199999999999a)
	for i := 0; i < b.N; i++ {
		x = MulAdd64(0x3fb999999999999a, x, 0x3fe999999999999a, &e)
	}
	sink64 = x
}

func BenchmarkDiv64(b *testing.B) {
	e := Env{}
	x := uint64(0x3ff199999999999a)
	for i := 0; i < b.N; i++ {
		x = Div64(0x4000000000000000, x|0x3ff0000000000000, &e)
	}
	sink64 = x
}

func BenchmarkSqrt64(b *testing.B) {
	e := Env{}
	x := uint64(0x4000000000000000)
	for i := 0; i < b.N; i++ {
		x = Sqrt64(x|0x4000000000000000, &e)
	}
	sink64 = x
}
