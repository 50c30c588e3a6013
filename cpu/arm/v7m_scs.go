package arm

import (
	"mimic/devices/bus"
)

// The System Control Space (ARMv7-M ARM B3.2): the System Control Block,
// the NVIC (B3.4) and SysTick (B3.3), one 4 KiB window at 0xE000E000 that
// the CPU provides as a bus device and the board maps:
//
//	b.MapDevice("scs", arm.SCSBase, arm.SCSSize, c.SCS())
//
// Only privileged accesses are allowed; an unprivileged one is a BusFault
// (B3.2.1), except a write to STIR with CCR.USERSETMPEND. LDRT, STRT and
// the like are unprivileged even in privileged code (accPrivileged).
//
// The MPU registers (0xD90-0xDB8) are in v7m_mpu.go. Not implemented
// yet, read as zero and ignoring writes with a guest-error line: the
// debug registers (DHCSR, DCRSR, DCRDR; DEMCR is kept, and its TRCENA
// gates the DWT cycle counter, v7m_dwt.go).

// SCSBase and SCSSize are the System Control Space window.
const (
	SCSBase = 0xe000e000
	SCSSize = 0x1000
)

// SCS returns the System Control Space device of an M-profile CPU.
func (c *CPU) SCS() bus.Device {
	if c.m == nil {
		panic("BUG: arm: SCS of an A-profile CPU")
	}
	return (*scs)(c)
}

type scs CPU

var _ bus.Device = (*scs)(nil)

// QEMU 7.2's identification values for cortex-m3 and cortex-m4
// (target/arm/cpu_tcg.c).
const (
	cpuidCortexM3 = 0x410fc231 // r0p1
	cpuidCortexM4 = 0x410fc240 // r0p0
	mvfr0M4       = 0x10110021
	mvfr1M4       = 0x11000011
)

var mIDRegs = [...]uint32{
	0x00000030, 0x00000200, 0x00100000, 0x00000000, // ID_PFR0, ID_PFR1, ID_DFR0, ID_AFR0
	0x00000030, 0x00000000, 0x00000000, 0x00000000, // ID_MMFR0-3
	0x01141110, 0x02111000, 0x21112231, 0x01111110, 0x01310102, 0x00000000, // ID_ISAR0-5
}

func (s *scs) cpu() *CPU { return (*CPU)(s) }

// Read implements bus.Device.
func (s *scs) Read(off uint64, size int) uint64 {
	c := s.cpu()
	if size == 8 {
		return s.Read(off, 4) | s.Read(off+4, 4)<<32
	}
	if !c.accPrivileged() {
		c.guestError("SCS: unprivileged read", "offset", hex64(off))
		c.m.busErr = true
		return 0
	}
	v := s.readWord(uint32(off) &^ 3)
	v >>= 8 * (uint32(off) & 3)
	if size < 4 {
		v &= 1<<(8*size) - 1
	}
	return uint64(v)
}

// Write implements bus.Device.
func (s *scs) Write(off uint64, size int, val uint64) {
	c := s.cpu()
	m := c.m
	if size == 8 {
		s.Write(off, 4, val&0xffffffff)
		s.Write(off+4, 4, val>>32)
		return
	}
	o := uint32(off)
	if !c.accPrivileged() && !(o == 0xf00 && m.ccr&ccrUSERSETMPEND != 0) {
		c.guestError("SCS: unprivileged write", "offset", hex64(off))
		m.busErr = true
		return
	}
	v := uint32(val)
	switch {
	case size == 4 && o&3 == 0:
		s.writeWord(o, v)
	case o >= 0x400 && o < 0x400+uint32(len(m.exc)-excIRQ0), o >= 0xd18 && o < 0xd24:
		// NVIC_IPR and SHPR are byte accessible (B3.4.9, B3.2.10).
		for i := range uint32(size) {
			s.writePrio(o+i, uint8(v>>(8*i)))
		}
	case o >= 0xda0 && o < 0xdbc && ((o-0xda0)&^3)%8 == 0:
		s.mpuWriteSub(o, size, v)
	case o >= 0xd28 && o < 0xd2c:
		// CFSR: byte and halfword access to MMFSR/BFSR/UFSR (B3.2.15).
		s.writeWord(0xd28, v<<(8*(o&3)))
	default:
		c.guestError("SCS: sub-word write to a word register ignored", "offset", hex64(off), "size", size)
	}
	c.mUpdate()
	m.endBlock = true
}

