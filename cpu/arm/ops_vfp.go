package arm

// Floating-point (VFP) instruction semantics (ARM ARM A8.8, the
// floating-point instructions), the ops translate_vfp.go emits. Every op
// first makes the run-time access check (vfp.go) and returns if it took
// the Undefined Instruction exception. The arithmetic is softfloat's; an
// op passes it the environment FPSCR selects and ORs the exception flags
// it raised back into FPSCR.

import sf "mimic/cpu/arm/softfloat"

// Operand accessors: a register field holds vfpTag|n (translate_vfp.go).

func (v *vfpState) sreg(r uint8) uint32       { return v.word(r & 31) }
func (v *vfpState) setSreg(r uint8, x uint32) { v.setWord(r&31, x) }

// vfpWriteRt writes a value read from the extension to core register r;
// r = 15 sets N, Z, C and V from bits 31:28 instead (VMRS APSR_nzcv).
func (c *CPU) vfpWriteRt(r uint8, x uint32) {
	if r == 15 {
		c.N, c.Z, c.C, c.V = x&psrN != 0, x&psrZ != 0, x&psrC != 0, x&psrV != 0
		return
	}
	c.R[r&15] = x
}

// vfpWriteCore writes core register r, branching when r is the PC.
func (c *CPU) vfpWriteCore(r uint8, x uint32) {
	if r == 15 {
		c.branchWritePC(x)
		return
	}
	c.R[r&15] = x
}

// --- Three-register arithmetic ---------------------------------------------------

// The arithmetic of the three-register ops is passed to the shared
// helpers as a function taking the environment by value and returning the
// result and the flags raised: an *Env handed to a function value would
// escape, costing an allocation per instruction.
type (
	fn2s func(a, b uint32, e sf.Env) (uint32, uint32)
	fn2d func(a, b uint64, e sf.Env) (uint64, uint32)
	fn3s func(d, n, m uint32, e sf.Env) (uint32, uint32)
	fn3d func(d, n, m uint64, e sf.Env) (uint64, uint32)
)

func (c *CPU) vfpBinS(o *Op, fn fn2s) {
	if !c.vfpDPOK(o) {
		return
	}
	v := &c.vfp
	r, flags := fn(v.sreg(o.rn), v.sreg(o.rm), v.env())
	v.setSreg(o.rd, r)
	v.fpscr |= flags
}

func (c *CPU) vfpBinD(o *Op, fn fn2d) {
	if !c.vfpDPOK(o) {
		return
	}
	v := &c.vfp
	r, flags := fn(v.d[o.rn&31], v.d[o.rm&31], v.env())
	v.d[o.rd&31] = r
	v.fpscr |= flags
}

// vfpAccS and vfpAccD are the multiply-accumulates: Vd is also an input.
func (c *CPU) vfpAccS(o *Op, fn fn3s) {
	if !c.vfpDPOK(o) {
		return
	}
	v := &c.vfp
	r, flags := fn(v.sreg(o.rd), v.sreg(o.rn), v.sreg(o.rm), v.env())
	v.setSreg(o.rd, r)
	v.fpscr |= flags
}

func (c *CPU) vfpAccD(o *Op, fn fn3d) {
	if !c.vfpDPOK(o) {
		return
	}
	v := &c.vfp
	r, flags := fn(v.d[o.rd&31], v.d[o.rn&31], v.d[o.rm&31], v.env())
	v.d[o.rd&31] = r
	v.fpscr |= flags
}

func opVADDs(c *CPU, o *Op) {
	c.vfpBinS(o, func(a, b uint32, e sf.Env) (uint32, uint32) {
		r := sf.Add32(a, b, &e)
		return r, e.Flags
	})
}

func opVADDd(c *CPU, o *Op) {
	c.vfpBinD(o, func(a, b uint64, e sf.Env) (uint64, uint32) {
		r := sf.Add64(a, b, &e)
		return r, e.Flags
	})
}

func opVSUBs(c *CPU, o *Op) {
	c.vfpBinS(o, func(a, b uint32, e sf.Env) (uint32, uint32) {
		r := sf.Sub32(a, b, &e)
		return r, e.Flags
	})
}

