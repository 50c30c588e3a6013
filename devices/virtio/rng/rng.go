// Package rng is the virtio entropy device (virtio 1.2 §5.4), QEMU's
// virtio-rng-device: one request queue whose device-writable buffers are
// filled with random bytes from the host (crypto/rand, i.e. getrandom(2)).
// A Debian guest without it can stall at boot waiting for entropy.
//
// The source is a parameter so that deterministic runs (--icount) and
// tests can use a seeded stream instead of the host's.
package rng

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"mimic/devices/virtio"
)

// QueueSize is the request queue's size (QEMU's is 8; a larger one costs
// nothing and lets Linux keep more requests queued).
const QueueSize = 64

// maxPerRequest bounds the bytes given for one request, as QEMU's
// max-bytes per period keeps a guest from draining the host: Linux asks
// for at most a page at a time anyway.
const maxPerRequest = 64 << 10

// Device is one virtio-rng device. Create it with New.
type Device struct {
	src    io.Reader
	q      *virtio.Queue
	active bool
	buf    []byte
	served uint64
}

var _ virtio.Device = (*Device)(nil)

// New returns an entropy device reading from src (nil: crypto/rand).
func New(src io.Reader) *Device {
	if src == nil {
		src = rand.Reader
	}
	return &Device{src: src}
}

// Served returns the bytes given to the guest so far.
func (d *Device) Served() uint64 { return d.served }

// ID implements virtio.Device.
func (d *Device) ID() uint32 { return virtio.IDRNG }

// Features implements virtio.Device: the device has no feature bits of
// its own.
func (d *Device) Features() uint64 {
	return virtio.FIndirectDesc | virtio.FEventIdx | virtio.FVersion1
}

// QueueSizes implements virtio.Device.
func (d *Device) QueueSizes() []int { return []int{QueueSize} }

// ReadConfig implements virtio.Device: there is no configuration space.
func (d *Device) ReadConfig(uint64, int) uint64 { return 0 }

// WriteConfig implements virtio.Device.
func (d *Device) WriteConfig(uint64, int, uint64) {}

// Activate implements virtio.Device.
func (d *Device) Activate(_ virtio.Transport, _ uint64, qs []*virtio.Queue) {
	d.q, d.active = qs[0], true
	d.Notify(0)
}

// Reset implements virtio.Device.
func (d *Device) Reset() { d.q, d.active = nil, false }

// Notify implements virtio.Device: fill every available buffer.
func (d *Device) Notify(int) {
	if !d.active {
		return
	}
	for {
		c, ok := d.q.Pop()
		if !ok {
			break
		}
		w := c.Writer()
		n := min(w.Len(), maxPerRequest)
		if cap(d.buf) < n {
			d.buf = make([]byte, n)
		}
		b := d.buf[:n]
		if _, err := io.ReadFull(d.src, b); err != nil {
			// The host has no entropy to give: complete the request
			// empty, as QEMU does when its back end fails.
			slog.Error("virtio-rng: entropy source failed", "err", err)
			b = b[:0]
		}
		w.Write(b)
		d.served += uint64(len(b))
		d.q.Push(c, w.Written())
	}
	d.q.Signal()
}

// StateVersion is the version of State this package writes.
const StateVersion = 1

// State is the device's own state: there is none beyond the transport's.
type State struct{ Version int }

// State returns a snapshot of the device.
func (d *Device) State() State { return State{Version: StateVersion} }

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("virtio-rng: bad state")

// Restore checks s.
func (d *Device) Restore(s State) error {
	if s.Version != StateVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrBadState, s.Version, StateVersion)
	}
	return nil
}
