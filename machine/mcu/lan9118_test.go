package mcu

import (
	"bytes"
	"encoding/binary"
	"io"
	"log/slog"
	"testing"
	"time"

	"mimic/devices/lan9118"
	"mimic/devices/usernet"
)

const lanBase = 0x40200000

// TestLAN9118 reads the MPS2 Ethernet controller's identification
// through the bus on both boards, with and without a network.
func TestLAN9118(t *testing.T) {
	for _, board := range []string{"mps2-an385", "mps2-an386"} {
		m, err := New(Config{Board: board, Kernel: "testdata/hello-mps2.elf", Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := m.Bus.Read(lanBase+0x50, 4); !ok || v != lan9118.IDRev {
			t.Errorf("%s: ID_REV = %#x, %v", board, v, ok)
		}
		if v, ok := m.Bus.Read(lanBase+0x64, 4); !ok || v != lan9118.ByteTest {
			t.Errorf("%s: BYTE_TEST = %#x, %v", board, v, ok)
		}
		if m.NIC().MAC() != QEMUMAC {
			t.Errorf("%s: MAC %x, want QEMU's", board, m.NIC().MAC())
		}
		// QEMU maps 256 bytes of the 64 KiB slot; the rest faults.
		if _, ok := m.Bus.Read(lanBase+0x100, 4); ok {
			t.Errorf("%s: a read past the LAN9118's window must fault", board)
		}
	}
	if _, err := New(Config{Board: "lm3s6965evb", Kernel: "testdata/hello-lm3s.elf", NIC: &usernet.Network{}}); err == nil {
		t.Errorf("lm3s6965evb accepted a NIC")
	}
}

// TestLAN9118UserNet sends an ARP request for the gateway through the
// controller to the user-mode network and reads the reply from its RX
// FIFO.
func TestLAN9118UserNet(t *testing.T) {
	nw, err := usernet.New(usernet.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	mac := [6]byte{0x02, 0, 0, 0, 0, 0x42}
	m, err := New(Config{Board: "mps2-an385", Kernel: "testdata/hello-mps2.elf", NIC: nw, MAC: mac,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	rd := func(off uint64) uint32 { v, _ := m.Bus.Read(lanBase+off, 4); return uint32(v) }
	wr := func(off uint64, v uint32) { m.Bus.Write(lanBase+off, 4, uint64(v)) }
	macWrite := func(reg int, v uint32) { wr(0xa8, v); wr(0xa4, 0x80000000|uint32(reg)) }
	macWrite(1, 1<<3|1<<2) // MAC_CR: TXEN, RXEN (perfect filtering)

	arp := make([]byte, 42)
	copy(arp, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	copy(arp[6:], mac[:])
	binary.BigEndian.PutUint16(arp[12:], 0x0806)
	copy(arp[14:], []byte{0, 1, 8, 0, 6, 4, 0, 1})
	copy(arp[22:], mac[:])
	copy(arp[28:], []byte{10, 0, 2, 15})
	copy(arp[38:], []byte{10, 0, 2, 2})
	wr(0x20, 1<<13|1<<12|uint32(len(arp))) // command A: FS, LS
	wr(0x20, uint32(len(arp)))             // command B
	padded := append(bytes.Clone(arp), 0, 0)
	for i := 0; i < len(padded); i += 4 {
		wr(0x20, binary.LittleEndian.Uint32(padded[i:]))
	}
	deadline := time.Now().Add(5 * time.Second)
	for rd(0x7c)>>16 == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no reply from the user-mode network")
		}
		select {
		case <-m.Clock.Posted():
			m.Clock.AdvanceTo(m.Clock.Now())
		case <-time.After(10 * time.Millisecond):
		}
	}
	status := rd(0x40)
	n := int(status>>16) & 0x3fff
	var f []byte
	for range (n + 3) / 4 {
		f = binary.LittleEndian.AppendUint32(f, rd(0x00))
	}
	if n < 42+4 || !bytes.Equal(f[:6], mac[:]) || binary.BigEndian.Uint16(f[12:]) != 0x0806 ||
		binary.BigEndian.Uint16(f[20:]) != 2 || !bytes.Equal(f[28:32], []byte{10, 0, 2, 2}) {
		t.Errorf("reply (status %#x): %x", status, f)
	}
}
