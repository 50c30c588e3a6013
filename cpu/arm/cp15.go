package arm

// CP15, the system control coprocessor (ARM ARM B4, "System Control
// Registers in a VMSA implementation"), of a Cortex-A15 as QEMU's
// `-M virt -cpu cortex-a15` presents it by default: no Security Extensions
// and no Virtualization Extensions (so no Secure banking, no Monitor or Hyp
// registers), LPAE, the generic timer, a PMUv2 with six event counters.
//
// Register values marked "QEMU" were read from qemu-system-arm 7.2 (Debian
// 1:7.2+dfsg-7+deb12u18) with bare-metal probes; see cp15_test.go.
//
// Deliberate differences from QEMU 7.2, each closer to the architecture:
//   - SCTLR keeps only the bits a Cortex-A15 without the Security and
//     Virtualization Extensions implements (QEMU stores any value).
//   - FCSEIDR is RAZ/WI: ID_MMFR0.FCSE says there is no FCSE.
//   - CP15DMB/CP15DSB/CP15ISB at PL0 are UNDEFINED when SCTLR.CP15BEN=0.
//   - PMCR.LC and bit 7 (ARMv8 fields) are RAZ/WI.
//   - CPACR.ASEDIS reads as one while Advanced SIMD is absent.
//   - The PAR of a supersection holds PA[39:32] in bits [23:16].

import "fmt"

// CP15Config is what the board tells the CP15 model.
type CP15Config struct {
	// Timer is the processor's generic timer; nil leaves the timer
	// registers UNDEFINED.
	Timer GenericTimer
	// CPUIndex is this processor's index on the board (MPIDR affinity).
	CPUIndex int
	// NumCPUs is how many processors the board has (L2CTLR); 0 means 1.
	NumCPUs int
	// PeriphBase is the base of the private peripherals (CBAR):
	// 0x08000000 on QEMU's virt board.
	PeriphBase uint64
}

// EnableCP15 installs the system control coprocessor, the debug
// coprocessor (CP14) and the MMU, in their reset state (SCTLR.V=0 and
// VBAR=0, so the vectors stay at 0). Boards call it once after New.
func (c *CPU) EnableCP15(cfg CP15Config) {
	cp := &cp15{c: c, cfg: cfg}
	cp.vmsa.c = c
	dbg := &cp14{c: c}
	c.cp[15] = cp
	c.cp[14] = dbg
	c.mmu = &cp.vmsa
	cp.Reset()
	dbg.Reset()
	c.mem.flushAll()
}

// cpacr returns CPACR, for the VFP group's access checks (ARM ARM B4.1.40):
// bits [21:20] cp10, [23:22] cp11 (0 none, 1 PL1 only, 3 full), bit 30
// D32DIS, bit 31 ASEDIS. Without CP15 every access is allowed.
func (c *CPU) cpacr() uint32 {
	if c.m != nil {
		return c.m.cpacr
	}
	if cp, ok := c.cp[15].(*cp15); ok {
		return cp.cpacr
	}
	return 0x00f00000
}

// Identification values of QEMU 7.2's cortex-a15 with has_el3=false and
// has_el2=false (ID_PFR1 and ID_DFR0 lose their Security/Virtualization
// fields), read back from qemu-system-arm.
const (
	midrA15    = 0x412fc0f1 // when Config.MIDR is 0; the board sets it
	ctrA15     = 0x8444c004
	idPFR0A15  = 0x00001131 // ARM, Thumb-2, ThumbEE, no Jazelle
	idPFR1A15  = 0x00010001 // generic timer, programmers' model; no Security/Virtualization
	idDFR0A15  = 0x02010505 // v7.1 debug via CP14, no Secure debug
	idMMFR0A15 = 0x10201105 // VMSAv7 with PXN and long descriptors
	idMMFR1A15 = 0x20000000
	idMMFR2A15 = 0x01240000
	idMMFR3A15 = 0x02102211
	idISAR0A15 = 0x02101110 // includes SDIV/UDIV in ARM and Thumb
	idISAR1A15 = 0x13112111
	idISAR2A15 = 0x21232041
	idISAR3A15 = 0x11112131
	idISAR4A15 = 0x10011142
	clidrA15   = 0x0a200023
	pmcrA15    = 0x410f3000 // IMP 0x41, IDCODE 0x0f, N = 6
	l2ctlrIC   = 1 << 23    // L2CTLR: interrupt controller present
)

