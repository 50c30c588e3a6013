package arm

// The VMSAv7 MMU (ARM ARM B3): stage 1 translation for PL0 and PL1 with
// the short-descriptor format (B3.5) or, when TTBCR.EAE is set, the
// long-descriptor (LPAE) format (B3.6), and the address translation
// operations ATS1C* (B4.2.4) that report through PAR.
//
// Faults use the exact FSR encodings of B4.1.52/B4.1.96 (short: FS in bits
// [10,3:0], domain in [7:4]; long: STATUS in [5:0] with the level, bit 9
// set). Memory attributes (TEX/C/B, TEX remap through PRRR/NMRR, MAIR,
// shareability) do not change what emulation does, so the walk only
// checks that descriptors are well formed and reports the attributes that
// PAR shows.
//
// Where the architecture leaves the order of checks open, the walk does
// what QEMU does: the domain of a short-descriptor page is checked on the
// first-level descriptor before the second-level one is read, a Manager
// domain skips the Access flag and XN checks, and a walk that reads an
// unmapped physical address is a synchronous external abort on the
// translation table walk with ExT = 0 (a decode error).

import (
	"encoding/binary"
	"math/bits"
)

// TTBCR bits (ARM ARM B4.1.153).
const (
	ttbcrN    = 7
	ttbcrEPD0 = 1 << 7
	ttbcrEPD1 = 1 << 23
	ttbcrA1   = 1 << 22
	ttbcrEAE  = 1 << 31
)

// Short-descriptor fault status codes (FS[4:0], ARM ARM table B3-23).
const (
	fsAccessSect  = 0x03
	fsAccessPage  = 0x06
	fsDomainSect  = 0x09
	fsDomainPage  = 0x0b
	fsPermSect    = 0x0d
	fsPermPage    = 0x0f
	fsWalkExtL1   = 0x0c
	fsWalkExtL2   = 0x0e
	fsLPAE        = 1 << 9 // FSR format bit: long-descriptor
	fsExT         = 1 << 12
	fsDomainShift = 4
)

// Long-descriptor fault status codes (STATUS[5:0], ARM ARM table B3-24);
// the translation-related ones take the level in bits [1:0].
const (
	lfsAddrSize   = 0x00
	lfsTrans      = 0x04
	lfsAccess     = 0x08
	lfsPerm       = 0x0c
	lfsExtAbort   = 0x10
	lfsWalkExt    = 0x14
	lfsAlignment  = 0x21
	lfsDebug      = 0x22
	longAddrMask  = 1<<40 - 1
	parLPAE       = 1 << 11 // PAR: 64-bit format
	parNS         = 1 << 9  // PAR: Non-secure (always, without Security Extensions)
	parSS         = 1 << 1  // PAR: supersection
	permAll       = 1<<accRead | 1<<accWrite | 1<<accExec
	permRW        = 1<<accRead | 1<<accWrite
	permR         = 1 << accRead
	walkAttrShift = 56
)

// vmsa holds the translation registers and walks the tables.
type vmsa struct {
	c            *CPU
	ttbr0, ttbr1 uint64
	ttbcr        uint32
	dacr         uint32
	prrr, nmrr   uint32 // MAIR0, MAIR1 when TTBCR.EAE=1
}

var _ MMU = (*vmsa)(nil)

func (v *vmsa) reset() {
	v.ttbr0, v.ttbr1, v.ttbcr, v.dacr, v.prrr, v.nmrr = 0, 0, 0, 0, 0, 0
	v.c.mem.setKey(v.key())
}

// key is what selects a TLB context (mem.go): DACR and TTBCR.
func (v *vmsa) key() uint64 { return uint64(v.dacr)<<32 | uint64(v.ttbcr) }

// Register writes. A DACR or TTBCR write that changes the value selects
// the TLB context for the new value (mem.go): operating systems switch
// them back and forth around every access to user memory. Every other
// write that changes what a walk would produce flushes the software TLB
// (TTBRs and CONTEXTIDR change the address space or ASID; PRRR, NMRR and
// the MAIRs only attributes, but the architecture requires TLB
// maintenance after them too).

func (v *vmsa) setTTBR0(val uint64) {
	if val != v.ttbr0 {
		v.ttbr0 = val
		v.c.mem.flushAll()
	}
}

func (v *vmsa) setTTBR1(val uint64) {
	if val != v.ttbr1 {
		v.ttbr1 = val
		v.c.mem.flushAll()
	}
}

