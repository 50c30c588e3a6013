// Package semihost is the host side of ARM semihosting ("Semihosting for
// AArch32 and AArch64", release 2.0 and later, ARM-software/abi-aa
// semihosting.rst): the services a guest requests with SVC 0x123456,
// SVC 0xAB, BKPT 0xAB or HLT 0xF000 to print, read and write host files,
// read the clock and exit with a status.
//
// The CPU recognises the trap instruction and calls Host.Call with r0 and
// r1; this package knows nothing of the CPU. Only the AArch32 (32-bit
// field) ABI is implemented.
//
// Deviations from qemu-system-arm, deliberate:
//   - SYS_SYSTEM is refused (returns -1, errno EPERM): a guest must not run
//     host commands.
//   - Unknown operations return -1 and log once; QEMU aborts.
//   - SYS_CLOCK, SYS_ELAPSED and SYS_TIME read Mimic's virtual clock
//     through Host.Elapsed and Host.Now, not the host's, so that
//     deterministic runs stay deterministic.
package semihost

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Operation numbers (semihosting.rst, "Semihosting operations"). 0x17
// and 0x19 are reserved and not to be implemented.
const (
	SysOpen         = 0x01
	SysClose        = 0x02
	SysWriteC       = 0x03
	SysWrite0       = 0x04
	SysWrite        = 0x05
	SysRead         = 0x06
	SysReadC        = 0x07
	SysIsError      = 0x08
	SysIsTTY        = 0x09
	SysSeek         = 0x0a
	SysFlen         = 0x0c
	SysTmpnam       = 0x0d
	SysRemove       = 0x0e
	SysRename       = 0x0f
	SysClock        = 0x10
	SysTime         = 0x11
	SysSystem       = 0x12
	SysErrno        = 0x13
	SysGetCmdline   = 0x15
	SysHeapInfo     = 0x16
	SysExit         = 0x18 // angel_SWIreason_ReportException
	SysExitExtended = 0x20
	SysElapsed      = 0x30
	SysTickFreq     = 0x31
)

// Reason codes for SYS_EXIT and SYS_EXIT_EXTENDED (semihosting.rst,
// SYS_EXIT, "Hardware vector reason codes" and "Software reason codes").
const (
	ADPStoppedBranchThroughZero = 0x20000
	ADPStoppedUndefinedInstr    = 0x20001
	ADPStoppedSoftwareInterrupt = 0x20002
	ADPStoppedPrefetchAbort     = 0x20003
	ADPStoppedDataAbort         = 0x20004
	ADPStoppedAddressException  = 0x20005
	ADPStoppedIRQ               = 0x20006
	ADPStoppedFIQ               = 0x20007
	ADPStoppedBreakPoint        = 0x20020
	ADPStoppedWatchPoint        = 0x20021
	ADPStoppedStepComplete      = 0x20022
	ADPStoppedRunTimeErrorUnkn  = 0x20023
	ADPStoppedInternalError     = 0x20024
	ADPStoppedUserInterruption  = 0x20025
	ADPStoppedApplicationExit   = 0x20026
	ADPStoppedStackOverflow     = 0x20027
	ADPStoppedDivisionByZero    = 0x20028
	ADPStoppedOSSpecific        = 0x20029
)

// Feature bits reported through ":semihosting-features"
// (semihosting.rst, "Semihosting extensions available").
const (
	featExitExtended = 1 << 0 // SH_EXT_EXIT_EXTENDED: byte 0 bit 0
	featStdoutStderr = 1 << 1 // SH_EXT_STDOUT_STDERR: byte 0 bit 1
)

// featureFile is the content of ":semihosting-features": the magic
// "SHFB" then feature byte 0.
var featureFile = []byte{0x53, 0x48, 0x46, 0x42, featExitExtended | featStdoutStderr}

// Limits that keep a misbehaving guest from exhausting the host.
const (
	maxPath    = 4096     // longest file name SYS_OPEN etc. accept
	maxHandles = 1024     // open handles per Host
	chunk      = 64 << 10 // bytes moved per step by SYS_READ/SYS_WRITE/SYS_WRITE0
)

// fail is the -1 "unsuccessful" return value.
const fail = math.MaxUint32

