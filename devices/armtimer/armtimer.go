// Package armtimer models one processor's ARMv7 Generic Timer (ARM ARM
// ARM DDI 0406C, chapter B8) as QEMU implements it for a Cortex-A15: a
// 64-bit system counter running at a fixed frequency, a physical timer and
// a virtual timer, each a 64-bit compare value with control bits.
//
// Interface:
//   - Not MMIO: the CPU's CP15 code calls the methods of Timer (CNTFRQ,
//     CNTPCT, CNTVCT, CNTVOFF, CNTKCTL) and of its two Channels (CNTP_*
//     through Phys, CNTV_* through Virt). Access permissions (PL0 access
//     through CNTKCTL, CNTVOFF only from Hyp or Monitor mode) are the
//     caller's business; this package stores and computes.
//   - IRQ: two outputs, the physical and the virtual timer interrupt, each
//     high while its timer is enabled, its condition met (ISTATUS) and not
//     masked (IMASK). QEMU's virt board wires them to PPI 30 (INTID 30) and
//     PPI 27 (INTID 27) of the CPU's GIC interface.
//   - Time: the counter is the virtual clock converted exactly,
//     CNTPCT = floor(now_ns * freq / 10^9); QEMU's Cortex-A15 runs it at
//     62.5 MHz, one tick every 16 ns. A clock event is scheduled for the
//     exact nanosecond at which an enabled, unmasked timer's condition
//     becomes true, and rescheduled or cancelled on every register write.
//
// Deliberate deviations from the architecture, shared with QEMU:
//   - CNTFRQ is plain storage, reset to the counter's real frequency;
//     writing it does not change the rate (as on hardware, where firmware
//     must program it to match).
//   - CTL.ISTATUS reads 0 while the timer is disabled (the architecture
//     leaves it UNKNOWN).
//   - TVAL reads as CVAL minus the count even while the timer is disabled
//     (architecturally UNKNOWN).
//   - The counter never stops and cannot be written; there is no
//     memory-mapped counter module (CNTCR), as on the virt board.
//   - Hyp timer, CNTHCTL and event stream generation are not implemented;
//     CNTKCTL is stored and read back unchanged.
package armtimer

import (
	"errors"
	"fmt"
	"math"
	"math/bits"

	"mimic/devices/clock"
	"mimic/devices/irq"
)

// CortexA15Freq is the counter frequency of QEMU's Cortex-A15 (and every
// QEMU Arm CPU before Armv8.6): 62.5 MHz, one tick every 16 ns.
const CortexA15Freq = 62_500_000

// CNTP_CTL / CNTV_CTL bits (ARM ARM B8.2).
const (
	CTL_ENABLE  = 1 << 0
	CTL_IMASK   = 1 << 1
	CTL_ISTATUS = 1 << 2

	ctlWritable = CTL_ENABLE | CTL_IMASK
)

const nsPerSecond = 1_000_000_000

// Timer is the generic timer of one processor. It is not safe for
// concurrent use: the CPU and the clock's events run on one goroutine.
type Timer struct {
	clk  *clock.Clock
	freq uint64

	cntfrq  uint32
	cntkctl uint32
	cntvoff uint64

	phys, virt Channel
}

// Channel is one of a Timer's two timers: the physical timer (CNTP_CTL,
// CNTP_CVAL, CNTP_TVAL) or the virtual timer (CNTV_CTL, CNTV_CVAL,
// CNTV_TVAL).
type Channel struct {
	t       *Timer
	virtual bool
	name    string

	ctl  uint32 // ENABLE and IMASK; ISTATUS is computed
	cval uint64

	out   irq.Line
	level bool
	event *clock.Event
}

// New returns a generic timer in its reset state whose counter runs at
// freqHz (0 < freqHz < 2^32; CortexA15Freq for QEMU's virt board) from
// virtual time zero, driving phys and virt (either may be nil).
func New(clk *clock.Clock, freqHz uint64, phys, virt irq.Line) *Timer {
	if freqHz == 0 || freqHz > math.MaxUint32 {
		panic(fmt.Sprintf("BUG: armtimer: counter frequency %d Hz out of range", freqHz))
	}
	if phys == nil {
		phys = irq.None
	}
	if virt == nil {
		virt = irq.None
	}
	t := &Timer{clk: clk, freq: freqHz}
	t.phys = Channel{t: t, name: "CNTP", out: phys}
	t.virt = Channel{t: t, virtual: true, name: "CNTV", out: virt}
	t.Reset()
	return t
}

