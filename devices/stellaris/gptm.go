package stellaris

import (
	"mimic/devices/bus"
	"mimic/devices/clock"
	"mimic/devices/irq"
)

// GPTM register offsets (data sheet Table 11-6).
const (
	gpCFG      = 0x00
	gpTAMR     = 0x04
	gpTBMR     = 0x08
	gpCTL      = 0x0c
	gpIMR      = 0x18
	gpRIS      = 0x1c
	gpMIS      = 0x20
	gpICR      = 0x24
	gpTAILR    = 0x28
	gpTBILR    = 0x2c
	gpTAMATCHR = 0x30
	gpTBMATCHR = 0x34
	gpTAPR     = 0x38
	gpTBPR     = 0x3c
	gpTAPMR    = 0x40
	gpTBPMR    = 0x44
	gpTAR      = 0x48
	gpTBR      = 0x4c
)

// GPTMCFG values.
const (
	cfg32   = 0 // one 32-bit timer
	cfgRTC  = 1 // 32-bit real-time clock
	cfg16   = 4 // two 16-bit timers
	cfgMask = 7
)

// GPTMTnMR.TnMR values.
const (
	tmrOneShot  = 1
	tmrPeriodic = 2
	tmrCapture  = 3
	tmrMask     = 3
	tmrPWM      = 0xa // TnAMS | TnMR=2: PWM, as QEMU tests for it
)

// GPTMCTL bits.
const (
	ctlTAEN  = 1 << 0
	ctlTAOTE = 1 << 5
	ctlTBEN  = 1 << 8
	ctlTBOTE = 1 << 13
)

// Interrupt bits of GPTMIMR, GPTMRIS, GPTMMIS and GPTMICR.
const (
	intTATO = 1 << 0 // Timer A time-out
	intRTC  = 1 << 3 // RTC match
	intTBTO = 1 << 8 // Timer B time-out
	intMask = 0x70f
)

// GPTM is a Stellaris general-purpose timer module.
//
// Interface:
//   - MMIO: one 4 KiB window; lm3s6965evb has four, at 0x40030000 +
//     n*0x1000, on NVIC 19, 21, 23 and 35.
//   - IRQ: one output, high while GPTMRIS & GPTMIMR is non-zero.
//   - Trigger: pulsed (raised and lowered) at a time-out of a timer whose
//     CTL.TnOTE is set; QEMU wires it to the ADC's trigger input.
//   - Time: the timers count the system clock, whose rate the board's
//     sysclk function returns (SysCtl.Clock); it is read each time a
//     timer (re)loads.
//
// Modes, as QEMU implements them unless marked (Mimic):
//   - 32-bit (GPTMCFG 0): Timer A counts GPTMTAILR cycles, then sets
//     TATORIS; periodic (TAMR 2) reloads, one-shot (1) clears CTL.TAEN.
//   - RTC (GPTMCFG 1): a 1 Hz counter (read in GPTMTAR) that wraps to 0
//     after passing GPTMTAMATCHR, setting RTCRIS when it does.
//   - (Mimic) 16-bit (GPTMCFG 4): Timers A and B each count their 16-bit
//     GPTMTnILR in units of GPTMTnPR+1 cycles (data sheet 11.3.2.1), and
//     set TATORIS or TBTORIS. QEMU logs these as unimplemented and never
//     fires them.
//
// Deliberate deviations from the hardware:
//   - Capture and PWM modes are not implemented (logged), as in QEMU.
//   - Pause on debug (TnSTALL) and the match registers' interrupts are
//     not implemented; the match registers are storage except in RTC
//     mode.
//   - A running timer does not follow a change of the system clock until
//     it next reloads (QEMU).
//   - (Mimic) GPTMTAR and GPTMTBR read the current count (QEMU reads 0
//     outside RTC mode); a stopped timer reads the count it stopped at.
//   - (Mimic) A timer loaded with 0 does not run (logged): it would time
//     out every cycle. QEMU schedules it for the current time forever.
//   - (Mimic) GPTMIMR keeps bits 0-3 and 8-10 as the data sheet defines
//     them; QEMU keeps 0x77, which loses RTCIM and TBTOIM. GPTMTBMATCHR
//     and GPTMTBPMR are stored as written; QEMU stores the high half of
//     the former and the latter into GPTMTAPMR.
type GPTM struct {
	log     logger
	clk     *clock.Clock
	sysclk  func() Rate
	irq     irq.Line
	trigger irq.Line
	level   bool

	cfg         uint32
	mode        [2]uint32
	ctl         uint32
	ris, imr    uint32
	load, match [2]uint32 // 32-bit modes: [0] low half, [1] high half
	pr, pmr     [2]uint32
	rtc         uint32
	timer       [2]gptmTimer
	onEvent     [2]func()
}

