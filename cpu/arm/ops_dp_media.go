package arm

import "math/bits"

// Saturating arithmetic, parallel add/subtract, packing, extension,
// bitfield and bit/byte reversal ops (ARM ARM A4.4.4-A4.4.6, A5.4).

// ssat saturates v to a signed n-bit value (1 <= n <= 32), reporting
// whether it saturated (SignedSatQ).
func ssat(v int64, n uint) (int64, bool) {
	hi := int64(1)<<(n-1) - 1
	lo := -int64(1) << (n - 1)
	switch {
	case v > hi:
		return hi, true
	case v < lo:
		return lo, true
	}
	return v, false
}

// usat saturates v to an unsigned n-bit value (0 <= n <= 31) (UnsignedSatQ).
func usat(v int64, n uint) (int64, bool) {
	hi := int64(1)<<n - 1
	switch {
	case v > hi:
		return hi, true
	case v < 0:
		return 0, true
	}
	return v, false
}

// sat32 saturates v to a signed word, setting Q if it saturated.
func (c *CPU) sat32(v int64) uint32 {
	r, q := ssat(v, 32)
	if q {
		c.Q = true
	}
	return uint32(r)
}

// QADD/QSUB/QDADD/QDSUB Rd, Rm, Rn (A8.8.125ff).

func opQadd(c *CPU, o *Op) {
	c.R[o.rd] = c.sat32(int64(int32(c.R[o.rm])) + int64(int32(c.R[o.rn])))
}

func opQsub(c *CPU, o *Op) {
	c.R[o.rd] = c.sat32(int64(int32(c.R[o.rm])) - int64(int32(c.R[o.rn])))
}

func opQdadd(c *CPU, o *Op) {
	d := int32(c.sat32(2 * int64(int32(c.R[o.rn]))))
	c.R[o.rd] = c.sat32(int64(int32(c.R[o.rm])) + int64(d))
}

func opQdsub(c *CPU, o *Op) {
	d := int32(c.sat32(2 * int64(int32(c.R[o.rn]))))
	c.R[o.rd] = c.sat32(int64(int32(c.R[o.rm])) - int64(d))
}

// SSAT/USAT: Rd = Sat(Shift(Rn, sh, amt), o.imm); sh is LSL or ASR.

func satOperand(c *CPU, o *Op) int64 {
	v := c.R[o.rn]
	if o.sh == shiftASR {
		return int64(int32(v) >> o.amt)
	}
	return int64(int32(v << o.amt))
}

func opSsat(c *CPU, o *Op) {
	r, q := ssat(satOperand(c, o), uint(o.imm))
	if q {
		c.Q = true
	}
	c.R[o.rd] = uint32(r)
}

func opUsat(c *CPU, o *Op) {
	r, q := usat(satOperand(c, o), uint(o.imm))
	if q {
		c.Q = true
	}
	c.R[o.rd] = uint32(r)
}

func opSsat16(c *CPU, o *Op) {
	v := c.R[o.rn]
	lo, q1 := ssat(int64(int16(v)), uint(o.imm))
	hi, q2 := ssat(int64(int32(v)>>16), uint(o.imm))
	if q1 || q2 {
		c.Q = true
	}
	c.R[o.rd] = uint32(lo)&0xffff | uint32(hi)<<16
}

func opUsat16(c *CPU, o *Op) {
	v := c.R[o.rn]
	lo, q1 := usat(int64(int16(v)), uint(o.imm))
	hi, q2 := usat(int64(int32(v)>>16), uint(o.imm))
	if q1 || q2 {
		c.Q = true
	}
	c.R[o.rd] = uint32(lo)&0xffff | uint32(hi)<<16
}

// Parallel add and subtract (A4.4.4). The 36 instructions are a prefix
// (S, Q, SH, U, UQ, UH) times an operation (ADD16, ASX, SAX, SUB16,
// ADD8, SUB8); o.sh holds parPrefix*6 + parOp. One op function serves
// them all, with the prefix and operation dispatched by small switches.

const (
	parS = iota
	parQ
	parSH
	parU
	parUQ
	parUH
)

