package audio

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// WAV files: RIFF/WAVE with a 16-byte "fmt " chunk (WAVE_FORMAT_PCM for
// integer samples, WAVE_FORMAT_IEEE_FLOAT for F32) and one "data" chunk.
const (
	wavHeaderSize    = 44
	wavTagPCM        = 1
	wavTagFloat      = 3
	wavTagExtensible = 0xfffe
	// wavMaxData keeps the RIFF size (data + 36) within 32 bits.
	wavMaxData = 1<<32 - 1 - 36
)

// WAVOptions configure a WAVWriter.
type WAVOptions struct {
	// Format of the file: U8, S16 or S32 samples, 1 or 2 channels. The
	// zero value means DefaultFormat (48 kHz S16 stereo). Whatever the
	// guest plays is converted to it, so the file stays valid across
	// the guest's format changes.
	Format Format
	// FillGaps writes silence for the time between two writes (the
	// guest stopped or ran dry), so that frame n of the file plays at
	// virtual time Start() + n/rate.
	FillGaps bool
	// MaxGap bounds the silence written for one gap (ns); 0 means 10 s.
	MaxGap uint64
}

// ErrWAVFull is returned once the file reaches the 4 GiB RIFF limit;
// later frames are dropped.
var ErrWAVFull = errors.New("audio: WAV file reached the 4 GiB RIFF limit")

// WAVWriter is a Sink that records to a WAV file. Its header is written
// when it is created and patched with the final sizes on Close.
type WAVWriter struct {
	f    io.WriteSeeker
	c    io.Closer // the file, when the writer opened it
	bw   *bufio.Writer
	opts WAVOptions
	conv *Converter

	started   bool
	start     uint64 // virtual time of frame 0
	frames    uint64 // frames written (data bytes / frame size)
	underruns uint64
	full      bool
	buf       []byte
	err       error // sticky write error
}

var (
	_ Sink             = (*WAVWriter)(nil)
	_ UnderrunNotifier = (*WAVWriter)(nil)
)

// NewWAVWriter writes a WAV file to w, which must be positioned at the
// start of an empty file.
func NewWAVWriter(w io.WriteSeeker, o WAVOptions) (*WAVWriter, error) {
	if o.Format == (Format{}) {
		o.Format = DefaultFormat
	}
	switch {
	case o.Format.Sample != U8 && o.Format.Sample != S16 && o.Format.Sample != S32:
		return nil, fmt.Errorf("%w: WAV output sample format %v (want U8, S16 or S32)", ErrFormat, o.Format.Sample)
	case o.Format.Channels > 2:
		return nil, fmt.Errorf("%w: WAV output with %d channels (want 1 or 2)", ErrFormat, o.Format.Channels)
	}
	conv, err := NewConverter(o.Format)
	if err != nil {
		return nil, err
	}
	if o.MaxGap == 0 {
		o.MaxGap = 10e9
	}
	ww := &WAVWriter{f: w, bw: bufio.NewWriterSize(w, 64<<10), opts: o, conv: conv}
	if _, err := ww.bw.Write(wavHeader(o.Format, 0)); err != nil {
		return nil, fmt.Errorf("audio: writing WAV header: %w", err)
	}
	return ww, nil
}

// CreateWAV creates (or truncates) the file at path and records to it
// (--audio-out FILE.wav).
func CreateWAV(path string, o WAVOptions) (*WAVWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("audio: %w", err)
	}
	ww, err := NewWAVWriter(f, o)
	if err != nil {
		f.Close()
		return nil, err
	}
	ww.c = f
	return ww, nil
}

func wavHeader(f Format, data uint32) []byte {
	h := make([]byte, 0, wavHeaderSize)
	h = append(h, "RIFF"...)
	h = binary.LittleEndian.AppendUint32(h, 36+data)
	h = append(h, "WAVEfmt "...)
	h = binary.LittleEndian.AppendUint32(h, 16)
	tag := uint16(wavTagPCM)
	if f.Sample == F32 {
		tag = wavTagFloat
	}
	h = binary.LittleEndian.AppendUint16(h, tag)
	h = binary.LittleEndian.AppendUint16(h, uint16(f.Channels))
	h = binary.LittleEndian.AppendUint32(h, uint32(f.Rate))
	h = binary.LittleEndian.AppendUint32(h, uint32(f.Rate*f.FrameBytes()))
	h = binary.LittleEndian.AppendUint16(h, uint16(f.FrameBytes()))
	h = binary.LittleEndian.AppendUint16(h, uint16(8*f.Sample.Bytes()))
	h = append(h, "data"...)
	return binary.LittleEndian.AppendUint32(h, data)
}

// Format returns the file's format.
func (ww *WAVWriter) Format() Format { return ww.opts.Format }

// Frames returns the frames written so far (silence included).
func (ww *WAVWriter) Frames() uint64 { return ww.frames }

