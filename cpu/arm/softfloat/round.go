package softfloat

import "math/bits"

// format describes one IEEE 754 binary interchange format.
type format struct {
	width    uint // total bits: 16, 32 or 64
	expBits  uint // E
	fracBits uint // F
	minExp   int  // exponent of the smallest normal number
	bias     int
}

var (
	half   = format{width: 16, expBits: 5, fracBits: 10, minExp: -14, bias: 15}
	single = format{width: 32, expBits: 8, fracBits: 23, minExp: -126, bias: 127}
	double = format{width: 64, expBits: 11, fracBits: 52, minExp: -1022, bias: 1023}
)

func (f format) expMax() uint64   { return 1<<f.expBits - 1 }
func (f format) fracMask() uint64 { return 1<<f.fracBits - 1 }
func (f format) signBit() uint64  { return 1 << (f.width - 1) }
func (f format) quietBit() uint64 { return 1 << (f.fracBits - 1) }

func (f format) defaultNaN() uint64 { return f.expMax()<<f.fracBits | f.quietBit() }

func (f format) zero(sign bool) uint64 {
	if sign {
		return f.signBit()
	}
	return 0
}

func (f format) infinity(sign bool) uint64 { return f.zero(sign) | f.expMax()<<f.fracBits }

func (f format) maxNormal(sign bool) uint64 {
	return f.zero(sign) | (f.expMax()-1)<<f.fracBits | f.fracMask()
}

// fpType classifies an unpacked value (the ARM ARM's FPType).
type fpType uint8

const (
	typeZero fpType = iota
	typeNonzero
	typeInfinity
	typeQNaN
	typeSNaN
)

// unpacked is the result of FPUnpack. For typeNonzero the value is
// mant * 2^exp with bit 63 of mant set; mant and exp are zero otherwise.
type unpacked struct {
	typ  fpType
	sign bool
	exp  int
	mant uint64
}

func (u unpacked) isNaN() bool { return u.typ >= typeQNaN }

// unpack is FPUnpack: it classifies x and, under FPSCR.FZ, flushes a single
// or double denormal to zero and raises IDC. Half-precision inputs are never
// flushed, and with FPSCR.AHP their maximum exponent encodes normal numbers.
func unpack(f format, x uint64, e *Env) unpacked {
	u := unpacked{sign: x&f.signBit() != 0}
	biased := x >> f.fracBits & f.expMax()
	frac := x & f.fracMask()
	switch {
	case biased == 0:
		if frac == 0 {
			return u
		}
		if e.FZ && f.width != 16 {
			e.Flags |= IDC
			return u
		}
		// Denormal: frac * 2^(minExp-F).
		n := bits.LeadingZeros64(frac)
		u.typ = typeNonzero
		u.mant = frac << n
		u.exp = f.minExp - int(f.fracBits) - n
	case biased == f.expMax() && !(f.width == 16 && e.AHP):
		switch {
		case frac == 0:
			u.typ = typeInfinity
		case frac&f.quietBit() != 0:
			u.typ = typeQNaN
		default:
			u.typ = typeSNaN
		}
	default:
		// Normal: 1.frac * 2^(biased-bias).
		u.typ = typeNonzero
		u.mant = (1<<f.fracBits | frac) << (63 - f.fracBits)
		u.exp = int(biased) - f.bias - 63
	}
	return u
}

// processNaN is FPProcessNaN: quiet a signalling NaN (raising IOC), then
// replace it by the default NaN in default-NaN mode.
func processNaN(f format, typ fpType, x uint64, e *Env) uint64 {
	if typ == typeSNaN {
		x |= f.quietBit()
		e.Flags |= IOC
	}
	if e.DN {
		return f.defaultNaN()
	}
	return x
}

// processNaNs is FPProcessNaNs: the first signalling NaN, else the first
// quiet NaN, of op1 and op2 is the result.
func processNaNs(f format, u1, u2 unpacked, op1, op2 uint64, e *Env) (uint64, bool) {
	switch {
	case u1.typ == typeSNaN:
		return processNaN(f, u1.typ, op1, e), true
	case u2.typ == typeSNaN:
		return processNaN(f, u2.typ, op2, e), true
	case u1.typ == typeQNaN:
		return processNaN(f, u1.typ, op1, e), true
	case u2.typ == typeQNaN:
		return processNaN(f, u2.typ, op2, e), true
	}
	return 0, false
}

// processNaNs3 is FPProcessNaNs3, the three-operand form.
func processNaNs3(f format, u1, u2, u3 unpacked, op1, op2, op3 uint64, e *Env) (uint64, bool) {
	switch {
	case u1.typ == typeSNaN:
		return processNaN(f, u1.typ, op1, e), true
	case u2.typ == typeSNaN:
		return processNaN(f, u2.typ, op2, e), true
	case u3.typ == typeSNaN:
		return processNaN(f, u3.typ, op3, e), true
	case u1.typ == typeQNaN:
		return processNaN(f, u1.typ, op1, e), true
	case u2.typ == typeQNaN:
		return processNaN(f, u2.typ, op2, e), true
	case u3.typ == typeQNaN:
		return processNaN(f, u3.typ, op3, e), true
	}
	return 0, false
}

