package semihost

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeMem is guest memory [base, base+len(data)); anything else faults.
type fakeMem struct {
	base uint32
	data []byte
}

var _ Memory = (*fakeMem)(nil)

var errFault = errors.New("fault")

func (m *fakeMem) slice(addr uint32, n int) ([]byte, error) {
	if addr < m.base || uint64(addr-m.base)+uint64(n) > uint64(len(m.data)) {
		return nil, errFault
	}
	return m.data[addr-m.base : int(addr-m.base)+n], nil
}

func (m *fakeMem) ReadMem(addr uint32, buf []byte) error {
	s, err := m.slice(addr, len(buf))
	if err != nil {
		return err
	}
	copy(buf, s)
	return nil
}

func (m *fakeMem) WriteMem(addr uint32, buf []byte) error {
	s, err := m.slice(addr, len(buf))
	if err != nil {
		return err
	}
	copy(s, buf)
	return nil
}

// Guest memory layout used by the tests.
const (
	memBase = 0x1000
	memSize = 0x1000
	argAt   = 0x1000 // parameter blocks
	strAt   = 0x1100 // strings
	str2At  = 0x1200
	bufAt   = 0x1400 // data buffers
	bad     = 0x9000 // unmapped
)

func newMem() *fakeMem { return &fakeMem{base: memBase, data: make([]byte, memSize)} }

func (m *fakeMem) words(addr uint32, ws ...uint32) uint32 {
	for i, w := range ws {
		s, err := m.slice(addr+uint32(4*i), 4)
		if err != nil {
			panic(err)
		}
		binary.LittleEndian.PutUint32(s, w)
	}
	return addr
}

func (m *fakeMem) str(addr uint32, s string) uint32 {
	b, err := m.slice(addr, len(s)+1)
	if err != nil {
		panic(err)
	}
	copy(b, s)
	b[len(s)] = 0
	return addr
}

func (m *fakeMem) bytesAt(addr uint32, n int) []byte {
	b, err := m.slice(addr, n)
	if err != nil {
		panic(err)
	}
	return append([]byte{}, b...)
}

func (m *fakeMem) word(addr uint32) uint32 { return binary.LittleEndian.Uint32(m.bytesAt(addr, 4)) }

type testHost struct {
	*Host
	mem            *fakeMem
	stdout, stderr *bytes.Buffer
	log            *bytes.Buffer
}

