// Package console connects a guest serial port to the host terminal: stdin
// becomes guest input and, when stdin is a terminal, it is put in raw mode
// with QEMU's escape keys (Ctrl-A x quits, Ctrl-A h helps, Ctrl-A Ctrl-A
// sends Ctrl-A) and Mimic's Ctrl-A i (print the machine's state, for
// debugging a guest that hangs). The terminal is restored by Close, whatever happened.
package console

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

const ctrlA = 0x01

// Console reads host input for the guest.
type Console struct {
	// Input carries the bytes typed for the guest; it is closed at EOF.
	Input <-chan []byte
	in    *os.File
	out   io.Writer
	saved *unix.Termios
	keys  Keys
}

// Keys are the actions of the Ctrl-A escapes. Each is called from the
// console's reading goroutine; nil ones do nothing.
type Keys struct {
	Quit func() // Ctrl-A x
	Info func() // Ctrl-A i
}

// Open starts reading in. When in is a terminal and raw is set, the
// terminal goes into raw mode until Close, and the Ctrl-A escapes call
// keys.
func Open(in *os.File, out io.Writer, raw bool, keys Keys) (*Console, error) {
	c := &Console{in: in, out: out, keys: keys}
	if raw && IsTerminal(in) {
		if err := c.makeRaw(); err != nil {
			return nil, fmt.Errorf("console: %w", err)
		}
	}
	ch := make(chan []byte, 16)
	c.Input = ch
	go c.read(ch)
	return c, nil
}

// IsTerminal reports whether f is a terminal.
func IsTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// makeRaw puts the terminal in raw mode but keeps output processing
// (newline to CR-LF), as QEMU's stdio backend does.
func (c *Console) makeRaw() error {
	fd := int(c.in.Fd())
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return err
	}
	saved := *t
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Oflag |= unix.OPOST
	t.Cc[unix.VMIN] = 1
	t.Cc[unix.VTIME] = 0
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, t); err != nil {
		return err
	}
	c.saved = &saved
	return nil
}

// Close restores the terminal. It is safe to call more than once.
func (c *Console) Close() {
	if c.saved != nil {
		unix.IoctlSetTermios(int(c.in.Fd()), unix.TCSETS, c.saved)
		c.saved = nil
	}
}

func (c *Console) read(ch chan<- []byte) {
	defer close(ch)
	buf := make([]byte, 256)
	escape := false
	for {
		n, err := c.in.Read(buf)
		if n > 0 {
			data := buf[:n]
			if c.saved != nil {
				data, escape = c.filter(data, escape)
			}
			if len(data) > 0 {
				ch <- append([]byte(nil), data...)
			}
		}
		if err != nil {
			return
		}
	}
}

// filter handles Ctrl-A escapes in raw mode.
func (c *Console) filter(in []byte, escape bool) ([]byte, bool) {
	out := in[:0:0]
	for _, b := range in {
		if !escape {
			if b == ctrlA {
				escape = true
				continue
			}
			out = append(out, b)
			continue
		}
		escape = false
		switch b {
		case 'x', 'X':
			fmt.Fprint(c.out, "\r\nmimic: terminated\r\n")
			if c.keys.Quit != nil {
				c.keys.Quit()
			}
		case 'i', 'I':
			if c.keys.Info != nil {
				c.keys.Info()
			}
		case 'h', 'H', '?':
			fmt.Fprint(c.out, "\r\nC-a h    print this help\r\nC-a x    exit emulator\r\nC-a i    print the machine's state (CPU, timers, interrupts)\r\nC-a C-a  sends C-a\r\n")
		case ctrlA:
			out = append(out, ctrlA)
		}
	}
	return out, escape
}