// gptmTimer is one of the two timers' running state.
type gptmTimer struct {
	running bool
	start   uint64 // virtual ns of the last (re)load
	due     uint64 // virtual ns of the next time-out
	count   uint64 // counts loaded at start
	div     uint64 // cycles per count (prescaler)
	rate    Rate   // system clock at start
	value   uint32 // stopped: the count it stopped at
	event   *clock.Event
}

var _ bus.Device = (*GPTM)(nil)

// NewGPTM returns a timer module in its reset state counting on clk at the
// rate sysclk returns, driving line and trigger (either may be nil).
func NewGPTM(clk *clock.Clock, sysclk func() Rate, line, trigger irq.Line) *GPTM {
	if line == nil {
		line = irq.None
	}
	if trigger == nil {
		trigger = irq.None
	}
	g := &GPTM{log: logger{name: "stellaris-gptm"}, clk: clk, sysclk: sysclk, irq: line, trigger: trigger}
	g.onEvent = [2]func(){func() { g.timeout(0) }, func() { g.timeout(1) }}
	g.Reset()
	return g
}

// Reset stops both timers, clears every register and lowers the
// interrupt.
func (g *GPTM) Reset() {
	now := g.clk.Now()
	for n := range g.timer {
		g.stop(n, now)
		g.timer[n].value = 0
	}
	g.cfg, g.mode, g.ctl, g.ris, g.imr = 0, [2]uint32{}, 0, 0, 0
	g.load, g.match, g.pr, g.pmr, g.rtc = [2]uint32{}, [2]uint32{}, [2]uint32{}, [2]uint32{}, 0
	g.level = false
	g.irq.Set(false)
}

// GuestErrors returns how many guest errors the module has seen.
func (g *GPTM) GuestErrors() uint64 { return g.log.guestErrors }

func (g *GPTM) update() {
	level := g.ris&g.imr != 0
	if level != g.level {
		g.level = level
		g.irq.Set(level)
	}
}

func (g *GPTM) stop(n int, now uint64) {
	t := &g.timer[n]
	if t.running {
		t.value = g.current(n, now)
	}
	g.clk.Cancel(t.event)
	t.event = nil
	t.running = false
}

// current returns timer n's count at time now while it runs.
func (g *GPTM) current(n int, now uint64) uint32 {
	t := &g.timer[n]
	if g.cfg == cfgRTC {
		return g.rtc
	}
	if now <= t.start {
		return uint32(t.count)
	}
	done := t.rate.nsToCycles(now-t.start) / t.div
	if done >= t.count {
		return 0
	}
	return uint32(t.count - done)
}

// reload starts timer n's next period at virtual time start (the time of
// the enable, or of the previous time-out), reading the system clock.
func (g *GPTM) reload(n int, start uint64) {
	t := &g.timer[n]
	g.clk.Cancel(t.event)
	t.event = nil
	t.running = false
	var count, div uint64
	switch {
	case g.cfg == cfg32:
		count, div = uint64(g.load[0]|g.load[1]<<16), 1
	case g.cfg == cfgRTC:
		t.running, t.start = true, start
		t.due = start + nsPerSecond
		t.event = g.clk.Schedule(t.due, g.onEvent[n])
		return
	case g.cfg == cfg16 && (g.mode[n]&tmrMask == tmrOneShot || g.mode[n]&tmrMask == tmrPeriodic) && g.mode[n] != tmrPWM:
		count, div = uint64(g.load[n]&0xffff), uint64(g.pr[n]&0xff)+1
	default:
		g.log.unimplemented("timer mode", "timer", string(rune('A'+n)), "GPTMCFG", g.cfg, "GPTMTnMR", hex(g.mode[n]))
		return
	}
	if g.cfg == cfg32 && g.mode[0]&tmrMask == tmrCapture {
		g.log.unimplemented("capture mode", "GPTMTAMR", hex(g.mode[0]))
		return
	}
	if count == 0 {
		g.log.guestError("timer enabled with a load value of 0", "timer", string(rune('A'+n)))
		t.value = 0
		return
	}
	rate := g.sysclk()
	if !rate.valid() {
		g.log.guestError("system clock rate out of range", "hz", rate.Hz, "div", rate.Div)
		return
	}
	d, ok := rate.cyclesToNs(count * div)
	if !ok {
		return
	}
	t.running, t.start, t.count, t.div, t.rate = true, start, count, div, rate
	t.due = start + d
	t.event = g.clk.Schedule(t.due, g.onEvent[n])
}

// oneShot reports whether timer n stops at its time-out.
func (g *GPTM) oneShot(n int) bool {
	m := g.mode[0]
	if g.cfg == cfg16 {
		m = g.mode[n]
	}
	return m&tmrMask == tmrOneShot
}

