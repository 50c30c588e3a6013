// Package sound is the virtio sound device (virtio 1.2 §5.14), QEMU's
// virtio-sound-device with its default configuration: no jacks, two PCM
// streams (stream 0 plays, stream 1 records), no channel maps unless
// asked for, and four queues (control, event, tx, rx).
//
// # What the guest sees
//
// Each stream offers the sample formats S8, U8, S16, U16, S32, U32 and
// FLOAT, every rate from 5512 to 384000 Hz that virtio defines, and one
// or two channels, as QEMU does. The control queue answers JACK_INFO,
// PCM_INFO, CHMAP_INFO and the PCM_SET_PARAMS, PCM_PREPARE, PCM_START,
// PCM_STOP, PCM_RELEASE commands, which follow the stream life cycle of
// §5.14.6.6.1:
//
//	SET_PARAMS -> SET_PARAMS, PREPARE
//	PREPARE    -> SET_PARAMS, PREPARE, START, RELEASE
//	START      -> STOP
//	STOP       -> START, RELEASE
//	RELEASE    -> SET_PARAMS, PREPARE
//
// A stream starts in SET_PARAMS with QEMU's default parameters (48 kHz,
// S16, stereo). A command out of that order, for a stream or item that
// does not exist, or too short, completes with VIRTIO_SND_S_BAD_MSG;
// parameters the device cannot play complete with VIRTIO_SND_S_NOT_SUPP;
// JACK_REMAP is never valid (there are no jacks).
//
// # Time
//
// A running stream consumes its buffers at the rate its parameters give,
// on the virtual clock: when a buffer reaches the head of its queue the
// device reads the clock once (or continues from where the previous
// buffer ended) and schedules the buffer's completion for the moment its
// last frame has played. At that moment a playback buffer's frames go to
// the audio.Sink, stamped with the virtual time of their first frame, and
// a capture buffer is filled from the audio.Source; then the buffer
// completes. So with --icount the completions, their times and the
// samples are the same on every run. A stream that runs dry keeps no
// time: its next buffer starts when it arrives (an underrun, counted and
// reported to a sink that implements audio.UnderrunNotifier).
//
// Buffers complete in the order the driver queued them, per queue (each
// queue serves one stream); a malformed one completes with BAD_MSG when
// it reaches the head. PCM_STOP leaves the buffer in progress queued (it
// plays again from its start after PCM_START, none of it having reached
// the sink); PCM_RELEASE completes every queued buffer at once, unplayed,
// before its own completion (§5.14.6.6.5.1).
//
// Deviations: the event queue stays idle (no jack or xrun events; no
// feature that would need them is offered); latency_bytes is always 0.
package sound

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"mimic/devices/audio"
	"mimic/devices/clock"
	"mimic/devices/virtio"
)

// Queue indexes (§5.14.2) and their size (QEMU's).
const (
	qControl = 0
	qEvent   = 1
	qTx      = 2
	qRx      = 3

	QueueSize = 64
)

// Request codes and status codes (§5.14.6).
const (
	rJackInfo     = 1
	rJackRemap    = 2
	rPCMInfo      = 0x0100
	rPCMSetParams = 0x0101
	rPCMPrepare   = 0x0102
	rPCMRelease   = 0x0103
	rPCMStart     = 0x0104
	rPCMStop      = 0x0105
	rChmapInfo    = 0x0200

	sOK      = 0x8000
	sBadMsg  = 0x8001
	sNotSupp = 0x8002
	sIOErr   = 0x8003
)

// Data flow directions.
const (
	dirOutput = 0
	dirInput  = 1
)

// PCM sample formats (VIRTIO_SND_PCM_FMT_*) the device plays.
const (
	fmtS8    = 3
	fmtU8    = 4
	fmtS16   = 5
	fmtU16   = 6
	fmtS32   = 17
	fmtU32   = 18
	fmtFloat = 19
)

var sampleFormats = map[uint8]audio.SampleFormat{
	fmtS8: audio.S8, fmtU8: audio.U8, fmtS16: audio.S16, fmtU16: audio.U16,
	fmtS32: audio.S32, fmtU32: audio.U32, fmtFloat: audio.F32,
}