// Reset puts the timer in its reset state (QEMU's: everything zero, CNTFRQ
// the counter frequency) and lowers both outputs. The counter itself is
// the virtual clock and is not reset.
func (t *Timer) Reset() {
	t.cntfrq = uint32(t.freq)
	t.cntkctl = 0
	t.cntvoff = 0
	for _, c := range []*Channel{&t.phys, &t.virt} {
		c.ctl, c.cval = 0, 0
		c.recalc(true)
	}
}

// Phys returns the physical timer (CNTP_CTL, CNTP_CVAL, CNTP_TVAL).
func (t *Timer) Phys() *Channel { return &t.phys }

// Virt returns the virtual timer (CNTV_CTL, CNTV_CVAL, CNTV_TVAL).
func (t *Timer) Virt() *Channel { return &t.virt }

// Freq returns the counter frequency the timer was created with.
func (t *Timer) Freq() uint64 { return t.freq }

// CNTFRQ returns the Counter Frequency register.
func (t *Timer) CNTFRQ() uint32 { return t.cntfrq }

// SetCNTFRQ writes CNTFRQ. It does not change the counter's rate.
func (t *Timer) SetCNTFRQ(v uint32) { t.cntfrq = v }

// CNTKCTL returns the Timer PL1 Control register.
func (t *Timer) CNTKCTL() uint32 { return t.cntkctl }

// SetCNTKCTL writes CNTKCTL.
func (t *Timer) SetCNTKCTL(v uint32) { t.cntkctl = v }

// CNTPCT returns the physical count: the virtual clock in counter ticks.
func (t *Timer) CNTPCT() uint64 { return t.ticksAt(t.clk.Now()) }

// CNTVCT returns the virtual count, CNTPCT - CNTVOFF.
func (t *Timer) CNTVCT() uint64 { return t.CNTPCT() - t.cntvoff }

// CNTVOFF returns the Virtual Offset register.
func (t *Timer) CNTVOFF() uint64 { return t.cntvoff }

// SetCNTVOFF writes CNTVOFF, which moves the virtual count and so
// reschedules the virtual timer.
func (t *Timer) SetCNTVOFF(v uint64) {
	t.cntvoff = v
	t.virt.recalc(false)
}

// ticksAt converts virtual nanoseconds to counter ticks,
// floor(ns * freq / 10^9) modulo 2^64, without overflow.
func (t *Timer) ticksAt(ns uint64) uint64 {
	hi, lo := bits.Mul64(ns, t.freq)
	// Reducing hi modulo 10^9 drops whole multiples of 2^64 ticks from
	// the quotient, which the counter's wrap drops anyway, and keeps
	// Div64 from overflowing.
	q, _ := bits.Div64(hi%nsPerSecond, lo, nsPerSecond)
	return q
}

// timeOfTick returns the first virtual nanosecond at which the counter
// reads at least tick, ceil(tick * 10^9 / freq), and false if that lies
// beyond the clock's 64-bit range.
func (t *Timer) timeOfTick(tick uint64) (uint64, bool) {
	hi, lo := bits.Mul64(tick, nsPerSecond)
	var carry uint64
	lo, carry = bits.Add64(lo, t.freq-1, 0)
	hi += carry
	if hi >= t.freq {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, t.freq)
	return q, true
}

// count returns the count this channel compares against.
func (c *Channel) count() uint64 { return c.countAt(c.t.CNTPCT()) }

// countAt returns this channel's count when the physical count is pct.
func (c *Channel) countAt(pct uint64) uint64 { return pct - c.offset() }

// offset returns the physical count minus this channel's count.
func (c *Channel) offset() uint64 {
	if c.virtual {
		return c.t.cntvoff
	}
	return 0
}

// istatusAt reports the timer condition (ENABLE and count >= CVAL) when
// the physical count is pct.
func (c *Channel) istatusAt(pct uint64) bool {
	return c.ctl&CTL_ENABLE != 0 && c.countAt(pct) >= c.cval
}

// CTL returns CNTx_CTL: ENABLE, IMASK and the computed ISTATUS.
func (c *Channel) CTL() uint32 {
	v := c.ctl
	if c.istatusAt(c.t.CNTPCT()) {
		v |= CTL_ISTATUS
	}
	return v
}

// SetCTL writes CNTx_CTL; ISTATUS and the reserved bits are ignored.
func (c *Channel) SetCTL(v uint32) {
	c.ctl = v & ctlWritable
	c.recalc(false)
}

// CVAL returns CNTx_CVAL.
func (c *Channel) CVAL() uint64 { return c.cval }

// SetCVAL writes CNTx_CVAL.
func (c *Channel) SetCVAL(v uint64) {
	c.cval = v
	c.recalc(false)
}

