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
package sdl
