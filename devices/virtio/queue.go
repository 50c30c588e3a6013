package virtio

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Split virtqueue layout (virtio 1.2 §2.7): a descriptor table of 16-byte
// entries, the driver (available) ring and the device (used) ring.
const (
	descSize = 16

	descFNext     = 1
	descFWrite    = 2
	descFIndirect = 4

	availFNoInterrupt = 1 // VIRTQ_AVAIL_F_NO_INTERRUPT

	// MaxQueueSize is the largest queue size a split virtqueue may have.
	MaxQueueSize = 32768

	// maxBuffer bounds one descriptor's length so that it fits an int on
	// 32-bit hosts; no guest RAM region is that large in one piece.
	maxBuffer = 1<<31 - 1
)

// Desc is one checked descriptor of a chain: guest-physical address and
// length of a buffer that lies entirely in RAM, and its direction.
type Desc struct {
	Addr  uint64
	Len   uint32
	Write bool // device-writable
}

// Queue is one split virtqueue. The transport configures it; the device
// consumes available chains (Pop) and returns them (Push, then Signal).
// It is driven from the machine's goroutine only.
type Queue struct {
	mem Memory

	max   uint16 // QueueNumMax
	size  uint16 // QueueNum, as the driver set it
	ready bool

	desc, avail, used uint64

	eventIdx, indirect bool

	lastAvail      uint16 // next available-ring slot to consume
	usedIdx        uint16 // next used-ring slot to fill
	signalled      uint16 // usedIdx when the device last decided to interrupt
	signalledValid bool
	failed         bool
	fail           func(error)
	interrupt      func()

	chains [][]Desc // per head: the chain's descriptors, reused
}

// NewQueue returns a queue of at most max entries (a power of two up to
// MaxQueueSize) over mem. fail is called once when the driver breaks the
// protocol; interrupt raises a used-buffer notification. Boards and
// transports create queues; devices receive them at Activate.
func NewQueue(mem Memory, max int, fail func(error), interrupt func()) *Queue {
	if max <= 0 || max > MaxQueueSize || max&(max-1) != 0 {
		panic(fmt.Sprintf("BUG: virtio: queue size %d is not a power of two up to %d", max, MaxQueueSize))
	}
	q := &Queue{mem: mem, max: uint16(max), fail: fail, interrupt: interrupt}
	q.Reset()
	return q
}

// Max returns the largest size the driver may choose (QueueNumMax).
func (q *Queue) Max() int { return int(q.max) }

// Size returns the queue size the driver chose.
func (q *Queue) Size() int { return int(q.size) }

// Ready reports whether the driver enabled the queue.
func (q *Queue) Ready() bool { return q.ready && !q.failed }

// Reset returns the queue to its reset state: size QueueNumMax, not ready,
// addresses zero, indexes zero.
func (q *Queue) Reset() {
	q.size = q.max
	q.ready = false
	q.desc, q.avail, q.used = 0, 0, 0
	q.eventIdx, q.indirect = false, false
	q.lastAvail, q.usedIdx, q.signalled = 0, 0, 0
	q.signalledValid = false
	q.failed = false
}

// SetSize sets the queue size (QueueNum). It returns false, changing
// nothing, when n is not a power of two between 1 and Max.
func (q *Queue) SetSize(n uint32) bool {
	if n == 0 || n > uint32(q.max) || n&(n-1) != 0 {
		return false
	}
	q.size = uint16(n)
	return true
}

// SetAddrs sets the guest-physical addresses of the descriptor table, the
// driver ring and the device ring.
func (q *Queue) SetAddrs(desc, avail, used uint64) { q.desc, q.avail, q.used = desc, avail, used }

// Addrs returns the three ring addresses.
func (q *Queue) Addrs() (desc, avail, used uint64) { return q.desc, q.avail, q.used }

// SetReady enables or disables the queue. Enabling checks that the three
// areas lie in RAM and are aligned (§2.7: 16, 2 and 4 bytes) and fails the
// queue when they do not.
func (q *Queue) SetReady(ready bool) {
	q.ready = ready
	if !ready {
		return
	}
	n := uint64(q.size)
	for _, a := range []struct {
		what       string
		addr, size uint64
		alignment  uint64
	}{
		{"descriptor table", q.desc, descSize * n, 16},
		{"driver ring", q.avail, 6 + 2*n, 2},
		{"device ring", q.used, 6 + 8*n, 4},
	} {
		if a.addr%a.alignment != 0 {
			q.failf("%s at %#x is not %d-byte aligned", a.what, a.addr, a.alignment)
			return
		}
		if _, err := q.mem.DMA(a.addr, int(a.size), false); err != nil {
			q.failf("%s [%#x,%#x) is not in RAM", a.what, a.addr, a.addr+a.size)
			return
		}
	}
}

