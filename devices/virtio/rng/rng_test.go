package rng

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"os"
	"testing"

	"mimic/devices/virtio/virtiotest"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

type counting struct{ n byte }

func (c *counting) Read(p []byte) (int, error) {
	for i := range p {
		c.n++
		p[i] = c.n
	}
	return len(p), nil
}

func TestFillsWritableBuffers(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		d := New(&counting{})
		drv := virtiotest.New(t, d, virtiotest.Options{Legacy: legacy})
		_, addrs := drv.Submit(0, false, virtiotest.Buf{Write: true, Len: 3}, virtiotest.Buf{Write: true, Len: 5})
		u := drv.TakeUsed(0)
		if len(u) != 1 || u[0].Len != 8 {
			t.Fatalf("legacy=%v: used %v, want one of 8 bytes", legacy, u)
		}
		got := append(append([]byte{}, drv.Mem(addrs[0], 3)...), drv.Mem(addrs[1], 5)...)
		if !bytes.Equal(got, []byte{1, 2, 3, 4, 5, 6, 7, 8}) || d.Served() != 8 {
			t.Errorf("legacy=%v: buffers %v, served %d", legacy, got, d.Served())
		}
	}
}

func TestHostRandom(t *testing.T) {
	drv := virtiotest.New(t, New(nil), virtiotest.Options{})
	_, addrs := drv.Submit(0, true, virtiotest.Buf{Write: true, Len: 64})
	if u := drv.TakeUsed(0); len(u) != 1 || u[0].Len != 64 {
		t.Fatalf("used %v", u)
	}
	if bytes.Equal(drv.Mem(addrs[0], 64), make([]byte, 64)) {
		t.Error("64 zero bytes from crypto/rand")
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func TestFailingSourceCompletesEmpty(t *testing.T) {
	drv := virtiotest.New(t, New(failing{}), virtiotest.Options{})
	drv.Submit(0, false, virtiotest.Buf{Write: true, Len: 16})
	if u := drv.TakeUsed(0); len(u) != 1 || u[0].Len != 0 {
		t.Errorf("used %v, want one empty completion", u)
	}
}