// ccsidrA15 are the cache size IDs by CSSELR: L1 data, L1 instruction, L2.
var ccsidrA15 = [3]uint32{0x701fe00a, 0x201fe00a, 0x711fe07a}

// SCTLR (ARM ARM B4.1.130) bits beyond those exception.go names.
const (
	sctlrC       = 1 << 2
	sctlrCP15BEN = 1 << 5
	sctlrSW      = 1 << 10
	sctlrZ       = 1 << 11
	sctlrI       = 1 << 12
	sctlrRR      = 1 << 14
	sctlrTRE     = 1 << 28
	sctlrAFE     = 1 << 29

	// sctlrRAO are the bits that read as one (bits 3, 4, 6, 16, 18, 22,
	// 23); sctlrRW the bits a write changes.
	sctlrRAO   = 0x00c50058
	sctlrRW    = sctlrM | sctlrA | sctlrC | sctlrCP15BEN | sctlrSW | sctlrZ | sctlrI | sctlrV | sctlrRR | sctlrEE | sctlrTRE | sctlrAFE | sctlrTE
	sctlrReset = 0x00c50078 // QEMU: RAO bits and CP15BEN

	// sctlrXlate are the bits that change translation: a write that
	// changes one of them flushes the TLB.
	sctlrXlate = sctlrM | sctlrTRE | sctlrAFE | sctlrEE
)

// hasNEON says whether Advanced SIMD is implemented; CPACR.ASEDIS follows.
const hasNEON = false

// cp15 is the system control coprocessor.
type cp15 struct {
	c   *CPU
	cfg CP15Config

	vmsa vmsa // TTBRs, TTBCR, DACR, PRRR/NMRR (MAIR0/1): the MMU
	pmu  pmu

	cpacr      uint32
	par        uint64 // 32-bit or 64-bit format, by TTBCR.EAE when written
	contextidr uint32
	csselr     uint32

	logged map[uint32]bool // unknown registers already logged
}

var _ Coprocessor = (*cp15)(nil)

// Reset puts the registers in their reset state (QEMU's values).
func (cp *cp15) Reset() {
	s := &cp.c.mem.sys
	s.sctlr = sctlrReset
	s.vbar = 0
	s.dfsr, s.dfar, s.ifsr, s.ifar = 0, 0, 0, 0
	cp.vmsa.reset()
	cp.pmu.reset(cp)
	cp.cpacr = 0
	if !hasNEON {
		cp.cpacr = 1 << 31 // ASEDIS is RAO without Advanced SIMD (QEMU with neon=off)
	}
	cp.par = 0
	cp.contextidr = 0
	s.tpidrurw, s.tpidruro, s.tpidrprw = 0, 0, 0
	cp.csselr = 0
}

// cpKey packs a 32-bit register's coordinates as translate_ctl_cp.go does:
// opc1<<12 | CRn<<8 | CRm<<4 | opc2.
func cpKey(opc1, crn, crm, opc2 uint32) uint32 { return opc1<<12 | crn<<8 | crm<<4 | opc2 }

