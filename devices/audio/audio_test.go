package audio

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDuration(t *testing.T) {
	f := Format{Sample: S16, Rate: 44100, Channels: 2}
	for _, c := range []struct{ frames, ns uint64 }{
		{0, 0}, {1, 22675}, {441, 10_000_000}, {44100, 1e9}, {44100 * 3600 * 24 * 365, 3600 * 24 * 365 * 1e9},
	} {
		if got := f.Duration(c.frames); got != c.ns {
			t.Errorf("Duration(%d) = %d, want %d", c.frames, got, c.ns)
		}
	}
	if got := f.FramesIn(1e9); got != 44100 {
		t.Errorf("FramesIn(1s) = %d", got)
	}
}

func TestCheck(t *testing.T) {
	for _, f := range []Format{{}, {Sample: S16, Rate: 100, Channels: 2}, {Sample: S16, Rate: 48000}, {Sample: 99, Rate: 48000, Channels: 1}} {
		if err := f.Check(); !errors.Is(err, ErrFormat) {
			t.Errorf("%v: Check = %v, want ErrFormat", f, err)
		}
	}
	if err := DefaultFormat.Check(); err != nil {
		t.Error(err)
	}
}

var allSamples = []SampleFormat{U8, S8, S16, U16, S32, U32, F32}

func TestSampleRoundTrip(t *testing.T) {
	for _, s := range allSamples {
		for _, v := range []int32{0, 1 << 24, -1 << 24, math.MaxInt32 &^ (1<<24 - 1), math.MinInt32} {
			b := encode(nil, s, v)
			if len(b) != s.Bytes() {
				t.Fatalf("%v: %d bytes", s, len(b))
			}
			if got := decode(s, b, 0); got != v {
				t.Errorf("%v: %#x -> % x -> %#x", s, v, b, got)
			}
		}
	}
}

func TestSilence(t *testing.T) {
	for _, s := range allSamples {
		f := Format{Sample: s, Rate: 8000, Channels: 2}
		b := bytes.Repeat([]byte{0x55}, 4*f.FrameBytes())
		if err := Silence.Read(0, f, b); err != nil {
			t.Fatal(err)
		}
		for ch, x := range Decode(f, b) {
			if p := Peak(x); p != 0 {
				t.Errorf("%v channel %d: peak %g", s, ch, p)
			}
		}
	}
}

// convertChunks converts src in chunks of the given sizes (frames, cycled).
func convertChunks(t *testing.T, c *Converter, in Format, src []byte, sizes ...int) []byte {
	t.Helper()
	var out []byte
	fb := in.FrameBytes()
	for i, k := 0, 0; i < len(src); k++ {
		n := min(sizes[k%len(sizes)]*fb, len(src)-i)
		var err error
		if out, err = c.Convert(out, in, src[i:i+n]); err != nil {
			t.Fatal(err)
		}
		i += n
	}
	return out
}

func TestConverterPreservesToneAndLevel(t *testing.T) {
	for _, c := range []struct {
		in, out Format
		freq    float64
	}{
		{Format{S16, 44100, 1}, DefaultFormat, 1000},
		{Format{F32, 48000, 2}, Format{S16, 44100, 1}, 440},
		{Format{U8, 8000, 1}, DefaultFormat, 440},
		{Format{S32, 96000, 2}, Format{S16, 8000, 2}, 440},
		{Format{U16, 22050, 2}, Format{S32, 48000, 2}, 1000},
		{Format{S8, 11025, 1}, Format{U8, 11025, 2}, 500},
	} {
		const amp = 0.5
		frames := c.in.Rate // one second
		src := Sine(c.in, c.freq, amp, frames)
		conv, err := NewConverter(c.out)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := conv.Convert(nil, c.in, src)
		if err != nil {
			t.Fatal(err)
		}
		conv.Reset()
		chunked := convertChunks(t, conv, c.in, src, 441, 1, 7, 1024, 3)
		if !bytes.Equal(whole, chunked) {
			t.Errorf("%v -> %v: output depends on how the input was cut", c.in, c.out)
		}
		n := len(whole) / c.out.FrameBytes()
		if want := frames * c.out.Rate / c.in.Rate; n < want-c.out.Rate/c.in.Rate-1 || n > want { // the last input frame is held back
			t.Errorf("%v -> %v: %d frames, want about %d", c.in, c.out, n, want)
		}
		for ch, x := range Decode(c.out, whole) {
			if f := ZeroCrossingFrequency(x, c.out.Rate); math.Abs(f-c.freq) > c.freq*0.001 {
				t.Errorf("%v -> %v channel %d: %.2f Hz, want %g", c.in, c.out, ch, f, c.freq)
			}
			tol := 0.02
			if c.in.Sample == U8 || c.in.Sample == S8 || c.out.Sample == U8 {
				tol = 0.05 // 8-bit quantisation
			}
			if r := RMS(x); math.Abs(r-amp/math.Sqrt2) > amp/math.Sqrt2*tol {
				t.Errorf("%v -> %v channel %d: RMS %.4f, want %.4f", c.in, c.out, ch, r, amp/math.Sqrt2)
			}
		}
	}
}

