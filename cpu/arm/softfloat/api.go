package softfloat

// The exported operations, by format. Each follows the ARM ARM function
// named in its comment; the instruction-level compositions are noted where
// they are not one function:
//
//	VNMUL     Neg(Mul(n, m))
//	VMLA      MulAcc(d, n, m, false, false) = Add(d, Mul(n, m))
//	VMLS      MulAcc(d, n, m, true, false)  = Add(d, Neg(Mul(n, m)))
//	VNMLA     MulAcc(d, n, m, true, true)   = Add(Neg(d), Neg(Mul(n, m)))
//	VNMLS     MulAcc(d, n, m, false, true)  = Add(Neg(d), Mul(n, m))
//	VFMA      MulAdd(d, n, m)
//	VFMS      MulAdd(d, Neg(n), m)
//	VFNMA     MulAdd(Neg(d), Neg(n), m)
//	VFNMS     MulAdd(Neg(d), n, m)
//	VABD      Abs(Sub(n, m))   (Advanced SIMD, StandardEnv)
//	VACGE     CompareGE(Abs(n), Abs(m))
//
// The negations act on the operands before NaN propagation, so a
// propagated NaN shows the flipped sign, as on hardware.

// Add32 is FPAdd: a + b.
func Add32(a, b uint32, e *Env) uint32 {
	return uint32(addSub(single, uint64(a), uint64(b), false, false, e))
}

// Add64 is FPAdd: a + b.
func Add64(a, b uint64, e *Env) uint64 { return addSub(double, a, b, false, false, e) }

// Sub32 is FPSub: a - b.
func Sub32(a, b uint32, e *Env) uint32 {
	return uint32(addSub(single, uint64(a), uint64(b), true, false, e))
}

// Sub64 is FPSub: a - b.
func Sub64(a, b uint64, e *Env) uint64 { return addSub(double, a, b, true, false, e) }

// Mul32 is FPMul: a * b.
func Mul32(a, b uint32, e *Env) uint32 { return uint32(mul(single, uint64(a), uint64(b), e)) }

// Mul64 is FPMul: a * b.
func Mul64(a, b uint64, e *Env) uint64 { return mul(double, a, b, e) }

// Div32 is FPDiv: a / b.
func Div32(a, b uint32, e *Env) uint32 { return uint32(div(single, uint64(a), uint64(b), e)) }

// Div64 is FPDiv: a / b.
func Div64(a, b uint64, e *Env) uint64 { return div(double, a, b, e) }

// Sqrt32 is FPSqrt.
func Sqrt32(a uint32, e *Env) uint32 { return uint32(sqrt(single, uint64(a), e)) }

// Sqrt64 is FPSqrt.
func Sqrt64(a uint64, e *Env) uint64 { return sqrt(double, a, e) }

// MulAdd32 is FPMulAdd: addend + a*b with a single rounding (VFMA). NaNs
// propagate in the order addend, a, b; a quiet NaN addend with a 0*inf
// product gives the default NaN and IOC.
func MulAdd32(addend, a, b uint32, e *Env) uint32 {
	return uint32(mulAdd(single, uint64(addend), uint64(a), uint64(b), e))
}

// MulAdd64 is FPMulAdd: addend + a*b with a single rounding (VFMA).
func MulAdd64(addend, a, b uint64, e *Env) uint64 { return mulAdd(double, addend, a, b, e) }

// MulAcc32 is the non-fused multiply-accumulate of VMLA, VMLS, VNMLA and
// VNMLS: the product a*b is rounded, optionally negated, and added to the
// optionally negated addend, with the product as the second operand of
// FPAdd.
func MulAcc32(addend, a, b uint32, negateProduct, negateAddend bool, e *Env) uint32 {
	p := Mul32(a, b, e)
	if negateProduct {
		p = Neg32(p)
	}
	if negateAddend {
		addend = Neg32(addend)
	}
	return Add32(addend, p, e)
}

// MulAcc64 is the non-fused multiply-accumulate; see MulAcc32.
func MulAcc64(addend, a, b uint64, negateProduct, negateAddend bool, e *Env) uint64 {
	p := Mul64(a, b, e)
	if negateProduct {
		p = Neg64(p)
	}
	if negateAddend {
		addend = Neg64(addend)
	}
	return Add64(addend, p, e)
}

