package armtimer

import (
	"fmt"
	"io"
)

// Describe writes the timer's state for a person debugging a hang: the
// counts, and for each channel its control, compare value, the condition,
// the output level and when its event is due. It reads the clock once.
func (t *Timer) Describe(w io.Writer) {
	now := t.clk.Now()
	pct := t.ticksAt(now)
	fmt.Fprintf(w, "armtimer: CNTPCT=%d CNTVOFF=%d CNTFRQ=%d CNTKCTL=%#x (clock %d ns)\n", pct, t.cntvoff, t.cntfrq, t.cntkctl, now)
	for _, c := range []*Channel{&t.phys, &t.virt} {
		event := "none"
		if c.event.Pending() {
			event = fmt.Sprintf("at %d ns", c.event.At())
		}
		fmt.Fprintf(w, "armtimer: %s ctl=%#x cval=%d count=%d istatus=%v level=%v event=%s\n",
			c.name, c.ctl, c.cval, c.countAt(pct), c.istatusAt(pct), c.level, event)
	}
}