func opVSUBd(c *CPU, o *Op) {
	c.vfpBinD(o, func(a, b uint64, e sf.Env) (uint64, uint32) {
		r := sf.Sub64(a, b, &e)
		return r, e.Flags
	})
}

func opVMULs(c *CPU, o *Op) {
	c.vfpBinS(o, func(a, b uint32, e sf.Env) (uint32, uint32) {
		r := sf.Mul32(a, b, &e)
		return r, e.Flags
	})
}

func opVMULd(c *CPU, o *Op) {
	c.vfpBinD(o, func(a, b uint64, e sf.Env) (uint64, uint32) {
		r := sf.Mul64(a, b, &e)
		return r, e.Flags
	})
}

func opVDIVs(c *CPU, o *Op) {
	c.vfpBinS(o, func(a, b uint32, e sf.Env) (uint32, uint32) {
		r := sf.Div32(a, b, &e)
		return r, e.Flags
	})
}

func opVDIVd(c *CPU, o *Op) {
	c.vfpBinD(o, func(a, b uint64, e sf.Env) (uint64, uint32) {
		r := sf.Div64(a, b, &e)
		return r, e.Flags
	})
}

// VNMUL: -(n*m), the negation after rounding.
func opVNMULs(c *CPU, o *Op) {
	c.vfpBinS(o, func(a, b uint32, e sf.Env) (uint32, uint32) {
		r := sf.Neg32(sf.Mul32(a, b, &e))
		return r, e.Flags
	})
}

func opVNMULd(c *CPU, o *Op) {
	c.vfpBinD(o, func(a, b uint64, e sf.Env) (uint64, uint32) {
		r := sf.Neg64(sf.Mul64(a, b, &e))
		return r, e.Flags
	})
}

// The non-fused multiply-accumulates: VMLA d + n*m, VMLS d + -(n*m),
// VNMLA -d + -(n*m), VNMLS -d + n*m.
func opVMLAs(c *CPU, o *Op) {
	c.vfpAccS(o, func(d, n, m uint32, e sf.Env) (uint32, uint32) {
		r := sf.MulAcc32(d, n, m, false, false, &e)
		return r, e.Flags
	})
}

func opVMLAd(c *CPU, o *Op) {
	c.vfpAccD(o, func(d, n, m uint64, e sf.Env) (uint64, uint32) {
		r := sf.MulAcc64(d, n, m, false, false, &e)
		return r, e.Flags
	})
}

func opVMLSs(c *CPU, o *Op) {
	c.vfpAccS(o, func(d, n, m uint32, e sf.Env) (uint32, uint32) {
		r := sf.MulAcc32(d, n, m, true, false, &e)
		return r, e.Flags
	})
}

func opVMLSd(c *CPU, o *Op) {
	c.vfpAccD(o, func(d, n, m uint64, e sf.Env) (uint64, uint32) {
		r := sf.MulAcc64(d, n, m, true, false, &e)
		return r, e.Flags
	})
}

func opVNMLAs(c *CPU, o *Op) {
	c.vfpAccS(o, func(d, n, m uint32, e sf.Env) (uint32, uint32) {
		r := sf.MulAcc32(d, n, m, true, true, &e)
		return r, e.Flags
	})
}

func opVNMLAd(c *CPU, o *Op) {
	c.vfpAccD(o, func(d, n, m uint64, e sf.Env) (uint64, uint32) {
		r := sf.MulAcc64(d, n, m, true, true, &e)
		return r, e.Flags
	})
}

func opVNMLSs(c *CPU, o *Op) {
	c.vfpAccS(o, func(d, n, m uint32, e sf.Env) (uint32, uint32) {
		r := sf.MulAcc32(d, n, m, false, true, &e)
		return r, e.Flags
	})
}

func opVNMLSd(c *CPU, o *Op) {
	c.vfpAccD(o, func(d, n, m uint64, e sf.Env) (uint64, uint32) {
		r := sf.MulAcc64(d, n, m, false, true, &e)
		return r, e.Flags
	})
}