// TVAL returns CNTx_TVAL, the low 32 bits of CVAL minus the count (a
// signed down-counter: negative once the timer has fired).
func (c *Channel) TVAL() uint32 { return uint32(c.cval - c.count()) }

// SetTVAL writes CNTx_TVAL: CVAL becomes the count plus v sign-extended.
func (c *Channel) SetTVAL(v uint32) {
	c.cval = c.count() + uint64(int64(int32(v)))
	c.recalc(false)
}

// Level reports whether the channel's interrupt output is high.
func (c *Channel) Level() bool { return c.level }

// recalc drives the output from the current state and schedules the event
// for the moment it must rise. force drives the line even if unchanged.
//
// The whole decision works from one reading of the counter (see package
// clock): in realtime mode the clock moves between two reads, and a
// compare value passed between them would otherwise be seen as "not yet"
// by the first and "already past" by the second, leaving the line low with
// nothing scheduled to raise it.
func (c *Channel) recalc(force bool) {
	c.t.clk.Cancel(c.event)
	c.event = nil

	pct := c.t.CNTPCT()
	ist := c.istatusAt(pct)
	level := ist && c.ctl&CTL_IMASK == 0
	if level != c.level || force {
		c.level = level
		c.out.Set(level)
	}
	if c.ctl&(CTL_ENABLE|CTL_IMASK) != CTL_ENABLE || ist {
		// Disabled or masked: the line cannot rise, and ISTATUS is
		// computed when read. Already firing: only a register write
		// can lower the line (the count does not wrap in practice:
		// 2^64 ticks at 62.5 MHz is 9000 years).
		return
	}
	// The condition becomes true when the physical count reaches
	// CVAL + offset. It is false at pct, so the target lies after pct
	// unless the sum wrapped, in which case the physical count would
	// have to wrap first: never, for our purposes.
	target := c.cval + c.offset()
	if target <= pct {
		return
	}
	at, ok := c.t.timeOfTick(target)
	if !ok {
		return
	}
	// at may already be behind the live clock by the time it is
	// scheduled; the clock then fires it at its next advance.
	c.event = c.t.clk.Schedule(at, c.fire)
}

func (c *Channel) fire() {
	c.event = nil
	c.recalc(false)
}

// StateVersion is the version of State this package writes.
const StateVersion = 1

// State is a snapshot of the timer's registers. The counter is the virtual
// clock and is saved with it, not here; Freq is saved to check that the
// snapshot belongs to a timer of the same rate.
type State struct {
	Version int
	Freq    uint64

	CNTFRQ  uint32
	CNTKCTL uint32
	CNTVOFF uint64

	CNTP_CTL  uint32 // ENABLE and IMASK only
	CNTP_CVAL uint64
	CNTV_CTL  uint32
	CNTV_CVAL uint64
}

// State returns a snapshot of the timer.
func (t *Timer) State() State {
	return State{
		Version: StateVersion,
		Freq:    t.freq,
		CNTFRQ:  t.cntfrq, CNTKCTL: t.cntkctl, CNTVOFF: t.cntvoff,
		CNTP_CTL: t.phys.ctl, CNTP_CVAL: t.phys.cval,
		CNTV_CTL: t.virt.ctl, CNTV_CVAL: t.virt.cval,
	}
}

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("armtimer: bad state")

// Restore replaces the timer's registers with s after checking it, drives
// both outputs and reschedules both timers from the clock's current time
// (restore the clock first). On error the timer is unchanged.
func (t *Timer) Restore(s State) error {
	switch {
	case s.Version != StateVersion:
		return fmt.Errorf("%w: version %d, want %d", ErrBadState, s.Version, StateVersion)
	case s.Freq != t.freq:
		return fmt.Errorf("%w: counter frequency %d Hz, this timer runs at %d Hz", ErrBadState, s.Freq, t.freq)
	case s.CNTP_CTL&^ctlWritable != 0 || s.CNTV_CTL&^ctlWritable != 0:
		return fmt.Errorf("%w: CNTP_CTL %#x or CNTV_CTL %#x has bits beyond ENABLE and IMASK", ErrBadState, s.CNTP_CTL, s.CNTV_CTL)
	}
	t.cntfrq, t.cntkctl, t.cntvoff = s.CNTFRQ, s.CNTKCTL, s.CNTVOFF
	t.phys.ctl, t.phys.cval = s.CNTP_CTL, s.CNTP_CVAL
	t.virt.ctl, t.virt.cval = s.CNTV_CTL, s.CNTV_CVAL
	t.phys.recalc(true)
	t.virt.recalc(true)
	return nil
}
