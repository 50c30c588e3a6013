package initramfs

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
)

// Marker is the line /init prints once /proc, /sys and /dev are mounted,
// just before it starts the shell.
const Marker = "MIMIC-INITRAMFS-READY"

// BlobPath is where the archive holds the file the tests checksum.
const BlobPath = "/testdata/blob"

// blobSize and blobSeed fix the test file's contents.
const (
	blobSize = 256 << 10
	blobSeed = 0x6d696d6963
)

// Blob returns the contents of BlobPath: pseudo-random bytes from a fixed
// seed, so a test can check a guest's sha256sum without reading the archive.
func Blob() []byte {
	r := rand.New(rand.NewPCG(blobSeed, blobSeed))
	b := make([]byte, blobSize)
	for i := 0; i < len(b); i += 8 {
		v := r.Uint64()
		for j := 0; j < 8 && i+j < len(b); j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// BlobSHA256 returns the hex SHA-256 of Blob, as sha256sum prints it.
func BlobSHA256() string {
	sum := sha256.Sum256(Blob())
	return hex.EncodeToString(sum[:])
}

// initScript is /init: busybox's shell mounts the kernel filesystems,
// prints Marker and runs an interactive shell on the console with it as
// the controlling terminal (cttyhack picks the real console, ttyAMA0).
const initScript = `#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /tmp
mount -t devpts devpts /dev/pts
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root PS1='# '
echo
echo "` + Marker + ` $(uname -r)"
exec setsid cttyhack /bin/sh
`

// udhcpcScript is /bin/udhcpc-script, the event script busybox's udhcpc
// runs (udhcpc -s /bin/udhcpc-script): it configures the interface, the
// default route and the resolver from the lease.
const udhcpcScript = `#!/bin/sh
case "$1" in
deconfig)
	ip addr flush dev "$interface"
	ip link set "$interface" up
	;;
bound|renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	[ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
	: >/etc/resolv.conf
	for d in $dns; do echo "nameserver $d" >>/etc/resolv.conf; done
	;;
esac
exit 0
`

// VirtioModules are the kernel modules /sbin/virtio-up loads, in
// dependency order: Debian's armmp kernels build virtio-mmio and its
// device drivers as modules.
var VirtioModules = []string{"virtio_mmio", "virtio_blk", "failover", "net_failover", "virtio_net", "virtio-rng"}

// DesktopModules are the kernel modules /bin/desktop-up loads when the
// archive has no resolved order for a kernel (Modules.Desktop), in
// dependency order as Debian's armmp 6.12 kernels need them: DRM and the
// virtio-gpu driver (fbcon and the framebuffer core are built in), virtio
// input with evdev, and ALSA with the virtio sound driver and the OSS
// emulation that lets busybox play through /dev/dsp.
var DesktopModules = []string{
	"drm", "drm_kms_helper", "drm_shmem_helper", "virtio_dma_buf", "virtio-gpu",
	"virtio_input", "evdev",
	"soundcore", "snd", "snd-timer", "snd-pcm", "virtio_snd", "snd-mixer-oss", "snd-pcm-oss",
}

// loadModules is the body of the module loaders: it loads the modules
// named in the running kernel's ORDER file (those the archive has).
// Already loaded or built-in ones are fine.
func loadModules(name, order string) string {
	return `d=/lib/modules/$(uname -r)
[ -d "$d" ] || { echo "` + name + `: no modules for $(uname -r)"; exit 1; }
for m in $(cat $d/` + order + `); do
	insmod "$d/$m.ko" 2>/dev/null || grep -q "^$(echo $m | tr - _) " /proc/modules || { echo "` + name + `: $m failed"; exit 1; }
done
`
}

// virtioUp is /sbin/virtio-up: it loads the virtio modules (VirtioModules
// or Modules.Virtio) for the running kernel, so a test can reach the
// virtio devices from the initramfs shell.
var virtioUp = "#!/bin/sh\n" + loadModules("virtio-up", "order")

// desktopUp is /sbin/desktop-up: virtio-up, then the display, input and
// sound modules (Modules.Desktop).
var desktopUp = "#!/bin/sh\nvirtio-up || exit 1\n" + loadModules("desktop-up", "desktop.order")

// Applets returns the applet names compiled into a busybox binary, read
// from its applet_names table: the applet names sorted and NUL-separated,
// starting "[", "[[" in every configuration that has test(1). "busybox"
// itself is left out.
func Applets(busybox []byte) ([]string, error) {
	start := bytes.Index(busybox, []byte("\x00[\x00[[\x00"))
	if start < 0 {
		return nil, errors.New("initramfs: no applet table in the busybox binary (is it busybox?)")
	}
	var names []string
	prev := ""
	for p := start + 1; p < len(busybox); {
		end := bytes.IndexByte(busybox[p:], 0)
		if end <= 0 {
			break
		}
		name := string(busybox[p : p+end])
		if !validApplet(name) || name < prev {
			break // past the end of the sorted table
		}
		if name != "busybox" {
			names = append(names, name)
		}
		prev = name
		p += end + 1
	}
	if len(names) < 10 || !slices.Contains(names, "sh") {
		return nil, fmt.Errorf("initramfs: applet table has %d names and no sh; not a usable busybox", len(names))
	}
	return names, nil
}

func validApplet(s string) bool {
	if len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '[') {
			return false
		}
	}
	return true
}

