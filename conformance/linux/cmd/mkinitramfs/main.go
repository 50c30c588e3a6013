// Command mkinitramfs writes the initramfs the Linux acceptance tests boot
// (see package initramfs), given a static armhf busybox:
//
//	go run ./conformance/linux/cmd/mkinitramfs -busybox busybox -o initrd.gz
//
// It also writes OUT.sha256 beside it: the expected sha256sum line of the
// archive's test file.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"mimic/conformance/linux/initramfs"
)

func main() {
	bb := flag.String("busybox", "", "static busybox binary for the guest (required)")
	out := flag.String("o", "initrd.gz", "output file")
	flag.Parse()
	if err := run(*bb, *out); err != nil {
		fmt.Fprintf(os.Stderr, "mkinitramfs: %v\n", err)
		os.Exit(1)
	}
}

func run(bb, out string) error {
	if bb == "" {
		return fmt.Errorf("-busybox is required")
	}
	data, err := os.ReadFile(bb)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := initramfs.Build(&buf, data); err != nil {
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
