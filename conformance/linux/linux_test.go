//go:build acceptance

package linux

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"mimic/conformance/linux/guest"
	"mimic/conformance/linux/initramfs"
)

// kase is one boot: a kernel from the guest directory and a RAM size.
type kase struct {
	kernel string // name in the manifest: bookworm-armmp, ...
	ramMiB int
}

func (k kase) name() string { return fmt.Sprintf("%s-%dM", k.kernel, k.ramMiB) }

var cases = []kase{
	{"bookworm-armmp", 512},
	{"trixie-armmp", 512},
	{"trixie-armmp-lpae", 512},
	{"trixie-armmp-lpae", 2048},
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// manifest reads DEST/manifest: "name package [version]" per line.
func manifest(t *testing.T, dir string) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "manifest"))
	if err != nil {
		t.Fatalf("no guests in %s (%v): run scripts/fetch-guests.sh", dir, err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) >= 2 {
			m[fields[0]] = fields[1]
		}
	}
	return m
}

func TestLinuxBoot(t *testing.T) {
	root := repoRoot(t)
	guests := env("MIMIC_LINUX_GUESTS", filepath.Join(root, ".cache/guests"))
	emulator := strings.Fields(env("MIMIC_LINUX_EMULATOR", filepath.Join(root, "bin/mimic")+" -M virt"))
	timeout, err := time.ParseDuration(env("MIMIC_LINUX_TIMEOUT", "20m"))
	if err != nil {
		t.Fatalf("MIMIC_LINUX_TIMEOUT: %v", err)
	}
	pkgs := manifest(t, guests)
	want := map[string]bool{}
	for _, c := range strings.Split(os.Getenv("MIMIC_LINUX_CASES"), ",") {
		if c != "" {
			want[c] = true
		}
	}
	for _, c := range cases {
		if len(want) > 0 && !want[c.name()] && !want[c.kernel] {
			continue
		}
		t.Run(c.name(), func(t *testing.T) {
			pkg, ok := pkgs[c.kernel]
			if !ok {
				t.Fatalf("%s is not in %s/manifest: run scripts/fetch-guests.sh", c.kernel, guests)
			}
			boot := guest.Boot{
				Emulator: emulator,
				RAMMiB:   c.ramMiB,
				Kernel:   filepath.Join(guests, c.kernel+".vmlinuz"),
				Initrd:   filepath.Join(guests, "initrd.gz"),
				Append:   "console=ttyAMA0",
			}
			check(t, boot, strings.TrimPrefix(pkg, "linux-image-"), c, timeout)
		})
	}
}

