package arm

import (
	"encoding/binary"
	"math/bits"
)

// Load/store ops. Operands: rd = Rt, rn = Rn, rm = Rm (or Rt2 of SWP and
// STREXD), ra = Rt2 (LDRD/STRD/LDREXD) or the status Rd of STREX; imm is
// the offset with its sign applied. Every op makes its register writes
// only after all its memory accesses succeeded (precise aborts, ARM ARM
// B1.8): the access helpers return ok=false when they took an abort.

// opLDRlit loads a word from an address known at translation time.
func opLDRlit(c *CPU, o *Op) {
	if p := c.hostR(o.imm, 3); p != nil {
		c.R[o.rd&15] = binary.LittleEndian.Uint32(p)
	} else if v, ok := c.loadSlow(o, o.imm, 4, afAlignA); ok {
		c.R[o.rd&15] = v
	}
}

// --- Immediate offset, no writeback.

func opLDRi(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	var v uint32
	if p := c.hostR(a, 3); p != nil {
		v = binary.LittleEndian.Uint32(p)
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 4, afAlignA); !ok {
			return
		}
	}
	c.R[o.rd&15] = v
}

func opLDRBi(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	var v uint32
	if p := c.hostR(a, 0); p != nil {
		v = uint32(p[0])
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 1, 0); !ok {
			return
		}
	}
	c.R[o.rd&15] = v
}

func opLDRHi(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	var v uint32
	if p := c.hostR(a, 1); p != nil {
		v = uint32(binary.LittleEndian.Uint16(p))
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 2, afAlignA); !ok {
			return
		}
	}
	c.R[o.rd&15] = v
}

func opLDRSBi(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	var v uint32
	if p := c.hostR(a, 0); p != nil {
		v = uint32(p[0])
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 1, 0); !ok {
			return
		}
	}
	c.R[o.rd&15] = uint32(int8(v))
}

func opLDRSHi(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	var v uint32
	if p := c.hostR(a, 1); p != nil {
		v = uint32(binary.LittleEndian.Uint16(p))
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 2, afAlignA); !ok {
			return
		}
	}
	c.R[o.rd&15] = uint32(int16(v))
}

func opSTRi(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	v := c.R[o.rd&15]
	if p := c.hostW(a, 3); p != nil {
		binary.LittleEndian.PutUint32(p, v)
	} else {
		c.storeSlow(o, a, 4, v, afAlignA)
	}
}

func opSTRBi(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	v := c.R[o.rd&15]
	if p := c.hostW(a, 0); p != nil {
		p[0] = byte(v)
	} else {
		c.storeSlow(o, a, 1, v, 0)
	}
}

func opSTRHi(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	v := c.R[o.rd&15]
	if p := c.hostW(a, 1); p != nil {
		binary.LittleEndian.PutUint16(p, uint16(v))
	} else {
		c.storeSlow(o, a, 2, v, afAlignA)
	}
}

// --- Pre-indexed with writeback. The base is written before Rt, so a load
// with Rn == Rt leaves the loaded value (UNPREDICTABLE; QEMU's order).

func opLDRiPre(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	var v uint32
	if p := c.hostR(a, 3); p != nil {
		v = binary.LittleEndian.Uint32(p)
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 4, afAlignA); !ok {
			return
		}
	}
	c.R[o.rn&15] = a
	c.R[o.rd&15] = v
}

func opLDRBiPre(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	var v uint32
	if p := c.hostR(a, 0); p != nil {
		v = uint32(p[0])
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 1, 0); !ok {
			return
		}
	}
	c.R[o.rn&15] = a
	c.R[o.rd&15] = v
}

func opLDRHiPre(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	var v uint32
	if p := c.hostR(a, 1); p != nil {
		v = uint32(binary.LittleEndian.Uint16(p))
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 2, afAlignA); !ok {
			return
		}
	}
	c.R[o.rn&15] = a
	c.R[o.rd&15] = v
}

func opLDRSBiPre(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	var v uint32
	if p := c.hostR(a, 0); p != nil {
		v = uint32(p[0])
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 1, 0); !ok {
			return
		}
	}
	c.R[o.rn&15] = a
	c.R[o.rd&15] = uint32(int8(v))
}

func opLDRSHiPre(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	var v uint32
	if p := c.hostR(a, 1); p != nil {
		v = uint32(binary.LittleEndian.Uint16(p))
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 2, afAlignA); !ok {
			return
		}
	}
	c.R[o.rn&15] = a
	c.R[o.rd&15] = uint32(int16(v))
}

