package cmsdk

import (
	"mimic/devices/bus"
	"mimic/devices/clock"
	"mimic/devices/irq"
)

// Dual timer register offsets (TRM Table 4-5). Timer n (0 or 1) has its
// registers at n*0x20 plus these.
const (
	dtLOAD    = 0x00
	dtVALUE   = 0x04
	dtCONTROL = 0x08
	dtINTCLR  = 0x0c
	dtRIS     = 0x10
	dtMIS     = 0x14
	dtBGLOAD  = 0x18

	dtStride = 0x20
	dtITCR   = 0xf00 // integration test control
	dtITOP   = 0xf04 // integration test output set
)

// Dual timer CONTROL bits.
const (
	dtCtrlONESHOT  = 1 << 0
	dtCtrlSIZE     = 1 << 1 // 32-bit counter
	dtCtrlPRESCALE = 3 << 2
	dtCtrlINTEN    = 1 << 5
	dtCtrlMODE     = 1 << 6 // periodic
	dtCtrlENABLE   = 1 << 7
	dtCtrlMask     = dtCtrlONESHOT | dtCtrlSIZE | dtCtrlPRESCALE | dtCtrlINTEN | dtCtrlMODE | dtCtrlENABLE

	dtCtrlReset = dtCtrlINTEN
)

// TIMERITOP bits.
const (
	dtITOPTimInt1 = 1 << 0
	dtITOPTimInt2 = 1 << 1
	dtITOPMask    = dtITOPTimInt1 | dtITOPTimInt2
)

// DualTimerIRQs are the interrupt outputs of a DualTimer, each nil when
// the board leaves it unconnected. QEMU's sysbus IRQ 0 is Combined, 1 and
// 2 are Timer1 and Timer2.
type DualTimerIRQs struct {
	Combined irq.Line // TIMINTC: Timer1 or Timer2
	Timer1   irq.Line // TIMINT1
	Timer2   irq.Line // TIMINT2
}

// DualTimer is a CMSDK APB dual-input timer (TRM 4.5, QEMU's
// "cmsdk-apb-dualtimer"): two SP804-style down-counters.
//
// Interface:
//   - MMIO: one 4 KiB window (see the package comment for access sizes).
//   - IRQ: TIMINT1, TIMINT2 and their OR TIMINTC (DualTimerIRQs). QEMU's
//     mps2-an385 wires only TIMINTC, to NVIC 10.
//   - Time: both counters run from TIMCLK, the frequency given to
//     NewDualTimer (25 MHz on mps2-an385), divided by 1, 16 or 256.
//
// Each counter is 16 or 32 bits (CONTROL.SIZE), free-running (wraps to
// its maximum), periodic (reloads from LOAD) or one-shot (stops at 0).
// The expiry rules are counter's (counter.go). RIS is set on every expiry;
// MIS and TIMINTn are RIS gated by CONTROL.INTEN. The integration test
// registers (TIMERITCR, TIMERITOP) drive the outputs directly.
//
// Deliberate deviations from the hardware, shared with QEMU unless marked:
//   - CONTROL.PRESCALE 0b11 (undefined) divides by 256 and is logged.
//   - In 16-bit mode the upper halves of LOAD and VALUE read back what was
//     last written (or what the counter held when it was switched to 16
//     bits), as in QEMU.
//   - (Mimic) A write to LOAD of an enabled periodic counter keeps it
//     periodic. QEMU restarts it as a one-shot counter (it passes
//     "one-shot" to its restart call whatever CONTROL.ONESHOT says), so
//     there a periodic timer whose LOAD is rewritten fires only once
//     more; the TRM's (and the SP804's) behaviour is followed here.
type DualTimer struct {
	log    logger
	hz     uint64
	irqs   [3]irq.Line // TIMINTC, TIMINT1, TIMINT2
	levels [3]bool

	mod        [2]dtModule
	itcr, itop uint32
}

