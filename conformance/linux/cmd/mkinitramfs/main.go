// Command mkinitramfs writes the initramfs the Linux acceptance tests boot
// (see package initramfs), given a static armhf busybox:
//
//	go run ./conformance/linux/cmd/mkinitramfs -busybox busybox [-modules DIR] -o initrd.gz
//
// DIR holds one directory per kernel release with that kernel's
// uncompressed virtio modules (NAME.ko, see initramfs.VirtioModules).
//
// It also writes OUT.sha256 beside it: the expected sha256sum line of the
// archive's test file.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

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
			m := initramfs.Modules{Release: r.Name(), ByName: map[string][]byte{}}
			for _, name := range initramfs.VirtioModules {
				ko, err := os.ReadFile(filepath.Join(modDir, r.Name(), name+".ko"))
				if err == nil {
					m.ByName[name] = ko
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
