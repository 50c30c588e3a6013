package blk

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/virtio"
	"mimic/devices/virtio/virtiotest"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// memDisk is an in-memory Backend that records what is asked of it.
type memDisk struct {
	data     []byte
	ro       bool
	flushes  int
	discards [][2]int64
	zeroes   [][3]int64
	failAt   int64 // ReadAt/WriteAt at this offset fail (-1: never)
}

func newMemDisk(size int) *memDisk { return &memDisk{data: make([]byte, size), failAt: -1} }

func (m *memDisk) ReadAt(p []byte, off int64) (int, error) {
	if off == m.failAt {
		return 0, errors.New("injected I/O error")
	}
	return copy(p, m.data[off:]), nil
}
func (m *memDisk) WriteAt(p []byte, off int64) (int, error) {
	if off == m.failAt {
		return 0, errors.New("injected I/O error")
	}
	return copy(m.data[off:], p), nil
}
func (m *memDisk) Size() int64    { return int64(len(m.data)) }
func (m *memDisk) Flush() error   { m.flushes++; return nil }
func (m *memDisk) ReadOnly() bool { return m.ro }
func (m *memDisk) Discard(off, n int64) error {
	m.discards = append(m.discards, [2]int64{off, n})
	clear(m.data[off : off+n])
	return nil
}
func (m *memDisk) WriteZeroes(off, n int64, unmap bool) error {
	u := int64(0)
	if unmap {
		u = 1
	}
	m.zeroes = append(m.zeroes, [3]int64{off, n, u})
	clear(m.data[off : off+n])
	return nil
}

func header(typ uint32, sector uint64) []byte {
	h := make([]byte, 16)
	binary.LittleEndian.PutUint32(h, typ)
	binary.LittleEndian.PutUint64(h[8:], sector)
	return h
}

type rig struct {
	t    *testing.T
	disk *memDisk
	dev  *Device
	drv  *virtiotest.Driver
}

func newRig(t *testing.T, size int, o virtiotest.Options) *rig {
	disk := newMemDisk(size)
	dev := New(disk, "mimic-serial-0123456789abcdef")
	return &rig{t: t, disk: disk, dev: dev, drv: virtiotest.New(t, dev, o)}
}

// do submits one request and returns its status byte, used length and
// the contents of the writable data buffers.
func (r *rig) do(indirect bool, bufs ...virtiotest.Buf) (status byte, used uint32, data []byte) {
	r.t.Helper()
	bufs = append(bufs, virtiotest.Buf{Write: true, Len: 1})
	_, addrs := r.drv.Submit(0, indirect, bufs...)
	u := r.drv.TakeUsed(0)
	if len(u) != 1 {
		r.t.Fatalf("used %v, want one completion", u)
	}
	for i, b := range bufs[:len(bufs)-1] {
		if b.Write {
			data = append(data, r.drv.Mem(addrs[i], b.Len)...)
		}
	}
	return r.drv.Mem(addrs[len(addrs)-1], 1)[0], u[0].Len, data
}

func TestConfig(t *testing.T) {
	r := newRig(t, 64<<20, virtiotest.Options{})
	got := []uint64{
		r.drv.ReadConfig(0, 4) | r.drv.ReadConfig(4, 4)<<32, // capacity in sectors
		r.drv.ReadConfig(cfgSegMax, 4),
		r.drv.ReadConfig(cfgBlkSize, 4),
		r.drv.ReadConfig(cfgWriteback, 1),
		r.drv.ReadConfig(cfgNumQueues, 2),
	}
	if diff := cmp.Diff([]uint64{64 << 20 / 512, 254, 512, 1, 1}, got); diff != "" {
		t.Errorf("capacity, seg_max, blk_size, writeback, num_queues (-want +got):\n%s", diff)
	}
	want := uint64(FSegMax | FGeometry | FBlkSize | FTopology | FFlush | FConfigWCE | FDiscard | FWriteZeroes |
		virtio.FIndirectDesc | virtio.FEventIdx | virtio.FVersion1)
	if diff := cmp.Diff(want, r.drv.Features); diff != "" {
		t.Errorf("features (-want +got):\n%s", diff)
	}
}