// Memory is guest virtual memory as the guest sees it at the time of the
// call (through its MMU). An error means the access faulted; the
// semihosting call then fails with errno EFAULT.
type Memory interface {
	ReadMem(addr uint32, buf []byte) error
	WriteMem(addr uint32, buf []byte) error
}

// Exit reports that the guest asked to stop (SYS_EXIT or
// SYS_EXIT_EXTENDED).
type Exit struct {
	// Code is the process exit status: the guest's status for an
	// application exit through SYS_EXIT_EXTENDED, 0 for
	// ADP_Stopped_ApplicationExit through SYS_EXIT, 1 for anything else.
	Code int
	// Reason is the ADP_Stopped_* reason code the guest gave.
	Reason uint32
}

func (e *Exit) String() string {
	if e.Reason == ADPStoppedApplicationExit {
		return fmt.Sprintf("guest exited with status %d", e.Code)
	}
	return fmt.Sprintf("guest stopped with reason %#x (%s), status %d", e.Reason, reasonName(e.Reason), e.Code)
}

func reasonName(r uint32) string {
	names := map[uint32]string{
		ADPStoppedBranchThroughZero: "branch through zero", ADPStoppedUndefinedInstr: "undefined instruction",
		ADPStoppedSoftwareInterrupt: "software interrupt", ADPStoppedPrefetchAbort: "prefetch abort",
		ADPStoppedDataAbort: "data abort", ADPStoppedAddressException: "address exception",
		ADPStoppedIRQ: "IRQ", ADPStoppedFIQ: "FIQ", ADPStoppedBreakPoint: "breakpoint",
		ADPStoppedWatchPoint: "watchpoint", ADPStoppedStepComplete: "step complete",
		ADPStoppedRunTimeErrorUnkn: "run-time error", ADPStoppedInternalError: "internal error",
		ADPStoppedUserInterruption: "user interruption", ADPStoppedApplicationExit: "application exit",
		ADPStoppedStackOverflow: "stack overflow", ADPStoppedDivisionByZero: "division by zero",
		ADPStoppedOSSpecific: "OS specific",
	}
	if n, ok := names[r]; ok {
		return n
	}
	return "unknown"
}

// Host services semihosting calls. Set its fields before the first Call
// and do not change them afterwards. The zero value works: output is
// discarded, input is at end of file, the clocks report "unknown" (-1),
// and host files are reachable by the guest with the emulator's rights,
// as in qemu-system-arm.
type Host struct {
	// Stdout receives SYS_WRITEC, SYS_WRITE0 and writes to ":tt" opened
	// for writing; Stderr writes to ":tt" opened for appending (nil means
	// Stdout). Stdin feeds SYS_READC and reads from ":tt".
	Stdout, Stderr io.Writer
	Stdin          io.Reader

	// Cmdline is what SYS_GET_CMDLINE returns (argv joined by spaces,
	// program name first, as -append/--semihosting-cmdline give it).
	Cmdline string

	// Elapsed returns virtual time since the machine started, in
	// nanoseconds. It drives SYS_CLOCK (centiseconds), SYS_ELAPSED (ticks
	// of 1 ns) and SYS_TICKFREQ (1e9). nil: those calls return -1.
	Elapsed func() uint64
	// Now returns the wall-clock time for SYS_TIME. nil: SYS_TIME
	// returns -1.
	Now func() time.Time

	// SYS_HEAPINFO's answer (0 means "unknown" to the C library, which
	// then uses its linker symbols).
	HeapBase, HeapLimit, StackBase, StackLimit uint32

	// NoHostFiles refuses SYS_OPEN, SYS_REMOVE and SYS_RENAME of host
	// paths (errno EACCES); ":tt" and ":semihosting-features" still work.
	NoHostFiles bool
	// Root, when set, confines host file access to one directory: guest
	// paths are resolved inside it and may not escape it. nil: guest
	// paths are host paths, relative to the working directory.
	Root *os.Root
	// TempDir is where SYS_TMPNAM names point; "" means os.TempDir()
	// (ignored when Root is set: names are then relative to Root).
	TempDir string

	// Logger receives guest-error and unimplemented-feature messages;
	// nil means slog.Default().
	Logger *slog.Logger

	mu     sync.Mutex
	errno  uint32
	files  []*file // indexed by handle; files[0] is never used
	logged map[string]bool
}

