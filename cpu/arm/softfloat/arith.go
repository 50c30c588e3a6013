package softfloat

import "math/bits"

// addSub is FPAdd, or FPSub when negate is set. With halve it is the
// ARM ARM's FPHalvedSub/FPHalvedAdd: (op1 ± op2) / 2 with a single
// rounding, used by VRSQRTS.
func addSub(f format, op1, op2 uint64, negate, halve bool, e *Env) uint64 {
	u1 := unpack(f, op1, e)
	u2 := unpack(f, op2, e)
	if r, ok := processNaNs(f, u1, u2, op1, op2, e); ok {
		return r
	}
	if negate {
		u2.sign = !u2.sign
	}
	inf1, inf2 := u1.typ == typeInfinity, u2.typ == typeInfinity
	zero1, zero2 := u1.typ == typeZero, u2.typ == typeZero
	exp1, exp2 := u1.exp, u2.exp
	if halve {
		exp1--
		exp2--
	}
	switch {
	case inf1 && inf2 && u1.sign != u2.sign:
		e.Flags |= IOC
		return f.defaultNaN()
	case inf1 && !u1.sign || inf2 && !u2.sign:
		return f.infinity(false)
	case inf1 || inf2:
		return f.infinity(true)
	case zero1 && zero2:
		if u1.sign == u2.sign {
			return f.zero(u1.sign)
		}
		return zeroResult(f, e)
	case zero1:
		return round(f, u2.sign, exp2, u2.mant, e)
	case zero2:
		return round(f, u1.sign, exp1, u1.mant, e)
	}
	u1.exp, u2.exp = exp1, exp2
	return addNonzero(f, u1, u2, e)
}

// addNonzero rounds the sum of two nonzero finite values.
func addNonzero(f format, u1, u2 unpacked, e *Env) uint64 {
	if u1.exp < u2.exp || u1.exp == u2.exp && u1.mant < u2.mant {
		u1, u2 = u2, u1
	}
	// Now |u1| >= |u2|. Make room for a carry: both significands have at
	// least 11 trailing zero bits, so this and any alignment shift of up to
	// 9 bits are exact. A larger shift cancels at most one leading bit, so
	// the sticky bit stays well below the rounding position.
	m1 := u1.mant >> 2
	m2 := shiftRightJam64(u2.mant>>2, uint(u1.exp-u2.exp))
	var m uint64
	if u1.sign == u2.sign {
		m = m1 + m2
	} else {
		m = m1 - m2
		if m == 0 {
			return zeroResult(f, e)
		}
	}
	return round(f, u1.sign, u1.exp+2, m, e)
}

// mul is FPMul.
func mul(f format, op1, op2 uint64, e *Env) uint64 {
	u1 := unpack(f, op1, e)
	u2 := unpack(f, op2, e)
	if r, ok := processNaNs(f, u1, u2, op1, op2, e); ok {
		return r
	}
	inf1, inf2 := u1.typ == typeInfinity, u2.typ == typeInfinity
	zero1, zero2 := u1.typ == typeZero, u2.typ == typeZero
	sign := u1.sign != u2.sign
	switch {
	case inf1 && zero2 || zero1 && inf2:
		e.Flags |= IOC
		return f.defaultNaN()
	case inf1 || inf2:
		return f.infinity(sign)
	case zero1 || zero2:
		return f.zero(sign)
	}
	hi, lo := bits.Mul64(u1.mant, u2.mant)
	return roundWide(f, sign, u1.exp+u2.exp, hi, lo, e)
}

// div is FPDiv.
func div(f format, op1, op2 uint64, e *Env) uint64 {
	u1 := unpack(f, op1, e)
	u2 := unpack(f, op2, e)
	if r, ok := processNaNs(f, u1, u2, op1, op2, e); ok {
		return r
	}
	inf1, inf2 := u1.typ == typeInfinity, u2.typ == typeInfinity
	zero1, zero2 := u1.typ == typeZero, u2.typ == typeZero
	sign := u1.sign != u2.sign
	switch {
	case inf1 && inf2 || zero1 && zero2:
		e.Flags |= IOC
		return f.defaultNaN()
	case inf1:
		return f.infinity(sign)
	case zero2:
		e.Flags |= DZC
		return f.infinity(sign)
	case zero1 || inf2:
		return f.zero(sign)
	}
	// A 64-bit quotient in [2^63, 2^64) with the remainder as sticky bit.
	var q, r uint64
	exp := u1.exp - u2.exp
	if u1.mant < u2.mant {
		q, r = bits.Div64(u1.mant, 0, u2.mant)
		exp -= 64
	} else {
		q, r = bits.Div64(u1.mant>>1, u1.mant<<63, u2.mant)
		exp -= 63
	}
	if r != 0 {
		q |= 1
	}
	return round(f, sign, exp, q, e)
}

