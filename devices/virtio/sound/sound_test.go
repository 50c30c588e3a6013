package sound

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"math"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/audio"
	"mimic/devices/clock"
	"mimic/devices/virtio"
	"mimic/devices/virtio/virtiotest"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

type rig struct {
	t   *testing.T
	clk *clock.Clock
	rec *audio.Recorder
	dev *Device
	drv *virtiotest.Driver
}

func newRig(t *testing.T, o Options) *rig {
	clk := clock.New()
	rec := &audio.Recorder{}
	if o.Sink == nil {
		o.Sink = rec
	}
	dev := New(clk, o)
	r := &rig{t: t, clk: clk, rec: rec, dev: dev, drv: virtiotest.New(t, dev, virtiotest.Options{})}
	clk.AdvanceTo(0)
	return r
}

func le32(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// ctl sends a control request with room bytes of response and returns
// the status and what follows it.
func (r *rig) ctl(req []byte, room int) (uint32, []byte) {
	r.t.Helper()
	_, addrs := r.drv.Submit(qControl, false, virtiotest.Buf{Data: req}, virtiotest.Buf{Write: true, Len: room})
	u := r.drv.TakeUsed(qControl)
	if len(u) != 1 {
		r.t.Fatalf("control: used %v, want one completion", u)
	}
	if u[0].Len < 4 {
		r.t.Fatalf("control: used length %d", u[0].Len)
	}
	resp := r.drv.Mem(addrs[1], int(u[0].Len))
	return binary.LittleEndian.Uint32(resp), append([]byte(nil), resp[4:]...)
}

func (r *rig) cmd(code, stream uint32) uint32 {
	r.t.Helper()
	st, _ := r.ctl(le32(code, stream), 4)
	return st
}

func setParamsReq(stream, buffer, period uint32, channels, format, rate uint8) []byte {
	return append(le32(rPCMSetParams, stream, buffer, period, 0), channels, format, rate, 0)
}

func (r *rig) setParams(stream, buffer, period uint32, channels, format, rate uint8) uint32 {
	r.t.Helper()
	st, _ := r.ctl(setParamsReq(stream, buffer, period, channels, format, rate), 4)
	return st
}

// play queues one playback buffer and returns the address of its status.
func (r *rig) play(data []byte) uint64 {
	r.t.Helper()
	_, addrs := r.drv.Submit(qTx, false, virtiotest.Buf{Data: le32(StreamOutput)}, virtiotest.Buf{Data: data}, virtiotest.Buf{Write: true, Len: statusSize})
	return addrs[2]
}

func (r *rig) status(addr uint64) uint32 { return binary.LittleEndian.Uint32(r.drv.Mem(addr, 4)) }

func (r *rig) expect(code uint32, want uint32) {
	r.t.Helper()
	if got := r.cmd(code, StreamOutput); got != want {
		r.t.Fatalf("command %#x: status %#x, want %#x", code, got, want)
	}
}

func TestConfig(t *testing.T) {
	for _, chmaps := range []bool{false, true} {
		r := newRig(t, Options{Chmaps: chmaps})
		got := []uint64{r.drv.ReadConfig(0, 4), r.drv.ReadConfig(4, 4), r.drv.ReadConfig(8, 4), r.drv.ReadConfig(12, 4)}
		want := []uint64{0, 2, 0, 0}
		if chmaps {
			want[2] = 2
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("chmaps=%v: jacks, streams, chmaps, beyond (-want +got):\n%s", chmaps, diff)
		}
		if diff := cmp.Diff(uint64(virtio.FIndirectDesc|virtio.FEventIdx|virtio.FVersion1), r.drv.Features); diff != "" {
			t.Errorf("features (-want +got):\n%s", diff)
		}
	}
}

func TestPCMInfo(t *testing.T) {
	r := newRig(t, Options{})
	st, info := r.ctl(le32(rPCMInfo, 0, 2, pcmInfoSize), 4+2*pcmInfoSize)
	if st != sOK {
		t.Fatalf("status %#x", st)
	}
	one := func(dir byte) []byte {
		b := make([]byte, pcmInfoSize)
		binary.LittleEndian.PutUint64(b[8:], 1<<3|1<<4|1<<5|1<<6|1<<17|1<<18|1<<19) // S8 U8 S16 U16 S32 U32 FLOAT
		binary.LittleEndian.PutUint64(b[16:], 0x3fff)                               // 5512..384000
		b[24], b[25], b[26] = dir, 1, 2
		return b
	}
	want := append(one(dirOutput), one(dirInput)...)
	if diff := cmp.Diff(want, info); diff != "" {
		t.Errorf("PCM_INFO (-want +got):\n%s", diff)
	}
	// A driver asking for a larger item gets it zero-padded, a smaller
	// one truncated.
	st, info = r.ctl(le32(rPCMInfo, 1, 1, 40), 44)
	if diff := cmp.Diff(append(one(dirInput), make([]byte, 8)...), info); st != sOK || diff != "" {
		t.Errorf("PCM_INFO size 40: status %#x (-want +got):\n%s", st, diff)
	}
	st, info = r.ctl(le32(rPCMInfo, 0, 1, 8), 12)
	if diff := cmp.Diff(one(dirOutput)[:8], info); st != sOK || diff != "" {
		t.Errorf("PCM_INFO size 8: status %#x (-want +got):\n%s", st, diff)
	}
}

func TestChmapAndJackInfo(t *testing.T) {
	r := newRig(t, Options{Chmaps: true})
	st, info := r.ctl(le32(rChmapInfo, 0, 2, chmapInfoSize), 4+2*chmapInfoSize)
	want := make([]byte, 2*chmapInfoSize)
	copy(want[4:], []byte{dirOutput, 2, chmapFL, chmapFR})
	copy(want[chmapInfoSize+4:], []byte{dirInput, 2, chmapFL, chmapFR})
	if diff := cmp.Diff(want, info); st != sOK || diff != "" {
		t.Errorf("CHMAP_INFO: status %#x (-want +got):\n%s", st, diff)
	}
	if st, info := r.ctl(le32(rJackInfo, 0, 0, jackInfoSize), 4); st != sOK || len(info) != 0 {
		t.Errorf("JACK_INFO for no jacks: %#x % x", st, info)
	}
}

func TestBadControlRequests(t *testing.T) {
	r := newRig(t, Options{})
	for _, c := range []struct {
		name string
		req  []byte
		room int
		want uint32
	}{
		{"short header", []byte{1, 0}, 4, sBadMsg},
		{"unknown code", le32(0x7777), 4, sBadMsg},
		{"short query", le32(rPCMInfo, 0, 1), 64, sBadMsg},
		{"PCM_INFO past the streams", le32(rPCMInfo, 1, 2, pcmInfoSize), 128, sBadMsg},
		{"PCM_INFO count overflow", le32(rPCMInfo, 1, 0xffffffff, pcmInfoSize), 128, sBadMsg},
		{"PCM_INFO too little room", le32(rPCMInfo, 0, 2, pcmInfoSize), 40, sBadMsg},
		{"PCM_INFO huge item", le32(rPCMInfo, 0, 1, 1<<20), 4, sBadMsg},
		{"JACK_INFO of a missing jack", le32(rJackInfo, 0, 1, jackInfoSize), 64, sBadMsg},
		{"JACK_REMAP", le32(rJackRemap, 0, 0, 0), 4, sBadMsg},
		{"CHMAP_INFO without chmaps", le32(rChmapInfo, 0, 1, chmapInfoSize), 64, sBadMsg},
		{"PREPARE without a stream", le32(rPCMPrepare), 4, sBadMsg},
		{"PREPARE of stream 2", le32(rPCMPrepare, 2), 4, sBadMsg},
		{"short SET_PARAMS", le32(rPCMSetParams, 0, 4096, 1024), 4, sBadMsg},
	} {
		before := r.dev.Stats().GuestErrors
		if st, _ := r.ctl(c.req, c.room); st != c.want {
			t.Errorf("%s: status %#x, want %#x", c.name, st, c.want)
		}
		if r.dev.Stats().GuestErrors != before+1 {
			t.Errorf("%s: not counted as a guest error", c.name)
		}
	}
	// No room for a response: returned empty, the device carries on.
	r.drv.Submit(qControl, false, virtiotest.Buf{Data: le32(rPCMPrepare, 0)})
	if u := r.drv.TakeUsed(qControl); len(u) != 1 || u[0].Len != 0 {
		t.Errorf("request without a response buffer: used %v", u)
	}
	if r.drv.Read(0x070)&virtio.StatusDeviceNeedsReset != 0 {
		t.Error("device needs reset after guest errors it can answer")
	}
	if st := r.cmd(rPCMPrepare, 0); st != sOK {
		t.Errorf("PREPARE after the errors: %#x", st)
	}
}

func TestSetParamsValidation(t *testing.T) {
	r := newRig(t, Options{})
	for _, c := range []struct {
		name           string
		buffer, period uint32
		ch, fmt, rate  uint8
		want           uint32
	}{
		{"ok", 8192, 2048, 2, fmtS16, 7, sOK},
		{"mono U8 5512", 800, 400, 1, fmtU8, 0, sOK},
		{"3 channels", 8192, 2048, 3, fmtS16, 7, sNotSupp},
		{"0 channels", 8192, 2048, 0, fmtS16, 7, sNotSupp},
		{"IMA ADPCM", 8192, 2048, 2, 0, 7, sNotSupp},
		{"FLOAT64", 8192, 2048, 2, 20, 7, sNotSupp},
		{"format 200", 8192, 2048, 2, 200, 7, sNotSupp},
		{"rate 14", 8192, 2048, 2, fmtS16, 14, sNotSupp},
		{"period 0", 8192, 0, 2, fmtS16, 7, sBadMsg},
		{"buffer not periods", 8000, 3000, 2, fmtS16, 7, sBadMsg},
		{"period not frames", 8190, 2730, 2, fmtS16, 7, sBadMsg},
	} {
		if got := r.setParams(StreamOutput, c.buffer, c.period, c.ch, c.fmt, c.rate); got != c.want {
			t.Errorf("%s: status %#x, want %#x", c.name, got, c.want)
		}
	}
	st, _ := r.ctl(append(le32(rPCMSetParams, 0, 8192, 2048, 1), 2, fmtS16, 7, 0), 4)
	if st != sNotSupp {
		t.Errorf("features 1: status %#x", st)
	}
	if got, want := r.dev.State().Streams[0].Params, (Params{BufferBytes: 800, PeriodBytes: 400, Channels: 1, Format: fmtU8}); got != want {
		t.Errorf("params %+v, want the last accepted %+v", got, want)
	}
}

func TestLifeCycle(t *testing.T) {
	r := newRig(t, Options{})
	steps := []struct {
		code uint32
		want uint32
	}{
		{rPCMStart, sBadMsg}, {rPCMStop, sBadMsg}, {rPCMRelease, sBadMsg},
		{rPCMPrepare, sOK}, {rPCMPrepare, sOK}, {rPCMStop, sBadMsg},
		{rPCMStart, sOK}, {rPCMStart, sBadMsg}, {rPCMPrepare, sBadMsg}, {rPCMRelease, sBadMsg}, {rPCMSetParams, sBadMsg},
		{rPCMStop, sOK}, {rPCMStop, sBadMsg}, {rPCMPrepare, sBadMsg}, {rPCMSetParams, sBadMsg},
		{rPCMStart, sOK}, {rPCMStop, sOK}, {rPCMRelease, sOK},
		{rPCMStart, sBadMsg}, {rPCMRelease, sBadMsg},
		{rPCMSetParams, sOK}, {rPCMStart, sBadMsg}, {rPCMPrepare, sOK}, {rPCMRelease, sOK}, {rPCMPrepare, sOK},
	}
	for i, s := range steps {
		var got uint32
		if s.code == rPCMSetParams {
			got = r.setParams(StreamOutput, 8192, 2048, 2, fmtS16, 7)
		} else {
			got = r.cmd(s.code, StreamOutput)
		}
		if got != s.want {
			t.Errorf("step %d (%#x): status %#x, want %#x", i, s.code, got, s.want)
		}
	}
	if got := r.dev.State().Streams[StreamOutput].State; got != StatePrepared {
		t.Errorf("final state %v", got)
	}
	if got := r.dev.State().Streams[StreamInput].State; got != StateSetParams {
		t.Errorf("input stream state %v, want untouched", got)
	}
}

const (
	rate48k   = 7 // VIRTIO_SND_PCM_RATE_48000
	period    = 4800
	periodDur = 25e6 // 1200 stereo S16 frames at 48 kHz
)

var out48k = audio.Format{Sample: audio.S16, Rate: 48000, Channels: 2}

// startPlayback prepares stream 0 for 48 kHz S16 stereo, 25 ms periods.
func (r *rig) startPlayback(t *testing.T) {
	t.Helper()
	if st := r.setParams(StreamOutput, 4*period, period, 2, fmtS16, rate48k); st != sOK {
		t.Fatalf("SET_PARAMS: %#x", st)
	}
	r.expect(rPCMPrepare, sOK)
}

func TestPlaybackFollowsVirtualTime(t *testing.T) {
	r := newRig(t, Options{})
	r.startPlayback(t)
	sine := audio.Sine(out48k, 1000, 0.5, 6*1200)
	var statuses []uint64
	// As Linux does: queue the periods, then START.
	for i := 0; i < 4; i++ {
		statuses = append(statuses, r.play(sine[i*period:(i+1)*period]))
	}
	r.clk.AdvanceTo(1e6)
	const t0 = 1e6
	r.expect(rPCMStart, sOK)
	r.clk.AdvanceTo(t0 + periodDur - 1)
	if u := r.drv.TakeUsed(qTx); len(u) != 0 || len(r.rec.Chunks) != 0 {
		t.Fatalf("before the first period's end: used %v, %d chunks", u, len(r.rec.Chunks))
	}
	r.clk.AdvanceTo(t0 + periodDur)
	if u := r.drv.TakeUsed(qTx); len(u) != 1 || u[0].Len != statusSize {
		t.Fatalf("at the first period's end: used %v", u)
	}
	if r.status(statuses[0]) != sOK {
		t.Errorf("status %#x", r.status(statuses[0]))
	}
	// The driver re-queues as periods complete, like Linux.
	statuses = append(statuses, r.play(sine[4*period:5*period]))
	r.clk.AdvanceTo(t0 + 5*periodDur)
	if u := r.drv.TakeUsed(qTx); len(u) != 4 {
		t.Fatalf("after five periods: used %v", u)
	}
	var times []uint64
	for _, c := range r.rec.Chunks {
		times = append(times, c.At)
		if c.Format != out48k {
			t.Errorf("chunk format %v", c.Format)
		}
	}
	if diff := cmp.Diff([]uint64{t0, t0 + periodDur, t0 + 2*periodDur, t0 + 3*periodDur, t0 + 4*periodDur}, times); diff != "" {
		t.Errorf("chunk times (-want +got):\n%s", diff)
	}
	if !bytes.Equal(r.rec.Data(), sine[:5*period]) {
		t.Error("the sink did not receive the exact samples")
	}
	x := audio.Decode(out48k, r.rec.Data())[0]
	if f := audio.ZeroCrossingFrequency(x, 48000); math.Abs(f-1000) > 0.1 {
		t.Errorf("tone at %.2f Hz", f)
	}
	if len(r.rec.Underruns) != 0 {
		t.Errorf("underruns %v while the driver kept up", r.rec.Underruns)
	}
	// The driver falls behind: the next buffer starts when it arrives.
	r.clk.AdvanceTo(t0 + 7*periodDur)
	r.play(sine[5*period : 6*period])
	r.clk.AdvanceTo(t0 + 8*periodDur)
	if u := r.drv.TakeUsed(qTx); len(u) != 1 {
		t.Fatalf("late buffer: used %v", u)
	}
	if got := r.rec.Chunks[5].At; got != t0+7*periodDur {
		t.Errorf("late buffer played at %d", got)
	}
	if diff := cmp.Diff([]uint64{t0 + 5*periodDur}, r.rec.Underruns); diff != "" {
		t.Errorf("underruns (-want +got):\n%s", diff)
	}
	if s := r.dev.Stats(); s.Underruns != 1 || s.FramesPlayed != 6*1200 || s.BuffersPlayed != 6 {
		t.Errorf("stats %+v", s)
	}
}

// playScenario runs a fixed sequence and returns what the sink got.
func playScenario(t *testing.T) (*audio.Recorder, []virtiotest.Used) {
	r := newRig(t, Options{})
	if st := r.setParams(StreamOutput, 4*441*2, 441*2, 1, fmtS16, 6); st != sOK { // 44.1 kHz mono, 10 ms
		t.Fatalf("SET_PARAMS %#x", st)
	}
	r.expect(rPCMPrepare, sOK)
	f := audio.Format{Sample: audio.S16, Rate: 44100, Channels: 1}
	sine := audio.Sine(f, 440, 0.3, 441*10)
	for i := 0; i < 4; i++ {
		r.play(sine[i*882 : (i+1)*882])
	}
	r.clk.AdvanceTo(3_333_333)
	r.expect(rPCMStart, sOK)
	var used []virtiotest.Used
	for i := 4; i < 10; i++ {
		r.clk.AdvanceTo(r.clk.Now() + 7_777_777)
		used = append(used, r.drv.TakeUsed(qTx)...)
		r.play(sine[i*882 : (i+1)*882])
	}
	r.clk.AdvanceTo(1e9)
	return r.rec, append(used, r.drv.TakeUsed(qTx)...)
}

func TestPlaybackIsDeterministic(t *testing.T) {
	rec1, used1 := playScenario(t)
	rec2, used2 := playScenario(t)
	if diff := cmp.Diff(rec1, rec2); diff != "" {
		t.Errorf("two runs differ (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(used1, used2); diff != "" {
		t.Errorf("completions differ (-first +second):\n%s", diff)
	}
	if len(used1) != 10 || len(rec1.Chunks) != 10 {
		t.Errorf("%d completions, %d chunks; want 10", len(used1), len(rec1.Chunks))
	}
}

func TestStopKeepsTheBufferAndReleaseFlushes(t *testing.T) {
	r := newRig(t, Options{})
	r.startPlayback(t)
	sine := audio.Sine(out48k, 440, 0.5, 3*1200)
	var statuses []uint64
	for i := 0; i < 3; i++ {
		statuses = append(statuses, r.play(sine[i*period:(i+1)*period]))
	}
	r.expect(rPCMStart, sOK)
	r.clk.AdvanceTo(periodDur / 2)
	r.expect(rPCMStop, sOK)
	r.clk.AdvanceTo(10 * periodDur)
	if u := r.drv.TakeUsed(qTx); len(u) != 0 || len(r.rec.Chunks) != 0 {
		t.Fatalf("stopped: used %v, chunks %d", u, len(r.rec.Chunks))
	}
	// START again: the interrupted buffer plays whole, from now.
	r.expect(rPCMStart, sOK)
	r.clk.AdvanceTo(11 * periodDur)
	if u := r.drv.TakeUsed(qTx); len(u) != 1 {
		t.Fatalf("after restart: used %v", u)
	}
	if len(r.rec.Chunks) != 1 || r.rec.Chunks[0].At != 10*periodDur || !bytes.Equal(r.rec.Chunks[0].Data, sine[:period]) {
		t.Fatalf("after restart: chunks %+v", r.rec.Chunks)
	}
	r.expect(rPCMStop, sOK)
	r.expect(rPCMRelease, sOK)
	// RELEASE completed the two queued buffers, unplayed, before itself.
	if u := r.drv.TakeUsed(qTx); len(u) != 2 {
		t.Fatalf("after release: used %v", u)
	}
	for _, a := range statuses {
		if st := r.status(a); st != sOK {
			t.Errorf("status %#x", st)
		}
	}
	r.clk.AdvanceTo(100 * periodDur)
	if len(r.rec.Chunks) != 1 {
		t.Errorf("%d chunks after release", len(r.rec.Chunks))
	}
}

func TestBadIOBuffers(t *testing.T) {
	r := newRig(t, Options{})
	r.startPlayback(t)
	good := make([]byte, period)
	// Valid, waiting for START.
	g1 := r.play(good)
	// Wrong stream: completes with BAD_MSG, but only after g1 (in order).
	_, addrs := r.drv.Submit(qTx, false, virtiotest.Buf{Data: le32(StreamInput)}, virtiotest.Buf{Data: good}, virtiotest.Buf{Write: true, Len: statusSize})
	wrongStream := addrs[2]
	// No room for a status.
	r.drv.Submit(qTx, false, virtiotest.Buf{Data: le32(StreamOutput)}, virtiotest.Buf{Data: good}, virtiotest.Buf{Write: true, Len: 4})
	// Short header.
	_, addrs = r.drv.Submit(qTx, false, virtiotest.Buf{Data: []byte{0, 0}}, virtiotest.Buf{Write: true, Len: statusSize})
	shortHdr := addrs[1]
	// Not a whole number of frames.
	odd := r.play(make([]byte, 6))
	g2 := r.play(good)
	if u := r.drv.TakeUsed(qTx); len(u) != 0 {
		t.Fatalf("completed out of order before START: %v", u)
	}
	r.expect(rPCMStart, sOK)
	r.clk.AdvanceTo(periodDur)
	u := r.drv.TakeUsed(qTx)
	var lens []uint32
	for _, x := range u {
		lens = append(lens, x.Len)
	}
	if diff := cmp.Diff([]uint32{8, 8, 0, 8, 8}, lens); diff != "" {
		t.Errorf("used lengths at the first period's end (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		name string
		addr uint64
		want uint32
	}{{"good", g1, sOK}, {"wrong stream", wrongStream, sBadMsg}, {"short header", shortHdr, sBadMsg}, {"odd size", odd, sBadMsg}} {
		if st := r.status(c.addr); st != c.want {
			t.Errorf("%s: status %#x, want %#x", c.name, st, c.want)
		}
	}
	r.clk.AdvanceTo(2 * periodDur)
	if u := r.drv.TakeUsed(qTx); len(u) != 1 || r.status(g2) != sOK {
		t.Errorf("second good buffer: used %v status %#x", u, r.status(g2))
	}
	if got := r.dev.Stats().GuestErrors; got != 4 {
		t.Errorf("%d guest errors, want 4", got)
	}
	if r.drv.Read(0x070)&virtio.StatusDeviceNeedsReset != 0 {
		t.Error("device needs reset")
	}
}

func TestCapture(t *testing.T) {
	for _, tone := range []bool{false, true} {
		o := Options{}
		if tone {
			o.Source = audio.Tone{Freq: 440, Amplitude: 0.5}
		}
		r := newRig(t, o)
		in := audio.Format{Sample: audio.S16, Rate: 8000, Channels: 1}
		if st := r.setParams(StreamInput, 640, 160, 1, fmtS16, 1); st != sOK {
			t.Fatalf("SET_PARAMS %#x", st)
		}
		if st := r.cmd(rPCMPrepare, StreamInput); st != sOK {
			t.Fatal(st)
		}
		r.clk.AdvanceTo(5e6)
		if st := r.cmd(rPCMStart, StreamInput); st != sOK {
			t.Fatal(st)
		}
		var data []uint64
		for i := 0; i < 3; i++ {
			_, addrs := r.drv.Submit(qRx, false, virtiotest.Buf{Data: le32(StreamInput)}, virtiotest.Buf{Write: true, Len: 160}, virtiotest.Buf{Write: true, Len: statusSize})
			data = append(data, addrs[1])
		}
		r.clk.AdvanceTo(5e6 + 10e6 - 1)
		if u := r.drv.TakeUsed(qRx); len(u) != 0 {
			t.Fatalf("early: %v", u)
		}
		r.clk.AdvanceTo(5e6 + 30e6)
		u := r.drv.TakeUsed(qRx)
		if len(u) != 3 || u[0].Len != 168 {
			t.Fatalf("tone=%v: used %v", tone, u)
		}
		var got []byte
		for _, a := range data {
			got = append(got, r.drv.Mem(a, 160)...)
			if st := r.status(a + 160); st != sOK {
				// The status buffer follows the data buffer in RAM.
				t.Errorf("status %#x", st)
			}
		}
		want := make([]byte, 480)
		if tone {
			o.Source.Read(5e6, in, want)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("tone=%v: captured data differs from the source", tone)
		}
		if s := r.dev.Stats(); s.FramesCaptured != 240 || s.BuffersCaptured != 3 {
			t.Errorf("stats %+v", s)
		}
	}
}

func TestRestoreReplaysInFlightBuffers(t *testing.T) {
	r := newRig(t, Options{})
	r.startPlayback(t)
	sine := audio.Sine(out48k, 1000, 0.5, 3*1200)
	for i := 0; i < 3; i++ {
		r.play(sine[i*period : (i+1)*period])
	}
	r.expect(rPCMStart, sOK)
	r.clk.AdvanceTo(periodDur + periodDur/2) // one played, one half-way
	r.drv.TakeUsed(qTx)
	ds, ts := r.dev.State(), r.drv.Transport.State()
	if ds.InFlight != [2]uint16{2, 0} || ds.Streams[0].State != StateStarted {
		t.Fatalf("state %+v", ds)
	}

	// A second machine with the same RAM.
	r2 := newRig(t, Options{})
	copy(r2.drv.RAM, r.drv.RAM)
	for i := range r2.drv.Queues {
		*r2.drv.Queues[i] = *r.drv.Queues[i]
	}
	r2.clk.AdvanceTo(1e9)
	if err := r2.drv.Transport.Restore(ts); err != nil {
		t.Fatal(err)
	}
	if err := r2.dev.Restore(ds); err != nil {
		t.Fatal(err)
	}
	r2.clk.AdvanceTo(1e9 + 2*periodDur)
	if u := r2.drv.TakeUsed(qTx); len(u) != 2 {
		t.Fatalf("after restore: used %v", u)
	}
	var times []uint64
	for _, c := range r2.rec.Chunks {
		times = append(times, c.At)
	}
	if diff := cmp.Diff([]uint64{1e9, 1e9 + periodDur}, times); diff != "" {
		t.Errorf("times after restore (-want +got):\n%s", diff)
	}
	if got := append(r.rec.Data(), r2.rec.Data()...); !bytes.Equal(got, sine) {
		t.Error("samples lost or repeated across the restore")
	}
}

func TestRestoreRejectsBadState(t *testing.T) {
	r := newRig(t, Options{})
	good := r.dev.State()
	bad := func(f func(*State)) State {
		s := good
		s.Streams = append([]StreamState(nil), good.Streams...)
		f(&s)
		return s
	}
	for name, s := range map[string]State{
		"version":   bad(func(s *State) { s.Version = 99 }),
		"streams":   bad(func(s *State) { s.Streams = s.Streams[:1] }),
		"state":     bad(func(s *State) { s.Streams[1].State = 7 }),
		"channels":  bad(func(s *State) { s.Streams[0].Params.Channels = 9 }),
		"rate":      bad(func(s *State) { s.Streams[0].Params.Rate = 30 }),
		"period":    bad(func(s *State) { s.Streams[0].Params.PeriodBytes = 0 }),
		"in flight": bad(func(s *State) { s.InFlight[0] = 3 }), // the device has served its queues
	} {
		if err := r.dev.Restore(s); !errors.Is(err, ErrBadState) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := r.dev.Restore(good); err != nil {
		t.Error(err)
	}
}

func TestResetForgetsStreams(t *testing.T) {
	r := newRig(t, Options{})
	r.startPlayback(t)
	r.play(make([]byte, period))
	r.expect(rPCMStart, sOK)
	r.drv.Write(0x070, 0) // reset
	r.clk.AdvanceTo(1e9)
	if len(r.rec.Chunks) != 0 {
		t.Error("played after reset")
	}
	if s := r.dev.State(); s.Streams[0].State != StateSetParams || s.InFlight != [2]uint16{} {
		t.Errorf("state after reset %+v", s)
	}
}

func TestPlaybackToWAV(t *testing.T) {
	var buf seekBuffer
	ww, err := audio.NewWAVWriter(&buf, audio.WAVOptions{FillGaps: true})
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, Options{Sink: ww})
	// 44.1 kHz mono S16 in 10 ms periods: the file is 48 kHz stereo.
	if st := r.setParams(StreamOutput, 4*882, 882, 1, fmtS16, 6); st != sOK {
		t.Fatalf("SET_PARAMS %#x", st)
	}
	r.expect(rPCMPrepare, sOK)
	f := audio.Format{Sample: audio.S16, Rate: 44100, Channels: 1}
	sine := audio.Sine(f, 440, 0.5, 44100/2)
	for i := 0; i < 4; i++ {
		r.play(sine[i*882 : (i+1)*882])
	}
	r.expect(rPCMStart, sOK)
	for i := 4; i < 50; i++ {
		r.clk.AdvanceTo(r.clk.Now() + 10e6)
		r.drv.TakeUsed(qTx)
		r.play(sine[i*882 : (i+1)*882])
	}
	r.clk.AdvanceTo(r.clk.Now() + 1e9)
	if err := ww.Close(); err != nil {
		t.Fatal(err)
	}
	wf, frames, err := audio.ReadWAV(bytes.NewReader(buf.b))
	if err != nil {
		t.Fatal(err)
	}
	if wf != audio.DefaultFormat {
		t.Errorf("format %v", wf)
	}
	for ch, x := range audio.Decode(wf, frames) {
		if n := len(x); n < 23990 || n > 24000 {
			t.Errorf("channel %d: %d frames, want half a second", ch, n)
		}
		if got := audio.ZeroCrossingFrequency(x, 48000); math.Abs(got-440) > 0.5 {
			t.Errorf("channel %d: %.2f Hz", ch, got)
		}
		if got := audio.RMS(x); math.Abs(got-0.3536) > 0.005 {
			t.Errorf("channel %d: RMS %.4f", ch, got)
		}
	}
}

// seekBuffer is an in-memory io.WriteSeeker.
type seekBuffer struct {
	b   []byte
	off int
}

func (s *seekBuffer) Write(p []byte) (int, error) {
	if n := s.off + len(p); n > len(s.b) {
		s.b = append(s.b, make([]byte, n-len(s.b))...)
	}
	copy(s.b[s.off:], p)
	s.off += len(p)
	return len(p), nil
}

func (s *seekBuffer) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
		s.off = int(off)
	case io.SeekCurrent:
		s.off += int(off)
	case io.SeekEnd:
		s.off = len(s.b) + int(off)
	}
	return int64(s.off), nil
}

// FuzzRequests throws arbitrary control requests and I/O buffers at the
// device: each must complete, and nothing may panic.
func FuzzRequests(f *testing.F) {
	f.Add(le32(rPCMInfo, 0, 2, pcmInfoSize), uint16(68), []byte{0, 0, 0, 0, 1, 2, 3, 4}, uint8(8))
	f.Add(setParamsReq(0, 8192, 2048, 2, fmtS16, 7), uint16(4), []byte{1, 0, 0, 0}, uint8(200))
	f.Add(le32(rPCMStart, 0), uint16(4), []byte{0, 0, 0, 0, 9, 9}, uint8(8))
	f.Fuzz(func(t *testing.T, req []byte, room uint16, xfer []byte, xroom uint8) {
		r := newRig(t, Options{Chmaps: true})
		r.startPlayback(t)
		r.expect(rPCMStart, sOK)
		r.drv.Submit(qControl, false, virtiotest.Buf{Data: req}, virtiotest.Buf{Write: true, Len: int(room)})
		if u := r.drv.TakeUsed(qControl); len(u) != 1 {
			t.Fatalf("control: used %v", u)
		}
		bufs := []virtiotest.Buf{{Data: xfer}}
		if xroom > 0 {
			bufs = append(bufs, virtiotest.Buf{Write: true, Len: int(xroom)})
		}
		if len(xfer) == 0 {
			bufs = bufs[1:]
		}
		if len(bufs) == 0 {
			return
		}
		r.drv.Submit(qTx, false, bufs...)
		r.drv.Submit(qRx, false, bufs...)
		r.clk.AdvanceTo(10e9)
		r.drv.TakeUsed(qTx)
		r.drv.TakeUsed(qRx)
	})
}
