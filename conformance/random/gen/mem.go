package main

import "fmt"

// Addressing modes shared by both instruction sets.
const (
	modeOffset = iota // [Rn, #off]
	modePre           // [Rn, #off]!
	modePost          // [Rn], #off
	modeUnpriv        // LDRT and friends (A32: post-indexed; T32: positive offset)
)

// offsets lists the offsets off with lo <= off <= hi and off%gran == 0 that
// make an access of span bytes with the given alignment valid from a base
// holding v. Pre-indexed and offset forms access v+off. Post-indexed forms
// access v and leave v+off in the base, which must stay within or just past
// the scratch buffer so the register remains a usable base.
func offsets(v uint32, span, align int, post bool, lo, hi, gran int) []int {
	var out []int
	if post {
		if !inScratch(v, span) || int(v)%align != 0 {
			return nil
		}
		for nb := int(scratchBase); nb <= int(scratchBase)+scratchSize; nb++ {
			off := nb - int(v)
			if off >= lo && off <= hi && off%gran == 0 {
				out = append(out, off)
			}
		}
		return out
	}
	for a := int(scratchBase); a+span <= int(scratchBase)+scratchSize; a += align {
		off := a - int(v)
		if off >= lo && off <= hi && off%gran == 0 {
			out = append(out, off)
		}
	}
	return out
}

// pickOff picks one offset, favouring zero and small magnitudes now and then.
func (g *gen) pickOff(offs []int) int {
	if g.r.pct(15) {
		for _, o := range offs {
			if o == 0 {
				return 0
			}
		}
	}
	return offs[g.r.intn(len(offs))]
}

// regOffset finds an immediate shift that produces mag from some index value:
// it returns the shift type, amount and the index value.
func (g *gen) regOffset(mag uint32, allowTypes int) (typ, amt int, m uint32) {
	for i := 0; i < 8; i++ {
		typ = g.r.intn(allowTypes)
		switch typ {
		case 0:
			amt = g.r.intn(4)
			if g.r.pct(20) {
				amt = g.r.intn(32)
			}
			if mag == 0 {
				if amt > 0 && g.r.pct(50) {
					return typ, amt, uint32(g.r.intn(4)) << (32 - amt) // shifted out entirely
				}
				return typ, amt, 0
			}
			if mag%(1<<amt) == 0 {
				return typ, amt, mag >> amt
			}
		case 1: // LSR #amt; LSR #32 (amt 0) yields zero from any index
			amt = g.r.intn(32)
			if amt == 0 {
				if mag == 0 {
					return typ, 0, g.r.value()
				}
				continue
			}
			if uint64(mag)<<amt < 1<<32 {
				return typ, amt, mag << amt
			}
		case 2: // ASR
			amt = 1 + g.r.intn(31)
			if uint64(mag)<<amt < 1<<31 {
				return typ, amt, mag << amt
			}
		case 3: // ROR #amt (never RRX: it would depend on the carry flag)
			amt = 1 + g.r.intn(31)
			return typ, amt, mag<<amt | mag>>(32-amt)
		}
	}
	return 0, 0, mag
}

// addrText renders "[rn, #off]", "[rn, #off]!" or "[rn], #off".
func addrText(n int, u uint32, mag int, mode int) string {
	o := fmt.Sprintf("#%d", mag)
	if u == 0 {
		o = fmt.Sprintf("#-%d", mag)
	}
	switch mode {
	case modePre:
		return fmt.Sprintf("[%s, %s]!", rn(n), o)
	case modePost:
		return fmt.Sprintf("[%s], %s", rn(n), o)
	}
	if mag == 0 && u == 1 {
		return fmt.Sprintf("[%s]", rn(n))
	}
	return fmt.Sprintf("[%s, %s]", rn(n), o)
}

// addrRegText renders register-offset addressing.
func addrRegText(n int, u uint32, m int, shift string, mode int) string {
	sign := ""
	if u == 0 {
		sign = "-"
	}
	switch mode {
	case modePre:
		return fmt.Sprintf("[%s, %s%s%s]!", rn(n), sign, rn(m), shift)
	case modePost:
		return fmt.Sprintf("[%s], %s%s%s", rn(n), sign, rn(m), shift)
	}
	return fmt.Sprintf("[%s, %s%s%s]", rn(n), sign, rn(m), shift)
}

func absU(off int) (uint32, int) {
	if off < 0 {
		return 0, -off
	}
	return 1, off
}

// ldmAddrs gives the lowest address an LDM/STM touches and the written-back
// base, for mode (P, U) and count registers.
func ldmAddrs(v uint32, p, u uint32, count int) (lowest, wb uint32) {
	n := uint32(4 * count)
	switch {
	case p == 0 && u == 1: // IA
		return v, v + n
	case p == 1 && u == 1: // IB
		return v + 4, v + n
	case p == 0 && u == 0: // DA
		return v - n + 4, v - n
	default: // DB
		return v - n, v - n
	}
}
