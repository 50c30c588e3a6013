package mmio_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/bus"
	"mimic/devices/virtio"
	"mimic/devices/virtio/mmio"
	"mimic/devices/virtio/virtiotest"
)

func TestMain(m *testing.M) {
	// Guest errors are counted and checked; their log lines are noise here.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// echo is a test device with one queue: it copies each chain's readable
// bytes, reversed, into its writable buffers.
type echo struct {
	features uint64
	t        virtio.Transport
	q        *virtio.Queue
	resets   int
	config   [8]byte
}

func (e *echo) ID() uint32        { return 0x7f }
func (e *echo) Features() uint64  { return e.features }
func (e *echo) QueueSizes() []int { return []int{16} }
func (e *echo) Reset()            { e.resets++; e.q = nil }
func (e *echo) ReadConfig(off uint64, size int) uint64 {
	if off+uint64(size) > uint64(len(e.config)) {
		return 0
	}
	var b [8]byte
	copy(b[:], e.config[off:off+uint64(size)])
	return binary.LittleEndian.Uint64(b[:])
}
func (e *echo) WriteConfig(off uint64, size int, val uint64) {
	if off+uint64(size) <= uint64(len(e.config)) {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], val)
		copy(e.config[off:], b[:size])
	}
}
func (e *echo) Activate(t virtio.Transport, features uint64, qs []*virtio.Queue) {
	e.t, e.q = t, qs[0]
}
func (e *echo) Notify(int) {
	for {
		c, ok := e.q.Pop()
		if !ok {
			break
		}
		r, w := c.Reader(), c.Writer()
		in, err := io.ReadAll(&r)
		if err != nil {
			e.q.Fail(err)
			return
		}
		for i, j := 0, len(in)-1; i < j; i, j = i+1, j-1 {
			in[i], in[j] = in[j], in[i]
		}
		w.Write(in)
		e.q.Push(c, w.Written())
	}
	e.q.Signal()
}

func allFeatures() uint64 { return virtio.FIndirectDesc | virtio.FEventIdx }

func TestIdentity(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		d := virtiotest.New(t, &echo{}, virtiotest.Options{Legacy: legacy, NoDriverOK: true})
		want := []uint32{0x74726976, 2, 0x7f, 0x554d4551}
		if legacy {
			want[1] = 1
		}
		got := []uint32{d.Read(0x000), d.Read(0x004), d.Read(0x008), d.Read(0x00c)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("legacy=%v magic, version, device, vendor (-want +got):\n%s", legacy, diff)
		}
	}
}