func opSTRiPre(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	v := c.R[o.rd&15]
	if p := c.hostW(a, 3); p != nil {
		binary.LittleEndian.PutUint32(p, v)
	} else if !c.storeSlow(o, a, 4, v, afAlignA) {
		return
	}
	c.R[o.rn&15] = a
}

func opSTRBiPre(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	v := c.R[o.rd&15]
	if p := c.hostW(a, 0); p != nil {
		p[0] = byte(v)
	} else if !c.storeSlow(o, a, 1, v, 0) {
		return
	}
	c.R[o.rn&15] = a
}

func opSTRHiPre(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	v := c.R[o.rd&15]
	if p := c.hostW(a, 1); p != nil {
		binary.LittleEndian.PutUint16(p, uint16(v))
	} else if !c.storeSlow(o, a, 2, v, afAlignA) {
		return
	}
	c.R[o.rn&15] = a
}

// --- Post-indexed.

func opLDRiPost(c *CPU, o *Op) {
	a := c.R[o.rn&15]
	var v uint32
	if p := c.hostR(a, 3); p != nil {
		v = binary.LittleEndian.Uint32(p)
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 4, afAlignA); !ok {
			return
		}
	}
	c.R[o.rn&15] = a + o.imm
	c.R[o.rd&15] = v
}

func opLDRBiPost(c *CPU, o *Op) {
	a := c.R[o.rn&15]
	var v uint32
	if p := c.hostR(a, 0); p != nil {
		v = uint32(p[0])
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 1, 0); !ok {
			return
		}
	}
	c.R[o.rn&15] = a + o.imm
	c.R[o.rd&15] = v
}

func opLDRHiPost(c *CPU, o *Op) {
	a := c.R[o.rn&15]
	var v uint32
	if p := c.hostR(a, 1); p != nil {
		v = uint32(binary.LittleEndian.Uint16(p))
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 2, afAlignA); !ok {
			return
		}
	}
	c.R[o.rn&15] = a + o.imm
	c.R[o.rd&15] = v
}

func opLDRSBiPost(c *CPU, o *Op) {
	a := c.R[o.rn&15]
	var v uint32
	if p := c.hostR(a, 0); p != nil {
		v = uint32(p[0])
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 1, 0); !ok {
			return
		}
	}
	c.R[o.rn&15] = a + o.imm
	c.R[o.rd&15] = uint32(int8(v))
}

func opLDRSHiPost(c *CPU, o *Op) {
	a := c.R[o.rn&15]
	var v uint32
	if p := c.hostR(a, 1); p != nil {
		v = uint32(binary.LittleEndian.Uint16(p))
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 2, afAlignA); !ok {
			return
		}
	}
	c.R[o.rn&15] = a + o.imm
	c.R[o.rd&15] = uint32(int16(v))
}

func opSTRiPost(c *CPU, o *Op) {
	a := c.R[o.rn&15]
	v := c.R[o.rd&15]
	if p := c.hostW(a, 3); p != nil {
		binary.LittleEndian.PutUint32(p, v)
	} else if !c.storeSlow(o, a, 4, v, afAlignA) {
		return
	}
	c.R[o.rn&15] = a + o.imm
}

func opSTRBiPost(c *CPU, o *Op) {
	a := c.R[o.rn&15]
	v := c.R[o.rd&15]
	if p := c.hostW(a, 0); p != nil {
		p[0] = byte(v)
	} else if !c.storeSlow(o, a, 1, v, 0) {
		return
	}
	c.R[o.rn&15] = a + o.imm
}

func opSTRHiPost(c *CPU, o *Op) {
	a := c.R[o.rn&15]
	v := c.R[o.rd&15]
	if p := c.hostW(a, 1); p != nil {
		binary.LittleEndian.PutUint16(p, uint16(v))
	} else if !c.storeSlow(o, a, 2, v, afAlignA) {
		return
	}
	c.R[o.rn&15] = a + o.imm
}

// --- Register offset: Rn + (Rm LSL amt), no writeback.

func opLDRr(c *CPU, o *Op) {
	a := c.R[o.rn&15] + c.R[o.rm&15]<<o.amt
	var v uint32
	if p := c.hostR(a, 3); p != nil {
		v = binary.LittleEndian.Uint32(p)
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 4, afAlignA); !ok {
			return
		}
	}
	c.R[o.rd&15] = v
}

