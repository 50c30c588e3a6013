package net

import (
	"testing"

	"mimic/devices/virtio/virtiotest"
)

// BenchmarkReceive moves 64 KiB of TCP payload per op from the back end
// into 4 KiB mergeable receive buffers: as 45 MTU-sized frames, as one
// GSO packet, and as one segment the device cuts for a guest without
// GUEST_TSO4. The driver's side (offering buffers, reading the used ring)
// is included.
func BenchmarkReceive(b *testing.B) {
	const payload = 45 * 1448
	for _, bc := range []struct {
		name string
		want uint64
		gso  bool
	}{
		{"mtu-frames", 0, false},
		{"gso", 0, true},
		{"gso-cut-by-device", FGuestCsum | FMrgRxBuf, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			be := &offloadBackend{}
			dev := New(testMAC, be, func(fn func()) { fn() })
			drv := virtiotest.New(b, dev, virtiotest.Options{Want: bc.want})
			big := partialFrame(pattern(payload), 1, 0x10)
			var small [][]byte
			for i := 0; i < payload; i += 1448 {
				small = append(small, tcpFrame(pattern(1448), uint32(1+i), 0x10))
			}
			bufs := 45
			if bc.gso && bc.want == 0 {
				bufs = (len(big) + 12 + 4095) / 4096
			}
			b.SetBytes(payload)
			b.ReportAllocs()
			b.ResetTimer()
			// The same buffers every time: virtiotest's allocator wraps
			// around onto the rings.
			addrs := make([]uint64, bufs)
			for range b.N {
				for i := range addrs {
					_, a := drv.Offer(rxQueue, false, virtiotest.Buf{Write: true, Len: 4096, Addr: addrs[i]})
					addrs[i] = a[0]
				}
				if bc.gso {
					be.deliverMSS(big, 1448)
				} else {
					for _, f := range small {
						be.deliverMSS(f, 0)
					}
				}
				drv.Notify(rxQueue)
				drv.TakeUsed(rxQueue)
			}
			b.StopTimer()
			if s := dev.Stats(); s.RxDropped != 0 {
				b.Errorf("%d frames dropped", s.RxDropped)
			}
		})
	}
}