// Modules are uncompressed kernel modules for one kernel release, by
// module name, and the orders the loaders load them in.
type Modules struct {
	Release string
	ByName  map[string][]byte
	// Virtio is /bin/virtio-up's load order (VirtioModules when nil),
	// Desktop /bin/desktop-up's (DesktopModules when nil). Names
	// missing from ByName are left out.
	Virtio, Desktop []string
}

// Build writes the gzip-compressed archive for busybox (a static armhf
// busybox binary) to w: /bin/busybox with a link in /bin for each applet,
// /sbin, /usr/bin and /usr/sbin linking to /bin, /init, /sbin/virtio-up,
// /bin/desktop-up, /dev/console, the mount points and BlobPath, and each
// kernel's modules in /lib/modules/RELEASE with the orders virtio-up
// (order) and desktop-up (desktop.order) load them in. The
// output depends only on its inputs.
func Build(w io.Writer, busybox []byte, mods ...Modules) error {
	applets, err := Applets(busybox)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	cw := NewWriter(zw)
	for _, d := range []string{"bin", "dev", "proc", "sys", "tmp", "root", "usr", "testdata", "etc", "lib", "lib/modules"} {
		perm := uint32(0o755)
		if d == "tmp" {
			perm = 0o1777
		}
		if err := cw.Dir(d, perm); err != nil {
			return err
		}
	}
	steps := []func() error{
		// The kernel opens /dev/console for init before init can mount
		// devtmpfs, so the node must be in the archive.
		func() error { return cw.CharDevice("dev/console", 0o600, 5, 1) },
		func() error { return cw.File("bin/busybox", 0o755, busybox) },
		func() error { return cw.Symlink("sbin", "bin") },
		func() error { return cw.Symlink("usr/bin", "../bin") },
		func() error { return cw.Symlink("usr/sbin", "../bin") },
		func() error { return cw.File("init", 0o755, []byte(initScript)) },
		func() error { return cw.File("etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/bin/sh\n")) },
		func() error { return cw.File(BlobPath[1:], 0o644, Blob()) },
		func() error { return cw.File("bin/virtio-up", 0o755, []byte(virtioUp)) },
		func() error { return cw.File("bin/desktop-up", 0o755, []byte(desktopUp)) },
		func() error { return cw.File("bin/udhcpc-script", 0o755, []byte(udhcpcScript)) },
	}
	slices.SortFunc(mods, func(a, b Modules) int { return strings.Compare(a.Release, b.Release) })
	for _, m := range mods {
		dir := "lib/modules/" + m.Release
		steps = append(steps, func() error { return cw.Dir(dir, 0o755) })
		virtio, desktop := m.Virtio, m.Desktop
		if virtio == nil {
			virtio = VirtioModules
		}
		if desktop == nil {
			desktop = DesktopModules
		}
		added := map[string]bool{}
		for _, o := range []struct {
			file  string
			names []string
		}{{"order", virtio}, {"desktop.order", desktop}} {
			var order []string
			for _, name := range o.names {
				ko, ok := m.ByName[name]
				if !ok {
					continue
				}
				order = append(order, name)
				if !added[name] {
					added[name] = true
					steps = append(steps, func() error { return cw.File(dir+"/"+name+".ko", 0o644, ko) })
				}
			}
			steps = append(steps, func() error { return cw.File(dir+"/"+o.file, 0o644, []byte(strings.Join(order, " ")+"\n")) })
		}
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	for _, a := range applets {
		if err := cw.Symlink("bin/"+a, "busybox"); err != nil {
			return err
		}
	}
	if err := cw.Close(); err != nil {
		return err
	}
	return zw.Close()
}
