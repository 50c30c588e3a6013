// Package initramfs builds the initial RAM filesystem the Linux acceptance
// tests boot: a gzip-compressed cpio archive in the "newc" format
// (Documentation/driver-api/early-userspace/buffer-format.rst) holding a
// static busybox, its applet links, a small /init and a test file.
//
// Go's standard library has no cpio writer; the newc format is a fixed
// ASCII header per entry, so Writer implements it here, and Reader parses
// it back for the tests.
package initramfs

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// newc header (buffer-format.rst): the magic "070701" and thirteen 8-digit
// hexadecimal fields, 110 bytes in all, then the NUL-terminated name
// padded to a multiple of 4, then the data padded to a multiple of 4.
const (
	newcMagic      = "070701"
	newcHeaderSize = 6 + 13*8
	trailerName    = "TRAILER!!!"
)

// Mode bits of c_mode (the S_IF* values of stat(2)).
const (
	modeDir     = 0o040000
	modeFile    = 0o100000
	modeSymlink = 0o120000
	modeCharDev = 0o020000
	modeType    = 0o170000
)

// Entry is one archive member as Reader returns it.
type Entry struct {
	Name         string
	Mode         uint32 // c_mode: type and permission bits
	UID, GID     uint32
	NLink        uint32
	MTime        uint32
	RDevMajor    uint32
	RDevMinor    uint32
	Data         []byte // file contents, or a symlink's target
	IsDir        bool
	IsSymlink    bool
	IsCharDevice bool
}

// Writer writes a newc archive. Every entry is owned by root with mtime 0,
// so the output depends only on what is added. Call Close to write the
// trailer.
type Writer struct {
	w   io.Writer
	ino uint32
	err error
}

// NewWriter returns a Writer that writes the archive to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w, ino: 1} }

// Permission arguments are the low 12 bits of c_mode: rwx bits plus
// set-user-ID, set-group-ID and sticky (0o1777 for /tmp).
const permMask = 0o7777

// Dir adds a directory.
func (w *Writer) Dir(name string, perm uint32) error {
	return w.entry(name, modeDir|perm&permMask, 2, 0, 0, nil)
}

// File adds a regular file.
func (w *Writer) File(name string, perm uint32, data []byte) error {
	return w.entry(name, modeFile|perm&permMask, 1, 0, 0, data)
}

// Symlink adds a symbolic link to target.
func (w *Writer) Symlink(name, target string) error {
	return w.entry(name, modeSymlink|0o777, 1, 0, 0, []byte(target))
}

// CharDevice adds a character device node.
func (w *Writer) CharDevice(name string, perm, major, minor uint32) error {
	return w.entry(name, modeCharDev|perm&permMask, 1, major, minor, nil)
}

// Close writes the trailer. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	w.ino = 0
	return w.entry(trailerName, 0, 1, 0, 0, nil)
}

func (w *Writer) entry(name string, mode, nlink, rmaj, rmin uint32, data []byte) error {
	if w.err != nil {
		return w.err
	}
	if name == "" || len(name) > 4095 {
		return fmt.Errorf("initramfs: bad entry name %q", name)
	}
	if uint64(len(data)) > 0xffffffff {
		return fmt.Errorf("initramfs: %s: %d bytes is too large for newc", name, len(data))
	}
	ino := w.ino
	if ino != 0 {
		w.ino++
	}
	fields := []uint32{
		ino, mode, 0, 0, nlink, 0, uint32(len(data)),
		0, 0, // c_devmajor, c_devminor
		rmaj, rmin,
		uint32(len(name) + 1),
		0, // c_check: unused by newc
	}
	buf := make([]byte, 0, newcHeaderSize+len(name)+4)
	buf = append(buf, newcMagic...)
	for _, f := range fields {
		buf = fmt.Appendf(buf, "%08X", f)
	}
	buf = append(buf, name...)
	buf = append(buf, 0)
	buf = append(buf, make([]byte, pad4(len(buf)))...)
	if _, err := w.w.Write(buf); err != nil {
		w.err = err
		return err
	}
	if len(data) > 0 {
		if _, err := w.w.Write(data); err != nil {
			w.err = err
			return err
		}
		if _, err := w.w.Write(make([]byte, pad4(len(data)))); err != nil {
			w.err = err
			return err
		}
	}
	return nil
}

// pad4 returns how many bytes round n up to a multiple of 4.
func pad4(n int) int { return (4 - n%4) % 4 }

// Read parses a whole newc archive (uncompressed) up to its trailer.
func Read(r io.Reader) ([]Entry, error) {
	br := bufio.NewReader(r)
	var out []Entry
	for {
		e, err := readEntry(br)
		if err != nil {
			return out, err
		}
		if e.Name == trailerName {
			return out, nil
		}
		out = append(out, e)
	}
}

// ErrFormat is wrapped by the errors Read returns for a malformed archive.
var ErrFormat = errors.New("initramfs: malformed newc archive")

func readEntry(r *bufio.Reader) (Entry, error) {
	hdr := make([]byte, newcHeaderSize)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return Entry{}, fmt.Errorf("%w: header: %v", ErrFormat, err)
	}
	if string(hdr[:6]) != newcMagic {
		return Entry{}, fmt.Errorf("%w: magic %q", ErrFormat, hdr[:6])
	}
	var f [13]uint32
	for i := range f {
		v, err := strconv.ParseUint(string(hdr[6+8*i:14+8*i]), 16, 32)
		if err != nil {
			return Entry{}, fmt.Errorf("%w: field %d: %v", ErrFormat, i, err)
		}
		f[i] = uint32(v)
	}
	mode, size, namesize := f[1], f[6], f[11]
	if namesize == 0 || namesize > 4096 {
		return Entry{}, fmt.Errorf("%w: name size %d", ErrFormat, namesize)
	}
	name := make([]byte, int(namesize)+pad4(newcHeaderSize+int(namesize)))
	if _, err := io.ReadFull(r, name); err != nil {
		return Entry{}, fmt.Errorf("%w: name: %v", ErrFormat, err)
	}
	if name[namesize-1] != 0 {
		return Entry{}, fmt.Errorf("%w: name not NUL-terminated", ErrFormat)
	}
	data := make([]byte, int(size)+pad4(int(size)))
	if _, err := io.ReadFull(r, data); err != nil {
		return Entry{}, fmt.Errorf("%w: data: %v", ErrFormat, err)
	}
	return Entry{
		Name: string(name[:namesize-1]), Mode: mode, UID: f[2], GID: f[3],
		NLink: f[4], MTime: f[5], RDevMajor: f[9], RDevMinor: f[10],
		Data:         data[:size],
		IsDir:        mode&modeType == modeDir,
		IsSymlink:    mode&modeType == modeSymlink,
		IsCharDevice: mode&modeType == modeCharDev,
	}, nil
}
