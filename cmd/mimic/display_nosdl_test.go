//go:build !sdl

package main

import (
	"strings"
	"testing"
)

// TestNoSDL: a build without SDL refuses -display sdl and -audiodev sdl
// in one line, exit status 2.
func TestNoSDL(t *testing.T) {
	for _, args := range [][]string{
		{"-display", "sdl"},
		{"-display", "sdl,gl=off,full-screen=on"},
		{"-audiodev", "sdl,id=a", "-device", "virtio-sound-device,audiodev=a"},
	} {
		code, _, stderr := runMimic(t, args...)
		if code != 2 || !strings.Contains(stderr, "this mimic was built without SDL; make build-sdl") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want 2 and one line saying to make build-sdl", args, code, stderr)
		}
	}
}