func opLDRBr(c *CPU, o *Op) {
	a := c.R[o.rn&15] + c.R[o.rm&15]<<o.amt
	var v uint32
	if p := c.hostR(a, 0); p != nil {
		v = uint32(p[0])
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 1, 0); !ok {
			return
		}
	}
	c.R[o.rd&15] = v
}

func opLDRHr(c *CPU, o *Op) {
	a := c.R[o.rn&15] + c.R[o.rm&15]<<o.amt
	var v uint32
	if p := c.hostR(a, 1); p != nil {
		v = uint32(binary.LittleEndian.Uint16(p))
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 2, afAlignA); !ok {
			return
		}
	}
	c.R[o.rd&15] = v
}

func opLDRSBr(c *CPU, o *Op) {
	a := c.R[o.rn&15] + c.R[o.rm&15]<<o.amt
	var v uint32
	if p := c.hostR(a, 0); p != nil {
		v = uint32(p[0])
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 1, 0); !ok {
			return
		}
	}
	c.R[o.rd&15] = uint32(int8(v))
}

func opLDRSHr(c *CPU, o *Op) {
	a := c.R[o.rn&15] + c.R[o.rm&15]<<o.amt
	var v uint32
	if p := c.hostR(a, 1); p != nil {
		v = uint32(binary.LittleEndian.Uint16(p))
	} else {
		var ok bool
		if v, ok = c.loadSlow(o, a, 2, afAlignA); !ok {
			return
		}
	}
	c.R[o.rd&15] = uint32(int16(v))
}

func opSTRr(c *CPU, o *Op) {
	a := c.R[o.rn&15] + c.R[o.rm&15]<<o.amt
	v := c.R[o.rd&15]
	if p := c.hostW(a, 3); p != nil {
		binary.LittleEndian.PutUint32(p, v)
	} else {
		c.storeSlow(o, a, 4, v, afAlignA)
	}
}

func opSTRBr(c *CPU, o *Op) {
	a := c.R[o.rn&15] + c.R[o.rm&15]<<o.amt
	v := c.R[o.rd&15]
	if p := c.hostW(a, 0); p != nil {
		p[0] = byte(v)
	} else {
		c.storeSlow(o, a, 1, v, 0)
	}
}

func opSTRHr(c *CPU, o *Op) {
	a := c.R[o.rn&15] + c.R[o.rm&15]<<o.amt
	v := c.R[o.rd&15]
	if p := c.hostW(a, 1); p != nil {
		binary.LittleEndian.PutUint16(p, uint16(v))
	} else {
		c.storeSlow(o, a, 2, v, afAlignA)
	}
}

// --- General single load/store ----------------------------------------------------

// opLdSt performs any single load or store: flags in imm2 (lsf*, size in
// the low three bits), immediate offset in imm, or register offset from
// rm shifted by sh/amt.
func opLdSt(c *CPU, o *Op) {
	f := o.imm2
	base := c.R[o.rn&15]
	if o.rn == 15 {
		base &^= 3 // literal: Align(PC, 4)
	}
	off := o.imm
	if f&lsfReg != 0 {
		off = shiftVal(c.R[o.rm&15], o.sh, uint32(o.amt), c.C)
		if f&lsfSub != 0 {
			off = -off
		}
	}
	addr := base
	if f&lsfPre != 0 {
		addr += off
	}
	size := int(f & 7)
	user := f&lsfUser != 0
	if f&lsfLoad != 0 {
		v, ok := c.loadSized(o, addr, size, user)
		if !ok {
			return
		}
		if f&lsfSigned != 0 {
			if size == 1 {
				v = uint32(int8(v))
			} else {
				v = uint32(int16(v))
			}
		}
		if f&lsfWB != 0 {
			c.writeBack(o.rn, addr, base+off, f&lsfPre != 0)
		}
		if o.rd == 15 {
			c.loadWritePC(v)
		} else {
			c.R[o.rd&15] = v
		}
		return
	}
	if !c.storeSized(o, addr, size, c.R[o.rd&15], user) {
		return
	}
	if f&lsfWB != 0 {
		c.writeBack(o.rn, addr, base+off, f&lsfPre != 0)
	}
}

// writeBack updates the base register of an indexed access: the address
// used (pre-indexed) or base+offset (post-indexed). Writeback to the PC
// is UNPREDICTABLE; like QEMU it is a branch.
func (c *CPU) writeBack(rn uint8, addr, post uint32, pre bool) {
	if !pre {
		addr = post
	}
	c.setRegBranch(rn, addr)
}

