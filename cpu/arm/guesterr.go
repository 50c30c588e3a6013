package arm

import (
	"fmt"
	"log/slog"
)

// guestErrorBurst is how many guest errors of one kind are logged before
// the rest are counted silently: a guest stuck in a fault loop must not
// flood the log.
const guestErrorBurst = 20

// guestError logs a guest misbehaviour (an access to unmapped memory, an
// undefined instruction, ...) at warning level, rate-limited per message,
// and counts it.
func (c *CPU) guestError(msg string, args ...any) {
	if c.guestErrs == nil {
		c.guestErrs = map[string]uint64{}
	}
	n := c.guestErrs[msg] + 1
	c.guestErrs[msg] = n
	switch {
	case n < guestErrorBurst:
		c.log.Warn("guest error: "+msg, args...)
	case n == guestErrorBurst:
		c.log.Warn(fmt.Sprintf("guest error: %s (%d times; no longer logged)", msg, n), args...)
	}
}

// GuestErrors returns how many guest errors of each kind occurred.
func (c *CPU) GuestErrors() map[string]uint64 { return c.guestErrs }

// Logger returns the CPU's logger.
func (c *CPU) Logger() *slog.Logger { return c.log }
