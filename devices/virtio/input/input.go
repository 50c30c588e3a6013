// Package input is the virtio input device (virtio 1.2 §5.8) in the three
// forms QEMU offers: virtio-keyboard-device, virtio-mouse-device and
// virtio-tablet-device, with QEMU's names, IDs and event bitmaps so that
// a guest sees the same device under Mimic as under QEMU.
//
// Queues: eventq (0) carries events to the driver, one 8-byte
// virtio_input_event per device-writable buffer; statusq (1) carries
// events from the driver (keyboard LEDs), one per device-readable buffer.
// The configuration space is a window (select, subsel, size, then 128
// bytes) through which the driver asks for the name, serial, IDs and the
// bitmaps of event codes the device can send (§5.8.5).
//
// The device is an input.Sink: the board registers it with an
// input.Router, which calls Send with one report at a time; the device
// appends SYN_REPORT and queues the events until the driver has buffers
// for them. At most MaxPending events wait; a report that does not fit
// is dropped whole (a guest that stopped reading its keyboard loses
// keys, but never half a report).
//
// Deliberate deviations from QEMU, all marked (Mimic):
//   - QEMU hands a report to the guest only when there are buffers for
//     all of it and otherwise drops it at once; Mimic queues it and
//     delivers as buffers arrive.
//   - An eventq buffer too small for an event, or a statusq buffer
//     shorter than one, is completed empty with a guest-error line rather
//     than read or written in part.
//   - The keyboard advertises the keys Mimic can send (package
//     devices/input's KeyboardKeys), not QEMU's qcode table; both cover
//     a full PC keyboard and its media keys.
package input

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"

	ev "mimic/devices/input"
	"mimic/devices/virtio"
)

// Kind is which of QEMU's virtio input devices a Device is.
type Kind int

// The device kinds.
const (
	Keyboard Kind = iota + 1 // virtio-keyboard-device
	Mouse                    // virtio-mouse-device
	Tablet                   // virtio-tablet-device
)

