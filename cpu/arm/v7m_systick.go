package arm

import (
	"math/bits"

	"mimic/devices/clock"
)

// SysTick, the ARMv7-M system timer (ARMv7-M ARM B3.3): a 24-bit down
// counter clocked by the processor clock or an external reference, on the
// machine's virtual clock. Its state is held as the time t0 at which the
// counter had value c0 (while enabled); the current value, COUNTFLAG and
// the wrap events are computed from one reading of the clock.

// SYST_CSR bits (B3.3.3).
const (
	systENABLE    = 1 << 0
	systTICKINT   = 1 << 1
	systCLKSOURCE = 1 << 2
	systCOUNTFLAG = 1 << 16
	systNOREF     = 1 << 31
)

type systick struct {
	c    *CPU
	csr  uint32 // ENABLE, TICKINT, CLKSOURCE
	rvr  uint32
	c0   uint32 // counter value at t0 (the value, when stopped)
	t0   uint64
	freq uint64 // Hz (times div) while counting, 0 when stopped
	div  uint64 // the clock is freq/div Hz; at least 1
	// cpuHz/cpuDiv is the processor clock (CLKSOURCE = 1): the
	// configured CPUClockHz, until the board changes it (SetCPUClock).
	cpuHz, cpuDiv uint64
	flag          bool   // COUNTFLAG from epochs before t0
	zcRead        uint64 // wraps of this epoch already reported by COUNTFLAG
	fired         uint64 // wraps of this epoch already signalled
	ev            *clock.Event
}

func (s *systick) clk() *clock.Clock { return s.c.m.cfg.Clock }

func (s *systick) reset() {
	if s.ev != nil {
		s.clk().Cancel(s.ev)
		s.ev = nil
	}
	hz, div := s.cpuHz, s.cpuDiv // kept across reset (SetCPUClock)
	if div == 0 {
		hz, div = s.c.m.cfg.CPUClockHz, 1
	}
	*s = systick{c: s.c, cpuHz: hz, cpuDiv: div}
	if s.c.m.cfg.SysTickRefHz == 0 {
		s.csr = systCLKSOURCE
	}
}

// ticks is the number of counter clocks from t0 to now.
func (s *systick) ticks(now uint64) uint64 {
	if now <= s.t0 {
		return 0
	}
	hi, lo := bits.Mul64(now-s.t0, s.freq)
	d := 1e9 * s.div
	if hi >= d {
		return ^uint64(0)
	}
	q, _ := bits.Div64(hi, lo, d)
	return q
}

// firstWrap is the index of the first wrap of the epoch: a counter that
// starts at 0 reloads first and reaches 0 only a period later.
func (s *systick) firstWrap() uint64 {
	if s.c0 == 0 {
		return 1
	}
	return 0
}

// wraps is how many times the counter reached 0 within T clocks of t0.
func (s *systick) wraps(T uint64) uint64 {
	if s.freq == 0 {
		return 0
	}
	if s.rvr == 0 {
		// A reload value of 0 stops the counter at 0 (B3.3.2): it
		// reaches 0 once if it starts above it; from 0 it only reloads
		// 0, never counting from 1 to 0 (no COUNTFLAG, as QEMU).
		if s.c0 == 0 || T < uint64(s.c0) {
			return 0
		}
		return 1
	}
	period := uint64(s.rvr) + 1
	k0 := s.firstWrap()
	first := uint64(s.c0) + k0*period
	if T < first {
		return 0
	}
	return (T-first)/period + 1
}

// value is the counter value T clocks after t0.
func (s *systick) value(T uint64) uint32 {
	if s.freq == 0 || T < uint64(s.c0) {
		return s.c0 - uint32(min(T, uint64(s.c0)))
	}
	if s.rvr == 0 {
		return 0
	}
	period := uint64(s.rvr) + 1
	r := (T - uint64(s.c0)) % period
	if r == 0 {
		return 0
	}
	return uint32(period - r)
}

// latch keeps in flag a COUNTFLAG of the epoch ending at now.
func (s *systick) latch(now uint64) {
	if s.freq != 0 {
		s.flag = s.flag || s.wraps(s.ticks(now)) > s.zcRead
	}
}

