package softfloat

// convert is FPConvert between formats (FPSingleToDouble, FPDoubleToSingle,
// FPHalfToSingle, FPSingleToHalf and the ARMv8 double<->half forms).
//
// A NaN keeps its sign and the top bits of its payload and is made quiet,
// unless FPSCR.DN asks for the default NaN. Converting to the alternative
// half-precision format, which has no NaN or infinity, turns a NaN into a
// zero and an infinity into the largest magnitude, both raising IOC.
func convert(to, from format, x uint64, e *Env) uint64 {
	u := unpack(from, x, e)
	ahpOut := to.width == 16 && e.AHP
	switch u.typ {
	case typeQNaN, typeSNaN:
		var r uint64
		switch {
		case ahpOut:
			r = to.zero(u.sign)
		case e.DN:
			r = to.defaultNaN()
		default:
			payload := x & (from.fracMask() >> 1) // below the quiet bit
			if to.fracBits >= from.fracBits {
				payload <<= to.fracBits - from.fracBits
			} else {
				payload >>= from.fracBits - to.fracBits
			}
			r = to.zero(u.sign) | to.expMax()<<to.fracBits | to.quietBit() | payload
		}
		if u.typ == typeSNaN || ahpOut {
			e.Flags |= IOC
		}
		return r
	case typeInfinity:
		if ahpOut {
			e.Flags |= IOC
			return to.zero(u.sign) | (1<<(to.width-1) - 1)
		}
		return to.infinity(u.sign)
	case typeZero:
		return to.zero(u.sign)
	}
	return round(to, u.sign, u.exp, u.mant, e)
}

// roundToInt rounds the magnitude of the nonzero value m * 2^exp to an
// integer under rm (sign is that of the value, for the directed modes). It
// returns the magnitude, whether the value was not an integer, and whether
// the magnitude does not fit in 64 bits.
func roundToInt(sign bool, exp int, m uint64, rm RoundingMode) (mag uint64, inexact, overflow bool) {
	if exp > 0 {
		return 0, false, true // m has bit 63 set: at least 2^64
	}
	if exp == 0 {
		return m, false, false
	}
	var rem, halfway uint64
	s := uint(-exp)
	switch {
	case s < 64:
		mag = m >> s
		rem = m & (1<<s - 1)
		halfway = 1 << (s - 1)
	case s == 64:
		rem, halfway = m, 1<<63
	default: // below one half
		rem, halfway = 1, 2
	}
	cmpHalf := 0
	if rem < halfway {
		cmpHalf = -1
	} else if rem > halfway {
		cmpHalf = 1
	}
	if roundUp(rm, sign, mag&1 != 0, cmpHalf, rem != 0) {
		mag++
		if mag == 0 {
			overflow = true
		}
	}
	return mag, rem != 0, overflow
}

// toFixed is FPToFixed: x scaled by 2^fracBits and rounded under rm to a
// size-bit signed or unsigned integer, saturating. A NaN converts to zero,
// and NaNs and out-of-range values raise IOC instead of IXC. The result is
// sign- or zero-extended to 64 bits.
func toFixed(f format, x uint64, size, fracBits int, unsigned bool, rm RoundingMode, e *Env) uint64 {
	u := unpack(f, x, e)
	var mag uint64
	var inexact, overflow bool
	switch u.typ {
	case typeQNaN, typeSNaN:
		e.Flags |= IOC
		return 0
	case typeZero:
		return 0
	case typeInfinity:
		overflow = true
	default:
		mag, inexact, overflow = roundToInt(u.sign, u.exp+fracBits, u.mant, rm)
	}
	// Saturate (SatQ).
	var result uint64
	switch {
	case unsigned && u.sign:
		result = 0
		overflow = overflow || mag != 0
	case unsigned:
		max := uint64(1)<<size - 1 // size 64: all ones
		if overflow || mag > max {
			result, overflow = max, true
		} else {
			result = mag
		}
	case u.sign:
		limit := uint64(1) << (size - 1)
		if overflow || mag > limit {
			result, overflow = -limit, true
		} else {
			result = -mag
		}
	default:
		max := uint64(1)<<(size-1) - 1
		if overflow || mag > max {
			result, overflow = max, true
		} else {
			result = mag
		}
	}
	if overflow {
		e.Flags |= IOC
	} else if inexact {
		e.Flags |= IXC
	}
	return result
}

// fixedToFP is FixedToFP: the low size bits of x, a signed or unsigned
// integer with fracBits fraction bits, rounded to format f under rm.
func fixedToFP(f format, x uint64, size, fracBits int, unsigned bool, rm RoundingMode, e *Env) uint64 {
	x &= 1<<size - 1
	sign := false
	if !unsigned && x>>(size-1)&1 != 0 {
		sign = true
		x = -x & (1<<size - 1) // for size 64 the mask is all ones
	}
	if x == 0 {
		return f.zero(false)
	}
	saved := e.RMode
	e.RMode = rm
	r := round(f, sign, -fracBits, x, e)
	e.RMode = saved
	return r
}

// roundInt is the ARMv8 FPRoundInt: x rounded to an integral value in the
// same format under rm. exact (VRINTX) raises IXC for a non-integral input.
// A zero result keeps the sign of the input.
func roundInt(f format, x uint64, rm RoundingMode, exact bool, e *Env) uint64 {
	u := unpack(f, x, e)
	switch u.typ {
	case typeQNaN, typeSNaN:
		return processNaN(f, u.typ, x, e)
	case typeInfinity:
		return f.infinity(u.sign)
	case typeZero:
		return f.zero(u.sign)
	}
	if u.exp >= 0 {
		return round(f, u.sign, u.exp, u.mant, e) // already integral
	}
	mag, inexact, _ := roundToInt(u.sign, u.exp, u.mant, rm)
	if inexact && exact {
		e.Flags |= IXC
	}
	if mag == 0 {
		return f.zero(u.sign)
	}
	return round(f, u.sign, 0, mag, e)
}