// Negotiated tells the queue which ring features the driver accepted.
func (q *Queue) Negotiated(features uint64) {
	q.eventIdx = features&FEventIdx != 0
	q.indirect = features&FIndirectDesc != 0
}

// LastAvail and UsedIdx return the device's ring positions (for state).
func (q *Queue) LastAvail() uint16 { return q.lastAvail }
func (q *Queue) UsedIdx() uint16   { return q.usedIdx }

// SetIndexes restores the device's ring positions.
func (q *Queue) SetIndexes(lastAvail, usedIdx uint16) {
	q.lastAvail, q.usedIdx, q.signalled = lastAvail, usedIdx, usedIdx
}

// Fail marks the queue broken because the driver broke the protocol (a
// device found a malformed request it cannot even complete): the
// transport logs err and enters DEVICE_NEEDS_RESET.
func (q *Queue) Fail(err error) {
	if q.failed {
		return
	}
	q.failed = true
	if q.fail != nil {
		q.fail(err)
	}
}

func (q *Queue) failf(format string, args ...any) {
	q.Fail(fmt.Errorf("%w: "+format, append([]any{ErrQueue}, args...)...))
}

// u16 and putU16 access a 16-bit ring field; the ring areas were checked
// at SetReady, so a failure here means the memory map changed under the
// queue, which fails it.
func (q *Queue) u16(addr uint64) (uint16, bool) {
	b, err := q.mem.DMA(addr, 2, false)
	if err != nil {
		q.failf("ring field at %#x left RAM", addr)
		return 0, false
	}
	return binary.LittleEndian.Uint16(b), true
}

func (q *Queue) putU16(addr uint64, v uint16) bool {
	b, err := q.mem.DMA(addr, 2, true)
	if err != nil {
		q.failf("ring field at %#x left RAM", addr)
		return false
	}
	binary.LittleEndian.PutUint16(b, v)
	return true
}

// Chain is one descriptor chain the driver made available: its head index
// and its buffers, device-readable ones first. It stays valid until it is
// pushed back.
type Chain struct {
	q     *Queue
	Head  uint16
	descs []Desc
	nread int // the first nread descs are device-readable
}

// Reader returns a reader over the chain's device-readable buffers.
func (c *Chain) Reader() Reader { return Reader{mem: c.q.mem, descs: c.descs[:c.nread]} }

// Writer returns a writer over the chain's device-writable buffers.
func (c *Chain) Writer() Writer { return Writer{mem: c.q.mem, descs: c.descs[c.nread:]} }

// Descs returns the chain's checked descriptors.
func (c *Chain) Descs() []Desc { return c.descs }

// Pending reports whether the driver has made chains available that the
// device has not popped.
func (q *Queue) Pending() bool {
	if !q.Ready() {
		return false
	}
	idx, ok := q.u16(q.avail + 2)
	return ok && idx != q.lastAvail
}

// Pop takes the next available chain, checked in full. It returns false
// when there is none, or when the queue is not ready or has failed; a
// malformed chain fails the queue.
func (q *Queue) Pop() (Chain, bool) {
	if !q.Ready() {
		return Chain{}, false
	}
	n := q.size
	idx, ok := q.u16(q.avail + 2)
	if !ok {
		return Chain{}, false
	}
	if pending := idx - q.lastAvail; pending > n {
		q.failf("driver ring index %d is %d entries ahead of the device (queue size %d)", idx, pending, n)
		return Chain{}, false
	}
	if idx == q.lastAvail {
		if q.eventIdx {
			// Ask to be kicked for the next chain (§2.7.10: avail_event).
			q.putU16(q.used+4+8*uint64(n), q.lastAvail)
		}
		return Chain{}, false
	}
	head, ok := q.u16(q.avail + 4 + 2*uint64(q.lastAvail%n))
	if !ok {
		return Chain{}, false
	}
	if head >= n {
		q.failf("driver ring names descriptor %d of a %d-entry table", head, n)
		return Chain{}, false
	}
	c, ok := q.walk(head)
	if !ok {
		return Chain{}, false
	}
	q.lastAvail++
	return c, true
}

