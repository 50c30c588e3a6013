// Package sdl is Mimic's desktop frontend: an SDL2 window that shows a
// display.Console, feeds host keyboard and mouse to an input.Router, and
// an audio.Sink that plays through SDL's audio queue. It is the only
// package that imports go-sdl2, and only in files built with the "sdl"
// build tag (cgo); the rest of it (the letterbox geometry, the audio
// latency policy) is plain Go, tested without SDL.
//
// # Threads
//
// SDL's video functions must run on the process's main thread. Run is
// called there (package main locks it: go-sdl2's init calls
// runtime.LockOSThread) while the machine runs on another goroutine;
// everything the window hands the machine goes through the Router's and
// Console's goroutine-safe methods, which post to the machine's clock.
// SDL's audio queue is itself thread-safe: the sink is called on the
// machine's goroutine.
//
// # Cost
//
// An idle window costs nothing: Run sleeps in SDL's event wait until an
// event or a console's Changed. A busy one uploads and presents at most
// once per FrameInterval (the display rate), however fast the guest
// flushes; the upload holds the console's lock only for the copy of the
// changed rectangle into the texture, and presenting happens outside
// it. Where OpenGL would run on the CPU, the window draws with SDL's
// software renderer straight into the X11 window (renderer.go), which
// keeps Mesa and LLVM out of the process.
package sdl