// The fused multiply-accumulates (VFPv4): VFMA d + n*m, VFMS d + (-n)*m,
// VFNMA -d + (-n)*m, VFNMS -d + n*m, rounded once. The negations act on
// the operands, so a propagated NaN shows the flipped sign.
func opVFMAs(c *CPU, o *Op) {
	c.vfpAccS(o, func(d, n, m uint32, e sf.Env) (uint32, uint32) {
		r := sf.MulAdd32(d, n, m, &e)
		return r, e.Flags
	})
}

func opVFMAd(c *CPU, o *Op) {
	c.vfpAccD(o, func(d, n, m uint64, e sf.Env) (uint64, uint32) {
		r := sf.MulAdd64(d, n, m, &e)
		return r, e.Flags
	})
}

func opVFMSs(c *CPU, o *Op) {
	c.vfpAccS(o, func(d, n, m uint32, e sf.Env) (uint32, uint32) {
		r := sf.MulAdd32(d, sf.Neg32(n), m, &e)
		return r, e.Flags
	})
}

func opVFMSd(c *CPU, o *Op) {
	c.vfpAccD(o, func(d, n, m uint64, e sf.Env) (uint64, uint32) {
		r := sf.MulAdd64(d, sf.Neg64(n), m, &e)
		return r, e.Flags
	})
}

func opVFNMAs(c *CPU, o *Op) {
	c.vfpAccS(o, func(d, n, m uint32, e sf.Env) (uint32, uint32) {
		r := sf.MulAdd32(sf.Neg32(d), sf.Neg32(n), m, &e)
		return r, e.Flags
	})
}

func opVFNMAd(c *CPU, o *Op) {
	c.vfpAccD(o, func(d, n, m uint64, e sf.Env) (uint64, uint32) {
		r := sf.MulAdd64(sf.Neg64(d), sf.Neg64(n), m, &e)
		return r, e.Flags
	})
}

func opVFNMSs(c *CPU, o *Op) {
	c.vfpAccS(o, func(d, n, m uint32, e sf.Env) (uint32, uint32) {
		r := sf.MulAdd32(sf.Neg32(d), n, m, &e)
		return r, e.Flags
	})
}

func opVFNMSd(c *CPU, o *Op) {
	c.vfpAccD(o, func(d, n, m uint64, e sf.Env) (uint64, uint32) {
		r := sf.MulAdd64(sf.Neg64(d), n, m, &e)
		return r, e.Flags
	})
}

// --- Two-register operations and VMOV (immediate) -----------------------------------

func opVMOVs(c *CPU, o *Op) {
	if c.vfpDPOK(o) {
		c.vfp.setSreg(o.rd, c.vfp.sreg(o.rm))
	}
}

func opVMOVd(c *CPU, o *Op) {
	if c.vfpDPOK(o) {
		c.vfp.d[o.rd&31] = c.vfp.d[o.rm&31]
	}
}

func opVABSs(c *CPU, o *Op) {
	if c.vfpDPOK(o) {
		c.vfp.setSreg(o.rd, sf.Abs32(c.vfp.sreg(o.rm)))
	}
}

func opVABSd(c *CPU, o *Op) {
	if c.vfpDPOK(o) {
		c.vfp.d[o.rd&31] = sf.Abs64(c.vfp.d[o.rm&31])
	}
}

func opVNEGs(c *CPU, o *Op) {
	if c.vfpDPOK(o) {
		c.vfp.setSreg(o.rd, sf.Neg32(c.vfp.sreg(o.rm)))
	}
}

func opVNEGd(c *CPU, o *Op) {
	if c.vfpDPOK(o) {
		c.vfp.d[o.rd&31] = sf.Neg64(c.vfp.d[o.rm&31])
	}
}

func opVSQRTs(c *CPU, o *Op) {
	if !c.vfpDPOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	v.setSreg(o.rd, sf.Sqrt32(v.sreg(o.rm), &e))
	v.fpscr |= e.Flags
}

func opVSQRTd(c *CPU, o *Op) {
	if !c.vfpDPOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	v.d[o.rd&31] = sf.Sqrt64(v.d[o.rm&31], &e)
	v.fpscr |= e.Flags
}