// setTTBCR writes TTBCR. As in QEMU, with EAE=0 only N is implemented (PD0
// and PD1 belong to the Security Extensions), and with EAE=1 bits [21:19],
// [15:14] and [6:3] are UNK/SBZP.
func (v *vmsa) setTTBCR(val uint32) {
	if val&ttbcrEAE != 0 {
		val &^= 7<<19 | 3<<14 | 0xf<<3
	} else {
		val &= ttbcrN
	}
	if val != v.ttbcr {
		v.ttbcr = val
		v.c.mem.setKey(v.key())
	}
}

func (v *vmsa) setDACR(val uint32) {
	if val != v.dacr {
		v.dacr = val
		v.c.mem.setKey(v.key())
	}
}

func (v *vmsa) setPRRR(val uint32) {
	if val != v.prrr {
		v.prrr = val
		v.c.mem.flushAll()
	}
}

func (v *vmsa) setNMRR(val uint32) {
	if val != v.nmrr {
		v.nmrr = val
		v.c.mem.flushAll()
	}
}

func (v *vmsa) lpae() bool { return v.ttbcr&ttbcrEAE != 0 }

// walkResult is a translation with what PAR reports besides the address.
type walkResult struct {
	translation
	attr  uint8 // long-descriptor: the MAIR attribute byte
	sh    uint8 // long-descriptor: SH[1:0]
	super bool  // short-descriptor: a supersection
}

// Translate implements MMU: the stage 1 translation of va for an access of
// the given kind at PL0 (user) or PL1. The caller has checked SCTLR.M.
func (v *vmsa) Translate(va uint32, kind accKind, user bool) translation {
	return v.walk(va, kind, user).translation
}

func (v *vmsa) walk(va uint32, kind accKind, user bool) walkResult {
	if v.lpae() {
		return v.walkLong(va, kind, user)
	}
	return v.walkShort(va, kind, user)
}

// FaultStatus converts a short-descriptor FS code for a fault outside the
// translation tables (alignment, debug, synchronous external abort) to the
// FSR format TTBCR.EAE selects (ARM ARM B3.13.6: the format follows EAE
// even with the MMU off).
func (v *vmsa) FaultStatus(fs uint32) uint32 {
	if !v.lpae() {
		return shortFSR(fs, 0)
	}
	switch fs {
	case fsAlignment:
		return fsLPAE | lfsAlignment
	case fsDebug:
		return fsLPAE | lfsDebug
	default:
		return fsLPAE | lfsExtAbort
	}
}

// shortFSR encodes FS[4:0] and a domain in the short-descriptor format.
func shortFSR(fs, domain uint32) uint32 {
	return fs&0xf | (fs&0x10)<<6 | domain<<fsDomainShift
}

// readPhys reads a translation table entry of size 4 or 8 bytes, in the
// endianness SCTLR.EE selects.
func (v *vmsa) readPhys(pa uint64, size int) (uint64, bool) {
	var d uint64
	if h := v.c.Bus.HostPage(pa, false); h != nil {
		off := pa & pageMask
		if size == 4 {
			d = uint64(binary.LittleEndian.Uint32(h[off:]))
		} else {
			d = binary.LittleEndian.Uint64(h[off:])
		}
	} else {
		var ok bool
		if d, ok = v.c.Bus.Read(pa, size); !ok {
			v.c.guestError("translation table walk from unmapped physical address", "pa", hex64(pa))
			return 0, false
		}
	}
	if v.c.mem.sys.sctlr&sctlrEE != 0 {
		if size == 4 {
			d = uint64(bits.ReverseBytes32(uint32(d)))
		} else {
			d = bits.ReverseBytes64(d)
		}
	}
	return d, true
}

// --- Short-descriptor format (ARM ARM B3.5) ---------------------------------

func shortFault(fs, domain uint32) walkResult {
	return walkResult{translation: translation{fsr: shortFSR(fs, domain)}}
}