const (
	parADD16 = iota
	parASX
	parSAX
	parSUB16
	parADD8
	parSUB8
)

func opPar(c *CPU, o *Op) {
	prefix, op := int(o.sh)/6, int(o.sh)%6
	n, m := c.R[o.rn], c.R[o.rm]
	signed := prefix <= parSH
	var res, ge uint32
	if op >= parADD8 {
		for i := uint(0); i < 32; i += 8 {
			var x, y int64
			if signed {
				x, y = int64(int8(n>>i)), int64(int8(m>>i))
			} else {
				x, y = int64(uint8(n>>i)), int64(uint8(m>>i))
			}
			r := x + y
			if op == parSUB8 {
				r = x - y
			}
			v, g := parResult(prefix, r, 8, op == parSUB8)
			res |= (v & 0xff) << i
			if g {
				ge |= 1 << (i / 8)
			}
		}
	} else {
		var xl, xh, yl, yh int64
		if signed {
			xl, xh = int64(int16(n)), int64(int16(n>>16))
			yl, yh = int64(int16(m)), int64(int16(m>>16))
		} else {
			xl, xh = int64(uint16(n)), int64(uint16(n>>16))
			yl, yh = int64(uint16(m)), int64(uint16(m>>16))
		}
		var rl, rh int64
		var subl, subh bool
		switch op {
		case parADD16:
			rl, rh = xl+yl, xh+yh
		case parASX: // low: x.lo - y.hi; high: x.hi + y.lo
			rl, rh, subl = xl-yh, xh+yl, true
		case parSAX: // low: x.lo + y.hi; high: x.hi - y.lo
			rl, rh, subh = xl+yh, xh-yl, true
		default: // parSUB16
			rl, rh, subl, subh = xl-yl, xh-yh, true, true
		}
		vl, gl := parResult(prefix, rl, 16, subl)
		vh, gh := parResult(prefix, rh, 16, subh)
		res = vl&0xffff | vh<<16
		if gl {
			ge |= 3
		}
		if gh {
			ge |= 0xc
		}
	}
	c.R[o.rd] = res
	if prefix == parS || prefix == parU {
		c.GE = ge
	}
}

// parResult is one lane's result and GE bit: for signed S forms GE means
// the result is >= 0; for unsigned U forms it means a carry out of the
// lane for an addition, no borrow (result >= 0) for a subtraction.
func parResult(prefix int, r int64, w uint, sub bool) (uint32, bool) {
	switch prefix {
	case parS:
		return uint32(r), r >= 0
	case parU:
		if sub {
			return uint32(r), r >= 0
		}
		return uint32(r), r>>w != 0
	case parQ:
		v, _ := ssat(r, w)
		return uint32(v), false
	case parUQ:
		v, _ := usat(r, w)
		return uint32(v), false
	default: // parSH, parUH: halving, exact because r has w+1 bits
		return uint32(r >> 1), false
	}
}

// PKHBT Rd, Rn, Rm, LSL #amt and PKHTB Rd, Rn, Rm, ASR #amt (1..32).

func opPkhbt(c *CPU, o *Op) {
	c.R[o.rd] = c.R[o.rn]&0xffff | (c.R[o.rm]<<o.amt)&0xffff0000
}

func opPkhtb(c *CPU, o *Op) {
	c.R[o.rd] = c.R[o.rn]&0xffff0000 | uint32(int32(c.R[o.rm])>>o.amt)&0xffff
}

// Extends (A8.8.232ff SXTB ... UXTAH): the rotated Rm (o.amt = 0, 8, 16
// or 24) is extended as o.sh says, and added to Rn in the accumulate
// forms.

const (
	extSXTB = iota
	extSXTH
	extSXTB16
	extUXTB
	extUXTH
	extUXTB16
)

func extend(kind uint8, v uint32) uint32 {
	switch kind {
	case extSXTB:
		return uint32(int32(int8(v)))
	case extSXTH:
		return uint32(int32(int16(v)))
	case extSXTB16:
		return uint32(uint16(int16(int8(v)))) | uint32(int32(int8(v>>16)))<<16
	case extUXTB:
		return v & 0xff
	case extUXTH:
		return v & 0xffff
	default: // extUXTB16
		return v & 0x00ff00ff
	}
}

