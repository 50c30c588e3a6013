package usernet

import (
	"io"
	"net"
	"net/netip"
	"testing"
	"time"
)

const benchSize = 256 << 20

// BenchmarkTCP moves 256 MiB per iteration over one TCP connection between
// a host socket and the test guest's gVisor stack, through the Network
// (guest stack -> Send -> Network stack -> host socket, and back through
// deliver). Run with -benchtime=1x for one transfer. It measures both
// netstacks: the guest's costs as much as the Network's.
func BenchmarkTCP(b *testing.B) {
	for _, bc := range []struct {
		name   string
		toHost bool
		opt    guestOptions
	}{
		{"guest-to-host", true, guestOptions{}},
		{"host-to-guest", false, guestOptions{}},
		{"guest-to-host-TSO", true, guestOptions{tso: true}},
		{"host-to-guest-offload", false, guestOptions{offload: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			g := newTestGuest(b, Config{}, bc.opt)
			g.configure(netip.PrefixFrom(g.lease(guestMAC, 1), 24), ipHost)
			ln := listenTCP(b)
			chunk := randomData(7, 256<<10)
			errc := make(chan error, 1)
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					if bc.toHost {
						_, err = io.Copy(io.Discard, c)
					} else {
						err = writeN(c, chunk, benchSize)
					}
					c.Close()
					errc <- err
				}
			}()
			b.SetBytes(benchSize)
			b.ReportAllocs()
			before := g.nw.Stats()
			b.ResetTimer()
			for range b.N {
				c, err := g.dialTCP(testCtx(b), netip.AddrPortFrom(ipHost, port(ln.Addr())))
				if err != nil {
					b.Fatal(err)
				}
				c.SetDeadline(time.Now().Add(5 * time.Minute))
				if bc.toHost {
					err = writeN(c, chunk, benchSize)
					c.CloseWrite()
					io.Copy(io.Discard, c)
				} else {
					var n int64
					n, err = io.Copy(io.Discard, c)
					if err == nil && n != benchSize {
						b.Errorf("guest read %d bytes, want %d", n, benchSize)
					}
				}
				if err != nil {
					b.Fatal(err)
				}
				if err := <-errc; err != nil {
					b.Fatal(err)
				}
				c.Close()
			}
			b.StopTimer()
			st := g.nw.Stats()
			frames := st.FramesFromGuest - before.FramesFromGuest + st.FramesToGuest - before.FramesToGuest
			b.ReportMetric(float64(frames)/float64(b.N), "frames/op")
			b.ReportMetric(float64(st.DroppedToGuest-before.DroppedToGuest)/float64(b.N), "drops/op")
		})
	}
}

func writeN(w net.Conn, chunk []byte, n int) error {
	for n > 0 {
		k := min(n, len(chunk))
		if _, err := w.Write(chunk[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}