const supportedFormats = 1<<fmtS8 | 1<<fmtU8 | 1<<fmtS16 | 1<<fmtU16 | 1<<fmtS32 | 1<<fmtU32 | 1<<fmtFloat

// rates are the frame rates of VIRTIO_SND_PCM_RATE_*, by code; all are
// supported.
var rates = [...]int{5512, 8000, 11025, 16000, 22050, 32000, 44100, 48000, 64000, 88200, 96000, 176400, 192000, 384000}

const supportedRates = 1<<len(rates) - 1

// Channel positions (VIRTIO_SND_CHMAP_*).
const (
	chmapFL = 3
	chmapFR = 4
)

// Wire sizes.
const (
	hdrSize       = 4  // virtio_snd_hdr
	queryInfoSize = 16 // virtio_snd_query_info
	pcmHdrSize    = 8  // virtio_snd_pcm_hdr
	setParamsSize = 24 // virtio_snd_pcm_set_params
	jackInfoSize  = 24 // virtio_snd_jack_info
	pcmInfoSize   = 32 // virtio_snd_pcm_info
	chmapInfoSize = 24 // virtio_snd_chmap_info
	xferSize      = 4  // virtio_snd_pcm_xfer
	statusSize    = 8  // virtio_snd_pcm_status
	configSize    = 12 // virtio_snd_config

	// maxRequest bounds what is read of a control request; the largest
	// is 24 bytes.
	maxRequest = 64
	// maxInfoSize bounds the item size a query may ask for.
	maxInfoSize = 4096
	// maxData bounds one I/O buffer's PCM data (a period; Linux uses
	// far less).
	maxData = 4 << 20
)

// Streams are the device's PCM streams: 0 plays (tx queue), 1 records
// (rx queue), as QEMU's default streams=2.
const (
	StreamOutput = 0
	StreamInput  = 1
	numStreams   = 2
)

// PCMState is where a stream is in the command life cycle (§5.14.6.6.1).
type PCMState uint8

// Stream states, named after the command that entered them.
const (
	StateSetParams PCMState = iota // the initial state
	StatePrepared
	StateStarted
	StateStopped
	StateReleased
)

var stateNames = [...]string{"SET_PARAMS", "PREPARE", "START", "STOP", "RELEASE"}

func (s PCMState) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("PCMState(%d)", uint8(s))
}

// Params are a stream's parameters as PCM_SET_PARAMS sets them (Format
// and Rate are the virtio codes).
type Params struct {
	BufferBytes, PeriodBytes, Features uint32
	Channels, Format, Rate             uint8
}

// defaultParams are QEMU's: 48 kHz S16 stereo.
var defaultParams = Params{BufferBytes: 8192, PeriodBytes: 2048, Channels: 2, Format: fmtS16, Rate: 7}

// audioFormat returns the audio.Format of valid params.
func (p Params) audioFormat() audio.Format {
	return audio.Format{Sample: sampleFormats[p.Format], Rate: rates[p.Rate], Channels: int(p.Channels)}
}

// check returns the status SET_PARAMS gives p, and why when not OK.
func (p Params) check() (uint32, string) {
	switch {
	case p.Features != 0:
		return sNotSupp, fmt.Sprintf("features %#x", p.Features)
	case p.Channels < 1 || p.Channels > 2:
		return sNotSupp, fmt.Sprintf("%d channels", p.Channels)
	case p.Format >= 64 || supportedFormats&(1<<p.Format) == 0:
		return sNotSupp, fmt.Sprintf("format %d", p.Format)
	case int(p.Rate) >= len(rates):
		return sNotSupp, fmt.Sprintf("rate %d", p.Rate)
	}
	fb := uint32(p.audioFormat().FrameBytes())
	if p.PeriodBytes == 0 || p.BufferBytes == 0 || p.BufferBytes%p.PeriodBytes != 0 || p.PeriodBytes%fb != 0 {
		return sBadMsg, fmt.Sprintf("buffer_bytes %d, period_bytes %d with %d-byte frames", p.BufferBytes, p.PeriodBytes, fb)
	}
	return sOK, ""
}

