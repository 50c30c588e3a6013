// Package virtiotest is a small virtio driver for tests: it puts a device
// behind a virtio-mmio transport on a real bus with RAM, negotiates
// features as Linux does, sets up split virtqueues in guest RAM and submits
// descriptor chains, so that device packages test themselves through the
// same registers and rings a guest uses.
package virtiotest

import (
	"encoding/binary"
	"slices"
	"testing"

	"mimic/devices/bus"
	"mimic/devices/virtio"
	"mimic/devices/virtio/mmio"
)

// Addresses of the test machine.
const (
	RAMBase  = 0x40000000
	RAMSize  = 16 << 20
	MMIOBase = 0x0a000000
)

// Line records an interrupt line.
type Line struct {
	Level bool
	Rises int
}

// Set implements irq.Line.
func (l *Line) Set(v bool) {
	if v && !l.Level {
		l.Rises++
	}
	l.Level = v
}

// Driver drives one device.
type Driver struct {
	tb        testing.TB
	Bus       *bus.Bus
	RAM       []byte
	Transport *mmio.Transport
	IRQ       *Line
	Legacy    bool
	Features  uint64 // negotiated
	Queues    []*Queue
	next      uint64 // bump allocator in RAM
}

// Queue is the driver's side of one virtqueue.
type Queue struct {
	Size               uint16
	Desc, Avail, Used  uint64
	availIdx, lastUsed uint16
	freeHead           []uint16
}

// Options choose how the driver sets the device up.
type Options struct {
	Legacy bool
	// Want is the set of feature bits the driver accepts (of those
	// offered); all offered features when zero.
	Want uint64
	// QueueSize, when not zero, is the size asked for every queue
	// (capped at QueueNumMax).
	QueueSize int
	// NoDriverOK stops before DRIVER_OK.
	NoDriverOK bool
	// Unready lists queues the driver leaves unconfigured (not ready,
	// addresses zero), as a driver does with a queue it does not use.
	Unready []int
}

// New puts dev behind a transport and initialises it (§3.1.1).
func New(tb testing.TB, dev virtio.Device, o Options) *Driver {
	tb.Helper()
	d := &Driver{tb: tb, Bus: bus.New(), RAM: make([]byte, RAMSize), IRQ: &Line{}, Legacy: o.Legacy, next: RAMBase + 0x1000}
	if err := d.Bus.MapRAM("ram", RAMBase, d.RAM); err != nil {
		tb.Fatal(err)
	}
	d.Transport = mmio.New("virtio-test", d.Bus, dev, d.IRQ, o.Legacy)
	if err := d.Bus.MapDevice("virtio", MMIOBase, mmio.WindowSize, d.Transport); err != nil {
		tb.Fatal(err)
	}
	d.Write(0x070, 0)
	d.Write(0x070, virtio.StatusAcknowledge)
	d.Write(0x070, virtio.StatusAcknowledge|virtio.StatusDriver)
	d.Write(0x014, 0)
	offered := uint64(d.Read(0x010))
	d.Write(0x014, 1)
	offered |= uint64(d.Read(0x010)) << 32
	want := offered
	if o.Want != 0 {
		want &= o.Want | virtio.FVersion1
	}
	d.Features = want
	d.Write(0x024, 0)
	d.Write(0x020, uint32(want))
	d.Write(0x024, 1)
	d.Write(0x020, uint32(want>>32))
	status := uint32(virtio.StatusAcknowledge | virtio.StatusDriver)
	if !o.Legacy {
		status |= virtio.StatusFeaturesOK
		d.Write(0x070, status)
		if d.Read(0x070)&virtio.StatusFeaturesOK == 0 {
			tb.Fatalf("device refused features %#x", want)
		}
	} else {
		d.Write(0x028, 4096) // GuestPageSize
	}
	for i := 0; ; i++ {
		d.Write(0x030, uint32(i))
		max := d.Read(0x034)
		if max == 0 {
			break
		}
		n := uint16(max)
		if slices.Contains(o.Unready, i) {
			d.Queues = append(d.Queues, &Queue{})
			continue
		}
		if o.QueueSize != 0 && o.QueueSize < int(n) {
			n = uint16(o.QueueSize)
		}
		q := &Queue{Size: n}
		d.Write(0x038, uint32(n))
		if o.Legacy {
			base := d.alloc(16*uint64(n)+6+2*uint64(n)+4096+6+8*uint64(n), 4096)
			q.Desc = base
			q.Avail = base + 16*uint64(n)
			q.Used = (q.Avail + 6 + 2*uint64(n) + 4095) &^ 4095
			d.Write(0x03c, 4096)
			d.Write(0x040, uint32(base/4096))
		} else {
			q.Desc = d.alloc(16*uint64(n), 16)
			q.Avail = d.alloc(6+2*uint64(n), 2)
			q.Used = d.alloc(6+8*uint64(n), 4)
			d.Write(0x080, uint32(q.Desc))
			d.Write(0x084, uint32(q.Desc>>32))
			d.Write(0x090, uint32(q.Avail))
			d.Write(0x094, uint32(q.Avail>>32))
			d.Write(0x0a0, uint32(q.Used))
			d.Write(0x0a4, uint32(q.Used>>32))
			d.Write(0x044, 1)
		}
		for j := n; j > 0; j-- {
			q.freeHead = append(q.freeHead, j-1)
		}
		d.Queues = append(d.Queues, q)
	}
	if !o.NoDriverOK {
		d.Write(0x070, status|virtio.StatusDriverOK)
	}
	return d
}