func newHost(t *testing.T, stdin string) *testHost {
	t.Helper()
	th := &testHost{mem: newMem(), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, log: &bytes.Buffer{}}
	th.Host = &Host{
		Stdout: th.stdout, Stderr: th.stderr, Stdin: strings.NewReader(stdin),
		Logger: slog.New(slog.NewTextHandler(th.log, nil)),
	}
	t.Cleanup(func() {
		if err := th.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return th
}

// call runs op and fails the test on an unexpected exit.
func (th *testHost) call(t *testing.T, op, param uint32) uint32 {
	t.Helper()
	ret, exit := th.Call(op, param, th.mem)
	if exit != nil {
		t.Fatalf("Call(%#x, %#x) exited: %v", op, param, exit)
	}
	return ret
}

func (th *testHost) errno(t *testing.T) uint32 {
	t.Helper()
	return th.call(t, SysErrno, 0)
}

// open opens name with mode and returns the handle or -1.
func (th *testHost) open(t *testing.T, name string, mode uint32) uint32 {
	t.Helper()
	th.mem.str(strAt, name)
	return th.call(t, SysOpen, th.mem.words(argAt, strAt, mode, uint32(len(name))))
}

func (th *testHost) write(t *testing.T, fd uint32, data string) uint32 {
	t.Helper()
	copy(th.mem.data[bufAt-memBase:], data)
	return th.call(t, SysWrite, th.mem.words(argAt, fd, bufAt, uint32(len(data))))
}

// read reads up to n bytes and returns them and the "not read" count.
func (th *testHost) read(t *testing.T, fd uint32, n uint32) (string, uint32) {
	t.Helper()
	clear(th.mem.data[bufAt-memBase:])
	left := th.call(t, SysRead, th.mem.words(argAt, fd, bufAt, n))
	if left > n {
		return "", left
	}
	return string(th.mem.bytesAt(bufAt, int(n-left))), left
}

func (th *testHost) fdCall(t *testing.T, op, fd uint32, more ...uint32) uint32 {
	t.Helper()
	return th.call(t, op, th.mem.words(argAt, append([]uint32{fd}, more...)...))
}

func TestWriteCWrite0(t *testing.T) {
	th := newHost(t, "")
	th.mem.str(strAt, "A")
	if got := th.call(t, SysWriteC, strAt); got != 0 {
		t.Errorf("SYS_WRITEC = %#x, want 0", got)
	}
	th.mem.str(strAt, "hello, world\n")
	if got := th.call(t, SysWrite0, strAt); got != 0 {
		t.Errorf("SYS_WRITE0 = %#x, want 0", got)
	}
	long := strings.Repeat("0123456789", 100) // crosses several 256-byte steps
	th.mem.str(str2At, long)
	th.call(t, SysWrite0, str2At)
	// A string ending in the last byte of memory.
	th.mem.str(memBase+memSize-3, "xy")
	th.call(t, SysWrite0, memBase+memSize-3)
	if diff := cmp.Diff("Ahello, world\n"+long+"xy", th.stdout.String()); diff != "" {
		t.Errorf("stdout mismatch (-want +got):\n%s", diff)
	}

	// Faults: -1 and EFAULT; bytes before the fault still appear.
	th.stdout.Reset()
	if got := th.call(t, SysWriteC, bad); got != fail {
		t.Errorf("SYS_WRITEC(bad) = %#x, want -1", got)
	}
	copy(th.mem.data[memSize-4:], "abcd") // no NUL before the end of memory
	if got := th.call(t, SysWrite0, memBase+memSize-4); got != fail {
		t.Errorf("SYS_WRITE0(unterminated) = %#x, want -1", got)
	}
	if got := th.errno(t); got != EFAULT {
		t.Errorf("errno = %d, want EFAULT", got)
	}
	if got := th.stdout.String(); got != "abcd" {
		t.Errorf("stdout = %q, want the bytes before the fault", got)
	}
}

func TestWrite0TopOfMemory(t *testing.T) {
	th := newHost(t, "")
	th.mem = &fakeMem{base: 0xfffff000, data: bytes.Repeat([]byte{'z'}, 0x1000)}
	if got := th.call(t, SysWrite0, 0xfffffffe); got != fail {
		t.Errorf("SYS_WRITE0 at the top of the address space = %#x, want -1", got)
	}
	if got := th.stdout.String(); got != "zz" {
		t.Errorf("stdout = %q, want %q", got, "zz")
	}
	// An argument block that would wrap past 4 GiB faults cleanly.
	if got := th.call(t, SysOpen, 0xfffffffc); got != fail {
		t.Errorf("SYS_OPEN with a wrapping block = %#x, want -1", got)
	}
}

func TestConsole(t *testing.T) {
	th := newHost(t, "typed input")
	var fds []uint32
	for mode := range uint32(12) {
		fds = append(fds, th.open(t, ":tt", mode))
	}
	if diff := cmp.Diff([]uint32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, fds); diff != "" {
		t.Errorf("handles mismatch (-want +got):\n%s", diff)
	}
	if got := th.write(t, fds[4], "out"); got != 0 { // w
		t.Errorf("SYS_WRITE(stdout) = %d, want 0", got)
	}
	if got := th.write(t, fds[9], "err"); got != 0 { // ab
		t.Errorf("SYS_WRITE(stderr) = %d, want 0", got)
	}
	if got := th.write(t, fds[0], "in"); got != 2 {
		t.Errorf("SYS_WRITE(stdin) = %d, want 2 (nothing written)", got)
	}
	got, left := th.read(t, fds[1], 5)
	if got != "typed" || left != 0 {
		t.Errorf("SYS_READ(stdin, 5) = %q, %d; want %q, 0", got, left, "typed")
	}
	got, left = th.read(t, fds[1], 100) // interactive: returns what there is
	if got != " input" || left != 94 {
		t.Errorf("SYS_READ(stdin, 100) = %q, %d; want %q, 94", got, left, " input")
	}
	if _, left := th.read(t, fds[1], 10); left != 10 {
		t.Errorf("SYS_READ at EOF left %d, want 10", left)
	}
	if _, left := th.read(t, fds[4], 10); left != 10 {
		t.Errorf("SYS_READ(stdout) left %d, want 10", left)
	}
	for _, fd := range []uint32{fds[0], fds[5], fds[11]} {
		// The console streams here are buffers, not terminals (QEMU
		// answers isatty() of the host stream).
		if got := th.fdCall(t, SysIsTTY, fd); got != 0 {
			t.Errorf("SYS_ISTTY(%d) = %d, want 0 for a console that is not a terminal", fd, got)
		}
		if got := th.fdCall(t, SysFlen, fd); got != 0 {
			t.Errorf("SYS_FLEN(%d) = %d, want 0", fd, got)
		}
		if got := th.fdCall(t, SysSeek, fd, 0); got != fail {
			t.Errorf("SYS_SEEK(%d) = %d, want -1", fd, got)
		}
	}
	if got := th.errno(t); got != ESPIPE {
		t.Errorf("errno after seeking the console = %d, want ESPIPE", got)
	}
	if th.stdout.String() != "out" || th.stderr.String() != "err" {
		t.Errorf("stdout %q stderr %q, want out, err", th.stdout, th.stderr)
	}
	if got := th.fdCall(t, SysClose, fds[2]); got != 0 {
		t.Errorf("SYS_CLOSE = %d", got)
	}
	if got := th.open(t, ":tt", 0); got != fds[2] {
		t.Errorf("reopen got handle %d, want the lowest free, %d", got, fds[2])
	}
}

func TestNilStreams(t *testing.T) {
	h := &Host{}
	mem := newMem()
	mem.str(strAt, ":tt")
	fd, _ := h.Call(SysOpen, mem.words(argAt, strAt, 8, 3), mem) // stderr falls back to stdout: discarded
	mem.str(bufAt, "x")
	if got, _ := h.Call(SysWrite, mem.words(argAt, fd, bufAt, 1), mem); got != 0 {
		t.Errorf("SYS_WRITE to a nil writer = %d, want 0", got)
	}
	if got, _ := h.Call(SysReadC, 0, mem); got != fail {
		t.Errorf("SYS_READC with no stdin = %#x, want -1", got)
	}
	for _, op := range []uint32{SysClock, SysTime, SysTickFreq} {
		if got, _ := h.Call(op, 0, mem); got != fail {
			t.Errorf("op %#x with no clock = %#x, want -1", op, got)
		}
	}
	if got, _ := h.Call(SysElapsed, bufAt, mem); got != fail {
		t.Errorf("SYS_ELAPSED with no clock = %#x, want -1", got)
	}
}

func TestReadC(t *testing.T) {
	th := newHost(t, "ab")
	var got []uint32
	for range 3 {
		got = append(got, th.call(t, SysReadC, 0))
	}
	if diff := cmp.Diff([]uint32{'a', 'b', fail}, got); diff != "" {
		t.Errorf("SYS_READC mismatch (-want +got):\n%s", diff)
	}
}

func TestFeatures(t *testing.T) {
	th := newHost(t, "")
	fd := th.open(t, ":semihosting-features", 0)
	if fd == fail {
		t.Fatalf("open features failed, errno %d", th.errno(t))
	}
	if got := th.fdCall(t, SysFlen, fd); got != 5 {
		t.Errorf("SYS_FLEN = %d, want 5", got)
	}
	if got := th.fdCall(t, SysIsTTY, fd); got != 0 {
		t.Errorf("SYS_ISTTY = %d, want 0", got)
	}
	got, left := th.read(t, fd, 16)
	if diff := cmp.Diff("SHFB\x03", got); diff != "" || left != 11 {
		t.Errorf("read features (left %d, want 11) mismatch (-want +got):\n%s", left, diff)
	}
	if r := th.fdCall(t, SysSeek, fd, 4); r != 0 {
		t.Errorf("SYS_SEEK(4) = %d", r)
	}
	if got, _ := th.read(t, fd, 1); got != "\x03" {
		t.Errorf("byte 4 = %q, want 0x03 (EXIT_EXTENDED | STDOUT_STDERR)", got)
	}
	if r := th.fdCall(t, SysSeek, fd, 6); r != fail {
		t.Errorf("SYS_SEEK past the end = %d, want -1", r)
	}
	if left := th.write(t, fd, "xx"); left != 2 {
		t.Errorf("SYS_WRITE to features = %d, want 2", left)
	}
	// Opened twice at once, each with its own position.
	fd2 := th.open(t, ":semihosting-features", 1)
	if got, _ := th.read(t, fd2, 2); got != "SH" {
		t.Errorf("second handle read %q, want SH", got)
	}
	if th.fdCall(t, SysClose, fd) != 0 || th.fdCall(t, SysClose, fd2) != 0 {
		t.Errorf("SYS_CLOSE failed")
	}
	for mode := uint32(2); mode < 12; mode++ {
		if got := th.open(t, ":semihosting-features", mode); got != fail {
			t.Errorf("open features mode %d = %d, want -1", mode, got)
		}
	}
	if got := th.errno(t); got != EACCES {
		t.Errorf("errno = %d, want EACCES", got)
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name  string
		setup func(th *testHost) uint32 // returns param
		errno uint32
	}{
		{"bad block", func(th *testHost) uint32 { return bad }, EFAULT},
		{"bad name", func(th *testHost) uint32 { return th.mem.words(argAt, bad, 0, 3) }, EFAULT},
		{"bad mode", func(th *testHost) uint32 {
			return th.mem.words(argAt, th.mem.str(strAt, ":tt"), 12, 3)
		}, EINVAL},
		{"long name", func(th *testHost) uint32 { return th.mem.words(argAt, strAt, 0, maxPath+1) }, ENAMETOOLONG},
		{"missing file", func(th *testHost) uint32 {
			name := filepath.Join(t.TempDir(), "nope")
			th.mem.str(strAt, name)
			return th.mem.words(argAt, strAt, 0, uint32(len(name)))
		}, ENOENT},
		{"directory for writing", func(th *testHost) uint32 {
			name := t.TempDir()
			th.mem.str(strAt, name)
			return th.mem.words(argAt, strAt, 4, uint32(len(name)))
		}, EISDIR},
		{"host files off", func(th *testHost) uint32 {
			th.NoHostFiles = true
			th.mem.str(strAt, "x")
			return th.mem.words(argAt, strAt, 0, 1)
		}, EACCES},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			th := newHost(t, "")
			if got := th.call(t, SysOpen, tc.setup(th)); got != fail {
				t.Errorf("SYS_OPEN = %d, want -1", got)
			}
			if got := th.errno(t); got != tc.errno {
				t.Errorf("errno = %d, want %d", got, tc.errno)
			}
		})
	}
}

