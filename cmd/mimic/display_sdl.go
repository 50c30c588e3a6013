//go:build sdl

package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"mimic/devices/audio"
	"mimic/frontend/cli"
	sdlfront "mimic/frontend/sdl"
	"mimic/machine/virt"
)

// The desktop frontend: -display sdl (a window) and -audiodev sdl (the
// host's speakers), built with -tags sdl (cgo, libsdl2). SDL's video must
// run on the process's main thread: go-sdl2's init locks the main
// goroutine to it, main calls run and boot there, and with a window the
// machine runs on a goroutine of its own while the main goroutine serves
// the window.

// desktop is what -display and the SDL audio back ends opened.
type desktop struct {
	o      *cli.Options
	video  bool // SDL video initialised: the window opens in run
	stderr io.Writer
	sinks  []*sdlfront.AudioSink
	win    *sdlfront.Window // the window run opened, or nil
}

// openDesktop initialises SDL for -display sdl (falling back to no
// window, with a message, when there is no display to open it on) and
// plays the sound cards whose -audiodev is sdl through SDL. devices.go
// gives those cards no sink (it makes the wav ones), so the SDL sink
// replaces that or joins --audio-out's. Main goroutine, before the
// machine is created.
func openDesktop(o *cli.Options, cfg *virt.Config, b *backends, stderr io.Writer) (*desktop, error) {
	d := &desktop{o: o, stderr: stderr}
	if o.Display == "sdl" {
		if err := sdlfront.InitVideo(); err != nil {
			fmt.Fprintf(stderr, "mimic: -display sdl: no display to open a window on (%v); going on as -display none\n", err)
		} else {
			d.video = true
		}
	}
	drivers := map[string]string{}
	for _, ad := range o.Audiodevs {
		drivers[ad.ID] = ad.Driver
	}
	// The virtio-sound specs are in the order of their -device options.
	var cards []cli.Device
	for _, dev := range o.Devices {
		if dev.Driver == virt.VirtioSound {
			cards = append(cards, dev)
		}
	}
	n := 0
	for i := range cfg.Virtio {
		spec := &cfg.Virtio[i]
		if spec.Kind != virt.VirtioSound {
			continue
		}
		card := cards[n]
		n++
		if drivers[card.Audiodev] != "sdl" {
			continue
		}
		sink, err := sdlfront.OpenAudio()
		if err != nil {
			return nil, configErr("-audiodev sdl,id=%s: %v", card.Audiodev, err)
		}
		b.add(sink.Close)
		d.sinks = append(d.sinks, sink)
		if spec.Sound == nil || spec.Sound == audio.Discard {
			spec.Sound = sink
		} else {
			spec.Sound = audio.Fanout(spec.Sound, sink)
		}
	}
	return d, nil
}

// desktopArgs is the command line of a run without arguments: on a
// desktop (a display to open a window on), the graphical demo with its
// screen, keyboard, tablet and, when the host can play it, sound; else
// none (the terminal demo).
func desktopArgs() []string {
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return nil
	}
	args := []string{"-display", "sdl", "-nic", "none", "-device", "virtio-gpu-device",
		"-device", "virtio-keyboard-device", "-device", "virtio-tablet-device"}
	if sink, err := sdlfront.OpenAudio(); err == nil {
		sink.Close()
		args = append(args, "-audiodev", "sdl,id=snd", "-device", "virtio-sound-device,audiodev=snd")
	}
	return args
}

// run runs the machine until the guest stops. With a window, the
// machine runs on a goroutine and this one (the main thread) serves the
// window, which closes when the guest stops; the result is the
// machine's either way.
func (d *desktop) run(m *virt.Machine) (int, error) {
	if !d.video {
		return m.Run()
	}
	o := sdlfront.Options{
		What:          what(d.o),
		Input:         m.Input(),
		PowerButton:   m.PowerButton,
		Quit:          m.Loop.Quit,
		FullScreen:    d.o.DisplayOpts.FullScreen,
		ShowCursor:    d.o.DisplayOpts.ShowCursor,
		IntegerScale:  d.o.DisplayOpts.IntegerScale,
		NoWindowClose: d.o.DisplayOpts.NoWindowClose,
		GrabMod:       d.o.DisplayOpts.GrabMod,
		GrabOnClick:   hasDevice(d.o, virt.VirtioMouse) && !hasDevice(d.o, virt.VirtioTablet),
	}
	o.Consoles = m.Consoles()
	if m.RAMFB != nil {
		// ramfb's console is the last.
		o.Refresh = o.Consoles[len(o.Consoles)-1]
	}
	w, err := sdlfront.NewWindow(o)
	if err != nil {
		fmt.Fprintf(d.stderr, "mimic: -display sdl: %v; going on as -display none\n", err)
		return m.Run()
	}
	d.win = w
	var code int
	done := make(chan struct{})
	go func() {
		defer close(done)
		code, err = m.Run()
	}()
	w.Run(done)
	<-done
	return code, err
}

// printStats prints the window's renderer and the SDL sound outputs'
// counters (--stats).
func (d *desktop) printStats(w io.Writer) {
	if d.win != nil {
		fmt.Fprintf(w, "mimic: SDL renderer: %s\n", d.win.Renderer())
	}
	for i, s := range d.sinks {
		st := s.Stats()
		fmt.Fprintf(w, "mimic: SDL audio %d: %d frames played, %d dropped (latency over %v), %d host underruns, %d guest underruns\n",
			i, st.Queued, st.Dropped, sdlfront.MaxLatency, st.Underruns, st.GuestUnderruns)
	}
}

// what names what runs, for the window's title.
func what(o *cli.Options) string {
	switch {
	case o.Kernel != "":
		return filepath.Base(o.Kernel)
	case o.Bios != "":
		return filepath.Base(o.Bios)
	}
	for _, d := range o.Drives {
		if d.File != "" {
			return filepath.Base(d.File)
		}
	}
	return "demo"
}