// dtModule is one of the two counters.
type dtModule struct {
	cnt       *counter
	control   uint32
	intstatus uint32
	// load holds the full 32-bit LOAD value: the counter's limit is
	// only its low 16 bits in 16-bit mode, and it is not the limit at
	// all in free-running mode. value holds the upper half of VALUE in
	// 16-bit mode.
	load, value uint32
}

var _ bus.Device = (*DualTimer)(nil)

var dualTimerID = cmsdkID(0x23)

// NewDualTimer returns a dual timer in its reset state, clocked at timclkHz
// (0 < timclkHz <= 1 GHz) on clk.
func NewDualTimer(clk *clock.Clock, timclkHz uint64, irqs DualTimerIRQs) *DualTimer {
	d := &DualTimer{log: logger{name: "cmsdk-apb-dualtimer"}, hz: timclkHz}
	d.irqs = [3]irq.Line{irqs.Combined, irqs.Timer1, irqs.Timer2}
	for i, l := range d.irqs {
		if l == nil {
			d.irqs[i] = irq.None
		}
	}
	for i := range d.mod {
		m := &d.mod[i]
		m.cnt = newCounter(clk, timclkHz, 1, func() {
			m.intstatus = 1
			d.update(false)
		})
	}
	d.Reset()
	return d
}

// Reset puts both counters in their reset state: stopped, free-running,
// 16-bit, prescale 1, interrupts enabled, VALUE 0xffffffff, and lowers the
// outputs.
func (d *DualTimer) Reset() {
	for i := range d.mod {
		m := &d.mod[i]
		m.control = dtCtrlReset
		m.intstatus = 0
		m.load = 0
		m.value = 0xffffffff
		m.cnt.stop()
		m.cnt.setLimit(0xffff, true)
		m.cnt.setRate(d.hz, 1)
	}
	d.itcr, d.itop = 0, 0
	d.update(true)
}

// GuestErrors returns how many guest errors the dual timer has seen.
func (d *DualTimer) GuestErrors() uint64 { return d.log.guestErrors }

func (m *dtModule) mis() bool { return m.intstatus != 0 && m.control&dtCtrlINTEN != 0 }

func (d *DualTimer) update(force bool) {
	var t1, t2 bool
	if d.itcr != 0 {
		t1, t2 = d.itop&dtITOPTimInt1 != 0, d.itop&dtITOPTimInt2 != 0
	} else {
		t1, t2 = d.mod[0].mis(), d.mod[1].mis()
	}
	for i, l := range [3]bool{t1 || t2, t1, t2} {
		if l != d.levels[i] || force {
			d.levels[i] = l
			d.irqs[i].Set(l)
		}
	}
}

func prescaleDivisor(control uint32) uint64 {
	switch (control & dtCtrlPRESCALE) >> 2 {
	case 0:
		return 1
	case 1:
		return 16
	default:
		return 256
	}
}

func (d *DualTimer) writeControl(m *dtModule, v uint32) {
	v &= dtCtrlMask
	old := m.control
	changed := old ^ v
	if changed&^v&dtCtrlENABLE != 0 {
		m.cnt.stop()
	}
	if changed&dtCtrlPRESCALE != 0 {
		if v&dtCtrlPRESCALE == dtCtrlPRESCALE {
			d.log.guestError("CONTROL.PRESCALE 0b11 is undefined; dividing by 256")
		}
		m.cnt.setRate(d.hz, prescaleDivisor(v))
	}
	if changed&dtCtrlMODE != 0 {
		var load uint32
		if v&dtCtrlMODE != 0 {
			// Periodic: the limit is LOAD.
			load = m.load
		} else {
			// Free-running: remember LOAD, wrap at the maximum.
			load = uint32(m.cnt.limit)
			if old&dtCtrlSIZE == 0 {
				load = deposit16(m.load, load)
			}
			m.load = load
			load = 0xffffffff
		}
		if old&dtCtrlSIZE == 0 {
			load &= 0xffff
		}
		m.cnt.setLimit(uint64(load), false)
	}
	if changed&dtCtrlSIZE != 0 {
		value := uint32(m.cnt.value())
		load := uint32(m.cnt.limit)
		if v&dtCtrlSIZE != 0 {
			value = deposit16(m.value, value)
		} else {
			m.value = value
			value &= 0xffff
		}
		switch {
		case v&dtCtrlMODE != 0 && v&dtCtrlSIZE != 0:
			load = deposit16(m.load, load)
		case v&dtCtrlMODE != 0:
			m.load = load
			load &= 0xffff
		case v&dtCtrlSIZE != 0:
			load = 0xffffffff
		default:
			load = 0xffff
		}
		m.cnt.setCount(uint64(value))
		m.cnt.setLimit(uint64(load), false)
	}
	if v&dtCtrlENABLE != 0 {
		// Started even if ENABLE was already set, so that a one-shot
		// counter that ran down and is now made periodic restarts.
		m.cnt.run(v&dtCtrlONESHOT != 0)
	}
	m.control = v
}

