package arm

// The ARMv7-M Protected Memory System Architecture, PMSAv7 (ARMv7-M ARM
// B3.5): eight data regions, as QEMU's Cortex-M3 and Cortex-M4 report,
// programmed through MPU_TYPE, MPU_CTRL, MPU_RNR, MPU_RBAR and MPU_RASR
// (and the RBAR/RASR aliases) in the System Control Space; and the
// default memory map's Execute Never regions (B3.1.1), which apply with
// the MPU off too.
//
// The MPU is the M profile's address translation: memState.translate
// calls mpuTranslate, which is the identity with the permissions of the
// region that holds the address. It runs only on a software TLB miss, so
// an enabled MPU costs nothing on the fast path either: the TLB caches its
// result per page and privilege. A page that a region boundary divides
// (a region or sub-region smaller than a page) is not given fast-path
// tags: its data accesses take the slow path, which asks the MPU for each
// one, and code in it is translated one instruction per block
// (translateBlock), each checked when it is entered. Every MPU register
// write flushes the TLB (cheaply: see tlbContext.filled), and so does a
// change of whether the MPU applies at all (MPU_CTRL.HFNMIENA clear and the execution priority negative,
// checked in mUpdate); privilege changes select the other TLB array.

import "fmt"

// MPU_CTRL bits (B3.5.6).
const (
	mpuENABLE     = 1 << 0
	mpuHFNMIENA   = 1 << 1
	mpuPRIVDEFENA = 1 << 2
)

// MPU_RASR fields (B3.5.9).
const (
	rasrENABLE = 1 << 0
	rasrXN     = 1 << 28
	// rasrMask is every stored field: XN, AP, TEX, S, C, B, SRD, SIZE,
	// ENABLE. TEX/S/C/B are kept for reads; they do not change emulation.
	rasrMask = rasrXN | 7<<24 | 0x3f<<16 | 0xff<<8 | 0x1f<<1 | rasrENABLE
)

// mpuRegions is MPU_TYPE.DREGION.
const mpuRegions = 8

// fsMPU is the fault status an MPU violation reports through the shared
// data and prefetch abort paths (a permission fault); mDataAbort and
// mPrefetchAbort turn it into a MemManage fault.
const fsMPU = fsPermSect

type mpu struct {
	ctrl, rnr uint32
	rbar      [mpuRegions]uint32 // the ADDR field only
	rasr      [mpuRegions]uint32
	// on is whether the MPU applies now: MPU_CTRL.ENABLE, and HFNMIENA or
	// a non-negative execution priority (B3.5.6).
	on bool
}

// regionSize returns log2 of region i's size (SIZE+1, B3.5.9), or 0 when
// the region is disabled or its size is UNPREDICTABLE (below 32 bytes,
// which QEMU too treats as a disabled region).
func (p *mpu) regionSize(i int) uint32 {
	r := p.rasr[i]
	if r&rasrENABLE == 0 {
		return 0
	}
	n := r>>1&0x1f + 1
	if n < 5 {
		return 0
	}
	return n
}

// regionBase is region i's base: RBAR.ADDR aligned to the region's size.
// A base not so aligned is UNPREDICTABLE; the low bits are ignored.
func (p *mpu) regionBase(i int, n uint32) uint32 {
	if n >= 32 {
		return 0
	}
	return p.rbar[i] &^ (uint32(1)<<n - 1)
}

// match returns the highest-numbered enabled region holding va outside its
// disabled sub-regions (B3.5.3), or -1. Sub-regions exist for regions of
// 256 bytes and more; SRD of smaller ones is ignored, as QEMU does.
func (p *mpu) match(va uint32) int {
	for i := mpuRegions - 1; i >= 0; i-- {
		n := p.regionSize(i)
		if n == 0 {
			continue
		}
		base := p.regionBase(i, n)
		if n < 32 && (va-base)>>n != 0 {
			continue
		}
		if srd := p.rasr[i] >> 8 & 0xff; srd != 0 && n >= 8 {
			if srd>>((va-base)>>(n-3)&7)&1 != 0 {
				continue
			}
		}
		return i
	}
	return -1
}

// uniform reports whether every byte of page has the same region (or the
// same absence of one), so that its permissions can be cached per page.
func (p *mpu) uniform(page uint32) bool {
	for i := range mpuRegions {
		n := p.regionSize(i)
		if n == 0 {
			continue
		}
		fine := n < pageShift || n-3 < pageShift && n >= 8 && p.rasr[i]>>8&0xff != 0
		if !fine {
			continue
		}
		base := p.regionBase(i, n)
		if base < page+pageSize && page < base+uint32(1)<<n {
			return false
		}
	}
	return true
}

// apPerm decodes MPU_RASR.AP (B3.5.9, table B3-15) for the given
// privilege. An instruction fetch needs read access and XN clear.
func apPerm(ap uint32, user bool) uint8 {
	switch ap {
	case 1:
		if !user {
			return permRW
		}
	case 2:
		if user {
			return permR
		}
		return permRW
	case 3:
		return permRW
	case 5:
		if !user {
			return permR
		}
	case 6, 7:
		return permR
	}
	// 0 is no access; 4 is reserved (UNPREDICTABLE): no access, as QEMU.
	return 0
}

// defaultXN reports whether va is Execute Never in the default memory
// map (B3.1.1): the Peripheral, Device and System regions.
func defaultXN(va uint32) bool {
	return va>>29 == 2 || va >= 0xa0000000
}

