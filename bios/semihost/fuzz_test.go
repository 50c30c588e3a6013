package semihost

import (
	"bytes"
	"encoding/binary"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"
)

// FuzzCall runs a script of semihosting calls against guest memory made
// of fuzz bytes. Host file access is confined to a temporary directory.
// Nothing may panic or hang, and only the exit operations may exit.
func FuzzCall(f *testing.F) {
	seed := func(mem []byte, calls ...uint32) {
		var script []byte
		for _, c := range calls {
			script = binary.LittleEndian.AppendUint32(script, c)
		}
		f.Add(script, mem, []byte("stdin"))
	}
	block := func(words ...uint32) []byte {
		var b []byte
		for _, w := range words {
			b = binary.LittleEndian.AppendUint32(b, w)
		}
		return b
	}
	mem := append(block(0x100, 0, 21), make([]byte, 0x100-12)...)
	mem = append(mem, ":semihosting-features\x00"...)
	seed(mem, SysOpen, 0, SysRead, 0, SysWrite0, 0x100)
	seed(append(block(0x10, 4, 3, 0), ":tt\x00"...), SysOpen, 0, SysWrite, 0, SysIsTTY, 0, SysSeek, 0)
	seed(append(block(0x10, 4, 5, 0), "file\x00"...), SysOpen, 0, SysWrite, 0, SysFlen, 0, SysClose, 0, SysRemove, 0)
	seed(block(ADPStoppedApplicationExit, 3), SysExitExtended, 0, SysExit, ADPStoppedApplicationExit)
	seed(block(0, 0x100), SysGetCmdline, 0, SysHeapInfo, 0, SysElapsed, 0, SysTmpnam, 0, SysSystem, 0, 0x77, 0)
	seed(nil, SysWriteC, 0, SysReadC, 0, SysErrno, 0, SysClock, 0, SysTime, 0, SysTickFreq, 0, SysIsError, 0)

	f.Fuzz(func(t *testing.T, script, memory, stdin []byte) {
		root, err := os.OpenRoot(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer root.Close()
		h := &Host{
			Stdout: io.Discard, Stdin: bytes.NewReader(stdin),
			Cmdline: "prog arg", Root: root,
			Elapsed: func() uint64 { return 123456789 },
			Now:     func() time.Time { return time.Unix(0, 0) },
			Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		}
		defer h.Close()
		m := &fakeMem{data: memory}
		for i := 0; i+8 <= len(script) && i < 8*32; i += 8 {
			op := binary.LittleEndian.Uint32(script[i:])
			if op&0x80000000 == 0 {
				op &= 0x3f // mostly real operations
			}
			param := binary.LittleEndian.Uint32(script[i+4:])
			_, exit := h.Call(op, param, m)
			if exit != nil && op != SysExit && op != SysExitExtended {
				t.Fatalf("op %#x exited: %v", op, exit)
			}
		}
	})
}
