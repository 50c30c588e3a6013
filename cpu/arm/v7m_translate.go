package arm

import "strings"

// Translation for the M profile: which T32/T16 encodings ARMv7-M and
// ARMv7E-M have (ARMv7-M ARM A5, A7), and the system instructions that
// differ from the A profile: MRS, MSR and CPS (B5.2).

// mClass says what the M profile makes of a decoder pattern.
type mClass uint8

const (
	mOK    mClass = iota // as in the A profile
	mUndef               // not in ARMv7-M: UNDEFINED (UsageFault UNDEFINSTR)
	mDSP                 // ARMv7E-M DSP extension: UNDEFINED on Cortex-M3
	mFP                  // FPv4-SP: NOCP without an FPU
	mFPD                 // double precision: UNDEFINED on FPv4-SP (NOCP without FPU)
	mNOCP                // coprocessor other than CP10/CP11: UsageFault NOCP
)

// Per-pattern classes of the T32 and T16 decoders, by pattern name.
var mT32Class, mT16Class []mClass

func init() {
	mT32Class = make([]mClass, len(t32Patterns))
	for i, p := range t32Patterns {
		mT32Class[i] = mClassT32(p.name)
	}
	mT16Class = make([]mClass, len(t16Patterns))
	for i, p := range t16Patterns {
		if p.name == "SETEND" {
			mT16Class[i] = mUndef
		}
	}
}

func mClassT32(name string) mClass {
	base, variant, _ := strings.Cut(name, ".")
	switch base {
	// A-profile system instructions, absent from ARMv7-M (A5.3.4, B5.2):
	// banked MRS/MSR, SUBS PC, LR, HVC, SMC, RFE, SRS, BXJ, 32-bit CPS,
	// BLX (immediate) (no ARM state), and the doubleword exclusives.
	case "MSRB", "MRSB", "SUBSPC", "HVC", "SMC", "RFE", "SRS", "CPS", "BLXI",
		"LDREXD", "STREXD", "ERET":
		return mUndef
	case "BX":
		if variant == "j" {
			return mUndef
		}
	// ARMv7E-M only (A5.3, "DSP extension" instructions).
	case "PKH", "SAT16", "PAR", "QADDSUB", "SEL", "SMULXY", "SMLAXY", "DUAL",
		"DUALL", "SMULWY", "SMLAWY", "SMML", "USADA8", "SMLALXY", "UMAAL":
		return mDSP
	case "EXT":
		// SXTB/SXTH/UXTB/UXTH are ARMv7-M; the add and 16-bit forms DSP.
		switch variant {
		case "sxth0", "sxth", "uxth0", "uxth", "sxtb0", "sxtb", "uxtb0", "uxtb":
			return mOK
		}
		return mDSP
	case "MCR", "MRC", "MCRR", "MRRC":
		return mNOCP
	case "VMSR", "VMRS":
		// Only FPSCR exists (A7.7.245); FPSID, FPEXC and MVFRn do not.
		if variant != "fpscr" {
			return mUndef
		}
		return mFP
	case "VCVTDS":
		return mFPD
	}
	if strings.HasPrefix(base, "V") {
		// FPv4-SP-D16: double-precision data processing is UNDEFINED;
		// loads, stores and moves of doublewords exist.
		if strings.HasSuffix(variant, ".d") || variant == "d" {
			switch base {
			case "VLDR", "VSTR", "VMOV2", "VMOVR2":
				return mFP
			}
			return mFPD
		}
		return mFP
	}
	return mOK
}

// mFilter applies the M profile to pattern id of tb before its handler
// runs. It returns handled = true with the result when the pattern does
// not run as in the A profile.
func (t *translator) mFilter(tb *isaTable, id int) (ok, handled bool) {
	var k mClass
	switch tb {
	case &t32Table:
		k = mT32Class[id]
	case &t16Table:
		k = mT16Class[id]
	default:
		return false, true // no ARM state
	}
	m := t.c.m
	switch k {
	case mOK:
		return false, false
	case mDSP:
		if m.dsp {
			return false, false
		}
		return false, true
	case mFP, mFPD:
		if !m.fpu {
			t.emitNOCP()
			return true, true
		}
		if k == mFPD {
			return false, true
		}
		return false, false
	case mNOCP:
		t.emitNOCP()
		return true, true
	}
	return false, true
}