// Call performs semihosting operation op with parameter register value
// param (r0 and r1 on entry) and returns the value for r0. A non-nil Exit
// means the guest asked to stop: the caller ends emulation with
// Exit.Code. Call never panics on guest input: bad pointers and handles
// fail the call with -1 and set errno, as the specification says.
func (h *Host) Call(op, param uint32, mem Memory) (ret uint32, exit *Exit) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch op {
	case SysOpen:
		return h.open(param, mem), nil
	case SysClose:
		return h.close(param, mem), nil
	case SysWriteC:
		return h.writec(param, mem), nil
	case SysWrite0:
		return h.write0(param, mem), nil
	case SysWrite:
		return h.write(param, mem), nil
	case SysRead:
		return h.read(param, mem), nil
	case SysReadC:
		return h.readc(), nil
	case SysIsError:
		return h.iserror(param, mem), nil
	case SysIsTTY:
		return h.istty(param, mem), nil
	case SysSeek:
		return h.seek(param, mem), nil
	case SysFlen:
		return h.flen(param, mem), nil
	case SysTmpnam:
		return h.tmpnam(param, mem), nil
	case SysRemove:
		return h.remove(param, mem), nil
	case SysRename:
		return h.rename(param, mem), nil
	case SysClock:
		return h.clock(), nil
	case SysTime:
		return h.time(), nil
	case SysSystem:
		return h.system(param, mem), nil
	case SysErrno:
		return h.errno, nil
	case SysGetCmdline:
		return h.getCmdline(param, mem), nil
	case SysHeapInfo:
		return h.heapInfo(param, mem), nil
	case SysExit:
		return 0, h.exit(param)
	case SysExitExtended:
		return h.exitExtended(param, mem)
	case SysElapsed:
		return h.elapsed(param, mem), nil
	case SysTickFreq:
		return h.tickFreq(), nil
	}
	h.logOnce(fmt.Sprintf("op %#x", op), "semihosting: unimplemented operation; returning -1",
		slog.String("op", fmt.Sprintf("%#x", op)), slog.String("param", fmt.Sprintf("%#x", param)))
	return h.failWith(ENOSYS), nil
}

// Close closes every host file the guest left open.
func (h *Host) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	var errs []error
	for i, f := range h.files {
		if f != nil && f.host != nil {
			errs = append(errs, f.host.Close())
		}
		h.files[i] = nil
	}
	return errors.Join(errs...)
}

func (h *Host) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

// logOnce logs msg the first time key is seen, so a guest calling an
// unimplemented operation in a loop does not flood the log.
func (h *Host) logOnce(key, msg string, args ...any) {
	if h.logged[key] {
		return
	}
	if h.logged == nil {
		h.logged = map[string]bool{}
	}
	h.logged[key] = true
	h.logger().Warn(msg, args...)
}

// failWith records errno e and returns -1.
func (h *Host) failWith(e uint32) uint32 {
	h.errno = e
	return fail
}

// --- Guest memory helpers. Every access is bounds-checked against the
// 32-bit address space before the Memory sees it.

func span(addr uint32, n int) bool { return uint64(addr)+uint64(n) <= 1<<32 }

func (h *Host) readMem(mem Memory, addr uint32, buf []byte) bool {
	return span(addr, len(buf)) && mem.ReadMem(addr, buf) == nil
}

func (h *Host) writeMem(mem Memory, addr uint32, buf []byte) bool {
	return span(addr, len(buf)) && mem.WriteMem(addr, buf) == nil
}

// args reads the n-field argument block at param.
func (h *Host) args(mem Memory, param uint32, n int) ([]uint32, bool) {
	buf := make([]byte, 4*n)
	if !h.readMem(mem, param, buf) {
		return nil, false
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(buf[4*i:])
	}
	return out, true
}

// name reads a file name of length n at addr, stopping early at a NUL.
// ok is false with errno set on failure.
func (h *Host) name(mem Memory, addr, n uint32) (string, bool) {
	if n > maxPath {
		h.errno = ENAMETOOLONG
		return "", false
	}
	buf := make([]byte, n)
	if !h.readMem(mem, addr, buf) {
		h.errno = EFAULT
		return "", false
	}
	for i, c := range buf {
		if c == 0 {
			buf = buf[:i]
			break
		}
	}
	return string(buf), true
}