type stream struct {
	dir    uint8
	state  PCMState
	params Params

	// Timing of the current run: frame pos plays at base + pos/rate.
	idle  bool   // no run: the next buffer starts one at the time it starts
	base  uint64 // virtual time of frame 0 of the run
	pos   uint64 // frames played in the run
	dry   bool   // the run ended because the queue ran dry, at dryAt
	dryAt uint64
	event *clock.Event // completion of the head buffer
}

// xfer is one I/O buffer queued on tx or rx.
type xfer struct {
	c       virtio.Chain
	status  uint32 // non-zero: complete with this status when at the head
	dataLen int
}

// ioQueue is the tx or rx queue and the buffers taken from it, in order.
type ioQueue struct {
	q      *virtio.Queue
	stream int
	fifo   []xfer
}

// Options configure a Device.
type Options struct {
	// Sink receives what the guest plays; nil discards it.
	Sink audio.Sink
	// Source gives what the guest records; nil records silence.
	Source audio.Source
	// Chmaps exposes two channel maps (stereo front left/right, one per
	// stream) and answers CHMAP_INFO; QEMU exposes none by default.
	Chmaps bool
}

// Stats count the device's work.
type Stats struct {
	FramesPlayed, FramesCaptured   uint64
	BuffersPlayed, BuffersCaptured uint64
	Underruns                      uint64 // playback ran dry while started
	Overruns                       uint64 // capture had no buffer while started
	GuestErrors, HostErrors        uint64
}

// Device is one virtio sound device. Create it with New. Its methods are
// called on the machine's goroutine.
type Device struct {
	clk    *clock.Clock
	sink   audio.Sink
	source audio.Source
	chmaps int

	active  bool
	fresh   bool // activated, and no queue served yet (see Restore)
	kick    *clock.Event
	control *virtio.Queue
	io      [2]ioQueue // tx, rx
	streams [numStreams]stream

	buf   []byte
	stats Stats
}

var _ virtio.Device = (*Device)(nil)

// New returns a sound device on clk.
func New(clk *clock.Clock, o Options) *Device {
	d := &Device{clk: clk, sink: o.Sink, source: o.Source}
	if d.sink == nil {
		d.sink = audio.Discard
	}
	if d.source == nil {
		d.source = audio.Silence
	}
	if o.Chmaps {
		d.chmaps = numStreams
	}
	d.io[0].stream, d.io[1].stream = StreamOutput, StreamInput
	d.resetStreams()
	return d
}

func (d *Device) resetStreams() {
	for i := range d.streams {
		s := &d.streams[i]
		d.clk.Cancel(s.event)
		*s = stream{dir: dirOutput, state: StateSetParams, params: defaultParams, idle: true}
		if i == StreamInput {
			s.dir = dirInput
		}
	}
}

// Stats returns the device's counters.
func (d *Device) Stats() Stats { return d.stats }

// ID implements virtio.Device.
func (d *Device) ID() uint32 { return virtio.IDSound }

// Features implements virtio.Device: the device has no feature bits of
// its own (§5.14.3).
func (d *Device) Features() uint64 {
	return virtio.FIndirectDesc | virtio.FEventIdx | virtio.FVersion1
}

// QueueSizes implements virtio.Device.
func (d *Device) QueueSizes() []int { return []int{QueueSize, QueueSize, QueueSize, QueueSize} }

// ReadConfig implements virtio.Device: jacks, streams, chmaps (§5.14.4).
func (d *Device) ReadConfig(off uint64, size int) uint64 {
	if off+uint64(size) > configSize {
		return 0
	}
	var c [configSize + 8]byte
	binary.LittleEndian.PutUint32(c[4:], numStreams)
	binary.LittleEndian.PutUint32(c[8:], uint32(d.chmaps))
	return binary.LittleEndian.Uint64(c[off:]) & (1<<(8*size) - 1)
}

// WriteConfig implements virtio.Device: the configuration is read-only.
func (d *Device) WriteConfig(off uint64, size int, _ uint64) {
	d.guestError("write to the read-only configuration at %#x (%d bytes)", off, size)
}

// Activate implements virtio.Device. The queues are first served by an
// event at the current time rather than at once, so that Restore, called
// right after a transport restore has activated the device, runs first.
func (d *Device) Activate(_ virtio.Transport, _ uint64, qs []*virtio.Queue) {
	d.control = qs[qControl]
	d.io[0].q, d.io[1].q = qs[qTx], qs[qRx]
	d.active, d.fresh = true, true
	d.clk.Cancel(d.kick)
	d.kick = d.clk.Schedule(d.clk.Now(), d.serveAll)
}