func (g *GPTM) timeout(n int) {
	t := &g.timer[n]
	t.event = nil
	due := t.due
	switch g.cfg {
	case cfgRTC:
		g.rtc++
		if g.rtc > g.match[0]|g.match[1]<<16 {
			g.rtc = 0
		}
		if g.rtc == 0 {
			g.ris |= intRTC
		}
		g.reload(n, due)
	default:
		enable, ote, to := uint32(ctlTAEN), uint32(ctlTAOTE), uint32(intTATO)
		if n == 1 {
			enable, ote, to = ctlTBEN, ctlTBOTE, intTBTO
		}
		g.ris |= to
		if g.ctl&ote != 0 {
			g.trigger.Set(true)
			g.trigger.Set(false)
		}
		if g.oneShot(n) {
			g.ctl &^= enable
			t.running = false
			t.value = 0
		} else {
			g.reload(n, due)
		}
	}
	g.update()
}

// catchUp runs a time-out that is due at now but whose clock event has
// not run yet (between two clock advances the clock is read live), so that
// a register access that reschedules the timer does not lose it.
func (g *GPTM) catchUp(now uint64) {
	for n := range g.timer {
		t := &g.timer[n]
		if t.running && t.event.Pending() && t.due <= now {
			g.clk.Cancel(t.event)
			g.timeout(n)
		}
	}
}

func (g *GPTM) writeCTL(v uint32, now uint64) {
	old := g.ctl
	g.ctl = v
	if (old^v)&ctlTAEN != 0 {
		if v&ctlTAEN != 0 {
			g.reload(0, now)
		} else {
			g.stop(0, now)
		}
	}
	if (old^v)&ctlTBEN != 0 && g.cfg >= cfg16 {
		if v&ctlTBEN != 0 {
			g.reload(1, now)
		} else {
			g.stop(1, now)
		}
	}
}

func (g *GPTM) readTnR(n int, now uint64) uint32 {
	if g.cfg == cfgRTC && n == 0 {
		return g.rtc
	}
	t := &g.timer[n]
	if !t.running {
		return t.value
	}
	return g.current(n, now)
}

// Read implements bus.Device.
func (g *GPTM) Read(off uint64, size int) uint64 {
	if !g.log.validAccess("read", off, size) {
		return 0
	}
	now := g.clk.Now()
	g.catchUp(now)
	wide := g.cfg < cfg16
	var v uint32
	switch off {
	case gpCFG:
		v = g.cfg
	case gpTAMR:
		v = g.mode[0]
	case gpTBMR:
		v = g.mode[1]
	case gpCTL:
		v = g.ctl
	case gpIMR:
		v = g.imr
	case gpRIS:
		v = g.ris
	case gpMIS:
		v = g.ris & g.imr
	case gpICR:
		v = 0
	case gpTAILR:
		v = g.load[0]
		if wide {
			v |= g.load[1] << 16
		}
	case gpTBILR:
		v = g.load[1]
	case gpTAMATCHR:
		v = g.match[0]
		if wide {
			v |= g.match[1] << 16
		}
	case gpTBMATCHR:
		v = g.match[1]
	case gpTAPR:
		v = g.pr[0]
	case gpTBPR:
		v = g.pr[1]
	case gpTAPMR:
		v = g.pmr[0]
	case gpTBPMR:
		v = g.pmr[1]
	case gpTAR:
		v = g.readTnR(0, now)
	case gpTBR:
		v = g.readTnR(1, now)
	default:
		g.log.guestError("read of bad offset", "offset", hex(off))
		return 0
	}
	return uint64(v) & sizeMask(size)
}

// Write implements bus.Device.
func (g *GPTM) Write(off uint64, size int, val uint64) {
	if !g.log.validAccess("write", off, size) {
		return
	}
	v := uint32(val & sizeMask(size))
	now := g.clk.Now()
	g.catchUp(now)
	wide := g.cfg < cfg16
	// The data sheet requires the timers to be disabled while they are
	// configured; like QEMU, configuration is read when a timer starts.
	switch off {
	case gpCFG:
		g.cfg = v & cfgMask
	case gpTAMR:
		g.mode[0] = v & 0xf
	case gpTBMR:
		g.mode[1] = v & 0xf
	case gpCTL:
		g.writeCTL(v, now)
	case gpIMR:
		g.imr = v & intMask
	case gpICR:
		g.ris &^= v
	case gpTAILR:
		g.load[0] = v & 0xffff
		if wide {
			g.load[1] = v >> 16
		}
	case gpTBILR:
		g.load[1] = v & 0xffff
	case gpTAMATCHR:
		g.match[0] = v & 0xffff
		if wide {
			g.match[1] = v >> 16
		}
	case gpTBMATCHR:
		g.match[1] = v & 0xffff
	case gpTAPR:
		g.pr[0] = v & 0xff
	case gpTBPR:
		g.pr[1] = v & 0xff
	case gpTAPMR:
		g.pmr[0] = v & 0xff
	case gpTBPMR:
		g.pmr[1] = v & 0xff
	default:
		g.log.guestError("write to bad offset", "offset", hex(off), "value", hex(v))
	}
	g.update()
}