// roundUp reports whether a magnitude whose truncated integer part has low
// bit odd, and whose discarded part compares with one half as cmpHalf
// (-1 below, 0 equal, +1 above; inexact says whether it is nonzero), is
// rounded away from zero under rm.
func roundUp(rm RoundingMode, sign, odd bool, cmpHalf int, inexact bool) bool {
	switch rm {
	case RoundNearest:
		return cmpHalf > 0 || cmpHalf == 0 && odd
	case RoundPlusInf:
		return inexact && !sign
	case RoundMinusInf:
		return inexact && sign
	case RoundTiesAway:
		return cmpHalf >= 0
	}
	return false
}

// round is FPRound: it rounds the nonzero value (-1)^sign * m * 2^exp to
// format f under e, raising UFC, OFC, IXC (and IOC for an alternative
// half-precision overflow) as the ARM ARM says.
//
// m may carry a sticky ("jam") bit: its bit 0 may stand for any nonzero
// amount less than one unit of bit 0, as long as the value has at least
// F+3 significant bits so that bit 0 is below the rounding and half bits.
// Every caller keeps at least 55 bits.
//
// Tininess is detected before rounding, and Underflow is only raised for an
// inexact tiny result. Under FPSCR.FZ a result whose unrounded magnitude is
// below the smallest normal is replaced by zero, raising UFC but not IXC;
// half-precision results are never flushed.
func round(f format, sign bool, exp int, m uint64, e *Env) uint64 {
	n := bits.LeadingZeros64(m)
	m <<= n
	exponent := exp - n + 63 // value is 1.xxx * 2^exponent
	if e.FZ && f.width != 16 && exponent < f.minExp {
		e.Flags |= UFC
		return f.zero(sign)
	}
	biasedExp := exponent - f.minExp + 1
	if biasedExp <= 0 {
		m = shiftRightJam64(m, uint(1-biasedExp))
		biasedExp = 0
	}
	shift := 63 - f.fracBits
	intMant := m >> shift
	rem := m & (1<<shift - 1)
	halfway := uint64(1) << (shift - 1)
	if biasedExp == 0 && rem != 0 {
		e.Flags |= UFC
	}
	cmpHalf := 0
	if rem < halfway {
		cmpHalf = -1
	} else if rem > halfway {
		cmpHalf = 1
	}
	if roundUp(e.RMode, sign, intMant&1 != 0, cmpHalf, rem != 0) {
		intMant++
		if intMant == 1<<f.fracBits { // denormal rounded up to the smallest normal
			biasedExp = 1
		}
		if intMant == 1<<(f.fracBits+1) {
			biasedExp++
			intMant >>= 1
		}
	}
	inexact := rem != 0
	var result uint64
	switch {
	case f.width == 16 && e.AHP && biasedExp >= 1<<f.expBits:
		// The alternative format has no infinity: saturate, and signal
		// Invalid Operation instead of Overflow and Inexact.
		result = f.zero(sign) | (1<<(f.width-1) - 1)
		e.Flags |= IOC
		inexact = false
	case !(f.width == 16 && e.AHP) && biasedExp >= int(f.expMax()):
		overflowToInf := false
		switch e.RMode {
		case RoundNearest, RoundTiesAway:
			overflowToInf = true
		case RoundPlusInf:
			overflowToInf = !sign
		case RoundMinusInf:
			overflowToInf = sign
		}
		if overflowToInf {
			result = f.infinity(sign)
		} else {
			result = f.maxNormal(sign)
		}
		e.Flags |= OFC
		inexact = true
	default:
		result = f.zero(sign) | uint64(biasedExp)<<f.fracBits | intMant&f.fracMask()
	}
	if inexact {
		e.Flags |= IXC
	}
	return result
}

// roundWide rounds the nonzero value (-1)^sign * (hi:lo) * 2^exp, where
// hi:lo is a 128-bit significand, by folding the low bits into a sticky bit.
func roundWide(f format, sign bool, exp int, hi, lo uint64, e *Env) uint64 {
	if hi == 0 {
		return round(f, sign, exp, lo, e)
	}
	n := uint(bits.LeadingZeros64(hi))
	m := hi<<n | lo>>(64-n)
	if lo<<n != 0 {
		m |= 1
	}
	return round(f, sign, exp+64-int(n), m, e)
}

// zeroResult is the exact zero result of an addition of nonzero or
// opposite-signed values: negative only when rounding towards minus
// infinity.
func zeroResult(f format, e *Env) uint64 {
	return f.zero(e.RMode == RoundMinusInf)
}

// shiftRightJam64 shifts m right by s, ORing any bits shifted out into bit 0.
func shiftRightJam64(m uint64, s uint) uint64 {
	switch {
	case s == 0:
		return m
	case s < 64:
		r := m >> s
		if m<<(64-s) != 0 {
			r |= 1
		}
		return r
	case m != 0:
		return 1
	}
	return 0
}

// shiftRightJam128 shifts hi:lo right by s, ORing any bits shifted out into
// bit 0.
func shiftRightJam128(hi, lo uint64, s uint) (uint64, uint64) {
	var sticky bool
	switch {
	case s == 0:
		return hi, lo
	case s < 64:
		sticky = lo<<(64-s) != 0
		lo = lo>>s | hi<<(64-s)
		hi >>= s
	case s < 128:
		sticky = lo != 0 || hi<<(128-s) != 0
		lo = hi >> (s - 64)
		hi = 0
	default:
		sticky = hi|lo != 0
		hi, lo = 0, 0
	}
	if sticky {
		lo |= 1
	}
	return hi, lo
}