func (d *Device) serveAll() {
	for _, qi := range []int{qControl, qTx, qRx} {
		d.Notify(qi)
	}
}

// Reset implements virtio.Device: streams return to their initial state;
// queued buffers are forgotten with the queues.
func (d *Device) Reset() {
	d.clk.Cancel(d.kick)
	d.kick = nil
	d.active, d.fresh, d.control = false, false, nil
	for i := range d.io {
		d.io[i].q, d.io[i].fifo = nil, nil
	}
	d.resetStreams()
}

// Notify implements virtio.Device.
func (d *Device) Notify(qi int) {
	if !d.active {
		return
	}
	d.fresh = false
	switch qi {
	case qControl:
		for {
			c, ok := d.control.Pop()
			if !ok {
				break
			}
			d.control.Push(c, d.command(c))
		}
		d.control.Signal()
	case qTx, qRx:
		q := &d.io[qi-qTx]
		for {
			c, ok := q.q.Pop()
			if !ok {
				break
			}
			q.fifo = append(q.fifo, d.take(c, qi == qTx))
		}
		d.run(q)
	}
	// The event queue's buffers wait for events that never come.
}

func (d *Device) guestError(format string, args ...any) {
	d.stats.GuestErrors++
	if d.stats.GuestErrors <= 20 {
		slog.Warn("guest error: virtio-sound: " + fmt.Sprintf(format, args...))
	}
}

func (d *Device) hostError(format string, args ...any) {
	d.stats.HostErrors++
	if d.stats.HostErrors <= 5 {
		slog.Error("virtio-sound: " + fmt.Sprintf(format, args...))
	}
}

// command serves one control request and returns the used length.
func (d *Device) command(c virtio.Chain) uint32 {
	r, w := c.Reader(), c.Writer()
	var req [maxRequest]byte
	n, _ := io.ReadFull(&r, req[:min(r.Len(), maxRequest)])
	if w.Len() < hdrSize {
		d.guestError("control request without room for a response")
		return 0
	}
	if n < hdrSize {
		d.guestError("control request of %d bytes", n)
		return respond(&w, sBadMsg, nil)
	}
	code := binary.LittleEndian.Uint32(req[:])
	body := req[:n]
	room := w.Len() - hdrSize
	switch code {
	case rJackInfo:
		return d.info(&w, "JACK_INFO", body, room, 0, jackInfoSize, nil)
	case rPCMInfo:
		return d.info(&w, "PCM_INFO", body, room, numStreams, pcmInfoSize, d.pcmInfo)
	case rChmapInfo:
		return d.info(&w, "CHMAP_INFO", body, room, d.chmaps, chmapInfoSize, d.chmapInfo)
	case rJackRemap:
		d.guestError("JACK_REMAP: the device has no jacks")
		return respond(&w, sBadMsg, nil)
	case rPCMSetParams, rPCMPrepare, rPCMRelease, rPCMStart, rPCMStop:
		return respond(&w, d.pcmCommand(code, body), nil)
	}
	d.guestError("unknown control request %#x", code)
	return respond(&w, sBadMsg, nil)
}

// respond writes the status and payload and returns the used length.
func respond(w *virtio.Writer, status uint32, payload []byte) uint32 {
	var h [hdrSize]byte
	binary.LittleEndian.PutUint32(h[:], status)
	w.Write(h[:])
	if status == sOK {
		w.Write(payload)
	}
	return w.Written()
}

