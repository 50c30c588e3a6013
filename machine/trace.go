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
	// A32 prints what armasm does not decode (coprocessor, VFP, some
	// system instructions).
	A32 func(insn, pc uint32) string
}

// NewTracer returns a tracer writing to w. Call Flush when done.
func NewTracer(w io.Writer) *Tracer { return &Tracer{w: bufio.NewWriterSize(w, 64<<10)} }

// Trace is the CPU's trace hook.
func (t *Tracer) Trace(pc uint32, thumb bool, insn uint32, size int) {
	switch {
	case !thumb:
		text, ok := disasmA32(insn)
		if !ok && t.A32 != nil {
			text = t.A32(insn, pc)
		}
		fmt.Fprintf(t.w, "%08x:  %08x  %s\n", pc, insn, text)
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

// disasmA32 disassembles one A32 instruction in GNU syntax with armasm.
func disasmA32(insn uint32) (string, bool) {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], insn)
	inst, err := armasm.Decode(b[:], armasm.ModeARM)
	if err != nil {
		return fmt.Sprintf(".inst 0x%08x", insn), false
	}
	return armasm.GNUSyntax(inst), true
}
