// Package gpu is the virtio GPU device in 2D mode (virtio 1.2 §5.7),
// QEMU's virtio-gpu-device without virgl: the guest creates resources
// (host-side pixel buffers), backs them with guest pages, copies from
// the pages into a resource (TRANSFER_TO_HOST_2D), shows a resource on
// a scanout (SET_SCANOUT) and says which part changed (RESOURCE_FLUSH).
// Each scanout is a display.Console the frontend shows.
//
// Interface: a virtio device (ID 16) with two queues, controlq (256
// entries) and cursorq (16), and a 16-byte configuration space
// (events_read, events_clear, num_scanouts, num_capsets = 0). Feature
// offered: VIRTIO_GPU_F_EDID (unless Options.NoEDID), plus
// INDIRECT_DESC and EVENT_IDX.
//
// Commands are served synchronously when the driver kicks a queue, so a
// fence is complete when its response is written: the response echoes
// the request's fence flag, fence_id and ctx_id (§5.7.6.7).
//
// Guest errors (a bad resource ID, a rectangle outside its resource, a
// format the device does not know, a resource beyond the memory cap,
// backing outside RAM, an unknown command) complete the request with
// the VIRTIO_GPU_RESP_ERR_* QEMU gives and log one guest-error line;
// nothing the guest sends stops the device.
//
// Deliberate deviations from QEMU:
//   - At most maxResources resources, and backing entries count towards
//     the memory cap (16 bytes each), so a guest cannot grow host memory
//     with tiny resources or long scatter lists that QEMU accounts as
//     free.
//   - TRANSFER_TO_HOST_2D copies exactly the rows of its rectangle; QEMU
//     copies the whole resource when the rectangle starts at (0, 0), has
//     the full width and offset 0.
//   - A cursor may come from any resource up to 256x256 (QEMU: 64x64).
//   - A device reset clears events_read.
package gpu

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
	"log/slog"
	"math"
	"sort"

	"mimic/devices/display"
	"mimic/devices/virtio"
)

// Feature bits (§5.7.3).
const (
	FVirgl        = 1 << 0
	FEDID         = 1 << 1
	FResourceUUID = 1 << 2
	FResourceBlob = 1 << 3
	FContextInit  = 1 << 4
)

// Events (§5.7.4).
const EventDisplay = 1

// Command and response types (§5.7.6.7).
const (
	cmdGetDisplayInfo        = 0x0100
	cmdResourceCreate2D      = 0x0101
	cmdResourceUnref         = 0x0102
	cmdSetScanout            = 0x0103
	cmdResourceFlush         = 0x0104
	cmdTransferToHost2D      = 0x0105
	cmdResourceAttachBacking = 0x0106
	cmdResourceDetachBacking = 0x0107
	cmdGetEDID               = 0x010a
	cmdUpdateCursor          = 0x0300
	cmdMoveCursor            = 0x0301

	respOKNoData           = 0x1100
	respOKDisplayInfo      = 0x1101
	respOKEDID             = 0x1104
	respErrUnspec          = 0x1200
	respErrOutOfMemory     = 0x1201
	respErrInvalidScanout  = 0x1202
	respErrInvalidResource = 0x1203
	respErrInvalidParam    = 0x1205

	flagFence = 1
)

// Resource formats (§5.7.6.8), named by byte order in memory.
const (
	FormatB8G8R8A8 = 1
	FormatB8G8R8X8 = 2
	FormatA8R8G8B8 = 3
	FormatX8R8G8B8 = 4
	FormatR8G8B8A8 = 67
	FormatX8B8G8R8 = 68
	FormatA8B8G8R8 = 121
	FormatR8G8B8X8 = 134
)

// formats maps a virtio format to the DRM format of the same memory
// layout.
var formats = map[uint32]display.Format{
	FormatB8G8R8A8: display.ARGB8888,
	FormatB8G8R8X8: display.XRGB8888,
	FormatA8R8G8B8: display.BGRA8888,
	FormatX8R8G8B8: display.BGRX8888,
	FormatR8G8B8A8: display.ABGR8888,
	FormatX8B8G8R8: display.RGBX8888,
	FormatA8B8G8R8: display.RGBA8888,
	FormatR8G8B8X8: display.XBGR8888,
}