// info serves a query (§5.14.6.1): items [start, start+count) of n, each
// written by item into size bytes (truncated or zero-padded).
func (d *Device) info(w *virtio.Writer, what string, req []byte, room, n, itemSize int, item func(id int, b []byte)) uint32 {
	if len(req) < queryInfoSize {
		d.guestError("%s request of %d bytes", what, len(req))
		return respond(w, sBadMsg, nil)
	}
	start := uint64(binary.LittleEndian.Uint32(req[4:]))
	count := uint64(binary.LittleEndian.Uint32(req[8:]))
	size := uint64(binary.LittleEndian.Uint32(req[12:]))
	switch {
	case start+count > uint64(n):
		d.guestError("%s for items %d..%d of %d", what, start, start+count, n)
		return respond(w, sBadMsg, nil)
	case size > maxInfoSize || count*size > uint64(room):
		d.guestError("%s of %d items of %d bytes into %d bytes", what, count, size, room)
		return respond(w, sBadMsg, nil)
	}
	payload := make([]byte, count*size)
	one := make([]byte, max(itemSize, int(size)))
	for i := range int(count) {
		clear(one)
		item(int(start)+i, one[:itemSize])
		copy(payload[uint64(i)*size:], one[:size])
	}
	return respond(w, sOK, payload)
}

// pcmInfo writes virtio_snd_pcm_info of stream id.
func (d *Device) pcmInfo(id int, b []byte) {
	// hda_fn_nid (0) at 0.
	binary.LittleEndian.PutUint32(b[4:], 0) // features
	binary.LittleEndian.PutUint64(b[8:], supportedFormats)
	binary.LittleEndian.PutUint64(b[16:], supportedRates)
	b[24] = d.streams[id].dir
	b[25], b[26] = 1, 2 // channels_min, channels_max
}

// chmapInfo writes virtio_snd_chmap_info of map id: map i is stream i's.
func (d *Device) chmapInfo(id int, b []byte) {
	b[4] = d.streams[id].dir
	b[5] = 2
	b[6], b[7] = chmapFL, chmapFR
}

// pcmCommand serves the stream commands and returns the status.
func (d *Device) pcmCommand(code uint32, req []byte) uint32 {
	name := map[uint32]string{
		rPCMSetParams: "SET_PARAMS", rPCMPrepare: "PREPARE", rPCMRelease: "RELEASE",
		rPCMStart: "START", rPCMStop: "STOP",
	}[code]
	want := pcmHdrSize
	if code == rPCMSetParams {
		want = setParamsSize
	}
	if len(req) < want {
		d.guestError("PCM_%s request of %d bytes", name, len(req))
		return sBadMsg
	}
	id := binary.LittleEndian.Uint32(req[4:])
	if id >= numStreams {
		d.guestError("PCM_%s for stream %d", name, id)
		return sBadMsg
	}
	s := &d.streams[id]
	var from []PCMState
	switch code {
	case rPCMSetParams:
		from = []PCMState{StateSetParams, StatePrepared, StateReleased}
	case rPCMPrepare:
		from = []PCMState{StateSetParams, StatePrepared, StateReleased}
	case rPCMStart:
		from = []PCMState{StatePrepared, StateStopped}
	case rPCMStop:
		from = []PCMState{StateStarted}
	case rPCMRelease:
		from = []PCMState{StatePrepared, StateStopped}
	}
	allowed := false
	for _, st := range from {
		allowed = allowed || s.state == st
	}
	if !allowed {
		d.guestError("PCM_%s for stream %d in state %v", name, id, s.state)
		return sBadMsg
	}
	q := &d.io[id] // stream i is served by I/O queue i
	switch code {
	case rPCMSetParams:
		p := Params{
			BufferBytes: binary.LittleEndian.Uint32(req[8:]),
			PeriodBytes: binary.LittleEndian.Uint32(req[12:]),
			Features:    binary.LittleEndian.Uint32(req[16:]),
			Channels:    req[20], Format: req[21], Rate: req[22],
		}
		status, why := p.check()
		switch status {
		case sNotSupp:
			slog.Info("virtio-sound: PCM_SET_PARAMS not supported", "stream", id, "what", why)
			return status
		case sBadMsg:
			d.guestError("PCM_SET_PARAMS for stream %d: %s", id, why)
			return status
		}
		s.params, s.state = p, StateSetParams
	case rPCMPrepare:
		s.state = StatePrepared
	case rPCMStart:
		s.state, s.idle, s.dry = StateStarted, true, false
		d.run(q)
	case rPCMStop:
		d.clk.Cancel(s.event)
		s.state, s.idle, s.dry = StateStopped, true, false
	case rPCMRelease:
		// Complete every queued buffer before this command (§5.14.6.6.5.1).
		for len(q.fifo) > 0 {
			status := uint32(sOK)
			if q.fifo[0].status != 0 {
				status = q.fifo[0].status
			}
			d.complete(q, status, nil)
		}
		if q.q != nil {
			q.q.Signal()
		}
		s.state = StateReleased
	}
	return sOK
}

