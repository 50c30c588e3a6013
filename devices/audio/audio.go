// Package audio is the host side of guest sound: the PCM formats a guest
// plays and records, the Sink a sound device hands played frames to and
// the Source it captures frames from, and the plain back ends every
// frontend shares (a WAV file writer for --audio-out, a null sink, a
// fan-out, silence and tone sources, an in-memory recorder for tests).
//
// # Time
//
// A sound device consumes the guest's buffers at the rate the stream's
// parameters give, following the machine's virtual clock (devices/clock),
// and calls its Sink with each run of frames and the virtual time (ns since
// machine start) at which the first of them plays. With --icount the
// calls, their times and their samples are identical on every run, so a
// recording made headless is a test artefact. A Sink that feeds a real
// sound card (the SDL frontend) may ignore the time and queue the frames.
//
// Sinks and sources are called on the machine's goroutine; a back end that
// talks to slow host I/O buffers internally.
//
// # Conversion
//
// Converter turns any Format into one fixed output format (rate, sample
// format and channel count) with integer arithmetic only, so its output is
// the same on every host; resampling is linear interpolation, which is
// plenty for recording and checking tones (see analysis.go).
package audio

import (
	"errors"
	"fmt"
	"math/bits"
)

// SampleFormat is how one sample is stored. Multi-byte formats are
// little-endian, as virtio requires.
type SampleFormat uint8

// Sample formats.
const (
	U8 SampleFormat = iota + 1
	S8
	S16
	U16
	S32
	U32
	F32 // IEEE 754 single precision, nominal range [-1, 1]
)

var sampleNames = [...]string{U8: "U8", S8: "S8", S16: "S16_LE", U16: "U16_LE", S32: "S32_LE", U32: "U32_LE", F32: "FLOAT_LE"}

func (s SampleFormat) String() string {
	if int(s) < len(sampleNames) && sampleNames[s] != "" {
		return sampleNames[s]
	}
	return fmt.Sprintf("SampleFormat(%d)", uint8(s))
}

// Bytes returns the size of one sample, 0 for an unknown format.
func (s SampleFormat) Bytes() int {
	switch s {
	case U8, S8:
		return 1
	case S16, U16:
		return 2
	case S32, U32, F32:
		return 4
	}
	return 0
}

// Limits of a Format.
const (
	MinRate     = 1000
	MaxRate     = 384000
	MaxChannels = 8
)

// Format describes a stream of interleaved frames.
type Format struct {
	Sample   SampleFormat
	Rate     int // frames per second
	Channels int
}

// DefaultFormat is what recordings are written in unless told otherwise:
// 48 kHz, signed 16-bit, stereo.
var DefaultFormat = Format{Sample: S16, Rate: 48000, Channels: 2}

func (f Format) String() string { return fmt.Sprintf("%s %d Hz %dch", f.Sample, f.Rate, f.Channels) }

// FrameBytes returns the size of one frame (a sample per channel).
func (f Format) FrameBytes() int { return f.Sample.Bytes() * f.Channels }

// ErrFormat is wrapped by every error about an unsupported format.
var ErrFormat = errors.New("audio: unsupported format")

// Check reports whether the format is one this package handles.
func (f Format) Check() error {
	switch {
	case f.Sample.Bytes() == 0:
		return fmt.Errorf("%w: sample format %v", ErrFormat, f.Sample)
	case f.Rate < MinRate || f.Rate > MaxRate:
		return fmt.Errorf("%w: rate %d Hz", ErrFormat, f.Rate)
	case f.Channels < 1 || f.Channels > MaxChannels:
		return fmt.Errorf("%w: %d channels", ErrFormat, f.Channels)
	}
	return nil
}

// Duration returns how long frames last at the format's rate, in virtual
// nanoseconds, rounded down. It is exact (128-bit) for any frame count.
func (f Format) Duration(frames uint64) uint64 { return scale(frames, 1e9, uint64(f.Rate)) }

// FramesIn returns how many whole frames play in ns nanoseconds.
func (f Format) FramesIn(ns uint64) uint64 { return scale(ns, uint64(f.Rate), 1e9) }