// sqrt is FPSqrt.
func sqrt(f format, op uint64, e *Env) uint64 {
	u := unpack(f, op, e)
	switch {
	case u.isNaN():
		return processNaN(f, u.typ, op, e)
	case u.typ == typeZero:
		return f.zero(u.sign)
	case u.typ == typeInfinity && !u.sign:
		return f.infinity(false)
	case u.sign:
		e.Flags |= IOC
		return f.defaultNaN()
	}
	// The significand has at most 53 bits: value = m * 2^k with m < 2^54
	// once k is made even. The integer square root of m * 2^64 then has 58
	// or 59 bits, and is exact or gets a sticky bit.
	m := u.mant >> 11
	k := u.exp + 11
	if k&1 != 0 {
		m <<= 1
		k--
	}
	r, exact := isqrt128(m, 0)
	if !exact {
		r |= 1
	}
	return round(f, false, (k-64)/2, r, e)
}

// isqrt128 returns floor(sqrt(hi:lo)) and whether it is exact, for
// 2^116 <= hi:lo < 2^118. Newton's iteration on integers from an
// overestimate decreases monotonically to the floor of the root.
func isqrt128(hi, lo uint64) (uint64, bool) {
	x := uint64(1) << 59
	for {
		q, _ := bits.Div64(hi, lo, x) // hi < 2^54 <= x: no overflow
		y := (x + q) >> 1
		if y >= x {
			break
		}
		x = y
	}
	h, l := bits.Mul64(x, x)
	return x, h == hi && l == lo
}

// mulAdd is FPMulAdd: addend + op1*op2 with a single rounding.
func mulAdd(f format, addend, op1, op2 uint64, e *Env) uint64 {
	uA := unpack(f, addend, e)
	u1 := unpack(f, op1, e)
	u2 := unpack(f, op2, e)
	inf1, inf2 := u1.typ == typeInfinity, u2.typ == typeInfinity
	zero1, zero2 := u1.typ == typeZero, u2.typ == typeZero
	r, done := processNaNs3(f, uA, u1, u2, addend, op1, op2, e)
	// A quiet NaN addend does not hide the invalid product 0*inf.
	if uA.typ == typeQNaN && (inf1 && zero2 || zero1 && inf2) {
		e.Flags |= IOC
		return f.defaultNaN()
	}
	if done {
		return r
	}
	infA, zeroA := uA.typ == typeInfinity, uA.typ == typeZero
	signP := u1.sign != u2.sign
	infP := inf1 || inf2
	zeroP := zero1 || zero2
	switch {
	case inf1 && zero2 || zero1 && inf2 || infA && infP && uA.sign != signP:
		e.Flags |= IOC
		return f.defaultNaN()
	case infA && !uA.sign || infP && !signP:
		return f.infinity(false)
	case infA || infP:
		return f.infinity(true)
	case zeroA && zeroP:
		if uA.sign == signP {
			return f.zero(uA.sign)
		}
		return zeroResult(f, e)
	case zeroP:
		return round(f, uA.sign, uA.exp, uA.mant, e)
	}
	pHi, pLo := bits.Mul64(u1.mant, u2.mant)
	pExp := u1.exp + u2.exp
	if zeroA {
		return roundWide(f, signP, pExp, pHi, pLo, e)
	}
	// Align both 128-bit significands to a leading bit at 125, leaving two
	// bits of headroom. The product has at least 22 trailing zero bits and
	// the addend 64, so these shifts are exact; an alignment shift that
	// loses bits is large enough that the sum keeps its leading bit near
	// 125, far above the sticky bit.
	s := uint(2 - bits.LeadingZeros64(pHi))
	pHi, pLo = shiftRightJam128(pHi, pLo, s)
	pExp += int(s)
	aHi, aLo := uA.mant>>2, uA.mant<<62
	aExp := uA.exp - 64 + 2
	aSign := uA.sign
	if pExp < aExp || pExp == aExp && (pHi < aHi || pHi == aHi && pLo < aLo) {
		pHi, pLo, pExp, signP, aHi, aLo, aExp, aSign = aHi, aLo, aExp, aSign, pHi, pLo, pExp, signP
	}
	// Now |p| >= |a|.
	aHi, aLo = shiftRightJam128(aHi, aLo, uint(pExp-aExp))
	var hi, lo, borrow, carry uint64
	if signP == aSign {
		lo, carry = bits.Add64(pLo, aLo, 0)
		hi, _ = bits.Add64(pHi, aHi, carry)
	} else {
		lo, borrow = bits.Sub64(pLo, aLo, 0)
		hi, _ = bits.Sub64(pHi, aHi, borrow)
		if hi|lo == 0 {
			return zeroResult(f, e)
		}
	}
	return roundWide(f, signP, pExp, hi, lo, e)
}
