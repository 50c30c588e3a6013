package sdl

import (
	"sync"
	"sync/atomic"
	"time"

	"mimic/devices/audio"
)

// Queue is a host audio device fed by queueing, as SDL_QueueAudio does:
// what is queued plays at the device's rate, and it plays silence when
// the queue is empty. Its methods may be called from any goroutine.
type Queue interface {
	// Queued returns the bytes queued and not yet played.
	Queued() int
	// Put appends b to the queue.
	Put(b []byte) error
	// Close stops playback and releases the device.
	Close() error
}

// Latency bounds of the sink. The guest's timing follows the virtual
// clock, which in realtime mode follows the host's, so in steady state
// the queue holds about one guest period; the bounds absorb jitter.
const (
	// MaxLatency is the most audio the sink lets queue up: what would
	// come beyond it is dropped, so that sound never lags the picture by
	// more (a guest running faster than real time, or a host stall).
	// A guest whose periods are longer than MaxLatency-StartLatency gets
	// StartLatency plus one period instead: the sound device hands over
	// a whole period when its time has passed, so less would drop
	// samples in steady state.
	MaxLatency = 80 * time.Millisecond
	// StartLatency is the silence queued before a stream's first frames
	// (and after an underrun), so that a late guest period does not
	// empty the queue at once.
	StartLatency = 30 * time.Millisecond
)

// AudioSink is an audio.Sink that plays on a Queue: frames are converted
// to the queue's format, the queue is kept under MaxLatency, and an
// empty queue while the guest's stream runs counts as an underrun.
// Write, Underrun and Close are called on the machine's goroutine; the
// counters may be read from any.
type AudioSink struct {
	mu      sync.Mutex
	q       Queue
	out     audio.Format
	conv    *audio.Converter
	buf     []byte
	closed  bool
	running bool   // frames were queued and the stream has not stopped
	end     uint64 // virtual time just after the last frame written

	underruns, guestUnderruns atomic.Uint64
	dropped, played           atomic.Uint64 // frames, in the queue's format
}

var (
	_ audio.Sink             = (*AudioSink)(nil)
	_ audio.UnderrunNotifier = (*AudioSink)(nil)
)

// NewAudioSink returns a sink playing on q, which takes frames in format
// out.
func NewAudioSink(q Queue, out audio.Format) (*AudioSink, error) {
	conv, err := audio.NewConverter(out)
	if err != nil {
		return nil, err
	}
	return &AudioSink{q: q, out: out, conv: conv}, nil
}

// bytesIn returns the whole frames, in bytes, that play in d.
func (s *AudioSink) bytesIn(d time.Duration) int {
	return int(s.out.FramesIn(uint64(d))) * s.out.FrameBytes()
}

// gapSlack is how far past the previous write's end a write may start
// and still continue the same stream (the resampler holds frames back,
// the device rounds periods).
const gapSlack = uint64(5 * time.Millisecond)

// Write implements audio.Sink.
func (s *AudioSink) Write(at uint64, f audio.Format, frames []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	if s.running && at > s.end+gapSlack {
		// The guest's stream stopped and started again: a new stream.
		s.running = false
		s.conv.Reset()
	}
	if n := uint64(len(frames) / max(1, f.FrameBytes())); f.Rate > 0 {
		s.end = at + f.Duration(n)
	}
	var err error
	s.buf, err = s.conv.Convert(s.buf[:0], f, frames)
	if err != nil {
		return err
	}
	queued := s.q.Queued()
	fb := s.out.FrameBytes()
	limit := max(s.bytesIn(MaxLatency), s.bytesIn(StartLatency)+len(s.buf))
	if s.running && queued == 0 {
		// The host played everything before the guest's next frames
		// came: the listener heard a gap.
		s.underruns.Add(1)
		s.running = false
	}
	if !s.running {
		cushion := make([]byte, s.bytesIn(StartLatency))
		audio.FillSilence(s.out.Sample, cushion)
		s.buf = append(cushion, s.buf...)
	}
	if room := max(0, limit-queued) / fb * fb; len(s.buf) > room {
		s.dropped.Add(uint64((len(s.buf) - room) / fb))
		s.buf = s.buf[:room]
	}
	if len(s.buf) == 0 {
		return nil
	}
	s.running = true
	s.played.Add(uint64(len(s.buf) / fb))
	return s.q.Put(s.buf)
}

// Underrun implements audio.UnderrunNotifier: the guest did not give the
// device its next period in time.
func (s *AudioSink) Underrun(uint64) { s.guestUnderruns.Add(1) }

// Close implements audio.Sink: it stops playback at once.
func (s *AudioSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.q.Close()
}

// AudioStats are a sink's counters.
type AudioStats struct {
	// Underruns counts the times the host queue ran empty while the
	// guest's stream was running (the host heard a gap);
	// GuestUnderruns the times the sound device reported the guest late.
	Underruns, GuestUnderruns uint64
	// Queued and Dropped are frames in the queue's format: sent to the
	// host, and thrown away to keep the latency under MaxLatency.
	Queued, Dropped uint64
}

// Stats returns the sink's counters; any goroutine.
func (s *AudioSink) Stats() AudioStats {
	return AudioStats{
		Underruns: s.underruns.Load(), GuestUnderruns: s.guestUnderruns.Load(),
		Queued: s.played.Load(), Dropped: s.dropped.Load(),
	}
}
