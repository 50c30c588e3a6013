package lan9118

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"os"
	"reflect"
	"sync"
	"testing"

	"mimic/devices/bus"
	"mimic/devices/clock"
)

func TestMain(m *testing.M) {
	// Guest errors are counted and checked; their log lines are noise here.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

const base = 0x40200000

const macCRTxEnTest = 1 << 3 // MAC_CR TXEN

var testMAC = [6]byte{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}

// fakeNet is a Backend that records what the guest sends and lets the
// test deliver frames.
type fakeNet struct {
	mu      sync.Mutex
	sent    [][]byte
	deliver func([]byte)
}

func (f *fakeNet) Send(frame []byte) {
	f.mu.Lock()
	f.sent = append(f.sent, bytes.Clone(frame))
	f.mu.Unlock()
}
func (f *fakeNet) Attach(deliver func([]byte)) { f.deliver = deliver }

type line struct{ level bool }

func (l *line) Set(v bool) { l.level = v }

type rig struct {
	t   *testing.T
	clk *clock.Clock
	bus *bus.Bus
	dev *Device
	net *fakeNet
	irq *line
}

func newRig(t *testing.T, cfg Config) *rig {
	r := &rig{t: t, clk: clock.New(), bus: bus.New(), net: &fakeNet{}, irq: &line{}}
	if cfg.MAC == ([6]byte{}) {
		cfg.MAC = testMAC
	}
	cfg.Backend = r.net
	cfg.Post = r.clk.Post
	r.dev = New(r.clk, r.irq, cfg)
	if err := r.bus.MapDevice("lan9118", base, WindowSize, r.dev); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) read(off uint64) uint32 {
	r.t.Helper()
	v, ok := r.bus.Read(base+off, 4)
	if !ok {
		r.t.Fatalf("bus read at %#x failed", off)
	}
	return uint32(v)
}

func (r *rig) write(off uint64, v uint32) {
	r.t.Helper()
	if !r.bus.Write(base+off, 4, uint64(v)) {
		r.t.Fatalf("bus write at %#x failed", off)
	}
}

// macWrite and macRead go through MAC_CSR_CMD/MAC_CSR_DATA.
func (r *rig) macWrite(reg int, v uint32) {
	r.write(regMACCSRData, v)
	r.write(regMACCSRCmd, 0x80000000|uint32(reg))
}

func (r *rig) macRead(reg int) uint32 {
	r.write(regMACCSRCmd, 0xc0000000|uint32(reg))
	if c := r.read(regMACCSRCmd); c&0x80000000 != 0 {
		r.t.Fatalf("MAC_CSR_CMD still busy: %#x", c)
	}
	return r.read(regMACCSRData)
}

// phyRead reads a PHY register through MII_ACC (PHY address 1, as the
// drivers use).
func (r *rig) phyRead(reg int) uint16 {
	r.macWrite(macMIIAcc, 1<<11|uint32(reg)<<6|1)
	if a := r.macRead(macMIIAcc); a&1 != 0 {
		r.t.Fatalf("MII_ACC still busy: %#x", a)
	}
	return uint16(r.macRead(macMIIDat))
}

func (r *rig) phyWrite(reg int, v uint16) {
	r.macWrite(macMIIDat, uint32(v))
	r.macWrite(macMIIAcc, 1<<11|uint32(reg)<<6|3)
}

// runPosted runs what the back end posted to the clock.
func (r *rig) runPosted() { r.clk.AdvanceTo(r.clk.Now()) }

func frame(dst [6]byte, n int) []byte {
	f := make([]byte, n)
	copy(f, dst[:])
	copy(f[6:], []byte{0x52, 0x55, 0x0a, 0x00, 0x02, 0x02})
	f[12], f[13] = 0x08, 0x00
	for i := 14; i < n; i++ {
		f[i] = byte(i * 7)
	}
	return f
}

// sendFrame writes f into the TX data FIFO as one buffer with the given
// data start offset (bytes).
func (r *rig) sendFrame(f []byte, tag uint16, offset int) {
	r.write(regTxData, cmdAIOC|cmdAFirstSeg|cmdALastSeg|uint32(offset)<<16|uint32(len(f)))
	r.write(regTxData, uint32(tag)<<16|uint32(len(f)))
	r.writeData(f, offset)
}

func (r *rig) writeData(f []byte, offset int) {
	buf := append(make([]byte, offset), f...)
	for len(buf)%4 != 0 {
		buf = append(buf, 0xee)
	}
	for i := 0; i < len(buf); i += 4 {
		r.write(regTxData+uint64(i%32), binary.LittleEndian.Uint32(buf[i:]))
	}
}

// readFrame reads one received frame: its status word, then its data.
func (r *rig) readFrame() (status uint32, f []byte) {
	status = r.read(regRxStatus)
	n := int(status>>16) & 0x3fff
	for i := 0; i < (n+3)/4; i++ {
		f = binary.LittleEndian.AppendUint32(f, r.read(regRxData))
	}
	return status, f[:n]
}

func TestIdentification(t *testing.T) {
	r := newRig(t, Config{})
	for _, c := range []struct {
		name string
		off  uint64
		want uint32
	}{
		{"ID_REV", regIDRev, 0x01180001},
		{"BYTE_TEST", regByteTest, 0x87654321},
		{"HW_CFG", regHWCfg, 0x00050004},
		{"PMT_CTRL", regPMTCtrl, 1}, // READY
		{"FIFO_INT", regFIFOInt, 0x48000000},
		{"TX_FIFO_INF", regTxFIFOInf, 4608},
		{"RX_FIFO_INF", regRxFIFOInf, 0},
		{"E2P_CMD", regE2PCmd, 0x10}, // MAC_ADDR_LOADED
		{"GPT_CNT", regGPTCnt, 0xffff},
	} {
		if got := r.read(c.off); got != c.want {
			t.Errorf("%s = %#x, want %#x", c.name, got, c.want)
		}
	}
	// A byte read of BYTE_TEST sees its low byte.
	if v, _ := r.bus.Read(base+regByteTest, 1); v != 0x21 {
		t.Errorf("byte read of BYTE_TEST = %#x, want 0x21", v)
	}
	if r.dev.GuestErrors() != 0 {
		t.Errorf("%d guest errors", r.dev.GuestErrors())
	}
}

func TestMACAddress(t *testing.T) {
	r := newRig(t, Config{})
	if lo, hi := r.macRead(macADDRL), r.macRead(macADDRH); lo != 0x12005452 || hi != 0x5634 {
		t.Errorf("ADDRL/ADDRH = %#x/%#x, want 0x12005452/0x5634", lo, hi)
	}
	if cr := r.macRead(macCR); cr != macCRPrms {
		t.Errorf("MAC_CR = %#x, want PRMS", cr)
	}
	// The EEPROM holds 0xa5 and the MAC.
	r.write(regE2PCmd, 0x80000000|1)
	if v := r.read(regE2PData); v != 0x52 {
		t.Errorf("EEPROM[1] = %#x, want 0x52", v)
	}
	r.macWrite(macADDRL, 0x04030201)
	r.macWrite(macADDRH, 0x0605)
	if got := r.dev.MAC(); got != [6]byte{1, 2, 3, 4, 5, 6} {
		t.Errorf("MAC after writes = %x", got)
	}
	// A soft reset reloads the EEPROM's address.
	r.write(regHWCfg, 1)
	if got := r.dev.MAC(); got != testMAC {
		t.Errorf("MAC after SRST = %x, want %x", got, testMAC)
	}

	n := newRig(t, Config{NoEEPROM: true})
	if lo, hi, e := n.macRead(macADDRL), n.macRead(macADDRH), n.read(regE2PCmd); lo != 0xffffffff || hi != 0xffff || e&0x10 != 0 {
		t.Errorf("without EEPROM: ADDRL/ADDRH = %#x/%#x, E2P_CMD %#x", lo, hi, e)
	}
}

func TestPHY(t *testing.T) {
	r := newRig(t, Config{})
	for _, c := range []struct {
		reg  int
		want uint16
	}{
		{phyBMCR, 0x3000},
		{phyBMSR, 0x782d}, // link up, autonegotiation complete
		{phyID1, 0x0007},
		{phyID2, 0xc0d1},
		{phyANAR, 0x01e1},
		{phyANLPAR, 0x0f71},
	} {
		if got := r.phyRead(c.reg); got != c.want {
			t.Errorf("PHY reg %d = %#x, want %#x", c.reg, got, c.want)
		}
	}
	// The PHY interrupt: masked in, reported in INT_STS, cleared by
	// reading the source register.
	r.phyWrite(phyIntMask, phyIntANDon)
	if r.read(regIntSts)&intPHY == 0 {
		t.Errorf("PHY_INT not set with autonegotiation done unmasked")
	}
	if src := r.phyRead(phyIntSrc); src&phyIntANDon == 0 {
		t.Errorf("PHY interrupt source = %#x", src)
	}
	if r.read(regIntSts)&intPHY != 0 {
		t.Errorf("PHY_INT still set after reading the source")
	}
	r.phyWrite(phyBMCR, bmcrReset)
	if got := r.phyRead(phyIntMask); got != 0 {
		t.Errorf("interrupt mask after PHY reset = %#x", got)
	}
}

func TestInterruptLine(t *testing.T) {
	r := newRig(t, Config{})
	// Low after reset; from the first register write on it follows
	// IRQ_CFG, active low at reset: high with nothing pending (QEMU).
	if r.irq.level {
		t.Fatalf("line high right after reset")
	}
	r.write(regIRQCfg, 0)
	if !r.irq.level {
		t.Fatalf("line low after a register write with IRQ_CFG active low")
	}
	r.write(regIRQCfg, irqEn|irqPol|irqType)
	if r.irq.level {
		t.Fatalf("line high with active-high push-pull and nothing pending")
	}
	r.write(regIntEn, intSW) // raises SW_INT
	if !r.irq.level || r.read(regIRQCfg)&irqInt == 0 {
		t.Fatalf("SW_INT did not raise the line (IRQ_CFG %#x)", r.read(regIRQCfg))
	}
	r.write(regIntSts, intSW)
	if r.irq.level || r.read(regIntSts)&intSW != 0 {
		t.Fatalf("writing INT_STS did not clear SW_INT")
	}
}

func TestTransmit(t *testing.T) {
	r := newRig(t, Config{})
	f := frame([6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 61)
	r.sendFrame(f, 0xabcd, 0)
	// With a data start offset, odd length.
	g := frame([6]byte{1, 2, 3, 4, 5, 6}, 99)
	r.sendFrame(g, 0x1234, 6)
	// Two buffers (the second with 16-byte end alignment).
	h := frame([6]byte{1, 2, 3, 4, 5, 7}, 80)
	r.write(regTxData, cmdAFirstSeg|30)
	r.write(regTxData, 0x7777<<16|80)
	r.writeData(h[:30], 0)
	r.write(regTxData, cmdALastSeg|1<<24|50)
	r.write(regTxData, 0x7777<<16|80)
	r.writeData(h[30:], 0)
	for range (-((50 + 3) / 4)) & 3 {
		r.write(regTxData, 0xdeadbeef) // end padding
	}
	if len(r.net.sent) != 3 {
		t.Fatalf("%d frames sent, want 3", len(r.net.sent))
	}
	for i, want := range [][]byte{f, g, h} {
		if !bytes.Equal(r.net.sent[i], want) {
			t.Errorf("frame %d:\n got %x\nwant %x", i, r.net.sent[i], want)
		}
	}
	if inf := r.read(regTxFIFOInf); inf != 3<<16|4608 {
		t.Errorf("TX_FIFO_INF = %#x, want 3 status words, 4608 free", inf)
	}
	for _, tag := range []uint32{0xabcd, 0x1234, 0x7777} {
		if s := r.read(regTxStatus); s != tag<<16 {
			t.Errorf("TX status = %#x, want tag %#x", s, tag)
		}
	}
	if r.read(regIntSts)&intTxIOC == 0 {
		t.Errorf("TX_IOC not set")
	}
	if r.dev.GuestErrors() != 0 {
		t.Errorf("%d guest errors", r.dev.GuestErrors())
	}
}

func TestReceive(t *testing.T) {
	r := newRig(t, Config{})
	f := frame(testMAC, 60)
	// The receiver is off at reset: the frame is dropped.
	r.net.deliver(f)
	r.runPosted()
	if inf := r.read(regRxFIFOInf); inf != 0 {
		t.Fatalf("RX_FIFO_INF = %#x with the receiver off", inf)
	}
	r.macWrite(macCR, macCRRxEn|macCRTxEnTest)
	r.write(regIRQCfg, irqEn|irqPol|irqType)
	r.write(regIntEn, intRSFL)
	r.net.deliver(f)
	if r.read(regRxFIFOInf) != 0 {
		t.Fatalf("frame entered the FIFO before the machine's goroutine ran")
	}
	r.runPosted()
	if inf := r.read(regRxFIFOInf); inf != 1<<16|64 {
		t.Fatalf("RX_FIFO_INF = %#x, want 1 status, 64 bytes", inf)
	}
	if !r.irq.level || r.read(regIntSts)&intRSFL == 0 {
		t.Fatalf("no RSFL interrupt")
	}
	r.write(regIntSts, intRSFL)
	status, got := r.readFrame()
	if status != 64<<16 {
		t.Errorf("RX status = %#x, want length 64, no flags", status)
	}
	if !bytes.Equal(got[:60], f) {
		t.Errorf("frame:\n got %x\nwant %x", got[:60], f)
	}
	if r.read(regRxFIFOInf) != 0 {
		t.Errorf("FIFO not empty after reading")
	}
	if r.read(regIntSts)&intRxE != 0 {
		t.Errorf("RXE before an underflow")
	}
	r.read(regRxData)
	if r.read(regIntSts)&intRxE == 0 {
		t.Errorf("no RXE on underflow")
	}
}

func TestReceiveOffsetAndFilter(t *testing.T) {
	r := newRig(t, Config{})
	// Perfect filtering, 2-byte data offset (RXDOFF), 16-byte end
	// alignment.
	r.macWrite(macCR, macCRRxEn)
	r.write(regRxCfg, 1<<30|2<<8)
	other := frame([6]byte{2, 0, 0, 0, 0, 1}, 70)
	r.net.deliver(other) // not ours: filtered out
	bc := frame([6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 42)
	r.net.deliver(bc)
	r.runPosted()
	if n := r.read(regRxFIFOInf) >> 16; n != 1 {
		t.Fatalf("%d frames received, want 1 (the broadcast)", n)
	}
	status := r.read(regRxStatus)
	if status != 46<<16|rxStsBroadcast {
		t.Errorf("status = %#x", status)
	}
	// 2 offset bytes + 42 + 4 FCS = 48 bytes, 12 words: already 16-byte
	// aligned (no padding).
	var b []byte
	for range 12 {
		b = binary.LittleEndian.AppendUint32(b, r.read(regRxData))
	}
	if !bytes.Equal(b[:2], []byte{0, 0}) || !bytes.Equal(b[2:44], bc) {
		t.Errorf("data with offset: %x", b)
	}
	if r.read(regIntSts)&intRxE != 0 {
		t.Errorf("RXE")
	}
	// The fast-forward discards a packet.
	r.net.deliver(bc)
	r.net.deliver(frame(testMAC, 100))
	r.runPosted()
	r.read(regRxStatus)
	r.write(regRxDPCtrl, 0x80000000)
	if inf := r.read(regRxFIFOInf); inf != 1<<16|(2+100+4+2)/4*4 {
		t.Errorf("after RX_FFWD: RX_FIFO_INF = %#x", inf)
	}
	status, _ = r.readFrame()
	if status>>16 != 104 {
		t.Errorf("second frame status %#x", status)
	}
}

func TestReceiveWaitsForRoom(t *testing.T) {
	r := newRig(t, Config{})
	r.macWrite(macCR, macCRRxEn)
	const n = 20 // 20 * 1514 bytes: more than the RX FIFO's 10560
	for i := range n {
		f := frame(testMAC, 1514)
		f[20] = byte(i)
		r.net.deliver(f)
	}
	r.runPosted()
	queued := int(r.read(regRxFIFOInf) >> 16)
	if queued >= n || queued == 0 {
		t.Fatalf("%d frames in the FIFO", queued)
	}
	for i := range n {
		_, f := r.readFrame()
		if len(f) != 1518 || f[20] != byte(i) {
			t.Fatalf("frame %d: length %d, marker %d", i, len(f), f[20])
		}
	}
	if r.dev.Dropped() != 0 || r.read(regRxDrop) != 0 {
		t.Errorf("frames dropped")
	}
}

func TestLoopback(t *testing.T) {
	r := newRig(t, Config{})
	r.macWrite(macCR, macCRRxEn|macCRTxEnTest)
	r.phyWrite(phyBMCR, bmcrLoop)
	f := frame(testMAC, 64)
	r.sendFrame(f, 1, 0)
	if len(r.net.sent) != 0 {
		t.Errorf("loopback frame reached the network")
	}
	if _, got := r.readFrame(); !bytes.Equal(got[:64], f) {
		t.Errorf("looped frame %x", got)
	}
}

func TestGPT(t *testing.T) {
	r := newRig(t, Config{})
	r.write(regIntEn, intGPT)
	r.write(regGPTCfg, gptTimerEn|10) // 10 ticks of 100 us
	r.clk.AdvanceTo(500_000)
	if c := r.read(regGPTCnt); c != 5 {
		t.Errorf("GPT_CNT = %d after 500 us, want 5", c)
	}
	if r.read(regIntSts)&intGPT != 0 {
		t.Errorf("GPT_INT early")
	}
	r.clk.AdvanceTo(1_000_000)
	if r.read(regIntSts)&intGPT == 0 {
		t.Errorf("no GPT_INT at zero")
	}
	r.clk.AdvanceTo(1_100_000)
	if c := r.read(regGPTCnt); c != 0xfffe {
		t.Errorf("GPT_CNT = %#x after wrapping, want 0xfffe", c)
	}
	r.write(regGPTCfg, 0)
	if c := r.read(regGPTCnt); c != 0xffff {
		t.Errorf("stopped GPT_CNT = %#x", c)
	}
	// FREE_RUN counts at 25 MHz.
	if v := r.read(regFreeRun); v != 1_100_000/40 {
		t.Errorf("FREE_RUN = %d", v)
	}
}

func TestStateRoundTrip(t *testing.T) {
	r := newRig(t, Config{})
	r.macWrite(macCR, macCRRxEn)
	r.write(regGPTCfg, gptTimerEn|100)
	r.net.deliver(frame(testMAC, 90))
	r.net.deliver(frame(testMAC, 70))
	r.runPosted()
	r.read(regRxStatus)
	r.read(regRxData) // mid-packet
	// A frame half written.
	r.write(regTxData, cmdAFirstSeg|cmdALastSeg|20)
	r.write(regTxData, 20)
	r.write(regTxData, 0x11111111)
	s := r.dev.State()

	q := newRig(t, Config{MAC: [6]byte{2, 2, 2, 2, 2, 2}})
	if err := q.dev.Restore(s); err != nil {
		t.Fatal(err)
	}
	if got := q.dev.State(); !equalState(got, s) {
		t.Fatalf("state after restore differs:\n got %+v\nwant %+v", got, s)
	}
	// Both finish the same way.
	for _, x := range []*rig{r, q} {
		for range 4 {
			x.write(regTxData, 0x22222222)
		}
	}
	if len(q.net.sent) != 1 || !bytes.Equal(q.net.sent[0], r.net.sent[0]) {
		t.Errorf("restored device sent %x, original %x", q.net.sent, r.net.sent)
	}
	for range 30 {
		if a, b := r.read(regRxData), q.read(regRxData); a != b {
			t.Fatalf("RX data differs: %#x vs %#x", a, b)
		}
	}

	for name, bad := range map[string]func(*State){
		"version":    func(s *State) { s.Version = 99 },
		"MAC_CR":     func(s *State) { s.MACCR = 0xffffffff },
		"rx sizes":   func(s *State) { s.RxSizes = append(s.RxSizes, 20) },
		"tx state":   func(s *State) { s.TxState = 7 },
		"tx frame":   func(s *State) { s.TxFrame = make([]byte, 4096) },
		"rx status":  func(s *State) { s.RxStatus = make([]uint32, 1000) },
		"gpt":        func(s *State) { s.GPTCfg = 0 },
		"phy status": func(s *State) { s.PHYStatus = 0 },
	} {
		c := s
		c.RxSizes = append([]int(nil), s.RxSizes...)
		bad(&c)
		before := q.dev.State()
		if err := q.dev.Restore(c); !errors.Is(err, ErrBadState) {
			t.Errorf("%s: Restore = %v, want ErrBadState", name, err)
		}
		if !equalState(q.dev.State(), before) {
			t.Errorf("%s: a failed Restore changed the device", name)
		}
	}
}

func equalState(a, b State) bool { return reflect.DeepEqual(normal(a), normal(b)) }

// normal makes empty slices nil, which DeepEqual tells apart.
func normal(s State) State {
	if len(s.TxFrame) == 0 {
		s.TxFrame = nil
	}
	if len(s.TxStatus) == 0 {
		s.TxStatus = nil
	}
	if len(s.RxData) == 0 {
		s.RxData = nil
	}
	if len(s.RxSizes) == 0 {
		s.RxSizes = nil
	}
	if len(s.RxStatus) == 0 {
		s.RxStatus = nil
	}
	return s
}