func TestOpenNameStopsAtNUL(t *testing.T) {
	th := newHost(t, "")
	th.mem.str(strAt, ":tt")
	// Length claims more than the string: the NUL ends the name.
	if fd := th.call(t, SysOpen, th.mem.words(argAt, strAt, 4, 10)); fd == fail {
		t.Errorf("SYS_OPEN(\":tt\", len 10) failed, errno %d", th.errno(t))
	}
}

func TestHostFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "data.txt")
	th := newHost(t, "")

	fd := th.open(t, path, 4) // w
	if fd == fail {
		t.Fatalf("open w failed, errno %d", th.errno(t))
	}
	if left := th.write(t, fd, "hello world"); left != 0 {
		t.Errorf("SYS_WRITE left %d", left)
	}
	if got := th.fdCall(t, SysIsTTY, fd); got != 0 {
		t.Errorf("SYS_ISTTY(file) = %d, want 0", got)
	}
	if th.fdCall(t, SysClose, fd) != 0 {
		t.Fatalf("close failed")
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != "hello world" {
		t.Fatalf("file holds %q, %v", got, err)
	}

	fd = th.open(t, path, 1) // rb
	if got := th.fdCall(t, SysFlen, fd); got != 11 {
		t.Errorf("SYS_FLEN = %d, want 11", got)
	}
	if got, left := th.read(t, fd, 5); got != "hello" || left != 0 {
		t.Errorf("read = %q, %d", got, left)
	}
	if got, left := th.read(t, fd, 10); got != " world" || left != 4 {
		t.Errorf("partial read = %q, %d; want \" world\", 4", got, left)
	}
	if _, left := th.read(t, fd, 10); left != 10 {
		t.Errorf("read at EOF left %d, want 10", left)
	}
	if th.fdCall(t, SysSeek, fd, 6) != 0 {
		t.Errorf("seek failed")
	}
	if got, _ := th.read(t, fd, 5); got != "world" {
		t.Errorf("read after seek = %q", got)
	}
	if left := th.write(t, fd, "x"); left != 1 {
		t.Errorf("write to read-only file left %d, want 1", left)
	}
	if got := th.errno(t); got == 0 {
		t.Errorf("errno after failed write = 0")
	}
	// Bad buffer: nothing is filled, errno EFAULT.
	if left := th.call(t, SysRead, th.mem.words(argAt, fd, bad, 4)); left != 4 {
		t.Errorf("read to a bad buffer left %d, want 4", left)
	}
	if left := th.call(t, SysWrite, th.mem.words(argAt, fd, bad, 4)); left != 4 {
		t.Errorf("write from a bad buffer left %d, want 4", left)
	}
	if got := th.errno(t); got != EFAULT {
		t.Errorf("errno = %d, want EFAULT", got)
	}
	th.fdCall(t, SysClose, fd)

	fd = th.open(t, path, 8) // a: appends
	th.write(t, fd, "!")
	th.fdCall(t, SysClose, fd)
	if got, _ := os.ReadFile(path); string(got) != "hello world!" {
		t.Errorf("after append file holds %q", got)
	}

	// Rename, then remove.
	newPath := filepath.Join(dir, "renamed.txt")
	th.mem.str(strAt, path)
	th.mem.str(str2At, newPath)
	if got := th.call(t, SysRename, th.mem.words(argAt, strAt, uint32(len(path)), str2At, uint32(len(newPath)))); got != 0 {
		t.Errorf("SYS_RENAME = %d, errno %d", got, th.errno(t))
	}
	if got := th.call(t, SysRemove, th.mem.words(argAt, str2At, uint32(len(newPath)))); got != 0 {
		t.Errorf("SYS_REMOVE = %d, errno %d", got, th.errno(t))
	}
	if got := th.call(t, SysRemove, th.mem.words(argAt, str2At, uint32(len(newPath)))); got != fail {
		t.Errorf("second SYS_REMOVE = %d, want -1", got)
	}
	if got := th.errno(t); got != ENOENT {
		t.Errorf("errno = %d, want ENOENT", got)
	}
	if _, err := os.Stat(newPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file still exists: %v", err)
	}
}