// Read reads a transport register.
func (d *Driver) Read(off uint64) uint32 {
	v, ok := d.Bus.Read(MMIOBase+off, 4)
	if !ok {
		d.tb.Fatalf("read of %#x failed", off)
	}
	return uint32(v)
}

// Write writes a transport register.
func (d *Driver) Write(off uint64, v uint32) {
	if !d.Bus.Write(MMIOBase+off, 4, uint64(v)) {
		d.tb.Fatalf("write of %#x failed", off)
	}
}

// ReadConfig reads size bytes of the device configuration space.
func (d *Driver) ReadConfig(off uint64, size int) uint64 {
	v, _ := d.Bus.Read(MMIOBase+0x100+off, size)
	return v
}

// alloc returns n zeroed bytes of RAM aligned to align.
func (d *Driver) alloc(n, align uint64) uint64 {
	a := (d.next + align - 1) &^ (align - 1)
	d.next = a + n
	if d.next > RAMBase+RAMSize {
		// Wrap around: tests recycle buffers freely.
		a, d.next = RAMBase+0x1000, RAMBase+0x1000+n
	}
	clear(d.mem(a, n))
	return a
}

func (d *Driver) mem(addr, n uint64) []byte { return d.RAM[addr-RAMBase : addr-RAMBase+n] }

// Buf is one buffer of a chain: Data is copied in for a device-readable
// buffer; a device-writable one gets Len bytes of room (or len(Data)).
type Buf struct {
	Data  []byte
	Write bool
	Len   int
	// Addr, when not zero, places the buffer at this guest address
	// instead of allocating it (to test bad addresses).
	Addr uint64
}

// Submit makes a chain of bufs available on queue qi and notifies the
// device (unless noNotify). With indirect it puts the chain in an
// indirect table. It returns the head and each buffer's address.
func (d *Driver) Submit(qi int, indirect bool, bufs ...Buf) (uint16, []uint64) {
	d.tb.Helper()
	head, addrs := d.Offer(qi, indirect, bufs...)
	d.Notify(qi)
	return head, addrs
}

// Offer makes a chain available without notifying.
func (d *Driver) Offer(qi int, indirect bool, bufs ...Buf) (uint16, []uint64) {
	d.tb.Helper()
	q := d.Queues[qi]
	addrs := make([]uint64, len(bufs))
	raw := make([]byte, 16*len(bufs))
	for i, b := range bufs {
		n := b.Len
		if n == 0 {
			n = len(b.Data)
		}
		a := b.Addr
		if a == 0 {
			a = d.alloc(uint64(max(n, 1)), 8)
			copy(d.mem(a, uint64(n)), b.Data)
		}
		addrs[i] = a
		var flags uint16
		if b.Write {
			flags |= 2
		}
		next := uint16(0)
		if i+1 < len(bufs) {
			flags |= 1
			next = uint16(i + 1)
		}
		e := raw[16*i:]
		binary.LittleEndian.PutUint64(e[0:], a)
		binary.LittleEndian.PutUint32(e[8:], uint32(n))
		binary.LittleEndian.PutUint16(e[12:], flags)
		binary.LittleEndian.PutUint16(e[14:], next)
	}
	var head uint16
	if indirect {
		table := d.alloc(uint64(len(raw)), 16)
		copy(d.mem(table, uint64(len(raw))), raw)
		head = d.take(q)
		e := d.mem(q.Desc+16*uint64(head), 16)
		binary.LittleEndian.PutUint64(e[0:], table)
		binary.LittleEndian.PutUint32(e[8:], uint32(len(raw)))
		binary.LittleEndian.PutUint16(e[12:], 4)
		binary.LittleEndian.PutUint16(e[14:], 0)
	} else {
		ids := make([]uint16, len(bufs))
		for i := range ids {
			ids[i] = d.take(q)
		}
		for i := range bufs {
			e := raw[16*i : 16*i+16]
			if i+1 < len(bufs) {
				binary.LittleEndian.PutUint16(e[14:], ids[i+1])
			}
			copy(d.mem(q.Desc+16*uint64(ids[i]), 16), e)
		}
		head = ids[0]
	}
	d.Publish(qi, head)
	return head, addrs
}

