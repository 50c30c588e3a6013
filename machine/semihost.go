package machine

import (
	"io"
	"time"

	"mimic/bios/semihost"
	"mimic/cpu/arm"
)

// DeterministicEpoch is the wall-clock time at virtual time zero in
// deterministic (--icount) mode (the RTC's, semihosting's SYS_TIME), so
// that runs are reproducible: 2025-01-01 00:00:00 UTC.
var DeterministicEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// SemihostStreams fills in the defaults of a board's semihosting console:
// stdout discards when nil, stderr is stdout when nil, and stdin is at its
// end when nil.
func SemihostStreams(stdout, stderr io.Writer, stdin io.Reader) (io.Writer, io.Writer, io.Reader) {
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = stdout
	}
	if stdin == nil {
		stdin = eofReader{}
	}
	return stdout, stderr, stdin
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// Semihost makes the semihosting call in c's r0 and r1 on h, returns its
// result in r0, and ends the run when the guest asks to exit.
func (l *Loop) Semihost(h *semihost.Host, c *arm.CPU) {
	ret, exit := h.Call(c.Reg(0), c.Reg(1), c)
	c.SetReg(0, ret)
	if exit != nil {
		l.Exit(exit.Code)
	}
}
