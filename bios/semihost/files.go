package semihost

import (
	"io"
	"io/fs"
	"log/slog"
	"os"
)

type fileKind uint8

const (
	kindStdin    fileKind = iota // ":tt" opened for reading
	kindStdout                   // ":tt" opened for writing
	kindStderr                   // ":tt" opened for appending
	kindFeatures                 // ":semihosting-features"
	kindHost                     // a host file
)

// file is an open semihosting handle.
type file struct {
	kind fileKind
	host *os.File // kindHost
	off  int      // kindFeatures: read position
}

// openFlags maps the SYS_OPEN mode (semihosting.rst, "Value of mode")
// to host open flags: r, rb, r+, r+b, w, wb, w+, w+b, a, ab, a+, a+b.
var openFlags = [12]int{
	os.O_RDONLY, os.O_RDONLY,
	os.O_RDWR, os.O_RDWR,
	os.O_WRONLY | os.O_CREATE | os.O_TRUNC, os.O_WRONLY | os.O_CREATE | os.O_TRUNC,
	os.O_RDWR | os.O_CREATE | os.O_TRUNC, os.O_RDWR | os.O_CREATE | os.O_TRUNC,
	os.O_WRONLY | os.O_CREATE | os.O_APPEND, os.O_WRONLY | os.O_CREATE | os.O_APPEND,
	os.O_RDWR | os.O_CREATE | os.O_APPEND, os.O_RDWR | os.O_CREATE | os.O_APPEND,
}

// alloc gives f the lowest free handle (handles start at 1: SYS_OPEN
// returns "a nonzero handle"), or returns 0 when the table is full.
func (h *Host) alloc(f *file) uint32 {
	if len(h.files) == 0 {
		h.files = append(h.files, nil)
	}
	for i := 1; i < len(h.files); i++ {
		if h.files[i] == nil {
			h.files[i] = f
			return uint32(i)
		}
	}
	if len(h.files) > maxHandles {
		return 0
	}
	h.files = append(h.files, f)
	return uint32(len(h.files) - 1)
}

// lookup returns the open file for handle, or nil with errno EBADF.
func (h *Host) lookup(handle uint32) *file {
	if handle == 0 || uint64(handle) >= uint64(len(h.files)) || h.files[handle] == nil {
		h.errno = EBADF
		return nil
	}
	return h.files[handle]
}

// open is SYS_OPEN (0x01): param points to {name, mode, name length}.
func (h *Host) open(param uint32, mem Memory) uint32 {
	a, ok := h.args(mem, param, 3)
	if !ok {
		return h.failWith(EFAULT)
	}
	name, ok := h.name(mem, a[0], a[2])
	if !ok {
		return fail
	}
	mode := a[1]
	if mode >= uint32(len(openFlags)) {
		return h.failWith(EINVAL)
	}
	var f *file
	switch name {
	case ":tt":
		// SH_EXT_STDOUT_STDERR (semihosting.rst, SYS_OPEN): read modes
		// are stdin, write modes stdout, append modes stderr.
		switch {
		case mode < 4:
			f = &file{kind: kindStdin}
		case mode < 8:
			f = &file{kind: kindStdout}
		default:
			f = &file{kind: kindStderr}
		}
	case ":semihosting-features":
		// "Attempts to open this special path name with any other opening
		// mode [than r or rb] must fail."
		if mode > 1 {
			return h.failWith(EACCES)
		}
		f = &file{kind: kindFeatures}
	default:
		if h.NoHostFiles {
			h.logOnce("nohostfiles", "semihosting: guest tried to open a host file; host file access is off", slog.String("path", name))
			return h.failWith(EACCES)
		}
		var hf *os.File
		var err error
		if h.Root != nil {
			hf, err = h.Root.OpenFile(name, openFlags[mode], 0o644)
		} else {
			hf, err = os.OpenFile(name, openFlags[mode], 0o644)
		}
		if err != nil {
			return h.failWith(h.fileErrno(err))
		}
		f = &file{kind: kindHost, host: hf}
	}
	fd := h.alloc(f)
	if fd == 0 {
		if f.host != nil {
			_ = f.host.Close()
		}
		return h.failWith(EMFILE)
	}
	return fd
}