// GPTMStateVersion is the version of GPTMState this package writes.
const GPTMStateVersion = 1

// GPTMTimerState is the running state of one timer: while Running, the
// current period began at Start and ends at Due (virtual ns on the
// machine's clock, restored before the devices), counting Count counts of
// Div cycles at Hz/RateDiv. Value is the count a stopped timer holds.
type GPTMTimerState struct {
	Running    bool
	Start, Due uint64
	Count, Div uint64
	Hz         uint64
	RateDiv    uint64
	Value      uint32
}

// GPTMState is a snapshot of a GPTM.
type GPTMState struct {
	Version     int
	CFG         uint32
	TAMR, TBMR  uint32
	CTL         uint32
	RIS, IMR    uint32
	Load, Match [2]uint32
	PR, PMR     [2]uint32
	RTC         uint32
	Timer       [2]GPTMTimerState
}

// State returns a snapshot of the module.
func (g *GPTM) State() GPTMState {
	s := GPTMState{
		Version: GPTMStateVersion,
		CFG:     g.cfg, TAMR: g.mode[0], TBMR: g.mode[1], CTL: g.ctl, RIS: g.ris, IMR: g.imr,
		Load: g.load, Match: g.match, PR: g.pr, PMR: g.pmr, RTC: g.rtc,
	}
	for n, t := range g.timer {
		s.Timer[n] = GPTMTimerState{Running: t.running, Start: t.start, Due: t.due,
			Count: t.count, Div: t.div, Hz: t.rate.Hz, RateDiv: t.rate.Div, Value: t.value}
	}
	return s
}

// Restore replaces the module's state with s after checking it, drives the
// interrupt and reschedules running timers. On error the module is
// unchanged.
func (g *GPTM) Restore(s GPTMState) error {
	const dev = "stellaris-gptm"
	switch {
	case s.Version != GPTMStateVersion:
		return badState(dev, "version %d, want %d", s.Version, GPTMStateVersion)
	case s.CFG&^cfgMask != 0 || s.TAMR > 0xf || s.TBMR > 0xf:
		return badState(dev, "GPTMCFG, GPTMTAMR or GPTMTBMR has undefined bits")
	case s.IMR&^intMask != 0 || s.RIS&^intMask != 0:
		return badState(dev, "GPTMIMR %#x or GPTMRIS %#x has undefined bits", s.IMR, s.RIS)
	case s.PR[0] > 0xff || s.PR[1] > 0xff || s.PMR[0] > 0xff || s.PMR[1] > 0xff:
		return badState(dev, "prescaler has undefined bits")
	case s.Load[0] > 0xffff || s.Load[1] > 0xffff || s.Match[0] > 0xffff || s.Match[1] > 0xffff:
		return badState(dev, "load or match half has undefined bits")
	}
	for n, t := range s.Timer {
		if !t.Running {
			continue
		}
		r := Rate{t.Hz, t.RateDiv}
		switch {
		case s.CFG == cfgRTC:
			if n != 0 || t.Due != t.Start+nsPerSecond {
				return badState(dev, "RTC timer %d: period %d..%d", n, t.Start, t.Due)
			}
		case !r.valid() || t.Count == 0 || t.Div == 0 || t.Div > 0x100 || t.Count > 0xffffffff:
			return badState(dev, "timer %d: bad count %d, divider %d or rate %d/%d", n, t.Count, t.Div, t.Hz, t.RateDiv)
		default:
			d, ok := r.cyclesToNs(t.Count * t.Div)
			if !ok || t.Due != t.Start+d {
				return badState(dev, "timer %d: period %d..%d does not match its count", n, t.Start, t.Due)
			}
		}
	}
	now := g.clk.Now()
	for n := range g.timer {
		g.stop(n, now)
	}
	g.cfg, g.mode, g.ctl, g.ris, g.imr = s.CFG, [2]uint32{s.TAMR, s.TBMR}, s.CTL, s.RIS, s.IMR
	g.load, g.match, g.pr, g.pmr, g.rtc = s.Load, s.Match, s.PR, s.PMR, s.RTC
	for n, ts := range s.Timer {
		t := &g.timer[n]
		*t = gptmTimer{running: ts.Running, start: ts.Start, due: ts.Due, count: ts.Count, div: ts.Div,
			rate: Rate{ts.Hz, ts.RateDiv}, value: ts.Value}
		if t.running {
			t.event = g.clk.Schedule(t.due, g.onEvent[n])
		}
	}
	g.level = g.ris&g.imr != 0
	g.irq.Set(g.level)
	return nil
}