func TestEmptySlot(t *testing.T) {
	b := bus.New()
	tr := mmio.New("empty", b, nil, nil, true)
	var got []uint64
	for _, off := range []uint64{0x000, 0x004, 0x008, 0x00c, 0x010, 0x034, 0x070, 0x100} {
		got = append(got, tr.Read(off, 4))
	}
	tr.Write(0x070, 4, 0xf) // ignored
	got = append(got, tr.Read(0x070, 4))
	if diff := cmp.Diff([]uint64{0x74726976, 1, 0, 0x554d4551, 0, 0, 0, 0, 0}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestFeatureNegotiation(t *testing.T) {
	d := virtiotest.New(t, &echo{features: virtio.FEventIdx}, virtiotest.Options{NoDriverOK: true})
	if d.Features != virtio.FEventIdx|virtio.FVersion1 {
		t.Errorf("negotiated %#x", d.Features)
	}
	// A driver that accepts what was not offered is refused: FEATURES_OK
	// does not stick.
	d.Write(0x070, 0)
	d.Write(0x070, virtio.StatusAcknowledge|virtio.StatusDriver)
	d.Write(0x024, 0)
	d.Write(0x020, virtio.FIndirectDesc)
	d.Write(0x024, 1)
	d.Write(0x020, 1) // VERSION_1
	d.Write(0x070, virtio.StatusAcknowledge|virtio.StatusDriver|virtio.StatusFeaturesOK)
	if d.Read(0x070)&virtio.StatusFeaturesOK != 0 {
		t.Error("FEATURES_OK accepted with an unoffered feature")
	}
	// A modern transport needs VERSION_1.
	d.Write(0x070, 0)
	d.Write(0x070, virtio.StatusAcknowledge|virtio.StatusDriver)
	d.Write(0x024, 1)
	d.Write(0x020, 0)
	d.Write(0x070, virtio.StatusAcknowledge|virtio.StatusDriver|virtio.StatusFeaturesOK)
	if d.Read(0x070)&virtio.StatusFeaturesOK != 0 {
		t.Error("FEATURES_OK accepted without VERSION_1")
	}
	// Legacy transports offer nothing above bit 31.
	l := virtiotest.New(t, &echo{features: allFeatures()}, virtiotest.Options{Legacy: true, NoDriverOK: true})
	l.Write(0x014, 1)
	if v := l.Read(0x010); v != 0 {
		t.Errorf("legacy features high word %#x, want 0", v)
	}
}

func TestEchoRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name             string
		legacy, indirect bool
	}{{"modern", false, false}, {"modern indirect", false, true}, {"legacy", true, false}, {"legacy indirect", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			dev := &echo{features: allFeatures()}
			d := virtiotest.New(t, dev, virtiotest.Options{Legacy: tc.legacy})
			for i := range 40 { // more than the queue size: rings wrap
				msg := bytes.Repeat([]byte{byte(i)}, i+1)
				msg[0] = 0xaa
				_, addrs := d.Submit(0, tc.indirect,
					virtiotest.Buf{Data: msg[:len(msg)/2]},
					virtiotest.Buf{Data: msg[len(msg)/2:]},
					virtiotest.Buf{Write: true, Len: 3},
					virtiotest.Buf{Write: true, Len: 64},
				)
				used := d.TakeUsed(0)
				if len(used) != 1 || used[0].Len != uint32(len(msg)) {
					t.Fatalf("round %d: used %+v, want one of length %d", i, used, len(msg))
				}
				got := append(append([]byte{}, d.Mem(addrs[2], 3)...), d.Mem(addrs[3], 64)...)[:len(msg)]
				if got[len(got)-1] != 0xaa {
					t.Fatalf("round %d: echo %x", i, got)
				}
				if d.Ack()&1 == 0 {
					t.Fatalf("round %d: no used-buffer interrupt", i)
				}
			}
		})
	}
}

func TestConfigSpace(t *testing.T) {
	dev := &echo{}
	d := virtiotest.New(t, dev, virtiotest.Options{})
	d.Bus.Write(virtiotest.MMIOBase+0x102, 2, 0xbeef)
	if v := d.ReadConfig(2, 2); v != 0xbeef {
		t.Errorf("config read %#x, want 0xbeef", v)
	}
	gen := d.Read(0x0fc)
	d.Transport.ConfigChanged()
	if d.Read(0x0fc) == gen || d.Ack() != 2 || !(d.IRQ.Rises > 0) {
		t.Error("config change: generation not bumped or no config interrupt")
	}
}