// isPPB reports whether va is in the Private Peripheral Bus, which the
// MPU never affects (B3.5.1).
func isPPB(va uint32) bool { return va>>20 == 0xe00 }

// mpuTranslate is the M-profile translation (B3.5.3, ValidateAddress):
// the identity, with the permissions of the matching MPU region, of the
// default memory map when the MPU is off, or for privileged accesses of
// the background region (PRIVDEFENA). An access that is not permitted
// faults with fsMPU.
func (c *CPU) mpuTranslate(va uint32, kind accKind, user bool) translation {
	p := &c.m.mpu
	t := translation{pa: uint64(va), size: pageShift}
	perm := uint8(permAll)
	defMap := true
	if p.on && !isPPB(va) {
		if i := p.match(va); i >= 0 {
			r := p.rasr[i]
			perm = apPerm(r>>24&7, user)
			if perm&permR != 0 && r&rasrXN == 0 {
				perm |= 1 << accExec
			}
			defMap = false
		} else if user || p.ctrl&mpuPRIVDEFENA == 0 {
			perm = 0
		}
		if !p.uniform(va &^ pageMask) {
			t.size = 5 // the smallest region: no fast-path tags (fill)
		}
	}
	// The System region is Execute Never whatever the MPU says; the
	// Peripheral and Device regions only under the default map.
	if va >= 0xe0000000 || defMap && defaultXN(va) {
		perm &^= 1 << accExec
	}
	if perm&(1<<kind) == 0 {
		return translation{fsr: fsMPU}
	}
	t.perm = perm
	return t
}

// mpuSync makes mpu.on follow MPU_CTRL and the execution priority exec,
// flushing the TLB when it changes.
func (c *CPU) mpuSync(exec int) {
	p := &c.m.mpu
	if on := p.applies(exec); on != p.on {
		p.on = on
		c.mem.flushAll()
	}
}

// applies reports whether the MPU is in effect at execution priority exec.
func (p *mpu) applies(exec int) bool {
	return p.ctrl&mpuENABLE != 0 && (p.ctrl&mpuHFNMIENA != 0 || exec >= 0)
}

func (p *mpu) reset() { *p = mpu{} }

// mpuRead reads the MPU register at SCS offset o (0xD90-0xDBC).
func (s *scs) mpuRead(o uint32) uint32 {
	p := &s.cpu().m.mpu
	switch o {
	case 0xd90: // MPU_TYPE: DREGION = 8, unified
		return mpuRegions << 8
	case 0xd94:
		return p.ctrl
	case 0xd98:
		return p.rnr
	case 0xd9c, 0xda4, 0xdac, 0xdb4: // RBAR and its aliases
		return p.rbar[p.rnr] | p.rnr&0xf
	case 0xda0, 0xda8, 0xdb0, 0xdb8: // RASR and its aliases
		return p.rasr[p.rnr]
	}
	return 0
}

// mpuWrite writes the MPU register at SCS offset o (0xD90-0xDBC). Every
// write flushes the TLB; a flush rewrites only the entries filled since
// the last one (tlbContext.filled), so the six or so writes of an RTOS
// context switch cost little.
func (s *scs) mpuWrite(o, v uint32) {
	c := s.cpu()
	p := &c.m.mpu
	switch o {
	case 0xd90: // MPU_TYPE is read-only
		return
	case 0xd94:
		p.ctrl = v & (mpuENABLE | mpuHFNMIENA | mpuPRIVDEFENA)
		if p.ctrl&(mpuENABLE|mpuHFNMIENA) == mpuHFNMIENA {
			c.guestError("MPU: HFNMIENA set with the MPU disabled (UNPREDICTABLE)")
		}
	case 0xd98:
		if v >= mpuRegions {
			// UNPREDICTABLE; QEMU ignores the write too.
			c.guestError("MPU: MPU_RNR out of range ignored", "value", v)
			return
		}
		p.rnr = v
	case 0xd9c, 0xda4, 0xdac, 0xdb4:
		if v&(1<<4) != 0 { // VALID: REGION selects the region and RNR
			if r := v & 0xf; r < mpuRegions {
				p.rnr = r
			} else {
				c.guestError("MPU: MPU_RBAR.REGION out of range ignored", "value", hex32(v))
				return
			}
		}
		p.rbar[p.rnr] = v &^ 0x1f
	case 0xda0, 0xda8, 0xdb0, 0xdb8:
		p.rasr[p.rnr] = v & rasrMask
		if v&rasrENABLE != 0 && v>>1&0x1f < 4 {
			c.guestError(fmt.Sprintf("MPU: region %d size below 32 bytes (UNPREDICTABLE): disabled", p.rnr))
		}
	}
	p.on = p.applies(c.execPriority(true))
	c.mem.flushAll()
}

// mpuWriteSub is a halfword or byte write to MPU_RASR or an alias
// (B3.5.9 allows them), merged into the current value.
func (s *scs) mpuWriteSub(o uint32, size int, v uint32) {
	p := &s.cpu().m.mpu
	sh := 8 * (o & 3)
	mask := uint32(1)<<(8*size) - 1
	w := p.rasr[p.rnr]&^(mask<<sh) | (v&mask)<<sh
	s.mpuWrite(o&^3, w)
}