func (d *DualTimer) writeLoad(m *dtModule, v uint32) {
	m.load, m.value = v, v
	if m.control&dtCtrlSIZE == 0 {
		v &= 0xffff
	}
	if m.control&dtCtrlMODE == 0 {
		// Free-running: LOAD sets the count but not the wrap.
		m.cnt.setCount(uint64(v))
		return
	}
	if v == 0 {
		m.cnt.stop()
	}
	m.cnt.setLimit(uint64(v), true)
	if v != 0 && m.control&dtCtrlENABLE != 0 {
		// Restart a one-shot counter that ran down.
		m.cnt.run(m.control&dtCtrlONESHOT != 0)
	}
}

func (d *DualTimer) writeBGLoad(m *dtModule, v uint32) {
	m.load = v
	if m.control&dtCtrlMODE == 0 {
		return
	}
	if m.control&dtCtrlSIZE == 0 {
		v &= 0xffff
	}
	m.cnt.setLimit(uint64(v), false)
}

func (m *dtModule) readLoad() uint32 {
	if m.control&dtCtrlMODE == 0 {
		return m.load
	}
	r := uint32(m.cnt.limit)
	if m.control&dtCtrlSIZE == 0 {
		r = deposit16(m.load, r)
	}
	return r
}

func (m *dtModule) readValue() uint32 {
	r := uint32(m.cnt.value())
	if m.control&dtCtrlSIZE == 0 {
		r = deposit16(m.value, r)
	}
	return r
}

// Read implements bus.Device.
func (d *DualTimer) Read(off uint64, size int) uint64 {
	if !d.log.validAccess("read", off, size) {
		return 0
	}
	var v uint32
	switch {
	case off < 2*dtStride && off%dtStride != dtINTCLR && off%dtStride <= dtBGLOAD:
		m := &d.mod[off/dtStride]
		switch off % dtStride {
		case dtLOAD, dtBGLOAD:
			v = m.readLoad()
		case dtVALUE:
			v = m.readValue()
		case dtCONTROL:
			v = m.control
		case dtRIS:
			v = m.intstatus
		case dtMIS:
			v = b2u(m.mis())
		}
	case off == dtITCR:
		v = d.itcr
	case isID(off):
		v = dualTimerID.read(off)
	default:
		d.log.guestError("read of bad offset", "offset", hex(off))
		return 0
	}
	return uint64(v) & sizeMask(size)
}

// Write implements bus.Device.
func (d *DualTimer) Write(off uint64, size int, val uint64) {
	if !d.log.validAccess("write", off, size) {
		return
	}
	v := uint32(val & sizeMask(size))
	switch {
	case off < 2*dtStride && off%dtStride <= dtBGLOAD && off%dtStride != dtRIS && off%dtStride != dtMIS:
		m := &d.mod[off/dtStride]
		switch off % dtStride {
		case dtLOAD:
			d.writeLoad(m, v)
		case dtBGLOAD:
			d.writeBGLoad(m, v)
		case dtCONTROL:
			d.writeControl(m, v)
			d.update(false)
		case dtINTCLR:
			m.intstatus = 0
			d.update(false)
		case dtVALUE:
			// Read-only; QEMU logs it as a bad offset.
			d.log.guestError("write to read-only offset", "offset", hex(off), "value", hex(v))
		}
	case off == dtITCR:
		d.itcr = v & 1
		d.update(false)
	case off == dtITOP:
		d.itop = v & dtITOPMask
		d.update(false)
	default:
		d.log.guestError("write to bad offset", "offset", hex(off), "value", hex(v))
	}
}