// setRegBranch writes register r; the PC is written as a branch without
// interworking (QEMU's store_reg for UNPREDICTABLE PC destinations).
func (c *CPU) setRegBranch(r uint8, v uint32) {
	if r == 15 {
		c.branchWritePC(v)
		return
	}
	c.R[r&15] = v
}

// loadSized loads size bytes; user selects an unprivileged access (LDRT).
// Unaligned word and halfword accesses are allowed unless SCTLR.A is set
// (ARM ARM A3.2.1).
func (c *CPU) loadSized(o *Op, va uint32, size int, user bool) (uint32, bool) {
	if user {
		af := afUser
		if size > 1 {
			af |= afAlignA
		}
		return c.load(o, va, size, af)
	}
	switch size {
	case 4:
		return c.ld32(o, va)
	case 2:
		return c.ld16(o, va)
	}
	return c.ld8(o, va)
}

func (c *CPU) storeSized(o *Op, va uint32, size int, v uint32, user bool) bool {
	if user {
		af := afUser
		if size > 1 {
			af |= afAlignA
		}
		return c.store(o, va, size, v, af)
	}
	switch size {
	case 4:
		return c.st32(o, va, v)
	case 2:
		return c.st16(o, va, v)
	}
	return c.st8(o, va, v)
}

// alignmentAbort takes the Data Abort for a misaligned access that must
// fault whatever SCTLR.A says (exclusives, doubleword exclusives).
func (c *CPU) alignmentAbort(o *Op, va uint32, write bool) {
	c.abortFor(o, va, c.mem.faultStatus(fsAlignment), write)
}

// --- LDRD / STRD --------------------------------------------------------------------
// Word-aligned accesses whatever SCTLR.A says (A3.2.1).

func opLDRDi(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	v1, ok := c.ld32a(o, a)
	if !ok {
		return
	}
	v2, ok := c.ld32a(o, a+4)
	if !ok {
		return
	}
	c.R[o.rd&15] = v1
	c.R[o.ra&15] = v2
}

func opSTRDi(c *CPU, o *Op) {
	a := c.R[o.rn&15] + o.imm
	if c.st32a(o, a, c.R[o.rd&15]) {
		c.st32a(o, a+4, c.R[o.ra&15])
	}
}

// ldrdAddr computes the address and writeback value of LDRD/STRD from the
// ld* flags in o.sh.
func (c *CPU) ldrdAddr(o *Op) (addr, post uint32) {
	base := c.R[o.rn&15]
	if o.rn == 15 {
		base &^= 3
	}
	off := o.imm
	if o.sh&ldReg != 0 {
		off = c.R[o.rm&15]
		if o.sh&ldSub != 0 {
			off = -off
		}
	}
	addr = base
	if o.sh&ldPre != 0 {
		addr += off
	}
	return addr, base + off
}

func opLDRD(c *CPU, o *Op) {
	a, post := c.ldrdAddr(o)
	v1, ok := c.ld32a(o, a)
	if !ok {
		return
	}
	v2, ok := c.ld32a(o, a+4)
	if !ok {
		return
	}
	// QEMU's order: Rt, Rt2, then the base.
	c.setRegBranch(o.rd, v1)
	c.setRegBranch(o.ra, v2)
	if o.sh&ldWB != 0 {
		c.writeBack(o.rn, a, post, o.sh&ldPre != 0)
	}
}

func opSTRD(c *CPU, o *Op) {
	a, post := c.ldrdAddr(o)
	if !c.st32a(o, a, c.R[o.rd&15]) || !c.st32a(o, a+4, c.R[o.ra&15]) {
		return
	}
	if o.sh&ldWB != 0 {
		c.writeBack(o.rn, a, post, o.sh&ldPre != 0)
	}
}

// --- LDM / STM ------------------------------------------------------------------------
// imm: register list (low half) and writeback delta (high half, signed);
// imm2: offset of the lowest address from Rn. Word-aligned accesses.

func blockDelta(o *Op) uint32 { return uint32(int32(o.imm) >> 16) }