func opVMOVIs(c *CPU, o *Op) {
	if c.vfpDPOK(o) {
		c.vfp.setSreg(o.rd, o.imm)
	}
}

func opVMOVId(c *CPU, o *Op) {
	if c.vfpDPOK(o) {
		c.vfp.d[o.rd&31] = uint64(o.imm) << 32
	}
}

// --- Compare -------------------------------------------------------------------------

// vfpSetNZCV sets FPSCR.NZCV from a FPCompare result and adds the flags.
func (v *vfpState) setCompare(nzcv uint32, e *sf.Env) {
	v.fpscr = v.fpscr&^sf.NZCVMask | nzcv<<sf.NZCVShift | e.Flags
}

func (c *CPU) vfpCmpS(o *Op, b uint32, signal bool) {
	v := &c.vfp
	e := v.env()
	v.setCompare(sf.Compare32(v.sreg(o.rd), b, signal, &e), &e)
}

func (c *CPU) vfpCmpD(o *Op, b uint64, signal bool) {
	v := &c.vfp
	e := v.env()
	v.setCompare(sf.Compare64(v.d[o.rd&31], b, signal, &e), &e)
}

func opVCMPs(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfpCmpS(o, c.vfp.sreg(o.rm), false)
	}
}

func opVCMPd(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfpCmpD(o, c.vfp.d[o.rm&31], false)
	}
}

func opVCMPEs(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfpCmpS(o, c.vfp.sreg(o.rm), true)
	}
}

func opVCMPEd(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfpCmpD(o, c.vfp.d[o.rm&31], true)
	}
}

func opVCMPZs(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfpCmpS(o, 0, false)
	}
}

func opVCMPZd(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfpCmpD(o, 0, false)
	}
}

func opVCMPEZs(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfpCmpS(o, 0, true)
	}
}

func opVCMPEZd(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfpCmpD(o, 0, true)
	}
}

// --- Conversions -----------------------------------------------------------------------

// opVCVTds is VCVT.F64.F32 Dd, Sm.
func opVCVTds(c *CPU, o *Op) {
	if !c.vfpOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	v.d[o.rd&31] = sf.F32ToF64(v.sreg(o.rm), &e)
	v.fpscr |= e.Flags
}

// opVCVTsd is VCVT.F32.F64 Sd, Dm.
func opVCVTsd(c *CPU, o *Op) {
	if !c.vfpOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	v.setSreg(o.rd, sf.F64ToF32(v.d[o.rm&31], &e))
	v.fpscr |= e.Flags
}

// opVCVTfromHalf is VCVTB/VCVTT.F32.F16: the half in bits amt+15:amt of Sm.
func opVCVTfromHalf(c *CPU, o *Op) {
	if !c.vfpOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	v.setSreg(o.rd, sf.F16ToF32(uint16(v.sreg(o.rm)>>(o.amt&16)), &e))
	v.fpscr |= e.Flags
}

// opVCVTtoHalf is VCVTB/VCVTT.F16.F32: the result replaces bits
// amt+15:amt of Sd, the other half is kept.
func opVCVTtoHalf(c *CPU, o *Op) {
	if !c.vfpOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	h := uint32(sf.F32ToF16(v.sreg(o.rm), &e))
	sh := o.amt & 16
	v.setSreg(o.rd, v.sreg(o.rd)&^(0xffff<<sh)|h<<sh)
	v.fpscr |= e.Flags
}

// Integer to floating-point, rounded under FPSCR (Sm holds the integer).
func (c *CPU) vfpFromIntS(o *Op, unsigned bool) {
	if !c.vfpOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	v.setSreg(o.rd, sf.FixedToF32(uint64(v.sreg(o.rm)), 32, 0, unsigned, e.RMode, &e))
	v.fpscr |= e.Flags
}

func (c *CPU) vfpFromIntD(o *Op, unsigned bool) {
	if !c.vfpOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	v.d[o.rd&31] = sf.FixedToF64(uint64(v.sreg(o.rm)), 32, 0, unsigned, e.RMode, &e)
	v.fpscr |= e.Flags
}

