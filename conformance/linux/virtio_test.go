//go:build acceptance

package linux

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"mimic/conformance/linux/guest"
	"mimic/conformance/linux/initramfs"
)

// TestVirtioDevices boots the initramfs guest with a virtio disk, an
// entropy device and a user-mode network in QEMU's spelling, loads the
// kernel's virtio modules and checks each device from the guest's shell:
// the disk reads what the host wrote and the host reads what the guest
// wrote and synced; /dev/hwrng gives bytes; DHCP gives 10.0.2.15; a file
// fetched from a host HTTP server through 10.0.2.2 arrives intact; a
// server in the guest answers the host through hostfwd, also with
// restrict=on, which keeps the guest from reaching out. The same test
// runs on QEMU (scripts/linux-acceptance.sh --qemu) to validate it.
func TestVirtioDevices(t *testing.T) {
	root := repoRoot(t)
	guests := env("MIMIC_LINUX_GUESTS", filepath.Join(root, ".cache/guests"))
	emulator := strings.Fields(env("MIMIC_LINUX_EMULATOR", filepath.Join(root, "bin/mimic")+" -M virt"))
	timeout, err := time.ParseDuration(env("MIMIC_LINUX_TIMEOUT", "20m"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name             string
		legacy, restrict bool
	}{{"modern", false, false}, {"legacy", true, false}, {"restricted", false, true}} {
		legacy := tc.legacy
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			// The disk: 32 MiB of pseudo-random bytes.
			disk := make([]byte, 32<<20)
			r := rand.New(rand.NewPCG(1, 2))
			for i := range disk {
				disk[i] = byte(r.Uint32())
			}
			diskPath := filepath.Join(dir, "disk.raw")
			if err := os.WriteFile(diskPath, disk, 0o644); err != nil {
				t.Fatal(err)
			}
			// A host HTTP server on loopback with a 3 MiB file.
			blob := disk[:3<<20]
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(blob) })}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go srv.Serve(ln)
			defer srv.Close()
			httpPort := ln.Addr().(*net.TCPAddr).Port
			fwdPort := guest.FreePort(t)

			extra := []string{
				"-drive", "file=" + diskPath + ",format=raw,if=none,id=d0",
				"-device", "virtio-blk-device,drive=d0,serial=mimic-disk",
				"-device", "virtio-rng-device",
				"-netdev", fmt.Sprintf("user,id=n0,restrict=%v,hostfwd=tcp:127.0.0.1:%d-:8080", map[bool]string{false: "off", true: "on"}[tc.restrict], fwdPort),
				"-device", "virtio-net-device,netdev=n0",
			}
			if legacy {
				extra = append(extra, "-global", "virtio-mmio.force-legacy=true")
			} else {
				extra = append(extra, "-global", "virtio-mmio.force-legacy=false")
			}
			boot := guest.Boot{
				Emulator: emulator, RAMMiB: 512,
				Kernel: filepath.Join(guests, "trixie-armmp.vmlinuz"),
				Initrd: filepath.Join(guests, "initrd.gz"),
				Extra:  extra,
			}
			s, err := guest.Start(boot, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Kill()
			defer func() {
				if t.Failed() {
					t.Logf("console (last 60 lines):\n%s", tail(s.Output(), 60))
				}
			}()
			if _, err := s.WaitShell(context.Background(), timeout); err != nil {
				t.Fatalf("no shell: %v", err)
			}
			run := func(cmd string) string {
				t.Helper()
				out, status, err := s.Run(cmd, timeout)
				if err != nil {
					t.Fatalf("%s: %v", cmd, err)
				}
				if status != 0 {
					t.Fatalf("%s: exit status %d\n%s", cmd, status, out)
				}
				return out
			}
			run("virtio-up")

			// Disk: size, serial, contents, a synced write.
			if got := run("cat /sys/block/vda/size"); got != fmt.Sprint(len(disk)/512) {
				t.Errorf("vda has %s sectors, want %d", got, len(disk)/512)
			}
			if got := run("echo $(cat /sys/block/vda/serial)"); got != "mimic-disk" {
				t.Errorf("vda serial %q", got)
			}
			if got := run("dd if=/dev/vda bs=1M 2>/dev/null | sha256sum"); !strings.HasPrefix(got, guest.HexSHA256(disk)) {
				t.Errorf("guest reads vda as %s, host wrote %s", got, guest.HexSHA256(disk))
			}
			run("dd if=" + initramfs.BlobPath + " of=/dev/vda bs=64k seek=16 conv=fsync 2>/dev/null")
			onHost, err := os.ReadFile(diskPath)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(onHost[1<<20:1<<20+len(initramfs.Blob())], initramfs.Blob()) {
				t.Error("the host does not see what the guest wrote and synced")
			}

			// Entropy.
			if got := run("head -c 64 /dev/hwrng | od -An -tx1 | tr -d ' \\n'"); len(got) != 128 || got == strings.Repeat("0", 128) {
				t.Errorf("/dev/hwrng gave %q", got)
			}

			// Network: DHCP, a download through 10.0.2.2, hostfwd.
			run("ip link set eth0 up && udhcpc -i eth0 -n -q -s /bin/udhcpc-script >/dev/null 2>&1")
			if got := run("ip -4 addr show eth0"); !regexp.MustCompile(`inet 10\.0\.2\.15/24`).MatchString(got) {
				t.Errorf("eth0 after DHCP:\n%s", got)
			}
			fetch := fmt.Sprintf("wget -q -O - http://10.0.2.2:%d/blob | sha256sum", httpPort)
			if tc.restrict {
				// restrict=on: the guest reaches nothing outside,
				// the host's loopback included.
				if got := run(fetch); strings.HasPrefix(got, guest.HexSHA256(blob)) {
					t.Errorf("restrict=on: the guest fetched from the host")
				}
			} else if got := run(fetch); !strings.HasPrefix(got, guest.HexSHA256(blob)) {
				t.Errorf("download through 10.0.2.2: sha256 %s, want %s", got, guest.HexSHA256(blob))
			}
			run("mkdir -p /srv && cp " + initramfs.BlobPath + " /srv/blob && httpd -p 8080 -h /srv")
			resp, err := httpGet(fmt.Sprintf("http://127.0.0.1:%d/blob", fwdPort), 60*time.Second)
			if err != nil {
				t.Errorf("hostfwd: %v", err)
			} else if !bytes.Equal(resp, initramfs.Blob()) {
				t.Errorf("hostfwd: got %d bytes, want the %d-byte blob", len(resp), len(initramfs.Blob()))
			}

			if err := s.Send("poweroff -f\n"); err != nil {
				t.Fatal(err)
			}
			if code, err := s.Wait(timeout); err != nil || code != 0 {
				t.Errorf("poweroff: status %d, %v", code, err)
			}
			if bad := guest.Complaints(s.Output()); len(bad) > 0 {
				t.Errorf("kernel complaints:\n%s", strings.Join(bad, "\n"))
			}
		})
	}
}

// httpGet fetches url, retrying until the server answers or limit passes.
func httpGet(url string, limit time.Duration) ([]byte, error) {
	deadline := time.Now().Add(limit)
	for {
		resp, err := http.Get(url)
		if err == nil {
			defer resp.Body.Close()
			return io.ReadAll(resp.Body)
		}
		if time.Now().After(deadline) {
			return nil, err
		}
		time.Sleep(500 * time.Millisecond)
	}
}