func TestRoot(t *testing.T) {
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	th := newHost(t, "")
	th.Root = root

	fd := th.open(t, "inside.txt", 4)
	if fd == fail {
		t.Fatalf("open inside root failed, errno %d", th.errno(t))
	}
	th.write(t, fd, "ok")
	th.fdCall(t, SysClose, fd)
	if got, err := os.ReadFile(filepath.Join(dir, "inside.txt")); err != nil || string(got) != "ok" {
		t.Errorf("file in root holds %q, %v", got, err)
	}
	for _, name := range []string{"../escape.txt", filepath.Join(dir, "abs.txt")} {
		if got := th.open(t, name, 4); got != fail {
			t.Errorf("open %q outside root = %d, want -1", name, got)
		}
		if got := th.errno(t); got != EACCES {
			t.Errorf("open %q: errno %d, want EACCES", name, got)
		}
	}
	th.mem.str(strAt, "inside.txt")
	th.mem.str(str2At, "moved.txt")
	if got := th.call(t, SysRename, th.mem.words(argAt, strAt, 10, str2At, 9)); got != 0 {
		t.Errorf("SYS_RENAME in root = %d, errno %d", got, th.errno(t))
	}
	if got := th.call(t, SysRemove, th.mem.words(argAt, str2At, 9)); got != 0 {
		t.Errorf("SYS_REMOVE in root = %d, errno %d", got, th.errno(t))
	}
}

func TestNoHostFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keep")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	th := newHost(t, "")
	th.NoHostFiles = true
	th.mem.str(strAt, path)
	if got := th.call(t, SysRemove, th.mem.words(argAt, strAt, uint32(len(path)))); got != fail {
		t.Errorf("SYS_REMOVE = %d, want -1", got)
	}
	if got := th.call(t, SysRename, th.mem.words(argAt, strAt, uint32(len(path)), strAt, uint32(len(path)))); got != fail {
		t.Errorf("SYS_RENAME = %d, want -1", got)
	}
	if got := th.errno(t); got != EACCES {
		t.Errorf("errno = %d, want EACCES", got)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("file was touched: %v", err)
	}
	if fd := th.open(t, ":tt", 4); fd == fail {
		t.Errorf(":tt refused with host files off")
	}
}

func TestBadHandles(t *testing.T) {
	th := newHost(t, "")
	fd := th.open(t, ":tt", 4)
	th.fdCall(t, SysClose, fd)
	for _, op := range []uint32{SysClose, SysIsTTY, SysSeek, SysFlen} {
		for _, h := range []uint32{0, fd, 99, fail} {
			if got := th.fdCall(t, op, h, 0); got != fail {
				t.Errorf("op %#x handle %d = %d, want -1", op, h, got)
			}
			if got := th.errno(t); got != EBADF {
				t.Errorf("op %#x handle %d: errno %d, want EBADF", op, h, got)
			}
		}
		if got := th.call(t, op, bad); got != fail {
			t.Errorf("op %#x with a bad block = %d, want -1", op, got)
		}
	}
	if left := th.fdCall(t, SysWrite, 99, bufAt, 7); left != 7 {
		t.Errorf("SYS_WRITE bad handle left %d, want 7", left)
	}
	if left := th.fdCall(t, SysRead, 99, bufAt, 7); left != 7 {
		t.Errorf("SYS_READ bad handle left %d, want 7", left)
	}
	for _, op := range []uint32{SysWrite, SysRead} {
		if got := th.call(t, op, bad); got != fail {
			t.Errorf("op %#x with a bad block = %d, want -1", op, got)
		}
	}
}