// Register coordinates, named as in the ARM ARM (table B3-42 and the
// per-register sections of B4.1).
const (
	regMIDR     = 0x0000
	regCTR      = 0x0001
	regTCMTR    = 0x0002
	regTLBTR    = 0x0003
	regMIDR4    = 0x0004 // alias of MIDR
	regMPIDR    = 0x0005
	regREVIDR   = 0x0006 // QEMU 7.2 (ARMv7): alias of MIDR
	regMIDR7    = 0x0007 // alias of MIDR
	regIDPFR0   = 0x0010
	regIDPFR1   = 0x0011
	regIDDFR0   = 0x0012
	regIDAFR0   = 0x0013
	regIDMMFR0  = 0x0014
	regIDMMFR1  = 0x0015
	regIDMMFR2  = 0x0016
	regIDMMFR3  = 0x0017
	regIDISAR0  = 0x0020
	regIDISAR1  = 0x0021
	regIDISAR2  = 0x0022
	regIDISAR3  = 0x0023
	regIDISAR4  = 0x0024
	regIDISAR5  = 0x0025
	regCCSIDR   = 0x1000
	regCLIDR    = 0x1001
	regAIDR     = 0x1007
	regCSSELR   = 0x2000
	regSCTLR    = 0x0100
	regACTLR    = 0x0101
	regCPACR    = 0x0102
	regTTBR0    = 0x0200
	regTTBR1    = 0x0201
	regTTBCR    = 0x0202
	regDACR     = 0x0300
	regDFSR     = 0x0500
	regIFSR     = 0x0501
	regADFSR    = 0x0510
	regAIFSR    = 0x0511
	regDFAR     = 0x0600
	regWFAR     = 0x0601 // QEMU: RAZ/WI
	regIFAR     = 0x0602
	regPAR      = 0x0740
	regATS1CPR  = 0x0780
	regATS1CPW  = 0x0781
	regATS1CUR  = 0x0782
	regATS1CUW  = 0x0783
	regCP15ISB  = 0x0754
	regCP15DSB  = 0x07a4
	regCP15DMB  = 0x07a5
	regPRRR     = 0x0a20 // MAIR0 when TTBCR.EAE=1
	regNMRR     = 0x0a21 // MAIR1 when TTBCR.EAE=1
	regAMAIR0   = 0x0a30
	regAMAIR1   = 0x0a31
	regL2CTLR   = 0x1902
	regL2ECTLR  = 0x1903
	regVBAR     = 0x0c00
	regISR      = 0x0c10
	regFCSEIDR  = 0x0d00
	regCONTEXT  = 0x0d01
	regTPIDRURW = 0x0d02
	regTPIDRURO = 0x0d03
	regTPIDRPRW = 0x0d04
	regCBAR     = 0x4f00
)