// Neg32 is FPNeg: the sign bit flipped, NaNs included, no flags.
func Neg32(a uint32) uint32 { return a ^ 1<<31 }

// Neg64 is FPNeg: the sign bit flipped, NaNs included, no flags.
func Neg64(a uint64) uint64 { return a ^ 1<<63 }

// Abs32 is FPAbs: the sign bit cleared, NaNs included, no flags.
func Abs32(a uint32) uint32 { return a &^ (1 << 31) }

// Abs64 is FPAbs: the sign bit cleared, NaNs included, no flags.
func Abs64(a uint64) uint64 { return a &^ (1 << 63) }

// Compare32 is FPCompare (VCMP, and VCMPE with signalQNaN). It returns the
// flags N, Z, C, V in bits 3:0, for FPSCR bits 31:28: 1000 less, 0110
// equal, 0010 greater, 0011 unordered.
func Compare32(a, b uint32, signalQNaN bool, e *Env) uint32 {
	return compare(single, uint64(a), uint64(b), signalQNaN, e)
}

// Compare64 is FPCompare; see Compare32.
func Compare64(a, b uint64, signalQNaN bool, e *Env) uint32 {
	return compare(double, a, b, signalQNaN, e)
}

// CompareEQ32 is FPCompareEQ (VCEQ): false for NaNs, IOC only for a
// signalling NaN.
func CompareEQ32(a, b uint32, e *Env) bool { return compareCond(single, uint64(a), uint64(b), 0, e) }

// CompareGE32 is FPCompareGE (VCGE, VACGE on absolute values): false and
// IOC for any NaN.
func CompareGE32(a, b uint32, e *Env) bool { return compareCond(single, uint64(a), uint64(b), 1, e) }

// CompareGT32 is FPCompareGT (VCGT, VACGT on absolute values): false and
// IOC for any NaN.
func CompareGT32(a, b uint32, e *Env) bool { return compareCond(single, uint64(a), uint64(b), 2, e) }

// Max32 is FPMax (Advanced SIMD VMAX): NaNs propagate; of two zeros, +0.
func Max32(a, b uint32, e *Env) uint32 { return uint32(maxMin(single, uint64(a), uint64(b), true, e)) }

// Min32 is FPMin (Advanced SIMD VMIN): NaNs propagate; of two zeros, -0.
func Min32(a, b uint32, e *Env) uint32 { return uint32(maxMin(single, uint64(a), uint64(b), false, e)) }

// MaxNum32 is the ARMv8 FPMaxNum (VMAXNM): a single quiet NaN is ignored.
func MaxNum32(a, b uint32, e *Env) uint32 {
	return uint32(maxMinNum(single, uint64(a), uint64(b), true, e))
}

// MinNum32 is the ARMv8 FPMinNum (VMINNM): a single quiet NaN is ignored.
func MinNum32(a, b uint32, e *Env) uint32 {
	return uint32(maxMinNum(single, uint64(a), uint64(b), false, e))
}

// MaxNum64 is the ARMv8 FPMaxNum (VMAXNM): a single quiet NaN is ignored.
func MaxNum64(a, b uint64, e *Env) uint64 { return maxMinNum(double, a, b, true, e) }

// MinNum64 is the ARMv8 FPMinNum (VMINNM): a single quiet NaN is ignored.
func MinNum64(a, b uint64, e *Env) uint64 { return maxMinNum(double, a, b, false, e) }

// RecipEstimate32 is FPRecipEstimate (VRECPE.F32), about 8 bits of 1/a.
func RecipEstimate32(a uint32, e *Env) uint32 { return recipEstimate32(a, e) }

// RSqrtEstimate32 is FPRSqrtEstimate (VRSQRTE.F32), about 8 bits of
// 1/sqrt(a).
func RSqrtEstimate32(a uint32, e *Env) uint32 { return rsqrtEstimate32(a, e) }

// UnsignedRecipEstimate is UnsignedRecipEstimate (VRECPE.U32).
func UnsignedRecipEstimate(a uint32) uint32 { return unsignedRecipEstimate(a) }

// UnsignedRSqrtEstimate is UnsignedRSqrtEstimate (VRSQRTE.U32).
func UnsignedRSqrtEstimate(a uint32) uint32 { return unsignedRSqrtEstimate(a) }

