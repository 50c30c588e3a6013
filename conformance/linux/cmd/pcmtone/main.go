// Command pcmtone is a guest program for the desktop acceptance test: it
// plays a sine tone on an ALSA PCM device through the kernel's PCM ioctls
// alone (no alsa-lib), as 16-bit little-endian interleaved frames, and
// prints the parameters the driver chose. It is built for the guest
// (GOOS=linux GOARCH=arm) by the test and reaches the guest on a disk:
//
//	pcmtone [-d /dev/snd/pcmC0D0p] [-rate 48000] [-channels 2] [-period 1024] [-periods 4] [-freq 440] [-seconds 2]
//
// It asks for the period size and count (the kernel would otherwise pick
// the shortest period the driver allows, as alsa-lib does not), and
// recovers from an underrun as aplay does (PREPARE again), counting them.
//
// The structures and ioctl numbers are those of <sound/asound.h> for a
// 32-bit ABI (ARM EABI: long and pointers are 4 bytes).
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"syscall"
	"unsafe"
)

// Hardware parameter indices (SNDRV_PCM_HW_PARAM_*).
const (
	paramAccess    = 0
	paramFormat    = 1
	paramSubformat = 2
	paramFirstInt  = 8
	paramChannels  = 10
	paramRate      = 11
	paramPeriodSz  = 13
	paramPeriods   = 15
	paramBufferSz  = 17
	paramLastInt   = 19

	accessRWInterleaved = 3
	formatS16LE         = 2
)

// struct snd_pcm_hw_params: flags, 8 masks of 32 bytes (3 used, 5
// reserved), 21 intervals of 12 bytes (12 used, 9 reserved), rmask,
// cmask, info, msbits, rate_num, rate_den, fifo_size, 64 reserved bytes.
const (
	offMasks     = 4
	maskSize     = 32
	offIntervals = offMasks + 8*maskSize
	intervalSize = 12
	offRmask     = offIntervals + 21*intervalSize
	offCmask     = offRmask + 4
	hwParamsSize = offRmask + 7*4 + 64
)

func ioc(dir, nr, size uintptr) uintptr { return dir<<30 | size<<16 | 'A'<<8 | nr }

var (
	ioctlHWParams = ioc(3, 0x11, hwParamsSize)
	ioctlPrepare  = ioc(0, 0x40, 0)
	ioctlDrain    = ioc(0, 0x44, 0)
	ioctlWriteI   = ioc(1, 0x50, 12) // struct snd_xferi: result, buf, frames
)

type hwParams [hwParamsSize]byte

func (p *hwParams) u32(off int) uint32    { return binary.LittleEndian.Uint32(p[off:]) }
func (p *hwParams) put(off int, v uint32) { binary.LittleEndian.PutUint32(p[off:], v) }
func (p *hwParams) interval(i int) int    { return offIntervals + (i-paramFirstInt)*intervalSize }
func (p *hwParams) mask(i int) int        { return offMasks + i*maskSize }
func (p *hwParams) value(i int) (lo, hi uint32) {
	return p.u32(p.interval(i)), p.u32(p.interval(i) + 4)
}

// any is _snd_pcm_hw_params_any: every mask full, every interval open.
func (p *hwParams) any() {
	for i := paramAccess; i <= paramSubformat; i++ {
		for j := 0; j < maskSize; j += 4 {
			p.put(p.mask(i)+j, ^uint32(0))
		}
	}
	for i := paramFirstInt; i <= paramLastInt; i++ {
		p.put(p.interval(i), 0)
		p.put(p.interval(i)+4, ^uint32(0))
	}
	p.put(offRmask, ^uint32(0))
}

func (p *hwParams) setMask(i int, bit uint) {
	for j := 0; j < maskSize; j += 4 {
		p.put(p.mask(i)+j, 0)
	}
	p.put(p.mask(i)+int(bit/32)*4, 1<<(bit%32))
}

