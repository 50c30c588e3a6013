package gicv2

import (
	"fmt"
	"io"
	"strings"
)

// Describe writes the GIC's state for a person debugging a hang: the
// distributor's enable, and for each CPU interface its control, priority
// mask, running priority, highest pending interrupt, output levels and the
// INTIDs that are enabled, pending, active or have their input line high.
// It changes nothing (acknowledging is a guest's business).
func (g *GIC) Describe(w io.Writer) {
	fmt.Fprintf(w, "gicv2: GICD_CTLR=%#x, %d interrupts, %d CPU interface(s)\n", g.ctlr, g.numIRQs, g.numCPUs)
	for cpu := range g.numCPUs {
		c := &g.cpus[cpu]
		fmt.Fprintf(w, "gicv2: cpu%d GICC_CTLR=%#x PMR=%#x running=%#x hppi=%d irq_out=%v fiq_out=%v\n",
			cpu, c.ctlr, c.pmr, c.running, c.hppi, c.irqLevel, c.fiqLevel)
		for _, f := range []struct {
			name string
			f    field
		}{{"enabled", fEnabled}, {"pending", fPending}, {"active", fActive}, {"line high", fLevel}} {
			fmt.Fprintf(w, "gicv2: cpu%d %-9s %s\n", cpu, f.name, g.idList(f.f, cpu))
		}
	}
}

// idList lists the INTIDs whose bit f is set as cpu sees them.
func (g *GIC) idList(f field, cpu int) string {
	var ids []string
	for id := 0; id < g.numIRQs; id++ {
		if g.test(f, id, cpu) {
			ids = append(ids, fmt.Sprint(id))
		}
	}
	if len(ids) == 0 {
		return "-"
	}
	return strings.Join(ids, " ")
}
