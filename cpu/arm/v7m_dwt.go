package arm

import (
	"io"

	"mimic/devices/bus"
)

// The Data Watchpoint and Trace unit's cycle counter and the
// Instrumentation Trace Macrocell's stimulus ports (ARMv7-M ARM C1.8 and
// C1.7), two windows of the Private Peripheral Bus outside the System
// Control Space, which the CPU provides as bus devices for the board:
//
//	b.MapDevice("itm", arm.ITMBase, arm.ITMSize, c.ITM(w))
//	b.MapDevice("dwt", arm.DWTBase, arm.DWTSize, c.DWT())
//
// QEMU 7.2 models neither (its PPB reads as zero there); firmware that
// times itself with DWT_CYCCNT or prints through ITM port 0 (CMSIS
// ITM_SendChar) works here.
//
// DWT_CYCCNT counts retired instructions: one cycle per instruction, the
// time base of the rest of the machine (-icount, SysTick's processor
// clock is virtual time) and of the A profile's PMCCNTR (pmu.go). Real
// cycle counts depend on the pipeline and the memory system, which are
// not modelled; instructions give counts that are deterministic and
// exact to the instruction: a read sees every instruction before the
// reading one, including those of its own block. It counts while
// DEMCR.TRCENA and DWT_CTRL.CYCCNTENA are both set. The other profiling
// counters read as zero, the comparators as not implemented (DWT_CTRL
// NUMCOMP = 0), and PCSR as the address of the reading instruction.
//
// The ITM implements the 32 stimulus ports, TER, TPR and TCR; only port 0
// has an output: with TCR.ITMENA and TER bit 0 set, each byte written to
// ITM_STIM0 goes to the board's writer (a word write sends four bytes,
// little-endian, as the ITM packet would carry them). Stimulus reads
// return 1: the FIFO is always ready. The lock registers read as "no
// lock" (LSR = 0).

// The trace windows.
const (
	ITMBase = 0xe0000000
	ITMSize = 0x1000
	DWTBase = 0xe0001000
	DWTSize = 0x1000
)

const (
	demcrTRCENA     = 1 << 24
	demcrMask       = demcrTRCENA | 0xf<<16 | 0x7f1 // TRCENA, MON_*, VC_*
	dwtCYCCNTENA    = 1 << 0
	dwtCtrlWritable = 0x1fff // the counter and sampling enables
	itmTCRITMENA    = 1 << 0
	itmTCRMask      = 0x00ff3f1f
)

type dwt struct {
	ctrl uint32
	cyc0 uint32 // CYCCNT at at0 (its value, when not counting)
	at0  uint64 // the instruction count at which it was cyc0
}

func (d *dwt) reset(c *CPU) { *d = dwt{at0: c.insnCount()} }

// insnCount is the number of instructions retired, exact during a load
// or store: the running block's instructions before the accessing one
// count.
func (c *CPU) insnCount() uint64 {
	n := c.retired
	if c.m != nil && c.m.accOp != nil {
		n += uint64(c.m.accOp.idx)
	}
	return n
}

// counting reports whether CYCCNT counts.
func (c *CPU) cycCounting() bool {
	return c.m.demcr&demcrTRCENA != 0 && c.m.dwt.ctrl&dwtCYCCNTENA != 0
}

func (c *CPU) cyccnt() uint32 {
	d := &c.m.dwt
	if !c.cycCounting() {
		return d.cyc0
	}
	return d.cyc0 + uint32(c.insnCount()-d.at0)
}

// cycRebase keeps CYCCNT's value across a change of whether it counts:
// call it before the change with the value to start from.
func (c *CPU) cycRebase(v uint32) {
	c.m.dwt.cyc0, c.m.dwt.at0 = v, c.insnCount()
}

// setDEMCR writes DEMCR (SCS offset 0xDFC).
func (c *CPU) setDEMCR(v uint32) {
	cur := c.cyccnt()
	c.m.demcr = v & demcrMask
	c.cycRebase(cur)
}

// DWT returns the DWT device of an M-profile CPU.
func (c *CPU) DWT() bus.Device {
	if c.m == nil {
		panic("BUG: arm: DWT of an A-profile CPU")
	}
	return (*dwtDev)(c)
}

type dwtDev CPU