// handleArg reads the handle in field 1 of the block at param and looks
// it up; ok is false (errno set) for a bad pointer or handle.
func (h *Host) handleArg(mem Memory, param uint32, n int) ([]uint32, *file, bool) {
	a, ok := h.args(mem, param, n)
	if !ok {
		h.errno = EFAULT
		return nil, nil, false
	}
	f := h.lookup(a[0])
	return a, f, f != nil
}

// close is SYS_CLOSE (0x02). Closing a ":tt" handle leaves the host's
// console open.
func (h *Host) close(param uint32, mem Memory) uint32 {
	a, f, ok := h.handleArg(mem, param, 1)
	if !ok {
		return fail
	}
	h.files[a[0]] = nil
	if f.host != nil {
		if err := f.host.Close(); err != nil {
			return h.failWith(errnoOf(err))
		}
	}
	return 0
}

// write is SYS_WRITE (0x05): param points to {handle, buffer, length};
// the result is the number of bytes NOT written (0 on success).
func (h *Host) write(param uint32, mem Memory) uint32 {
	a, f, ok := h.handleArg(mem, param, 3)
	if !ok {
		if a == nil {
			return fail
		}
		return a[2]
	}
	addr, left := a[1], a[2]
	var w io.Writer
	switch f.kind {
	case kindStdout:
		w = h.stdout()
	case kindStderr:
		w = h.stderr()
	case kindHost:
		w = f.host
	default:
		h.errno = EBADF
		return left
	}
	buf := make([]byte, min(left, chunk))
	for left > 0 {
		b := buf[:min(left, chunk)]
		if !h.readMem(mem, addr, b) {
			h.errno = EFAULT
			return left
		}
		n, err := w.Write(b)
		left -= uint32(n)
		addr += uint32(n)
		if err != nil {
			h.errno = errnoOf(err)
			return left
		}
	}
	return 0
}

// read is SYS_READ (0x06): param points to {handle, buffer, length}; the
// result is the number of bytes NOT filled: 0 for a full buffer, length
// at end of file. A console read returns after the first chunk of input,
// as an interactive device does.
func (h *Host) read(param uint32, mem Memory) uint32 {
	a, f, ok := h.handleArg(mem, param, 3)
	if !ok {
		if a == nil {
			return fail
		}
		return a[2]
	}
	addr, left := a[1], a[2]
	var r io.Reader
	switch f.kind {
	case kindStdin:
		if h.Stdin == nil {
			return left // end of input
		}
		r = h.Stdin
	case kindFeatures:
		r = &featureReader{f}
	case kindHost:
		r = f.host
	default:
		h.errno = EBADF
		return left
	}
	buf := make([]byte, min(left, chunk))
	for left > 0 {
		n, err := r.Read(buf[:min(left, chunk)])
		if n > 0 {
			if !h.writeMem(mem, addr, buf[:n]) {
				h.errno = EFAULT
				return left
			}
			left -= uint32(n)
			addr += uint32(n)
		}
		if err != nil {
			if err != io.EOF {
				h.errno = errnoOf(err)
			}
			return left
		}
		if f.kind == kindStdin && n > 0 {
			return left
		}
		if n == 0 {
			// A reader returning (0, nil) forever must not hang the
			// emulator; treat it as no data available.
			return left
		}
	}
	return 0
}

type featureReader struct{ f *file }

func (r *featureReader) Read(p []byte) (int, error) {
	if r.f.off >= len(featureFile) {
		return 0, io.EOF
	}
	n := copy(p, featureFile[r.f.off:])
	r.f.off += n
	return n, nil
}

// istty is SYS_ISTTY (0x09): 1 for a console stream that is a host
// terminal and for host character devices, 0 otherwise, -1 for a bad
// handle. Like QEMU, the console answer follows the host stream: a guest
// whose output goes to a file or pipe is not on a terminal.
func (h *Host) istty(param uint32, mem Memory) uint32 {
	_, f, ok := h.handleArg(mem, param, 1)
	if !ok {
		return fail
	}
	switch f.kind {
	case kindStdin:
		return isCharDevice(h.Stdin)
	case kindStdout:
		return isCharDevice(h.Stdout)
	case kindStderr:
		return isCharDevice(h.Stderr)
	case kindHost:
		if st, err := f.host.Stat(); err == nil && st.Mode()&fs.ModeCharDevice != 0 {
			return 1
		}
	}
	return 0
}