const (
	// MaxOutputs is the most scanouts the protocol describes
	// (VIRTIO_GPU_MAX_SCANOUTS).
	MaxOutputs = 16
	// DefaultMaxHostMem is QEMU's max_hostmem: the bytes all resources
	// may take together.
	DefaultMaxHostMem = 256 << 20
	// Queue sizes, QEMU's.
	controlQueueSize = 256
	cursorQueueSize  = 16

	hdrSize    = 24
	configSize = 16
	// maxEntries bounds one ATTACH_BACKING's scatter list (QEMU's
	// limit).
	maxEntries = 16384
	entrySize  = 16
	// maxResources bounds the number of live resources.
	maxResources = 1 << 16
	// maxCursor bounds a cursor's side.
	maxCursor = 256
	// minScanout is the smallest scanout QEMU accepts.
	minScanout = 16
	// maxHint bounds the preferred size reported to the guest.
	maxHint = 16384
)

// Options configure a device.
type Options struct {
	// XRes and YRes are output 0's preferred size at start (QEMU's xres
	// and yres); zero means 1280x800.
	XRes, YRes int
	// NoEDID withholds VIRTIO_GPU_F_EDID (QEMU's edid=off).
	NoEDID bool
	// MaxHostMem caps the bytes of all resources (zero:
	// DefaultMaxHostMem).
	MaxHostMem uint64
}

// MemEntry is one guest buffer of a resource's backing.
type MemEntry struct {
	Addr   uint64
	Length uint32
}

type resource struct {
	id, format    uint32
	width, height uint32
	dfmt          display.Format
	stride        int
	pix           []byte
	backing       []MemEntry
	ends          []uint64 // ends[i]: byte offset just past backing[i]
	// lentTo is the console whose surface pix is (shown whole, without
	// a copy: display.Console.SetSurface), or nil; pix is then written
	// only inside its Draw.
	lentTo *display.Console
}

func (r *resource) hostmem() uint64 {
	return uint64(len(r.pix)) + uint64(len(r.backing))*entrySize
}

// output is one scanout: the size the UI asks for, and what it shows.
type output struct {
	reqW, reqH uint32
	enabled    bool
	resID      uint32
	rect       rect
	lent       bool // the console's surface is the resource's pix
}

type rect struct{ x, y, w, h uint32 }

// within reports whether r lies inside a width x height resource.
func (r rect) within(width, height uint32) bool {
	return uint64(r.x)+uint64(r.w) <= uint64(width) && uint64(r.y)+uint64(r.h) <= uint64(height)
}

func (r rect) image() image.Rectangle {
	return image.Rect(int(r.x), int(r.y), int(r.x)+int(r.w), int(r.y)+int(r.h))
}

type cursorState struct {
	scanout, x, y     uint32
	resID, hotX, hotY uint32
}

// Device is one virtio-gpu device. Create it with New.
type Device struct {
	mem     virtio.Memory
	cons    []*display.Console
	maxMem  uint64
	offered uint64

	t          virtio.Transport
	ctrlq      *virtio.Queue
	cursorq    *virtio.Queue
	active     bool
	eventsRead uint32

	outputs   []output
	resources map[uint32]*resource
	hostmem   uint64
	cursor    cursorState

	req, resp   []byte
	guestErrors uint64
}

var _ virtio.Device = (*Device)(nil)

// New returns a GPU with one scanout per console (1 to MaxOutputs),
// reaching guest memory through mem. It registers for each console's
// size hint. Consoles are the board's; a bad count is a board bug and
// panics.
func New(mem virtio.Memory, cons []*display.Console, o Options) *Device {
	if len(cons) == 0 || len(cons) > MaxOutputs {
		panic(fmt.Sprintf("BUG: virtio-gpu: %d outputs", len(cons)))
	}
	if o.XRes <= 0 || o.YRes <= 0 {
		o.XRes, o.YRes = 1280, 800
	}
	if o.MaxHostMem == 0 {
		o.MaxHostMem = DefaultMaxHostMem
	}
	d := &Device{
		mem: mem, cons: cons, maxMem: o.MaxHostMem,
		offered:   virtio.FIndirectDesc | virtio.FEventIdx | virtio.FVersion1,
		outputs:   make([]output, len(cons)),
		resources: map[uint32]*resource{},
		req:       make([]byte, 64),
		resp:      make([]byte, hdrSize+8+1024),
	}
	if !o.NoEDID {
		d.offered |= FEDID
	}
	d.outputs[0].reqW, d.outputs[0].reqH, d.outputs[0].enabled = uint32(o.XRes), uint32(o.YRes), true
	for i, c := range cons {
		c.OnSizeHint(func(w, h int) { d.sizeHint(i, w, h) })
		if w, h := c.SizeHint(); w > 0 && h > 0 {
			// The window was sized before the device existed.
			d.outputs[i].reqW, d.outputs[i].reqH, d.outputs[i].enabled = uint32(min(w, maxHint)), uint32(min(h, maxHint)), true
		}
	}
	return d
}