func opLDM(c *CPU, o *Op) {
	list := o.imm & 0xffff
	base := c.R[o.rn&15]
	addr := base + o.imm2
	n := uint32(bits.OnesCount32(list))
	e := &c.mem.cur[addr>>pageShift&(tlbSize-1)]
	if e.read == addr&^(pageMask^3) && addr&pageMask+4*n <= pageSize {
		// All in one readable RAM page: no access can fault. The base is
		// written first so that a loaded Rn (no writeback) wins.
		c.R[o.rn&15] = base + blockDelta(o)
		p := e.host[addr&pageMask:]
		for l := list & 0x7fff; l != 0; l &= l - 1 {
			c.R[bits.TrailingZeros32(l)&15] = binary.LittleEndian.Uint32(p)
			p = p[4:]
		}
		if list&0x8000 != 0 {
			c.loadWritePC(binary.LittleEndian.Uint32(p))
		}
		return
	}
	var vals [16]uint32
	if !c.ldmLoad(o, addr, list, &vals) {
		return
	}
	c.R[o.rn&15] = base + blockDelta(o)
	k := 0
	for l := list & 0x7fff; l != 0; l &= l - 1 {
		c.R[bits.TrailingZeros32(l)&15] = vals[k&15]
		k++
	}
	if list&0x8000 != 0 {
		c.loadWritePC(vals[k&15])
	}
}

// ldmLoad loads the words of an LDM into vals, in list order.
func (c *CPU) ldmLoad(o *Op, addr, list uint32, vals *[16]uint32) bool {
	k := 0
	for l := list; l != 0; l &= l - 1 {
		v, ok := c.ld32a(o, addr)
		if !ok {
			return false
		}
		vals[k&15] = v
		k++
		addr += 4
	}
	return true
}

func opSTM(c *CPU, o *Op) {
	list := o.imm & 0xffff
	base := c.R[o.rn&15]
	addr := base + o.imm2
	n := uint32(bits.OnesCount32(list))
	e := &c.mem.cur[addr>>pageShift&(tlbSize-1)]
	if e.write == addr&^(pageMask^3) && addr&pageMask+4*n <= pageSize {
		p := e.host[addr&pageMask:]
		for l := list; l != 0; l &= l - 1 {
			binary.LittleEndian.PutUint32(p, c.R[bits.TrailingZeros32(l)&15])
			p = p[4:]
		}
	} else {
		for l := list; l != 0; l &= l - 1 {
			if !c.st32a(o, addr, c.R[bits.TrailingZeros32(l)&15]) {
				return
			}
			addr += 4
		}
	}
	c.R[o.rn&15] = base + blockDelta(o)
}

// opLDMUser loads User mode registers (LDM ^ without the PC).
func opLDMUser(c *CPU, o *Op) {
	if c.mode == ModeUSR {
		c.undefined(o)
		return
	}
	var vals [16]uint32
	list := o.imm & 0xffff
	if !c.ldmLoad(o, c.R[o.rn&15]+o.imm2, list, &vals) {
		return
	}
	k := 0
	for l := list; l != 0; l &= l - 1 {
		*c.bankedReg(ModeUSR, bits.TrailingZeros32(l)) = vals[k&15]
		k++
	}
}

// opSTMUser stores User mode registers (STM ^).
func opSTMUser(c *CPU, o *Op) {
	if c.mode == ModeUSR {
		c.undefined(o)
		return
	}
	list := o.imm & 0xffff
	base := c.R[o.rn&15]
	addr := base + o.imm2
	for l := list; l != 0; l &= l - 1 {
		if !c.st32a(o, addr, *c.bankedReg(ModeUSR, bits.TrailingZeros32(l))) {
			return
		}
		addr += 4
	}
	c.R[o.rn&15] = base + blockDelta(o)
}

// opLDMExcRet is LDM (exception return): the registers are loaded in the
// current mode, then the CPSR is restored from the SPSR and the PC
// written (B9.3.4). In System mode, which has no SPSR (UNPREDICTABLE),
// it only branches, as exceptionReturn documents for QEMU.
func opLDMExcRet(c *CPU, o *Op) {
	if c.mode == ModeUSR {
		c.undefined(o)
		return
	}
	var vals [16]uint32
	list := o.imm & 0xffff
	base := c.R[o.rn&15]
	if !c.ldmLoad(o, base+o.imm2, list, &vals) {
		return
	}
	c.R[o.rn&15] = base + blockDelta(o)
	k := 0
	for l := list & 0x7fff; l != 0; l &= l - 1 {
		c.R[bits.TrailingZeros32(l)&15] = vals[k&15]
		k++
	}
	pc := vals[k&15]
	if bankOf(c.mode) <= bankUSR {
		c.branchWritePC(pc)
		return
	}
	c.exceptionReturn(pc, c.SPSR())
}