func opVCVTfromU32s(c *CPU, o *Op) { c.vfpFromIntS(o, true) }
func opVCVTfromS32s(c *CPU, o *Op) { c.vfpFromIntS(o, false) }
func opVCVTfromU32d(c *CPU, o *Op) { c.vfpFromIntD(o, true) }
func opVCVTfromS32d(c *CPU, o *Op) { c.vfpFromIntD(o, false) }

// Floating-point to integer in Sd: VCVT rounds towards zero, VCVTR under
// FPSCR.
func (c *CPU) vfpToIntS(o *Op, unsigned, fpscrRounding bool) {
	if !c.vfpOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	rm := sf.RoundZero
	if fpscrRounding {
		rm = e.RMode
	}
	v.setSreg(o.rd, uint32(sf.F32ToFixed(v.sreg(o.rm), 32, 0, unsigned, rm, &e)))
	v.fpscr |= e.Flags
}

func (c *CPU) vfpToIntD(o *Op, unsigned, fpscrRounding bool) {
	if !c.vfpOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	rm := sf.RoundZero
	if fpscrRounding {
		rm = e.RMode
	}
	v.setSreg(o.rd, uint32(sf.F64ToFixed(v.d[o.rm&31], 32, 0, unsigned, rm, &e)))
	v.fpscr |= e.Flags
}

func opVCVTtoU32s(c *CPU, o *Op)  { c.vfpToIntS(o, true, false) }
func opVCVTtoS32s(c *CPU, o *Op)  { c.vfpToIntS(o, false, false) }
func opVCVTRtoU32s(c *CPU, o *Op) { c.vfpToIntS(o, true, true) }
func opVCVTRtoS32s(c *CPU, o *Op) { c.vfpToIntS(o, false, true) }
func opVCVTtoU32d(c *CPU, o *Op)  { c.vfpToIntD(o, true, false) }
func opVCVTtoS32d(c *CPU, o *Op)  { c.vfpToIntD(o, false, false) }
func opVCVTRtoU32d(c *CPU, o *Op) { c.vfpToIntD(o, true, true) }
func opVCVTRtoS32d(c *CPU, o *Op) { c.vfpToIntD(o, false, true) }

// Fixed-point conversions, in place (ARM ARM VCVT between floating-point
// and fixed-point): amt is the size (16 or 32), sh 1 for unsigned, imm
// the fraction bits as an int32. To fixed-point rounds towards zero and
// sign- or zero-extends the result to the register; from fixed-point
// reads the low size bits and rounds to nearest (FixedToFP with
// round_to_nearest, as in the ARMv7 pseudocode and QEMU).
func opVCVTtoFixeds(c *CPU, o *Op) {
	if !c.vfpOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	r := sf.F32ToFixed(v.sreg(o.rd), int(o.amt), int(int32(o.imm)), o.sh != 0, sf.RoundZero, &e)
	v.setSreg(o.rd, uint32(r))
	v.fpscr |= e.Flags
}

func opVCVTtoFixedd(c *CPU, o *Op) {
	if !c.vfpOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	v.d[o.rd&31] = sf.F64ToFixed(v.d[o.rd&31], int(o.amt), int(int32(o.imm)), o.sh != 0, sf.RoundZero, &e)
	v.fpscr |= e.Flags
}

func opVCVTfromFixeds(c *CPU, o *Op) {
	if !c.vfpOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	v.setSreg(o.rd, sf.FixedToF32(uint64(v.sreg(o.rd)), int(o.amt), int(int32(o.imm)), o.sh != 0, sf.RoundNearest, &e))
	v.fpscr |= e.Flags
}

func opVCVTfromFixedd(c *CPU, o *Op) {
	if !c.vfpOK(o) {
		return
	}
	v := &c.vfp
	e := v.env()
	v.d[o.rd&31] = sf.FixedToF64(v.d[o.rd&31], int(o.amt), int(int32(o.imm)), o.sh != 0, sf.RoundNearest, &e)
	v.fpscr |= e.Flags
}

