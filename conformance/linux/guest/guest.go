// Package guest drives a Linux guest through its serial console: it starts
// an emulator (Mimic or QEMU, the command is a parameter) with stdin and
// stdout as pipes, waits for the initramfs's shell, runs commands and
// collects their output and exit status, and scans the console log for
// kernel complaints. The acceptance tests (package linux, build tag
// acceptance) and the boot benchmark (cmd/bootbench) use it.
package guest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Boot describes one guest boot.
type Boot struct {
	// Emulator is the command and its leading arguments, e.g.
	// {"bin/mimic", "-M", "virt"} or {"qemu-system-arm", "-M", "virt",
	// "-cpu", "cortex-a15"}.
	Emulator []string
	RAMMiB   int
	Kernel   string // none: firmware (in Extra) boots the guest
	Initrd   string
	Append   string // "console=ttyAMA0" when empty
	// SingleDash spells the options as QEMU's manual does (-kernel);
	// otherwise they get two dashes (--kernel). Both emulators take both.
	SingleDash bool
	// Display leaves out --nographic, for a guest shown in a window
	// (Extra says which display); the serial console stays on the pipes.
	Display bool
	// Extra arguments after the common ones.
	Extra []string
}

// Args returns the emulator's full command line: the emulator, then
// -m RAM --kernel K --initrd I --append A --nographic (the kernel options
// only with a kernel; --nographic unless Display), the vocabulary both
// Mimic and QEMU accept.
func (b Boot) Args() []string {
	dash := "--"
	if b.SingleDash {
		dash = "-"
	}
	app := b.Append
	if app == "" {
		app = "console=ttyAMA0"
	}
	ram := b.RAMMiB
	if ram == 0 {
		ram = 512
	}
	args := append([]string{}, b.Emulator...)
	args = append(args, "-m", strconv.Itoa(ram))
	if b.Kernel != "" {
		args = append(args, dash+"kernel", b.Kernel)
		if b.Initrd != "" {
			args = append(args, dash+"initrd", b.Initrd)
		}
		args = append(args, dash+"append", app)
	}
	if b.Display {
		// -nographic also moves the serial port to stdio; with a
		// window the port must be named.
		args = append(args, dash+"serial", "stdio")
	} else {
		args = append(args, dash+"nographic")
	}
	return append(args, b.Extra...)
}

// Session is a running guest.
type Session struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	start time.Time

	mu      sync.Mutex
	out     []byte
	changed chan struct{} // closed and replaced on every output
	exited  bool
	exitErr error
	state   *os.ProcessState
	seq     int
}

// Start starts the emulator. Everything the guest prints is kept (Output)
// and copied to log when it is not nil.
func Start(b Boot, log io.Writer) (*Session, error) {
	args := b.Args()
	cmd := exec.Command(args[0], args[1:]...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout // the emulator's own messages go in the log too
	s := &Session{cmd: cmd, stdin: stdin, changed: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s.start = time.Now()
	go s.read(stdout, log)
	return s, nil
}

func (s *Session) read(r io.Reader, log io.Writer) {
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if log != nil {
				log.Write(buf[:n])
			}
			s.mu.Lock()
			s.out = append(s.out, buf[:n]...)
			close(s.changed)
			s.changed = make(chan struct{})
			s.mu.Unlock()
		}
		if err != nil {
			break
		}
	}
	err := s.cmd.Wait()
	s.mu.Lock()
	s.exited, s.exitErr, s.state = true, err, s.cmd.ProcessState
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

// Elapsed returns the time since the emulator started.
func (s *Session) Elapsed() time.Duration { return time.Since(s.start) }

// Output returns everything the guest printed so far, with CRs removed.
func (s *Session) Output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.ReplaceAll(string(s.out), "\r", "")
}

// ErrExited is returned when the emulator exits while a wait is pending.
var ErrExited = errors.New("the emulator exited")

// WaitFor waits until the output from byte offset from on matches re, and
// returns the match's end offset.
func (s *Session) WaitFor(re *regexp.Regexp, from int, timeout time.Duration) (int, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		out := strings.ReplaceAll(string(s.out), "\r", "")
		ch, exited := s.changed, s.exited
		s.mu.Unlock()
		if from < len(out) {
			if loc := re.FindStringIndex(out[from:]); loc != nil {
				return from + loc[1], nil
			}
		}
		if exited {
			return 0, fmt.Errorf("%w (%v) before %q appeared", ErrExited, s.exitErr, re)
		}
		select {
		case <-ch:
		case <-deadline.C:
			return 0, fmt.Errorf("timed out after %v waiting for %q", timeout, re)
		}
	}
}

// Send writes text to the guest's console.
func (s *Session) Send(text string) error {
	_, err := io.WriteString(s.stdin, text)
	return err
}