// MRC reads a 32-bit CP15 register.
func (cp *cp15) MRC(opc1, crn, crm, opc2 uint32, priv bool) (uint32, bool) {
	key := cpKey(opc1, crn, crm, opc2)
	// Registers PL0 may read.
	switch key {
	case regTPIDRURW:
		return cp.c.mem.sys.tpidrurw, true
	case regTPIDRURO:
		return cp.c.mem.sys.tpidruro, true
	}
	switch crn {
	case 9:
		if crm >= 12 && opc1 == 0 {
			return cp.pmu.read(key, priv)
		}
	case 14:
		if opc1 == 0 {
			return cp.timerRead(crm, opc2, priv)
		}
	}
	if !priv {
		return cp.unknown("MRC", key, false)
	}
	s := &cp.c.mem.sys
	switch key {
	case regMIDR, regMIDR4, regREVIDR, regMIDR7:
		return cp.midr(), true
	case regCTR:
		return ctrA15, true
	case regTCMTR, regTLBTR, regIDAFR0, regIDISAR5, regAIDR:
		return 0, true
	case regMPIDR:
		// Multiprocessor format (bit 31), U=0; affinity as QEMU's virt:
		// Aff1 = cluster of 8, Aff0 = index in it.
		i := uint32(cp.cfg.CPUIndex)
		return 1<<31 | i/8<<8 | i%8, true
	case regIDPFR0:
		return idPFR0A15, true
	case regIDPFR1:
		return idPFR1A15, true
	case regIDDFR0:
		return idDFR0A15, true
	case regIDMMFR0:
		return idMMFR0A15, true
	case regIDMMFR1:
		return idMMFR1A15, true
	case regIDMMFR2:
		return idMMFR2A15, true
	case regIDMMFR3:
		return idMMFR3A15, true
	case regIDISAR0:
		return idISAR0A15, true
	case regIDISAR1:
		return idISAR1A15, true
	case regIDISAR2:
		return idISAR2A15, true
	case regIDISAR3:
		return idISAR3A15, true
	case regIDISAR4:
		return idISAR4A15, true
	case regCCSIDR:
		if cp.csselr < uint32(len(ccsidrA15)) {
			return ccsidrA15[cp.csselr], true
		}
		return 0, true
	case regCLIDR:
		return clidrA15, true
	case regCSSELR:
		return cp.csselr, true
	case regSCTLR:
		return s.sctlr, true
	case regACTLR, regADFSR, regAIFSR, regAMAIR0, regAMAIR1, regWFAR, regFCSEIDR, regL2ECTLR:
		return 0, true
	case regCPACR:
		return cp.cpacr, true
	case regTTBR0:
		return uint32(cp.vmsa.ttbr0), true
	case regTTBR1:
		return uint32(cp.vmsa.ttbr1), true
	case regTTBCR:
		return cp.vmsa.ttbcr, true
	case regDACR:
		return cp.vmsa.dacr, true
	case regDFSR:
		return s.dfsr, true
	case regIFSR:
		return s.ifsr, true
	case regDFAR:
		return s.dfar, true
	case regIFAR:
		return s.ifar, true
	case regPAR:
		return uint32(cp.par), true
	case regPRRR:
		return cp.vmsa.prrr, true
	case regNMRR:
		return cp.vmsa.nmrr, true
	case regL2CTLR:
		n := uint32(max(cp.cfg.NumCPUs, 1))
		return (n-1)<<24 | l2ctlrIC, true
	case regVBAR:
		return s.vbar, true
	case regISR:
		var v uint32
		if cp.c.irqLine {
			v |= 1 << 7
		}
		if cp.c.fiqLine {
			v |= 1 << 6
		}
		return v, true
	case regCONTEXT:
		return cp.contextidr, true
	case regTPIDRPRW:
		return s.tpidrprw, true
	case regCBAR:
		// PERIPHBASE[31:15] in bits [31:15], PERIPHBASE[39:32] in [7:0].
		b := cp.cfg.PeriphBase
		return uint32(b)&0xffff8000 | uint32(b>>32)&0xff, true
	}
	switch {
	case crn == 0 && opc1 == 0 && crm >= 2 && crm <= 7:
		// The rest of the ID space (ID_MMFR4, ID_ISAR6, c0,c3-c7) is
		// RAZ, as ARMv7 reserves it.
		return 0, true
	case crn == 10 && !(crm == 2 || crm == 3):
		// TLB lockdown space (c10, c0/c1/c4/c8): RAZ/WI, as QEMU.
		return 0, true
	case crn == 15:
		// IMPLEMENTATION DEFINED c15 space: RAZ/WI, as QEMU.
		return 0, true
	}
	return cp.unknown("MRC", key, true)
}

