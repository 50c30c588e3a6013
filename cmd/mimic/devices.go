package main

import (
	"errors"
	"fmt"

	"mimic/devices/audio"
	"mimic/devices/disk"
	"mimic/devices/usernet"
	"mimic/devices/virtio/gpu"
	"mimic/frontend/cli"
	"mimic/machine/virt"
)

// backends holds what the command line opened on the host for the
// machine's devices (disk images, networks); Close releases it all.
type backends struct {
	closers []func() error
	// audiodevs are the -audiodev ids a sound card uses.
	audiodevs map[string]bool
}

func (b *backends) add(fn func() error) { b.closers = append(b.closers, fn) }

// Close closes everything, last opened first.
func (b *backends) Close() error {
	var errs []error
	for i := len(b.closers) - 1; i >= 0; i-- {
		errs = append(errs, b.closers[i]())
	}
	b.closers = nil
	return errors.Join(errs...)
}

// configErr is a problem with the command line's devices found on the
// host (a missing or locked image, a taken port): exit status 2, before
// the guest starts.
func configErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{virt.ErrConfig}, args...)...)
}

// qemuMAC is QEMU's default MAC for the n-th network card (52:54:00:12:34:56
// and up).
func qemuMAC(n int) [6]byte { return [6]byte{0x52, 0x54, 0x00, 0x12, 0x34, byte(0x56 + n)} }

// wireDevices opens the drives and networks o describes and puts them in
// cfg: virtio devices in the order QEMU would create them (-nic cards at
// board creation, then -device options in order, then the devices of
// -drive if=virtio, which QEMU appends to the -device list), flash images
// in their banks, and the transport version. On error everything opened
// is closed again.
func wireDevices(o *cli.Options, cfg *virt.Config) (_ *backends, err error) {
	b := &backends{}
	defer func() {
		if err != nil {
			b.Close()
		}
	}()
	for _, g := range o.Globals {
		if g.Driver == "virtio-mmio" && g.Property == "force-legacy" {
			cfg.VirtioLegacy = g.Value == "on"
		}
	}

	images := map[string]disk.Image{}
	for _, d := range o.Drives {
		if d.File == "" {
			continue // an empty drive: nothing to open (QEMU's media-less drive)
		}
		img, err := openDrive(d)
		if err != nil {
			return nil, err
		}
		b.add(img.Close)
		images[d.ID] = img
		if d.If == "pflash" {
			if d.Unit > 1 {
				return nil, configErr("-drive %s: the virt board has flash units 0 and 1", d.ID)
			}
			cfg.PFlash[d.Unit] = img
		}
	}

	nics := 0
	addNIC := func(n cli.Netdev, mac cli.MAC) error {
		be, err := openNetdev(n)
		if err != nil {
			return err
		}
		b.add(be.Close)
		m := [6]byte(mac)
		if mac == (cli.MAC{}) {
			m = qemuMAC(nics)
		}
		nics++
		cfg.Virtio = append(cfg.Virtio, virt.VirtioSpec{Kind: virt.VirtioNet, MAC: m, Net: be})
		return nil
	}
	for _, n := range o.NICs {
		if err := addNIC(n.Netdev, n.MAC); err != nil {
			return nil, err
		}
	}
	if o.DefaultNIC() && !cfg.Semihosting && !(o.Kernel == "" && o.Bios == "" && !o.FlashFirmware()) {
		// QEMU gives the virt board a user-mode NIC unless told
		// otherwise. Mimic does too, except for bare-metal programs
		// that report through semihosting (and the demo): a firmware
		// test waiting in WFI with --icount would otherwise wait for
		// the network instead of stopping with an error.
		if err := addNIC(cli.Netdev{Type: "user", ID: "default", User: &usernet.Config{}}, cli.MAC{}); err != nil {
			return nil, err
		}
	}
	if o.AudioOut != "" && !hasDevice(o, virt.VirtioSound) {
		return nil, configErr("--audio-out needs a sound card: -device virtio-sound-device")
	}
	sounds := 0
	netdevs := map[string]cli.Netdev{}
	for _, n := range o.Netdevs {
		netdevs[n.ID] = n
	}
	for _, d := range o.Devices {
		switch d.Driver {
		case virt.VirtioBlock:
			img, ok := images[d.Drive]
			if !ok {
				return nil, configErr("-device %s: drive %q has no image", d.Driver, d.Drive)
			}
			cfg.Virtio = append(cfg.Virtio, virt.VirtioSpec{Kind: virt.VirtioBlock, Disk: discardPolicy(img, o, d.Drive), Serial: d.Serial})
		case virt.VirtioNet:
			n, ok := netdevs[d.Netdev]
			if !ok {
				return nil, configErr("-device %s needs netdev= (a NIC without a back end is not supported)", d.Driver)
			}
			if err := addNIC(n, d.MAC); err != nil {
				return nil, err
			}
		case virt.VirtioRNG:
			cfg.Virtio = append(cfg.Virtio, virt.VirtioSpec{Kind: virt.VirtioRNG})
		case virt.VirtioGPU:
			cfg.Virtio = append(cfg.Virtio, virt.VirtioSpec{Kind: virt.VirtioGPU, Outputs: d.MaxOutputs,
				GPU: gpu.Options{XRes: d.XRes, YRes: d.YRes, NoEDID: d.NoEDID, MaxHostMem: d.MaxHostMem}})
		case "ramfb":
			cfg.RAMFB = true
		case virt.VirtioKeyboard, virt.VirtioMouse, virt.VirtioTablet:
			cfg.Virtio = append(cfg.Virtio, virt.VirtioSpec{Kind: d.Driver})
		case virt.VirtioSound:
			sink, err := soundSink(o, d, b, sounds == 0)
			if err != nil {
				return nil, err
			}
			sounds++
			cfg.Virtio = append(cfg.Virtio, virt.VirtioSpec{Kind: virt.VirtioSound, Sound: sink})
		default:
			return nil, configErr("-device %s: not supported by the virt board", d.Driver)
		}
	}
	for _, d := range o.Drives {
		if d.If != "virtio" {
			continue
		}
		img, ok := images[d.ID]
		if !ok {
			return nil, configErr("-drive if=virtio needs file=")
		}
		cfg.Virtio = append(cfg.Virtio, virt.VirtioSpec{Kind: virt.VirtioBlock, Disk: discardPolicy(img, o, d.ID)})
	}
	return b, nil
}

