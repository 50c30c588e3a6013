package lan9118

import (
	"encoding/binary"
	"hash/crc32"
)

// TX command A and B bits (datasheet 3.12.2).
const (
	cmdAIOC       = 1 << 31
	cmdAFirstSeg  = 1 << 13
	cmdALastSeg   = 1 << 12
	cmdAMask      = 0x831f37ff
	cmdBTagMask   = 0xffff0000
	txStatusError = 1 << 15
)

// txPush takes one word written to the TX data FIFO: command A, command
// B, then the buffer's data words (after the data start offset) and its
// end padding. A buffer with LS set ends the frame, which is sent.
func (d *Device) txPush(val uint32) {
	t := &d.tx
	if t.fifoWords*4 >= txFIFOBytes {
		d.intSts |= intTDFO
		d.guestError("TX data FIFO overrun (a frame without a last segment?)")
		return
	}
	t.fifoWords++
	switch t.state {
	case txIdle:
		t.cmdA = val & cmdAMask
		t.state = txB
	case txB:
		if t.cmdA&cmdAFirstSeg != 0 {
			t.cmdB = val
			t.frame = t.frame[:0]
			t.overflow = false
		}
		size, off := bufSize(t.cmdA), bufOffset(t.cmdA)
		t.words = (off + size + 3) / 4
		switch t.cmdA >> 24 & 3 { // buffer end alignment
		case 1:
			t.pad = -t.words & 3
		case 2:
			t.pad = -t.words & 7
		default:
			t.pad = 0
		}
		t.index = 0
		t.state = txData
		if t.words == 0 && t.pad == 0 {
			d.txEndBuffer()
		}
	case txData:
		if t.index < t.words {
			size, off := bufSize(t.cmdA), bufOffset(t.cmdA)
			for k := range 4 {
				b := t.index*4 + k
				if b < off || b >= off+size {
					continue
				}
				if len(t.frame) == maxFrame {
					t.overflow = true
					continue
				}
				t.frame = append(t.frame, byte(val>>(8*k)))
			}
			t.index++
		} else {
			t.pad--
		}
		if t.index == t.words && t.pad == 0 {
			d.txEndBuffer()
		}
	}
}

func bufSize(cmdA uint32) int   { return int(cmdA & 0x7ff) }
func bufOffset(cmdA uint32) int { return int(cmdA >> 16 & 0x1f) }

// txEndBuffer finishes a buffer: the frame goes out after its last
// segment, and the buffer's IOC raises TX_IOC.
func (d *Device) txEndBuffer() {
	t := &d.tx
	if t.cmdA&cmdALastSeg != 0 {
		d.txSend()
	}
	if t.cmdA&cmdAIOC != 0 {
		d.intSts |= intTxIOC
	}
	t.state = txIdle
}

// txSend sends the assembled frame and queues its status word.
func (d *Device) txSend() {
	t := &d.tx
	status := t.cmdB & cmdBTagMask
	switch {
	case t.overflow:
		d.guestError("TX frame longer than the 2048-byte packet buffer: dropped")
		d.intSts |= intTxE
		status |= txStatusError
	case d.phyControl&bmcrLoop != 0:
		// PHY loopback: the frame comes back to the receiver; with
		// no room it is lost, as on the wire.
		d.receive(t.frame)
	case d.backend != nil:
		d.backend.Send(t.frame)
	}
	t.frame = t.frame[:0]
	t.overflow = false
	t.fifoWords = 0
	if len(d.txStatus) == txStatusLen {
		return // status FIFO full: the status is lost (QEMU)
	}
	d.txStatus = append(d.txStatus, status)
	if len(d.txStatus) == txStatusLen {
		d.intSts |= intTSFF
	}
}

// txDump empties the TX data FIFO (TXD_DUMP).
func (d *Device) txDump() {
	d.tx = txPacket{state: txIdle, cmdA: 0xffffffff, cmdB: d.tx.cmdB, frame: d.tx.frame[:0]}
}

// RX status bits (datasheet 3.13.3).
const (
	rxStsFilterFail = 1 << 30
	rxStsBroadcast  = 1 << 13
	rxStsMulticast  = 1 << 10
)

// receive puts one frame in the RX FIFOs. It reports false when there is
// no room for it (the frame waits); frames it drops (receiver off, bad
// length, filtered out) count as taken.
func (d *Device) receive(buf []byte) bool {
	if d.macCR&macCRRxEn == 0 || len(buf) >= maxFrame || len(buf) < minFrame {
		return true
	}
	if len(d.rxStatus) == rxStatusLen {
		return false
	}
	pass := d.filter(buf)
	if !pass && d.macCR&macCRRxAll == 0 {
		return true
	}
	// RXDOFF's low two bits shift the frame within the first word (the
	// bytes before it read as zero); its upper bits are whole words of
	// zeros added as the guest reads (rxDataPop).
	shift := int(d.rxCfg>>8) & 3
	words := (shift + len(buf) + 4 + 3) / 4
	if rxFIFOWords-len(d.rxData) < words {
		return false
	}
	var w [4]byte
	n := shift
	push := func(b byte) {
		w[n] = b
		if n++; n == 4 {
			d.rxData = append(d.rxData, binary.LittleEndian.Uint32(w[:]))
			w, n = [4]byte{}, 0
		}
	}
	for _, b := range buf {
		push(b)
	}
	var fcs [4]byte
	binary.LittleEndian.PutUint32(fcs[:], crc32.ChecksumIEEE(buf))
	for _, b := range fcs {
		push(b)
	}
	if n != 0 {
		d.rxData = append(d.rxData, binary.LittleEndian.Uint32(w[:]))
	}
	d.rxSizes = append(d.rxSizes, words)
	status := uint32(len(buf)+4) << 16
	switch {
	case isBroadcast(buf):
		status |= rxStsBroadcast
	case buf[0]&1 != 0:
		status |= rxStsMulticast
	}
	if !pass {
		status |= rxStsFilterFail
	}
	d.rxStatus = append(d.rxStatus, status)
	if len(d.rxStatus) > int(d.fifoInt&0xff) {
		d.intSts |= intRSFL
	}
	d.update()
	return true
}

