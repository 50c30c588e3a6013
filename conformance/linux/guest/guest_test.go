package guest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeEmulator writes a script that behaves like a booting guest: a
// kernel log line, /init's marker, then an interactive host shell with
// the initramfs's prompt. It ignores the emulator arguments.
func fakeEmulator(t *testing.T, log string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fake-emulator")
	script := "#!/bin/sh\nprintf '%s\\n' '" + log + "'\necho '" + ShellMarker + " 6.1.0-fake'\nPS1='# ' exec /bin/sh -i\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestArgs(t *testing.T) {
	b := Boot{Emulator: []string{"qemu-system-arm", "-M", "virt"}, Kernel: "k", Initrd: "i"}
	want := []string{"qemu-system-arm", "-M", "virt", "-m", "512", "--kernel", "k", "--initrd", "i", "--append", "console=ttyAMA0", "--nographic"}
	if diff := cmp.Diff(want, b.Args()); diff != "" {
		t.Errorf("args (-want +got):\n%s", diff)
	}
}

func TestSession(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("/bin/sh is not installed: the fake emulator is a shell script")
	}
	s, err := Start(Boot{Emulator: []string{fakeEmulator(t, "[    0.000000] Booting Linux")}, Kernel: "k"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Kill()
	if _, err := s.WaitShell(context.Background(), 10*time.Second); err != nil {
		t.Fatalf("WaitShell: %v\n%s", err, s.Output())
	}
	tests := []struct {
		cmd    string
		out    string
		status int
	}{
		{"echo hello", "hello", 0},
		{"printf 'a\\nb\\n'", "a\nb", 0},
		{"i=0; s=0; while [ $i -lt 1000 ]; do s=$((s + i*i)); i=$((i+1)); done; echo $s", "332833500", 0},
		{"false", "", 1},
		{"echo @@END-99@@ 0", "@@END-99@@ 0", 0},
	}
	for _, tt := range tests {
		out, status, err := s.Run(tt.cmd, 10*time.Second)
		if err != nil {
			t.Fatalf("Run(%q): %v\n%s", tt.cmd, err, s.Output())
		}
		if out != tt.out || status != tt.status {
			t.Errorf("Run(%q) = %q, %d; want %q, %d", tt.cmd, out, status, tt.out, tt.status)
		}
	}
	if err := s.Send("exit 3\n"); err != nil {
		t.Fatal(err)
	}
	code, err := s.Wait(10 * time.Second)
	if err != nil || code != 3 {
		t.Errorf("Wait = %d, %v; want 3", code, err)
	}
	if s.MaxRSS() <= 0 {
		t.Errorf("MaxRSS = %d", s.MaxRSS())
	}
}

func TestSessionExitBeforeShell(t *testing.T) {
	p := filepath.Join(t.TempDir(), "dies")
	os.WriteFile(p, []byte("#!/bin/sh\necho 'Kernel panic - not syncing'\nexit 1\n"), 0o755)
	s, err := Start(Boot{Emulator: []string{p}, Kernel: "k"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Kill()
	if _, err := s.WaitShell(context.Background(), 10*time.Second); err == nil || !strings.Contains(err.Error(), "exited") {
		t.Errorf("WaitShell = %v, want an exit error", err)
	}
}

func TestComplaints(t *testing.T) {
	log := strings.Join([]string{
		"[    0.000000] arch_timer: cp15 timer(s) running at 62.50MHz (virt).",
		"[    0.000000] clocksource: arch_sys_counter: mask: 0xffffffffffffff max_cycles: 0x1cd42e208c, max_idle_ns: 881590405314 ns",
		"[    0.165084] VFP support v0.3: implementor 41 architecture 4 part 30 variant f rev 0",
		"[    0.000000] GIC: Using split EOI/Deactivate mode",
		"[    1.000000] WARNING: CPU: 0 PID: 1 at kernel/foo.c:12 bar+0x10/0x20",
		"[    1.000000] Unable to handle kernel NULL pointer dereference at virtual address 00000000",
		"[    1.000000] arch_timer: frequency not available",
		"[    1.000000] VFP: Error: no VFP support",
		"[    2.000000] Internal error: Oops - undefined instruction: 0 [#1] SMP ARM",
		"[    3.000000] rcu: INFO: rcu_sched self-detected stall on CPU",
	}, "\n")
	want := []string{
		"[    1.000000] WARNING: CPU: 0 PID: 1 at kernel/foo.c:12 bar+0x10/0x20",
		"[    1.000000] Unable to handle kernel NULL pointer dereference at virtual address 00000000",
		"[    1.000000] arch_timer: frequency not available",
		"[    1.000000] VFP: Error: no VFP support",
		"[    2.000000] Internal error: Oops - undefined instruction: 0 [#1] SMP ARM",
		"[    3.000000] rcu: INFO: rcu_sched self-detected stall on CPU",
	}
	if diff := cmp.Diff(want, Complaints(log)); diff != "" {
		t.Errorf("complaints (-want +got):\n%s", diff)
	}
}