// prioExc maps an SHPR or NVIC_IPR byte offset to its exception number,
// or -1 for a reserved byte.
func (s *scs) prioExc(o uint32) int {
	m := s.cpu().m
	switch {
	case o >= 0x400 && o < 0x5f0:
		if n := int(o-0x400) + excIRQ0; n < len(m.exc) {
			return n
		}
	case o >= 0xd18 && o < 0xd24:
		switch n := int(o-0xd18) + 4; n {
		case excMemManage, excBusFault, excUsageFault, excSVCall, excDebugMon, excPendSV, excSysTick:
			return n
		}
	}
	return -1
}

func (s *scs) writePrio(o uint32, p uint8) {
	m := s.cpu().m
	if n := s.prioExc(o); n >= 0 {
		m.exc[n].prio = p & m.prioMask
	}
}

func (s *scs) readPrio(o uint32) uint32 {
	if n := s.prioExc(o); n >= 0 {
		return uint32(s.cpu().m.exc[n].prio)
	}
	return 0
}

// irqBits returns, for the 32 external interrupts from word k of the
// NVIC bit arrays, the bits that pick says are set.
func (s *scs) irqBits(k uint32, pick func(e *mExc) bool) uint32 {
	m := s.cpu().m
	var v uint32
	for i := range uint32(32) {
		n := int(excIRQ0 + 32*k + i)
		if n < len(m.exc) && pick(&m.exc[n]) {
			v |= 1 << i
		}
	}
	return v
}

func (s *scs) forIRQBits(k, v uint32, f func(e *mExc)) {
	m := s.cpu().m
	for i := range uint32(32) {
		n := int(excIRQ0 + 32*k + i)
		if v&(1<<i) != 0 && n < len(m.exc) {
			f(&m.exc[n])
		}
	}
}

func (s *scs) readWord(o uint32) uint32 {
	c := s.cpu()
	m := c.m
	switch {
	case o == 0x004: // ICTR
		return uint32(max(len(m.level)+31, 32)/32 - 1)
	case o == 0x008: // ACTLR
		return 0
	case o == 0x010:
		return m.tick.readCSR()
	case o == 0x014:
		return m.tick.rvr
	case o == 0x018:
		return m.tick.readCVR()
	case o == 0x01c:
		return m.tick.calib()
	case o >= 0x100 && o < 0x140: // ISER
		return s.irqBits((o-0x100)/4, func(e *mExc) bool { return e.enabled })
	case o >= 0x180 && o < 0x1c0: // ICER
		return s.irqBits((o-0x180)/4, func(e *mExc) bool { return e.enabled })
	case o >= 0x200 && o < 0x240: // ISPR
		return s.irqBits((o-0x200)/4, func(e *mExc) bool { return e.pending })
	case o >= 0x280 && o < 0x2c0: // ICPR
		return s.irqBits((o-0x280)/4, func(e *mExc) bool { return e.pending })
	case o >= 0x300 && o < 0x340: // IABR
		return s.irqBits((o-0x300)/4, func(e *mExc) bool { return e.active })
	case o >= 0x400 && o < 0x5f0, o >= 0xd18 && o < 0xd24: // NVIC_IPR, SHPR1-3
		return s.readPrio(o) | s.readPrio(o+1)<<8 | s.readPrio(o+2)<<16 | s.readPrio(o+3)<<24
	case o == 0xd00: // CPUID
		if m.cfg.Model == CortexM4 {
			return cpuidCortexM4
		}
		return cpuidCortexM3
	case o == 0xd04:
		return s.icsr()
	case o == 0xd08:
		return m.vtor
	case o == 0xd0c: // AIRCR: VECTKEYSTAT, little-endian
		return 0xfa05<<16 | m.prigroup<<8
	case o == 0xd10:
		return m.scr
	case o == 0xd14:
		return m.ccr
	case o == 0xd24:
		return s.shcsr()
	case o == 0xd28:
		return m.cfsr
	case o == 0xd2c:
		return m.hfsr
	case o == 0xd30:
		return m.dfsr
	case o == 0xd34:
		return m.mmfar
	case o == 0xd38:
		return m.bfar
	case o == 0xd3c: // AFSR
		return 0
	case o >= 0xd40 && o < 0xd78:
		return mIDRegs[(o-0xd40)/4]
	case o == 0xd88:
		return m.cpacr
	case o == 0xf34 && m.fpu:
		return m.fpccr
	case o == 0xf38 && m.fpu:
		return m.fpcar
	case o == 0xf3c && m.fpu:
		return m.fpdscr
	case o == 0xf40 && m.fpu:
		return mvfr0M4
	case o == 0xf44 && m.fpu:
		return mvfr1M4
	case o >= 0xd90 && o < 0xdbc:
		return s.mpuRead(o)
	case o == 0xdfc:
		return m.demcr
	case o >= 0xfe0: // PID0-3 and CID0-3 (PID4-7 at 0xfd0 read 0)
		return uint32(scsID[(o-0xfe0)/4])
	case o >= 0xfd0:
		return 0
	}
	s.unimplemented(o)
	return 0
}