// seek is SYS_SEEK (0x0A): param points to {handle, absolute position}.
// Returns 0, or -1 with errno. Seeking the console fails with ESPIPE;
// the features file may be positioned anywhere up to its end.
func (h *Host) seek(param uint32, mem Memory) uint32 {
	a, f, ok := h.handleArg(mem, param, 2)
	if !ok {
		return fail
	}
	pos := a[1]
	switch f.kind {
	case kindFeatures:
		if uint64(pos) > uint64(len(featureFile)) {
			return h.failWith(EINVAL)
		}
		f.off = int(pos)
	case kindHost:
		if _, err := f.host.Seek(int64(pos), io.SeekStart); err != nil {
			return h.failWith(errnoOf(err))
		}
	default:
		return h.failWith(ESPIPE)
	}
	return 0
}

// flen is SYS_FLEN (0x0C): the file's current length. The console has
// length 0 (what fstat reports for a terminal or pipe); a file longer
// than 2 GiB - 1 fails with EOVERFLOW since the guest reads the result as
// a signed int.
func (h *Host) flen(param uint32, mem Memory) uint32 {
	_, f, ok := h.handleArg(mem, param, 1)
	if !ok {
		return fail
	}
	switch f.kind {
	case kindFeatures:
		return uint32(len(featureFile))
	case kindHost:
		st, err := f.host.Stat()
		if err != nil {
			return h.failWith(errnoOf(err))
		}
		if st.Size() > 0x7fffffff {
			return h.failWith(EOVERFLOW)
		}
		return uint32(st.Size())
	}
	return 0
}

// pathArg reads a {name, length} pair at addr, checking NoHostFiles.
func (h *Host) pathArg(mem Memory, ptr, n uint32) (string, bool) {
	name, ok := h.name(mem, ptr, n)
	if !ok {
		return "", false
	}
	if h.NoHostFiles {
		h.logOnce("nohostfiles", "semihosting: guest tried to change a host file; host file access is off", slog.String("path", name))
		h.errno = EACCES
		return "", false
	}
	return name, true
}

// remove is SYS_REMOVE (0x0E): param points to {name, length}. Returns 0,
// or -1 with errno (the specification allows any nonzero value; -1 is
// QEMU's).
func (h *Host) remove(param uint32, mem Memory) uint32 {
	a, ok := h.args(mem, param, 2)
	if !ok {
		return h.failWith(EFAULT)
	}
	name, ok := h.pathArg(mem, a[0], a[1])
	if !ok {
		return fail
	}
	var err error
	if h.Root != nil {
		err = h.Root.Remove(name)
	} else {
		err = os.Remove(name)
	}
	if err != nil {
		return h.failWith(h.fileErrno(err))
	}
	return 0
}

// rename is SYS_RENAME (0x0F): param points to {old, old length, new,
// new length}. Returns 0, or -1 with errno.
func (h *Host) rename(param uint32, mem Memory) uint32 {
	a, ok := h.args(mem, param, 4)
	if !ok {
		return h.failWith(EFAULT)
	}
	from, ok := h.pathArg(mem, a[0], a[1])
	if !ok {
		return fail
	}
	to, ok := h.pathArg(mem, a[2], a[3])
	if !ok {
		return fail
	}
	var err error
	if h.Root != nil {
		err = h.Root.Rename(from, to)
	} else {
		err = os.Rename(from, to)
	}
	if err != nil {
		return h.failWith(h.fileErrno(err))
	}
	return 0
}

// fileErrno is errnoOf for path operations: with Root set, a path that
// escapes it fails with an error of no particular errno, which the guest
// should see as EACCES rather than EIO.
func (h *Host) fileErrno(err error) uint32 {
	e := errnoOf(err)
	if e == EIO && h.Root != nil {
		return EACCES
	}
	return e
}

// isCharDevice reports 1 when s is a host file that is a character device.
func isCharDevice(s any) uint32 {
	if f, ok := s.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&fs.ModeCharDevice != 0 {
			return 1
		}
	}
	return 0
}