func (p *hwParams) setInterval(i int, v uint32) {
	p.put(p.interval(i), v)
	p.put(p.interval(i)+4, v)
	p.put(p.interval(i)+8, 1<<2) // integer
}

func ioctl(fd int, req uintptr, arg unsafe.Pointer) error {
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), req, uintptr(arg)); e != 0 {
		return e
	}
	return nil
}

func main() {
	dev := flag.String("d", "/dev/snd/pcmC0D0p", "PCM playback device")
	rate := flag.Int("rate", 48000, "frames per second")
	channels := flag.Int("channels", 2, "channels")
	period := flag.Int("period", 1024, "period size (frames)")
	periods := flag.Int("periods", 4, "periods in the buffer")
	freq := flag.Float64("freq", 440, "tone frequency (Hz)")
	seconds := flag.Float64("seconds", 2, "tone length")
	flag.Parse()
	if err := play(*dev, *rate, *channels, *period, *periods, *freq, *seconds); err != nil {
		fmt.Fprintf(os.Stderr, "pcmtone: %v\n", err)
		os.Exit(1)
	}
}

func play(dev string, rate, channels, periodFrames, periods int, freq, seconds float64) error {
	fd, err := syscall.Open(dev, syscall.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("%s: %w", dev, err)
	}
	defer syscall.Close(fd)
	var p hwParams
	p.any()
	p.setMask(paramAccess, accessRWInterleaved)
	p.setMask(paramFormat, formatS16LE)
	p.setMask(paramSubformat, 0)
	p.setInterval(paramChannels, uint32(channels))
	p.setInterval(paramRate, uint32(rate))
	p.setInterval(paramPeriodSz, uint32(periodFrames))
	p.setInterval(paramPeriods, uint32(periods))
	if err := ioctl(fd, ioctlHWParams, unsafe.Pointer(&p[0])); err != nil {
		return fmt.Errorf("HW_PARAMS: %w", err)
	}
	period, _ := p.value(paramPeriodSz)
	buffer, _ := p.value(paramBufferSz)
	ch, _ := p.value(paramChannels)
	r, _ := p.value(paramRate)
	fmt.Printf("pcmtone: S16_LE %d Hz %d channels, period %d frames, buffer %d frames\n", r, ch, period, buffer)
	if err := ioctl(fd, ioctlPrepare, nil); err != nil {
		return fmt.Errorf("PREPARE: %w", err)
	}
	// The tone, then silence up to a whole period, as aplay pads its
	// last chunk: virtio-snd's driver (6.7 on) hands the device whole
	// periods only, so a partial last one would never play and DRAIN
	// would time out.
	tone := int(seconds * float64(rate))
	total := (tone + int(period) - 1) / int(period) * int(period)
	frameBytes := 2 * channels
	buf := make([]byte, total*frameBytes)
	for i := 0; i < tone; i++ {
		v := int16(math.Round(0.5 * 32767 * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))))
		for c := 0; c < channels; c++ {
			binary.LittleEndian.PutUint16(buf[i*frameBytes+2*c:], uint16(v))
		}
	}
	xruns := 0
	for done := 0; done < total; {
		n := min(total-done, int(period))
		x := [3]uint32{0, uint32(uintptr(unsafe.Pointer(&buf[done*frameBytes]))), uint32(n)}
		err := ioctl(fd, ioctlWriteI, unsafe.Pointer(&x[0]))
		if err == syscall.EPIPE {
			xruns++
			if err := ioctl(fd, ioctlPrepare, nil); err != nil {
				return fmt.Errorf("PREPARE after an underrun: %w", err)
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("WRITEI_FRAMES at frame %d: %w", done, err)
		}
		done += int(x[0])
	}
	if err := ioctl(fd, ioctlDrain, nil); err != nil {
		return fmt.Errorf("DRAIN: %w", err)
	}
	fmt.Printf("pcmtone: played %d frames (%d of tone), %d underruns\n", total, tone, xruns)
	return nil
}
