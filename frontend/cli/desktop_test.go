package cli

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestDesktopDevices: the display, input and sound devices and their
// keys, in QEMU's spellings.
func TestDesktopDevices(t *testing.T) {
	o := mustParse(t,
		"-device", "virtio-gpu-device,xres=1024,yres=768,edid=off,max_outputs=2,max_hostmem=64M",
		"-device", "ramfb",
		"-device", "virtio-keyboard-device", "-device", "virtio-mouse", "-device", "virtio-tablet-device,id=tab",
		"-audiodev", "wav,id=snd0,path=out.wav", "-audiodev", "none,id=quiet", "-audiodev", "wav,id=w2",
		"-device", "virtio-sound-device,audiodev=snd0",
		"--screenshot", "s.png", "--audio-out=a.wav", "--input-script", "in.txt")
	want := []Device{
		{Driver: "virtio-gpu-device", XRes: 1024, YRes: 768, NoEDID: true, MaxOutputs: 2, MaxHostMem: 64 << 20},
		{Driver: "ramfb"},
		{Driver: "virtio-keyboard-device"},
		{Driver: "virtio-mouse-device"},
		{Driver: "virtio-tablet-device", ID: "tab"},
		{Driver: "virtio-sound-device", Audiodev: "snd0"},
	}
	if diff := cmp.Diff(want, o.Devices, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("devices (-want +got):\n%s", diff)
	}
	wantAD := []Audiodev{{Driver: "wav", ID: "snd0", Path: "out.wav"}, {Driver: "none", ID: "quiet"}, {Driver: "wav", ID: "w2", Path: "qemu.wav"}}
	if diff := cmp.Diff(wantAD, o.Audiodevs); diff != "" {
		t.Errorf("audiodevs (-want +got):\n%s", diff)
	}
	if o.Screenshot != "s.png" || o.AudioOut != "a.wav" || o.InputScript != "in.txt" {
		t.Errorf("headless options: %q %q %q", o.Screenshot, o.AudioOut, o.InputScript)
	}
	// QEMU's defaults.
	d := mustParse(t, "-device", "virtio-gpu-device").Devices[0]
	if d.MaxOutputs != 1 || d.NoEDID || d.XRes != 0 {
		t.Errorf("virtio-gpu-device defaults: %+v", d)
	}
}

func TestDesktopErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-device", "virtio-gpu-device,foo=1"}, `-device virtio-gpu-device,foo=1: unknown key "foo"`},
		{[]string{"-device", "virtio-gpu-device,max_outputs=17"}, "max_outputs=17: want 1 to 16"},
		{[]string{"-device", "virtio-gpu-device,xres=0"}, "xres=0: want 1 to 16384"},
		{[]string{"-device", "virtio-gpu-device,edid=maybe"}, "edid=maybe: want on or off"},
		{[]string{"-device", "virtio-gpu-device,max_hostmem=lots"}, "max_hostmem=lots: want a size"},
		{[]string{"-device", "virtio-keyboard-device,serial=x"}, `unknown key "serial"`},
		{[]string{"-device", "ramfb,xres=800"}, `unknown key "xres"`},
		{[]string{"-device", "ramfb", "-device", "ramfb"}, "only one ramfb"},
		{[]string{"-device", "virtio-keyboard-pci"}, "virtio-keyboard-pci: the virt board has no PCI yet; use virtio-keyboard-device"},
		{[]string{"-device", "virtio-mouse-pci"}, "use virtio-mouse-device"},
		{[]string{"-device", "virtio-tablet-pci"}, "use virtio-tablet-device"},
		{[]string{"-device", "virtio-sound-pci"}, "use virtio-sound-device"},
		{[]string{"-device", "virtio-vga"}, "no PCI yet; use virtio-gpu-device"},
		{[]string{"-device", "virtio-gpu-gl-device"}, "3D (virgl) is not supported"},
		{[]string{"-device", "virtio-sound-device,audiodev=a0"}, "audiodev=a0: no -audiodev has id=a0"},
		{[]string{"-audiodev", "none"}, "-audiodev none: id= is required"},
		{[]string{"-audiodev", "wav,id=a,path=x.wav,out.frequency=8000"}, `unknown key "out.frequency"`},
		{[]string{"-audiodev", "none,id=a,path=x.wav"}, `unknown key "path"`},
		{[]string{"-audiodev", "none,id=a", "-audiodev", "wav,id=a"}, `duplicate audiodev id "a"`},
		{[]string{"-audiodev", "alsa,id=a"}, "alsa: not supported yet"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.args)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Parse(%q) = %v, want one line containing %q", tt.args, err, tt.want)
		}
	}
	// ramfb takes no virtio-mmio transport.
	args := []string{"-device", "ramfb"}
	for range 32 {
		args = append(args, "-device", "virtio-rng-device")
	}
	if _, err := Parse(args); err != nil {
		t.Errorf("32 virtio devices and ramfb: %v", err)
	}
}

// TestDisplaySDL: -display sdl and its keys, in QEMU's spellings.
func TestDisplaySDL(t *testing.T) {
	tests := []struct {
		args []string
		want DisplayOptions
	}{
		{nil, DisplayOptions{}},
		{[]string{"-display", "none"}, DisplayOptions{}},
		{[]string{"-display", "sdl"}, DisplayOptions{}},
		{[]string{"-display", "sdl,gl=off,full-screen=on,window-close=off,show-cursor=on,grab-mod=rctrl,integer-scale=on"},
			DisplayOptions{FullScreen: true, NoWindowClose: true, ShowCursor: true, GrabMod: "rctrl", IntegerScale: true}},
		{[]string{"-display", "type=sdl,grab-mod=lshift-lctrl-lalt"}, DisplayOptions{GrabMod: "lshift-lctrl-lalt"}},
	}
	for _, tt := range tests {
		o := mustParse(t, tt.args...)
		if diff := cmp.Diff(tt.want, o.DisplayOpts); diff != "" {
			t.Errorf("%q: display options (-want +got):\n%s", tt.args, diff)
		}
	}
	if o := mustParse(t, "-display", "sdl", "-audiodev", "sdl,id=snd", "-device", "virtio-sound-device,audiodev=snd"); o.Display != "sdl" || o.Audiodevs[0].Driver != "sdl" {
		t.Errorf("-display sdl -audiodev sdl: got %q, %+v", o.Display, o.Audiodevs)
	}
}