func (v *vmsa) walkShort(va uint32, kind accKind, user bool) walkResult {
	// TTBCR.N splits the address space: TTBR1 translates the addresses
	// whose top N bits are not all zero (B3.5.4).
	var table uint32
	if n := v.ttbcr & ttbcrN; n != 0 && va>>(32-n) != 0 {
		table = uint32(v.ttbr1) & 0xffffc000
	} else {
		table = uint32(v.ttbr0) &^ (0x3fff >> n)
	}
	l1, ok := v.readPhys(uint64(table|va>>18&0x3ffc), 4)
	if !ok {
		return shortFault(fsWalkExtL1, 0)
	}
	desc := uint32(l1)
	typ := desc & 3
	if typ == 0 {
		return shortFault(fsTransSect, 0)
	}
	// Type 3 is a section with PXN set: Cortex-A15 implements PXN.
	var domain uint32
	super := typ != 1 && desc&(1<<18) != 0
	if !super {
		domain = desc >> 5 & 0xf
	}
	dom := v.dacr >> (2 * domain) & 3
	if dom == 0 || dom == 2 { // No access, or reserved (B4.1.43)
		if typ == 1 {
			return shortFault(fsDomainPage, domain)
		}
		return shortFault(fsDomainSect, domain)
	}

	var r walkResult
	var ap, xn, pxn uint32
	page := typ == 1
	switch {
	case page:
		pxn = desc >> 2 & 1
		l2, ok := v.readPhys(uint64(desc&0xfffffc00|va>>10&0x3fc), 4)
		if !ok {
			return shortFault(fsWalkExtL2, domain)
		}
		d2 := uint32(l2)
		ap = d2>>4&3 | d2>>7&4
		switch d2 & 3 {
		case 0:
			return shortFault(fsTransPage, domain)
		case 1: // large page, 64 KB
			r.pa = uint64(d2&0xffff0000 | va&0xffff)
			r.size = 16
			xn = d2 >> 15 & 1
		default: // small page, 4 KB
			r.pa = uint64(d2&0xfffff000 | va&0xfff)
			r.size = 12
			xn = d2 & 1
		}
	case super: // supersection, 16 MB with a 40-bit output address
		r.pa = uint64(desc&0xff000000|va&0x00ffffff) | uint64(desc>>20&0xf)<<32 | uint64(desc>>5&0xf)<<36
		r.size = 24
		r.super = true
	default: // section, 1 MB
		r.pa = uint64(desc&0xfff00000 | va&0x000fffff)
		r.size = 20
	}
	if !page {
		ap = desc>>10&3 | desc>>13&4
		xn = desc >> 4 & 1
		pxn = desc & 1
	}

	if dom == 3 {
		// Manager: no permission checks at all.
		r.perm = permAll
		return r
	}
	var rw uint8
	if v.c.mem.sys.sctlr&sctlrAFE != 0 {
		// Simplified access permissions: AP[0] is the Access flag.
		if ap&1 == 0 {
			if page {
				return shortFault(fsAccessPage, domain)
			}
			return shortFault(fsAccessSect, domain)
		}
		rw = simpleAP(ap>>1, user)
	} else {
		rw = fullAP(ap, user)
	}
	r.perm = rw
	if xn == 0 && rw&permR != 0 && (user || pxn == 0) {
		r.perm |= 1 << accExec
	}
	if r.perm&(1<<kind) == 0 {
		if page {
			return shortFault(fsPermPage, domain)
		}
		return shortFault(fsPermSect, domain)
	}
	return r
}

// fullAP gives the read/write permission of AP[2:0] (ARM ARM table B3-8).
func fullAP(ap uint32, user bool) uint8 {
	switch ap {
	case 1: // PL1 read/write
		if !user {
			return permRW
		}
	case 2: // PL1 read/write, PL0 read-only
		if user {
			return permR
		}
		return permRW
	case 3:
		return permRW
	case 5: // PL1 read-only
		if !user {
			return permR
		}
	case 6, 7: // read-only (6 is deprecated)
		return permR
	}
	return 0 // 0: no access; 4: reserved
}

// simpleAP gives the read/write permission of AP[2:1] in the simplified
// model (ARM ARM table B3-9); the long-descriptor format uses it too.
func simpleAP(ap21 uint32, user bool) uint8 {
	switch ap21 {
	case 0: // PL1 read/write, no PL0 access
		if !user {
			return permRW
		}
	case 1:
		return permRW
	case 2: // PL1 read-only, no PL0 access
		if !user {
			return permR
		}
	case 3:
		return permR
	}
	return 0
}

// --- Long-descriptor format (ARM ARM B3.6) -----------------------------------

func longFault(status uint32) walkResult {
	return walkResult{translation: translation{fsr: fsLPAE | status}}
}

