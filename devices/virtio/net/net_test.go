package net

import (
	"bytes"
	"encoding/binary"
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

type fakeBackend struct {
	sent    [][]byte
	deliver func([]byte)
}

func (b *fakeBackend) Send(f []byte)            { b.sent = append(b.sent, bytes.Clone(f)) }
func (b *fakeBackend) Attach(fn func(f []byte)) { b.deliver = fn }

var testMAC = [6]byte{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}

type rig struct {
	t   *testing.T
	be  *fakeBackend
	dev *Device
	drv *virtiotest.Driver
}

func newRig(t *testing.T, o virtiotest.Options) *rig {
	be := &fakeBackend{}
	// Posted work runs at once: the test is the machine's goroutine.
	dev := New(testMAC, be, func(fn func()) { fn() })
	return &rig{t: t, be: be, dev: dev, drv: virtiotest.New(t, dev, o)}
}

// sum16 is a plain RFC 1071 sum, independent of the device's checksum.
func sum16(parts ...[]byte) uint16 {
	var all []byte
	for _, p := range parts {
		all = append(all, p...)
	}
	if len(all)%2 == 1 {
		all = append(all, 0)
	}
	var s uint32
	for i := 0; i < len(all); i += 2 {
		s += uint32(all[i])<<8 | uint32(all[i+1])
	}
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// tcpFrame builds an Ethernet/IPv4/TCP frame with the given payload and
// flags; the checksums are left zero.
func tcpFrame(payload []byte, seq uint32, flags byte) []byte {
	f := make([]byte, 14+20+20+len(payload))
	copy(f[0:6], testMAC[:])
	copy(f[6:12], []byte{0x52, 0x55, 0x0a, 0, 2, 2})
	binary.BigEndian.PutUint16(f[12:], etherTypeIPv4)
	ip := f[14:]
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(40+len(payload)))
	binary.BigEndian.PutUint16(ip[4:], 0x1000)
	ip[8], ip[9] = 64, protoTCP
	copy(ip[12:16], []byte{10, 0, 2, 15})
	copy(ip[16:20], []byte{10, 0, 2, 2})
	tcp := f[34:]
	binary.BigEndian.PutUint16(tcp[0:], 40000)
	binary.BigEndian.PutUint16(tcp[2:], 80)
	binary.BigEndian.PutUint32(tcp[4:], seq)
	tcp[12] = 5 << 4
	tcp[13] = flags
	binary.BigEndian.PutUint16(tcp[14:], 65535)
	copy(tcp[20:], payload)
	return f
}

func pseudoSum(ip []byte, tcpLen int) []byte {
	p := make([]byte, 12)
	copy(p, ip[12:20])
	p[9] = protoTCP
	binary.BigEndian.PutUint16(p[10:], uint16(tcpLen))
	return p
}

// checkTCP verifies both checksums of an IPv4/TCP frame.
func checkTCP(t *testing.T, f []byte) {
	t.Helper()
	ip := f[14:34]
	if sum16(ip) != 0xffff {
		t.Errorf("bad IPv4 header checksum in %x", ip)
	}
	tcp := f[34:]
	if sum16(pseudoSum(ip, len(tcp)), tcp) != 0xffff {
		t.Errorf("bad TCP checksum")
	}
}

func netHdr(flags, gso byte, hdrLen, gsoSize, csumStart, csumOff uint16) []byte {
	h := make([]byte, 12)
	h[0], h[1] = flags, gso
	binary.LittleEndian.PutUint16(h[2:], hdrLen)
	binary.LittleEndian.PutUint16(h[4:], gsoSize)
	binary.LittleEndian.PutUint16(h[6:], csumStart)
	binary.LittleEndian.PutUint16(h[8:], csumOff)
	return h
}

func TestConfigAndFeatures(t *testing.T) {
	r := newRig(t, virtiotest.Options{})
	var mac [6]byte
	for i := range mac {
		mac[i] = byte(r.drv.ReadConfig(uint64(i), 1))
	}
	if mac != testMAC || r.drv.ReadConfig(6, 2) != statusLinkUp {
		t.Errorf("mac %x status %d", mac, r.drv.ReadConfig(6, 2))
	}
	for _, f := range []uint64{FCsum, FGuestCsum, FMAC, FHostTSO4, FMrgRxBuf, FStatus, virtio.FVersion1} {
		if r.drv.Features&f == 0 {
			t.Errorf("feature %#x not negotiated", f)
		}
	}
}

func TestTransmitPlainAndChecksumOffload(t *testing.T) {
	r := newRig(t, virtiotest.Options{})
	plain := tcpFrame([]byte("hello"), 1, tcpPSH)
	r.drv.Submit(txQueue, false, virtiotest.Buf{Data: netHdr(0, gsoNone, 0, 0, 0, 0)}, virtiotest.Buf{Data: plain})
	// NEEDS_CSUM: the guest leaves the pseudo-header sum in the field.
	f := tcpFrame(bytes.Repeat([]byte("x"), 333), 7, tcpPSH)
	binary.BigEndian.PutUint16(f[14+10:], ^sum16(f[14:34]))
	binary.BigEndian.PutUint16(f[34+16:], sum16(pseudoSum(f[14:34], len(f)-34)))
	r.drv.Submit(txQueue, true, virtiotest.Buf{Data: append(netHdr(hdrFNeedsCsum, gsoNone, 0, 0, 34, 16), f[:40]...)}, virtiotest.Buf{Data: f[40:]})
	if u := r.drv.TakeUsed(txQueue); len(u) != 2 {
		t.Fatalf("used %v", u)
	}
	if len(r.be.sent) != 2 || !bytes.Equal(r.be.sent[0], plain) {
		t.Fatalf("sent %d frames", len(r.be.sent))
	}
	checkTCP(t, r.be.sent[1])
}

func TestTSO(t *testing.T) {
	r := newRig(t, virtiotest.Options{})
	payload := make([]byte, 3500)
	for i := range payload {
		payload[i] = byte(i)
	}
	f := tcpFrame(payload, 1000, tcpPSH|tcpFIN|tcpCWR|0x10)
	r.drv.Submit(txQueue, false, virtiotest.Buf{Data: netHdr(hdrFNeedsCsum, gsoTCPv4, 54, 1448, 34, 16)}, virtiotest.Buf{Data: f})
	if len(r.be.sent) != 3 {
		t.Fatalf("%d segments, want 3", len(r.be.sent))
	}
	var got []byte
	var seqs []uint32
	var flags []byte
	for _, s := range r.be.sent {
		checkTCP(t, s)
		seqs = append(seqs, binary.BigEndian.Uint32(s[38:]))
		flags = append(flags, s[47])
		got = append(got, s[54:]...)
	}
	if diff := cmp.Diff([]uint32{1000, 2448, 3896}, seqs); diff != "" {
		t.Errorf("sequence numbers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]byte{0x10 | tcpCWR, 0x10, 0x10 | tcpPSH | tcpFIN}, flags); diff != "" {
		t.Errorf("flags (-want +got):\n%s", diff)
	}
	if !bytes.Equal(got, payload) {
		t.Error("payload not preserved")
	}
	if ids := []uint16{binary.BigEndian.Uint16(r.be.sent[0][18:]), binary.BigEndian.Uint16(r.be.sent[2][18:])}; ids[1]-ids[0] != 2 {
		t.Errorf("IPv4 ids %v", ids)
	}
}

func TestReceiveMergeable(t *testing.T) {
	r := newRig(t, virtiotest.Options{})
	// Two 1000-byte buffers; a 1514-byte frame needs both.
	_, a0 := r.drv.Submit(rxQueue, false, virtiotest.Buf{Write: true, Len: 1000})
	_, a1 := r.drv.Submit(rxQueue, false, virtiotest.Buf{Write: true, Len: 1000})
	frame := tcpFrame(make([]byte, 1460), 1, 0)
	r.be.deliver(frame)
	u := r.drv.TakeUsed(rxQueue)
	if len(u) != 2 || u[0].Len != 1000 || u[1].Len != uint32(12+1514-1000) {
		t.Fatalf("used %v", u)
	}
	hdr := r.drv.Mem(a0[0], 12)
	if hdr[0] != hdrFDataValid || binary.LittleEndian.Uint16(hdr[10:]) != 2 {
		t.Errorf("header %x: want DATA_VALID and num_buffers 2", hdr)
	}
	got := append(append([]byte{}, r.drv.Mem(a0[0]+12, 988)...), r.drv.Mem(a1[0], 1514-988)...)
	if !bytes.Equal(got, frame) {
		t.Error("frame corrupted")
	}
	if r.drv.IRQ.Rises == 0 {
		t.Error("no interrupt")
	}
}

func TestReceiveWaitsForBuffers(t *testing.T) {
	r := newRig(t, virtiotest.Options{})
	r.be.deliver([]byte("frame one, 20 bytes."))
	r.be.deliver([]byte("frame two"))
	if u := r.drv.TakeUsed(rxQueue); len(u) != 0 {
		t.Fatalf("used %v with no buffers", u)
	}
	r.drv.Submit(rxQueue, false, virtiotest.Buf{Write: true, Len: 1526})
	r.drv.Submit(rxQueue, false, virtiotest.Buf{Write: true, Len: 1526})
	if u := r.drv.TakeUsed(rxQueue); len(u) != 2 || u[0].Len != 32 || u[1].Len != 21 {
		t.Errorf("used %v", u)
	}
}

func TestReceiveLegacyOneBufferPerFrame(t *testing.T) {
	r := newRig(t, virtiotest.Options{Legacy: true, Want: FMAC | FStatus})
	_, a := r.drv.Submit(rxQueue, false, virtiotest.Buf{Write: true, Len: 100})
	r.be.deliver(make([]byte, 200)) // does not fit: dropped
	r.be.deliver([]byte("small frame"))
	u := r.drv.TakeUsed(rxQueue)
	if len(u) != 1 || u[0].Len != 10+11 {
		t.Fatalf("used %v, want one of header 10 + 11", u)
	}
	if string(r.drv.Mem(a[0]+10, 11)) != "small frame" {
		t.Errorf("got %q", r.drv.Mem(a[0]+10, 11))
	}
	if s := r.dev.Stats(); s.RxDropped != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestPendingBound(t *testing.T) {
	r := newRig(t, virtiotest.Options{})
	for range maxPending + 5 {
		r.be.deliver([]byte("x"))
	}
	if s := r.dev.Stats(); s.RxDropped != 5 {
		t.Errorf("dropped %d, want 5", s.RxDropped)
	}
}

func TestBadTransmits(t *testing.T) {
	r := newRig(t, virtiotest.Options{})
	f := tcpFrame(make([]byte, 100), 1, 0)
	for _, hdr := range [][]byte{
		netHdr(hdrFNeedsCsum, gsoNone, 0, 0, 200, 16), // checksum beyond the frame
		netHdr(0, gsoTCPv4, 54, 0, 34, 16),            // MSS 0
		netHdr(0, gsoTCPv6, 54, 1000, 34, 16),         // v6 GSO on a v4 frame
	} {
		r.drv.Submit(txQueue, false, virtiotest.Buf{Data: hdr}, virtiotest.Buf{Data: f})
	}
	r.drv.Submit(txQueue, false, virtiotest.Buf{Data: []byte{1, 2}}) // shorter than the header
	if u := r.drv.TakeUsed(txQueue); len(u) != 4 {
		t.Errorf("used %v", u)
	}
	if s := r.dev.Stats(); s.GuestErrors != 4 || len(r.be.sent) != 0 {
		t.Errorf("stats %+v, sent %d", s, len(r.be.sent))
	}
}

func FuzzSegment(f *testing.F) {
	f.Add(tcpFrame(make([]byte, 3000), 1, 0), uint8(gsoTCPv4), 1000)
	f.Fuzz(func(t *testing.T, frame []byte, gso uint8, mss int) {
		if mss > 1<<16 || mss < -1 {
			return
		}
		var buf []byte
		segmentTCP(frame, gso, mss, &buf, func([]byte) {})
	})
}