func (k Kind) String() string {
	switch k {
	case Keyboard:
		return "virtio-keyboard-device"
	case Mouse:
		return "virtio-mouse-device"
	case Tablet:
		return "virtio-tablet-device"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Configuration selectors (§5.8.5, enum virtio_input_config_select).
const (
	CfgUnset    = 0x00
	CfgIDName   = 0x01
	CfgIDSerial = 0x02
	CfgIDDevids = 0x03
	CfgPropBits = 0x10
	CfgEvBits   = 0x11
	CfgAbsInfo  = 0x12
)

// Configuration space layout (struct virtio_input_config).
const (
	cfgSelect = 0
	cfgSubsel = 1
	cfgSize   = 2
	cfgU      = 8
	// ConfigSize is the size of the configuration space.
	ConfigSize = cfgU + 128
)

// IDs QEMU reports (hw/input/virtio-input-hid.c): bus BUS_VIRTUAL, the
// vendor ID QEMU uses for its USB HID devices, one product per kind.
const (
	BusVirtual = 0x06
	VendorQEMU = 0x0627
)

// QueueSize is the size of both queues, QEMU's.
const QueueSize = 64

// DefaultMaxPending is how many events wait for driver buffers by
// default: a few hundred reports, seconds of fast typing.
const DefaultMaxPending = 1024

// eventSize is sizeof(struct virtio_input_event).
const eventSize = 8

// Options configure a device.
type Options struct {
	// Serial is reported as ID_SERIAL; with none (QEMU's default) the
	// selector reads size 0.
	Serial string
	// LED receives the LED events the driver sends on statusq
	// (input.Router.SetLED), on the machine's goroutine. Nil ignores them.
	LED func(code uint16, on bool)
	// MaxPending bounds the events that wait for driver buffers;
	// 0 means DefaultMaxPending.
	MaxPending int
}

// Device is one virtio input device. Create it with New.
type Device struct {
	kind       Kind
	cfg        map[uint16][]byte // select<<8 | subsel -> payload
	led        func(code uint16, on bool)
	maxPending int

	sel, subsel uint8
	evq, stq    *virtio.Queue
	active      bool
	pending     []ev.Event

	dropped     uint64
	warnedDrop  bool
	guestErrors uint64
}

var (
	_ virtio.Device = (*Device)(nil)
	_ ev.Sink       = (*Device)(nil)
)

// New returns a device of kind k. It panics on an unknown kind (a board
// bug).
func New(k Kind, o Options) *Device {
	d := &Device{kind: k, cfg: map[uint16][]byte{}, led: o.LED, maxPending: o.MaxPending}
	if d.maxPending <= 0 {
		d.maxPending = DefaultMaxPending
	}
	buttons := bitmap(ev.BtnLeft, ev.BtnRight, ev.BtnMiddle, ev.BtnSide, ev.BtnExtra,
		ev.BtnTouch, ev.BtnGearDown, ev.BtnGearUp)
	wheel := bitmap(ev.RelWheel)
	var name string
	var product, version uint16
	switch k {
	case Keyboard:
		name, product, version = "QEMU Virtio Keyboard", 1, 1
		d.set(CfgEvBits, ev.EvKey, bitmap(ev.KeyboardKeys()...))
		// EV_REP with an empty bitmap: the guest repeats keys itself.
		d.set(CfgEvBits, ev.EvRep, []byte{0})
		d.set(CfgEvBits, ev.EvLed, bitmap(ev.LedNumL, ev.LedCapsL, ev.LedScrollL))
	case Mouse:
		name, product, version = "QEMU Virtio Mouse", 2, 2
		d.set(CfgEvBits, ev.EvKey, buttons)
		d.set(CfgEvBits, ev.EvRel, bitmap(ev.RelX, ev.RelY, ev.RelWheel))
	case Tablet:
		name, product, version = "QEMU Virtio Tablet", 3, 2
		d.set(CfgEvBits, ev.EvKey, buttons)
		d.set(CfgEvBits, ev.EvRel, wheel)
		d.set(CfgEvBits, ev.EvAbs, bitmap(ev.AbsX, ev.AbsY))
		for _, axis := range []uint8{ev.AbsX, ev.AbsY} {
			info := make([]byte, 20) // min, max, fuzz, flat, res
			binary.LittleEndian.PutUint32(info[4:], ev.PositionMax)
			d.set(CfgAbsInfo, axis, info)
		}
	default:
		panic(fmt.Sprintf("BUG: virtio-input: unknown kind %d", int(k)))
	}
	// QEMU counts the name's terminating NUL in its size (but not the
	// serial's); Linux copies either the same way.
	d.set(CfgIDName, 0, append([]byte(name), 0))
	if o.Serial != "" {
		s := []byte(o.Serial)
		if len(s) > 128 {
			s = s[:128]
		}
		d.set(CfgIDSerial, 0, s)
	}
	ids := make([]byte, 8)
	binary.LittleEndian.PutUint16(ids[0:], BusVirtual)
	binary.LittleEndian.PutUint16(ids[2:], VendorQEMU)
	binary.LittleEndian.PutUint16(ids[4:], product)
	binary.LittleEndian.PutUint16(ids[6:], version)
	d.set(CfgIDDevids, 0, ids)
	return d
}

func (d *Device) set(sel, subsel uint8, payload []byte) {
	d.cfg[uint16(sel)<<8|uint16(subsel)] = payload
}

// bitmap returns the smallest bitmap with the given bits set.
func bitmap(bits ...uint16) []byte {
	n := 0
	for _, b := range bits {
		n = max(n, int(b)/8+1)
	}
	m := make([]byte, n)
	for _, b := range bits {
		m[b/8] |= 1 << (b % 8)
	}
	return m
}

// Kind returns the device's kind.
func (d *Device) Kind() Kind { return d.kind }

// Dropped returns how many reports were dropped because MaxPending events
// were already waiting.
func (d *Device) Dropped() uint64 { return d.dropped }

// GuestErrors returns how many guest errors the device has seen.
func (d *Device) GuestErrors() uint64 { return d.guestErrors }

func (d *Device) guestError(msg string, args ...any) {
	d.guestErrors++
	slog.Warn("guest error: "+d.kind.String()+": "+msg, args...)
}

// Supports reports whether the device advertises events of type typ and
// code (SYN_REPORT always).
func (d *Device) Supports(typ, code uint16) bool {
	if typ == ev.EvSyn {
		return code == ev.SynReport
	}
	if typ > 0xff {
		return false
	}
	m := d.cfg[uint16(CfgEvBits)<<8|typ]
	return int(code/8) < len(m) && m[code/8]&(1<<(code%8)) != 0
}

// ID implements virtio.Device.
func (d *Device) ID() uint32 { return virtio.IDInput }

// Features implements virtio.Device: no feature bits of its own (§5.8.3).
func (d *Device) Features() uint64 {
	return virtio.FIndirectDesc | virtio.FEventIdx | virtio.FVersion1
}

// QueueSizes implements virtio.Device.
func (d *Device) QueueSizes() []int { return []int{QueueSize, QueueSize} }

// configByte returns byte i of the configuration space as the current
// select and subsel show it: a selector the device does not know reads
// size 0 and a zero payload (§5.8.5.2).
func (d *Device) configByte(i uint64) byte {
	switch {
	case i == cfgSelect:
		return d.sel
	case i == cfgSubsel:
		return d.subsel
	}
	payload := d.cfg[uint16(d.sel)<<8|uint16(d.subsel)]
	switch {
	case i == cfgSize:
		return byte(len(payload))
	case i >= cfgU && i-cfgU < uint64(len(payload)):
		return payload[i-cfgU]
	}
	return 0
}

// ReadConfig implements virtio.Device.
func (d *Device) ReadConfig(off uint64, size int) uint64 {
	if off >= ConfigSize || uint64(size) > ConfigSize-off {
		d.guestError("config read out of range", "offset", off, "size", size)
		return 0
	}
	var v uint64
	for i := size - 1; i >= 0; i-- {
		v = v<<8 | uint64(d.configByte(off+uint64(i)))
	}
	return v
}

// WriteConfig implements virtio.Device: only select and subsel are
// writable.
func (d *Device) WriteConfig(off uint64, size int, val uint64) {
	for i := range uint64(size) {
		b := uint8(val >> (8 * i))
		switch off + i {
		case cfgSelect:
			d.sel = b
		case cfgSubsel:
			d.subsel = b
		default:
			d.guestError("write to read-only config byte", "offset", off+i)
			return
		}
	}
}

// Activate implements virtio.Device.
func (d *Device) Activate(_ virtio.Transport, _ uint64, qs []*virtio.Queue) {
	d.evq, d.stq, d.active = qs[0], qs[1], true
	d.flush()
	d.Notify(1)
}

// Reset implements virtio.Device: the driver starts afresh, so events
// not yet delivered are dropped.
func (d *Device) Reset() {
	d.evq, d.stq, d.active = nil, nil, false
	d.pending = d.pending[:0]
	d.sel, d.subsel = 0, 0
}

// Notify implements virtio.Device.
func (d *Device) Notify(q int) {
	if !d.active {
		return
	}
	switch q {
	case 0:
		d.flush()
	case 1:
		d.status()
	}
}

// Send implements input.Sink: queue one report, closed by SYN_REPORT,
// and deliver what the driver has buffers for. Events the device does
// not advertise are left out; so is a report with nothing left. Before
// the driver is ready, reports are dropped (as QEMU's are).
func (d *Device) Send(events []ev.Event) {
	if !d.active {
		return
	}
	n := 0
	for _, e := range events {
		if e.Type != ev.EvSyn && d.Supports(e.Type, e.Code) {
			n++
		}
	}
	if n == 0 {
		return
	}
	if len(d.pending)+n+1 > d.maxPending {
		d.dropped++
		if !d.warnedDrop {
			d.warnedDrop = true
			slog.Warn(d.kind.String()+": the guest is not reading events; reports dropped", "pending", len(d.pending))
		}
		return
	}
	for _, e := range events {
		if e.Type != ev.EvSyn && d.Supports(e.Type, e.Code) {
			d.pending = append(d.pending, e)
		}
	}
	d.pending = append(d.pending, ev.Event{Type: ev.EvSyn, Code: ev.SynReport})
	d.flush()
}

// Pending returns how many events wait for driver buffers.
func (d *Device) Pending() int { return len(d.pending) }

// flush writes waiting events into eventq buffers, one event each.
func (d *Device) flush() {
	if !d.active || len(d.pending) == 0 {
		return
	}
	done, pushed := 0, false
	var raw [eventSize]byte
	for done < len(d.pending) {
		c, ok := d.evq.Pop()
		if !ok {
			break
		}
		pushed = true
		w := c.Writer()
		if w.Len() < eventSize {
			d.guestError("eventq buffer too small for an event", "head", c.Head, "len", w.Len())
			d.evq.Push(c, 0)
			continue
		}
		e := d.pending[done]
		binary.LittleEndian.PutUint16(raw[0:], e.Type)
		binary.LittleEndian.PutUint16(raw[2:], e.Code)
		binary.LittleEndian.PutUint32(raw[4:], uint32(e.Value))
		if _, err := w.Write(raw[:]); err != nil {
			d.evq.Fail(err)
			return
		}
		d.evq.Push(c, w.Written())
		done++
	}
	d.pending = append(d.pending[:0], d.pending[done:]...)
	if done > 0 {
		d.warnedDrop = false
	}
	if pushed {
		d.evq.Signal()
	}
}

// status consumes the driver's statusq buffers (§5.8.6.2): LED changes
// go to the LED callback; other event types (EV_REP, which Linux passes
// on when its repeat rate is set) are accepted and ignored.
func (d *Device) status() {
	pushed := false
	var raw [eventSize]byte
	for {
		c, ok := d.stq.Pop()
		if !ok {
			break
		}
		pushed = true
		r := c.Reader()
		if r.Len() < eventSize {
			d.guestError("statusq buffer shorter than an event", "head", c.Head, "len", r.Len())
			d.stq.Push(c, 0)
			continue
		}
		if _, err := r.Read(raw[:]); err != nil {
			d.stq.Fail(err)
			return
		}
		typ := binary.LittleEndian.Uint16(raw[0:])
		code := binary.LittleEndian.Uint16(raw[2:])
		val := binary.LittleEndian.Uint32(raw[4:])
		switch {
		case typ == ev.EvLed && d.Supports(typ, code):
			if d.led != nil {
				d.led(code, val != 0)
			}
		case typ == ev.EvLed:
			d.guestError("status event for an LED the device lacks", "code", code)
		default:
			slog.Debug(d.kind.String()+": status event ignored", "type", typ, "code", code, "value", val)
		}
		d.stq.Push(c, 0)
	}
	if pushed {
		d.stq.Signal()
	}
}

// StateVersion is the version of State this package writes.
const StateVersion = 1

// State is the device's own state beyond its transport: the selector the
// driver wrote and the events still waiting for buffers.
type State struct {
	Version     int
	Kind        Kind
	Select      uint8
	Subsel      uint8
	Pending     []ev.Event
	Dropped     uint64
	GuestErrors uint64
}

// State returns a snapshot of the device.
func (d *Device) State() State {
	return State{
		Version: StateVersion, Kind: d.kind,
		Select: d.sel, Subsel: d.subsel,
		Pending: append([]ev.Event(nil), d.pending...),
		Dropped: d.dropped, GuestErrors: d.guestErrors,
	}
}

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("virtio-input: bad state")

// Restore replaces the device's state with s after checking it; call it
// after the transport's Restore, which resets and (re)activates the
// device. Waiting events are delivered at once if the driver has
// buffers. On error the device is unchanged.
func (d *Device) Restore(s State) error {
	switch {
	case s.Version != StateVersion:
		return fmt.Errorf("%w: version %d, want %d", ErrBadState, s.Version, StateVersion)
	case s.Kind != d.kind:
		return fmt.Errorf("%w: state of a %v, this is a %v", ErrBadState, s.Kind, d.kind)
	case len(s.Pending) > d.maxPending:
		return fmt.Errorf("%w: %d pending events, at most %d", ErrBadState, len(s.Pending), d.maxPending)
	}
	for i, e := range s.Pending {
		if !d.Supports(e.Type, e.Code) {
			return fmt.Errorf("%w: pending event %d (type %d code %d) is not one this device sends", ErrBadState, i, e.Type, e.Code)
		}
	}
	if n := len(s.Pending); n > 0 && s.Pending[n-1] != (ev.Event{Type: ev.EvSyn, Code: ev.SynReport}) {
		return fmt.Errorf("%w: pending events do not end with SYN_REPORT", ErrBadState)
	}
	d.sel, d.subsel = s.Select, s.Subsel
	d.pending = append(d.pending[:0], s.Pending...)
	d.dropped, d.guestErrors = s.Dropped, s.GuestErrors
	d.flush()
	return nil
}