// MCR writes a 32-bit CP15 register or performs an operation.
func (cp *cp15) MCR(opc1, crn, crm, opc2 uint32, val uint32, priv bool) bool {
	key := cpKey(opc1, crn, crm, opc2)
	switch key {
	case regTPIDRURW:
		cp.c.mem.sys.tpidrurw = val
		return true
	case regCP15ISB, regCP15DSB, regCP15DMB:
		// Barriers (ARM ARM B4.2.1, deprecated): PL0 may use them when
		// SCTLR.CP15BEN is set. Blocks end at every MCR, which is enough
		// for the ISB.
		return priv || cp.c.mem.sys.sctlr&sctlrCP15BEN != 0
	}
	switch crn {
	case 9:
		if crm >= 12 && opc1 == 0 {
			return cp.pmu.write(key, val, priv)
		}
	case 14:
		if opc1 == 0 {
			return cp.timerWrite(crm, opc2, val, priv)
		}
	}
	if !priv {
		_, ok := cp.unknown("MCR", key, false)
		return ok
	}
	s := &cp.c.mem.sys
	v := &cp.vmsa
	switch key {
	case regCSSELR:
		cp.csselr = val & 0xf
	case regSCTLR:
		cp.writeSCTLR(val)
	case regACTLR, regADFSR, regAIFSR, regAMAIR0, regAMAIR1, regWFAR, regFCSEIDR, regL2CTLR, regL2ECTLR:
		// RAZ/WI (ACTLR: QEMU keeps it constant zero).
	case regCPACR:
		// cp10 and cp11 [23:20], D32DIS [30], ASEDIS [31]; other
		// coprocessors are not implemented (RAZ/WI). TRCDIS is RAZ/WI.
		val &= 0xc0f00000
		if !hasNEON {
			val |= 1 << 31
		}
		cp.cpacr = val
	case regTTBR0:
		v.setTTBR0(uint64(val))
	case regTTBR1:
		v.setTTBR1(uint64(val))
	case regTTBCR:
		v.setTTBCR(val)
	case regDACR:
		v.setDACR(val)
	case regDFSR:
		s.dfsr = val
	case regIFSR:
		s.ifsr = val
	case regDFAR:
		s.dfar = val
	case regIFAR:
		s.ifar = val
	case regPAR:
		cp.par = uint64(val)
	case regATS1CPR:
		cp.par = v.ats(val, accRead, false)
	case regATS1CPW:
		cp.par = v.ats(val, accWrite, false)
	case regATS1CUR:
		cp.par = v.ats(val, accRead, true)
	case regATS1CUW:
		cp.par = v.ats(val, accWrite, true)
	case regPRRR:
		v.setPRRR(val)
	case regNMRR:
		v.setNMRR(val)
	case regVBAR:
		s.vbar = val &^ 0x1f
	case regCONTEXT:
		// CONTEXTIDR.ASID tags TLB entries (short-descriptor format).
		// The software TLB holds only the current address space, so a
		// change of ASID flushes it.
		if val != cp.contextidr {
			cp.contextidr = val
			cp.c.mem.flushAll()
		}
	case regTPIDRURO:
		s.tpidruro = val
	case regTPIDRPRW:
		s.tpidrprw = val
	default:
		switch {
		case crn == 7 && opc1 == 0 && !(crm == 8 && opc2 >= 4):
			// ATS12NSO* (c7, c8, 4-7) need the Security Extensions.
			// Cache and branch predictor maintenance (ICIALLU, ICIMVAU,
			// BPIALL, DCIMVAC, DCCMVAC, DCCISW, ...): the emulated caches
			// are coherent, so they do nothing. Translated code is
			// invalidated by the writes themselves (mem.go).
			return true
		case crn == 8 && opc1 == 0:
			return cp.tlbOp(crm, opc2, val)
		case crn == 10 && !(crm == 2 || crm == 3):
			return true // TLB lockdown: RAZ/WI
		case crn == 15 && key != regCBAR:
			return true // IMPLEMENTATION DEFINED: RAZ/WI
		}
		_, ok := cp.unknown("MCR", key, true)
		return ok
	}
	return true
}

