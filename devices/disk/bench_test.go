package disk

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// benchSize is the amount of data one benchmark iteration moves.
const benchSize = 256 << 20

// BenchmarkSequential writes then reads benchSize bytes sequentially in
// chunks of 64 KiB and 1 MiB, through a raw image, a qcow2 image (the
// write allocates every cluster) and, as the reference, the host file
// itself. Compare the MB/s columns.
func BenchmarkSequential(b *testing.B) {
	for _, chunk := range []int{64 << 10, 1 << 20} {
		for _, target := range []string{"file", FormatRaw, FormatQcow2} {
			b.Run(fmt.Sprintf("%s/%dk/write", target, chunk>>10), func(b *testing.B) {
				benchIO(b, target, chunk, true)
			})
			b.Run(fmt.Sprintf("%s/%dk/read", target, chunk>>10), func(b *testing.B) {
				benchIO(b, target, chunk, false)
			})
		}
	}
}

// fileImage makes a plain *os.File look like an Image for the reference.
type fileImage struct {
	*os.File
	size int64
}

func (f fileImage) Size() int64 { return f.size }

// Close syncs, as an image's Close does.
func (f fileImage) Close() error {
	f.File.Sync()
	return f.File.Close()
}

func benchIO(b *testing.B, target string, chunk int, write bool) {
	path := filepath.Join(b.TempDir(), "img")
	buf := make([]byte, chunk)
	for i := range buf {
		buf[i] = byte(i*7 + 1)
	}
	open := func() (interface {
		ReadAt([]byte, int64) (int, error)
		WriteAt([]byte, int64) (int, error)
		Close() error
	}, error) {
		if target == "file" {
			f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
			if err != nil {
				return nil, err
			}
			return fileImage{f, benchSize}, f.Truncate(benchSize)
		}
		if err := Create(path, CreateOptions{Format: target, Size: benchSize}); err != nil {
			return nil, err
		}
		return Open(path, OpenOptions{})
	}
	fill := func() {
		img, err := open()
		if err != nil {
			b.Fatal(err)
		}
		for off := int64(0); off < benchSize; off += int64(chunk) {
			if _, err := img.WriteAt(buf, off); err != nil {
				b.Fatal(err)
			}
		}
		if err := img.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(benchSize)
	if !write {
		fill()
	}
	b.ResetTimer()
	for range b.N {
		if write {
			b.StopTimer()
			os.Remove(path)
			b.StartTimer()
			fill()
			continue
		}
		var img interface {
			ReadAt([]byte, int64) (int, error)
			Close() error
		}
		var err error
		if target == "file" {
			img, err = os.Open(path)
		} else {
			img, err = Open(path, OpenOptions{ReadOnly: true})
		}
		if err != nil {
			b.Fatal(err)
		}
		for off := int64(0); off < benchSize; off += int64(chunk) {
			if _, err := img.ReadAt(buf, off); err != nil {
				b.Fatal(err)
			}
		}
		img.Close()
	}
}

// BenchmarkRandomWrite4k measures small writes scattered over a 1 GiB
// qcow2 image (allocation, L2 cache, refcounts).
func BenchmarkRandomWrite4k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "img")
	if err := Create(path, CreateOptions{Format: FormatQcow2, Size: 1 << 30}); err != nil {
		b.Fatal(err)
	}
	img, err := Open(path, OpenOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer img.Close()
	buf := make([]byte, 4096)
	b.SetBytes(4096)
	x := uint64(12345)
	b.ResetTimer()
	for range b.N {
		x = x*6364136223846793005 + 1442695040888963407
		off := int64(x>>34) % (1 << 30) &^ 4095
		if _, err := img.WriteAt(buf, off); err != nil {
			b.Fatal(err)
		}
	}
}
