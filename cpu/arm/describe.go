package arm

import (
	"fmt"
	"io"
)

var modeNames = map[uint32]string{
	ModeUSR: "usr", ModeFIQ: "fiq", ModeIRQ: "irq", ModeSVC: "svc",
	ModeMON: "mon", ModeABT: "abt", ModeHYP: "hyp", ModeUND: "und", ModeSYS: "sys",
}

// Describe writes the CPU's state for a person debugging a hang: where it
// is, in which mode and state, whether it waits in WFI/WFE, which
// interrupt inputs are high and which are masked, and its registers. Call
// it between runs (the run loop does), not while Run executes.
func (c *CPU) Describe(w io.Writer) {
	mode := modeNames[c.mode]
	if mode == "" {
		mode = fmt.Sprintf("%#x", c.mode)
	}
	isa := "arm"
	if c.T {
		isa = "thumb"
	}
	halt := "running"
	switch {
	case c.halted && c.haltWFE:
		halt = "halted in WFE"
	case c.halted:
		halt = "halted in WFI"
	}
	fmt.Fprintf(w, "cpu: pc=%#08x cpsr=%#08x mode=%s %s %s irq_line=%v fiq_line=%v I=%v F=%v retired=%d\n",
		c.R[15], c.CPSR(), mode, isa, halt, c.irqLine, c.fiqLine, c.I, c.F, c.retired)
	for i := 0; i < 15; i += 4 {
		fmt.Fprint(w, "cpu:")
		for r := i; r < i+4 && r < 15; r++ {
			fmt.Fprintf(w, " r%-2d=%#08x", r, c.R[r])
		}
		fmt.Fprintln(w)
	}
}
