package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"mimic/devices/display"
	"mimic/frontend/cli"
	"mimic/frontend/inputscript"
	"mimic/machine/virt"
)

// The headless outputs and input: --screenshot, --input-script (and
// --audio-out, which is a sound card's sink: see soundSink).

// checkHeadless refuses headless options the machine's devices cannot
// serve, before anything is opened or run, and reads the input script.
func checkHeadless(o *cli.Options) (*inputscript.Script, error) {
	if o.Screenshot != "" && !hasDevice(o, virt.VirtioGPU) && !hasDevice(o, "ramfb") {
		return nil, usageError{"--screenshot needs a display: add -device virtio-gpu-device or -device ramfb"}
	}
	if o.InputScript == "" {
		return nil, nil
	}
	if !hasDevice(o, virt.VirtioKeyboard) && !hasDevice(o, virt.VirtioMouse) && !hasDevice(o, virt.VirtioTablet) {
		return nil, usageError{"--input-script needs an input device: add -device virtio-keyboard-device (or virtio-mouse-device, virtio-tablet-device)"}
	}
	s, err := inputscript.ParseFile(o.InputScript, inputscript.Options{})
	if err != nil {
		return nil, usageError{"--input-script: " + firstError(err)}
	}
	return s, nil
}

// firstError is err on one line: the first of joined errors, and how
// many more there are.
func firstError(err error) string {
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) {
		if errs := j.Unwrap(); len(errs) > 1 {
			return fmt.Sprintf("%v (and %d more bad lines)", errs[0], len(errs)-1)
		} else if len(errs) == 1 {
			return errs[0].Error()
		}
	}
	return err.Error()
}

// scheduleInput puts the script's actions on the machine's clock, into
// the input router's Direct view, so a deterministic run types the same
// keys at the same instructions every time.
func scheduleInput(m *virt.Machine, s *inputscript.Script) {
	if s == nil {
		return
	}
	s.Schedule(func(at uint64, fn func()) { m.Clock.Schedule(at, fn) }, m.Input().Direct())
}

// writeScreenshot writes the first console's screen to path as a PNG,
// after bringing ramfb's copy up to date. The machine must have stopped.
func writeScreenshot(m *virt.Machine, path string) error {
	cons := m.Consoles()
	if len(cons) == 0 {
		return errors.New("--screenshot: the machine has no display")
	}
	m.RefreshDisplays()
	var buf bytes.Buffer
	if err := cons[0].WritePNG(&buf); err != nil {
		if errors.Is(err, display.ErrNoSurface) {
			return errors.New("--screenshot: the guest never set up its screen (no picture to save)")
		}
		return fmt.Errorf("--screenshot: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--screenshot: %w", err)
	}
	return nil
}
