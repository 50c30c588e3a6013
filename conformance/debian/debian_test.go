//go:build acceptance

package debian

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"mimic/conformance/linux/guest"
)

// prompt is the root shell the serial getty's autologin gives.
var prompt = regexp.MustCompile(`root@mimic-debian:[^\n]*# `)

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

type rig struct {
	t        *testing.T
	root     string // the repository
	disk     string // the cached image directory
	emulator []string
	timeout  time.Duration
	dir      string
}

// newRig sets up the tests of the disk in the directory $diskVar names;
// script is what builds it and runs the tests.
func newRig(t *testing.T, diskVar, script string) *rig {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	disk := os.Getenv(diskVar)
	if disk == "" {
		t.Fatalf("%s is not set: run %s (it builds the disk with scripts/build-debian-disk.sh)", diskVar, script)
	}
	for _, f := range []string{"disk.qcow2", "vmlinuz", "initrd.img"} {
		if _, err := os.Stat(filepath.Join(disk, f)); err != nil {
			t.Fatalf("the Debian disk directory %s lacks %s: %v", disk, f, err)
		}
	}
	timeout, err := time.ParseDuration(env("MIMIC_DEBIAN_TIMEOUT", "10m"))
	if err != nil {
		t.Fatal(err)
	}
	return &rig{
		t: t, root: root, disk: disk, timeout: timeout, dir: t.TempDir(),
		emulator: strings.Fields(env("MIMIC_DEBIAN_EMULATOR", filepath.Join(root, "bin/mimic")+" -M virt")),
	}
}