// GuestErrors returns how many guest errors the device has seen.
func (d *Device) GuestErrors() uint64 { return d.guestErrors }

func (d *Device) guestError(msg string, args ...any) {
	d.guestErrors++
	slog.Warn("guest error: virtio-gpu: "+msg, args...)
}

// ID implements virtio.Device.
func (d *Device) ID() uint32 { return virtio.IDGPU }

// Features implements virtio.Device.
func (d *Device) Features() uint64 { return d.offered }

// QueueSizes implements virtio.Device.
func (d *Device) QueueSizes() []int { return []int{controlQueueSize, cursorQueueSize} }

// ReadConfig implements virtio.Device (§5.7.4).
func (d *Device) ReadConfig(off uint64, size int) uint64 {
	var cfg [configSize]byte
	binary.LittleEndian.PutUint32(cfg[0:], d.eventsRead)
	binary.LittleEndian.PutUint32(cfg[8:], uint32(len(d.outputs)))
	if off >= configSize || off+uint64(size) > configSize {
		d.guestError("config read out of range", "offset", off, "size", size)
		return 0
	}
	var v uint64
	for i := size - 1; i >= 0; i-- {
		v = v<<8 | uint64(cfg[off+uint64(i)])
	}
	return v
}

// WriteConfig implements virtio.Device: only events_clear is writable; a
// bit written there clears the bit in events_read.
func (d *Device) WriteConfig(off uint64, size int, val uint64) {
	if off < 4 || off+uint64(size) > 8 {
		d.guestError("write to read-only config field", "offset", off, "size", size)
		return
	}
	d.eventsRead &^= uint32(val << (8 * (off - 4)))
}

// Activate implements virtio.Device.
func (d *Device) Activate(t virtio.Transport, _ uint64, qs []*virtio.Queue) {
	d.t, d.ctrlq, d.cursorq, d.active = t, qs[0], qs[1], true
	d.Notify(0)
	d.Notify(1)
}

// Reset implements virtio.Device: every resource is freed and every
// scanout disabled.
func (d *Device) Reset() {
	d.t, d.ctrlq, d.cursorq, d.active = nil, nil, nil, false
	d.eventsRead = 0
	d.resources = map[uint32]*resource{}
	d.hostmem = 0
	for i := range d.outputs {
		d.disableScanout(i)
	}
	if d.cursor != (cursorState{}) {
		d.cons[d.cursor.scanout].SetCursor(nil, 0, 0)
		d.cons[d.cursor.scanout].MoveCursor(0, 0, false)
	}
	d.cursor = cursorState{}
}

// sizeHint is a console's size hint (on the machine's goroutine): the
// output's preferred size changes and the driver is told
// (VIRTIO_GPU_EVENT_DISPLAY); it then asks GET_DISPLAY_INFO again.
func (d *Device) sizeHint(i, w, h int) {
	o := &d.outputs[i]
	w, h = min(w, maxHint), min(h, maxHint)
	o.reqW, o.reqH = uint32(w), uint32(h)
	o.enabled = w > 0 && h > 0
	d.eventsRead |= EventDisplay
	if d.active {
		d.t.ConfigChanged()
	}
}

// Notify implements virtio.Device.
func (d *Device) Notify(q int) {
	if !d.active || q > 1 {
		return
	}
	vq := d.ctrlq
	if q == 1 {
		vq = d.cursorq
	}
	for {
		c, ok := vq.Pop()
		if !ok {
			break
		}
		var n uint32
		if q == 1 {
			d.cursorCommand(&c)
		} else {
			n = d.command(&c)
		}
		vq.Push(c, n)
	}
	vq.Signal()
}

// hdr is a request's virtio_gpu_ctrl_hdr.
type hdr struct {
	typ, flags uint32
	fenceID    uint64
	ctxID      uint32
	ringIdx    uint8
}

func parseHdr(b []byte) hdr {
	le := binary.LittleEndian
	return hdr{typ: le.Uint32(b), flags: le.Uint32(b[4:]), fenceID: le.Uint64(b[8:]), ctxID: le.Uint32(b[16:]), ringIdx: b[20]}
}

// bodySize is the request size beyond the header of each command.
var bodySize = map[uint32]int{
	cmdGetDisplayInfo:        0,
	cmdResourceCreate2D:      16,
	cmdResourceUnref:         8,
	cmdSetScanout:            24,
	cmdResourceFlush:         24,
	cmdTransferToHost2D:      32,
	cmdResourceAttachBacking: 8,
	cmdResourceDetachBacking: 8,
	cmdGetEDID:               8,
}