func TestConverterChannels(t *testing.T) {
	in := Format{S16, 8000, 2}
	frame := append(encode(nil, S16, 1000<<16), encode(nil, S16, 3000<<16)...)
	for _, c := range []struct {
		out  Format
		want []int32
	}{
		{Format{S16, 8000, 1}, []int32{2000 << 16}},
		{Format{S16, 8000, 2}, []int32{1000 << 16, 3000 << 16}},
		{Format{S16, 8000, 3}, []int32{1000 << 16, 3000 << 16, 0}},
	} {
		conv, _ := NewConverter(c.out)
		out, err := conv.Convert(nil, in, frame)
		if err != nil {
			t.Fatal(err)
		}
		var got []int32
		for i := 0; i < c.out.Channels; i++ {
			got = append(got, decode(S16, out, i))
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("2 -> %d channels (-want +got):\n%s", c.out.Channels, diff)
		}
	}
	conv, _ := NewConverter(DefaultFormat)
	if _, err := conv.Convert(nil, Format{Sample: 42, Rate: 8000, Channels: 1}, []byte{1}); !errors.Is(err, ErrFormat) {
		t.Errorf("bad input format: %v", err)
	}
}

func TestAnalysis(t *testing.T) {
	f := Format{F32, 48000, 1}
	x := Decode(f, Sine(f, 1234.5, 0.25, 16384))[0]
	if got := DominantFrequency(x, f.Rate, 100, 5000); math.Abs(got-1234.5) > 1 {
		t.Errorf("DominantFrequency = %g", got)
	}
	if got := ZeroCrossingFrequency(x, f.Rate); math.Abs(got-1234.5) > 0.5 {
		t.Errorf("ZeroCrossingFrequency = %g", got)
	}
	if got := ToneLevel(x, f.Rate, 1234.5); math.Abs(got-0.25) > 0.01 {
		t.Errorf("ToneLevel at the tone = %g", got)
	}
	if got := ToneLevel(x, f.Rate, 3000); got > 0.001 {
		t.Errorf("ToneLevel away from the tone = %g", got)
	}
	if got := RMS(x); math.Abs(got-0.25/math.Sqrt2) > 0.001 {
		t.Errorf("RMS = %g", got)
	}
}

func TestWAVWriterConvertsFormatChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.wav")
	ww, err := CreateWAV(path, WAVOptions{FillGaps: true})
	if err != nil {
		t.Fatal(err)
	}
	a := Format{S16, 44100, 1}
	b := Format{F32, 22050, 2}
	// Half a second of 440 Hz at 44.1 kHz, in period-sized pieces.
	sa := Sine(a, 440, 0.5, 22050)
	at := uint64(5e9)
	for i := 0; i < len(sa); i += 441 * 2 {
		if err := ww.Write(at+a.Duration(uint64(i/2)), a, sa[i:i+882]); err != nil {
			t.Fatal(err)
		}
	}
	// Then a quarter second gap and half a second of 1 kHz in another format.
	sb := Sine(b, 1000, 0.5, 11025)
	if err := ww.Write(at+750e6, b, sb); err != nil {
		t.Fatal(err)
	}
	ww.Underrun(at + 500e6)
	if ww.Underruns() != 1 {
		t.Errorf("Underruns = %d", ww.Underruns())
	}
	if err := ww.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, frames, err := ReadWAV(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(DefaultFormat, f); diff != "" {
		t.Errorf("format (-want +got):\n%s", diff)
	}
	if len(data) != 44+len(frames) {
		t.Errorf("file of %d bytes with %d bytes of frames", len(data), len(frames))
	}
	n := len(frames) / 4
	if n < 59990 || n > 60000 {
		t.Errorf("%d frames, want 1.25 s at 48 kHz", n)
	}
	for ch, x := range Decode(f, frames) {
		first, gap, second := x[:24000-10], x[24010:36000-10], x[36010:]
		if got := ZeroCrossingFrequency(first, 48000); math.Abs(got-440) > 0.5 {
			t.Errorf("channel %d: first part at %.2f Hz", ch, got)
		}
		if p := Peak(gap); p != 0 {
			t.Errorf("channel %d: gap peak %g", ch, p)
		}
		if got := ZeroCrossingFrequency(second, 48000); math.Abs(got-1000) > 1 {
			t.Errorf("channel %d: second part at %.2f Hz", ch, got)
		}
		if r := RMS(second); math.Abs(r-0.3536) > 0.01 {
			t.Errorf("channel %d: second part RMS %.4f", ch, r)
		}
	}
}

func TestWAVWriterWithoutGaps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.wav")
	ww, err := CreateWAV(path, WAVOptions{Format: Format{U8, 8000, 1}})
	if err != nil {
		t.Fatal(err)
	}
	f := Format{U8, 8000, 1}
	ww.Write(0, f, []byte{1, 2, 3})
	ww.Write(1e9, f, []byte{4, 5})
	if err := ww.Close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	gf, frames, err := ReadWAV(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if gf != f || !bytes.Equal(frames, []byte{1, 2, 3, 4, 5}) {
		t.Errorf("got %v % x", gf, frames)
	}
	if err := ww.Write(0, f, []byte{1}); err != nil {
		t.Errorf("write after close: %v (want it dropped quietly)", err)
	}
}

func TestWAVWriterRejectsFormats(t *testing.T) {
	for _, f := range []Format{{F32, 48000, 2}, {S16, 48000, 6}, {S16, 10, 2}} {
		if _, err := NewWAVWriter(nil, WAVOptions{Format: f}); !errors.Is(err, ErrFormat) {
			t.Errorf("%v: %v", f, err)
		}
	}
}

func TestReadWAVRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("RIFF\x00\x00\x00\x00WAVE"), []byte("RIFF\x00\x00\x00\x00WAVEdata\xff\xff\xff\xff")} {
		if _, _, err := ReadWAV(bytes.NewReader(b)); err == nil {
			t.Errorf("% x: no error", b)
		}
	}
}

type failingSink struct{ Recorder }

func (*failingSink) Write(uint64, Format, []byte) error { return errors.New("boom") }

func TestFanout(t *testing.T) {
	var a, b Recorder
	bad := &failingSink{}
	fo := Fanout(&a, Discard, bad, &b)
	if err := fo.Write(7, DefaultFormat, []byte{1, 2, 3, 4}); err == nil {
		t.Error("a failing member's error was lost")
	}
	fo.(UnderrunNotifier).Underrun(9)
	if err := fo.Close(); err != nil {
		t.Error(err)
	}
	want := Recorder{Chunks: []Chunk{{7, DefaultFormat, []byte{1, 2, 3, 4}}}, Underruns: []uint64{9}, Closed: true}
	for _, r := range []*Recorder{&a, &b} {
		if diff := cmp.Diff(want, *r); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
	if !bad.Closed {
		t.Error("failing member not closed")
	}
}

func TestToneFollowsTime(t *testing.T) {
	f := Format{S16, 48000, 2}
	whole := make([]byte, 960*f.FrameBytes())
	Tone{Freq: 440, Amplitude: 0.5}.Read(1e9, f, whole)
	part := make([]byte, 480*f.FrameBytes())
	Tone{Freq: 440, Amplitude: 0.5}.Read(1e9+10e6, f, part)
	if !bytes.Equal(whole[480*f.FrameBytes():], part) {
		t.Error("a tone read later does not continue the earlier one")
	}
}