// check boots one guest and runs the battery of checks.
func check(t *testing.T, boot guest.Boot, release string, c kase, timeout time.Duration) {
	var logw *os.File
	if dir := os.Getenv("MIMIC_LINUX_LOGDIR"); dir != "" {
		os.MkdirAll(dir, 0o755)
		f, err := os.Create(filepath.Join(dir, c.name()+".log"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		logw = f
	}
	t.Logf("%s", strings.Join(boot.Args(), " "))
	var s *guest.Session
	var err error
	if logw != nil {
		s, err = guest.Start(boot, logw)
	} else {
		s, err = guest.Start(boot, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer s.Kill()
	defer func() {
		if t.Failed() {
			t.Logf("console (last 60 lines):\n%s", tail(s.Output(), 60))
		}
	}()

	prompt, err := s.WaitShell(context.Background(), timeout)
	if err != nil {
		t.Fatalf("no shell: %v", err)
	}
	t.Logf("shell prompt after %.2fs", prompt.Seconds())

	run := func(cmd string) string {
		t.Helper()
		out, status, err := s.Run(cmd, timeout)
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		if status != 0 {
			t.Errorf("%s: exit status %d\n%s", cmd, status, out)
		}
		return out
	}
	expect := func(what, out string, patterns ...string) {
		t.Helper()
		for _, p := range patterns {
			if !regexp.MustCompile(p).MatchString(out) {
				t.Errorf("%s: no match for %q in:\n%s", what, p, out)
			}
		}
	}

	expect("uname -a", run("uname -a"),
		`^Linux `, regexp.QuoteMeta(release), `armv7l`)

	// What all three kernels print on QEMU 7.2's Cortex-A15 (MIDR
	// 0x414fc0f0, r4p0): the hwcaps follow from the ID registers (VFPv4
	// with 32 D registers, NEON, SDIV/UDIV in both instruction sets,
	// LPAE) and evtstrm from the generic timer. NEON is optional: Mimic
	// models VFPv4 without Advanced SIMD until NEON is implemented, and
	// its ID registers say so (QEMU's default cortex-a15 has NEON).
	expect("/proc/cpuinfo", run("cat /proc/cpuinfo"),
		`model name\s*: ARMv7 Processor rev 0 \(v7l\)`,
		`CPU implementer\s*: 0x41`, `CPU architecture\s*: 7`,
		`CPU variant\s*: 0x4`, `CPU part\s*: 0xc0f`, `CPU revision\s*: 0`,
		`Features\s*: half thumb fastmult vfp edsp thumbee (neon )?vfpv3 tls vfpv4 idiva idivt vfpd32 lpae evtstrm\s*\n`)

	// The virtual timer (INTID 27) ticks; the UART (SPI 1) and RTC
	// (SPI 2) have their interrupts.
	irqs := run("cat /proc/interrupts")
	expect("/proc/interrupts", irqs, `GIC-0\s+27 Level\s+arch_timer`, `GIC-0\s+33 Level\s+uart-pl011`, `GIC-0\s+34 Level\s+rtc-pl031`)
	if n := irqCount(irqs, "arch_timer"); n == 0 {
		t.Errorf("/proc/interrupts: no generic timer interrupts taken:\n%s", irqs)
	}

	run("date")
	if slack := env("MIMIC_LINUX_DATE_SLACK", "5m"); slack != "off" {
		d, err := time.ParseDuration(slack)
		if err != nil {
			t.Fatalf("MIMIC_LINUX_DATE_SLACK: %v", err)
		}
		out := run("date +%s")
		secs, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
		if err != nil {
			t.Errorf("date +%%s: %q", out)
		} else if off := time.Since(time.Unix(secs, 0)); off > d || off < -d {
			t.Errorf("guest clock is %v off the host's (RTC or timer wrong)", off.Round(time.Second))
		}
	}

	expect("sha256sum", run("sha256sum "+initramfs.BlobPath),
		`^`+initramfs.BlobSHA256()+`  `+regexp.QuoteMeta(initramfs.BlobPath)+`$`)

	expect("shell arithmetic", run("i=0; s=0; while [ $i -lt 1000 ]; do s=$((s + i*i)); i=$((i+1)); done; echo $s"),
		`^332833500$`)

	mem := run("grep MemTotal /proc/meminfo")
	if kb := memTotalKB(mem); kb < uint64(c.ramMiB)*1024*85/100 || kb > uint64(c.ramMiB)*1024 {
		t.Errorf("MemTotal %d kB for -m %d", kb, c.ramMiB)
	}

	offAt := s.Elapsed()
	if err := s.Send("poweroff -f\n"); err != nil {
		t.Fatal(err)
	}
	code, err := s.Wait(timeout)
	if err != nil {
		t.Fatalf("poweroff: %v", err)
	}
	total := s.Elapsed()
	if code != 0 {
		t.Errorf("emulator exit status %d after poweroff, want 0", code)
	}
	if bad := guest.Complaints(s.Output()); len(bad) > 0 {
		t.Errorf("kernel complaints:\n%s", strings.Join(bad, "\n"))
	}
	rss := s.MaxRSS() >> 20
	t.Logf("timings: prompt %.2fs, poweroff %.2fs, total %.2fs, peak RSS %d MiB",
		prompt.Seconds(), (total - offAt).Seconds(), total.Seconds(), rss)
	if path := os.Getenv("MIMIC_LINUX_TIMES"); path != "" {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%s\t%s\t%.2f\t%.2f\t%d\n", filepath.Base(boot.Emulator[0]), c.name(), prompt.Seconds(), total.Seconds(), rss)
			f.Close()
		}
	}
}

// irqCount sums the counts on the /proc/interrupts lines naming name.
func irqCount(table, name string) uint64 {
	var n uint64
	for _, line := range strings.Split(table, "\n") {
		if !strings.Contains(line, name) {
			continue
		}
		f := strings.Fields(line)
		if len(f) > 1 {
			v, _ := strconv.ParseUint(f[1], 10, 64)
			n += v
		}
	}
	return n
}

func memTotalKB(s string) uint64 {
	f := strings.Fields(s)
	if len(f) < 2 {
		return 0
	}
	v, _ := strconv.ParseUint(f[1], 10, 64)
	return v
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