// --- Exclusives ----------------------------------------------------------------------
// The local monitor (ARM ARM A3.4.1) records the address and size of the
// last LDREX*. STREX* succeeds when it is open for the same address and
// memory still holds the value LDREX loaded, and closes it either way (as
// QEMU, whose STREX is a compare-and-swap). A misaligned exclusive access
// takes an alignment fault whatever SCTLR.A says (A3.2.1), also when the
// store would fail; a failing STREX performs no translation (like QEMU).

func opLDREX(c *CPU, o *Op) {
	addr := c.R[o.rn&15] + o.imm
	size := uint32(o.amt)
	if addr&(size-1) != 0 {
		c.alignmentAbort(o, addr, false)
		return
	}
	v, ok := c.loadSized(o, addr, int(size), false)
	if !ok {
		return
	}
	c.exclValid, c.exclAddr, c.exclSize, c.exclVal = true, addr, o.amt, uint64(v)
	c.R[o.rd&15] = v
}

func opLDREXD(c *CPU, o *Op) {
	addr := c.R[o.rn&15]
	if addr&7 != 0 {
		c.alignmentAbort(o, addr, false)
		return
	}
	v1, ok := c.ld32a(o, addr)
	if !ok {
		return
	}
	v2, ok := c.ld32a(o, addr+4)
	if !ok {
		return
	}
	c.exclValid, c.exclAddr, c.exclSize, c.exclVal = true, addr, 8, uint64(v2)<<32|uint64(v1)
	c.R[o.rd&15] = v1
	c.R[o.ra&15] = v2
}

func opSTREX(c *CPU, o *Op) {
	addr := c.R[o.rn&15] + o.imm
	size := uint32(o.amt)
	if addr&(size-1) != 0 {
		c.alignmentAbort(o, addr, true)
		return
	}
	status := uint32(1)
	if c.exclValid && c.exclAddr == addr {
		// As QEMU: the store succeeds when memory still holds the value
		// LDREX loaded (a compare-and-swap), whatever the sizes.
		cur, ok := c.loadSized(o, addr, int(size), false)
		if !ok {
			return
		}
		if uint64(cur) == c.exclVal {
			if !c.storeSized(o, addr, int(size), c.R[o.rd&15], false) {
				return
			}
			status = 0
		}
	}
	c.exclValid = false
	c.R[o.ra&15] = status
}

func opSTREXD(c *CPU, o *Op) {
	addr := c.R[o.rn&15]
	if addr&7 != 0 {
		c.alignmentAbort(o, addr, true)
		return
	}
	status := uint32(1)
	if c.exclValid && c.exclAddr == addr {
		lo, ok := c.ld32a(o, addr)
		if !ok {
			return
		}
		hi, ok := c.ld32a(o, addr+4)
		if !ok {
			return
		}
		// Rt at the lower address, Rt2 at the higher, in either
		// endianness (A8.8.214).
		if uint64(hi)<<32|uint64(lo) == c.exclVal {
			if !c.st32a(o, addr, c.R[o.rd&15]) || !c.st32a(o, addr+4, c.R[o.rm&15]) {
				return
			}
			status = 0
		}
	}
	c.exclValid = false
	c.R[o.ra&15] = status
}

func opCLREX(c *CPU, o *Op) { c.exclValid = false }

// opSWP swaps a word or byte (amt = size) between Rm and memory at Rn,
// loading into Rt.
func opSWP(c *CPU, o *Op) {
	addr := c.R[o.rn&15]
	size := int(o.amt)
	if size == 4 && addr&3 != 0 {
		c.alignmentAbort(o, addr, false)
		return
	}
	v, ok := c.loadSized(o, addr, size, false)
	if !ok {
		return
	}
	if !c.storeSized(o, addr, size, c.R[o.rm&15], false) {
		return
	}
	c.setRegBranch(o.rd, v)
}

// --- Table branch --------------------------------------------------------------------
// imm is the PC value the instruction reads (address + 4).

func opTBB(c *CPU, o *Op) {
	if v, ok := c.ld8(o, c.R[o.rn&15]+c.R[o.rm&15]); ok {
		c.branchWritePC(o.imm + 2*v)
	}
}

func opTBH(c *CPU, o *Op) {
	if v, ok := c.ld16(o, c.R[o.rn&15]+c.R[o.rm&15]<<1); ok {
		c.branchWritePC(o.imm + 2*v)
	}
}
