//go:build sdl

package sdl

import (
	"fmt"

	"github.com/veandco/go-sdl2/sdl"

	"mimic/devices/audio"
)

// sdlQueue is an SDL audio device opened for queueing (no callback).
type sdlQueue struct{ dev sdl.AudioDeviceID }

func (q sdlQueue) Queued() int        { return int(sdl.GetQueuedAudioSize(q.dev)) }
func (q sdlQueue) Put(b []byte) error { return sdl.QueueAudio(q.dev, b) }
func (q sdlQueue) Close() error {
	sdl.CloseAudioDevice(q.dev)
	sdl.QuitSubSystem(sdl.INIT_AUDIO)
	return nil
}

// OpenAudio opens the host's default sound output through SDL (the
// driver SDL picks, or $SDL_AUDIODRIVER) and returns a sink playing on
// it in audio.DefaultFormat, which SDL converts to whatever the device
// takes. Call it on the main goroutine, before the machine runs.
func OpenAudio() (*AudioSink, error) {
	sdl.SetHint(sdl.HINT_NO_SIGNAL_HANDLERS, "1")
	if err := sdl.InitSubSystem(sdl.INIT_AUDIO); err != nil {
		return nil, fmt.Errorf("SDL audio: %w", err)
	}
	f := audio.DefaultFormat
	want := sdl.AudioSpec{Freq: int32(f.Rate), Format: sdl.AUDIO_S16LSB, Channels: uint8(f.Channels), Samples: 512}
	dev, err := sdl.OpenAudioDevice("", false, &want, nil, 0)
	if err != nil {
		sdl.QuitSubSystem(sdl.INIT_AUDIO)
		return nil, fmt.Errorf("SDL audio: %w (SDL_AUDIODRIVER picks a driver)", err)
	}
	s, err := NewAudioSink(sdlQueue{dev}, f)
	if err != nil {
		sdl.CloseAudioDevice(dev)
		return nil, err
	}
	sdl.PauseAudioDevice(dev, false) // an empty queue plays silence
	return s, nil
}