// take checks an I/O buffer as it is popped: a header naming the
// queue's stream, room for the status, a data size within bounds. Its
// data length is checked against the stream's frame size when it plays.
func (d *Device) take(c virtio.Chain, tx bool) xfer {
	x := xfer{c: c}
	r, w := c.Reader(), c.Writer()
	var h [xferSize]byte
	if _, err := io.ReadFull(&r, h[:]); err != nil {
		d.guestError("I/O buffer without a virtio_snd_pcm_xfer header")
		x.status = sBadMsg
		return x
	}
	id := binary.LittleEndian.Uint32(h[:])
	if tx {
		x.dataLen = r.Len()
	} else {
		x.dataLen = w.Len() - statusSize
	}
	want := uint32(StreamOutput)
	if !tx {
		want = StreamInput
	}
	switch {
	case w.Len() < statusSize:
		d.guestError("I/O buffer with %d writable bytes, no room for its status", w.Len())
		x.status = sBadMsg
	case id != want:
		d.guestError("I/O buffer for stream %d on the queue of stream %d", id, want)
		x.status = sBadMsg
	case x.dataLen > maxData:
		d.guestError("I/O buffer of %d bytes", x.dataLen)
		x.status = sBadMsg
	}
	return x
}

// run completes the malformed buffers at the head of q and, if its
// stream is started, schedules the completion of the first good one.
func (d *Device) run(q *ioQueue) {
	if q.q == nil {
		return
	}
	defer q.q.Signal()
	s := &d.streams[q.stream]
	for len(q.fifo) > 0 {
		x := &q.fifo[0]
		if x.status != 0 {
			d.complete(q, x.status, nil)
			continue
		}
		if s.state != StateStarted || s.event.Pending() {
			return
		}
		f := s.params.audioFormat()
		if x.dataLen%f.FrameBytes() != 0 {
			d.guestError("I/O buffer of %d bytes is not a whole number of %d-byte frames", x.dataLen, f.FrameBytes())
			d.complete(q, sBadMsg, nil)
			continue
		}
		frames := uint64(x.dataLen / f.FrameBytes())
		if s.idle {
			now := d.clk.Now()
			if s.dry {
				if q.stream == StreamOutput {
					d.stats.Underruns++
					if u, ok := d.sink.(audio.UnderrunNotifier); ok {
						u.Underrun(s.dryAt)
					}
				} else {
					d.stats.Overruns++
				}
			}
			s.idle, s.dry, s.base, s.pos = false, false, now, 0
		}
		s.event = d.clk.Schedule(s.base+f.Duration(s.pos+frames), func() { d.transfer(q) })
		return
	}
	if s.state == StateStarted && !s.idle {
		// Ran dry: the run ends where the last buffer ended.
		s.idle, s.dry, s.dryAt = true, true, s.base+s.params.audioFormat().Duration(s.pos)
	}
}

// transfer plays or records the head buffer of q, whose time has come.
func (d *Device) transfer(q *ioQueue) {
	s := &d.streams[q.stream]
	x := q.fifo[0]
	f := s.params.audioFormat()
	at := s.base + f.Duration(s.pos)
	if cap(d.buf) < x.dataLen {
		d.buf = make([]byte, x.dataLen)
	}
	data := d.buf[:x.dataLen]
	frames := uint64(x.dataLen / f.FrameBytes())
	if q.stream == StreamOutput {
		r := x.c.Reader()
		var h [xferSize]byte
		io.ReadFull(&r, h[:]) // checked by take
		if _, err := io.ReadFull(&r, data); err != nil {
			d.guestError("playback buffer: %v", err)
			d.complete(q, sIOErr, nil)
			d.run(q)
			return
		}
		if err := d.sink.Write(at, f, data); err != nil {
			d.hostError("audio output: %v", err)
		}
		d.stats.FramesPlayed += frames
		d.stats.BuffersPlayed++
	} else {
		if err := d.source.Read(at, f, data); err != nil {
			d.hostError("audio input: %v", err)
			audio.FillSilence(f.Sample, data)
		}
		d.stats.FramesCaptured += frames
		d.stats.BuffersCaptured++
	}
	s.pos += frames
	d.complete(q, sOK, data)
	d.run(q)
}

