// Command mkinitramfs writes the initramfs the Linux acceptance tests boot
// (see package initramfs), given a static armhf busybox:
//
//	go run ./conformance/linux/cmd/mkinitramfs -busybox busybox [-modules DIR] -o initrd.gz
//
// DIR holds one directory per kernel release with that kernel's
// uncompressed modules (NAME.ko) and, optionally, the load orders
// virtio.order and desktop.order (module names, as scripts/fetch-guests.sh
// resolves them; initramfs.VirtioModules and initramfs.DesktopModules
// otherwise).
//
// It also writes OUT.sha256 beside it: the expected sha256sum line of the
// archive's test file.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"mimic/conformance/linux/initramfs"
)

func main() {
	bb := flag.String("busybox", "", "static busybox binary for the guest (required)")
	out := flag.String("o", "initrd.gz", "output file")
	modDir := flag.String("modules", "", "directory of RELEASE/NAME.ko kernel modules to include")
	flag.Parse()
	if err := run(*bb, *modDir, *out); err != nil {
		fmt.Fprintf(os.Stderr, "mkinitramfs: %v\n", err)
		os.Exit(1)
	}
}

func run(bb, modDir, out string) error {
	if bb == "" {
		return fmt.Errorf("-busybox is required")
	}
	data, err := os.ReadFile(bb)
	if err != nil {
		return err
	}
	var mods []initramfs.Modules
	if modDir != "" {
		releases, err := os.ReadDir(modDir)
		if err != nil {
			return err
		}
		for _, r := range releases {
			if !r.IsDir() || strings.HasSuffix(r.Name(), ".tmp") {
				continue // fetch-guests.sh's work in progress
			}
			dir := filepath.Join(modDir, r.Name())
			m := initramfs.Modules{Release: r.Name(), ByName: map[string][]byte{}}
			m.Virtio, err = readOrder(filepath.Join(dir, "virtio.order"))
			if err != nil {
				return err
			}
			m.Desktop, err = readOrder(filepath.Join(dir, "desktop.order"))
			if err != nil {
				return err
			}
			for _, list := range [][]string{m.Virtio, m.Desktop, initramfs.VirtioModules, initramfs.DesktopModules} {
				for _, name := range list {
					if _, ok := m.ByName[name]; ok {
						continue
					}
					ko, err := os.ReadFile(filepath.Join(dir, name+".ko"))
					if err == nil {
						m.ByName[name] = ko
					}
				}
			}
			mods = append(mods, m)
		}
	}
	var buf bytes.Buffer
	if err := initramfs.Build(&buf, data, mods...); err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	sum := fmt.Sprintf("%s  %s\n", initramfs.BlobSHA256(), initramfs.BlobPath)
	return os.WriteFile(out+".sha256", []byte(sum), 0o644)
}

// readOrder reads a load order file: module names separated by white
// space. A missing file gives nil (the default order).
func readOrder(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return append([]string{}, strings.Fields(string(b))...), nil
}