func TestHandleLimit(t *testing.T) {
	th := newHost(t, "")
	var last uint32
	for range maxHandles + 5 {
		last = th.open(t, ":tt", 0)
	}
	if last != fail {
		t.Errorf("open past the handle limit = %d, want -1", last)
	}
	if got := th.errno(t); got != EMFILE {
		t.Errorf("errno = %d, want EMFILE", got)
	}
}

func TestIsError(t *testing.T) {
	th := newHost(t, "")
	for _, tc := range []struct{ status, want uint32 }{
		{0, 0}, {1, 0}, {0x7fffffff, 0}, {fail, 1}, {0x80000000, 1},
	} {
		if got := th.call(t, SysIsError, th.mem.words(argAt, tc.status)); got != tc.want {
			t.Errorf("SYS_ISERROR(%#x) = %d, want %d", tc.status, got, tc.want)
		}
	}
}

func TestClocks(t *testing.T) {
	th := newHost(t, "")
	ns := uint64(0x1_2345_6789_abcd)
	th.Elapsed = func() uint64 { return ns }
	th.Now = func() time.Time { return time.Unix(1700000000, 5) }
	got := []uint32{
		th.call(t, SysClock, 0),
		th.call(t, SysTime, 0),
		th.call(t, SysTickFreq, 0),
		th.call(t, SysElapsed, bufAt),
		th.mem.word(bufAt),
		th.mem.word(bufAt + 4),
	}
	want := []uint32{uint32(ns / 10_000_000), 1700000000, 1_000_000_000, 0, 0x6789abcd, 0x12345}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("clocks mismatch (-want +got):\n%s", diff)
	}
	if got := th.call(t, SysElapsed, bad); got != fail {
		t.Errorf("SYS_ELAPSED(bad) = %d, want -1", got)
	}
}

func TestGetCmdline(t *testing.T) {
	tests := []struct {
		name    string
		cmdline string
		size    uint32
		buf     uint32
		want    uint32
		wantLen uint32
		wantBuf string
		errno   uint32
	}{
		{name: "fits", cmdline: "prog -v", size: 80, buf: bufAt, want: 0, wantLen: 7, wantBuf: "prog -v\x00"},
		{name: "exact", cmdline: "prog", size: 5, buf: bufAt, want: 0, wantLen: 4, wantBuf: "prog\x00"},
		{name: "empty", cmdline: "", size: 1, buf: bufAt, want: 0, wantLen: 0, wantBuf: "\x00"},
		{name: "too small", cmdline: "prog", size: 4, buf: bufAt, want: fail, wantLen: 4, errno: E2BIG},
		{name: "bad buffer", cmdline: "prog", size: 80, buf: bad, want: fail, wantLen: 80, errno: EFAULT},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			th := newHost(t, "")
			th.Cmdline = tc.cmdline
			if got := th.call(t, SysGetCmdline, th.mem.words(argAt, tc.buf, tc.size)); got != tc.want {
				t.Errorf("SYS_GET_CMDLINE = %#x, want %#x", got, tc.want)
			}
			if got := th.mem.word(argAt + 4); got != tc.wantLen {
				t.Errorf("field 2 = %d, want %d", got, tc.wantLen)
			}
			if tc.wantBuf != "" {
				if got := string(th.mem.bytesAt(bufAt, len(tc.wantBuf))); got != tc.wantBuf {
					t.Errorf("buffer = %q, want %q", got, tc.wantBuf)
				}
			}
			if tc.errno != 0 {
				if got := th.errno(t); got != tc.errno {
					t.Errorf("errno = %d, want %d", got, tc.errno)
				}
			}
		})
	}
	th := newHost(t, "")
	if got := th.call(t, SysGetCmdline, bad); got != fail {
		t.Errorf("SYS_GET_CMDLINE(bad) = %d, want -1", got)
	}
}

