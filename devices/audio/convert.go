package audio

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Samples are converted through a common form: int32 at full 32-bit
// scale (an S16 sample v becomes v<<16), so that every step is integer
// arithmetic and gives the same bits on every host.

// decode returns sample i of b (format s) at full 32-bit scale.
func decode(s SampleFormat, b []byte, i int) int32 {
	switch s {
	case U8:
		return int32(int8(b[i]^0x80)) << 24
	case S8:
		return int32(int8(b[i])) << 24
	case S16:
		return int32(int16(binary.LittleEndian.Uint16(b[2*i:]))) << 16
	case U16:
		return int32(int16(binary.LittleEndian.Uint16(b[2*i:])^0x8000)) << 16
	case S32:
		return int32(binary.LittleEndian.Uint32(b[4*i:]))
	case U32:
		return int32(binary.LittleEndian.Uint32(b[4*i:]) ^ 0x80000000)
	case F32:
		return floatToS32(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
	}
	return 0
}

// floatToS32 maps [-1, 1] onto the int32 range, clamping; NaN is silence.
func floatToS32(f float32) int32 {
	switch {
	case f != f:
		return 0
	case f >= 1:
		return math.MaxInt32
	case f <= -1:
		return math.MinInt32
	}
	// One multiplication and a truncating conversion: exact enough and
	// the same on every host (no fused multiply-add to differ on).
	return int32(float64(f) * 2147483648)
}

// encode appends v (full 32-bit scale) in format s to dst.
func encode(dst []byte, s SampleFormat, v int32) []byte {
	switch s {
	case U8:
		return append(dst, byte(v>>24)^0x80)
	case S8:
		return append(dst, byte(v>>24))
	case S16:
		return binary.LittleEndian.AppendUint16(dst, uint16(v>>16))
	case U16:
		return binary.LittleEndian.AppendUint16(dst, uint16(v>>16)^0x8000)
	case S32:
		return binary.LittleEndian.AppendUint32(dst, uint32(v))
	case U32:
		return binary.LittleEndian.AppendUint32(dst, uint32(v)^0x80000000)
	case F32:
		return binary.LittleEndian.AppendUint32(dst, math.Float32bits(float32(float64(v)/2147483648)))
	}
	return dst
}

// Converter turns frames of any Format into one output format: sample
// format, then channels (mono is copied to every output channel; several
// channels mixed to mono are averaged; otherwise channel i feeds channel
// i and missing ones are silent), then rate by linear interpolation. It
// keeps the last input frame and its phase between calls so that a
// stream cut into buffers converts as one; a change of input format, or
// Reset, starts afresh. The zero Converter is not usable: use
// NewConverter.
type Converter struct {
	out Format

	in      Format
	started bool
	prev    []int32 // last input frame of the previous call (output channels)
	pos     int     // input frame of the next output frame: -1 is prev
	frac    uint64  // and its phase beyond pos, in 1/out.Rate units
	cur     []int32 // scratch: frames of this call, output channels
}

// NewConverter returns a converter to out, which must pass Check.
func NewConverter(out Format) (*Converter, error) {
	if err := out.Check(); err != nil {
		return nil, err
	}
	return &Converter{out: out}, nil
}

// Out returns the output format.
func (c *Converter) Out() Format { return c.out }

// Reset forgets the interpolation state (call it at a discontinuity).
func (c *Converter) Reset() { c.started, c.pos, c.frac = false, 0, 0 }

// Convert appends to dst the conversion of src, whole frames in format
// in (a trailing partial frame is ignored), and returns the extended
// slice. When the rates differ, up to one input frame is held back until
// the next call. An unsupported input format is an error.
func (c *Converter) Convert(dst []byte, in Format, src []byte) ([]byte, error) {
	if err := in.Check(); err != nil {
		return dst, err
	}
	if !c.started || in != c.in {
		c.Reset()
		c.in, c.started = in, true
	}
	n := len(src) / in.FrameBytes()
	oc := c.out.Channels
	c.cur = c.cur[:0]
	for i := 0; i < n; i++ {
		c.cur = c.mapChannels(c.cur, src, i)
	}
	if in.Rate == c.out.Rate {
		for _, v := range c.cur {
			dst = encode(dst, c.out.Sample, v)
		}
		return dst, nil
	}
	// The next output frame lies at input position c.pos + c.frac/outRate,
	// where position -1 is the last frame of the previous call (c.prev)
	// and 0 the first frame of this one.
	at := func(i int) []int32 {
		if i < 0 {
			return c.prev
		}
		return c.cur[i*oc : i*oc+oc]
	}
	ri, ro := uint64(in.Rate), uint64(c.out.Rate)
	p := c.pos
	for p+1 < n {
		a, b := at(p), at(p+1)
		for ch := 0; ch < oc; ch++ {
			d := int64(b[ch]) - int64(a[ch])
			dst = encode(dst, c.out.Sample, int32(int64(a[ch])+d*int64(c.frac)/int64(ro)))
		}
		c.frac += ri
		p += int(c.frac / ro)
		c.frac %= ro
	}
	if n > 0 {
		// p >= n-1: carry it over to the next call's numbering.
		if p == n-1 {
			c.prev = append(c.prev[:0], at(n-1)...)
		}
		p -= n
	}
	c.pos = p
	return dst, nil
}

// mapChannels appends frame i of src (input format) in output channels.
func (c *Converter) mapChannels(dst []int32, src []byte, i int) []int32 {
	ic, oc := c.in.Channels, c.out.Channels
	base := i * ic
	switch {
	case ic == oc:
		for ch := 0; ch < ic; ch++ {
			dst = append(dst, decode(c.in.Sample, src, base+ch))
		}
	case ic == 1:
		v := decode(c.in.Sample, src, base)
		for ch := 0; ch < oc; ch++ {
			dst = append(dst, v)
		}
	case oc == 1:
		var sum int64
		for ch := 0; ch < ic; ch++ {
			sum += int64(decode(c.in.Sample, src, base+ch))
		}
		dst = append(dst, int32(sum/int64(ic)))
	default:
		for ch := 0; ch < oc; ch++ {
			if ch < ic {
				dst = append(dst, decode(c.in.Sample, src, base+ch))
			} else {
				dst = append(dst, 0)
			}
		}
	}
	return dst
}

// Tone is a Source (and a test signal) of a sine wave on every channel:
// its phase follows virtual time, so what it gives for a time is the same
// however the reads are cut.
type Tone struct {
	Freq      float64 // Hz
	Amplitude float64 // of full scale, 0..1
}

var _ Source = Tone{}

// Read implements Source.
func (t Tone) Read(at uint64, f Format, frames []byte) error {
	if err := f.Check(); err != nil {
		return err
	}
	first := f.FramesIn(at)
	n := len(frames) / f.FrameBytes()
	b := frames[:0]
	for i := 0; i < n; i++ {
		v := floatToS32(float32(t.Amplitude * math.Sin(2*math.Pi*t.Freq*float64(first+uint64(i))/float64(f.Rate))))
		for ch := 0; ch < f.Channels; ch++ {
			b = encode(b, f.Sample, v)
		}
	}
	return nil
}

// Sine returns frames frames of a sine of freq Hz at amplitude amp (of
// full scale) in format f, starting at phase zero.
func Sine(f Format, freq, amp float64, frames int) []byte {
	b := make([]byte, frames*f.FrameBytes())
	if err := (Tone{Freq: freq, Amplitude: amp}).Read(0, f, b); err != nil {
		panic(fmt.Sprintf("BUG: audio.Sine: %v", err))
	}
	return b
}