// cstring streams the NUL-terminated string at addr to w in chunks, so
// neither a long string nor one with no NUL before the end of memory
// costs more than a chunk of host memory. It stops at a fault or at the
// top of the address space and reports false then.
func (h *Host) cstring(mem Memory, addr uint32, w io.Writer) bool {
	const step = 256
	buf := make([]byte, step)
	for {
		// Read up to the next step boundary, so a string ending just
		// before an unmapped page is read without touching the page.
		n := step - int(addr%step)
		if !span(addr, n) {
			return false
		}
		b := buf[:n]
		if mem.ReadMem(addr, b) != nil {
			// Fall back to single bytes to find a NUL before the fault.
			for i := range b {
				if mem.ReadMem(addr+uint32(i), b[i:i+1]) != nil {
					_, _ = w.Write(b[:i])
					return false
				}
				if b[i] == 0 {
					break
				}
			}
		}
		for i, c := range b {
			if c == 0 {
				_, _ = w.Write(b[:i])
				return true
			}
		}
		_, _ = w.Write(b)
		if uint64(addr)+uint64(n) == 1<<32 {
			return false
		}
		addr += uint32(n)
	}
}

// --- Console and debug channel.

func (h *Host) stdout() io.Writer {
	if h.Stdout == nil {
		return io.Discard
	}
	return h.Stdout
}

func (h *Host) stderr() io.Writer {
	if h.Stderr == nil {
		return h.stdout()
	}
	return h.Stderr
}

// writec is SYS_WRITEC (0x03): the byte at param goes to the debug
// channel. The return register is "corrupted"; we return 0, or -1 for a
// bad pointer.
func (h *Host) writec(param uint32, mem Memory) uint32 {
	var c [1]byte
	if !h.readMem(mem, param, c[:]) {
		return h.failWith(EFAULT)
	}
	_, _ = h.stdout().Write(c[:])
	return 0
}

// write0 is SYS_WRITE0 (0x04): the NUL-terminated string at param goes
// to the debug channel. Bytes before a fault are still written.
func (h *Host) write0(param uint32, mem Memory) uint32 {
	if !h.cstring(mem, param, h.stdout()) {
		return h.failWith(EFAULT)
	}
	return 0
}

// readc is SYS_READC (0x07): one byte from the console, or -1 at end of
// input (the specification has no error return; -1 is what getchar
// reports for EOF).
func (h *Host) readc() uint32 {
	if h.Stdin == nil {
		return h.failWith(EIO)
	}
	var c [1]byte
	// A reader may return (0, nil); retry a few times, but never spin.
	for range 100 {
		n, err := h.Stdin.Read(c[:])
		if n == 1 {
			return uint32(c[0])
		}
		if err != nil {
			if err != io.EOF {
				h.errno = EIO
			}
			return fail
		}
	}
	return fail
}

// iserror is SYS_ISERROR (0x08): param points to a status word; nonzero
// if it is an error, i.e. negative.
func (h *Host) iserror(param uint32, mem Memory) uint32 {
	a, ok := h.args(mem, param, 1)
	if !ok {
		return h.failWith(EFAULT)
	}
	if int32(a[0]) < 0 {
		return 1
	}
	return 0
}

// --- Clocks.

// clock is SYS_CLOCK (0x10): centiseconds since the machine started.
func (h *Host) clock() uint32 {
	if h.Elapsed == nil {
		return h.failWith(ENOSYS)
	}
	return uint32(h.Elapsed() / 10_000_000)
}

// time is SYS_TIME (0x11): seconds since 1970-01-01 00:00 UTC.
func (h *Host) time() uint32 {
	if h.Now == nil {
		return h.failWith(ENOSYS)
	}
	return uint32(h.Now().Unix())
}

// elapsed is SYS_ELAPSED (0x30): the 64-bit tick count goes to the
// two-field block at param, least significant word first. The
// specification also sets the parameter register to -1 on failure; Call
// cannot change r1, so only r0 says so.
func (h *Host) elapsed(param uint32, mem Memory) uint32 {
	if h.Elapsed == nil {
		return h.failWith(ENOSYS)
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], h.Elapsed())
	if !h.writeMem(mem, param, b[:]) {
		return h.failWith(EFAULT)
	}
	return 0
}

