//go:build !sdl

package main

import (
	"io"

	"mimic/frontend/cli"
	"mimic/machine/virt"
)

// desktop is the desktop frontend (-display sdl, -audiodev sdl); this
// build has none (display_sdl.go is built with -tags sdl).
type desktop struct{}

// errNoSDL is what asking for SDL in this build gets.
const errNoSDL = "this mimic was built without SDL; make build-sdl"

// openDesktop refuses -display sdl and -audiodev sdl.
func openDesktop(o *cli.Options, _ *virt.Config, _ *backends, _ io.Writer) (*desktop, error) {
	if o.Display == "sdl" {
		return nil, usageError{"-display sdl: " + errNoSDL}
	}
	for _, ad := range o.Audiodevs {
		if ad.Driver == "sdl" {
			return nil, usageError{"-audiodev sdl: " + errNoSDL}
		}
	}
	return &desktop{}, nil
}

// run runs the machine on this goroutine.
func (*desktop) run(m *virt.Machine) (int, error) { return m.Run() }

// printStats prints nothing: there is no SDL audio.
func (*desktop) printStats(io.Writer) {}

// desktopArgs is the command line of a run without arguments: none, the
// terminal demo (this build has no window).
func desktopArgs() []string { return nil }