func (v *vmsa) walkLong(va uint32, kind accKind, user bool) walkResult {
	// Select TTBR0 or TTBR1 from T0SZ and T1SZ (B3.6.4).
	tcr := v.ttbcr
	t0sz, t1sz := tcr&7, tcr>>16&7
	var sel bool
	if t1sz == 0 {
		sel = va > 0xffffffff>>t0sz
	} else {
		sel = va >= ^(0xffffffff >> t1sz)
	}
	tsz, epd, ttbr := t0sz, tcr&ttbcrEPD0 != 0, v.ttbr0
	if sel {
		tsz, epd, ttbr = t1sz, tcr&ttbcrEPD1 != 0, v.ttbr1
	}
	level := uint32(1)
	inputsize := 32 - tsz
	if inputsize < 32 {
		// An address in neither range (T1SZ leaves a hole).
		top, want := va>>inputsize, uint32(0)
		if sel {
			want = 1<<(32-inputsize) - 1
		}
		if top != want {
			return longFault(lfsTrans | level)
		}
	}
	if epd {
		return longFault(lfsTrans | level)
	}
	// The walk starts at level 1 when the region is larger than 1 GB
	// (TxSZ 0 or 1), else at level 2.
	level = 4 - (inputsize-4)/9
	base := ttbr & (1<<48 - 1)
	if base>>40 != 0 {
		return longFault(lfsAddrSize | 0)
	}
	indexmask := uint64(1)<<(inputsize-9*(4-level)) - 1
	base &^= indexmask
	var table uint64 // APTable[1:0], XNTable, PXNTable gathered on the way
	for {
		addr := (base | uint64(va>>(9*(4-level)))&indexmask) &^ 7
		desc, ok := v.readPhys(addr, 8)
		if !ok {
			return longFault(lfsWalkExt | level)
		}
		if desc&1 == 0 || (desc&2 == 0 && level == 3) {
			return longFault(lfsTrans | level)
		}
		if desc&2 != 0 && level < 3 {
			// Table descriptor.
			table |= desc >> 59
			base = desc & longAddrMask &^ pageMask
			indexmask = 1<<12 - 1
			level++
			continue
		}
		// Block (level 1: 1 GB, level 2: 2 MB) or page (level 3: 4 KB).
		shift := 9*(4-level) + 3
		size := uint64(1) << shift
		var r walkResult
		r.pa = desc&longAddrMask&^(size-1) | uint64(va)&(size-1)
		r.size = uint8(shift)
		if desc&(1<<10) == 0 { // AF
			return longFault(lfsAccess | level)
		}
		ap := uint32(desc >> 6 & 3) // AP[2:1]
		if table&(1<<2) != 0 {      // APTable[0]: no PL0 access
			ap &^= 1
		}
		if table&(1<<3) != 0 { // APTable[1]: read-only
			ap |= 2
		}
		xn := desc>>54&1 != 0 || table&(1<<1) != 0
		pxn := desc>>53&1 != 0 || table&(1<<0) != 0
		rw := simpleAP(ap, user)
		r.perm = rw
		if !xn && rw&permR != 0 && (user || !pxn) {
			r.perm |= 1 << accExec
		}
		if r.perm&(1<<kind) == 0 {
			return longFault(lfsPerm | level)
		}
		mair := uint64(v.nmrr)<<32 | uint64(v.prrr)
		r.attr = uint8(mair >> (8 * (desc >> 2 & 7)))
		r.sh = uint8(desc >> 8 & 3)
		return r
	}
}

// --- Address translation operations (ARM ARM B4.2.4) -------------------------

// ats performs ATS1CPR/ATS1CPW/ATS1CUR/ATS1CUW on va and returns the PAR
// value: 64-bit format when TTBCR.EAE=1 (B4.1.112).
//
// Known gap: a synchronous external abort on the walk should be taken as a
// Data Abort by the ATS instruction, leaving PAR unchanged (B4.2.4; QEMU
// does so). The Coprocessor interface cannot raise an abort, so the fault
// is reported in PAR like any other.
func (v *vmsa) ats(va uint32, kind accKind, user bool) uint64 {
	var r walkResult
	if v.c.mem.sys.sctlr&sctlrM != 0 {
		r = v.walk(va, kind, user)
	} else {
		// MMU off: a flat mapping; QEMU reports attributes 0 and SH 0.
		r.pa = uint64(va)
	}
	if v.lpae() {
		if r.fsr != 0 {
			return parLPAE | uint64(r.fsr&0x3f)<<1 | 1
		}
		return parLPAE | r.pa&(longAddrMask&^pageMask) | parNS | uint64(r.attr)<<walkAttrShift | uint64(r.sh)<<7
	}
	if r.fsr != 0 {
		// FS[4] -> PAR[5], ExT -> PAR[6], FS[3:0] -> PAR[4:1].
		f := uint64(r.fsr)
		return f&(1<<10)>>5 | f&fsExT>>6 | (f&0xf)<<1 | 1
	}
	if r.super {
		return r.pa&0xff000000 | (r.pa>>32&0xff)<<16 | parSS | parNS
	}
	return r.pa&0xfffff000 | parNS
}
