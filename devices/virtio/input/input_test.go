package input

import (
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	ev "mimic/devices/input"
	"mimic/devices/virtio"
	"mimic/devices/virtio/virtiotest"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// selectCfg writes select and subsel and returns size and payload.
func selectCfg(t *testing.T, drv *virtiotest.Driver, sel, subsel uint8) []byte {
	t.Helper()
	drv.Bus.Write(virtiotest.MMIOBase+0x100, 1, uint64(sel))
	drv.Bus.Write(virtiotest.MMIOBase+0x101, 1, uint64(subsel))
	if got := drv.ReadConfig(0, 2); got != uint64(sel)|uint64(subsel)<<8 {
		t.Fatalf("select/subsel read back %#x", got)
	}
	size := int(drv.ReadConfig(2, 1))
	out := make([]byte, size)
	for i := range out {
		out[i] = byte(drv.ReadConfig(8+uint64(i), 1))
	}
	// The rest of the payload reads as zero.
	for i := size; i < 128; i++ {
		if v := drv.ReadConfig(8+uint64(i), 1); v != 0 {
			t.Errorf("select %#x/%d: payload byte %d = %#x beyond size %d", sel, subsel, i, v, size)
		}
	}
	return out
}

func devids(product, version uint16) []byte {
	b := make([]byte, 8)
	binary.LittleEndian.PutUint16(b[0:], 0x06)
	binary.LittleEndian.PutUint16(b[2:], 0x0627)
	binary.LittleEndian.PutUint16(b[4:], product)
	binary.LittleEndian.PutUint16(b[6:], version)
	return b
}

// buttonBits is QEMU's mouse and tablet EV_KEY bitmap: BTN_LEFT..BTN_EXTRA,
// BTN_TOUCH, BTN_GEAR_DOWN and BTN_GEAR_UP (0x151, so 43 bytes).
func buttonBits() []byte {
	b := make([]byte, 43)
	b[0x110/8] = 0x1f
	b[0x14a/8] |= 1 << (0x14a % 8)
	b[0x150/8] |= 3
	return b
}

func TestConfig(t *testing.T) {
	absInfo := make([]byte, 20)
	binary.LittleEndian.PutUint32(absInfo[4:], 32767)
	type sel struct{ sel, subsel uint8 }
	for _, tc := range []struct {
		kind Kind
		want map[sel][]byte
	}{
		{Keyboard, map[sel][]byte{
			{CfgIDName, 0}:        []byte("QEMU Virtio Keyboard\x00"),
			{CfgIDDevids, 0}:      devids(1, 1),
			{CfgEvBits, ev.EvRep}: {0},
			{CfgEvBits, ev.EvLed}: {0x07},
			{CfgEvBits, ev.EvRel}: {},
			{CfgEvBits, ev.EvAbs}: {},
			{CfgPropBits, 0}:      {},
			{CfgIDSerial, 0}:      []byte("kbd0"),
			{CfgAbsInfo, ev.AbsX}: {},
			{CfgUnset, 0}:         {},
			{0x42, 0}:             {},
			{CfgEvBits, ev.EvSw}:  {},
		}},
		{Mouse, map[sel][]byte{
			{CfgIDName, 0}:        []byte("QEMU Virtio Mouse\x00"),
			{CfgIDDevids, 0}:      devids(2, 2),
			{CfgEvBits, ev.EvRel}: {0x03, 0x01},
			{CfgEvBits, ev.EvKey}: buttonBits(),
			{CfgEvBits, ev.EvAbs}: {},
			{CfgEvBits, ev.EvLed}: {},
			{CfgIDSerial, 0}:      []byte("kbd0"),
		}},
		{Tablet, map[sel][]byte{
			{CfgIDName, 0}:        []byte("QEMU Virtio Tablet\x00"),
			{CfgIDDevids, 0}:      devids(3, 2),
			{CfgEvBits, ev.EvAbs}: {0x03},
			{CfgEvBits, ev.EvRel}: {0x00, 0x01},
			{CfgEvBits, ev.EvKey}: buttonBits(),
			{CfgAbsInfo, ev.AbsX}: absInfo,
			{CfgAbsInfo, ev.AbsY}: absInfo,
			{CfgAbsInfo, 2}:       {},
			{CfgPropBits, 0}:      {},
		}},
	} {
		d := New(tc.kind, Options{Serial: "kbd0"})
		drv := virtiotest.New(t, d, virtiotest.Options{})
		if id := drv.Read(0x008); id != virtio.IDInput {
			t.Errorf("%v: device ID %d", tc.kind, id)
		}
		for s, want := range tc.want {
			got := selectCfg(t, drv, s.sel, s.subsel)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%v: select %#x subsel %d (-want +got):\n%s", tc.kind, s.sel, s.subsel, d)
			}
		}
	}
}