// scsID are the identification registers at 0xfe0-0xffc: PID0-3 as
// QEMU's NVIC reports them (part 0x00b, ARM's JEP106 code) and the
// CoreSight component IDs (class 0xe, PrimeCell preamble).
var scsID = [8]uint8{0x00, 0xb0, 0x1b, 0x00, 0x0d, 0xe0, 0x05, 0xb1}

func (s *scs) unimplemented(o uint32) {
	c := s.cpu()
	switch {
	case o >= 0xd90 && o < 0xdc0:
		c.guestError("SCS: MPU not implemented (read as zero, writes ignored)", "offset", hex32(o))
	case o >= 0xdf0 && o < 0xf00:
		c.guestError("SCS: debug registers not implemented (read as zero, writes ignored)", "offset", hex32(o))
	default:
		c.guestError("SCS: access to a reserved or unimplemented register", "offset", hex32(o))
	}
}

// icsr assembles ICSR (B3.2.4).
func (s *scs) icsr() uint32 {
	m := s.cpu().m
	v := m.ipsr & 0x1ff // VECTACTIVE
	active := 0
	for n := range m.exc {
		if m.exc[n].active {
			active++
		}
	}
	if active <= 1 {
		v |= 1 << 11 // RETTOBASE
	}
	if n := m.bestPending(); n > 0 {
		v |= uint32(n) << 12 // VECTPENDING
	}
	for n := excIRQ0; n < len(m.exc); n++ {
		if m.exc[n].pending {
			v |= 1 << 22 // ISRPENDING
			break
		}
	}
	if m.exc[excSysTick].pending {
		v |= 1 << 26
	}
	if m.exc[excPendSV].pending {
		v |= 1 << 28
	}
	if m.exc[excNMI].pending {
		v |= 1 << 31
	}
	return v
}

// shcsr assembles SHCSR (B3.2.13).
func (s *scs) shcsr() uint32 {
	m := s.cpu().m
	v := m.shcsr
	set := func(b uint, on bool) {
		if on {
			v |= 1 << b
		}
	}
	set(0, m.exc[excMemManage].active)
	set(1, m.exc[excBusFault].active)
	set(3, m.exc[excUsageFault].active)
	set(7, m.exc[excSVCall].active)
	set(8, m.exc[excDebugMon].active)
	set(10, m.exc[excPendSV].active)
	set(11, m.exc[excSysTick].active)
	set(12, m.exc[excUsageFault].pending)
	set(13, m.exc[excMemManage].pending)
	set(14, m.exc[excBusFault].pending)
	set(15, m.exc[excSVCall].pending)
	return v
}

