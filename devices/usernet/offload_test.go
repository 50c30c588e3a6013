package usernet

import (
	"bytes"
	"encoding/binary"
	"io"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
)

// download has the guest fetch data from a host socket through the
// Network and returns what it read. during, when set, runs on its own
// goroutine once the guest has read half of it.
func download(t *testing.T, g *testGuest, data []byte, during func()) []byte {
	t.Helper()
	ln := listenTCP(t)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(testTimeout))
		c.Write(data)
	}()
	c, err := g.dialTCP(testCtx(t), netip.AddrPortFrom(ipHost, port(ln.Addr())))
	if err != nil {
		t.Fatalf("guest dial: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testTimeout))
	got := make([]byte, 0, len(data))
	buf := make([]byte, 64<<10)
	fired := during == nil
	done := make(chan struct{})
	if fired {
		close(done)
	}
	for {
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if !fired && len(got) >= len(data)/2 {
			fired = true
			go func() {
				defer close(done)
				during()
			}()
		}
		if err == io.EOF {
			<-done
			return got
		}
		if err != nil {
			t.Fatalf("guest read after %d bytes: %v", len(got), err)
		}
	}
}

// TestReceiveOffload: a guest that takes offloads gets TCP segments above
// the MTU with a partial checksum, and the download arrives intact.
func TestReceiveOffload(t *testing.T) {
	g := newTestGuest(t, Config{}, guestOptions{offload: true})
	g.configure(netip.PrefixFrom(g.lease(guestMAC, 1), 24), ipHost)
	data := randomData(21, 8<<20)
	before := g.nw.Stats()
	if got := download(t, g, data, nil); !bytes.Equal(got, data) {
		t.Fatalf("guest read %d bytes, not the %d sent", len(got), len(data))
	}
	g.contractOK()
	st := g.nw.Stats()
	frames := st.FramesToGuest - before.FramesToGuest
	t.Logf("%d frames, %d segments above the MSS, the longest %d bytes", frames, g.gsoFrames.Load(), g.maxFrame.Load())
	if g.gsoFrames.Load() == 0 || g.maxFrame.Load() <= ethHeaderLen+1500 {
		t.Errorf("no segment above the MTU (longest frame %d bytes)", g.maxFrame.Load())
	}
	if avg := (st.BytesToGuest - before.BytesToGuest) / max(frames, 1); avg < 4000 {
		t.Errorf("average frame %d bytes over %d frames: receive offload not in use", avg, frames)
	}
}

// TestNoReceiveOffload: a guest without offloads never gets a frame above
// MTU+14, nor one with a partial checksum, whether its NIC attached with
// Attach or with AttachOffload and offload off.
func TestNoReceiveOffload(t *testing.T) {
	for _, tc := range []struct {
		name string
		mtu  int
		opt  guestOptions
	}{
		{"plain", 0, guestOptions{}},
		{"offload-off", 0, guestOptions{offload: true}},
		{"plain-mtu-4000", 4000, guestOptions{mtu: 4000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newTestGuest(t, Config{MTU: tc.mtu}, tc.opt)
			g.nw.SetOffload(false)
			g.configure(netip.PrefixFrom(g.lease(guestMAC, 1), 24), ipHost)
			data := randomData(22, 4<<20)
			if got := download(t, g, data, nil); !bytes.Equal(got, data) {
				t.Fatalf("guest read %d bytes, not the %d sent", len(got), len(data))
			}
			g.contractOK()
			if g.gsoFrames.Load() != 0 || g.maxFrame.Load() > int64(g.maxLen) {
				t.Errorf("%d segments above the MSS, the longest frame %d bytes", g.gsoFrames.Load(), g.maxFrame.Load())
			}
			if tc.mtu != 0 && g.maxFrame.Load() <= ethHeaderLen+1500 {
				t.Errorf("longest frame %d bytes: the MTU of %d is not used", g.maxFrame.Load(), tc.mtu)
			}
		})
	}
}

// TestReceiveOffloadSwitch turns offload off in the middle of a download
// (as a device reset does) and on again: at most the frame being handed
// over at the switch may still be a large segment.
func TestReceiveOffloadSwitch(t *testing.T) {
	g := newTestGuest(t, Config{}, guestOptions{offload: true})
	g.configure(netip.PrefixFrom(g.lease(guestMAC, 1), 24), ipHost)
	data := randomData(23, 16<<20)
	var atSwitch, afterOff int64
	var off atomic.Bool
	got := download(t, g, data, func() {
		g.nw.SetOffload(false)
		atSwitch = g.gsoFrames.Load()
		off.Store(true)
		// Let a good part of the rest arrive without offload, then
		// turn it back on.
		for deadline := time.Now().Add(testTimeout); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if g.nw.Stats().BytesToGuest > uint64(len(data))*3/4 {
				break
			}
		}
		afterOff = g.gsoFrames.Load()
		g.nw.SetOffload(true)
	})
	if !bytes.Equal(got, data) {
		t.Fatalf("guest read %d bytes, not the %d sent", len(got), len(data))
	}
	g.contractOK()
	if atSwitch == 0 {
		t.Errorf("no large segment before the switch")
	}
	if afterOff > atSwitch+1 {
		t.Errorf("%d large segments after offload was turned off", afterOff-atSwitch)
	}
	if g.gsoFrames.Load() == afterOff {
		t.Errorf("no large segment after offload was turned on again")
	}
}