// openDrive opens a drive's image as its options say.
func openDrive(d cli.Drive) (disk.Image, error) {
	img, err := disk.Open(d.File, disk.OpenOptions{
		Format:   d.Format,
		ReadOnly: d.ReadOnly,
		Snapshot: d.Snapshot,
		NoLock:   d.Locking == "off",
		Cache:    d.Cache,
	})
	if err != nil {
		return nil, configErr("-drive %s: %v", d.ID, err)
	}
	return img, nil
}

// discardPolicy applies the drive's discard= option: QEMU's default,
// "ignore", completes guest discards without touching the image.
func discardPolicy(img disk.Image, o *cli.Options, id string) disk.Image {
	for _, d := range o.Drives {
		if d.ID == id && d.Discard == "unmap" {
			return img
		}
	}
	return ignoreDiscard{img}
}

// ignoreDiscard is an image whose Discard does nothing and whose
// WriteZeroes never unmaps (discard=ignore).
type ignoreDiscard struct{ disk.Image }

func (ignoreDiscard) Discard(off, n int64) error { return nil }
func (i ignoreDiscard) WriteZeroes(off, n int64, _ bool) error {
	return i.Image.WriteZeroes(off, n, false)
}

// openNetdev starts a network back end.
func openNetdev(n cli.Netdev) (*usernet.Network, error) {
	if n.Type != "user" {
		return nil, configErr("-netdev %s: not supported yet (only user)", n.Type)
	}
	nw, err := usernet.New(*n.User)
	if err != nil {
		return nil, configErr("-netdev user,id=%s: %v", n.ID, err)
	}
	return nw, nil
}

// hasDevice reports whether the command line has a -device of driver.
func hasDevice(o *cli.Options, driver string) bool {
	for _, d := range o.Devices {
		if d.Driver == driver {
			return true
		}
	}
	return false
}

// soundSink opens where a virtio-sound-device's output goes: its
// -audiodev (none discards, wav records to path=), and for the first
// sound card also --audio-out. Recordings fill the gaps when the guest
// plays nothing with silence, so that a frame's place in the file is its
// virtual time. The WAV files are closed with the other back ends, after
// the run, which writes their final sizes into the headers.
func soundSink(o *cli.Options, d cli.Device, b *backends, first bool) (audio.Sink, error) {
	var sinks []audio.Sink
	wav := func(what, path string) error {
		w, err := audio.CreateWAV(path, audio.WAVOptions{FillGaps: true})
		if err != nil {
			return configErr("%s: %v", what, err)
		}
		b.add(w.Close)
		sinks = append(sinks, w)
		return nil
	}
	if d.Audiodev != "" {
		if b.audiodevs[d.Audiodev] {
			return nil, configErr("-device virtio-sound-device,audiodev=%s: the audiodev is already used by another sound card", d.Audiodev)
		}
		if b.audiodevs == nil {
			b.audiodevs = map[string]bool{}
		}
		b.audiodevs[d.Audiodev] = true
		for _, ad := range o.Audiodevs {
			if ad.ID != d.Audiodev || ad.Driver != "wav" {
				continue
			}
			if err := wav("-audiodev wav,id="+ad.ID, ad.Path); err != nil {
				return nil, err
			}
		}
	}
	if first && o.AudioOut != "" {
		if err := wav("--audio-out", o.AudioOut); err != nil {
			return nil, err
		}
	}
	switch len(sinks) {
	case 0:
		return audio.Discard, nil
	case 1:
		return sinks[0], nil
	}
	return audio.Fanout(sinks...), nil
}