// Rewind gives back the last n chains popped and not pushed, so the next
// Pop returns them again: a device that took buffers for a frame that
// turned out not to fit returns them untouched (QEMU's virtqueue_unpop).
func (q *Queue) Rewind(n int) { q.lastAvail -= uint16(n) }

// walk reads and checks the chain starting at head (§2.7.5).
func (q *Queue) walk(head uint16) (Chain, bool) {
	if q.chains == nil {
		q.chains = make([][]Desc, q.max)
	}
	descs := q.chains[head][:0]
	table, tableLen := q.desc, uint32(q.size)
	i := uint32(head)
	limit := uint32(q.size) // no chain is longer than its table
	count, nread := uint32(0), 0
	indirect := false
	for {
		if count++; count > limit {
			q.failf("descriptor chain from head %d is longer than its table (a loop?)", head)
			return Chain{}, false
		}
		raw, err := q.mem.DMA(table+uint64(i)*descSize, descSize, false)
		if err != nil {
			q.failf("descriptor %d at %#x is not in RAM", i, table+uint64(i)*descSize)
			return Chain{}, false
		}
		addr := binary.LittleEndian.Uint64(raw[0:])
		length := binary.LittleEndian.Uint32(raw[8:])
		flags := binary.LittleEndian.Uint16(raw[12:])
		next := binary.LittleEndian.Uint16(raw[14:])
		if flags&descFIndirect != 0 {
			switch {
			case !q.indirect:
				q.failf("indirect descriptor without VIRTIO_F_INDIRECT_DESC")
			case indirect:
				q.failf("indirect descriptor inside an indirect table")
			case flags&descFNext != 0:
				q.failf("indirect descriptor with NEXT set")
			case length == 0 || length%descSize != 0:
				q.failf("indirect table length %d is not a positive multiple of 16", length)
			case length/descSize > MaxQueueSize:
				q.failf("indirect table of %d entries", length/descSize)
			default:
				if _, err := q.mem.DMA(addr, int(length), false); err != nil {
					q.failf("indirect table [%#x,%#x) is not in RAM", addr, addr+uint64(length))
					return Chain{}, false
				}
				indirect = true
				table, tableLen, i = addr, length/descSize, 0
				count, limit = 0, tableLen
				continue
			}
			return Chain{}, false
		}
		write := flags&descFWrite != 0
		if length > maxBuffer {
			q.failf("buffer of %d bytes", length)
			return Chain{}, false
		}
		if length > 0 {
			if _, err := q.mem.DMA(addr, int(length), write); err != nil {
				q.failf("buffer [%#x,%#x) is not in RAM", addr, addr+uint64(length))
				return Chain{}, false
			}
		}
		if !write {
			if nread != len(descs) {
				q.failf("device-readable buffer after a device-writable one in the chain from head %d", head)
				return Chain{}, false
			}
			nread++
		}
		descs = append(descs, Desc{Addr: addr, Len: length, Write: write})
		if flags&descFNext == 0 {
			break
		}
		if uint32(next) >= tableLen {
			q.failf("descriptor %d chains to %d beyond its %d-entry table", i, next, tableLen)
			return Chain{}, false
		}
		i = uint32(next)
	}
	q.chains[head] = descs
	return Chain{q: q, Head: head, descs: descs, nread: nread}, true
}

// Push returns a chain to the driver with the number of bytes the device
// wrote into its writable buffers. Call Signal after a batch of pushes.
func (q *Queue) Push(c Chain, written uint32) {
	if q.failed {
		return
	}
	n := uint64(q.size)
	slot := q.used + 4 + 8*(uint64(q.usedIdx)%n)
	b, err := q.mem.DMA(slot, 8, true)
	if err != nil {
		q.failf("device ring entry at %#x left RAM", slot)
		return
	}
	binary.LittleEndian.PutUint32(b[0:], uint32(c.Head))
	binary.LittleEndian.PutUint32(b[4:], written)
	q.usedIdx++
	q.putU16(q.used+2, q.usedIdx)
}