// --- Loads and stores ----------------------------------------------------------------------

// Memory accesses are word-aligned (MemA): a misaligned address takes an
// alignment fault whatever SCTLR.A says. A doubleword is two word
// accesses, the low-addressed word being the low half of the register
// when little-endian and the high half when big-endian (ARM ARM VLDR).
// Registers are written only after every access succeeded.

func (c *CPU) vfpLoad64(o *Op, addr uint32) (uint64, bool) {
	w1, ok := c.ld32a(o, addr)
	if !ok {
		return 0, false
	}
	w2, ok := c.ld32a(o, addr+4)
	if !ok {
		return 0, false
	}
	if c.E {
		return uint64(w1)<<32 | uint64(w2), true
	}
	return uint64(w2)<<32 | uint64(w1), true
}

func (c *CPU) vfpStore64(o *Op, addr uint32, x uint64) bool {
	w1, w2 := uint32(x), uint32(x>>32)
	if c.E {
		w1, w2 = w2, w1
	}
	return c.st32a(o, addr, w1) && c.st32a(o, addr+4, w2)
}

func (c *CPU) vfpLDRs(o *Op, addr uint32) {
	if !c.vfpOK(o) {
		return
	}
	if x, ok := c.ld32a(o, addr); ok {
		c.vfp.setSreg(o.rd, x)
	}
}

func (c *CPU) vfpLDRd(o *Op, addr uint32) {
	if !c.vfpOK(o) {
		return
	}
	if x, ok := c.vfpLoad64(o, addr); ok {
		c.vfp.d[o.rd&31] = x
	}
}

func (c *CPU) vfpSTRs(o *Op, addr uint32) {
	if c.vfpOK(o) {
		c.st32a(o, addr, c.vfp.sreg(o.rd))
	}
}

func (c *CPU) vfpSTRd(o *Op, addr uint32) {
	if c.vfpOK(o) {
		c.vfpStore64(o, addr, c.vfp.d[o.rd&31])
	}
}

func opVLDRs(c *CPU, o *Op)    { c.vfpLDRs(o, c.R[o.rn]+o.imm) }
func opVLDRd(c *CPU, o *Op)    { c.vfpLDRd(o, c.R[o.rn]+o.imm) }
func opVSTRs(c *CPU, o *Op)    { c.vfpSTRs(o, c.R[o.rn]+o.imm) }
func opVSTRd(c *CPU, o *Op)    { c.vfpSTRd(o, c.R[o.rn]+o.imm) }
func opVLDRsAbs(c *CPU, o *Op) { c.vfpLDRs(o, o.imm) }
func opVLDRdAbs(c *CPU, o *Op) { c.vfpLDRd(o, o.imm) }
func opVSTRsAbs(c *CPU, o *Op) { c.vfpSTRs(o, o.imm) }
func opVSTRdAbs(c *CPU, o *Op) { c.vfpSTRd(o, o.imm) }

// vldmStart returns the base and first address of a VLDM/VSTM.
func (c *CPU) vldmStart(o *Op) (base, addr uint32) {
	if o.sh&vldmAbs != 0 {
		return 0, o.imm
	}
	base = c.R[o.rn]
	return base, base + o.imm
}

// opVLDM loads amt words into the register file from word rd&63 on.
func opVLDM(c *CPU, o *Op) {
	if !c.vfpOK(o) {
		return
	}
	base, addr := c.vldmStart(o)
	n := int(o.amt & 63)
	var buf [64]uint32
	for i := 0; i < n; i++ {
		x, ok := c.ld32a(o, addr)
		if !ok {
			return
		}
		buf[i] = x
		addr += 4
	}
	v := &c.vfp
	first := o.rd & 63
	if o.sh&vldmDouble != 0 {
		lo, hi := 0, 1
		if c.E {
			lo, hi = 1, 0
		}
		for i := 0; i+1 < n; i += 2 {
			v.d[(int(first)+i)>>1&31] = uint64(buf[i+hi])<<32 | uint64(buf[i+lo])
		}
	} else {
		for i := 0; i < n; i++ {
			v.setWord(first+uint8(i), buf[i])
		}
	}
	if o.sh&vldmWB != 0 {
		c.R[o.rn] = base + o.imm2
	}
}

