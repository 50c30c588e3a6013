// Package harness runs a guest image on Mimic for the conformance suites.
//
// This is a stand-in with the final API so the suites compile; the body is
// replaced when the emulator can run images.
package harness

import (
	"errors"
	"time"
)

// Options controls one run.
type Options struct {
	Args     string        // kernel command line / semihosting arguments
	Timeout  time.Duration // wall-clock limit
	MaxInsns uint64        // instruction limit (0: none)
}

// Result is what a run produced.
type Result struct {
	Stdout   []byte // guest console and semihosting output
	ExitCode int    // semihosting SYS_EXIT status
	Insns    uint64 // instructions retired
}

// Run boots image on the default machine and runs it to completion.
func Run(image string, opts Options) (Result, error) {
	return Result{}, errors.New("harness: not implemented yet")
}
