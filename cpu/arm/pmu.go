package arm

// The Performance Monitors Extension, PMUv2 (ARM ARM C12), as QEMU's
// cortex-a15 has it: PMCR.N = 6 event counters and the cycle counter.
//
// Time here is instructions retired: PMCCNTR counts one "cycle" per
// retired instruction (every 64 with PMCR.D), the events CPU_CYCLES (0x11)
// and INST_RETIRED (0x08) count retired instructions, SW_INCR (0x00)
// counts PMSWINC writes, and every other event counts nothing. Counters
// are brought up to date lazily, at each PMU register access; an
// instruction's own block may not be counted yet when it reads a counter.
//
// Not modelled: the overflow interrupt (no line is wired), and the
// PMXEVTYPER/PMCCFILTR mode filters (P, U), which are stored but do not
// filter.

const (
	pmuN = 6 // event counters, PMCR.N

	pmcrE  = 1 << 0 // enable
	pmcrP  = 1 << 1 // event counter reset (write-only)
	pmcrC  = 1 << 2 // cycle counter reset (write-only)
	pmcrD  = 1 << 3 // cycle counter counts every 64th cycle
	pmcrRW = 0x39   // E, D, X, DP

	pmuC       = 1 << 31 // the cycle counter's bit in PMCNTEN/PMINTEN/PMOVS
	pmuCounter = pmuC | (1<<pmuN - 1)

	pmEvtypeMask = 0xfe00ffff // PMXEVTYPER as QEMU stores it
	pmCcfiltMask = 0xfc000000 // PMCCFILTR (PMSELR = 31)

	evSWIncr      = 0x00
	evInstRetired = 0x08
	evCPUCycles   = 0x11
)

type pmu struct {
	cp      *cp15
	pmcr    uint32 // the writable bits
	cnten   uint32
	inten   uint32
	ovs     uint32
	selr    uint32
	userenr uint32
	ccfilt  uint32
	ccnt    uint32
	ccfrac  uint32 // with PMCR.D: retired instructions not yet counted
	evtype  [pmuN]uint32
	evcnt   [pmuN]uint32
	last    uint64 // instructions retired when the counters were updated
}

func (p *pmu) reset(cp *cp15) {
	*p = pmu{cp: cp, last: cp.c.retired}
}

// sync brings the counters up to date with the instructions retired.
func (p *pmu) sync() {
	n := p.cp.c.retired - p.last
	p.last = p.cp.c.retired
	if n == 0 || p.pmcr&pmcrE == 0 {
		return
	}
	if p.cnten&pmuC != 0 {
		inc := n
		if p.pmcr&pmcrD != 0 {
			f := uint64(p.ccfrac) + n
			inc, p.ccfrac = f/64, uint32(f%64)
		}
		p.ccnt = p.add(p.ccnt, inc, pmuC)
	}
	for i := range p.evcnt {
		if p.cnten&(1<<i) == 0 {
			continue
		}
		switch p.evtype[i] & 0xffff {
		case evInstRetired, evCPUCycles:
			p.evcnt[i] = p.add(p.evcnt[i], n, 1<<i)
		}
	}
}

// add adds n to a 32-bit counter, setting its overflow flag on a wrap.
func (p *pmu) add(v uint32, n uint64, flag uint32) uint32 {
	s := uint64(v) + n
	if s>>32 != 0 {
		p.ovs |= flag
	}
	return uint32(s)
}

// PMU register coordinates (c9, opc1 = 0).
const (
	regPMCR       = 0x09c0
	regPMCNTENSET = 0x09c1
	regPMCNTENCLR = 0x09c2
	regPMOVSR     = 0x09c3
	regPMSWINC    = 0x09c4
	regPMSELR     = 0x09c5
	regPMCCNTR    = 0x09d0
	regPMXEVTYPER = 0x09d1
	regPMXEVCNTR  = 0x09d2
	regPMUSERENR  = 0x09e0
	regPMINTENSET = 0x09e1
	regPMINTENCLR = 0x09e2
	regPMOVSSET   = 0x09e3
)

// pl0 reports whether PL0 may access register key.
func (p *pmu) pl0(key uint32, write bool) bool {
	switch key {
	case regPMUSERENR:
		return !write
	case regPMINTENSET, regPMINTENCLR:
		return false
	}
	return p.userenr&1 != 0
}

func (p *pmu) read(key uint32, priv bool) (uint32, bool) {
	cp := p.cp
	if !priv && !p.pl0(key, false) {
		return cp.unknown("MRC", key, priv)
	}
	p.sync()
	switch key {
	case regPMCR:
		return pmcrA15 | p.pmcr, true
	case regPMCNTENSET, regPMCNTENCLR:
		return p.cnten, true
	case regPMOVSR, regPMOVSSET:
		return p.ovs, true
	case regPMSELR:
		return p.selr, true
	case regPMCCNTR:
		return p.ccnt, true
	case regPMXEVTYPER:
		switch {
		case p.selr < pmuN:
			return p.evtype[p.selr], true
		case p.selr == 31:
			return p.ccfilt, true
		}
		return 0, true
	case regPMXEVCNTR:
		if p.selr < pmuN {
			return p.evcnt[p.selr], true
		}
		return 0, true
	case regPMUSERENR:
		return p.userenr, true
	case regPMINTENSET, regPMINTENCLR:
		return p.inten, true
	}
	// PMSWINC is write-only; PMCEID0/1 are absent (QEMU 7.2, ARMv7).
	return cp.unknown("MRC", key, priv)
}

func (p *pmu) write(key, val uint32, priv bool) bool {
	cp := p.cp
	if !priv && !p.pl0(key, true) {
		_, ok := cp.unknown("MCR", key, priv)
		return ok
	}
	p.sync()
	switch key {
	case regPMCR:
		if val&pmcrC != 0 {
			p.ccnt, p.ccfrac = 0, 0
		}
		if val&pmcrP != 0 {
			p.evcnt = [pmuN]uint32{}
		}
		p.pmcr = val & pmcrRW
	case regPMCNTENSET:
		p.cnten |= val & pmuCounter
	case regPMCNTENCLR:
		p.cnten &^= val & pmuCounter
	case regPMOVSR:
		p.ovs &^= val & pmuCounter
	case regPMOVSSET:
		p.ovs |= val & pmuCounter
	case regPMSWINC:
		if p.pmcr&pmcrE == 0 {
			break
		}
		for i := range p.evcnt {
			if val&p.cnten&(1<<i) != 0 && p.evtype[i]&0xffff == evSWIncr {
				p.evcnt[i] = p.add(p.evcnt[i], 1, 1<<i)
			}
		}
	case regPMSELR:
		p.selr = val & 0x1f
	case regPMCCNTR:
		p.ccnt, p.ccfrac = val, 0
	case regPMXEVTYPER:
		switch {
		case p.selr < pmuN:
			p.evtype[p.selr] = val & pmEvtypeMask
		case p.selr == 31:
			p.ccfilt = val & pmCcfiltMask
		}
	case regPMXEVCNTR:
		if p.selr < pmuN {
			p.evcnt[p.selr] = val
		}
	case regPMUSERENR:
		p.userenr = val & 1
	case regPMINTENSET:
		p.inten |= val & pmuCounter
	case regPMINTENCLR:
		p.inten &^= val & pmuCounter
	default:
		_, ok := cp.unknown("MCR", key, priv)
		return ok
	}
	return true
}