// RecipStep32 is FPRecipStep (VRECPS): 2 - a*b, non-fused.
func RecipStep32(a, b uint32, e *Env) uint32 {
	return uint32(recipStep(single, uint64(a), uint64(b), e))
}

// RSqrtStep32 is FPRSqrtStep (VRSQRTS): (3 - a*b) / 2, non-fused.
func RSqrtStep32(a, b uint32, e *Env) uint32 {
	return uint32(rsqrtStep(single, uint64(a), uint64(b), e))
}

// F32ToF64 is FPSingleToDouble (VCVT.F64.F32).
func F32ToF64(a uint32, e *Env) uint64 { return convert(double, single, uint64(a), e) }

// F64ToF32 is FPDoubleToSingle (VCVT.F32.F64).
func F64ToF32(a uint64, e *Env) uint32 { return uint32(convert(single, double, a, e)) }

// F16ToF32 is FPHalfToSingle (VCVTB/VCVTT.F32.F16); e.AHP selects the
// alternative half-precision format.
func F16ToF32(a uint16, e *Env) uint32 { return uint32(convert(single, half, uint64(a), e)) }

// F32ToF16 is FPSingleToHalf (VCVTB/VCVTT.F16.F32); e.AHP selects the
// alternative half-precision format.
func F32ToF16(a uint32, e *Env) uint16 { return uint16(convert(half, single, uint64(a), e)) }

// F16ToF64 is the ARMv8 half to double conversion (VCVTB.F64.F16).
func F16ToF64(a uint16, e *Env) uint64 { return convert(double, half, uint64(a), e) }

// F64ToF16 is the ARMv8 double to half conversion (VCVTB.F16.F64), rounded
// once.
func F64ToF16(a uint64, e *Env) uint16 { return uint16(convert(half, double, a, e)) }

// F32ToFixed is FPToFixed: a*2^fracBits rounded under rm to a size-bit
// (16, 32 or 64) signed or unsigned integer, saturated, and sign- or
// zero-extended to 64 bits. NaNs give 0; NaNs and saturation raise IOC
// (and not IXC).
//
//	VCVT.S32.F32   F32ToFixed(a, 32, 0, false, RoundZero, e)
//	VCVTR.S32.F32  F32ToFixed(a, 32, 0, false, e.RMode, e)
//	VCVT.S16.F32 #fbits  F32ToFixed(a, 16, fbits, false, RoundZero, e)
func F32ToFixed(a uint32, size, fracBits int, unsigned bool, rm RoundingMode, e *Env) uint64 {
	return toFixed(single, uint64(a), size, fracBits, unsigned, rm, e)
}

// F64ToFixed is FPToFixed; see F32ToFixed.
func F64ToFixed(a uint64, size, fracBits int, unsigned bool, rm RoundingMode, e *Env) uint64 {
	return toFixed(double, a, size, fracBits, unsigned, rm, e)
}

// FixedToF32 is FixedToFP: the low size bits of a, a signed or unsigned
// fixed-point number with fracBits fraction bits, rounded under rm.
//
//	VCVT.F32.S32         FixedToF32(a, 32, 0, false, e.RMode, e)
//	VCVT.F32.S16 #fbits  FixedToF32(a, 16, fbits, false, RoundNearest, e)
//
// (The VFP fixed-point forms always round to nearest; the integer forms
// use FPSCR.RMode.)
func FixedToF32(a uint64, size, fracBits int, unsigned bool, rm RoundingMode, e *Env) uint32 {
	return uint32(fixedToFP(single, a, size, fracBits, unsigned, rm, e))
}

// FixedToF64 is FixedToFP; see FixedToF32.
func FixedToF64(a uint64, size, fracBits int, unsigned bool, rm RoundingMode, e *Env) uint64 {
	return fixedToFP(double, a, size, fracBits, unsigned, rm, e)
}

// RoundInt32 is the ARMv8 FPRoundInt (VRINT*): a rounded to an integral
// value under rm; exact (VRINTX) raises IXC when that changes the value.
func RoundInt32(a uint32, rm RoundingMode, exact bool, e *Env) uint32 {
	return uint32(roundInt(single, uint64(a), rm, exact, e))
}

// RoundInt64 is the ARMv8 FPRoundInt; see RoundInt32.
func RoundInt64(a uint64, rm RoundingMode, exact bool, e *Env) uint64 {
	return roundInt(double, a, rm, exact, e)
}