// TestSegment cuts a segment as a NIC's TSO does, and completes the
// checksum of one within its MSS.
func TestSegment(t *testing.T) {
	payload := randomData(24, 2500)
	b := make([]byte, ethHeaderLen+20+32+len(payload))
	binary.BigEndian.PutUint16(b[12:], ethTypeIPv4)
	ip := header.IPv4(b[ethHeaderLen:])
	ip.Encode(&header.IPv4Fields{TotalLength: uint16(len(b) - ethHeaderLen), ID: 100, TTL: 64, Protocol: uint8(header.TCPProtocolNumber),
		SrcAddr: tcpAddr(ipHost), DstAddr: tcpip.AddrFrom4([4]byte{10, 0, 2, 15})})
	ip.SetChecksum(^ip.CalculateChecksum())
	tcp := header.TCP(ip.Payload())
	tcp.Encode(&header.TCPFields{SrcPort: 80, DstPort: 40000, SeqNum: 7000, AckNum: 1, DataOffset: 32,
		Flags: header.TCPFlagAck | header.TCPFlagPsh | header.TCPFlagFin | header.TCPFlagCwr, WindowSize: 1000})
	copy(tcp[20:32], []byte{1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}) // NOP NOP timestamps
	copy(tcp.Payload(), payload)
	tcp.SetChecksum(pseudoSum(b, len(tcp)))

	type seg struct {
		seq   uint32
		id    uint16
		flags header.TCPFlags
		n     int
	}
	var segs []seg
	var got []byte
	g := &testGuest{t: t, maxLen: ethHeaderLen + 1500}
	n := &Network{}
	s := &sink{deliver: func(f []byte, mss int) {
		g.check(f, mss)
		tcp, _ := tcpOf(f)
		segs = append(segs, seg{tcp.SequenceNumber(), header.IPv4(f[ethHeaderLen:]).ID(), tcp.Flags(), len(tcp.Payload())})
		got = append(got, tcp.Payload()...)
	}}
	n.segment(s, &frame{b: bytes.Clone(b), mss: 1000, l4: ethHeaderLen + 20}, nil)
	want := []seg{
		{7000, 100, header.TCPFlagAck | header.TCPFlagCwr, 1000},
		{8000, 101, header.TCPFlagAck, 1000},
		{9000, 102, header.TCPFlagAck | header.TCPFlagPsh | header.TCPFlagFin, 500},
	}
	if diff := cmp.Diff(want, segs, cmp.AllowUnexported(seg{})); diff != "" {
		t.Errorf("segments (-want +got):\n%s", diff)
	}
	if !bytes.Equal(got, payload) {
		t.Errorf("payload not preserved")
	}
	g.contractOK()

	segs, got = nil, nil
	g = &testGuest{t: t, maxLen: len(b)}
	n.segment(s, &frame{b: bytes.Clone(b), mss: 2500, l4: ethHeaderLen + 20}, nil)
	if len(segs) != 1 || segs[0].flags != header.TCPFlagAck|header.TCPFlagPsh|header.TCPFlagFin|header.TCPFlagCwr || !bytes.Equal(got, payload) {
		t.Errorf("within the MSS: %+v", segs)
	}
	g.contractOK()
}
