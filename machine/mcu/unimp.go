package mcu

import (
	"fmt"
	"log/slog"
)

// unimplemented stands for a device (or a span of them) that the board
// has and Mimic does not model, as QEMU's create_unimplemented_device:
// reads are zero, writes are ignored, and each offset accessed is logged
// once as a guest error naming the device, the offset and the PC, so
// that firmware touching it is noticed without a bus fault stopping it.
type unimplemented struct {
	name string
	skew uint64 // where this mapping starts within the named span
	pc   func() uint32
	log  *slog.Logger
	seen map[uint64]bool
}

// maxUnimpLogged bounds the offsets logged per device (a loop over a
// large window would otherwise log each one).
const maxUnimpLogged = 64

func newUnimplemented(name string, pc func() uint32, log *slog.Logger) *unimplemented {
	return &unimplemented{name: name, pc: pc, log: log, seen: map[uint64]bool{}}
}

func (u *unimplemented) note(op string, off uint64, size int) {
	if u.seen[off] || len(u.seen) > maxUnimpLogged {
		return
	}
	u.seen[off] = true
	msg := "guest error: access to a device Mimic does not implement"
	if len(u.seen) > maxUnimpLogged {
		msg += " (further offsets not logged)"
	}
	u.log.Warn(msg, "device", u.name, "op", op, "offset", fmt.Sprintf("%#x", off), "size", size,
		"pc", fmt.Sprintf("%#08x", u.pc()))
}

func (u *unimplemented) Read(off uint64, size int) uint64 {
	u.note("read", off+u.skew, size)
	return 0
}

func (u *unimplemented) Write(off uint64, size int, _ uint64) {
	u.note("write", off+u.skew, size)
}