func (s *scs) writeWord(o uint32, v uint32) {
	c := s.cpu()
	m := c.m
	switch {
	case o == 0x008: // ACTLR: no implementation-defined controls
	case o == 0x010:
		m.tick.writeCSR(v)
	case o == 0x014:
		m.tick.writeRVR(v)
	case o == 0x018:
		m.tick.writeCVR()
	case o == 0x01c: // CALIB is read-only
	case o >= 0x100 && o < 0x140:
		s.forIRQBits((o-0x100)/4, v, func(e *mExc) { e.enabled = true })
	case o >= 0x180 && o < 0x1c0:
		s.forIRQBits((o-0x180)/4, v, func(e *mExc) { e.enabled = false })
	case o >= 0x200 && o < 0x240:
		s.forIRQBits((o-0x200)/4, v, func(e *mExc) { e.pending = true })
	case o >= 0x280 && o < 0x2c0:
		s.forIRQBits((o-0x280)/4, v, func(e *mExc) { e.pending = false })
	case o >= 0x300 && o < 0x340: // IABR is read-only
	case o >= 0x400 && o < 0x5f0, o >= 0xd18 && o < 0xd24:
		for i := range uint32(4) {
			s.writePrio(o+i, uint8(v>>(8*i)))
		}
	case o == 0xd00: // CPUID is read-only
	case o == 0xd04:
		s.writeICSR(v)
	case o == 0xd08:
		m.vtor = v & 0xffffff80
	case o == 0xd0c:
		s.writeAIRCR(v)
	case o == 0xd10:
		m.scr = v & (scrSLEEPONEXIT | scrSLEEPDEEP | scrSEVONPEND)
	case o == 0xd14:
		m.ccr = v & (ccrNONBASETHRDENA | ccrUSERSETMPEND | ccrUNALIGNTRP | ccrDIV0TRP | ccrBFHFNMIGN | ccrSTKALIGN)
		// UNALIGN_TRP is what SCTLR.A is to the A profile: the memory
		// slow path checks it.
		c.mem.sys.sctlr &^= sctlrA
		if m.ccr&ccrUNALIGNTRP != 0 {
			c.mem.sys.sctlr |= sctlrA
		}
	case o == 0xd24:
		m.shcsr = v & (shcsrMEMFAULTEN | shcsrBUSFAULTEN | shcsrUSGFAULTEN)
		// The active and pending bits are writable too (B3.2.13); software
		// that writes them restores a context it saved.
		m.exc[excMemManage].active = v&(1<<0) != 0
		m.exc[excBusFault].active = v&(1<<1) != 0
		m.exc[excUsageFault].active = v&(1<<3) != 0
		m.exc[excSVCall].active = v&(1<<7) != 0
		m.exc[excDebugMon].active = v&(1<<8) != 0
		m.exc[excPendSV].active = v&(1<<10) != 0
		m.exc[excSysTick].active = v&(1<<11) != 0
		m.exc[excUsageFault].pending = v&(1<<12) != 0
		m.exc[excMemManage].pending = v&(1<<13) != 0
		m.exc[excBusFault].pending = v&(1<<14) != 0
		m.exc[excSVCall].pending = v&(1<<15) != 0
	case o == 0xd28:
		m.cfsr &^= v // write one to clear
	case o == 0xd2c:
		m.hfsr &^= v
	case o == 0xd30:
		m.dfsr &^= v
	case o == 0xd34:
		m.mmfar = v
	case o == 0xd38:
		m.bfar = v
	case o == 0xd3c: // AFSR
	case o >= 0xd40 && o < 0xd78: // ID registers are read-only
	case o == 0xd88:
		// CP10 and CP11 are implemented only with the FPU; the other
		// coprocessor fields are RAZ/WI (B3.2.20).
		if m.fpu {
			m.cpacr = v & (0xf << 20)
		}
	case o == 0xf00: // STIR
		if n := int(v&0x1ff) + excIRQ0; n < len(m.exc) {
			m.exc[n].pending = true
		}
	case o == 0xf34 && m.fpu:
		m.fpccr = v & fpccrMask
		c.mSetFPCA(m.control&controlFPCA != 0) // LSPACT may have changed
	case o == 0xf38 && m.fpu:
		m.fpcar = v &^ 7
	case o == 0xf3c && m.fpu:
		m.fpdscr = v & (0x7<<24 | 0x3<<22)
	case o == 0xf40 && m.fpu, o == 0xf44 && m.fpu: // MVFR0/1 are read-only
	case o >= 0xd90 && o < 0xdbc:
		s.mpuWrite(o, v)
	case o == 0xdfc:
		c.setDEMCR(v)
	case o >= 0xfd0:
	default:
		s.unimplemented(o)
	}
}

// writeICSR sets or clears NMI, PendSV and SysTick pending (B3.2.4).
func (s *scs) writeICSR(v uint32) {
	m := s.cpu().m
	if v&(1<<31) != 0 {
		m.exc[excNMI].pending = true
	}
	switch {
	case v&(1<<28) != 0:
		m.exc[excPendSV].pending = true
	case v&(1<<27) != 0:
		m.exc[excPendSV].pending = false
	}
	switch {
	case v&(1<<26) != 0:
		m.exc[excSysTick].pending = true
	case v&(1<<25) != 0:
		m.exc[excSysTick].pending = false
	}
}

// writeAIRCR takes a write with the VECTKEY only (B3.2.6): PRIGROUP and
// SYSRESETREQ. VECTRESET and VECTCLRACTIVE are for debuggers
// (UNPREDICTABLE otherwise) and ignored.
func (s *scs) writeAIRCR(v uint32) {
	c := s.cpu()
	if v>>16 != 0x05fa {
		c.guestError("SCS: AIRCR write without VECTKEY ignored", "value", hex32(v))
		return
	}
	c.m.prigroup = v >> 8 & 7
	if v&(1<<2) != 0 {
		// The request is acted on once the store is complete, between
		// blocks (blockExit), where the board may reset the CPU.
		c.m.resetReq = true
	}
	if v&3 != 0 {
		c.guestError("SCS: AIRCR VECTRESET/VECTCLRACTIVE ignored", "value", hex32(v))
	}
}