// Run runs a shell command in the guest and returns its output (CRs
// removed, without the trailing newline) and exit status. The command is
// bracketed by marker lines the shell prints, all on one typed line; the
// markers are split with quotes in what is typed so that the console's
// echo of that line cannot match them, and the end marker is found even
// after output with no final newline. command must fit on one line.
func (s *Session) Run(command string, timeout time.Duration) (string, int, error) {
	s.seq++
	n := s.seq
	begin := fmt.Sprintf("@@BEGIN-%d@@\n", n)
	end := regexp.MustCompile(fmt.Sprintf(`@@END-%d@@ (\d+)\n`, n))
	from := len(s.Output())
	line := fmt.Sprintf("echo '@@BEG''IN-%d@@'; %s; echo \"@@E\"\"ND-%d@@ $?\"\n", n, command, n)
	if err := s.Send(line); err != nil {
		return "", 0, err
	}
	stop, err := s.WaitFor(end, from, timeout)
	if err != nil {
		return "", 0, fmt.Errorf("%s: %w", command, err)
	}
	out := s.Output()[from:stop]
	i := strings.Index(out, begin)
	if i < 0 {
		return "", 0, fmt.Errorf("%s: no begin marker in %q", command, out)
	}
	body := out[i+len(begin):]
	m := end.FindStringSubmatchIndex(body)
	status, _ := strconv.Atoi(body[m[2]:m[3]])
	body = body[:m[0]]
	return strings.TrimSuffix(body, "\n"), status, nil
}

// Wait waits for the emulator to exit and returns its exit status.
func (s *Session) Wait(timeout time.Duration) (int, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch, exited, state := s.changed, s.exited, s.state
		s.mu.Unlock()
		if exited {
			if state == nil {
				return -1, errors.New("no process state")
			}
			return state.ExitCode(), nil
		}
		select {
		case <-ch:
		case <-deadline.C:
			return -1, fmt.Errorf("timed out after %v waiting for the emulator to exit", timeout)
		}
	}
}

// MaxRSS returns the emulator's peak resident set size in bytes, once it
// has exited (0 before).
func (s *Session) MaxRSS() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == nil {
		return 0
	}
	if ru, ok := s.state.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss) * 1024
	}
	return 0
}

// Signal sends sig to the emulator if it is still running (SIGQUIT makes
// Mimic print the machine's state before it exits).
func (s *Session) Signal(sig os.Signal) error {
	s.mu.Lock()
	exited := s.exited
	s.mu.Unlock()
	if exited || s.cmd.Process == nil {
		return ErrExited
	}
	return s.cmd.Process.Signal(sig)
}

// Kill stops the emulator if it is still running, closes its input and
// waits (a few seconds at most) until it has exited, so that what it held
// (image locks, ports) is free when Kill returns.
func (s *Session) Kill() {
	s.stdin.Close()
	s.mu.Lock()
	exited := s.exited
	s.mu.Unlock()
	if !exited && s.cmd.Process != nil {
		s.cmd.Process.Kill()
		s.Wait(10 * time.Second)
	}
}

// ShellMarker is printed by the initramfs's /init just before it starts
// the shell (initramfs.Marker; repeated here to keep this package free of
// the builder).
const ShellMarker = "MIMIC-INITRAMFS-READY"

// promptRE matches the shell's first prompt after the marker.
var promptRE = regexp.MustCompile(`(?m)^# `)

// WaitShell waits for /init's marker and then the shell's prompt and
// returns how long after the start that was.
func (s *Session) WaitShell(ctx context.Context, timeout time.Duration) (time.Duration, error) {
	at, err := s.WaitFor(regexp.MustCompile(regexp.QuoteMeta(ShellMarker)), 0, timeout)
	if err != nil {
		return 0, err
	}
	rest := timeout - s.Elapsed()
	if rest < time.Second {
		rest = time.Second
	}
	if _, err := s.WaitFor(promptRE, at, rest); err != nil {
		return 0, err
	}
	return s.Elapsed(), nil
}

// complaints are console lines that mean the kernel is unhappy with the
// machine: oopses, warnings, and errors about the devices the CPU and
// board provide (generic timer, GIC, VFP/NEON).
var complaints = []*regexp.Regexp{
	regexp.MustCompile(`BUG:|kernel BUG|Oops|WARNING:|Unable to handle|Internal error|Kernel panic|Unhandled fault|Illegal instruction|undefined instruction`),
	regexp.MustCompile(`(?i)(arch_timer|arch_sys_counter|clocksource|clockevent|\btimer\b|\bGIC|irq-gic|\bVFP|\bNEON).*(fail|error|invalid|unable|cannot|can't|broken|not supported|not available|not found|missing|bad|unstable|skew|too few|timeout|spurious)`),
	regexp.MustCompile(`(?i)(lost|missed) (timer )?interrupts?|clocksource.*unstable|rcu.*(stall|self-detected)|soft lockup|hung task`),
}

// Complaints returns the console lines that match a complaint pattern.
func Complaints(log string) []string {
	var out []string
	for _, line := range strings.Split(log, "\n") {
		for _, re := range complaints {
			if re.MatchString(line) {
				out = append(out, strings.TrimSpace(line))
				break
			}
		}
	}
	return out
}

// Bytes is a helper for tests: the session's raw output.
func (s *Session) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.out)
}