func isBroadcast(b []byte) bool {
	return b[0]&b[1]&b[2]&b[3]&b[4]&b[5] == 0xff
}

// filter reports whether the MAC's address filter passes a frame
// (datasheet 3.7.2, QEMU's lan9118_filter).
func (d *Device) filter(buf []byte) bool {
	if d.macCR&macCRPrms != 0 {
		return true
	}
	if isBroadcast(buf) {
		return d.macCR&macCRBcast == 0 // BCAST disables broadcasts
	}
	multicast := buf[0]&1 != 0
	if multicast && d.macCR&macCRMCPas != 0 {
		return true
	}
	hash := d.macCR&macCRHO != 0
	if multicast {
		hash = d.macCR&macCRHPFilt != 0
	}
	if !hash {
		match := [6]byte(buf[:6]) == d.mac
		return match != (d.macCR&macCRInvFilt != 0)
	}
	i := mcastIndex(buf[:6])
	if i&0x20 != 0 {
		return d.hashH>>(i&0x1f)&1 != 0
	}
	return d.hashL>>(i&0x1f)&1 != 0
}

// mcastIndex is the 6-bit hash of a destination address: the top bits
// of its big-endian (MSB-first register) Ethernet CRC.
func mcastIndex(addr []byte) uint32 {
	crc := uint32(0xffffffff)
	for _, b := range addr {
		for range 8 {
			carry := crc>>31 ^ uint32(b&1)
			crc <<= 1
			b >>= 1
			if carry != 0 {
				crc = crc ^ 0x04c11db6 | carry
			}
		}
	}
	return crc >> 26
}

// rxDataPop reads one word of the RX data FIFO: the leading offset
// words, the packet's words, its end padding; RXE when there is nothing.
func (d *Device) rxDataPop() uint32 {
	p := &d.rxp
	if p.offset == 0 && p.size == 0 && p.pad == 0 {
		d.rxStart()
	}
	var v uint32
	switch {
	case p.offset > 0:
		p.offset--
	case p.size > 0:
		p.size--
		v = d.rxData[0]
		d.rxData = d.rxData[1:]
		if p.size == 0 {
			defer d.refill()
		}
	case p.pad > 0:
		p.pad--
	default:
		d.intSts |= intRxE
	}
	d.update()
	return v
}

// rxStart begins reading the next packet, if there is one.
func (d *Device) rxStart() {
	if len(d.rxSizes) == 0 {
		return
	}
	p := &d.rxp
	p.size = d.rxSizes[0]
	d.rxSizes = d.rxSizes[1:]
	p.offset = int(d.rxCfg>>10) & 7
	n := p.offset + p.size
	switch d.rxCfg >> 30 { // RX end alignment
	case 1:
		p.pad = -n & 3
	case 2:
		p.pad = -n & 7
	default:
		p.pad = 0
	}
}

// rxFastForward discards the rest of the packet being read, or the next
// one if none is (RX_DP_CTRL's RX_FFWD).
func (d *Device) rxFastForward() {
	p := &d.rxp
	if p.offset == 0 && p.size == 0 && p.pad == 0 {
		d.rxStart()
	}
	d.rxData = d.rxData[p.size:]
	d.rxp = rxPacket{}
	d.refill()
}

// rxDump empties the RX data and status FIFOs (RX_DUMP).
func (d *Device) rxDump() {
	d.rxData, d.rxSizes, d.rxStatus = d.rxData[:0], d.rxSizes[:0], d.rxStatus[:0]
	d.rxp = rxPacket{}
}

// deliver queues a frame from the back end (any goroutine).
func (d *Device) deliver(frame []byte) {
	d.mu.Lock()
	if len(d.pending) >= maxPending {
		d.dropped++
		d.newDrops++
		d.mu.Unlock()
		return
	}
	d.pending = append(d.pending, append([]byte(nil), frame...))
	post := !d.posted
	d.posted = true
	d.mu.Unlock()
	if post {
		d.post(d.drainFn)
	}
}

// drainPosted runs on the machine's goroutine after deliver.
func (d *Device) drainPosted() {
	d.mu.Lock()
	d.posted = false
	d.rxDrop += d.newDrops
	d.newDrops = 0
	d.mu.Unlock()
	d.refill()
}

// refill moves waiting frames into the RX FIFOs while they fit.
func (d *Device) refill() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for len(d.pending) > 0 && d.receive(d.pending[0]) {
		d.pending[0] = nil
		d.pending = d.pending[1:]
	}
	if len(d.pending) == 0 {
		d.pending = nil
	}
}