func TestHeapInfo(t *testing.T) {
	th := newHost(t, "")
	th.HeapBase, th.HeapLimit, th.StackBase, th.StackLimit = 0x40100000, 0x40800000, 0x41000000, 0x40800000
	if got := th.call(t, SysHeapInfo, th.mem.words(argAt, bufAt)); got != 0 {
		t.Errorf("SYS_HEAPINFO = %d", got)
	}
	got := []uint32{th.mem.word(bufAt), th.mem.word(bufAt + 4), th.mem.word(bufAt + 8), th.mem.word(bufAt + 12)}
	if diff := cmp.Diff([]uint32{0x40100000, 0x40800000, 0x41000000, 0x40800000}, got); diff != "" {
		t.Errorf("heap info mismatch (-want +got):\n%s", diff)
	}
	for _, param := range []uint32{bad, th.mem.words(argAt, bad)} {
		if got := th.call(t, SysHeapInfo, param); got != fail {
			t.Errorf("SYS_HEAPINFO(%#x) = %d, want -1", param, got)
		}
	}
}

func TestExit(t *testing.T) {
	tests := []struct {
		name  string
		op    uint32
		param func(m *fakeMem) uint32
		want  *Exit
		ret   uint32
	}{
		{"exit success", SysExit, func(*fakeMem) uint32 { return ADPStoppedApplicationExit }, &Exit{Code: 0, Reason: ADPStoppedApplicationExit}, 0},
		{"exit internal error", SysExit, func(*fakeMem) uint32 { return ADPStoppedInternalError }, &Exit{Code: 1, Reason: ADPStoppedInternalError}, 0},
		{"exit garbage", SysExit, func(*fakeMem) uint32 { return 3 }, &Exit{Code: 1, Reason: 3}, 0},
		{"extended status 0", SysExitExtended, func(m *fakeMem) uint32 { return m.words(argAt, ADPStoppedApplicationExit, 0) },
			&Exit{Code: 0, Reason: ADPStoppedApplicationExit}, 0},
		{"extended status 42", SysExitExtended, func(m *fakeMem) uint32 { return m.words(argAt, ADPStoppedApplicationExit, 42) },
			&Exit{Code: 42, Reason: ADPStoppedApplicationExit}, 0},
		{"extended status -1", SysExitExtended, func(m *fakeMem) uint32 { return m.words(argAt, ADPStoppedApplicationExit, fail) },
			&Exit{Code: -1, Reason: ADPStoppedApplicationExit}, 0},
		{"extended abort", SysExitExtended, func(m *fakeMem) uint32 { return m.words(argAt, ADPStoppedDataAbort, 0) },
			&Exit{Code: 1, Reason: ADPStoppedDataAbort}, 0},
		{"extended bad pointer", SysExitExtended, func(*fakeMem) uint32 { return bad }, nil, fail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			th := newHost(t, "")
			ret, exit := th.Call(tc.op, tc.param(th.mem), th.mem)
			if diff := cmp.Diff(tc.want, exit); diff != "" {
				t.Errorf("exit mismatch (-want +got):\n%s", diff)
			}
			if ret != tc.ret {
				t.Errorf("ret = %#x, want %#x", ret, tc.ret)
			}
		})
	}
}