// Signal raises a used-buffer notification if chains were pushed since the
// last decision and the driver wants one: with VIRTIO_F_EVENT_IDX when the
// used index passed the driver's used_event (§2.7.10), otherwise unless
// the driver set VIRTQ_AVAIL_F_NO_INTERRUPT.
func (q *Queue) Signal() {
	// A queue the driver never set up has no rings to read (and nothing
	// was used): a driver may leave a queue it does not need, such as
	// virtio-gpu's cursor queue, unconfigured.
	if !q.Ready() {
		return
	}
	now, old, valid := q.usedIdx, q.signalled, q.signalledValid
	q.signalled, q.signalledValid = now, true
	if valid && now == old {
		return
	}
	notify := true
	if q.eventIdx {
		ev, ok := q.u16(q.avail + 4 + 2*uint64(q.size))
		if !ok {
			return
		}
		notify = !valid || now-ev-1 < now-old
	} else if flags, ok := q.u16(q.avail); !ok || flags&availFNoInterrupt != 0 {
		notify = false
	}
	if notify && q.interrupt != nil {
		q.interrupt()
	}
}

// Reader reads a chain's device-readable buffers in order. Its zero value
// reads nothing.
type Reader struct {
	mem   Memory
	descs []Desc
	off   uint32 // consumed bytes of descs[0]
}

// Len returns the bytes left to read.
func (r *Reader) Len() int {
	n := 0
	for i, d := range r.descs {
		n += int(d.Len)
		if i == 0 {
			n -= int(r.off)
		}
	}
	return n
}

// Next returns up to max bytes of the next buffer, in place in guest
// memory, and consumes them; io.EOF when nothing is left.
func (r *Reader) Next(max int) ([]byte, error) {
	for len(r.descs) > 0 && r.off == r.descs[0].Len {
		r.descs, r.off = r.descs[1:], 0
	}
	if len(r.descs) == 0 {
		return nil, io.EOF
	}
	d := r.descs[0]
	n := min(int(d.Len-r.off), max)
	b, err := r.mem.DMA(d.Addr+uint64(r.off), n, false)
	if err != nil {
		return nil, fmt.Errorf("%w: buffer left RAM", ErrQueue)
	}
	r.off += uint32(n)
	return b, nil
}

// Read implements io.Reader over the readable buffers.
func (r *Reader) Read(p []byte) (int, error) {
	done := 0
	for done < len(p) {
		b, err := r.Next(len(p) - done)
		if err != nil {
			if done > 0 && err == io.EOF {
				return done, nil
			}
			return done, err
		}
		done += copy(p[done:], b)
	}
	return done, nil
}

// Writer writes a chain's device-writable buffers in order and counts what
// it wrote. Its zero value has no room.
type Writer struct {
	mem     Memory
	descs   []Desc
	off     uint32
	written uint32
}

// Len returns the room left.
func (w *Writer) Len() int {
	n := 0
	for i, d := range w.descs {
		n += int(d.Len)
		if i == 0 {
			n -= int(w.off)
		}
	}
	return n
}

// Written returns the bytes written so far (the used length).
func (w *Writer) Written() uint32 { return w.written }

// Next returns up to max bytes of room in the next buffer, in place in
// guest memory, and counts them as written; io.EOF when no room is left.
func (w *Writer) Next(max int) ([]byte, error) {
	for len(w.descs) > 0 && w.off == w.descs[0].Len {
		w.descs, w.off = w.descs[1:], 0
	}
	if len(w.descs) == 0 {
		return nil, io.EOF
	}
	d := w.descs[0]
	n := min(int(d.Len-w.off), max)
	b, err := w.mem.DMA(d.Addr+uint64(w.off), n, true)
	if err != nil {
		return nil, fmt.Errorf("%w: buffer left RAM", ErrQueue)
	}
	w.off += uint32(n)
	w.written += uint32(n)
	return b, nil
}

// Write implements io.Writer; it fails with io.ErrShortWrite when the
// buffers are full.
func (w *Writer) Write(p []byte) (int, error) {
	done := 0
	for done < len(p) {
		b, err := w.Next(len(p) - done)
		if err != nil {
			if err == io.EOF {
				return done, io.ErrShortWrite
			}
			return done, err
		}
		done += copy(b, p[done:])
	}
	return done, nil
}
