package image

import (
	"fmt"
	"strings"

	"mimic/devices/bus"
)

// zeroChunk bounds the zero-fill buffer Load allocates for a large .bss.
const zeroChunk = 64 << 10

// Load copies each segment into RAM or ROM on b and zero-fills the rest
// of its MemSize. Every segment is checked before anything is written,
// so a failed Load leaves guest memory untouched. A segment must lie
// within a single RAM or ROM region.
func Load(b *bus.Bus, segs ...Segment) error {
	regions := b.Regions()
	for _, s := range segs {
		if err := checkSegment(regions, s); err != nil {
			return err
		}
	}
	for _, s := range segs {
		if err := b.WriteBytes(s.Addr, s.Data); err != nil {
			return fmt.Errorf("segment at %#x (size %#x): %w", s.Addr, s.MemSize, err)
		}
		rest := s.MemSize - uint64(len(s.Data))
		if rest == 0 {
			continue
		}
		zero := make([]byte, min(rest, zeroChunk))
		for addr := s.Addr + uint64(len(s.Data)); rest > 0; {
			n := min(rest, uint64(len(zero)))
			if err := b.WriteBytes(addr, zero[:n]); err != nil {
				return fmt.Errorf("segment at %#x (size %#x): %w", s.Addr, s.MemSize, err)
			}
			addr += n
			rest -= n
		}
	}
	return nil
}

func checkSegment(regions []bus.Region, s Segment) error {
	if uint64(len(s.Data)) > s.MemSize {
		return fmt.Errorf("segment at %#x: %d data bytes but memory size only %#x", s.Addr, len(s.Data), s.MemSize)
	}
	if s.MemSize == 0 {
		return nil
	}
	if s.Addr+s.MemSize < s.Addr {
		return fmt.Errorf("segment at %#x (size %#x) wraps around the address space", s.Addr, s.MemSize)
	}
	var mem []string
	for _, r := range regions {
		if !r.RAM && !r.ROM {
			continue
		}
		if s.Addr >= r.Base && s.End() <= r.Base+r.Size {
			return nil
		}
		mem = append(mem, fmt.Sprintf("%s [%#x, %#x)", r.Name, r.Base, r.Base+r.Size))
	}
	where := "this machine has no RAM"
	if len(mem) > 0 {
		where = "memory is " + strings.Join(mem, ", ")
	}
	return fmt.Errorf("segment at %#x (size %#x) is outside RAM (%s)", s.Addr, s.MemSize, where)
}
