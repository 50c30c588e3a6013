package net

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/usernet"
	"mimic/devices/virtio"
	"mimic/devices/virtio/virtiotest"
)

// The user network is the back end that takes offloads.
var _ OffloadBackend = (*usernet.Network)(nil)

// offloadBackend is a fake OffloadBackend; it records SetOffload calls.
type offloadBackend struct {
	fakeBackend
	deliverMSS func([]byte, int)
	offload    []bool
}

func (b *offloadBackend) AttachOffload(fn func([]byte, int)) { b.deliverMSS = fn }
func (b *offloadBackend) SetOffload(on bool)                 { b.offload = append(b.offload, on) }

// on reports the last SetOffload.
func (b *offloadBackend) on() bool { return len(b.offload) > 0 && b.offload[len(b.offload)-1] }

type offloadRig struct {
	*rig
	obe    *offloadBackend
	rxAddr map[uint16]uint64 // receive buffers by head
}

func newOffloadRig(t *testing.T, o virtiotest.Options) *offloadRig {
	be := &offloadBackend{}
	dev := New(testMAC, be, func(fn func()) { fn() })
	r := &offloadRig{obe: be, rxAddr: map[uint16]uint64{}}
	r.rig = &rig{t: t, be: &be.fakeBackend, dev: dev}
	r.drv = virtiotest.New(t, dev, o)
	return r
}

// reinit resets the device through the transport and initialises it
// again with o, as a guest reloading its driver does.
func (r *offloadRig) reinit(o virtiotest.Options) {
	r.drv.Write(0x070, 0)
	r.drv = virtiotest.New(r.t, r.dev, o)
	clear(r.rxAddr)
}

// rxBuffers offers n receive buffers of size bytes.
func (r *offloadRig) rxBuffers(n, size int) {
	for range n {
		head, addrs := r.drv.Submit(rxQueue, false, virtiotest.Buf{Write: true, Len: size})
		r.rxAddr[head] = addrs[0]
	}
}

// rxPacket is one packet as the guest's driver reads it.
type rxPacket struct {
	flags, gsoType                           byte
	hdrLen, gsoSize, csumStart, csumOff, num uint16
	frame                                    []byte
}

// received returns the packets the device wrote since the last call,
// joining the buffers of each (num_buffers, VERSION_1 header).
func (r *offloadRig) received() []rxPacket {
	r.t.Helper()
	var out []rxPacket
	used := r.drv.TakeUsed(rxQueue)
	for len(used) > 0 {
		h := r.drv.Mem(r.rxAddr[used[0].Head], 12)
		p := rxPacket{
			flags: h[0], gsoType: h[1],
			hdrLen: binary.LittleEndian.Uint16(h[2:]), gsoSize: binary.LittleEndian.Uint16(h[4:]),
			csumStart: binary.LittleEndian.Uint16(h[6:]), csumOff: binary.LittleEndian.Uint16(h[8:]),
			num: binary.LittleEndian.Uint16(h[10:]),
		}
		if p.num == 0 || int(p.num) > len(used) {
			r.t.Fatalf("num_buffers %d with %d used buffers", p.num, len(used))
		}
		for i, u := range used[:p.num] {
			b := r.drv.Mem(r.rxAddr[u.Head], int(u.Len))
			if i == 0 {
				b = b[12:]
			}
			p.frame = append(p.frame, b...)
		}
		used = used[p.num:]
		out = append(out, p)
	}
	return out
}

// partialFrame builds an Ethernet/IPv4/TCP frame as an OffloadBackend
// delivers it with an mss: IPv4 checksum done, the TCP checksum field
// holding the pseudo-header sum.
func partialFrame(payload []byte, seq uint32, flags byte) []byte {
	f := tcpFrame(payload, seq, flags)
	binary.BigEndian.PutUint16(f[14+10:], ^sum16(f[14:34]))
	binary.BigEndian.PutUint16(f[34+16:], sum16(pseudoSum(f[14:34], len(f)-34)))
	return f
}

