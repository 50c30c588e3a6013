package sdl

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/audio"
)

// fakeQueue is a Queue whose playback the test drives.
type fakeQueue struct {
	data   []byte
	closed bool
}

func (q *fakeQueue) Queued() int        { return len(q.data) }
func (q *fakeQueue) Put(b []byte) error { q.data = append(q.data, b...); return nil }
func (q *fakeQueue) Close() error       { q.closed = true; return nil }

// play consumes d of audio.
func (q *fakeQueue) play(f audio.Format, d time.Duration) {
	n := min(len(q.data), int(f.FramesIn(uint64(d)))*f.FrameBytes())
	q.data = q.data[n:]
}

func TestAudioSink(t *testing.T) {
	out := audio.DefaultFormat // S16 48 kHz stereo: 4 bytes a frame
	q := &fakeQueue{}
	s, err := NewAudioSink(q, out)
	if err != nil {
		t.Fatal(err)
	}
	period := 10 * time.Millisecond
	frames := audio.Sine(out, 440, 0.5, int(out.FramesIn(uint64(period)))) // 480 frames
	ms := func(d time.Duration) int { return int(out.FramesIn(uint64(d))) * out.FrameBytes() }

	// First write: the start cushion, then the frames.
	s.Write(0, out, frames)
	if got, want := q.Queued(), ms(StartLatency)+len(frames); got != want {
		t.Fatalf("after the first write: %d bytes queued, want %d", got, want)
	}
	// Steady state: the host plays as fast as the guest writes.
	at := uint64(period)
	for range 10 {
		q.play(out, period)
		s.Write(at, out, frames)
		at += uint64(period)
	}
	if st := s.Stats(); st.Underruns != 0 || st.Dropped != 0 {
		t.Errorf("steady state: %+v", st)
	}
	// The host runs dry before the next period: one underrun, and a new
	// cushion.
	q.play(out, time.Second)
	s.Write(at, out, frames)
	at += uint64(period)
	if got, want := q.Queued(), ms(StartLatency)+len(frames); got != want {
		t.Errorf("after the underrun: %d bytes queued, want %d", got, want)
	}
	// A guest faster than real time: the queue stops at MaxLatency.
	for range 50 {
		s.Write(at, out, frames)
		at += uint64(period)
	}
	if got, want := q.Queued(), ms(MaxLatency); got != want {
		t.Errorf("flooded: %d bytes queued, want %d", got, want)
	}
	// The stream stops and starts later: not an underrun.
	q.play(out, time.Second)
	s.Write(at+uint64(time.Second), out, frames)
	s.Underrun(at)
	got := s.Stats()
	// Queued+Dropped is everything offered: 63 periods and 3 cushions.
	offered := uint64(63*len(frames)/4 + 3*ms(StartLatency)/4)
	if total := got.Queued + got.Dropped; total != offered {
		t.Errorf("queued %d + dropped %d = %d frames, want %d", got.Queued, got.Dropped, total, offered)
	}
	if diff := cmp.Diff(AudioStats{Underruns: 1, GuestUnderruns: 1}, AudioStats{Underruns: got.Underruns, GuestUnderruns: got.GuestUnderruns}); diff != "" {
		t.Errorf("underruns (-want +got):\n%s", diff)
	}
	if got.Dropped == 0 {
		t.Errorf("nothing dropped: %+v", got)
	}
	// Long guest periods: one period over the cushion is kept, no more.
	q.data = nil
	long := audio.Sine(out, 440, 0.5, int(out.FramesIn(uint64(100*time.Millisecond))))
	at += 10 * uint64(time.Second)
	dropped := s.Stats().Dropped
	for range 5 {
		s.Write(at, out, long)
		at += uint64(100 * time.Millisecond)
		q.play(out, 100*time.Millisecond)
	}
	if d := s.Stats().Dropped - dropped; d != 0 {
		t.Errorf("100 ms periods in real time: %d frames dropped", d)
	}
	for range 5 {
		s.Write(at, out, long)
		at += uint64(100 * time.Millisecond)
	}
	if got, want := q.Queued(), ms(StartLatency)+len(long); got != want {
		t.Errorf("100 ms periods, flooded: %d bytes queued, want %d", got, want)
	}

	// Other formats are converted.
	mono8k := audio.Format{Sample: audio.U8, Rate: 8000, Channels: 1}
	q.data = nil
	s.Write(at+uint64(2*time.Second), mono8k, make([]byte, 80))
	if q.Queued()%out.FrameBytes() != 0 || q.Queued() <= ms(StartLatency) {
		t.Errorf("converted write queued %d bytes", q.Queued())
	}
	if err := s.Close(); err != nil || !q.closed {
		t.Errorf("Close: %v, closed %v", err, q.closed)
	}
	before := q.Queued()
	if err := s.Write(at, out, frames); err != nil || q.Queued() != before {
		t.Errorf("Write after Close: %v, queued %d -> %d", err, before, q.Queued())
	}
}
