package arm

// Multiplies and divides (ARM ARM A4.4.3, A8.8.100ff). Register roles in
// the ops: rd = Rd (RdHi for long forms), ra = Ra (RdLo for long forms),
// rn, rm as encoded. Long forms write RdLo then RdHi, so RdHi wins when
// they are the same register (UNPREDICTABLE; QEMU does the same).

func opMul(c *CPU, o *Op) { c.R[o.rd] = c.R[o.rn] * c.R[o.rm] }

// opMuls sets N and Z; C and V are unchanged (ARMv6 and later).
func opMuls(c *CPU, o *Op) {
	r := c.R[o.rn] * c.R[o.rm]
	c.R[o.rd] = r
	c.setNZ(r)
}

func opMla(c *CPU, o *Op) { c.R[o.rd] = c.R[o.rn]*c.R[o.rm] + c.R[o.ra] }

func opMlas(c *CPU, o *Op) {
	r := c.R[o.rn]*c.R[o.rm] + c.R[o.ra]
	c.R[o.rd] = r
	c.setNZ(r)
}

func opMls(c *CPU, o *Op) { c.R[o.rd] = c.R[o.ra] - c.R[o.rn]*c.R[o.rm] }

// setLong writes a 64-bit result to RdLo (ra) and RdHi (rd).
func (c *CPU) setLong(o *Op, r uint64) {
	c.R[o.ra] = uint32(r)
	c.R[o.rd] = uint32(r >> 32)
}

// setLongNZ writes a 64-bit result and sets N and Z from it.
func (c *CPU) setLongNZ(o *Op, r uint64) {
	c.setLong(o, r)
	c.N = int64(r) < 0
	c.Z = r == 0
}

func (c *CPU) long(o *Op) uint64 { return uint64(c.R[o.rd])<<32 | uint64(c.R[o.ra]) }

func opUmull(c *CPU, o *Op) { c.setLong(o, uint64(c.R[o.rn])*uint64(c.R[o.rm])) }

func opUmulls(c *CPU, o *Op) { c.setLongNZ(o, uint64(c.R[o.rn])*uint64(c.R[o.rm])) }

func opUmlal(c *CPU, o *Op) { c.setLong(o, uint64(c.R[o.rn])*uint64(c.R[o.rm])+c.long(o)) }

func opUmlals(c *CPU, o *Op) { c.setLongNZ(o, uint64(c.R[o.rn])*uint64(c.R[o.rm])+c.long(o)) }

func smul64(c *CPU, o *Op) uint64 {
	return uint64(int64(int32(c.R[o.rn])) * int64(int32(c.R[o.rm])))
}

func opSmull(c *CPU, o *Op) { c.setLong(o, smul64(c, o)) }

func opSmulls(c *CPU, o *Op) { c.setLongNZ(o, smul64(c, o)) }

func opSmlal(c *CPU, o *Op) { c.setLong(o, smul64(c, o)+c.long(o)) }

func opSmlals(c *CPU, o *Op) { c.setLongNZ(o, smul64(c, o)+c.long(o)) }

// opUmaal is RdHi:RdLo = Rn * Rm + RdHi + RdLo (cannot overflow 64 bits).
func opUmaal(c *CPU, o *Op) {
	c.setLong(o, uint64(c.R[o.rn])*uint64(c.R[o.rm])+uint64(c.R[o.rd])+uint64(c.R[o.ra]))
}

// Halfword multiplies (SMUL<x><y> and friends): o.sh bit 0 selects the
// top half of Rn, bit 1 the top half of Rm (for the W forms only bit 1).

func half(v uint32, top bool) int32 {
	if top {
		return int32(v) >> 16
	}
	return int32(int16(v))
}

func halves(c *CPU, o *Op) int32 {
	return half(c.R[o.rn], o.sh&1 != 0) * half(c.R[o.rm], o.sh&2 != 0)
}

// addQ adds two signed words, setting Q on signed overflow.
func (c *CPU) addQ(a, b int32) uint32 {
	r := int64(a) + int64(b)
	if r != int64(int32(r)) {
		c.Q = true
	}
	return uint32(r)
}

func opSmulxy(c *CPU, o *Op) { c.R[o.rd] = uint32(halves(c, o)) }

func opSmlaxy(c *CPU, o *Op) { c.R[o.rd] = c.addQ(halves(c, o), int32(c.R[o.ra])) }