// scale returns a*b/c rounded down, saturating at the largest uint64.
func scale(a, b, c uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi >= c {
		return ^uint64(0)
	}
	q, _ := bits.Div64(hi, lo, c)
	return q
}

// Sink receives the frames a guest plays.
type Sink interface {
	// Write hands over frames, interleaved in format f (whole frames),
	// whose first frame plays at virtual time at (ns). Consecutive calls
	// have non-decreasing times; a call whose time lies beyond the end of
	// the previous one marks a gap (the stream stopped or ran dry). The
	// sink must not keep frames after it returns. An error is a host
	// failure: the caller logs it and goes on.
	Write(at uint64, f Format, frames []byte) error
	// Close flushes and releases the back end.
	Close() error
}

// UnderrunNotifier is implemented by sinks that want to know when a
// running stream ran out of guest data (for statistics): at is the
// virtual time the data ran out.
type UnderrunNotifier interface {
	Underrun(at uint64)
}

// Source provides the frames a guest records.
type Source interface {
	// Read fills frames (whole frames in format f) with what was captured
	// starting at virtual time at. An error is a host failure: the caller
	// logs it and records silence.
	Read(at uint64, f Format, frames []byte) error
}

// Discard is a Sink that drops everything.
var Discard Sink = nullSink{}

type nullSink struct{}

func (nullSink) Write(uint64, Format, []byte) error { return nil }
func (nullSink) Close() error                       { return nil }

// Silence is a Source that records silence (the default capture source).
var Silence Source = silence{}

type silence struct{}

func (silence) Read(_ uint64, f Format, frames []byte) error {
	FillSilence(f.Sample, frames)
	return nil
}

// FillSilence fills b with the silent value of sample format s (zero for
// signed and float formats, the midpoint for unsigned ones).
func FillSilence(s SampleFormat, b []byte) {
	clear(b)
	switch s {
	case U8:
		for i := range b {
			b[i] = 0x80
		}
	case U16:
		for i := 1; i < len(b); i += 2 {
			b[i] = 0x80
		}
	case U32:
		for i := 3; i < len(b); i += 4 {
			b[i] = 0x80
		}
	}
}

// Fanout returns a Sink that writes to every one of sinks, in order.
// Underruns are forwarded to those that implement UnderrunNotifier.
func Fanout(sinks ...Sink) Sink { return fanout(append([]Sink(nil), sinks...)) }

type fanout []Sink

var _ UnderrunNotifier = fanout(nil)

func (fo fanout) Write(at uint64, f Format, frames []byte) error {
	var errs []error
	for _, s := range fo {
		if err := s.Write(at, f, frames); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (fo fanout) Close() error {
	var errs []error
	for _, s := range fo {
		if err := s.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (fo fanout) Underrun(at uint64) {
	for _, s := range fo {
		if u, ok := s.(UnderrunNotifier); ok {
			u.Underrun(at)
		}
	}
}

// Chunk is one Write a Recorder received.
type Chunk struct {
	At     uint64
	Format Format
	Data   []byte
}

// Recorder is a Sink that keeps everything in memory, for tests.
type Recorder struct {
	Chunks    []Chunk
	Underruns []uint64 // times of the underruns reported
	Closed    bool
}

var (
	_ Sink             = (*Recorder)(nil)
	_ UnderrunNotifier = (*Recorder)(nil)
)

// Write implements Sink.
func (r *Recorder) Write(at uint64, f Format, frames []byte) error {
	r.Chunks = append(r.Chunks, Chunk{At: at, Format: f, Data: append([]byte(nil), frames...)})
	return nil
}

// Close implements Sink.
func (r *Recorder) Close() error { r.Closed = true; return nil }

// Underrun implements UnderrunNotifier.
func (r *Recorder) Underrun(at uint64) { r.Underruns = append(r.Underruns, at) }

// Data returns the concatenation of every chunk's frames.
func (r *Recorder) Data() []byte {
	var b []byte
	for _, c := range r.Chunks {
		b = append(b, c.Data...)
	}
	return b
}