// img runs `mimic img ARGS` (the tool under test makes the overlays).
func (r *rig) img(args ...string) string {
	r.t.Helper()
	out, err := exec.Command(filepath.Join(r.root, "bin/mimic"), append([]string{"img"}, args...)...).CombinedOutput()
	if err != nil {
		r.t.Fatalf("mimic img %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// qemuCheck runs QEMU's `qemu-img check` on path and fails the test on
// any corruption. Leaked clusters (exit status 3) are accepted when
// leaksOK, as QEMU accepts them after a crash.
func (r *rig) qemuCheck(path string, leaksOK bool) {
	r.t.Helper()
	out, err := exec.Command("qemu-img", "check", path).CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee) && ee.ExitCode() == 3 && leaksOK:
		r.t.Logf("qemu-img check %s: leaks only (accepted after a crash):\n%s", filepath.Base(path), out)
	default:
		r.t.Errorf("qemu-img check %s: %v\n%s", filepath.Base(path), err, out)
	}
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return guest.HexSHA256(b)
}

// session is one boot of the Debian system.
type session struct {
	r *rig
	*guest.Session
	name string
}

// boot starts the emulator with extra arguments; with kernel set it boots
// the disk's kernel and initrd directly with root=/dev/vda2.
func (r *rig) boot(name string, kernel, singleDash bool, extra ...string) *session {
	r.t.Helper()
	b := guest.Boot{Emulator: r.emulator, RAMMiB: 512, SingleDash: singleDash, Extra: extra}
	if kernel {
		b.Kernel = filepath.Join(r.disk, "vmlinuz")
		b.Initrd = filepath.Join(r.disk, "initrd.img")
		b.Append = "root=/dev/vda2 console=ttyAMA0 rw"
	}
	return r.bootWith(name, b)
}

// bootWith starts a boot described in full. The console goes to
// $MIMIC_DEBIAN_LOGDIR/NAME.log when that is set.
func (r *rig) bootWith(name string, b guest.Boot) *session {
	r.t.Helper()
	var log io.Writer
	if dir := os.Getenv("MIMIC_DEBIAN_LOGDIR"); dir != "" {
		os.MkdirAll(dir, 0o755)
		f, err := os.Create(filepath.Join(dir, name+".log"))
		if err != nil {
			r.t.Fatal(err)
		}
		r.t.Cleanup(func() { f.Close() })
		log = f
	}
	r.t.Logf("%s: %s", name, strings.Join(b.Args(), " "))
	s, err := guest.Start(b, log)
	if err != nil {
		r.t.Fatal(err)
	}
	ses := &session{r: r, Session: s, name: name}
	r.t.Cleanup(func() {
		s.Kill()
		if r.t.Failed() {
			r.t.Logf("%s console (last 40 lines):\n%s", name, lastLines(s.Output(), 40))
		}
	})
	return ses
}

// login waits for the autologin shell.
func (s *session) login() {
	s.r.t.Helper()
	if _, err := s.WaitFor(prompt, 0, s.r.timeout); err != nil {
		s.r.t.Fatalf("%s: no shell: %v", s.name, err)
	}
	s.r.t.Logf("%s: shell after %.1f s", s.name, s.Elapsed().Seconds())
}

// run runs a shell command and fails the test unless it exits 0.
func (s *session) run(cmd string) string {
	s.r.t.Helper()
	out, status, err := s.Run(cmd, s.r.timeout)
	if err != nil {
		s.r.t.Fatalf("%s: %s: %v", s.name, cmd, err)
	}
	if status != 0 {
		s.r.t.Fatalf("%s: %s: exit status %d\n%s", s.name, cmd, status, out)
	}
	return out
}

// poweroff shuts the guest down and checks that the emulator exits 0.
func (s *session) poweroff() {
	s.r.t.Helper()
	if err := s.Send("poweroff\n"); err != nil {
		s.r.t.Fatal(err)
	}
	code, err := s.Wait(s.r.timeout)
	if err != nil || code != 0 {
		s.r.t.Fatalf("%s: poweroff: exit status %d, %v", s.name, code, err)
	}
}

// TestDebianDisk boots the Debian disk five times through one qcow2
// overlay (backing file: the cached disk), as a user would:
//
//  1. direct kernel boot, Mimic's spelling: the network (a download from
//     the host through 10.0.2.2, the guest's sshd through hostfwd), a
//     file written and synced on the root disk, a second, plain qcow2
//     disk made into a file system; poweroff. qemu-img check finds both
//     images clean.
//  2. the same in QEMU's single-dash spelling with -snapshot: the file of
//     boot 1 is there; the guest's new writes are gone afterwards and the
//     overlay's sha256 is unchanged.
//  3. the file of boot 2 is absent; a file is synced, then the guest
//     writes more and the emulator is killed with SIGKILL. qemu-img check
//     finds no corruption (leaks are accepted).
//  4. Debian's U-Boot as firmware with its environment in flash: U-Boot's
//     dhcp over virtio-net, then its distro boot from the disk's
//     extlinux.conf; the file synced before the crash is intact.
//  5. Debian's EDK2 (AAVMF32) in the first flash bank, its variables in
//     the second: it boots GRUB from the disk's EFI system partition,
//     GRUB the kernel through its EFI stub.
func TestDebianDisk(t *testing.T) {
	r := newRig(t, "MIMIC_DEBIAN_DISK", "scripts/debian-acceptance.sh")
	overlay := filepath.Join(r.dir, "overlay.qcow2")
	r.img("create", "-f", "qcow2", "-b", filepath.Join(r.disk, "disk.qcow2"), "-F", "qcow2", overlay)
	data := filepath.Join(r.dir, "data.qcow2")
	r.img("create", "-f", "qcow2", data, "256M")

	// The host's side of the network: an HTTP server with a 4 MiB file
	// and a free port for hostfwd to the guest's sshd.
	blob := make([]byte, 4<<20)
	rnd := rand.New(rand.NewPCG(7, 8))
	for i := range blob {
		blob[i] = byte(rnd.Uint32())
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(blob) })}
	go srv.Serve(ln)
	defer srv.Close()
	httpPort := ln.Addr().(*net.TCPAddr).Port
	sshPort := guest.FreePort(t)

	// The root disk last: QEMU (and Mimic) plug the first virtio device
	// into the highest slot, which the guest probes last, so the last
	// disk given is /dev/vda.
	disks := func() []string {
		return []string{
			"-drive", "file=" + data + ",format=qcow2,if=none,id=data",
			"-device", "virtio-blk-device,drive=data",
			"-drive", "file=" + overlay + ",format=qcow2,if=none,id=root",
			"-device", "virtio-blk-device,drive=root",
			"-device", "virtio-rng-device",
		}
	}

	t.Run("1-direct-boot", func(t *testing.T) {
		r.t = t
		s := r.boot("boot1", true, false, append(disks(),
			"-netdev", fmt.Sprintf("user,id=n0,hostfwd=tcp:127.0.0.1:%d-:22", sshPort),
			"-device", "virtio-net-device,netdev=n0")...)
		s.login()
		if got := s.run("cat /proc/cmdline"); !strings.Contains(got, "root=/dev/vda2") {
			t.Errorf("/proc/cmdline: %s", got)
		}
		if got := s.run("findmnt -n -o SOURCE /"); got != "/dev/vda2" {
			t.Errorf("root is %q, want /dev/vda2", got)
		}
		// systemd-networkd has had DHCP; wait for the address.
		s.run("for i in $(seq 120); do ip -4 addr show eth0 | grep -q 'inet 10.0.2.15/24' && break; sleep 1; done; ip -4 addr show eth0 | grep 'inet 10.0.2.15/24'")
		if got := s.run(fmt.Sprintf("wget -q -O - http://10.0.2.2:%d/blob | sha256sum", httpPort)); !strings.HasPrefix(got, guest.HexSHA256(blob)) {
			t.Errorf("download through 10.0.2.2: %s, want %s", got, guest.HexSHA256(blob))
		}
		banner, err := readBanner(fmt.Sprintf("127.0.0.1:%d", sshPort), 2*time.Minute)
		if err != nil || !strings.HasPrefix(banner, "SSH-2.0-") {
			t.Errorf("hostfwd to the guest's sshd: banner %q, %v", banner, err)
		}
		s.run("echo mimic-A >/root/a && sync")
		s.run("mkfs.ext4 -q -F /dev/vdb && mount /dev/vdb /mnt && dd if=/dev/urandom of=/mnt/f bs=1M count=48 2>/dev/null && (cd /mnt && sha256sum f >/root/f.sum) && umount /mnt && sync")
		if got := s.run("lsblk -n -o NAME,SIZE /dev/vdb"); !strings.Contains(got, "256M") {
			t.Errorf("vdb: %s", got)
		}
		s.poweroff()
		r.qemuCheck(overlay, false)
		r.qemuCheck(data, false)
	})

	t.Run("2-snapshot-qemu-spelling", func(t *testing.T) {
		r.t = t
		before := sha256File(t, overlay)
		s := r.boot("boot2", true, true, append(disks(), "-snapshot", "-nic", "user")...)
		s.login()
		if got := s.run("cat /root/a"); got != "mimic-A" {
			t.Errorf("/root/a after a reboot: %q", got)
		}
		s.run("mount /dev/vdb /mnt && cd /mnt && sha256sum -c /root/f.sum && cd / && umount /mnt")
		s.run("echo mimic-B >/root/b && sync")
		s.poweroff()
		if after := sha256File(t, overlay); after != before {
			t.Errorf("-snapshot: the overlay changed (sha256 %s, was %s)", after, before)
		}
	})

	t.Run("3-sigkill", func(t *testing.T) {
		r.t = t
		s := r.boot("boot3", true, false, disks()...)
		s.login()
		if got := s.run("cat /root/b 2>&1 || true"); strings.Contains(got, "mimic-B") {
			t.Errorf("a file written under -snapshot survived: %q", got)
		}
		s.run("head -c 8M /dev/urandom >/root/c && sha256sum /root/c >/root/c.sum && sync")
		s.run("nohup sh -c 'i=0; while :; do i=$((i+1)); dd if=/dev/urandom of=/root/junk$i bs=1M count=8 2>/dev/null; done' >/dev/null 2>&1 & true")
		time.Sleep(5 * time.Second)
		if err := s.Signal(syscall.SIGKILL); err != nil {
			t.Fatalf("SIGKILL: %v", err)
		}
		s.Wait(time.Minute)
		r.qemuCheck(overlay, true)
		r.qemuCheck(data, false)
	})

	t.Run("4-uboot", func(t *testing.T) {
		r.t = t
		uboot := env("MIMIC_DEBIAN_UBOOT", "/usr/lib/u-boot/qemu_arm/u-boot.bin")
		flash := filepath.Join(r.dir, "flash1.img")
		if err := os.WriteFile(flash, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(flash, 64<<20); err != nil {
			t.Fatal(err)
		}
		s := r.boot("boot4", false, true, append([]string{"-bios", uboot,
			"-drive", "if=pflash,unit=1,format=raw,file=" + flash,
			"-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0"}, disks()...)...)
		at, err := s.WaitFor(regexp.MustCompile(`Hit any key to stop autoboot`), 0, r.timeout)
		if err != nil {
			t.Fatalf("U-Boot: %v", err)
		}
		s.Send("\n")
		uboot1 := regexp.MustCompile(`=> `)
		if at, err = s.WaitFor(uboot1, at, r.timeout); err != nil {
			t.Fatalf("U-Boot prompt: %v", err)
		}
		s.Send("setenv autoload no; dhcp\n")
		if at, err = s.WaitFor(regexp.MustCompile(`DHCP client bound to address 10\.0\.2\.15`), at, r.timeout); err != nil {
			t.Fatalf("U-Boot dhcp: %v", err)
		}
		if at, err = s.WaitFor(uboot1, at, r.timeout); err != nil {
			t.Fatalf("U-Boot prompt: %v", err)
		}
		s.Send("saveenv; boot\n")
		if _, err = s.WaitFor(regexp.MustCompile(`extlinux`), at, r.timeout); err != nil {
			t.Fatalf("U-Boot distro boot: %v", err)
		}
		s.login()
		s.run("cd /root && sha256sum -c c.sum")
		s.poweroff()
		r.qemuCheck(overlay, true)
		// saveenv wrote U-Boot's environment to the second flash bank,
		// which the emulator keeps in the file.
		if env, err := os.ReadFile(flash); err != nil || !bytes.Contains(env, []byte("autoload=no\x00")) {
			t.Errorf("U-Boot's saved environment is not in %s (%v)", flash, err)
		}
	})

	t.Run("5-edk2", func(t *testing.T) {
		r.t = t
		code := env("MIMIC_DEBIAN_EDK2", "/usr/share/AAVMF/AAVMF32_CODE.fd")
		vars, err := os.ReadFile(env("MIMIC_DEBIAN_EDK2_VARS", "/usr/share/AAVMF/AAVMF32_VARS.fd"))
		if err != nil {
			t.Fatal(err)
		}
		varsCopy := filepath.Join(r.dir, "vars.fd")
		if err := os.WriteFile(varsCopy, vars, 0o644); err != nil {
			t.Fatal(err)
		}
		s := r.boot("boot5", false, true, append([]string{
			"-drive", "if=pflash,unit=0,format=raw,readonly=on,file=" + code,
			"-drive", "if=pflash,unit=1,format=raw,file=" + varsCopy,
			"-nic", "none"}, disks()...)...)
		s.login()
		// GRUB passed BOOT_IMAGE, and the kernel came through its EFI stub.
		if got := s.run("cat /proc/cmdline"); !strings.Contains(got, "BOOT_IMAGE=/vmlinuz-") {
			t.Errorf("/proc/cmdline after GRUB: %s", got)
		}
		s.run("test -d /sys/firmware/efi")
		s.run("cd /root && sha256sum -c c.sum")
		s.poweroff()
		r.qemuCheck(overlay, true)
	})
}

// readBanner connects to addr and returns the first line the server
// sends, retrying until limit while the guest's server starts.
func readBanner(addr string, limit time.Duration) (string, error) {
	deadline := time.Now().Add(limit)
	for {
		c, err := net.DialTimeout("tcp", addr, 10*time.Second)
		if err == nil {
			c.SetReadDeadline(time.Now().Add(30 * time.Second))
			var buf bytes.Buffer
			b := make([]byte, 256)
			for !bytes.Contains(buf.Bytes(), []byte("\n")) {
				n, err := c.Read(b)
				buf.Write(b[:n])
				if err != nil {
					break
				}
			}
			c.Close()
			if line, _, ok := strings.Cut(buf.String(), "\n"); ok {
				return strings.TrimSpace(line), nil
			}
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("no banner from %s: %v", addr, err)
		}
		time.Sleep(time.Second)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