// tlbOp performs a TLB maintenance operation (ARM ARM B4.2.2): c8 with
// CRm 3 (Inner Shareable, the same on one processor), 5 (instruction
// TLB), 6 (data TLB) or 7 (unified). The software TLB is unified and
// holds one address space, so the ASID forms flush everything and the
// by-MVA forms flush the page whatever its ASID.
func (cp *cp15) tlbOp(crm, opc2, val uint32) bool {
	if !(crm == 3 || crm == 5 || crm == 6 || crm == 7) || opc2 > 3 || (opc2 == 3 && crm != 3 && crm != 7) {
		_, ok := cp.unknown("MCR", cpKey(0, 8, crm, opc2), true)
		return ok
	}
	m := &cp.c.mem
	switch opc2 {
	case 0, 2: // TLBIALL, TLBIASID
		m.flushAll()
	case 1, 3: // TLBIMVA, TLBIMVAA
		m.flushPage(val &^ pageMask)
	}
	return true
}

// writeSCTLR writes SCTLR, keeping the bits the implementation fixes.
func (cp *cp15) writeSCTLR(val uint32) {
	s := &cp.c.mem.sys
	old := s.sctlr
	s.sctlr = val&sctlrRW | sctlrRAO
	if (old^s.sctlr)&sctlrXlate != 0 {
		cp.c.mem.flushAll()
	}
}

func (cp *cp15) midr() uint32 {
	if cp.c.Config.MIDR != 0 {
		return cp.c.Config.MIDR
	}
	return midrA15
}

// MRRC reads a 64-bit CP15 register.
func (cp *cp15) MRRC(opc1, crm uint32, priv bool) (uint64, bool) {
	if crm == 14 {
		return cp.timerRead64(opc1, priv)
	}
	if priv {
		switch {
		case opc1 == 0 && crm == 2:
			return cp.vmsa.ttbr0, true
		case opc1 == 1 && crm == 2:
			return cp.vmsa.ttbr1, true
		case opc1 == 0 && crm == 7:
			return cp.par, true
		}
	}
	return cp.unknown64("MRRC", opc1, crm, priv)
}

// MCRR writes a 64-bit CP15 register.
func (cp *cp15) MCRR(opc1, crm uint32, val uint64, priv bool) bool {
	if crm == 14 {
		return cp.timerWrite64(opc1, val, priv)
	}
	if priv {
		switch {
		case opc1 == 0 && crm == 2:
			cp.vmsa.setTTBR0(val)
			return true
		case opc1 == 1 && crm == 2:
			cp.vmsa.setTTBR1(val)
			return true
		case opc1 == 0 && crm == 7:
			cp.par = val
			return true
		}
	}
	_, ok := cp.unknown64("MCRR", opc1, crm, priv)
	return ok
}

// unknown makes an access UNDEFINED, logging each register once.
func (cp *cp15) unknown(op string, key uint32, priv bool) (uint32, bool) {
	logOnce(cp.c, &cp.logged, 15, op, key, priv)
	return 0, false
}

func (cp *cp15) unknown64(op string, opc1, crm uint32, priv bool) (uint64, bool) {
	logOnce(cp.c, &cp.logged, 15, op, 1<<16|opc1<<4|crm, priv)
	return 0, false
}

// logOnce logs an UNDEFINED coprocessor access at debug level, once per
// register, operation and privilege.
func logOnce(c *CPU, seen *map[uint32]bool, cpn int, op string, key uint32, priv bool) {
	k := key
	if op[1] == 'C' { // MCR, MCRR: writes
		k |= 1 << 20
	}
	if priv {
		k |= 1 << 21
	}
	if *seen == nil {
		*seen = map[uint32]bool{}
	}
	if (*seen)[k] {
		return
	}
	(*seen)[k] = true
	var reg string
	if key&(1<<16) != 0 {
		reg = fmt.Sprintf("p%d, %d, c%d", cpn, key>>4&0xf, key&0xf)
	} else {
		reg = fmt.Sprintf("p%d, %d, c%d, c%d, %d", cpn, key>>12&7, key>>8&0xf, key>>4&0xf, key&7)
	}
	c.log.Debug("coprocessor register not implemented or not accessible: UNDEFINED",
		"op", op, "reg", reg, "privileged", priv)
}
