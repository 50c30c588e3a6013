package arm

// The generic timer's CP15 interface (ARM ARM B8.2, B4.1.21ff): CNTFRQ,
// CNTKCTL, CNTP_*, CNTV_* and the 64-bit CNTPCT, CNTVCT, CNTP_CVAL,
// CNTV_CVAL. The timer itself is a device (devices/armtimer); CP15 applies
// the access rules: PL0 access through CNTKCTL, and no CNTVOFF or Hyp
// registers without the Virtualization Extensions.

import "mimic/devices/armtimer"

// GenericTimer is a processor's generic timer as CP15 reaches it.
type GenericTimer interface {
	CNTFRQ() uint32
	SetCNTFRQ(v uint32)
	CNTKCTL() uint32
	SetCNTKCTL(v uint32)
	CNTPCT() uint64
	CNTVCT() uint64
	// Channel returns the physical (false) or virtual (true) timer.
	Channel(virtual bool) TimerChannel
}

// TimerChannel is one timer of a GenericTimer: CNTP_* or CNTV_*.
type TimerChannel interface {
	CTL() uint32
	SetCTL(v uint32)
	CVAL() uint64
	SetCVAL(v uint64)
	TVAL() uint32
	SetTVAL(v uint32)
}

// ArmTimer adapts a devices/armtimer Timer for EnableCP15.
func ArmTimer(t *armtimer.Timer) GenericTimer { return armTimer{t} }

type armTimer struct{ *armtimer.Timer }

func (t armTimer) Channel(virtual bool) TimerChannel {
	if virtual {
		return t.Virt()
	}
	return t.Phys()
}

var _ TimerChannel = (*armtimer.Channel)(nil)

// CNTKCTL bits (ARM ARM B4.1.26).
const (
	cntkctlPL0PCTEN = 1 << 0
	cntkctlPL0VCTEN = 1 << 1
	cntkctlPL0VTEN  = 1 << 8
	cntkctlPL0PTEN  = 1 << 9
)

// timerPL0 reports whether PL0 has the access that CNTKCTL bits grant.
func (cp *cp15) timerPL0(bits uint32) bool {
	return cp.cfg.Timer.CNTKCTL()&bits != 0
}

// timerRead reads c14 with opc1 = 0.
func (cp *cp15) timerRead(crm, opc2 uint32, priv bool) (uint32, bool) {
	t := cp.cfg.Timer
	key := cpKey(0, 14, crm, opc2)
	if t == nil {
		return cp.unknown("MRC", key, priv)
	}
	switch crm<<4 | opc2 {
	case 0x00: // CNTFRQ
		if priv || cp.timerPL0(cntkctlPL0PCTEN|cntkctlPL0VCTEN) {
			return t.CNTFRQ(), true
		}
	case 0x10: // CNTKCTL
		if priv {
			return t.CNTKCTL(), true
		}
	case 0x20, 0x21, 0x30, 0x31: // CNTP_TVAL, CNTP_CTL, CNTV_TVAL, CNTV_CTL
		virt := crm == 3
		if priv || cp.timerPL0(timerChanBit(virt)) {
			ch := t.Channel(virt)
			if opc2 == 0 {
				return ch.TVAL(), true
			}
			return ch.CTL(), true
		}
	}
	return cp.unknown("MRC", key, priv)
}

func timerChanBit(virt bool) uint32 {
	if virt {
		return cntkctlPL0VTEN
	}
	return cntkctlPL0PTEN
}

// timerWrite writes c14 with opc1 = 0.
func (cp *cp15) timerWrite(crm, opc2, val uint32, priv bool) bool {
	t := cp.cfg.Timer
	key := cpKey(0, 14, crm, opc2)
	if t != nil {
		switch crm<<4 | opc2 {
		case 0x00: // CNTFRQ: PL1 only (no Security Extensions)
			if priv {
				t.SetCNTFRQ(val)
				return true
			}
		case 0x10:
			if priv {
				t.SetCNTKCTL(val)
				return true
			}
		case 0x20, 0x21, 0x30, 0x31:
			virt := crm == 3
			if priv || cp.timerPL0(timerChanBit(virt)) {
				ch := t.Channel(virt)
				if opc2 == 0 {
					ch.SetTVAL(val)
				} else {
					ch.SetCTL(val)
				}
				return true
			}
		}
	}
	_, ok := cp.unknown("MCR", key, priv)
	return ok
}

// timerRead64 reads a 64-bit c14 register: opc1 0 CNTPCT, 1 CNTVCT,
// 2 CNTP_CVAL, 3 CNTV_CVAL. CNTVOFF (4) needs Hyp mode.
func (cp *cp15) timerRead64(opc1 uint32, priv bool) (uint64, bool) {
	if t := cp.cfg.Timer; t != nil {
		switch opc1 {
		case 0:
			if priv || cp.timerPL0(cntkctlPL0PCTEN) {
				return t.CNTPCT(), true
			}
		case 1:
			if priv || cp.timerPL0(cntkctlPL0VCTEN) {
				return t.CNTVCT(), true
			}
		case 2, 3:
			virt := opc1 == 3
			if priv || cp.timerPL0(timerChanBit(virt)) {
				return t.Channel(virt).CVAL(), true
			}
		}
	}
	return cp.unknown64("MRRC", opc1, 14, priv)
}

// timerWrite64 writes CNTP_CVAL (opc1 2) or CNTV_CVAL (3); the counts
// are read-only.
func (cp *cp15) timerWrite64(opc1 uint32, val uint64, priv bool) bool {
	if t := cp.cfg.Timer; t != nil && (opc1 == 2 || opc1 == 3) {
		virt := opc1 == 3
		if priv || cp.timerPL0(timerChanBit(virt)) {
			t.Channel(virt).SetCVAL(val)
			return true
		}
	}
	_, ok := cp.unknown64("MCRR", opc1, 14, priv)
	return ok
}