func opExtend(c *CPU, o *Op) {
	c.R[o.rd] = extend(o.sh, bits.RotateLeft32(c.R[o.rm], -int(o.amt)))
}

func opExtendAdd(c *CPU, o *Op) {
	v := extend(o.sh, bits.RotateLeft32(c.R[o.rm], -int(o.amt)))
	n := c.R[o.rn]
	if o.sh == extSXTB16 || o.sh == extUXTB16 {
		// Two independent halfword additions.
		c.R[o.rd] = (n+v)&0xffff | (n>>16+v>>16)<<16
		return
	}
	c.R[o.rd] = n + v
}

// opUxth and opUxtb are the common unrotated zero-extends.
func opUxtb(c *CPU, o *Op) { c.R[o.rd] = c.R[o.rm] & 0xff }
func opUxth(c *CPU, o *Op) { c.R[o.rd] = c.R[o.rm] & 0xffff }
func opSxtb(c *CPU, o *Op) { c.R[o.rd] = uint32(int32(int8(c.R[o.rm]))) }
func opSxth(c *CPU, o *Op) { c.R[o.rd] = uint32(int32(int16(c.R[o.rm]))) }

// opSel picks each byte from Rn where its GE bit is set, else from Rm.
func opSel(c *CPU, o *Op) {
	var mask uint32
	for i := uint(0); i < 4; i++ {
		if c.GE>>i&1 != 0 {
			mask |= 0xff << (8 * i)
		}
	}
	c.R[o.rd] = c.R[o.rn]&mask | c.R[o.rm]&^mask
}

func usad8(a, b uint32) uint32 {
	var s uint32
	for i := uint(0); i < 32; i += 8 {
		x, y := a>>i&0xff, b>>i&0xff
		if x > y {
			s += x - y
		} else {
			s += y - x
		}
	}
	return s
}

func opUsad8(c *CPU, o *Op)  { c.R[o.rd] = usad8(c.R[o.rn], c.R[o.rm]) }
func opUsada8(c *CPU, o *Op) { c.R[o.rd] = usad8(c.R[o.rn], c.R[o.rm]) + c.R[o.ra] }

// Bitfields: SBFX/UBFX extract o.amt+1 bits from bit o.sh of Rn; BFI
// inserts the low bits of Rn under mask o.imm (lsb o.sh); BFC is BFI from
// a zero register (rn is then not 15: the translator uses opBfc).

func opSbfx(c *CPU, o *Op) {
	c.R[o.rd] = uint32(int32(c.R[o.rn]<<(31-o.sh-o.amt)) >> (31 - o.amt))
}

func opUbfx(c *CPU, o *Op) {
	c.R[o.rd] = c.R[o.rn] >> o.sh & o.imm
}

func opBfi(c *CPU, o *Op) {
	c.R[o.rd] = c.R[o.rd]&^o.imm | c.R[o.rn]<<o.sh&o.imm
}

func opBfc(c *CPU, o *Op) { c.R[o.rd] &^= o.imm }

func opClz(c *CPU, o *Op)   { c.R[o.rd] = uint32(bits.LeadingZeros32(c.R[o.rm])) }
func opRbit(c *CPU, o *Op)  { c.R[o.rd] = bits.Reverse32(c.R[o.rm]) }
func opRev(c *CPU, o *Op)   { c.R[o.rd] = bits.ReverseBytes32(c.R[o.rm]) }
func opRev16(c *CPU, o *Op) { v := c.R[o.rm]; c.R[o.rd] = v>>8&0x00ff00ff | v<<8&0xff00ff00 }
func opRevsh(c *CPU, o *Op) {
	v := c.R[o.rm]
	c.R[o.rd] = uint32(int32(int8(v)))<<8 | v>>8&0xff
}

// opMovt writes the top halfword.
func opMovt(c *CPU, o *Op) { c.R[o.rd] = c.R[o.rd]&0xffff | o.imm<<16 }