// tickFreq is SYS_TICKFREQ (0x31): SYS_ELAPSED counts nanoseconds.
func (h *Host) tickFreq() uint32 {
	if h.Elapsed == nil {
		return h.failWith(ENOSYS)
	}
	return 1_000_000_000
}

// --- Process.

// system is SYS_SYSTEM (0x12). Refused: running host commands on a
// guest's say-so is not something an emulator should do by default.
func (h *Host) system(param uint32, mem Memory) uint32 {
	cmd := "(unreadable)"
	if a, ok := h.args(mem, param, 2); ok {
		if s, ok := h.name(mem, a[0], min(a[1], 256)); ok {
			cmd = s
		}
	}
	h.logOnce("system", "semihosting: guest asked to run a host command (SYS_SYSTEM); refused", slog.String("command", cmd))
	return h.failWith(EPERM)
}

// getCmdline is SYS_GET_CMDLINE (0x15): param points to {buffer, size};
// on success the NUL-terminated command line is in the buffer and field 2
// holds its length without the NUL. A buffer too small fails (E2BIG,
// as QEMU).
func (h *Host) getCmdline(param uint32, mem Memory) uint32 {
	a, ok := h.args(mem, param, 2)
	if !ok {
		return h.failWith(EFAULT)
	}
	s := append([]byte(h.Cmdline), 0)
	if uint64(len(s)) > uint64(a[1]) {
		return h.failWith(E2BIG)
	}
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], uint32(len(s)-1))
	if !h.writeMem(mem, a[0], s) || !h.writeMem(mem, param+4, n[:]) {
		return h.failWith(EFAULT)
	}
	return 0
}

// heapInfo is SYS_HEAPINFO (0x16): param is the address of a word that
// points to the four-field block to fill in.
func (h *Host) heapInfo(param uint32, mem Memory) uint32 {
	a, ok := h.args(mem, param, 1)
	if !ok {
		return h.failWith(EFAULT)
	}
	var b [16]byte
	for i, v := range []uint32{h.HeapBase, h.HeapLimit, h.StackBase, h.StackLimit} {
		binary.LittleEndian.PutUint32(b[4*i:], v)
	}
	if !h.writeMem(mem, a[0], b[:]) {
		return h.failWith(EFAULT)
	}
	return 0
}

// exit is SYS_EXIT (0x18) for AArch32: param is the reason code itself.
// There is no status: ADP_Stopped_ApplicationExit is success (0) and
// anything else failure (1), as qemu-system-arm does.
func (h *Host) exit(param uint32) *Exit {
	code := 1
	if param == ADPStoppedApplicationExit {
		code = 0
	}
	return &Exit{Code: code, Reason: param}
}

// exitExtended is SYS_EXIT_EXTENDED (0x20): param points to {reason,
// subcode}; for ADP_Stopped_ApplicationExit the subcode is the exit
// status (as a C int: exit(-1) gives -1), otherwise the status is 1.
func (h *Host) exitExtended(param uint32, mem Memory) (uint32, *Exit) {
	a, ok := h.args(mem, param, 2)
	if !ok {
		return h.failWith(EFAULT), nil
	}
	if a[0] != ADPStoppedApplicationExit {
		return 0, &Exit{Code: 1, Reason: a[0]}
	}
	return 0, &Exit{Code: int(int32(a[1])), Reason: a[0]}
}

// tmpnam is SYS_TMPNAM (0x0D): param points to {buffer, id, size}; the
// same id (0-255) always gives the same name.
func (h *Host) tmpnam(param uint32, mem Memory) uint32 {
	a, ok := h.args(mem, param, 3)
	if !ok {
		return h.failWith(EFAULT)
	}
	base := fmt.Sprintf("mimic-%x-%02x", os.Getpid(), a[1]&0xff)
	name := base
	if h.Root == nil {
		dir := h.TempDir
		if dir == "" {
			dir = os.TempDir()
		}
		name = filepath.Join(dir, base)
	}
	s := append([]byte(name), 0)
	if uint64(len(s)) > uint64(a[2]) {
		return h.failWith(EINVAL)
	}
	if !h.writeMem(mem, a[0], s) {
		return h.failWith(EFAULT)
	}
	return 0
}