func (t *translator) emitNOCP() {
	t.emit(Op{fn: opNOCP})
	t.end = true
}

// mUndefinedInsn decides what an encoding no pattern accepts is on the
// M profile: in the coprocessor space, NOCP unless it names CP10/CP11
// of a present FPU (B3.2.15, A5.3.18); otherwise UNDEFINED.
func (t *translator) mUndefinedInsn() bool {
	if t.size != 4 || t.insn>>26&0x3b != 0x3b {
		return false
	}
	if cp := t.insn >> 8 & 0xf; (cp == 10 || cp == 11) && t.c.m.fpu {
		return false
	}
	t.emitNOCP()
	return true
}

// mInvStateBlock is the block for an address reached with EPSR.T clear:
// its first instruction takes the INVSTATE UsageFault (B1.4.2).
func (c *CPU) mInvStateBlock(pc uint32, pa uint64, st uint32) *Block {
	b := &Block{vpc: pc, pa: pa, state: st, valid: true, ninsn: 1, size: 2, end: pc + 2}
	b.pages = [2]uint64{pa &^ pageMask, pa &^ pageMask}
	b.ops = []Op{{fn: opINVSTATE, pc: pc, size: 2, cond: condAL}}
	b.itEnd = uint8(st >> 1)
	return b
}

// --- MRS, MSR (B5.2.2, B5.2.3) -------------------------------------------------

// Special-register numbers (SYSm, B5.1.1).
const (
	sysmAPSR        = 0
	sysmIPSR        = 5
	sysmMSP         = 8
	sysmPSP         = 9
	sysmPRIMASK     = 16
	sysmBASEPRI     = 17
	sysmBASEPRI_MAX = 18
	sysmFAULTMASK   = 19
	sysmCONTROL     = 20
)

var sysmNames = map[uint32]string{
	0: "apsr", 1: "iapsr", 2: "eapsr", 3: "xpsr", 5: "ipsr", 6: "epsr", 7: "iepsr",
	8: "msp", 9: "psp", 16: "primask", 17: "basepri", 18: "basepri_max",
	19: "faultmask", 20: "control",
}

func sysmName(v uint32) string {
	if s, ok := sysmNames[v&0xff]; ok {
		return s
	}
	return "sysm" + itoa(v&0xff)
}

func itoa(v uint32) string {
	if v == 0 {
		return "0"
	}
	var b [10]byte
	i := len(b)
	for ; v > 0; v /= 10 {
		i--
		b[i] = byte('0' + v%10)
	}
	return string(b[i:])
}

func validSYSm(v uint32) bool {
	_, ok := sysmNames[v]
	return ok
}

// MRSM is the M-profile MRS; in the A profile the encoding is UNDEFINED.
func (t *translator) MRSM(f *fields) bool {
	if t.c.m == nil || f.R != 0 || !validSYSm(f.i) {
		return false
	}
	// UNPREDICTABLE: Rd = 13 or 15; the value is written as QEMU does.
	t.emit(Op{fn: opMRSM, imm: f.i, sh: uint8(f.d)})
	if f.d == 15 {
		t.end = true
	}
	return true
}

// MSRM is the M-profile MSR; in the A profile the encoding is UNDEFINED.
func (t *translator) MSRM(f *fields) bool {
	if t.c.m == nil || f.R != 0 || !validSYSm(f.i) || f.f&3 != 0 {
		return false
	}
	mask := f.f >> 2
	if f.i <= 7 && f.i&4 == 0 {
		if mask == 0 || mask&1 != 0 && !t.c.m.dsp {
			// UNPREDICTABLE: no field, or the GE bits without DSP.
			return false
		}
	}
	t.emit(Op{fn: opMSRM, imm: f.i, imm2: mask, rn: uint8(f.n)})
	// Masking, privilege and the stack pointer may change: later
	// instructions must see the new state, and a pending exception that
	// may now preempt must be taken before them.
	t.end = true
	return true
}

