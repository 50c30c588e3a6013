package boot

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// CheckInitrd looks for truncation or corruption in an initrd Linux would
// otherwise unpack half of: a gzip stream is inflated to its end (CRC and
// length checked), a newc/crc cpio archive is walked to its trailer, and
// the archives of a concatenated initramfs (an uncompressed early cpio
// followed by a compressed main one, with zero padding between them, as
// Documentation/driver-api/early-userspace/buffer-format.rst allows) are
// each checked. Formats it cannot decode (xz, zstd, lz4, bzip2, an ext2
// image for an initrd root) pass unchecked.
func CheckInitrd(data []byte) error {
	if len(data) == 0 {
		return errors.New("file is empty")
	}
	for off := 0; off < len(data); {
		rest := data[off:]
		// Zero padding between archives.
		if rest[0] == 0 {
			off++
			continue
		}
		switch {
		case bytes.HasPrefix(rest, []byte("070701")) || bytes.HasPrefix(rest, []byte("070702")):
			n, err := cpioLen(rest)
			if err != nil {
				return fmt.Errorf("cpio archive at offset %d: %w", off, err)
			}
			off += n
		case len(rest) >= 2 && rest[0] == 0x1f && rest[1] == 0x8b:
			n, err := gzipLen(rest)
			if err != nil {
				return fmt.Errorf("%s at offset %d", err, off)
			}
			off += n
		default:
			return nil // not a format we check
		}
	}
	return nil
}

// gzipLen inflates one gzip member to its end, checking its CRC and
// length, and returns its compressed size.
func gzipLen(a []byte) (int, error) {
	// bytes.Reader is an io.ByteReader, so neither gzip nor flate reads
	// ahead of the member's end and Len tells where it ended.
	r := bytes.NewReader(a)
	zr, err := gzip.NewReader(r)
	if err != nil {
		return 0, fmt.Errorf("corrupt gzip data (%v)", err)
	}
	zr.Multistream(false)
	if _, err := io.Copy(io.Discard, zr); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, errors.New("truncated gzip data (the file ends before the compressed stream does)")
		}
		return 0, fmt.Errorf("corrupt gzip data (%v)", err)
	}
	return len(a) - r.Len(), nil
}

// cpioLen walks a newc or crc cpio archive to its trailer and returns its
// length in bytes.
func cpioLen(a []byte) (int, error) {
	const hdr = 110
	off := 0
	for {
		if len(a)-off < hdr {
			return 0, errors.New("truncated (the file ends inside an entry header)")
		}
		h := a[off : off+hdr]
		if string(h[:5]) != "07070" || (h[5] != '1' && h[5] != '2') {
			return 0, fmt.Errorf("bad entry magic %q at offset %d", h[:6], off)
		}
		field := func(i int) (int, error) {
			v, err := strconv.ParseUint(string(h[6+8*i:14+8*i]), 16, 32)
			return int(v), err
		}
		size, err1 := field(6)
		nameSize, err2 := field(11)
		if err1 != nil || err2 != nil || nameSize == 0 {
			return 0, fmt.Errorf("bad entry header at offset %d", off)
		}
		nameEnd := off + hdr + nameSize
		if nameEnd > len(a) {
			return 0, errors.New("truncated (the file ends inside an entry name)")
		}
		name := string(a[off+hdr : nameEnd-1])
		dataStart := align4(nameEnd)
		dataEnd := dataStart + size
		if dataEnd > len(a) || dataEnd < dataStart {
			return 0, fmt.Errorf("truncated (the file ends inside %q)", name)
		}
		off = align4(dataEnd)
		if name == "TRAILER!!!" {
			return min(off, len(a)), nil
		}
	}
}

func align4(n int) int { return (n + 3) &^ 3 }