// command serves one controlq request and returns the response length.
func (d *Device) command(c *virtio.Chain) uint32 {
	r, w := c.Reader(), c.Writer()
	req := d.req[:hdrSize]
	if _, err := io.ReadFull(&r, req); err != nil {
		d.guestError("request shorter than its header", "bytes", len(req))
		return d.respond(&w, hdr{}, respErrUnspec, nil)
	}
	h := parseHdr(req)
	n, known := bodySize[h.typ]
	if !known {
		d.guestError("unknown command", "type", fmt.Sprintf("%#x", h.typ))
		return d.respond(&w, h, respErrUnspec, nil)
	}
	body := d.req[hdrSize : hdrSize+n]
	if _, err := io.ReadFull(&r, body); err != nil {
		d.guestError("command shorter than its structure", "type", fmt.Sprintf("%#x", h.typ))
		return d.respond(&w, h, respErrUnspec, nil)
	}
	le := binary.LittleEndian
	u32 := func(off int) uint32 { return le.Uint32(body[off:]) }
	rectAt := func(off int) rect { return rect{u32(off), u32(off + 4), u32(off + 8), u32(off + 12)} }
	switch h.typ {
	case cmdGetDisplayInfo:
		return d.respond(&w, h, respOKDisplayInfo, d.displayInfo())
	case cmdGetEDID:
		scanout := u32(0)
		if scanout >= uint32(len(d.outputs)) {
			d.guestError("GET_EDID of a missing scanout", "scanout", scanout)
			return d.respond(&w, h, respErrInvalidParam, nil)
		}
		if d.offered&FEDID == 0 {
			d.guestError("GET_EDID without VIRTIO_GPU_F_EDID")
			return d.respond(&w, h, respErrUnspec, nil)
		}
		o := d.outputs[scanout]
		ew, eh := o.reqW, o.reqH
		if ew == 0 || eh == 0 {
			ew, eh = 1280, 800
		}
		p := make([]byte, 8+1024)
		le.PutUint32(p, edidSize)
		copy(p[8:], makeEDID(ew, eh, scanout))
		return d.respond(&w, h, respOKEDID, p)
	case cmdResourceCreate2D:
		return d.respond(&w, h, d.create2D(u32(0), u32(4), u32(8), u32(12)), nil)
	case cmdResourceUnref:
		return d.respond(&w, h, d.unref(u32(0)), nil)
	case cmdSetScanout:
		return d.respond(&w, h, d.setScanout(u32(16), u32(20), rectAt(0)), nil)
	case cmdResourceFlush:
		return d.respond(&w, h, d.flush(u32(16), rectAt(0)), nil)
	case cmdTransferToHost2D:
		return d.respond(&w, h, d.transfer(u32(24), rectAt(0), le.Uint64(body[16:])), nil)
	case cmdResourceAttachBacking:
		return d.respond(&w, h, d.attach(u32(0), u32(4), &r), nil)
	case cmdResourceDetachBacking:
		return d.respond(&w, h, d.detach(u32(0)), nil)
	}
	panic("BUG: virtio-gpu: command in bodySize without a case")
}

// respond writes a response header of type typ (echoing the fence) and
// payload, as much as the driver's buffers hold, and returns its length.
func (d *Device) respond(w *virtio.Writer, req hdr, typ uint32, payload []byte) uint32 {
	b := d.resp[:hdrSize]
	clear(b)
	le := binary.LittleEndian
	le.PutUint32(b, typ)
	if req.flags&flagFence != 0 {
		le.PutUint32(b[4:], flagFence)
		le.PutUint64(b[8:], req.fenceID)
		le.PutUint32(b[16:], req.ctxID)
	}
	b = append(b, payload...)
	if _, err := w.Write(b); err != nil {
		d.guestError("response buffer too small", "need", len(b), "err", err)
	}
	return w.Written()
}

// displayInfo is the payload of OK_DISPLAY_INFO: 16 pmodes.
func (d *Device) displayInfo() []byte {
	p := make([]byte, MaxOutputs*24)
	for i, o := range d.outputs {
		if !o.enabled {
			continue
		}
		e := p[24*i:]
		binary.LittleEndian.PutUint32(e[8:], o.reqW)
		binary.LittleEndian.PutUint32(e[12:], o.reqH)
		binary.LittleEndian.PutUint32(e[16:], 1)
	}
	return p
}

// lookup returns resource id, or an error response (with one log line).
func (d *Device) lookup(cmd string, id uint32, needBacking bool) (*resource, uint32) {
	res := d.resources[id]
	if res == nil {
		d.guestError(cmd+" of an unknown resource", "resource", id)
		return nil, respErrInvalidResource
	}
	if needBacking && res.backing == nil {
		d.guestError(cmd+" of a resource without backing", "resource", id)
		return nil, respErrUnspec
	}
	return res, 0
}

