// Package roms holds the guest programs Mimic ships, built from the
// sources beside this file by `make roms` and committed as binaries (like
// QEMU's pc-bios).
package roms

import _ "embed"

// Demo is the program mimic runs when started with no arguments.
//
//go:embed demo/demo.elf
var Demo []byte

// GDemo is the graphical demo (roms/gdemo): virtio-gpu (or ramfb),
// virtio-input and virtio-sound, for mimic's window.
//
//go:embed gdemo/gdemo.elf
var GDemo []byte
