package arm

// CP14: the debug registers of the Extended CP14 interface (ARM ARM C6.4,
// v7.1 Debug) that an OS touches, and the ThumbEE registers (A2.10), as
// QEMU's cortex-a15 has them: six breakpoints and four watchpoints
// (DBGDIDR), the OS Lock, and DBGDSCR.
//
// The registers are storage: no breakpoint or watchpoint fires, and
// vector catch does nothing. That is enough for Linux's hw_breakpoint
// probe to find the resources and enable monitor mode.
//
// Deliberate difference from QEMU 7.2: DBGDSCRint shows MDBGEN, HDBGEN,
// UDCCdis and MOE from DBGDSCRext, as the architecture says (QEMU reads
// it as zero, which makes Linux warn "Failed to enable monitor mode").

const (
	dbgdidrA15 = 0x3515f021 // WRPs 4, BRPs 6, CTX_CMPs 2, v7.1, r2
	dbgNumBRP  = 6
	dbgNumWRP  = 4

	// dscrIntMask are the DBGDSCRext bits DBGDSCRint shows.
	dscrIntMask = 1<<15 | 1<<14 | 1<<12 | 0xf<<2

	oslsrOSLM1 = 1 << 3 // OS Lock implemented (OSLM = 0b10)
	oslsrOSLK  = 1 << 1
	oslarKey   = 0xc5acce55

	teecrXED = 1 // TEECR.XED: TEEHBR not accessible at PL0
)

type cp14 struct {
	c          *CPU
	dscr       uint32
	bvr, bcr   [dbgNumBRP]uint32
	wvr, wcr   [dbgNumWRP]uint32
	oslk, osdl bool
	teecr      uint32
	teehbr     uint32
	logged     map[uint32]bool
}

var _ Coprocessor = (*cp14)(nil)

// Reset puts the debug and ThumbEE registers in QEMU's reset state: the OS
// Lock set, everything else zero.
func (d *cp14) Reset() {
	*d = cp14{c: d.c, logged: d.logged, oslk: true}
}

// CP14 register coordinates (cpKey layout).
const (
	regDBGDIDR    = 0x0000
	regDBGDSCRint = 0x0010
	regDBGDSCRext = 0x0022
	regDBGVCR     = 0x0070
	regDBGDRAR    = 0x0100
	regDBGOSLAR   = 0x0104
	regDBGOSLSR   = 0x0114
	regDBGOSDLR   = 0x0134
	regDBGDSAR    = 0x0200
	regTEECR      = 0x6000
	regTEEHBR     = 0x6100
)

func (d *cp14) MRC(opc1, crn, crm, opc2 uint32, priv bool) (uint32, bool) {
	key := cpKey(opc1, crn, crm, opc2)
	switch key {
	case regDBGDIDR:
		return dbgdidrA15, true
	case regDBGDRAR, regDBGDSAR:
		return 0, true // no memory-mapped debug registers
	case regTEEHBR:
		if priv || d.teecr&teecrXED == 0 {
			return d.teehbr, true
		}
		return d.unknown("MRC", key, priv)
	}
	if !priv {
		return d.unknown("MRC", key, priv)
	}
	switch key {
	case regDBGDSCRint:
		return d.dscr & dscrIntMask, true
	case regDBGDSCRext:
		return d.dscr, true
	case regDBGVCR:
		return 0, true // RAZ/WI: no vector catch
	case regDBGOSLSR:
		v := uint32(oslsrOSLM1)
		if d.oslk {
			v |= oslsrOSLK
		}
		return v, true
	case regDBGOSDLR:
		if d.osdl {
			return 1, true
		}
		return 0, true
	case regTEECR:
		return d.teecr, true
	}
	if opc1 == 0 && crn == 0 {
		switch n := crm; opc2 {
		case 4:
			if n < dbgNumBRP {
				return d.bvr[n], true
			}
		case 5:
			if n < dbgNumBRP {
				return d.bcr[n], true
			}
		case 6:
			if n < dbgNumWRP {
				return d.wvr[n], true
			}
		case 7:
			if n < dbgNumWRP {
				return d.wcr[n], true
			}
		}
	}
	return d.unknown("MRC", key, priv)
}

func (d *cp14) MCR(opc1, crn, crm, opc2 uint32, val uint32, priv bool) bool {
	key := cpKey(opc1, crn, crm, opc2)
	if key == regTEEHBR && (priv || d.teecr&teecrXED == 0) {
		d.teehbr = val
		return true
	}
	if priv {
		switch key {
		case regDBGDSCRext:
			d.dscr = val
			return true
		case regDBGVCR:
			return true
		case regDBGOSLAR:
			d.oslk = val == oslarKey
			return true
		case regDBGOSDLR:
			d.osdl = val&1 != 0
			return true
		case regTEECR:
			d.teecr = val & teecrXED
			return true
		}
		if opc1 == 0 && crn == 0 {
			n := crm
			switch {
			case opc2 == 4 && n < dbgNumBRP:
				d.bvr[n] = val
				return true
			case opc2 == 5 && n < dbgNumBRP:
				d.bcr[n] = val
				return true
			case opc2 == 6 && n < dbgNumWRP:
				d.wvr[n] = val &^ 3
				return true
			case opc2 == 7 && n < dbgNumWRP:
				d.wcr[n] = val
				return true
			}
		}
	}
	_, ok := d.unknown("MCR", key, priv)
	return ok
}

// MRRC reads the 64-bit DBGDRAR (CRm 1) and DBGDSAR (CRm 2): zero.
func (d *cp14) MRRC(opc1, crm uint32, priv bool) (uint64, bool) {
	if opc1 == 0 && (crm == 1 || crm == 2) {
		return 0, true
	}
	logOnce(d.c, &d.logged, 14, "MRRC", 1<<16|opc1<<4|crm, priv)
	return 0, false
}

func (d *cp14) MCRR(opc1, crm uint32, val uint64, priv bool) bool {
	logOnce(d.c, &d.logged, 14, "MCRR", 1<<16|opc1<<4|crm, priv)
	return false
}

func (d *cp14) unknown(op string, key uint32, priv bool) (uint32, bool) {
	logOnce(d.c, &d.logged, 14, op, key, priv)
	return 0, false
}