func (d *Device) create2D(id, format, width, height uint32) uint32 {
	if id == 0 || d.resources[id] != nil {
		d.guestError("RESOURCE_CREATE_2D with a bad or used ID", "resource", id)
		return respErrInvalidResource
	}
	dfmt, ok := formats[format]
	if !ok {
		d.guestError("RESOURCE_CREATE_2D with an unknown format", "format", format)
		return respErrInvalidParam
	}
	if width == 0 || height == 0 {
		d.guestError("RESOURCE_CREATE_2D of an empty resource", "width", width, "height", height)
		return respErrInvalidParam
	}
	size := uint64(width) * uint64(height) * 4
	if size > d.maxMem-d.hostmem || len(d.resources) >= maxResources {
		d.guestError("RESOURCE_CREATE_2D beyond the memory cap", "resource", id, "bytes", size,
			"used", d.hostmem, "cap", d.maxMem)
		return respErrOutOfMemory
	}
	res := &resource{id: id, format: format, width: width, height: height, dfmt: dfmt,
		stride: int(width) * 4, pix: make([]byte, size)}
	d.resources[id] = res
	d.hostmem += res.hostmem()
	return respOKNoData
}

func (d *Device) unref(id uint32) uint32 {
	res, e := d.lookup("RESOURCE_UNREF", id, false)
	if res == nil {
		return e
	}
	d.destroy(res)
	return respOKNoData
}

// destroy frees res, disabling the scanouts that show it (QEMU does too).
func (d *Device) destroy(res *resource) {
	for i := range d.outputs {
		if d.outputs[i].resID == res.id {
			d.disableScanout(i)
		}
	}
	d.hostmem -= res.hostmem()
	delete(d.resources, res.id)
}

func (d *Device) disableScanout(i int) {
	d.release(i)
	d.outputs[i].resID, d.outputs[i].rect = 0, rect{}
	d.cons[i].SetMode(display.Mode{})
}

// release ends the loan of output i's resource to its console, if any;
// the caller replaces the console's surface next.
func (d *Device) release(i int) {
	o := &d.outputs[i]
	if !o.lent {
		return
	}
	o.lent = false
	if res := d.resources[o.resID]; res != nil && res.lentTo == d.cons[i] {
		res.lentTo = nil
	}
}

func (d *Device) setScanout(scanout, id uint32, r rect) uint32 {
	if scanout >= uint32(len(d.outputs)) {
		d.guestError("SET_SCANOUT of a missing scanout", "scanout", scanout)
		return respErrInvalidScanout
	}
	if id == 0 {
		d.disableScanout(int(scanout))
		return respOKNoData
	}
	res, e := d.lookup("SET_SCANOUT", id, true)
	if res == nil {
		return e
	}
	if r.w < minScanout || r.h < minScanout || !r.within(res.width, res.height) ||
		uint64(r.w)*uint64(r.h)*4 > display.MaxSurfaceBytes {
		d.guestError("SET_SCANOUT rectangle outside its resource", "resource", id,
			"rect", r, "width", res.width, "height", res.height)
		return respErrInvalidParam
	}
	d.release(int(scanout))
	o := &d.outputs[scanout]
	o.resID, o.rect = id, r
	d.show(int(scanout), res)
	return respOKNoData
}

// show puts res's part that scanout i shows on its console. A resource
// shown whole becomes the console's surface without a copy (one console
// at a time), so that a flush costs no copy either.
func (d *Device) show(i int, res *resource) {
	o := &d.outputs[i]
	r := o.rect
	c := d.cons[i]
	m := display.Mode{Width: int(r.w), Height: int(r.h), Format: res.dfmt}
	if r == (rect{0, 0, res.width, res.height}) && res.lentTo == nil {
		res.lentTo, o.lent = c, true
		c.SetSurface(m, res.pix)
		return
	}
	c.SetMode(m)
	c.Update(image.Rect(0, 0, int(r.w), int(r.h)), res.pix[int(r.y)*res.stride+int(r.x)*4:], res.stride)
}

func (d *Device) flush(id uint32, r rect) uint32 {
	res, e := d.lookup("RESOURCE_FLUSH", id, false)
	if res == nil {
		return e
	}
	if !r.within(res.width, res.height) {
		d.guestError("RESOURCE_FLUSH rectangle outside its resource", "resource", id, "rect", r)
		return respErrInvalidParam
	}
	for i, o := range d.outputs {
		if o.resID != id {
			continue
		}
		dr := r.image().Intersect(o.rect.image())
		if dr.Empty() {
			continue
		}
		if o.lent {
			d.cons[i].Invalidate(dr) // the pixels are there already
			continue
		}
		src := res.pix[dr.Min.Y*res.stride+dr.Min.X*4:]
		d.cons[i].Update(dr.Sub(image.Pt(int(o.rect.x), int(o.rect.y))), src, res.stride)
	}
	return respOKNoData
}