// partialFrame6 is partialFrame for IPv6.
func partialFrame6(payload []byte, seq uint32, flags byte) []byte {
	f := make([]byte, 14+40+20+len(payload))
	copy(f[0:6], testMAC[:])
	copy(f[6:12], []byte{0x52, 0x55, 0x0a, 0, 2, 2})
	binary.BigEndian.PutUint16(f[12:], etherTypeIPv6)
	ip := f[14:]
	ip[0] = 0x60
	binary.BigEndian.PutUint16(ip[4:], uint16(20+len(payload)))
	ip[6], ip[7] = protoTCP, 64
	ip[8], ip[23] = 0xfe, 1  // src fe..::1
	ip[24], ip[39] = 0xfe, 2 // dst fe..::2
	tcp := f[54:]
	binary.BigEndian.PutUint16(tcp[0:], 80)
	binary.BigEndian.PutUint16(tcp[2:], 40000)
	binary.BigEndian.PutUint32(tcp[4:], seq)
	tcp[12] = 5 << 4
	tcp[13] = flags
	copy(tcp[20:], payload)
	binary.BigEndian.PutUint16(tcp[16:], sum16(pseudoSum6(ip, len(tcp))))
	return f
}

func pseudoSum6(ip []byte, tcpLen int) []byte {
	p := make([]byte, 40)
	copy(p, ip[8:40])
	binary.BigEndian.PutUint32(p[32:], uint32(tcpLen))
	p[39] = protoTCP
	return p
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

// complete finishes a NEEDS_CSUM checksum as the guest's stack would if it
// had to: the ones' complement sum from csum_start to the end, stored at
// csum_offset.
func complete(f []byte, start, off int) []byte {
	f = bytes.Clone(f)
	binary.BigEndian.PutUint16(f[start+off:], ^sum16(f[start:]))
	return f
}

// checkTCP6 verifies the TCP checksum of an IPv6/TCP frame.
func checkTCP6(t *testing.T, f []byte) {
	t.Helper()
	if sum16(pseudoSum6(f[14:54], len(f)-54), f[54:]) != 0xffff {
		t.Errorf("bad TCP checksum")
	}
}

// segments checks that pkts are plain frames of at most mssPayload
// bytes of TCP payload with complete checksums that together carry
// payload from seq on, and returns their flags.
func segments(t *testing.T, pkts []rxPacket, l4, mss int, seq uint32, payload []byte, wantFlags byte) []byte {
	t.Helper()
	var got []byte
	var flags []byte
	for i, p := range pkts {
		if p.flags != wantFlags || p.gsoType != gsoNone || p.num != 1 {
			t.Errorf("segment %d: flags %#x gso_type %d num_buffers %d, want flags %#x, no GSO, 1 buffer", i, p.flags, p.gsoType, p.num, wantFlags)
		}
		if n := len(p.frame) - l4 - 20; n > mss || n <= 0 {
			t.Errorf("segment %d: %d bytes of payload, MSS %d", i, n, mss)
		}
		if l4 == 34 {
			checkTCP(t, p.frame)
		} else {
			checkTCP6(t, p.frame)
		}
		if s := binary.BigEndian.Uint32(p.frame[l4+4:]); s != seq+uint32(len(got)) {
			t.Errorf("segment %d: seq %d, want %d", i, s, seq+uint32(len(got)))
		}
		got = append(got, p.frame[l4+20:]...)
		flags = append(flags, p.frame[l4+13])
	}
	if !bytes.Equal(got, payload) {
		t.Errorf("segments carry %d bytes, not the %d-byte payload", len(got), len(payload))
	}
	return flags
}

func TestReceiveOffloadFeatures(t *testing.T) {
	r := newOffloadRig(t, virtiotest.Options{})
	for _, f := range []uint64{FGuestCsum, FGuestTSO4, FGuestTSO6, FGuestECN, FMrgRxBuf} {
		if r.drv.Features&f == 0 {
			t.Errorf("feature %#x not negotiated", f)
		}
	}
	if r.be.deliver != nil || r.obe.deliverMSS == nil {
		t.Errorf("an OffloadBackend was attached with Attach")
	}
	if !r.obe.on() {
		t.Errorf("offload off with every feature negotiated")
	}
	r.drv.Write(0x070, 0)
	if r.obe.on() {
		t.Errorf("offload on after a reset")
	}
	for _, tc := range []struct {
		want uint64
		on   bool
	}{
		{FGuestCsum | FGuestTSO4 | FMrgRxBuf, true},
		{FGuestCsum | FGuestTSO6, true},
		{FGuestCsum | FMrgRxBuf | FHostTSO4 | FCsum, false},
		{FGuestTSO4 | FMrgRxBuf, false}, // GUEST_TSO4 depends on GUEST_CSUM
	} {
		r.reinit(virtiotest.Options{Want: tc.want})
		if r.obe.on() != tc.on {
			t.Errorf("features %#x: offload %v, want %v", tc.want, r.obe.on(), tc.on)
		}
	}
}

// TestReceiveGSO: with GUEST_TSO4, a 20000-byte segment reaches the guest
// whole across mergeable buffers, as a GSO packet.
func TestReceiveGSO(t *testing.T) {
	r := newOffloadRig(t, virtiotest.Options{})
	payload := pattern(20000)
	f := partialFrame(payload, 5000, 0x10|tcpPSH)
	r.rxBuffers(8, 4096)
	r.obe.deliverMSS(f, 1448)
	pkts := r.received()
	if len(pkts) != 1 {
		t.Fatalf("%d packets, want 1", len(pkts))
	}
	p := pkts[0]
	want := rxPacket{flags: hdrFNeedsCsum, gsoType: gsoTCPv4, hdrLen: 54, gsoSize: 1448, csumStart: 34, csumOff: 16,
		num: uint16((12 + len(f) + 4095) / 4096), frame: f}
	if diff := cmp.Diff(want, p, cmp.AllowUnexported(rxPacket{})); diff != "" {
		t.Errorf("packet (-want +got):\n%s", diff)
	}
	checkTCP(t, complete(p.frame, int(p.csumStart), int(p.csumOff)))
	if s := r.dev.Stats(); s.RxFrames != 1 || s.RxBytes != uint64(len(f)) || s.RxDropped != 0 {
		t.Errorf("stats %+v", s)
	}
}

// TestReceiveGSOWithoutGuestTSO: the same segment for a guest without
// GUEST_TSO4 (a back end that sends it anyway, as one does for frames on
// their way when the guest resets) arrives cut to the MSS, checksummed.
func TestReceiveGSOWithoutGuestTSO(t *testing.T) {
	for _, tc := range []struct {
		name  string
		want  uint64
		flags byte
	}{
		{"csum", FGuestCsum | FMrgRxBuf, hdrFDataValid},
		{"no-csum", FMrgRxBuf, 0},
		{"tso6-only", FGuestCsum | FGuestTSO6 | FMrgRxBuf, hdrFDataValid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Both frames wait for DRIVER_OK: the segments must take the
			// place of the first.
			r := newOffloadRig(t, virtiotest.Options{Want: tc.want, NoDriverOK: true})
			payload := pattern(20000)
			r.obe.deliverMSS(partialFrame(payload, 5000, 0x10|tcpPSH|tcpFIN), 1448)
			r.obe.deliverMSS([]byte("next frame"), 0)
			r.drv.Write(0x070, virtio.StatusAcknowledge|virtio.StatusDriver|virtio.StatusFeaturesOK|virtio.StatusDriverOK)
			r.rxBuffers(20, 2048)
			pkts := r.received()
			if len(pkts) != 15 {
				t.Fatalf("%d packets, want 14 segments and the next frame", len(pkts))
			}
			if string(pkts[14].frame) != "next frame" {
				t.Errorf("the frame after the segment came out of order")
			}
			flags := segments(t, pkts[:14], 34, 1448, 5000, payload, tc.flags)
			if flags[0] != 0x10 || flags[13] != 0x10|tcpPSH|tcpFIN {
				t.Errorf("flags of the first and last segments %#x %#x", flags[0], flags[13])
			}
			if s := r.dev.Stats(); s.RxFrames != 15 || s.RxDropped != 0 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

// TestReceivePartialChecksum: a frame within its MSS with a partial
// checksum goes to a guest with GUEST_CSUM as NEEDS_CSUM, and to one
// without it with the checksum completed.
func TestReceivePartialChecksum(t *testing.T) {
	payload := pattern(500)
	f := partialFrame(payload, 1, 0x10)
	r := newOffloadRig(t, virtiotest.Options{})
	r.rxBuffers(1, 2048)
	r.obe.deliverMSS(f, 1448)
	want := []rxPacket{{flags: hdrFNeedsCsum, csumStart: 34, csumOff: 16, num: 1, frame: f}}
	if diff := cmp.Diff(want, r.received(), cmp.AllowUnexported(rxPacket{})); diff != "" {
		t.Errorf("with GUEST_CSUM (-want +got):\n%s", diff)
	}

	r = newOffloadRig(t, virtiotest.Options{Want: FMrgRxBuf})
	r.obe.deliverMSS(f, 1448) // checksum completed, then waits for a buffer
	r.rxBuffers(2, 2048)
	r.obe.deliverMSS([]byte("plain frame"), 0)
	pkts := r.received()
	if len(pkts) != 2 || pkts[0].flags != 0 || pkts[0].gsoType != gsoNone || len(pkts[0].frame) != len(f) {
		t.Fatalf("without GUEST_CSUM: %+v", pkts)
	}
	checkTCP(t, pkts[0].frame)
	if !bytes.Equal(pkts[0].frame[54:], payload) || string(pkts[1].frame) != "plain frame" || pkts[1].flags != 0 {
		t.Errorf("frames corrupted")
	}
}

// TestReceiveGSOECN: a segment with CWR set is a GSO packet with the ECN
// bit for a guest with GUEST_ECN, and is cut for one without.
func TestReceiveGSOECN(t *testing.T) {
	payload := pattern(5000)
	f := partialFrame(payload, 9, 0x10|tcpCWR)

	r := newOffloadRig(t, virtiotest.Options{})
	r.rxBuffers(4, 4096)
	r.obe.deliverMSS(f, 1448)
	pkts := r.received()
	if len(pkts) != 1 || pkts[0].gsoType != gsoTCPv4|gsoECN || !bytes.Equal(pkts[0].frame, f) {
		t.Fatalf("with GUEST_ECN: %d packets, gso_type %#x", len(pkts), pkts[0].gsoType)
	}

	r = newOffloadRig(t, virtiotest.Options{Want: FGuestCsum | FGuestTSO4 | FMrgRxBuf})
	r.rxBuffers(4, 4096)
	r.obe.deliverMSS(f, 1448)
	flags := segments(t, r.received(), 34, 1448, 9, payload, hdrFDataValid)
	if diff := cmp.Diff([]byte{0x10 | tcpCWR, 0x10, 0x10, 0x10}, flags); diff != "" {
		t.Errorf("without GUEST_ECN, segment flags (-want +got):\n%s", diff)
	}
}

// TestReceiveGSOIPv6: GUEST_TSO6 covers IPv6 segments; a guest with only
// GUEST_TSO4 gets them cut.
func TestReceiveGSOIPv6(t *testing.T) {
	payload := pattern(10000)
	f := partialFrame6(payload, 77, 0x10)

	r := newOffloadRig(t, virtiotest.Options{})
	r.rxBuffers(4, 4096)
	r.obe.deliverMSS(f, 1400)
	pkts := r.received()
	want := []rxPacket{{flags: hdrFNeedsCsum, gsoType: gsoTCPv6, hdrLen: 74, gsoSize: 1400, csumStart: 54, csumOff: 16, num: 3, frame: f}}
	if diff := cmp.Diff(want, pkts, cmp.AllowUnexported(rxPacket{})); diff != "" {
		t.Fatalf("with GUEST_TSO6 (-want +got):\n%s", diff)
	}
	checkTCP6(t, complete(pkts[0].frame, 54, 16))

	r = newOffloadRig(t, virtiotest.Options{Want: FGuestCsum | FGuestTSO4 | FMrgRxBuf})
	r.rxBuffers(8, 2048)
	r.obe.deliverMSS(f, 1400)
	pkts = r.received()
	if len(pkts) != 8 {
		t.Fatalf("with GUEST_TSO4 only: %d packets, want 8 segments", len(pkts))
	}
	segments(t, pkts, 54, 1400, 77, payload, hdrFDataValid)
}

// TestReceiveGSOOneBuffer: without MRG_RXBUF a GSO packet goes into one
// big buffer (Linux's "big packets" mode).
func TestReceiveGSOOneBuffer(t *testing.T) {
	r := newOffloadRig(t, virtiotest.Options{Want: FGuestCsum | FGuestTSO4})
	f := partialFrame(pattern(60000), 1, 0x10)
	r.rxBuffers(1, 65562)
	r.obe.deliverMSS(f, 1448)
	pkts := r.received()
	if len(pkts) != 1 || pkts[0].num != 1 || pkts[0].gsoType != gsoTCPv4 || !bytes.Equal(pkts[0].frame, f) {
		t.Fatalf("%d packets", len(pkts))
	}
}

// TestReceiveOffloadAcrossReset: frames on their way when the guest
// resets the device follow the features negotiated next, whichever way
// they changed.
func TestReceiveOffloadAcrossReset(t *testing.T) {
	payload := pattern(8000)
	f := partialFrame(payload, 1, 0x10)
	r := newOffloadRig(t, virtiotest.Options{})
	r.obe.deliverMSS(f, 1448) // no buffers yet: waits
	r.reinit(virtiotest.Options{Want: FGuestCsum | FMrgRxBuf})
	r.rxBuffers(8, 2048)
	if pkts := r.received(); len(pkts) != 0 {
		t.Fatalf("a frame from before the reset was delivered: %+v", pkts[0])
	}
	r.obe.deliverMSS(f, 1448) // sent before the back end heard of the reset
	segments(t, r.received(), 34, 1448, 1, payload, hdrFDataValid)

	// Negotiated later: a frame waiting for DRIVER_OK goes whole.
	r.reinit(virtiotest.Options{NoDriverOK: true})
	r.obe.deliverMSS(f, 1448)
	r.drv.Write(0x070, virtio.StatusAcknowledge|virtio.StatusDriver|virtio.StatusFeaturesOK|virtio.StatusDriverOK)
	r.rxBuffers(4, 4096)
	if pkts := r.received(); len(pkts) != 1 || pkts[0].gsoType != gsoTCPv4 || !bytes.Equal(pkts[0].frame, f) {
		t.Errorf("after negotiating GUEST_TSO4: %d packets", len(pkts))
	}
}

// TestReceivePendingBytes: big frames waiting for buffers are bounded by
// memory, not only by count.
func TestReceivePendingBytes(t *testing.T) {
	r := newOffloadRig(t, virtiotest.Options{})
	f := partialFrame(make([]byte, 60000), 1, 0x10)
	for range 300 {
		r.obe.deliverMSS(f, 1448)
	}
	if s := r.dev.Stats(); s.RxDropped != 300-maxPendingBytes/bigBuf {
		t.Errorf("dropped %d of 300 64 KiB frames, want %d", s.RxDropped, 300-maxPendingBytes/bigBuf)
	}
}

// TestReceiveBadOffloadFrame: a frame with an mss that is not TCP is the
// back end's bug: it is dropped, and the next frame still arrives.
func TestReceiveBadOffloadFrame(t *testing.T) {
	r := newOffloadRig(t, virtiotest.Options{})
	bad := partialFrame(make([]byte, 100), 1, 0x10)
	bad[14+9] = 17 // UDP
	r.obe.deliverMSS(bad, 1448)
	r.obe.deliverMSS(bad[:40], 1448)
	r.obe.deliverMSS([]byte("next"), 0)
	r.rxBuffers(3, 2048)
	pkts := r.received()
	if len(pkts) != 1 || string(pkts[0].frame) != "next" {
		t.Errorf("got %d packets", len(pkts))
	}
	if s := r.dev.Stats(); s.RxDropped != 2 {
		t.Errorf("stats %+v", s)
	}
}

// TestFIFO: frames come out in order, and a queue that never empties
// does not grow without bound.
func TestFIFO(t *testing.T) {
	var q fifo
	next, want := 0, 0
	push := func(n int) {
		for range n {
			q.push(rxFrame{mss: next})
			next++
		}
	}
	push(5) // the queue never empties below
	for round := range 2000 {
		k := 1 + round%4
		push(k)
		for range k {
			if f := q.pop(); f.mss != want {
				t.Fatalf("popped %d, want %d", f.mss, want)
			}
			want++
		}
	}
	if q.len() != 5 || cap(q.s) > 256 {
		t.Errorf("%d queued (want 5) in a slice of capacity %d", q.len(), cap(q.s))
	}
	q.replaceFront([]rxFrame{{mss: -1}, {mss: -2}})
	if a, b, c := q.pop(), q.pop(), q.pop(); a.mss != -1 || b.mss != -2 || c.mss != want+1 {
		t.Errorf("after replaceFront: %d %d %d", a.mss, b.mss, c.mss)
	}
}