func TestReadWrite(t *testing.T) {
	for _, tc := range []struct {
		name             string
		legacy, indirect bool
	}{{"modern", false, false}, {"modern indirect", false, true}, {"legacy", true, false}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, 1<<20, virtiotest.Options{Legacy: tc.legacy})
			payload := make([]byte, 3*512)
			for i := range payload {
				payload[i] = byte(i * 7)
			}
			// A multi-segment write: the header and data split over
			// several descriptors, as Linux's scatter-gather makes them.
			st, used, _ := r.do(tc.indirect,
				virtiotest.Buf{Data: header(tOut, 10)},
				virtiotest.Buf{Data: payload[:100]},
				virtiotest.Buf{Data: payload[100:1024]},
				virtiotest.Buf{Data: payload[1024:]})
			if st != sOK || used != 1 {
				t.Fatalf("write: status %d used %d", st, used)
			}
			if !bytes.Equal(r.disk.data[10*512:13*512], payload) {
				t.Fatal("disk does not hold what was written")
			}
			st, used, data := r.do(tc.indirect,
				virtiotest.Buf{Data: header(tIn, 10)},
				virtiotest.Buf{Write: true, Len: 512},
				virtiotest.Buf{Write: true, Len: 1024})
			if st != sOK || used != 3*512+1 || !bytes.Equal(data, payload) {
				t.Fatalf("read: status %d used %d, data equal %v", st, used, bytes.Equal(data, payload))
			}
		})
	}
}

func TestRequestErrors(t *testing.T) {
	r := newRig(t, 1<<20, virtiotest.Options{})
	last := uint64(1<<20/512 - 1)
	tests := []struct {
		name string
		bufs []virtiotest.Buf
		want byte
	}{
		{"read past the end", []virtiotest.Buf{{Data: header(tIn, last)}, {Write: true, Len: 1024}}, sIOErr},
		{"write past the end", []virtiotest.Buf{{Data: header(tOut, last+1)}, {Data: make([]byte, 512)}}, sIOErr},
		{"huge sector", []virtiotest.Buf{{Data: header(tIn, 1<<62)}, {Write: true, Len: 512}}, sIOErr},
		{"partial sector", []virtiotest.Buf{{Data: header(tOut, 0)}, {Data: make([]byte, 100)}}, sIOErr},
		{"unknown type", []virtiotest.Buf{{Data: header(99, 0)}}, sUnsupp},
		{"last sector is fine", []virtiotest.Buf{{Data: header(tIn, last)}, {Write: true, Len: 512}}, sOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if st, _, _ := r.do(false, tt.bufs...); st != tt.want {
				t.Errorf("status %d, want %d", st, tt.want)
			}
		})
	}
	if s := r.drv.Read(0x070); s&virtio.StatusDeviceNeedsReset != 0 {
		t.Errorf("a bad request put the device in NEEDS_RESET (status %#x)", s)
	}
}

func TestHostIOErrorIsIOERR(t *testing.T) {
	r := newRig(t, 1<<20, virtiotest.Options{})
	r.disk.failAt = 512
	if st, _, _ := r.do(false, virtiotest.Buf{Data: header(tIn, 1)}, virtiotest.Buf{Write: true, Len: 512}); st != sIOErr {
		t.Errorf("status %d, want IOERR", st)
	}
	if r.dev.Stats().IOErrors != 1 {
		t.Errorf("stats %+v", r.dev.Stats())
	}
}

func TestChainWithoutStatusFailsTheQueue(t *testing.T) {
	r := newRig(t, 1<<20, virtiotest.Options{})
	r.drv.Submit(0, false, virtiotest.Buf{Data: header(tIn, 0)}) // no writable byte
	if s := r.drv.Read(0x070); s&virtio.StatusDeviceNeedsReset == 0 {
		t.Errorf("status %#x lacks DEVICE_NEEDS_RESET", s)
	}
	r.drv.Submit(0, false, virtiotest.Buf{Data: []byte{1, 2}}, virtiotest.Buf{Write: true, Len: 1}) // short header
}