func (d *Device) transfer(id uint32, r rect, offset uint64) uint32 {
	res, e := d.lookup("TRANSFER_TO_HOST_2D", id, true)
	if res == nil {
		return e
	}
	if !r.within(res.width, res.height) {
		d.guestError("TRANSFER_TO_HOST_2D rectangle outside its resource", "resource", id, "rect", r)
		return respErrInvalidParam
	}
	if c := res.lentTo; c != nil {
		// The console's surface: written under its lock.
		var e uint32
		c.Draw(func() { e = d.copyIn(res, r, offset) })
		return e
	}
	return d.copyIn(res, r, offset)
}

// copyIn copies rectangle r of res's backing, from offset, into its
// pixels.
func (d *Device) copyIn(res *resource, r rect, offset uint64) uint32 {
	stride := uint64(res.stride)
	rowLen := int(r.w) * 4
	if r.x == 0 && r.w == res.width {
		// Whole rows: one contiguous run on both sides.
		dst := res.pix[int(r.y)*res.stride : int(r.y+r.h)*res.stride]
		if !d.gather(res, offset, dst) {
			return respErrUnspec
		}
		return respOKNoData
	}
	for row := uint64(0); row < uint64(r.h); row++ {
		if offset > math.MaxUint64-stride*row {
			break // the rest lies beyond any backing
		}
		dst := res.pix[(uint64(r.y)+row)*stride+uint64(r.x)*4:][:rowLen]
		if !d.gather(res, offset+stride*row, dst) {
			return respErrUnspec
		}
	}
	return respOKNoData
}

// gather copies the backing's bytes from offset into dst, as far as the
// backing reaches (a short backing leaves the rest of dst as it was, as
// QEMU's iov_to_buf does). It returns false, with a log line, if a
// backing entry has left RAM.
func (d *Device) gather(res *resource, offset uint64, dst []byte) bool {
	if len(res.ends) == 0 || offset >= res.ends[len(res.ends)-1] {
		return true
	}
	i := sort.Search(len(res.ends), func(i int) bool { return res.ends[i] > offset })
	for ; i < len(res.backing) && len(dst) > 0; i++ {
		e := res.backing[i]
		start := res.ends[i] - uint64(e.Length)
		skip := offset - start
		n := min(uint64(e.Length)-skip, uint64(len(dst)))
		src, err := d.mem.DMA(e.Addr+skip, int(n), false)
		if err != nil {
			d.guestError("resource backing left RAM", "resource", res.id, "addr", fmt.Sprintf("%#x", e.Addr))
			return false
		}
		copy(dst, src)
		dst = dst[n:]
		offset += n
	}
	return true
}

func (d *Device) attach(id, nr uint32, r *virtio.Reader) uint32 {
	res, e := d.lookup("RESOURCE_ATTACH_BACKING", id, false)
	if res == nil {
		return e
	}
	if res.backing != nil {
		d.guestError("RESOURCE_ATTACH_BACKING to a resource with backing", "resource", id)
		return respErrUnspec
	}
	if nr > maxEntries {
		d.guestError("RESOURCE_ATTACH_BACKING with too many entries", "resource", id, "entries", nr)
		return respErrUnspec
	}
	if extra := uint64(nr) * entrySize; extra > d.maxMem-d.hostmem {
		d.guestError("RESOURCE_ATTACH_BACKING beyond the memory cap", "resource", id, "entries", nr)
		return respErrOutOfMemory
	}
	backing := make([]MemEntry, 0, nr)
	ends := make([]uint64, 0, nr)
	var total uint64
	var raw [entrySize]byte
	for i := uint32(0); i < nr; i++ {
		if _, err := io.ReadFull(r, raw[:]); err != nil {
			d.guestError("RESOURCE_ATTACH_BACKING shorter than its entries", "resource", id, "entries", nr)
			return respErrUnspec
		}
		me := MemEntry{Addr: binary.LittleEndian.Uint64(raw[:]), Length: binary.LittleEndian.Uint32(raw[8:])}
		if _, err := d.mem.DMA(me.Addr, int(me.Length), false); err != nil {
			d.guestError("RESOURCE_ATTACH_BACKING entry outside RAM", "resource", id,
				"addr", fmt.Sprintf("%#x", me.Addr), "length", me.Length)
			return respErrUnspec
		}
		total += uint64(me.Length)
		backing = append(backing, me)
		ends = append(ends, total)
	}
	d.hostmem -= res.hostmem()
	res.backing, res.ends = backing, ends
	d.hostmem += res.hostmem()
	return respOKNoData
}

