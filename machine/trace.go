package machine

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"golang.org/x/arch/arm/armasm"
)

// Tracer prints each executed instruction: address, encoding and
// disassembly (golang.org/x/arch/arm/armasm for A32, Mimic's own printer
// for T32, which armasm does not decode).
type Tracer struct {
	w     *bufio.Writer
	Thumb func(insn uint32, size int, pc uint32) string
}

// NewTracer returns a tracer writing to w. Call Flush when done.
func NewTracer(w io.Writer) *Tracer { return &Tracer{w: bufio.NewWriterSize(w, 64<<10)} }

// Trace is the CPU's trace hook.
func (t *Tracer) Trace(pc uint32, thumb bool, insn uint32, size int) {
	switch {
	case !thumb:
		fmt.Fprintf(t.w, "%08x:  %08x  %s\n", pc, insn, DisasmA32(insn, pc))
	case size == 2:
		fmt.Fprintf(t.w, "%08x:  %04x       %s\n", pc, insn, t.thumb(insn, size, pc))
	default:
		fmt.Fprintf(t.w, "%08x:  %04x %04x  %s\n", pc, insn>>16, insn&0xffff, t.thumb(insn, size, pc))
	}
}

func (t *Tracer) thumb(insn uint32, size int, pc uint32) string {
	if t.Thumb == nil {
		return ""
	}
	return t.Thumb(insn, size, pc)
}

// Flush writes buffered trace output.
func (t *Tracer) Flush() error { return t.w.Flush() }

// DisasmA32 disassembles one A32 instruction in GNU syntax.
func DisasmA32(insn, pc uint32) string {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], insn)
	inst, err := armasm.Decode(b[:], armasm.ModeARM)
	if err != nil {
		return fmt.Sprintf(".inst 0x%08x", insn)
	}
	return armasm.GNUSyntax(inst)
}