func TestKeyboardBits(t *testing.T) {
	d := New(Keyboard, Options{})
	drv := virtiotest.New(t, d, virtiotest.Options{})
	bits := selectCfg(t, drv, CfgEvBits, ev.EvKey)
	has := func(c uint16) bool { return int(c/8) < len(bits) && bits[c/8]&(1<<(c%8)) != 0 }
	for _, c := range []uint16{ev.KeyEsc, ev.KeyA, ev.KeyLeftCtrl, ev.Key102nd, ev.KeyPower, ev.KeyF24, ev.KeyRightMeta, ev.KeyPlayPause, ev.KeyMicMute} {
		if !has(c) {
			t.Errorf("EV_KEY bitmap lacks %s", ev.Name(ev.EvKey, c))
		}
	}
	for _, c := range []uint16{ev.KeyReserved, ev.BtnLeft, ev.KeyUnknown} {
		if has(c) {
			t.Errorf("EV_KEY bitmap has %d", c)
		}
	}
	// With no serial, ID_SERIAL is empty.
	if got := selectCfg(t, drv, CfgIDSerial, 0); len(got) != 0 {
		t.Errorf("ID_SERIAL = %q", got)
	}
}

func TestConfigGuestErrors(t *testing.T) {
	d := New(Keyboard, Options{})
	drv := virtiotest.New(t, d, virtiotest.Options{})
	drv.Bus.Write(virtiotest.MMIOBase+0x100+2, 1, 5) // size is read-only
	drv.Bus.Write(virtiotest.MMIOBase+0x100+0x90, 4, 5)
	if v := drv.ReadConfig(ConfigSize, 1); v != 0 {
		t.Errorf("read beyond config = %#x", v)
	}
	if d.GuestErrors() != 3 {
		t.Errorf("%d guest errors, want 3", d.GuestErrors())
	}
	// A 2-byte write sets select and subsel together.
	drv.Bus.Write(virtiotest.MMIOBase+0x100, 2, uint64(ev.EvLed)<<8|CfgEvBits)
	if size, payload := drv.ReadConfig(2, 1), drv.ReadConfig(8, 4); size != 1 || payload != 0x07 {
		t.Errorf("size %d, payload %#x", size, payload)
	}
}

// rig puts a device behind the test driver and a Router.
type rig struct {
	t   *testing.T
	d   *Device
	drv *virtiotest.Driver
	r   *ev.Router
}

func newRig(t *testing.T, k Kind, o Options) *rig {
	r := ev.NewRouter(nil)
	if o.LED == nil {
		o.LED = r.SetLED
	}
	d := New(k, o)
	switch k {
	case Keyboard:
		r.AddKeyboard(d)
	case Mouse:
		r.AddMouse(d)
	case Tablet:
		r.AddTablet(d)
	}
	return &rig{t: t, d: d, drv: virtiotest.New(t, d, virtiotest.Options{}), r: r}
}

// give offers n 8-byte eventq buffers and returns their addresses.
func (g *rig) give(n int) []uint64 {
	var addrs []uint64
	for range n {
		_, a := g.drv.Offer(0, false, virtiotest.Buf{Write: true, Len: 8})
		addrs = append(addrs, a[0])
	}
	g.drv.Notify(0)
	return addrs
}

// events returns the events the device completed, in order.
func (g *rig) events(addrs []uint64) []ev.Event {
	g.t.Helper()
	var out []ev.Event
	for _, u := range g.drv.TakeUsed(0) {
		if u.Len != 8 {
			g.t.Fatalf("used length %d", u.Len)
		}
		// Buffers were offered in order from fresh descriptors, so the
		// used ring's order is theirs.
		b := g.drv.Mem(addrs[len(out)], 8)
		out = append(out, ev.Event{
			Type:  binary.LittleEndian.Uint16(b[0:]),
			Code:  binary.LittleEndian.Uint16(b[2:]),
			Value: int32(binary.LittleEndian.Uint32(b[4:])),
		})
	}
	return out
}

var syn = ev.Event{Type: ev.EvSyn, Code: ev.SynReport}

func TestKeyPress(t *testing.T) {
	g := newRig(t, Keyboard, Options{})
	addrs := g.give(8)
	rises := g.drv.IRQ.Rises
	g.r.Key(ev.KeyA, true)
	g.r.Key(ev.KeyA, false)
	g.r.Button(ev.BtnLeft, true) // not a keyboard's
	want := []ev.Event{{Type: ev.EvKey, Code: ev.KeyA, Value: 1}, syn, {Type: ev.EvKey, Code: ev.KeyA, Value: 0}, syn}
	if d := cmp.Diff(want, g.events(addrs)); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	if g.drv.IRQ.Rises == rises {
		t.Error("no interrupt")
	}
}