func (d *Device) detach(id uint32) uint32 {
	res, e := d.lookup("RESOURCE_DETACH_BACKING", id, true)
	if res == nil {
		return e
	}
	d.hostmem -= res.hostmem()
	res.backing, res.ends = nil, nil
	d.hostmem += res.hostmem()
	return respOKNoData
}

// cursorCommand serves one cursorq request (§5.7.6.10); cursor requests
// have no response.
func (d *Device) cursorCommand(c *virtio.Chain) {
	r := c.Reader()
	req := d.req[:hdrSize+32]
	if _, err := io.ReadFull(&r, req); err != nil {
		d.guestError("cursor command shorter than its structure")
		return
	}
	h := parseHdr(req)
	le := binary.LittleEndian
	body := req[hdrSize:]
	scanout, x, y := le.Uint32(body), le.Uint32(body[4:]), le.Uint32(body[8:])
	id, hotX, hotY := le.Uint32(body[16:]), le.Uint32(body[20:]), le.Uint32(body[24:])
	if h.typ != cmdUpdateCursor && h.typ != cmdMoveCursor {
		d.guestError("unknown cursor command", "type", fmt.Sprintf("%#x", h.typ))
		return
	}
	if scanout >= uint32(len(d.outputs)) {
		d.guestError("cursor on a missing scanout", "scanout", scanout)
		return
	}
	if scanout != d.cursor.scanout {
		// The cursor moved to another output: hide it on the old one.
		d.cons[d.cursor.scanout].MoveCursor(0, 0, false)
	}
	if h.typ == cmdUpdateCursor {
		d.cursor = cursorState{scanout: scanout, resID: id, hotX: hotX, hotY: hotY}
		d.defineCursor()
	}
	d.cursor.scanout, d.cursor.x, d.cursor.y = scanout, x, y
	d.cons[scanout].MoveCursor(int(int32(x)), int(int32(y)), id != 0)
}

// defineCursor gives the console the cursor's image from its resource.
func (d *Device) defineCursor() {
	cs := d.cursor
	con := d.cons[cs.scanout]
	if cs.resID == 0 {
		con.SetCursor(nil, 0, 0)
		return
	}
	res := d.resources[cs.resID]
	if res == nil || res.width > maxCursor || res.height > maxCursor {
		d.guestError("cursor from an unknown or too large resource", "resource", cs.resID)
		con.SetCursor(nil, 0, 0)
		return
	}
	img := display.NewRGBA(res.pix, res.stride, int(res.width), int(res.height), res.dfmt)
	con.SetCursor(img, int(min(cs.hotX, res.width)), int(min(cs.hotY, res.height)))
}

// StateVersion is the version of State this package writes.
const StateVersion = 1

// ResourceState is one resource: its parameters, backing and pixels.
type ResourceState struct {
	ID, Format, Width, Height uint32
	Backing                   []MemEntry
	HasBacking                bool
	Pix                       []byte
}

// OutputState is one scanout: the size the UI asked for and what it
// shows.
type OutputState struct {
	ReqWidth, ReqHeight uint32
	Enabled             bool
	ResourceID          uint32
	X, Y, Width, Height uint32
}

// CursorState is the cursor the driver defined.
type CursorState struct {
	Scanout, X, Y, ResourceID, HotX, HotY uint32
}

// State is the device's state beyond its transport. Requests complete
// synchronously, so none is in flight.
type State struct {
	Version    int
	EventsRead uint32
	Outputs    []OutputState
	Resources  []ResourceState // by ascending ID
	Cursor     CursorState
}

// State returns a snapshot of the device (pixels are copied).
func (d *Device) State() State {
	s := State{Version: StateVersion, EventsRead: d.eventsRead}
	for _, o := range d.outputs {
		s.Outputs = append(s.Outputs, OutputState{ReqWidth: o.reqW, ReqHeight: o.reqH, Enabled: o.enabled,
			ResourceID: o.resID, X: o.rect.x, Y: o.rect.y, Width: o.rect.w, Height: o.rect.h})
	}
	for _, res := range d.resources {
		s.Resources = append(s.Resources, ResourceState{
			ID: res.id, Format: res.format, Width: res.width, Height: res.height,
			Backing: append([]MemEntry(nil), res.backing...), HasBacking: res.backing != nil,
			Pix: append([]byte(nil), res.pix...),
		})
	}
	sort.Slice(s.Resources, func(i, j int) bool { return s.Resources[i].ID < s.Resources[j].ID })
	c := d.cursor
	s.Cursor = CursorState{Scanout: c.scanout, X: c.x, Y: c.y, ResourceID: c.resID, HotX: c.hotX, HotY: c.hotY}
	return s
}

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("virtio-gpu: bad state")