// TestMalformedChains checks that every kind of bad chain puts the device
// in DEVICE_NEEDS_RESET with a configuration interrupt and one guest
// error, completes nothing, and that a reset recovers.
func TestMalformedChains(t *testing.T) {
	const outside = 0x10000000 // not RAM
	tests := []struct {
		name  string
		build func(d *virtiotest.Driver)
	}{
		{"buffer outside RAM", func(d *virtiotest.Driver) {
			d.Submit(0, false, virtiotest.Buf{Addr: outside, Len: 16})
		}},
		{"buffer running off the end of RAM", func(d *virtiotest.Driver) {
			d.Submit(0, false, virtiotest.Buf{Addr: virtiotest.RAMBase + virtiotest.RAMSize - 8, Len: 16})
		}},
		{"loop", func(d *virtiotest.Driver) {
			d.RawDesc(0, 0, virtiotest.RAMBase+0x100, 4, 1, 1)
			d.RawDesc(0, 1, virtiotest.RAMBase+0x100, 4, 1, 0)
			d.Publish(0, 0)
			d.Notify(0)
		}},
		{"next beyond the table", func(d *virtiotest.Driver) {
			d.RawDesc(0, 0, virtiotest.RAMBase+0x100, 4, 1, 99)
			d.Publish(0, 0)
			d.Notify(0)
		}},
		{"head beyond the table", func(d *virtiotest.Driver) {
			d.Publish(0, 200)
			d.Notify(0)
		}},
		{"readable after writable", func(d *virtiotest.Driver) {
			d.Submit(0, false, virtiotest.Buf{Write: true, Len: 4}, virtiotest.Buf{Data: []byte{1}})
		}},
		{"nested indirect", func(d *virtiotest.Driver) {
			table := uint64(virtiotest.RAMBase + 0x2000)
			e := d.Mem(table, 16)
			binary.LittleEndian.PutUint64(e, table)
			binary.LittleEndian.PutUint32(e[8:], 16)
			binary.LittleEndian.PutUint16(e[12:], 4)
			d.RawDesc(0, 0, table, 16, 4, 0)
			d.Publish(0, 0)
			d.Notify(0)
		}},
		{"indirect table of bad length", func(d *virtiotest.Driver) {
			d.RawDesc(0, 0, virtiotest.RAMBase+0x2000, 17, 4, 0)
			d.Publish(0, 0)
			d.Notify(0)
		}},
		{"indirect table outside RAM", func(d *virtiotest.Driver) {
			d.RawDesc(0, 0, outside, 32, 4, 0)
			d.Publish(0, 0)
			d.Notify(0)
		}},
		{"driver index far ahead", func(d *virtiotest.Driver) {
			q := d.Queues[0]
			binary.LittleEndian.PutUint16(d.Mem(q.Avail+2, 2), 1000)
			d.Notify(0)
		}},
		{"huge buffer", func(d *virtiotest.Driver) {
			d.RawDesc(0, 0, virtiotest.RAMBase, 0xffffffff, 0, 0)
			d.Publish(0, 0)
			d.Notify(0)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev := &echo{features: allFeatures()}
			d := virtiotest.New(t, dev, virtiotest.Options{})
			tt.build(d)
			if s := d.Read(0x070); s&virtio.StatusDeviceNeedsReset == 0 {
				t.Fatalf("status %#x lacks DEVICE_NEEDS_RESET", s)
			}
			if got := d.Ack(); got&2 == 0 {
				t.Errorf("interrupt status %#x lacks the config change bit", got)
			}
			if n := d.Transport.GuestErrors(); n != 1 {
				t.Errorf("%d guest errors, want 1", n)
			}
			if u := d.TakeUsed(0); len(u) != 0 {
				t.Errorf("device completed %v", u)
			}
			// Further kicks do nothing; a reset recovers.
			d.Notify(0)
			d.Write(0x070, 0)
			if s := d.Read(0x070); s != 0 {
				t.Errorf("status after reset %#x", s)
			}
		})
	}
}

func TestIndirectNeedsTheFeature(t *testing.T) {
	d := virtiotest.New(t, &echo{features: allFeatures()}, virtiotest.Options{Want: virtio.FEventIdx})
	d.Submit(0, true, virtiotest.Buf{Data: []byte{1}}, virtiotest.Buf{Write: true, Len: 1})
	if d.Read(0x070)&virtio.StatusDeviceNeedsReset == 0 {
		t.Error("an indirect chain without VIRTIO_F_INDIRECT_DESC was accepted")
	}
}