// Publish puts head in the driver ring of queue qi.
func (d *Driver) Publish(qi int, head uint16) {
	q := d.Queues[qi]
	binary.LittleEndian.PutUint16(d.mem(q.Avail+4+2*uint64(q.availIdx%q.Size), 2), head)
	q.availIdx++
	binary.LittleEndian.PutUint16(d.mem(q.Avail+2, 2), q.availIdx)
}

// Notify kicks queue qi.
func (d *Driver) Notify(qi int) { d.Write(0x050, uint32(qi)) }

func (d *Driver) take(q *Queue) uint16 {
	if len(q.freeHead) == 0 {
		d.tb.Fatal("virtiotest: queue full")
	}
	id := q.freeHead[len(q.freeHead)-1]
	q.freeHead = q.freeHead[:len(q.freeHead)-1]
	return id
}

// Used is one chain the device returned.
type Used struct {
	Head uint16
	Len  uint32
}

// TakeUsed returns the chains the device returned on queue qi since the
// last call, and frees their descriptors (chains submitted with Submit
// of n direct buffers free n ids; indirect ones free one).
func (d *Driver) TakeUsed(qi int) []Used {
	q := d.Queues[qi]
	idx := binary.LittleEndian.Uint16(d.mem(q.Used+2, 2))
	var out []Used
	for q.lastUsed != idx {
		e := d.mem(q.Used+4+8*uint64(q.lastUsed%q.Size), 8)
		u := Used{Head: uint16(binary.LittleEndian.Uint32(e)), Len: binary.LittleEndian.Uint32(e[4:])}
		out = append(out, u)
		q.lastUsed++
		// Free the chain's ids by following NEXT in the table.
		id := u.Head
		for {
			de := d.mem(q.Desc+16*uint64(id), 16)
			q.freeHead = append(q.freeHead, id)
			if binary.LittleEndian.Uint16(de[12:])&1 == 0 {
				break
			}
			id = binary.LittleEndian.Uint16(de[14:])
		}
	}
	if d.Features&virtio.FEventIdx != 0 {
		// As Linux's virtqueue_enable_cb: interrupt me for the next one.
		d.SetUsedEvent(qi, q.lastUsed)
	}
	return out
}

// Mem returns n bytes of guest RAM at addr.
func (d *Driver) Mem(addr uint64, n int) []byte { return d.mem(addr, uint64(n)) }

// SetUsedEvent writes used_event (VIRTIO_F_EVENT_IDX) of queue qi.
func (d *Driver) SetUsedEvent(qi int, v uint16) {
	q := d.Queues[qi]
	binary.LittleEndian.PutUint16(d.mem(q.Avail+4+2*uint64(q.Size), 2), v)
}

// AvailEvent reads avail_event (VIRTIO_F_EVENT_IDX) of queue qi.
func (d *Driver) AvailEvent(qi int) uint16 {
	q := d.Queues[qi]
	return binary.LittleEndian.Uint16(d.mem(q.Used+4+8*uint64(q.Size), 2))
}

// SetAvailFlags writes the driver ring's flags of queue qi.
func (d *Driver) SetAvailFlags(qi int, v uint16) {
	binary.LittleEndian.PutUint16(d.mem(d.Queues[qi].Avail, 2), v)
}

// RawDesc writes descriptor i of queue qi directly, for malformed chains.
func (d *Driver) RawDesc(qi int, i uint16, addr uint64, length uint32, flags, next uint16) {
	q := d.Queues[qi]
	e := d.mem(q.Desc+16*uint64(i), 16)
	binary.LittleEndian.PutUint64(e[0:], addr)
	binary.LittleEndian.PutUint32(e[8:], length)
	binary.LittleEndian.PutUint16(e[12:], flags)
	binary.LittleEndian.PutUint16(e[14:], next)
}

// Ack acknowledges every pending interrupt and returns the status bits.
func (d *Driver) Ack() uint32 {
	s := d.Read(0x060)
	d.Write(0x064, s)
	return s
}