// DualTimerStateVersion is the version of DualTimerState this package
// writes.
const DualTimerStateVersion = 1

// DualTimerModuleState is the state of one counter of a DualTimer. Limit
// and Count are the underlying counter's reload value and count (16 bits
// wide in 16-bit mode); LOAD and ValueHigh are the stored register values
// described at dtModule.
type DualTimerModuleState struct {
	CONTROL   uint32
	RIS       uint32
	LOAD      uint32
	ValueHigh uint32
	Limit     uint32
	Count     uint32
	Running   bool
	Oneshot   bool
}

// DualTimerState is a snapshot of a DualTimer. Restore the clock before
// the devices.
type DualTimerState struct {
	Version int
	Timer   [2]DualTimerModuleState
	ITCR    uint32
	ITOP    uint32
}

// State returns a snapshot of the dual timer.
func (d *DualTimer) State() DualTimerState {
	s := DualTimerState{Version: DualTimerStateVersion}
	for i := range d.mod {
		m := &d.mod[i]
		c := m.cnt.state()
		s.Timer[i] = DualTimerModuleState{
			CONTROL: m.control, LOAD: m.load, ValueHigh: m.value,
			Limit: uint32(c.Limit), Count: uint32(c.Count), Running: c.Running, Oneshot: c.Oneshot,
		}
	}
	// The counters' expiries may have set RIS while they caught up.
	for i := range d.mod {
		s.Timer[i].RIS = d.mod[i].intstatus
	}
	s.ITCR, s.ITOP = d.itcr, d.itop
	return s
}

// Restore replaces the dual timer's state with s after checking it, and
// drives the outputs to match. On error the dual timer is unchanged.
func (d *DualTimer) Restore(s DualTimerState) error {
	const dev = "cmsdk-apb-dualtimer"
	if s.Version != DualTimerStateVersion {
		return badState(dev, "version %d, want %d", s.Version, DualTimerStateVersion)
	}
	if s.ITCR > 1 || s.ITOP&^dtITOPMask != 0 {
		return badState(dev, "ITCR %#x or ITOP %#x has undefined bits", s.ITCR, s.ITOP)
	}
	for i, m := range s.Timer {
		switch {
		case m.CONTROL&^dtCtrlMask != 0:
			return badState(dev, "timer %d: CONTROL %#x has undefined bits", i+1, m.CONTROL)
		case m.RIS > 1:
			return badState(dev, "timer %d: RIS %#x has undefined bits", i+1, m.RIS)
		case m.CONTROL&dtCtrlSIZE == 0 && (m.Limit > 0xffff || m.Count > 0xffff):
			return badState(dev, "timer %d: 16-bit counter holds %#x of %#x", i+1, m.Count, m.Limit)
		case m.Running && m.CONTROL&dtCtrlENABLE == 0:
			return badState(dev, "timer %d: running with CONTROL.ENABLE clear", i+1)
		}
	}
	for i, ms := range s.Timer {
		m := &d.mod[i]
		m.control, m.intstatus, m.load, m.value = ms.CONTROL, ms.RIS, ms.LOAD, ms.ValueHigh
		m.cnt.stop()
		m.cnt.setRate(d.hz, prescaleDivisor(ms.CONTROL))
		m.cnt.restore(counterState{Running: ms.Running, Oneshot: ms.Oneshot, Limit: uint64(ms.Limit), Count: uint64(ms.Count)})
	}
	d.itcr, d.itop = s.ITCR, s.ITOP
	d.update(true)
	return nil
}
