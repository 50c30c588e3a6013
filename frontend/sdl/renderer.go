package sdl

import (
	"os"
	"path/filepath"
	"strings"
)

// The renderer: which of SDL's draws the window.
//
// SDL picks an accelerated renderer (OpenGL) when it has one, and on a
// host without a usable GPU (a container, a VM, Xvfb, remote X) Mesa
// then renders OpenGL on the CPU with llvmpipe: it maps libLLVM and its
// driver (about 65 MiB more resident memory for the demo at 1280x800 than
// without a window, against 11 MiB for SDL's software renderer) and
// spends more CPU time per frame than a plain copy. Worse, SDL's software
// renderer on X11 still backs the window with an OpenGL texture unless
// told not to (SDL_FRAMEBUFFER_ACCELERATION), so choosing it alone saves
// nothing. On such hosts the window therefore uses the software renderer
// drawing straight into the X11 window (MIT-SHM), which shows the same
// picture. With a GPU it keeps SDL's choice, which scales in hardware.
// SDL_RENDER_DRIVER and SDL_FRAMEBUFFER_ACCELERATION, SDL's own
// variables, override either way.

// renderEnv is what chooseRenderer looks at: the environment and the
// host's render devices, replaceable in tests.
type renderEnv struct {
	getenv func(string) string
	// renderNodes returns the paths of the host's DRM render devices the
	// process may open (/dev/dri/renderD*), plus NVIDIA's control device
	// when its proprietary driver is loaded.
	renderNodes func() []string
}

// hostRenderEnv is the real host's.
var hostRenderEnv = renderEnv{getenv: os.Getenv, renderNodes: openableRenderNodes}

// rendererChoice is what chooseRenderer decided: the hints to set (empty:
// leave SDL's default) and why, for the log.
type rendererChoice struct {
	driver    string // SDL_HINT_RENDER_DRIVER, or ""
	noFBAccel bool   // set SDL_HINT_FRAMEBUFFER_ACCELERATION to 0
	reason    string
}

// chooseRenderer decides the renderer for SDL video driver video ("x11",
// "wayland" ...).
func chooseRenderer(video string, e renderEnv) rendererChoice {
	var c rendererChoice
	driver := e.getenv("SDL_RENDER_DRIVER")
	if driver == "" && video == "x11" {
		if why := softwareGL(e); why != "" {
			driver, c.driver, c.reason = "software", "software", why
		}
	}
	// The software renderer draws into the window's surface; on X11 that
	// is an X image unless SDL puts an OpenGL texture behind it, which
	// loads the GL driver for nothing. (Wayland has no other surface.)
	if strings.EqualFold(driver, "software") && video == "x11" && e.getenv("SDL_FRAMEBUFFER_ACCELERATION") == "" {
		c.noFBAccel = true
	}
	return c
}

// softwareGL returns why OpenGL would be rendered by the CPU here, or ""
// when it may have a GPU.
func softwareGL(e renderEnv) string {
	if v := e.getenv("LIBGL_ALWAYS_SOFTWARE"); v != "" && v != "0" && !strings.EqualFold(v, "false") {
		return "LIBGL_ALWAYS_SOFTWARE is set"
	}
	switch strings.ToLower(e.getenv("GALLIUM_DRIVER")) {
	case "llvmpipe", "softpipe", "swr":
		return "GALLIUM_DRIVER is a software rasterizer"
	}
	if d := e.getenv("DISPLAY"); d != "" && !strings.HasPrefix(d, ":") && !strings.HasPrefix(d, "unix:") && !strings.HasPrefix(d, "/") {
		return "the X server is remote (" + d + ")"
	}
	if len(e.renderNodes()) == 0 {
		return "no GPU render device (/dev/dri/renderD*)"
	}
	return ""
}

// openableRenderNodes lists the render devices this process may open
// for reading and writing.
func openableRenderNodes() []string {
	paths, _ := filepath.Glob("/dev/dri/renderD*")
	paths = append(paths, "/dev/nvidiactl")
	var ok []string
	for _, p := range paths {
		if f, err := os.OpenFile(p, os.O_RDWR, 0); err == nil {
			f.Close()
			ok = append(ok, p)
		}
	}
	return ok
}