// complete returns the head buffer of q with status; for capture, data
// (nil: silence) fills its data area.
func (d *Device) complete(q *ioQueue, status uint32, data []byte) {
	x := q.fifo[0]
	q.fifo = q.fifo[1:]
	if len(q.fifo) == 0 {
		q.fifo = nil
	}
	w := x.c.Writer()
	if w.Len() < statusSize {
		// No room for a status (already logged): return it empty.
		q.q.Push(x.c, 0)
		return
	}
	if q.stream == StreamInput && status == sOK {
		if data == nil {
			if cap(d.buf) < x.dataLen {
				d.buf = make([]byte, x.dataLen)
			}
			data = d.buf[:x.dataLen]
			audio.FillSilence(d.streams[StreamInput].params.audioFormat().Sample, data)
		}
		w.Write(data)
	}
	// The status is the last 8 writable bytes.
	for w.Len() > statusSize {
		if _, err := w.Next(w.Len() - statusSize); err != nil {
			break
		}
	}
	var st [statusSize]byte
	binary.LittleEndian.PutUint32(st[:], status)
	w.Write(st[:])
	q.q.Push(x.c, w.Written())
}

// StateVersion is the version of State this package writes.
const StateVersion = 1

// StreamState is one stream's saved state.
type StreamState struct {
	State  PCMState
	Params Params
}

// State is the device's own state beyond its transport.
//
// Buffers in flight (taken from the tx or rx queue, not yet completed)
// are saved as counts: because buffers complete in order, they are the
// last ones taken from their queue, so Restore gives them back to the
// queue (virtio.Queue.Rewind) and the device takes them again. None of
// their frames had reached the sink (a buffer is played at once, when it
// completes), so nothing is lost or played twice; a started stream's
// timing restarts at the time of the restore.
type State struct {
	Version  int
	Streams  []StreamState
	InFlight [2]uint16 // tx, rx
}

// State returns a snapshot of the device.
func (d *Device) State() State {
	s := State{Version: StateVersion}
	for _, st := range d.streams {
		s.Streams = append(s.Streams, StreamState{State: st.state, Params: st.params})
	}
	for i := range d.io {
		s.InFlight[i] = uint16(len(d.io[i].fifo))
	}
	return s
}

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("virtio-sound: bad state")

// Restore replaces the device's state with s. Call it right after the
// transport's Restore, before the clock runs: the transport has
// activated the device, which has not yet served its queues. On error
// the device is unchanged.
func (d *Device) Restore(s State) error {
	if s.Version != StateVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrBadState, s.Version, StateVersion)
	}
	if len(s.Streams) != numStreams {
		return fmt.Errorf("%w: %d streams, the device has %d", ErrBadState, len(s.Streams), numStreams)
	}
	for i, st := range s.Streams {
		if st.State > StateReleased {
			return fmt.Errorf("%w: stream %d in state %d", ErrBadState, i, st.State)
		}
		if status, why := st.Params.check(); status != sOK {
			return fmt.Errorf("%w: stream %d parameters: %s", ErrBadState, i, why)
		}
	}
	for i, n := range s.InFlight {
		switch {
		case n == 0:
		case !d.active || !d.fresh:
			return fmt.Errorf("%w: %d buffers in flight on queue %d, but the device is not freshly activated", ErrBadState, n, qTx+i)
		case int(n) > d.io[i].q.Size():
			return fmt.Errorf("%w: %d buffers in flight on queue %d of %d entries", ErrBadState, n, qTx+i, d.io[i].q.Size())
		}
	}
	for i := range d.streams {
		st := &d.streams[i]
		d.clk.Cancel(st.event)
		st.state, st.params = s.Streams[i].State, s.Streams[i].Params
		st.idle, st.dry, st.pos = true, false, 0
	}
	for i, n := range s.InFlight {
		if n > 0 {
			d.io[i].q.Rewind(int(n))
		}
	}
	return nil
}