func TestEventIdx(t *testing.T) {
	d := virtiotest.New(t, &echo{features: allFeatures()}, virtiotest.Options{})
	buf := func() []virtiotest.Buf {
		return []virtiotest.Buf{{Data: []byte{1}}, {Write: true, Len: 1}}
	}
	// used_event = 2: the driver wants an interrupt only once the third
	// chain is used (the used index passes 2).
	d.SetUsedEvent(0, 2)
	var rises []int
	for range 4 {
		d.Submit(0, false, buf()...)
		rises = append(rises, d.IRQ.Rises)
		d.Ack()
	}
	if diff := cmp.Diff([]int{1, 1, 2, 2}, rises); diff != "" {
		// The first completion always notifies (nothing was signalled
		// before), the third passes used_event.
		t.Errorf("interrupt count after each chain (-want +got):\n%s", diff)
	}
	// The device asks to be kicked for the next chain.
	if diff := cmp.Diff(uint16(4), d.AvailEvent(0)); diff != "" {
		t.Errorf("avail_event (-want +got):\n%s", diff)
	}
}

func TestNoInterruptFlag(t *testing.T) {
	d := virtiotest.New(t, &echo{}, virtiotest.Options{})
	d.SetAvailFlags(0, 1)
	d.Submit(0, false, virtiotest.Buf{Data: []byte{1}}, virtiotest.Buf{Write: true, Len: 1})
	if d.IRQ.Rises != 0 {
		t.Error("interrupt despite VIRTQ_AVAIL_F_NO_INTERRUPT")
	}
	if u := d.TakeUsed(0); len(u) != 1 {
		t.Errorf("used %v", u)
	}
}

func TestBadRegisterAccesses(t *testing.T) {
	d := virtiotest.New(t, &echo{}, virtiotest.Options{})
	d.Bus.Read(virtiotest.MMIOBase+0x070, 2)        // narrow register read
	d.Bus.Write(virtiotest.MMIOBase+0x071, 1, 0xff) // narrow register write
	d.Write(0x030, 5)                               // a queue that does not exist
	d.Write(0x038, 8)
	d.Write(0x030, 0)
	d.Write(0x038, 3) // not a power of two
	d.Write(0x050, 9) // notify of a missing queue
	if n := d.Transport.GuestErrors(); n != 5 {
		t.Errorf("%d guest errors, want 5", n)
	}
}

func TestStateRoundTrip(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		dev := &echo{features: allFeatures()}
		d := virtiotest.New(t, dev, virtiotest.Options{Legacy: legacy})
		d.Submit(0, false, virtiotest.Buf{Data: []byte{1, 2}}, virtiotest.Buf{Write: true, Len: 2})
		s := d.Transport.State()
		d.Write(0x070, 0)
		if err := d.Transport.Restore(s); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(s, d.Transport.State()); diff != "" {
			t.Errorf("legacy=%v state after restore (-want +got):\n%s", legacy, diff)
		}
		// The restored device keeps working.
		d.TakeUsed(0)
		d.Submit(0, false, virtiotest.Buf{Data: []byte{3}}, virtiotest.Buf{Write: true, Len: 1})
		if u := d.TakeUsed(0); len(u) != 1 {
			t.Errorf("legacy=%v: after restore used %v", legacy, u)
		}
		bad := s
		bad.Version = 99
		if err := d.Transport.Restore(bad); err == nil {
			t.Error("version 99 accepted")
		}
		bad = s
		bad.Queues = append([]mmio.QueueState{}, s.Queues...)
		bad.Queues[0].Size = 3
		if err := d.Transport.Restore(bad); err == nil {
			t.Error("queue size 3 accepted")
		}
	}
}

// FuzzQueue fills the rings and descriptor table with arbitrary bytes and
// kicks: the device must complete or fail, never panic or hang.
func FuzzQueue(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 0, 0}, []byte{0x00, 0x10, 0, 0x40, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, avail, table []byte) {
		d := virtiotest.New(t, &echo{features: allFeatures()}, virtiotest.Options{QueueSize: 8})
		q := d.Queues[0]
		copy(d.Mem(q.Avail, 6+2*8), avail)
		copy(d.Mem(q.Desc, 16*8), table)
		d.Notify(0)
		d.Notify(0)
	})
}