// Start returns the virtual time of the file's first frame; false before
// the first write.
func (ww *WAVWriter) Start() (uint64, bool) { return ww.start, ww.started }

// Underruns returns how many underruns were reported.
func (ww *WAVWriter) Underruns() uint64 { return ww.underruns }

// Underrun implements UnderrunNotifier.
func (ww *WAVWriter) Underrun(uint64) { ww.underruns++ }

// Write implements Sink: frames are converted to the file's format.
func (ww *WAVWriter) Write(at uint64, f Format, frames []byte) error {
	if ww.err != nil {
		return nil // reported once already
	}
	if !ww.started {
		ww.started, ww.start = true, at
	}
	out := ww.opts.Format
	if ww.opts.FillGaps && at > ww.start {
		// Where this write belongs in the file; a small lag is the
		// resampler holding back a frame, not a gap.
		want := out.FramesIn(at - ww.start)
		if want > ww.frames+uint64(out.Rate/500) {
			gap := min(want-ww.frames, out.FramesIn(ww.opts.MaxGap))
			ww.conv.Reset()
			ww.buf = append(ww.buf[:0], make([]byte, gap*uint64(out.FrameBytes()))...)
			FillSilence(out.Sample, ww.buf)
			if err := ww.put(ww.buf); err != nil {
				return err
			}
		}
	}
	var err error
	ww.buf, err = ww.conv.Convert(ww.buf[:0], f, frames)
	if err != nil {
		return err
	}
	return ww.put(ww.buf)
}

func (ww *WAVWriter) put(b []byte) error {
	if ww.full {
		return nil
	}
	fb := uint64(ww.opts.Format.FrameBytes())
	if room := (wavMaxData/fb - ww.frames) * fb; uint64(len(b)) > room {
		b = b[:room]
		ww.full = true
	}
	if _, err := ww.bw.Write(b); err != nil {
		ww.err = fmt.Errorf("audio: writing WAV: %w", err)
		return ww.err
	}
	ww.frames += uint64(len(b)) / fb
	if ww.full {
		return ErrWAVFull
	}
	return nil
}

// Close implements Sink: it patches the header with the final sizes and
// closes the file if CreateWAV opened it.
func (ww *WAVWriter) Close() error {
	err := ww.err
	if err == nil {
		err = ww.bw.Flush()
	}
	if err == nil {
		data := uint32(ww.frames * uint64(ww.opts.Format.FrameBytes()))
		if _, err = ww.f.Seek(0, io.SeekStart); err == nil {
			_, err = ww.f.Write(wavHeader(ww.opts.Format, data))
		}
		if err == nil {
			_, err = ww.f.Seek(0, io.SeekEnd)
		}
	}
	if ww.c != nil {
		if cerr := ww.c.Close(); err == nil {
			err = cerr
		}
		ww.c = nil
	}
	if err != nil && !errors.Is(err, ww.err) {
		err = fmt.Errorf("audio: closing WAV: %w", err)
	}
	ww.err = errors.New("audio: WAV writer closed")
	return err
}

// ReadWAV parses a WAV file (PCM U8/S16/S32, or IEEE float F32) and
// returns its format and the frames of its data chunk. It is for tests
// and tools: it reads the whole file.
func ReadWAV(r io.Reader) (Format, []byte, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return Format{}, nil, err
	}
	bad := func(why string) (Format, []byte, error) {
		return Format{}, nil, fmt.Errorf("audio: not a WAV file I can read: %s", why)
	}
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return bad("no RIFF/WAVE header")
	}
	var f Format
	haveFmt := false
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:]))
		body := b[p+8:]
		if size > len(body) {
			return bad("chunk " + id + " runs past the end")
		}
		body = body[:size]
		switch id {
		case "fmt ":
			if size < 16 {
				return bad("short fmt chunk")
			}
			tag := binary.LittleEndian.Uint16(body)
			f.Channels = int(binary.LittleEndian.Uint16(body[2:]))
			f.Rate = int(binary.LittleEndian.Uint32(body[4:]))
			bitsPerSample := binary.LittleEndian.Uint16(body[14:])
			if tag == wavTagExtensible && size >= 26 {
				tag = binary.LittleEndian.Uint16(body[24:])
			}
			switch {
			case tag == wavTagPCM && bitsPerSample == 8:
				f.Sample = U8
			case tag == wavTagPCM && bitsPerSample == 16:
				f.Sample = S16
			case tag == wavTagPCM && bitsPerSample == 32:
				f.Sample = S32
			case tag == wavTagFloat && bitsPerSample == 32:
				f.Sample = F32
			default:
				return bad(fmt.Sprintf("format tag %#x with %d bits", tag, bitsPerSample))
			}
			if err := f.Check(); err != nil {
				return Format{}, nil, err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return bad("data before fmt")
			}
			return f, body[:size/f.FrameBytes()*f.FrameBytes()], nil
		}
		p += 8 + size + size&1
	}
	return bad("no data chunk")
}
