package mcu

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

var (
	testMem = []Range{{"flash", 0, 256 << 10}, {"sram", 0x20000000, 64 << 10}}
	testRAM = []Range{{"sram", 0x20000000, 64 << 10}}
)

// vectors makes a raw image whose vector table holds sp and reset.
func vectors(sp, reset uint32, size int) []byte {
	b := make([]byte, size)
	binary.LittleEndian.PutUint32(b[0:], sp)
	binary.LittleEndian.PutUint32(b[4:], reset)
	return b
}

func TestParseFirmware(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		err  string
	}{
		{"good", vectors(0x20010000, 0x41, 0x100), ""},
		{"stack at the start of RAM", vectors(0x20000000, 0x41, 0x100), "stack pointer 0x20000000 is outside RAM"},
		{"stack in flash", vectors(0x00001000, 0x41, 0x100), "outside RAM"},
		{"unaligned stack", vectors(0x2000fffe, 0x41, 0x100), "not word-aligned"},
		{"ARM reset vector", vectors(0x20010000, 0x40, 0x100), "bit 0 clear"},
		{"reset outside memory", vectors(0x20010000, 0x10000001, 0x100), "points outside the board's memory"},
		{"too short for a vector table", []byte{1, 2, 3, 4, 5}, "no vector table at 0"},
		{"too large for flash", vectors(0x20010000, 0x41, 300<<10), "outside the board's memory"},
		{"zImage", zImageLike(), "Linux zImage does not run on a Cortex-M board"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := ParseFirmware(c.data, 0, 0, testMem, testRAM)
			if c.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if f.SP != 0x20010000 || f.Reset != 0x41 || len(f.Segments) != 1 {
					t.Errorf("got %+v", f)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.err) || !errors.Is(err, ErrImage) {
				t.Fatalf("error %v, want ErrImage with %q", err, c.err)
			}
		})
	}
}

// TestParseFirmwareVTOR reads the vector table where the board's VTOR
// points (a hex file's records, not at 0).
func TestParseFirmwareVTOR(t *testing.T) {
	hex := ":020000040000FA\n" +
		":08100000000001204110000076\n" +
		":00000001FF\n"
	f, err := ParseFirmware([]byte(hex), 0, 0x1000, testMem, testRAM)
	if err != nil {
		t.Fatal(err)
	}
	if f.SP != 0x20010000 || f.Reset != 0x1041 {
		t.Errorf("SP %#x reset %#x", f.SP, f.Reset)
	}
	if _, err := ParseFirmware([]byte(hex), 0, 0, testMem, testRAM); err == nil || !strings.Contains(err.Error(), "no vector table at 0x0 (the image holds [0x1000, 0x1008))") {
		t.Errorf("vector table missing at 0: %v", err)
	}
}

func zImageLike() []byte {
	b := make([]byte, 0x40)
	binary.LittleEndian.PutUint32(b[0x24:], 0x016f2818)
	binary.LittleEndian.PutUint32(b[0x28:], 0)
	binary.LittleEndian.PutUint32(b[0x2c:], 0x40)
	binary.LittleEndian.PutUint32(b[0x30:], 0x04030201)
	return b
}