func TestTabletAbsolute(t *testing.T) {
	g := newRig(t, Tablet, Options{})
	addrs := g.give(16)
	g.r.Position(1000, 32767)
	g.r.Button(ev.BtnLeft, true)
	g.r.Wheel(-1, 3) // no horizontal wheel on QEMU's tablet
	g.r.Key(ev.KeyA, true)
	want := []ev.Event{
		{Type: ev.EvAbs, Code: ev.AbsX, Value: 1000}, {Type: ev.EvAbs, Code: ev.AbsY, Value: 32767}, syn,
		{Type: ev.EvKey, Code: ev.BtnLeft, Value: 1}, syn,
		{Type: ev.EvRel, Code: ev.RelWheel, Value: -1}, syn,
	}
	if d := cmp.Diff(want, g.events(addrs)); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

func TestMouseRelative(t *testing.T) {
	g := newRig(t, Mouse, Options{})
	addrs := g.give(16)
	g.r.Motion(5, -3)
	g.r.Wheel(2, 0)
	g.r.Button(ev.BtnSide, true)
	want := []ev.Event{
		{Type: ev.EvRel, Code: ev.RelX, Value: 5}, {Type: ev.EvRel, Code: ev.RelY, Value: -3}, syn,
		{Type: ev.EvRel, Code: ev.RelWheel, Value: 2}, syn,
		{Type: ev.EvKey, Code: ev.BtnSide, Value: 1}, syn,
	}
	if d := cmp.Diff(want, g.events(addrs)); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

func TestQueuesWithoutBuffers(t *testing.T) {
	g := newRig(t, Keyboard, Options{MaxPending: 5})
	g.r.Key(ev.KeyA, true)
	g.r.Key(ev.KeyB, true)
	g.r.Key(ev.KeyC, true) // 4 of 5 events wait: this report does not fit
	if g.d.Pending() != 4 || g.d.Dropped() != 1 {
		t.Fatalf("pending %d dropped %d", g.d.Pending(), g.d.Dropped())
	}
	addrs := g.give(3) // part of the queue
	addrs = append(addrs, g.give(3)...)
	want := []ev.Event{{Type: ev.EvKey, Code: ev.KeyA, Value: 1}, syn, {Type: ev.EvKey, Code: ev.KeyB, Value: 1}, syn}
	if d := cmp.Diff(want, g.events(addrs)); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	if g.d.Pending() != 0 {
		t.Errorf("pending %d", g.d.Pending())
	}
}

func TestDroppedBeforeDriverOK(t *testing.T) {
	d := New(Keyboard, Options{})
	virtiotest.New(t, d, virtiotest.Options{NoDriverOK: true})
	d.Send([]ev.Event{{Type: ev.EvKey, Code: ev.KeyA, Value: 1}})
	if d.Pending() != 0 {
		t.Errorf("pending %d before DRIVER_OK", d.Pending())
	}
}

func statusEvent(typ, code uint16, val uint32) []byte {
	b := make([]byte, 8)
	binary.LittleEndian.PutUint16(b[0:], typ)
	binary.LittleEndian.PutUint16(b[2:], code)
	binary.LittleEndian.PutUint32(b[4:], val)
	return b
}

func TestLEDStatus(t *testing.T) {
	g := newRig(t, Keyboard, Options{})
	var seen []ev.LEDs
	g.r.OnLEDs(func(l ev.LEDs) { seen = append(seen, l) })
	g.drv.Submit(1, false, virtiotest.Buf{Data: statusEvent(ev.EvLed, ev.LedCapsL, 1)})
	g.drv.Submit(1, true, virtiotest.Buf{Data: statusEvent(ev.EvLed, ev.LedNumL, 1)})
	g.drv.Submit(1, false, virtiotest.Buf{Data: statusEvent(ev.EvRep, 0, 250)}) // ignored
	g.drv.Submit(1, false, virtiotest.Buf{Data: statusEvent(ev.EvLed, ev.LedCapsL, 0)})
	used := g.drv.TakeUsed(1)
	if len(used) != 4 {
		t.Fatalf("%d status buffers used, want 4", len(used))
	}
	for _, u := range used {
		if u.Len != 0 {
			t.Errorf("status buffer used length %d", u.Len)
		}
	}
	want := []ev.LEDs{1 << ev.LedCapsL, 1<<ev.LedCapsL | 1<<ev.LedNumL, 1 << ev.LedNumL}
	if d := cmp.Diff(want, seen); d != "" {
		t.Errorf("LEDs (-want +got):\n%s", d)
	}
	if g.d.GuestErrors() != 0 {
		t.Errorf("%d guest errors", g.d.GuestErrors())
	}
}

func TestBadBuffers(t *testing.T) {
	g := newRig(t, Keyboard, Options{})
	// Too small an eventq buffer: completed empty, the event waits.
	g.drv.Submit(0, false, virtiotest.Buf{Write: true, Len: 4})
	g.r.Key(ev.KeyA, true)
	if u := g.drv.TakeUsed(0); len(u) != 1 || u[0].Len != 0 {
		t.Fatalf("used %v, want one empty", u)
	}
	if g.d.GuestErrors() != 1 || g.d.Pending() != 2 {
		t.Errorf("guest errors %d pending %d", g.d.GuestErrors(), g.d.Pending())
	}
	// A device-readable eventq buffer has no room either.
	g.drv.Submit(0, false, virtiotest.Buf{Data: make([]byte, 8)})
	if g.d.GuestErrors() != 2 {
		t.Errorf("guest errors %d after a readable eventq buffer", g.d.GuestErrors())
	}
	g.drv.TakeUsed(0)
	addrs := g.give(2)
	if d := cmp.Diff([]ev.Event{{Type: ev.EvKey, Code: ev.KeyA, Value: 1}, syn}, g.events(addrs)); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	// A short status buffer, and an LED the keyboard lacks.
	g.drv.Submit(1, false, virtiotest.Buf{Data: []byte{0x11, 0}})
	g.drv.Submit(1, false, virtiotest.Buf{Data: statusEvent(ev.EvLed, ev.LedKana, 1)})
	if u := g.drv.TakeUsed(1); len(u) != 2 {
		t.Errorf("status used %v", u)
	}
	if g.d.GuestErrors() != 4 || g.r.LEDs() != 0 {
		t.Errorf("guest errors %d, LEDs %#x", g.d.GuestErrors(), g.r.LEDs())
	}
	// A buffer outside RAM breaks the queue: DEVICE_NEEDS_RESET, no panic.
	g.drv.Submit(0, false, virtiotest.Buf{Write: true, Len: 8, Addr: 0x1000})
	g.r.Key(ev.KeyB, true)
	if g.drv.Read(0x070)&virtio.StatusDeviceNeedsReset == 0 {
		t.Error("device not in NEEDS_RESET after a buffer outside RAM")
	}
}

func TestState(t *testing.T) {
	g := newRig(t, Mouse, Options{})
	g.r.Motion(1, 2)
	g.drv.Bus.Write(virtiotest.MMIOBase+0x100, 1, CfgEvBits)
	s := g.d.State()
	want := State{Version: StateVersion, Kind: Mouse, Select: CfgEvBits,
		Pending: []ev.Event{{Type: ev.EvRel, Code: ev.RelX, Value: 1}, {Type: ev.EvRel, Code: ev.RelY, Value: 2}, syn}}
	if d := cmp.Diff(want, s); d != "" {
		t.Fatalf("State (-want +got):\n%s", d)
	}

	// Restore into a second machine: transport first, then the device.
	g2 := newRig(t, Mouse, Options{})
	if err := g2.drv.Transport.Restore(g.drv.Transport.State()); err != nil {
		t.Fatal(err)
	}
	if err := g2.d.Restore(s); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(s, g2.d.State()); d != "" {
		t.Errorf("restored State (-want +got):\n%s", d)
	}
	addrs := g2.give(3)
	if d := cmp.Diff(want.Pending, g2.events(addrs)); d != "" {
		t.Errorf("restored events (-want +got):\n%s", d)
	}

	for name, bad := range map[string]State{
		"version":    {Version: 99, Kind: Mouse},
		"kind":       {Version: StateVersion, Kind: Keyboard},
		"event":      {Version: StateVersion, Kind: Mouse, Pending: []ev.Event{{Type: ev.EvKey, Code: ev.KeyA}, syn}},
		"no syn":     {Version: StateVersion, Kind: Mouse, Pending: []ev.Event{{Type: ev.EvRel, Code: ev.RelX}}},
		"too many":   {Version: StateVersion, Kind: Mouse, Pending: make([]ev.Event, DefaultMaxPending+1)},
		"bad syn":    {Version: StateVersion, Kind: Mouse, Pending: []ev.Event{{Type: ev.EvSyn, Code: 7}}},
		"wrong type": {Version: StateVersion, Kind: Mouse, Pending: []ev.Event{{Type: 0x1234}, syn}},
	} {
		if err := g2.d.Restore(bad); !errors.Is(err, ErrBadState) {
			t.Errorf("%s: Restore = %v, want ErrBadState", name, err)
		}
	}
}