func opSmlalxy(c *CPU, o *Op) { c.setLong(o, uint64(int64(halves(c, o)))+c.long(o)) }

// wordHalf is SMULW<y>: (Rn * half of Rm) >> 16, which fits 32 bits.
func wordHalf(c *CPU, o *Op) int32 {
	return int32(int64(int32(c.R[o.rn])) * int64(half(c.R[o.rm], o.sh&2 != 0)) >> 16)
}

func opSmulwy(c *CPU, o *Op) { c.R[o.rd] = uint32(wordHalf(c, o)) }

func opSmlawy(c *CPU, o *Op) { c.R[o.rd] = c.addQ(wordHalf(c, o), int32(c.R[o.ra])) }

// Dual 16-bit multiplies: o.sh = 1 swaps the halves of Rm (the X forms).

func dualProducts(c *CPU, o *Op) (int64, int64) {
	n, m := c.R[o.rn], c.R[o.rm]
	if o.sh != 0 {
		m = m<<16 | m>>16
	}
	return int64(int16(n)) * int64(int16(m)), int64(int32(n)>>16) * int64(int32(m)>>16)
}

// satQ returns the low word of r, setting Q when r does not fit 32 bits.
func (c *CPU) satQ(r int64) uint32 {
	if r != int64(int32(r)) {
		c.Q = true
	}
	return uint32(r)
}

func opSmuad(c *CPU, o *Op) {
	p1, p2 := dualProducts(c, o)
	c.R[o.rd] = c.satQ(p1 + p2)
}

func opSmlad(c *CPU, o *Op) {
	p1, p2 := dualProducts(c, o)
	c.R[o.rd] = c.satQ(p1 + p2 + int64(int32(c.R[o.ra])))
}

func opSmusd(c *CPU, o *Op) {
	p1, p2 := dualProducts(c, o)
	c.R[o.rd] = uint32(p1 - p2)
}

func opSmlsd(c *CPU, o *Op) {
	p1, p2 := dualProducts(c, o)
	c.R[o.rd] = c.satQ(p1 - p2 + int64(int32(c.R[o.ra])))
}

func opSmlald(c *CPU, o *Op) {
	p1, p2 := dualProducts(c, o)
	c.setLong(o, uint64(p1+p2)+c.long(o))
}

func opSmlsld(c *CPU, o *Op) {
	p1, p2 := dualProducts(c, o)
	c.setLong(o, uint64(p1-p2)+c.long(o))
}

// Most-significant-word multiplies: o.sh = 1 rounds (the R forms).

func round32(o *Op) int64 {
	if o.sh != 0 {
		return 0x80000000
	}
	return 0
}

func opSmmul(c *CPU, o *Op) {
	p := int64(int32(c.R[o.rn])) * int64(int32(c.R[o.rm]))
	c.R[o.rd] = uint32((p + round32(o)) >> 32)
}

func opSmmla(c *CPU, o *Op) {
	p := int64(int32(c.R[o.rn])) * int64(int32(c.R[o.rm]))
	c.R[o.rd] = uint32((int64(c.R[o.ra])<<32 + p + round32(o)) >> 32)
}

func opSmmls(c *CPU, o *Op) {
	p := int64(int32(c.R[o.rn])) * int64(int32(c.R[o.rm]))
	c.R[o.rd] = uint32((int64(c.R[o.ra])<<32 - p + round32(o)) >> 32)
}

// Divides (A8.8.165 SDIV, A8.8.248 UDIV). Without the Virtualization
// Extensions' divide trap (SCTLR.DZ does not exist in ARMv7-A VMSA),
// division by zero returns 0; INT_MIN / -1 returns INT_MIN.

func opSdiv(c *CPU, o *Op) {
	n, m := int32(c.R[o.rn]), int32(c.R[o.rm])
	switch {
	case m == 0:
		if c.m != nil && c.mDivByZero(o) {
			return
		}
		c.R[o.rd] = 0
	case m == -1:
		c.R[o.rd] = uint32(-n) // wraps for INT_MIN, as required
	default:
		c.R[o.rd] = uint32(n / m)
	}
}

func opUdiv(c *CPU, o *Op) {
	m := c.R[o.rm]
	if m == 0 {
		if c.m != nil && c.mDivByZero(o) {
			return
		}
		c.R[o.rd] = 0
		return
	}
	c.R[o.rd] = c.R[o.rn] / m
}