func TestFlushGetIDDiscardWriteZeroes(t *testing.T) {
	r := newRig(t, 1<<20, virtiotest.Options{})
	copy(r.disk.data, bytes.Repeat([]byte{0xff}, 8192))
	if st, _, _ := r.do(false, virtiotest.Buf{Data: header(tFlush, 0)}); st != sOK || r.disk.flushes != 1 {
		t.Errorf("flush: status %d, %d flushes", st, r.disk.flushes)
	}
	st, used, id := r.do(false, virtiotest.Buf{Data: header(tGetID, 0)}, virtiotest.Buf{Write: true, Len: 20})
	if st != sOK || used != 21 || string(id) != "mimic-serial-0123456" {
		t.Errorf("get id: status %d used %d id %q", st, used, id)
	}
	seg := func(sector uint64, n, flags uint32) []byte {
		b := make([]byte, 16)
		binary.LittleEndian.PutUint64(b, sector)
		binary.LittleEndian.PutUint32(b[8:], n)
		binary.LittleEndian.PutUint32(b[12:], flags)
		return b
	}
	if st, _, _ := r.do(false, virtiotest.Buf{Data: header(tDiscard, 0)}, virtiotest.Buf{Data: seg(2, 4, 0)}); st != sOK {
		t.Errorf("discard: status %d", st)
	}
	if st, _, _ := r.do(false, virtiotest.Buf{Data: header(tWriteZeroes, 0)}, virtiotest.Buf{Data: seg(8, 2, 1)}); st != sOK {
		t.Errorf("write zeroes: status %d", st)
	}
	if diff := cmp.Diff([][2]int64{{1024, 2048}}, r.disk.discards); diff != "" {
		t.Errorf("discards (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][3]int64{{4096, 1024, 1}}, r.disk.zeroes); diff != "" {
		t.Errorf("write zeroes (-want +got):\n%s", diff)
	}
	// Two segments (max_discard_seg is 1), unmap on a discard, past the end.
	for _, bad := range [][]byte{append(seg(0, 1, 0), seg(1, 1, 0)...), seg(0, 1, 1), seg(2047, 2, 0)} {
		if st, _, _ := r.do(false, virtiotest.Buf{Data: header(tDiscard, 0)}, virtiotest.Buf{Data: bad}); st != sIOErr {
			t.Errorf("bad discard %x: status %d, want IOERR", bad, st)
		}
	}
}

func TestReadOnly(t *testing.T) {
	disk := newMemDisk(1 << 20)
	disk.ro = true
	disk.data[0] = 0x5a
	dev := New(disk, "")
	drv := virtiotest.New(t, dev, virtiotest.Options{})
	if drv.Features&FRO == 0 || drv.Features&(FDiscard|FWriteZeroes) != 0 {
		t.Errorf("features %#x: want RO and no discard/write-zeroes", drv.Features)
	}
	r := &rig{t: t, disk: disk, dev: dev, drv: drv}
	if st, _, _ := r.do(false, virtiotest.Buf{Data: header(tOut, 0)}, virtiotest.Buf{Data: make([]byte, 512)}); st != sIOErr {
		t.Errorf("write to a read-only disk: status %d", st)
	}
	if disk.data[0] != 0x5a {
		t.Error("the read-only disk was written")
	}
}

func TestWritethrough(t *testing.T) {
	r := newRig(t, 1<<20, virtiotest.Options{})
	r.drv.Bus.Write(virtiotest.MMIOBase+0x100+cfgWriteback, 1, 0)
	r.do(false, virtiotest.Buf{Data: header(tOut, 0)}, virtiotest.Buf{Data: make([]byte, 512)})
	if r.disk.flushes != 1 {
		t.Errorf("%d flushes after a writethrough write, want 1", r.disk.flushes)
	}
	s := r.dev.State()
	if s.Writeback {
		t.Error("state says writeback")
	}
	if err := r.dev.Restore(State{Version: 2}); err == nil {
		t.Error("version 2 accepted")
	}
}

// TestManyRequestsInOneKick queues more requests than fit at once and
// kicks once: all complete, with one interrupt.
func TestManyRequestsInOneKick(t *testing.T) {
	r := newRig(t, 1<<20, virtiotest.Options{QueueSize: 16})
	for i := range 5 {
		r.drv.Offer(0, false, virtiotest.Buf{Data: header(tOut, uint64(i))}, virtiotest.Buf{Data: bytes.Repeat([]byte{byte(i)}, 512)}, virtiotest.Buf{Write: true, Len: 1})
	}
	r.drv.Notify(0)
	if u := r.drv.TakeUsed(0); len(u) != 5 || r.drv.IRQ.Rises != 1 {
		t.Errorf("%d completions, %d interrupts; want 5, 1", len(u), r.drv.IRQ.Rises)
	}
	for i := range 5 {
		if r.disk.data[i*512] != byte(i) {
			t.Errorf("sector %d holds %d", i, r.disk.data[i*512])
		}
	}
}
