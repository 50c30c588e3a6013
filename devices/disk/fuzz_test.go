package disk

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzOpenQcow2 opens arbitrary bytes as a qcow2 image: Open must fail
// with a one-line error or give an image that reads, writes, flushes,
// closes and checks without panicking or hanging. The seeds in
// testdata/fuzz/FuzzOpenQcow2 are small images made by Mimic and by
// qemu-img (version 2, compressed, snapshot, backing file, 1-bit
// refcounts, a persistent bitmap), all with 512-byte clusters.
//
//	go test -run XXX -fuzz FuzzOpenQcow2 -fuzzminimizetime 3s ./devices/disk/
//
// (The default minimisation time of a minute per new input makes the
// fuzzer look stalled, as the images are a few KiB.)
func FuzzOpenQcow2(f *testing.F) {
	// One more seed built here, so the fuzzer also starts from the
	// default layout.
	dir := f.TempDir()
	seed := filepath.Join(dir, "seed")
	if err := Create(seed, CreateOptions{Format: FormatQcow2, Size: 1 << 20, ClusterSize: 4096}); err != nil {
		f.Fatal(err)
	}
	b, _ := os.ReadFile(seed)
	f.Add(b)
	path := filepath.Join(dir, "fuzz.qcow2")
	// Keep each run short: hostile tables can make a check visit the same
	// L2 tables over and over (Check stops with an error at the budget).
	maxCheckEntries = 1 << 22
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4<<20 {
			return
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		fuzzOne(t, path)
	})
}

func fuzzOne(t *testing.T, path string) {
	oneLine := func(what string, err error) {
		if err != nil && (strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), path)) {
			t.Fatalf("%s: error %q is not one line naming the file", what, err)
		}
	}
	// Cache "unsafe": no fsync, for speed. The backing file is not
	// opened: a hostile name could be any file (a FIFO would block).
	h, err := openHostFile(path, false, cacheMode{mode: CacheUnsafe, noFlush: true})
	if err != nil {
		t.Fatal(err)
	}
	q, err := openQcow2(h, qcow2Options{noBacking: true}, nil)
	if err != nil {
		h.close()
		oneLine("open", err)
		if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("open: unexpected error kind: %v", err)
		}
		return
	}
	size := q.Size()
	buf := make([]byte, 8192)
	for _, off := range []int64{0, size / 3, size - int64(len(buf))} {
		if off < 0 || off+int64(len(buf)) > size {
			continue
		}
		_, err := q.ReadAt(buf, off)
		oneLine("read", err)
	}
	data := bytes.Repeat([]byte{0xa5}, len(buf))
	for _, off := range []int64{0, size/2 + 700, size - int64(len(buf))} {
		if off < 0 || off+int64(len(buf)) > size {
			continue
		}
		if _, err := q.WriteAt(data, off); err != nil {
			oneLine("write", err)
			continue
		}
		got := make([]byte, len(data))
		if _, err := q.ReadAt(got, off); err == nil && !bytes.Equal(got, data) {
			t.Fatalf("read after write at %d differs", off)
		}
	}
	if size > 0 {
		oneLine("discard", q.Discard(0, min(size, 1<<16)))
	}
	oneLine("flush", q.Flush())
	q.Close()
	_, err = Check(path, CheckOptions{NoLock: true})
	oneLine("check", err)
	_, err = Info(path, InfoOptions{NoLock: true})
	oneLine("info", err)
}
