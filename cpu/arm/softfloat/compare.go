package softfloat

// cmpValues orders two non-NaN unpacked values: -1, 0 or +1. Zeros of
// either sign are equal.
func cmpValues(u1, u2 unpacked) int {
	if u1.typ == typeZero && u2.typ == typeZero {
		return 0
	}
	if u1.sign != u2.sign {
		if u1.sign {
			return -1
		}
		return 1
	}
	c := cmpMagnitudes(u1, u2)
	if u1.sign {
		return -c
	}
	return c
}

// cmpMagnitudes orders the magnitudes of two non-NaN unpacked values.
func cmpMagnitudes(u1, u2 unpacked) int {
	switch {
	case u1.typ != u2.typ: // zero < nonzero < infinity
		if u1.typ < u2.typ {
			return -1
		}
		return 1
	case u1.typ != typeNonzero:
		return 0
	case u1.exp != u2.exp:
		if u1.exp < u2.exp {
			return -1
		}
		return 1
	case u1.mant != u2.mant:
		if u1.mant < u2.mant {
			return -1
		}
		return 1
	}
	return 0
}

// NZCV results of compare, as FPSCR bits 31:28 shifted down to 3:0.
const (
	nzcvLess      = 0b1000
	nzcvEqual     = 0b0110
	nzcvGreater   = 0b0010
	nzcvUnordered = 0b0011
)

// compare is FPCompare. A signalling NaN always raises IOC; a quiet NaN
// only when signalQNaN (VCMPE) is set.
func compare(f format, op1, op2 uint64, signalQNaN bool, e *Env) uint32 {
	u1 := unpack(f, op1, e)
	u2 := unpack(f, op2, e)
	if u1.isNaN() || u2.isNaN() {
		if u1.typ == typeSNaN || u2.typ == typeSNaN || signalQNaN {
			e.Flags |= IOC
		}
		return nzcvUnordered
	}
	switch cmpValues(u1, u2) {
	case -1:
		return nzcvLess
	case 0:
		return nzcvEqual
	}
	return nzcvGreater
}

// compareCond is the Advanced SIMD comparison FPCompareEQ (cond 0),
// FPCompareGE (cond 1) or FPCompareGT (cond 2). Any NaN makes the result
// false; EQ raises IOC only for a signalling NaN, GE and GT for any NaN.
func compareCond(f format, op1, op2 uint64, cond int, e *Env) bool {
	u1 := unpack(f, op1, e)
	u2 := unpack(f, op2, e)
	if u1.isNaN() || u2.isNaN() {
		if cond != 0 || u1.typ == typeSNaN || u2.typ == typeSNaN {
			e.Flags |= IOC
		}
		return false
	}
	c := cmpValues(u1, u2)
	switch cond {
	case 0:
		return c == 0
	case 1:
		return c >= 0
	}
	return c > 0
}

// maxMin is FPMax (isMax) or FPMin. The result is rounded again, which only
// matters for flushing; of two zeros, FPMax picks +0 and FPMin -0 if either
// operand has that sign.
func maxMin(f format, op1, op2 uint64, isMax bool, e *Env) uint64 {
	u1 := unpack(f, op1, e)
	u2 := unpack(f, op2, e)
	if r, ok := processNaNs(f, u1, u2, op1, op2, e); ok {
		return r
	}
	c := cmpValues(u1, u2)
	u := u2
	if isMax && c > 0 || !isMax && c < 0 {
		u = u1
	}
	switch u.typ {
	case typeInfinity:
		return f.infinity(u.sign)
	case typeZero:
		if isMax {
			return f.zero(u1.sign && u2.sign)
		}
		return f.zero(u1.sign || u2.sign)
	}
	return round(f, u.sign, u.exp, u.mant, e)
}

// maxMinNum is FPMaxNum or FPMinNum (ARMv8 VMAXNM, VMINNM): a single quiet
// NaN operand loses against any number.
func maxMinNum(f format, op1, op2 uint64, isMax bool, e *Env) uint64 {
	u1 := unpack(f, op1, e)
	u2 := unpack(f, op2, e)
	// The replacement infinity loses: -inf for max, +inf for min.
	if u1.typ == typeQNaN && u2.typ != typeQNaN {
		op1 = f.infinity(isMax)
	} else if u1.typ != typeQNaN && u2.typ == typeQNaN {
		op2 = f.infinity(isMax)
	}
	return maxMin(f, op1, op2, isMax, e)
}
