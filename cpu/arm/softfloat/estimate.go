package softfloat

// The Advanced SIMD reciprocal and reciprocal square root estimates
// (VRECPE, VRSQRTE) and Newton-Raphson steps (VRECPS, VRSQRTS), ARMv7
// single precision only. Their callers pass StandardEnv.

// recipEstimate is the ARM ARM's RecipEstimate on fixed-point integers: for
// an input a/512 in [0.5, 1) it returns s, where s/256 is 1/(a/512 + 1/1024)
// rounded to nearest, in [256, 511]. Ties cannot occur.
func recipEstimate(a uint32) uint32 {
	// s = floor(256 * 1024/(2a+1) + 1/2) = floor((floor(2^19/(2a+1)) + 1) / 2)
	return (1<<19/(2*a+1) + 1) / 2
}

// rsqrtTable holds RecipSqrtEstimate for its two input scalings: index
// a-128 for a in [128, 255]; [0] is for inputs a/512 in [0.25, 0.5), [1] for
// inputs a/256 in [0.5, 1). The result s/256 is 1/sqrt(a/512 + 1/1024) or
// 1/sqrt(a/256 + 1/512) rounded to nearest (ties cannot occur).
var rsqrtTable = func() (t [2][128]uint32) {
	for a := uint64(128); a < 256; a++ {
		for i, lim := range [2]uint64{1 << 28, 1 << 27} {
			// s is the largest integer with s - 1/2 <= 256 * root, that is
			// (2s-1)^2 * (2a+1) <= lim.
			s := uint64(256)
			for (2*s+1)*(2*s+1)*(2*a+1) <= lim {
				s++
			}
			t[i][a-128] = uint32(s)
		}
	}
	return t
}()

// recipEstimate32 is FPRecipEstimate for single precision (VRECPE.F32).
func recipEstimate32(x uint32, e *Env) uint32 {
	u := unpack(single, uint64(x), e)
	sign := x & 0x80000000
	switch {
	case u.isNaN():
		return uint32(processNaN(single, u.typ, uint64(x), e))
	case u.typ == typeInfinity:
		return sign
	case u.typ == typeZero:
		e.Flags |= DZC
		return sign | 0x7f800000
	}
	exp := x >> 23 & 0xff
	if exp >= 253 { // |x| >= 2^126: the result underflows
		e.Flags |= UFC
		return sign
	}
	s := recipEstimate(256 + x>>15&0xff)
	return sign | (253-exp)<<23 | (s-256)<<15
}

// rsqrtEstimate32 is FPRSqrtEstimate for single precision (VRSQRTE.F32).
func rsqrtEstimate32(x uint32, e *Env) uint32 {
	u := unpack(single, uint64(x), e)
	switch {
	case u.isNaN():
		return uint32(processNaN(single, u.typ, uint64(x), e))
	case u.typ == typeZero:
		e.Flags |= DZC
		return x&0x80000000 | 0x7f800000
	case u.sign:
		e.Flags |= IOC
		return DefaultNaN32
	case u.typ == typeInfinity:
		return 0
	}
	exp := x >> 23 & 0xff
	// An even biased exponent scales the input into [0.5, 1), an odd one
	// into [0.25, 0.5), keeping the parity of the exponent.
	s := rsqrtTable[1-exp&1][x>>16&0x7f]
	return (380-exp)/2<<23 | (s-256)<<15
}

// unsignedRecipEstimate is UnsignedRecipEstimate (VRECPE.U32): x is a
// fixed-point fraction 0.x; inputs below one half give all ones.
func unsignedRecipEstimate(x uint32) uint32 {
	if x>>31 == 0 {
		return 0xffffffff
	}
	return recipEstimate(256+x>>23&0xff) << 23
}

// unsignedRSqrtEstimate is UnsignedRSqrtEstimate (VRSQRTE.U32): x is a
// fixed-point fraction 0.x; inputs below one quarter give all ones.
func unsignedRSqrtEstimate(x uint32) uint32 {
	switch {
	case x>>30 == 0:
		return 0xffffffff
	case x>>31 != 0: // [0.5, 1)
		return rsqrtTable[1][x>>24&0x7f] << 23
	}
	return rsqrtTable[0][x>>23&0x7f] << 23 // [0.25, 0.5)
}

// recipStep is FPRecipStep (VRECPS): 2 - op1*op2, with the product rounded
// first, and 0*inf taken as 0 so that the step gives 2.
func recipStep(f format, op1, op2 uint64, e *Env) uint64 {
	return step(f, op1, op2, f.two(), false, e)
}

// rsqrtStep is FPRSqrtStep (VRSQRTS): (3 - op1*op2) / 2, with the product
// rounded first, and 0*inf taken as 0 so that the step gives 1.5.
func rsqrtStep(f format, op1, op2 uint64, e *Env) uint64 {
	return step(f, op1, op2, f.three(), true, e)
}

func step(f format, op1, op2, c uint64, halve bool, e *Env) uint64 {
	u1 := unpack(f, op1, e)
	u2 := unpack(f, op2, e)
	if r, ok := processNaNs(f, u1, u2, op1, op2, e); ok {
		return r
	}
	inf1, inf2 := u1.typ == typeInfinity, u2.typ == typeInfinity
	zero1, zero2 := u1.typ == typeZero, u2.typ == typeZero
	product := f.zero(false)
	if !(inf1 && zero2 || zero1 && inf2) {
		product = mul(f, op1, op2, e)
	}
	return addSub(f, c, product, true, halve, e)
}

func (f format) two() uint64   { return uint64(f.bias+1) << f.fracBits }
func (f format) three() uint64 { return f.two() | 1<<(f.fracBits-1) }