// rebase starts a new epoch at now with the counter at v.
func (s *systick) rebase(now uint64, v uint32) {
	if s.ev != nil {
		s.clk().Cancel(s.ev)
		s.ev = nil
	}
	s.t0, s.c0 = now, v&0xffffff
	s.zcRead, s.fired = 0, 0
	s.freq, s.div = 0, 1
	if s.csr&systENABLE != 0 && s.clk() != nil {
		cfg := s.c.m.cfg
		if s.csr&systCLKSOURCE != 0 {
			s.freq, s.div = s.cpuHz, s.cpuDiv
		} else {
			s.freq = cfg.SysTickRefHz
		}
		if s.freq == 0 {
			s.c.guestError("SysTick enabled with no clock to count")
		}
	}
	s.schedule()
}

// schedule arms the event of the next wrap not yet signalled.
func (s *systick) schedule() {
	if s.freq == 0 || s.csr&systTICKINT == 0 || s.rvr == 0 && s.fired > 0 {
		return
	}
	period := uint64(s.rvr) + 1
	z := uint64(s.c0) + (s.firstWrap()+s.fired)*period // in clocks from t0
	hi, lo := bits.Mul64(z, 1e9*s.div)
	if hi >= s.freq {
		return
	}
	q, r := bits.Div64(hi, lo, s.freq)
	if r != 0 {
		q++
	}
	s.ev = s.clk().Schedule(s.t0+q, s.wrap)
}

// wrap is the event of the counter reaching 0: SysTick becomes pending.
func (s *systick) wrap() {
	s.ev = nil
	s.fired++
	m := s.c.m
	m.exc[excSysTick].pending = true
	s.c.mUpdate()
	s.schedule()
}

func (s *systick) now() uint64 {
	if s.clk() == nil {
		return 0
	}
	return s.clk().Now()
}

func (s *systick) readCSR() uint32 {
	now := s.now()
	w := s.wraps(s.ticks(now))
	v := s.csr
	if s.flag || w > s.zcRead {
		v |= systCOUNTFLAG
	}
	// COUNTFLAG clears on read (B3.3.3).
	s.flag, s.zcRead = false, w
	return v
}

func (s *systick) writeCSR(v uint32) {
	now := s.now()
	cur := s.value(s.ticks(now))
	mask := uint32(systENABLE | systTICKINT | systCLKSOURCE)
	if s.c.m.cfg.SysTickRefHz == 0 {
		v |= systCLKSOURCE // no reference clock: the processor clock only
	}
	s.latch(now)
	s.csr = v & mask
	s.rebase(now, cur)
}

func (s *systick) readCVR() uint32 { return s.value(s.ticks(s.now())) }

// writeCVR clears the counter and COUNTFLAG, whatever is written.
func (s *systick) writeCVR() {
	s.flag = false
	s.rebase(s.now(), 0)
}

func (s *systick) writeRVR(v uint32) {
	now := s.now()
	cur := s.value(s.ticks(now))
	s.latch(now)
	s.rvr = v & 0xffffff
	s.rebase(now, cur)
}

// setCPUClock changes the processor clock to hz/div Hz: a counter
// running on it goes on from its current value at the new rate.
func (s *systick) setCPUClock(hz, div uint64) {
	if div == 0 {
		div = 1
	}
	now := s.now()
	cur := s.value(s.ticks(now))
	s.latch(now)
	s.cpuHz, s.cpuDiv = hz, div
	if s.freq != 0 || s.csr&systENABLE != 0 {
		s.rebase(now, cur)
	}
}

// SetCPUClock changes the processor clock, which SysTick counts with
// CLKSOURCE = 1, to hz/div Hz (div 0 means 1), for boards whose system
// control changes it at run time (the Stellaris RCC/PLL). The counter
// keeps its value and COUNTFLAG, and counts on at the new rate. A CPU
// reset keeps the rate: it is the board's clock, not the CPU's (the
// Stellaris system control is reset with the machine and tells its
// listeners the rate again).
func (c *CPU) SetCPUClock(hz, div uint64) {
	if c.m == nil {
		panic("BUG: arm: SetCPUClock on an A-profile CPU")
	}
	c.m.tick.setCPUClock(hz, div)
}

func (s *systick) calib() uint32 {
	cfg := s.c.m.cfg
	v := cfg.SysTickCalib
	if cfg.SysTickRefHz == 0 {
		v |= systNOREF
	}
	return v
}
