package sdl

import "testing"

func TestChooseRenderer(t *testing.T) {
	gpu := func() []string { return []string{"/dev/dri/renderD128"} }
	none := func() []string { return nil }
	tests := []struct {
		name  string
		video string
		env   map[string]string
		nodes func() []string
		want  rendererChoice // reason checked for emptiness only
	}{
		{"GPU: SDL's choice", "x11", map[string]string{"DISPLAY": ":0"}, gpu, rendererChoice{}},
		{"no GPU", "x11", map[string]string{"DISPLAY": ":55"}, none, rendererChoice{driver: "software", noFBAccel: true, reason: "x"}},
		{"forced software GL", "x11", map[string]string{"DISPLAY": ":0", "LIBGL_ALWAYS_SOFTWARE": "1"}, gpu, rendererChoice{driver: "software", noFBAccel: true, reason: "x"}},
		{"LIBGL_ALWAYS_SOFTWARE=0", "x11", map[string]string{"DISPLAY": ":0", "LIBGL_ALWAYS_SOFTWARE": "0"}, gpu, rendererChoice{}},
		{"llvmpipe", "x11", map[string]string{"DISPLAY": ":0", "GALLIUM_DRIVER": "llvmpipe"}, gpu, rendererChoice{driver: "software", noFBAccel: true, reason: "x"}},
		{"remote X", "x11", map[string]string{"DISPLAY": "localhost:10.0"}, gpu, rendererChoice{driver: "software", noFBAccel: true, reason: "x"}},
		// The user's choice stands; a software one still skips the GL
		// texture behind the window.
		{"user: opengl", "x11", map[string]string{"DISPLAY": ":55", "SDL_RENDER_DRIVER": "opengl"}, none, rendererChoice{}},
		{"user: software", "x11", map[string]string{"DISPLAY": ":0", "SDL_RENDER_DRIVER": "software"}, gpu, rendererChoice{noFBAccel: true}},
		{"user: software, own framebuffer", "x11", map[string]string{"SDL_RENDER_DRIVER": "software", "SDL_FRAMEBUFFER_ACCELERATION": "opengl"}, gpu, rendererChoice{}},
		// Wayland windows have no surface but SDL's texture: left alone.
		{"wayland", "wayland", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, none, rendererChoice{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := chooseRenderer(tt.video, renderEnv{getenv: func(k string) string { return tt.env[k] }, renderNodes: tt.nodes})
			if (got.reason != "") != (tt.want.reason != "") || got.driver != tt.want.driver || got.noFBAccel != tt.want.noFBAccel {
				t.Errorf("chooseRenderer = %+v, want %+v", got, tt.want)
			}
		})
	}
}