var _ bus.Device = (*dwtDev)(nil)

// Read implements bus.Device.
func (d *dwtDev) Read(off uint64, size int) uint64 {
	c := (*CPU)(d)
	if !c.accPrivileged() {
		c.guestError("DWT: unprivileged read", "offset", hex64(off))
		c.m.busErr = true
		return 0
	}
	var v uint32
	switch off &^ 3 {
	case 0x000: // DWT_CTRL: no comparators, no trace packets
		v = c.m.dwt.ctrl | 1<<27 | 1<<26 // NOTRCPKT, NOEXTTRIG
	case 0x004:
		v = c.cyccnt()
	case 0x01c: // DWT_PCSR
		if o := c.m.accOp; o != nil {
			v = o.pc
		}
	case 0xfd0, 0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc:
		v = 0 // identification registers: not a CoreSight component here
	}
	return uint64(v>>(8*(off&3))) & (1<<(8*min(size, 4)) - 1)
}

// Write implements bus.Device.
func (d *dwtDev) Write(off uint64, size int, val uint64) {
	c := (*CPU)(d)
	if !c.accPrivileged() {
		c.guestError("DWT: unprivileged write", "offset", hex64(off))
		c.m.busErr = true
		return
	}
	if size != 4 || off&3 != 0 {
		c.guestError("DWT: sub-word write ignored", "offset", hex64(off), "size", size)
		return
	}
	v := uint32(val)
	switch off {
	case 0x000:
		cur := c.cyccnt()
		c.m.dwt.ctrl = v & dwtCtrlWritable
		c.cycRebase(cur)
	case 0x004:
		c.cycRebase(v)
	case 0x008, 0x00c, 0x010, 0x014, 0x018: // CPICNT...FOLDCNT: not counted
	default:
		c.guestError("DWT: write to an unimplemented register ignored", "offset", hex64(off))
	}
}

// ITM returns the ITM device of an M-profile CPU; stimulus port 0 writes
// to w (nil discards).
func (c *CPU) ITM(w io.Writer) bus.Device {
	if c.m == nil {
		panic("BUG: arm: ITM of an A-profile CPU")
	}
	return &itm{c: c, w: w, itmRegs: &c.m.itm}
}

// itmRegs is the ITM's state, kept in the CPU so that reset clears it.
type itmRegs struct{ ter, tpr, tcr uint32 }

type itm struct {
	c *CPU
	w io.Writer
	*itmRegs
}

var _ bus.Device = (*itm)(nil)

// Read implements bus.Device.
func (t *itm) Read(off uint64, size int) uint64 {
	var v uint32
	switch {
	case off < 0x80: // ITM_STIMn: FIFO ready
		v = 1
	case off&^3 == 0xe00:
		v = t.ter
	case off&^3 == 0xe40:
		v = t.tpr
	case off&^3 == 0xe80:
		v = t.tcr
	}
	return uint64(v>>(8*(off&3))) & (1<<(8*min(size, 4)) - 1)
}

// Write implements bus.Device.
func (t *itm) Write(off uint64, size int, val uint64) {
	c := t.c
	if off < 0x80 {
		port := uint32(off >> 2)
		// Unprivileged writes need the port group's ITM_TPR bit (C1.7.5).
		if !c.accPrivileged() && t.tpr>>(port/8)&1 == 0 {
			return
		}
		if t.tcr&itmTCRITMENA == 0 || t.ter>>port&1 == 0 || port != 0 || t.w == nil {
			return
		}
		var buf [4]byte
		n := min(size, 4)
		for i := range n {
			buf[i] = byte(val >> (8 * i))
		}
		_, _ = t.w.Write(buf[:n]) // a console: output errors are the host's
		return
	}
	if !c.accPrivileged() {
		c.guestError("ITM: unprivileged write", "offset", hex64(off))
		c.m.busErr = true
		return
	}
	v := uint32(val)
	switch off {
	case 0xe00:
		t.ter = v
	case 0xe40:
		t.tpr = v & 0xf
	case 0xe80:
		t.tcr = v & itmTCRMask
	case 0xfb0: // ITM_LAR: no lock
	default:
		c.guestError("ITM: write to an unimplemented register ignored", "offset", hex64(off))
	}
}