func TestExitString(t *testing.T) {
	got := []string{
		(&Exit{Code: 3, Reason: ADPStoppedApplicationExit}).String(),
		(&Exit{Code: 1, Reason: ADPStoppedDataAbort}).String(),
		(&Exit{Code: 1, Reason: 7}).String(),
	}
	want := []string{
		"guest exited with status 3",
		"guest stopped with reason 0x20004 (data abort), status 1",
		"guest stopped with reason 0x7 (unknown), status 1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Exit.String mismatch (-want +got):\n%s", diff)
	}
}

func TestUnknownAndSystem(t *testing.T) {
	th := newHost(t, "")
	for _, op := range []uint32{0x17, 0x19, 0x100, 0x17} {
		if got := th.call(t, op, 0); got != fail {
			t.Errorf("op %#x = %#x, want -1", op, got)
		}
	}
	if got := th.errno(t); got != ENOSYS {
		t.Errorf("errno = %d, want ENOSYS", got)
	}
	cmd := "rm -rf /"
	th.mem.str(strAt, cmd)
	for range 2 {
		if got := th.call(t, SysSystem, th.mem.words(argAt, strAt, uint32(len(cmd)))); got != fail {
			t.Errorf("SYS_SYSTEM = %d, want -1", got)
		}
	}
	if got := th.errno(t); got != EPERM {
		t.Errorf("errno = %d, want EPERM", got)
	}
	if got := th.call(t, SysSystem, bad); got != fail {
		t.Errorf("SYS_SYSTEM(bad) = %d, want -1", got)
	}
	log := th.log.String()
	if n := strings.Count(log, "op=0x17"); n != 1 {
		t.Errorf("op 0x17 logged %d times, want once:\n%s", n, log)
	}
	if n := strings.Count(log, "SYS_SYSTEM"); n != 1 || !strings.Contains(log, `command="rm -rf /"`) {
		t.Errorf("SYS_SYSTEM logged %d times, want once with the command:\n%s", n, log)
	}
}

func TestTmpnam(t *testing.T) {
	th := newHost(t, "")
	th.TempDir = "/tmpdir"
	want := fmt.Sprintf("/tmpdir/mimic-%x-2a", os.Getpid())
	if got := th.call(t, SysTmpnam, th.mem.words(argAt, bufAt, 0x12a, 64)); got != 0 {
		t.Fatalf("SYS_TMPNAM = %d", got)
	}
	if got := string(th.mem.bytesAt(bufAt, len(want)+1)); got != filepath.FromSlash(want)+"\x00" {
		t.Errorf("name = %q, want %q", got, want)
	}
	if got := th.call(t, SysTmpnam, th.mem.words(argAt, bufAt, 1, uint32(len(want)))); got != fail {
		t.Errorf("SYS_TMPNAM with no room for the NUL = %d, want -1", got)
	}
	if got := th.call(t, SysTmpnam, th.mem.words(argAt, bad, 1, 64)); got != fail {
		t.Errorf("SYS_TMPNAM(bad buffer) = %d, want -1", got)
	}
	if got := th.errno(t); got != EFAULT {
		t.Errorf("errno = %d, want EFAULT", got)
	}
}

func TestCloseClosesFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	th := newHost(t, "")
	fd := th.open(t, path, 4)
	if fd == fail {
		t.Fatal("open failed")
	}
	f := th.files[fd].host
	if err := th.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("x")); !errors.Is(err, os.ErrClosed) {
		t.Errorf("write after Close: %v, want ErrClosed", err)
	}
	if got := th.fdCall(t, SysClose, fd); got != fail {
		t.Errorf("SYS_CLOSE after Host.Close = %d, want -1", got)
	}
}

// zeroReader returns (0, nil) forever: read must not spin on it.
type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

func TestStuckReader(t *testing.T) {
	th := newHost(t, "")
	th.Stdin = zeroReader{}
	fd := th.open(t, ":tt", 0)
	if _, left := th.read(t, fd, 8); left != 8 {
		t.Errorf("read left %d, want 8", left)
	}
	if got := th.call(t, SysReadC, 0); got != fail {
		t.Errorf("SYS_READC from a stuck reader = %#x, want -1", got)
	}
	th.Stdin = io.MultiReader() // immediate EOF
	if got := th.call(t, SysReadC, 0); got != fail {
		t.Errorf("SYS_READC at EOF = %#x, want -1", got)
	}
}