func opMRSM(c *CPU, o *Op) {
	m := c.m
	sysm := o.imm
	var v uint32
	switch sysm >> 3 {
	case 0:
		if sysm&1 != 0 {
			v |= m.ipsr & 0x1ff
		}
		// EPSR reads as zero (B5.2.2).
		if sysm&4 == 0 {
			v |= c.XPSR() & m.apsrMask()
		}
	case 1:
		if c.Privileged() {
			v = c.mSP(sysm == sysmPSP)
		}
	case 2:
		switch sysm {
		case sysmPRIMASK:
			if c.I {
				v = 1
			}
		case sysmBASEPRI, sysmBASEPRI_MAX:
			v = uint32(m.basepri)
		case sysmFAULTMASK:
			if c.F {
				v = 1
			}
		case sysmCONTROL:
			v = m.control
		}
	}
	c.writeRegMaybePC(o.sh, v)
}

func opMSRM(c *CPU, o *Op) {
	m := c.m
	v := c.R[o.rn]
	sysm := o.imm
	priv := c.Privileged()
	switch {
	case sysm>>3 == 0:
		if sysm&4 == 0 {
			if o.imm2&2 != 0 {
				c.N, c.Z, c.C, c.V, c.Q = v&psrN != 0, v&psrZ != 0, v&psrC != 0, v&psrV != 0, v&psrQ != 0
			}
			if o.imm2&1 != 0 && m.dsp {
				c.GE = v >> 16 & 0xf
			}
		}
	case !priv:
		// Unprivileged writes to the other special registers are ignored.
	case sysm == sysmMSP || sysm == sysmPSP:
		c.mSetSP(sysm == sysmPSP, v)
	case sysm == sysmPRIMASK:
		c.I = v&1 != 0
	case sysm == sysmBASEPRI:
		m.basepri = uint8(v) & m.prioMask
	case sysm == sysmBASEPRI_MAX:
		// Writes only raise the priority (lower the value), B5.2.3.
		if p := uint8(v) & m.prioMask; p != 0 && (p < m.basepri || m.basepri == 0) {
			m.basepri = p
		}
	case sysm == sysmFAULTMASK:
		// FAULTMASK cannot be set at priority -1 or above (NMI, HardFault).
		if v&1 == 0 || c.execPriority(true) > -1 {
			c.F = v&1 != 0
		}
	case sysm == sysmCONTROL:
		nv := m.control&^(controlNPRIV|controlFPCA) | v&(controlNPRIV|controlFPCA)
		if !m.handlerMode() {
			// SPSEL is written in Thread mode only.
			nv = nv&^controlSPSEL | v&controlSPSEL
		}
		c.setControl(nv)
	}
	c.mUpdate()
}

// mCPS is CPS on the M profile (B5.2.1): CPSIE/CPSID with I (PRIMASK)
// and F (FAULTMASK); a NOP when unprivileged.
func (t *translator) mCPS(f *fields) bool {
	if t.size != 2 {
		return false
	}
	// UNPREDICTABLE: A set (no such mask on M), or neither I nor F: the
	// instruction changes what the I and F bits say, as QEMU.
	t.emit(Op{fn: opMCPS, sh: uint8(f.g & 1), amt: uint8(f.I<<1 | f.F)})
	t.end = true
	return true
}

func opMCPS(c *CPU, o *Op) {
	if !c.Privileged() {
		return
	}
	disable := o.sh != 0
	if o.amt&2 != 0 {
		c.I = disable
	}
	if o.amt&1 != 0 && (!disable || c.execPriority(true) > -1) {
		c.F = disable
	}
	c.mUpdate()
}
