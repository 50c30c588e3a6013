// Command iobench measures disk and network throughput of a Linux guest
// on an emulator (Mimic or QEMU, the command is a parameter): the
// initramfs guest gets a virtio disk and a user-mode network, and from its
// shell it writes and reads the disk with O_DIRECT dd, downloads a file
// from a host HTTP server through 10.0.2.2, and serves a file from its RAM
// that the host downloads through hostfwd. scripts/bench-io.sh runs it on both
// emulators and prints the ratios.
//
//	iobench -emulator "bin/mimic -M virt" -kernel K -initrd I [-format qcow2] [-mib 256]
//
// It prints one line: write_MBps read_MBps download_MBps upload_MBps
// peak_rss_MiB (MB = 10^6 bytes).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"mimic/conformance/linux/guest"
	"mimic/devices/disk"
)

func main() {
	emu := flag.String("emulator", "bin/mimic -M virt", "emulator command")
	kernel := flag.String("kernel", "", "kernel image")
	initrd := flag.String("initrd", "", "initramfs (with /bin/virtio-up)")
	format := flag.String("format", "raw", "disk image format: raw or qcow2")
	mib := flag.Int("mib", 256, "MiB to move in each direction")
	ram := flag.Int("m", 512, "guest RAM in MiB")
	timeout := flag.Duration("timeout", 20*time.Minute, "limit for each step")
	verbose := flag.Bool("v", false, "copy the console to stderr")
	flag.Parse()
	if err := run(*emu, *kernel, *initrd, *format, *mib, *ram, *timeout, *verbose); err != nil {
		fmt.Fprintf(os.Stderr, "iobench: %v\n", err)
		os.Exit(1)
	}
}

func run(emu, kernel, initrd, format string, mib, ram int, timeout time.Duration, verbose bool) error {
	dir, err := os.MkdirTemp("", "iobench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	img := filepath.Join(dir, "disk."+format)
	if err := disk.Create(img, disk.CreateOptions{Format: format, Size: int64(mib+64) << 20}); err != nil {
		return err
	}
	size := int64(mib) << 20

	// The host side: an HTTP server streaming zeros, and a free port for
	// hostfwd.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(size))
		io.CopyN(w, zeros{}, size)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	fwd, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fwdPort := fwd.Addr().(*net.TCPAddr).Port
	fwd.Close()

	var log io.Writer
	if verbose {
		log = os.Stderr
	}
	s, err := guest.Start(guest.Boot{
		Emulator: strings.Fields(emu), RAMMiB: ram, Kernel: kernel, Initrd: initrd,
		Extra: []string{
			"-drive", "file=" + img + ",format=" + format + ",if=none,id=d0,cache=writeback",
			"-device", "virtio-blk-device,drive=d0",
			"-netdev", fmt.Sprintf("user,id=n0,hostfwd=tcp:127.0.0.1:%d-:8080", fwdPort),
			"-device", "virtio-net-device,netdev=n0",
		},
	}, log)
	if err != nil {
		return err
	}
	defer s.Kill()
	if _, err := s.WaitShell(context.Background(), timeout); err != nil {
		return err
	}
	sh := func(cmd string) error {
		out, status, err := s.Run(cmd, timeout)
		if err != nil {
			return err
		}
		if status != 0 {
			return fmt.Errorf("%s: status %d: %s", cmd, status, out)
		}
		return nil
	}
	timed := func(cmd string) (float64, error) {
		start := time.Now()
		if err := sh(cmd); err != nil {
			return 0, err
		}
		return float64(size) / time.Since(start).Seconds() / 1e6, nil
	}
	if err := sh("virtio-up && ip link set eth0 up && udhcpc -i eth0 -n -q -s /bin/udhcpc-script >/dev/null 2>&1"); err != nil {
		return err
	}
	wr, err := timed(fmt.Sprintf("dd if=/dev/zero of=/dev/vda bs=1M count=%d oflag=direct 2>/dev/null", mib))
	if err != nil {
		return err
	}
	rd, err := timed(fmt.Sprintf("dd if=/dev/vda of=/dev/null bs=1M count=%d iflag=direct 2>/dev/null", mib))
	if err != nil {
		return err
	}
	down, err := timed(fmt.Sprintf("wget -q -O /dev/null http://10.0.2.2:%d/zeros", ln.Addr().(*net.TCPAddr).Port))
	if err != nil {
		return err
	}
	// Upload: the guest serves a file from its RAM with busybox httpd
	// (sendfile); the host fetches it through hostfwd. The initramfs
	// may fill half the guest's RAM, so the file is at most a quarter.
	upMiB := min(mib, ram/4)
	if err := sh(fmt.Sprintf("mkdir -p /srv && dd if=/dev/zero of=/srv/zeros bs=1M count=%d 2>/dev/null && httpd -p 8080 -h /srv", upMiB)); err != nil {
		return err
	}
	up, err := download(fmt.Sprintf("http://127.0.0.1:%d/zeros", fwdPort), int64(upMiB)<<20, timeout)
	if err != nil {
		return err
	}
	if err := s.Send("poweroff -f\n"); err != nil {
		return err
	}
	if _, err := s.Wait(timeout); err != nil {
		return err
	}
	fmt.Printf("%.1f %.1f %.1f %.1f %d\n", wr, rd, down, up, s.MaxRSS()>>20)
	return nil
}

// download fetches url (size bytes), retrying until the guest's server
// answers, and returns MB/s.
func download(url string, size int64, limit time.Duration) (float64, error) {
	deadline := time.Now().Add(limit)
	for {
		start := time.Now()
		resp, err := http.Get(url)
		if err == nil {
			n, err := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if n == size {
				return float64(size) / time.Since(start).Seconds() / 1e6, nil
			}
			return 0, fmt.Errorf("upload: %d of %d bytes: %v", n, size, err)
		}
		if time.Now().After(deadline) {
			return 0, errors.New("upload: the guest's server never answered")
		}
		time.Sleep(300 * time.Millisecond)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