func badState(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadState}, args...)...)
}

// Restore replaces the device's state with s (after the transport's),
// checking every field as a guest request would be checked, and shows
// the restored scanouts and cursor. On error the device is unchanged.
func (d *Device) Restore(s State) error {
	if s.Version != StateVersion {
		return badState("version %d, want %d", s.Version, StateVersion)
	}
	if len(s.Outputs) != len(d.outputs) {
		return badState("%d outputs, the device has %d", len(s.Outputs), len(d.outputs))
	}
	if s.EventsRead&^EventDisplay != 0 {
		return badState("events_read %#x", s.EventsRead)
	}
	if len(s.Resources) > maxResources {
		return badState("%d resources", len(s.Resources))
	}
	resources := map[uint32]*resource{}
	var hostmem uint64
	for _, rs := range s.Resources {
		dfmt, ok := formats[rs.Format]
		switch {
		case rs.ID == 0 || resources[rs.ID] != nil:
			return badState("resource ID %d zero or repeated", rs.ID)
		case !ok:
			return badState("resource %d format %d", rs.ID, rs.Format)
		case rs.Width == 0 || rs.Height == 0:
			return badState("resource %d is %dx%d", rs.ID, rs.Width, rs.Height)
		case uint64(len(rs.Pix)) != uint64(rs.Width)*uint64(rs.Height)*4:
			return badState("resource %d has %d bytes of pixels for %dx%d", rs.ID, len(rs.Pix), rs.Width, rs.Height)
		case len(rs.Backing) > maxEntries || !rs.HasBacking && len(rs.Backing) != 0:
			return badState("resource %d has %d backing entries", rs.ID, len(rs.Backing))
		}
		res := &resource{id: rs.ID, format: rs.Format, width: rs.Width, height: rs.Height, dfmt: dfmt,
			stride: int(rs.Width) * 4, pix: append([]byte(nil), rs.Pix...)}
		if rs.HasBacking {
			res.backing = make([]MemEntry, 0, len(rs.Backing))
			var total uint64
			for _, e := range rs.Backing {
				if _, err := d.mem.DMA(e.Addr, int(e.Length), false); err != nil {
					return badState("resource %d backing [%#x,+%d) outside RAM", rs.ID, e.Addr, e.Length)
				}
				total += uint64(e.Length)
				res.backing = append(res.backing, e)
				res.ends = append(res.ends, total)
			}
		}
		hostmem += res.hostmem()
		if hostmem > d.maxMem {
			return badState("resources take %d bytes, the cap is %d", hostmem, d.maxMem)
		}
		resources[rs.ID] = res
	}
	for i, o := range s.Outputs {
		if o.ResourceID == 0 {
			if o.X != 0 || o.Y != 0 || o.Width != 0 || o.Height != 0 {
				return badState("output %d disabled with a rectangle", i)
			}
			continue
		}
		res := resources[o.ResourceID]
		r := rect{o.X, o.Y, o.Width, o.Height}
		if res == nil || res.backing == nil || r.w < minScanout || r.h < minScanout || !r.within(res.width, res.height) {
			return badState("output %d shows resource %d at %v", i, o.ResourceID, r)
		}
	}
	c := s.Cursor
	if c.Scanout >= uint32(len(d.outputs)) {
		return badState("cursor on scanout %d", c.Scanout)
	}
	if c.ResourceID != 0 && resources[c.ResourceID] == nil {
		return badState("cursor from missing resource %d", c.ResourceID)
	}

	d.eventsRead = s.EventsRead
	d.resources, d.hostmem = resources, hostmem
	for i, o := range s.Outputs {
		d.outputs[i] = output{reqW: o.ReqWidth, reqH: o.ReqHeight, enabled: o.Enabled,
			resID: o.ResourceID, rect: rect{o.X, o.Y, o.Width, o.Height}}
		if o.ResourceID == 0 {
			d.cons[i].SetMode(display.Mode{})
		} else {
			d.show(i, resources[o.ResourceID])
		}
		d.cons[i].MoveCursor(0, 0, false)
	}
	d.cursor = cursorState{scanout: c.Scanout, x: c.X, y: c.Y, resID: c.ResourceID, hotX: c.HotX, hotY: c.HotY}
	d.defineCursor()
	d.cons[c.Scanout].MoveCursor(int(int32(c.X)), int(int32(c.Y)), c.ResourceID != 0)
	return nil
}