// opVSTM stores amt words of the register file from word rd&63 on. A
// fault leaves the words already stored in memory but Rn unchanged.
func opVSTM(c *CPU, o *Op) {
	if !c.vfpOK(o) {
		return
	}
	base, addr := c.vldmStart(o)
	n := int(o.amt & 63)
	v := &c.vfp
	first := int(o.rd & 63)
	swap := 0
	if o.sh&vldmDouble != 0 && c.E {
		swap = 1 // big-endian doublewords: high word first
	}
	for i := 0; i < n; i++ {
		if !c.st32a(o, addr, v.word(uint8(first+i^swap))) {
			return
		}
		addr += 4
	}
	if o.sh&vldmWB != 0 {
		c.R[o.rn] = base + o.imm2
	}
}

// --- Register transfers ----------------------------------------------------------------------

// opVMOVtoWord moves core register rn to word imm (VMOV Sn, Rt and VMOV.32
// Dn[x], Rt).
func opVMOVtoWord(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfp.setWord(uint8(o.imm), c.R[o.rn])
	}
}

// opVMOVfromWordNZCV moves word imm to core register amt (VMOV Rt, Sn),
// or to the flags when amt is 15.
func opVMOVfromWordNZCV(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfpWriteRt(o.amt, c.vfp.word(uint8(o.imm)))
	}
}

// opVMOVfromWord moves word imm to core register amt (VMOV.32 Rt, Dn[x]).
func opVMOVfromWord(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.R[o.amt&15] = c.vfp.word(uint8(o.imm))
	}
}

// opVMOVfromWordPC is opVMOVfromWord with Rt = 15: a branch.
func opVMOVfromWordPC(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.branchWritePC(c.vfp.word(uint8(o.imm)))
	}
}

// opVMOVto2 moves core registers rn and rm to words imm and imm+1.
func opVMOVto2(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfp.setWord(uint8(o.imm), c.R[o.rn])
		c.vfp.setWord(uint8(o.imm+1), c.R[o.rm])
	}
}

// opVMOVfrom2 moves words imm and imm+1 to core registers amt and sh.
func opVMOVfrom2(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.R[o.amt&15] = c.vfp.word(uint8(o.imm))
		c.R[o.sh&15] = c.vfp.word(uint8(o.imm + 1))
	}
}

// opVMOVfrom2PC is opVMOVfrom2 with Rt or Rt2 = 15 (a branch).
func opVMOVfrom2PC(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfpWriteCore(o.amt, c.vfp.word(uint8(o.imm)))
		c.vfpWriteCore(o.sh, c.vfp.word(uint8(o.imm+1)))
	}
}

// --- VMRS / VMSR ------------------------------------------------------------------------------

func opVMRSfpscr(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfpWriteRt(o.amt, c.vfp.fpscr)
	}
}

func opVMRSfpexc(c *CPU, o *Op) {
	if c.vfpSysOK(o) {
		c.vfpWriteRt(o.amt, c.vfp.fpexc)
	}
}

// opVMRSid reads an identification register, whose value is imm.
func opVMRSid(c *CPU, o *Op) {
	if c.vfpSysOK(o) {
		c.vfpWriteRt(o.amt, o.imm)
	}
}

func opVMSRfpscr(c *CPU, o *Op) {
	if c.vfpOK(o) {
		c.vfp.fpscr = c.R[o.rn] & fpscrWritable
		if c.m != nil {
			// FPv4-SP has no short vectors: Len and Stride are RES0.
			c.vfp.fpscr &^= fpscrVector
		}
	}
}

func opVMSRfpexc(c *CPU, o *Op) {
	if c.vfpSysOK(o) {
		c.vfp.fpexc = c.R[o.rn] & fpexcEN
	}
}

// opVMSRid is a write to FPSID, MVFR0 or MVFR1: ignored once permitted.
func opVMSRid(c *CPU, o *Op) { c.vfpSysOK(o) }
