// Package lan9118 models the SMSC LAN9118 10/100 Ethernet controller
// (SMSC LAN9118 datasheet, rev. 1.5) as QEMU presents it
// (hw/net/lan9118.c), in its 32-bit bus mode: the controller that QEMU's
// mps2-an385/an386 boards put at 0x40200000, used by Zephyr's
// eth_smsc911x driver and the lwIP ports for those boards. It knows
// nothing of the board or the CPU: it has an MMIO window, one interrupt
// output, the machine's clock, and a network back end.
//
// # Interface
//
//   - MMIO: one WindowSize (256-byte) window. 0x00-0x1c read pops the RX
//     data FIFO, 0x20-0x3c write pushes the TX data FIFO, 0x40 RX status
//     FIFO (pop), 0x44 its peek, 0x48 TX status FIFO (pop), 0x4c its
//     peek, 0x50-0xb4 the system control and status registers (CSRs,
//     datasheet 5.3), among them MAC_CSR_CMD/MAC_CSR_DATA, the window onto
//     the MAC CSRs (5.4) and through MII_ACC/MII_DATA onto the PHY's
//     registers (5.5). Accesses are 32 bits; narrower reads of a register
//     without read side effects see its low bytes; anything else is a
//     guest error (read 0, write ignored).
//   - IRQ: one output, the IRQ pin. As in QEMU it follows IRQ_CFG: it is
//     active low unless IRQ_POL and IRQ_TYPE (active high, push-pull) are
//     both set, so with IRQ_CFG at its reset value the line is high.
//   - Network: a Backend. Frames the guest transmits go to Send; frames
//     the back end delivers (on any goroutine) are queued and moved into
//     the RX FIFO on the machine's goroutine through the post function
//     the board gives (the clock's Post).
//   - Time: the general-purpose timer counts at 10 kHz and FREE_RUN at
//     25 MHz on the machine's virtual clock.
//
// # What matches QEMU
//
// The register file, reset values and masks; the RX filter (promiscuous
// at reset, broadcast, multicast pass-all, perfect and hash filtering,
// inverse filtering, RXALL); RX data offset and end alignment, RX_DUMP,
// TX command A/B words with data start offset, TXD_DUMP and TXS_DUMP; the
// status words; the interrupts raised (RSFL on the status level,
// TX_IOC, TSFF, TDFO, RXE, RXSTOP, SW, GPT, PHY); PHY loopback (BMCR bit
// 14) feeding transmitted frames back into the receiver; the EEPROM with
// 0xa5 and the MAC address, loaded at reset, and its commands; the PHY
// (ID 0x0007:0xc0d1, link up, autonegotiation complete at once) answering
// at every MII address; TX_ON and MAC_CR's TXEN are ignored as QEMU
// ignores them (frames are always sent).
//
// # Where it deviates from QEMU, on purpose
//
//   - Frames the back end delivers while the RX FIFO is full wait (up to
//     maxPending, then they are dropped and counted in RX_DROP) and enter
//     the FIFO as the guest reads it; QEMU drops them at once. RX_DROP
//     counts drops and clears on read (datasheet); QEMU reads 0.
//   - TX buffers' end alignment comes from command A bits 25:24, per
//     buffer (datasheet); QEMU computes it from a word count and so never
//     pads. Drivers that use 4-byte alignment (all known ones) see no
//     difference.
//   - TX_FIFO_INF's TDFREE is in bytes and the TX status FIFO holds 128
//     entries (the datasheet's 512 bytes); QEMU mixes words and bytes and
//     keeps 512 entries. RX_DP_CTRL's fast-forward discards the rest of the
//     packet and frees its space (QEMU moves the head without freeing).
//     The RX status peek (0x44) peeks the RX status FIFO.
//   - A frame longer than the 2048-byte TX buffer is dropped with TXE and
//     an error status (QEMU overran its buffer in old versions).
//   - The FCS appended to received frames is the real Ethernet CRC (QEMU
//     writes it byte-swapped); drivers discard it either way.
//   - PHY register 31 (special control/status) reports autonegotiation
//     done at 100BASE-TX full duplex; MAC CSRs VLAN1, VLAN2 and WUCSR are
//     kept and read back. QEMU logs those as errors and reads 0 (or, for
//     the MAC CSRs, aborts).
//   - Only the 32-bit bus mode (mps2's): no 16-bit mode, WORD_SWAP is
//     stored and ignored (as QEMU in 32-bit mode).
//   - FIFO level interrupts other than RSFL (RDFL, TDFA, TSFL), wake-up
//     frames, flow control, checksum offload and the GPIOs are not
//     modelled (neither are they in QEMU).
package lan9118

import (
	"encoding/binary"
	"fmt"
	"log/slog"
	"sync"

	"mimic/devices/bus"
	"mimic/devices/clock"
	"mimic/devices/irq"
)

// WindowSize is the size of the MMIO window.
const WindowSize = 0x100

// Backend is the host side of the link (the user-mode network).
type Backend interface {
	// Send transmits one Ethernet frame from the guest; the frame is
	// not retained after Send returns.
	Send(frame []byte)
	// Attach sets the function the back end calls, from any goroutine,
	// with each Ethernet frame for the guest (copied by the callee).
	Attach(deliver func(frame []byte))
}

// Register offsets (datasheet table 5.1).
const (
	regRxData     = 0x00 // ..0x1c
	regTxData     = 0x20 // ..0x3c
	regRxStatus   = 0x40
	regRxStatPeek = 0x44
	regTxStatus   = 0x48
	regTxStatPeek = 0x4c
	regIDRev      = 0x50
	regIRQCfg     = 0x54
	regIntSts     = 0x58
	regIntEn      = 0x5c
	regByteTest   = 0x64
	regFIFOInt    = 0x68
	regRxCfg      = 0x6c
	regTxCfg      = 0x70
	regHWCfg      = 0x74
	regRxDPCtrl   = 0x78
	regRxFIFOInf  = 0x7c
	regTxFIFOInf  = 0x80
	regPMTCtrl    = 0x84
	regGPIOCfg    = 0x88
	regGPTCfg     = 0x8c
	regGPTCnt     = 0x90
	regWordSwap   = 0x98
	regFreeRun    = 0x9c
	regRxDrop     = 0xa0
	regMACCSRCmd  = 0xa4
	regMACCSRData = 0xa8
	regAFCCfg     = 0xac
	regE2PCmd     = 0xb0
	regE2PData    = 0xb4
)

// Constant registers.
const (
	IDRev    = 0x01180001 // LAN9118, revision 1
	ByteTest = 0x87654321
)

// IRQ_CFG bits.
const (
	irqInt  = 1 << 12
	irqEn   = 1 << 8
	irqPol  = 1 << 4
	irqType = 1 << 0
)

// INT_STS / INT_EN bits.
const (
	intSW       = 1 << 31
	intTxStop   = 1 << 25
	intRxStop   = 1 << 24
	intTxIOC    = 1 << 21
	intGPT      = 1 << 19
	intPHY      = 1 << 18
	intRxE      = 1 << 14
	intTxE      = 1 << 13
	intTDFO     = 1 << 10
	intTSFF     = 1 << 8
	intRSFL     = 1 << 3
	intReserved = 0x7c001000
)

// MAC CSR indexes (datasheet 5.4).
const (
	macCR     = 1
	macADDRH  = 2
	macADDRL  = 3
	macHASHH  = 4
	macHASHL  = 5
	macMIIAcc = 6
	macMIIDat = 7
	macFLOW   = 8
	macVLAN1  = 9
	macVLAN2  = 10
	macWUFF   = 11
	macWUCSR  = 12
)

// MAC_CR bits.
const (
	macCRRxAll    = 1 << 31
	macCRMCPas    = 1 << 19
	macCRPrms     = 1 << 18
	macCRInvFilt  = 1 << 17
	macCRHO       = 1 << 15
	macCRHPFilt   = 1 << 13
	macCRBcast    = 1 << 11
	macCRRxEn     = 1 << 2
	macCRReserved = 0x7f404213
)

// PHY registers and bits.
const (
	phyBMCR     = 0
	phyBMSR     = 1
	phyID1      = 2
	phyID2      = 3
	phyANAR     = 4
	phyANLPAR   = 5
	phyANER     = 6
	phyIntSrc   = 29
	phyIntMask  = 30
	phySpecial  = 31
	bmcrReset   = 1 << 15
	bmcrLoop    = 1 << 14
	bmcrANEn    = 1 << 12
	bmsrLink    = 1 << 2
	bmsrANDone  = 1 << 5
	phyIntEnOn  = 0x80
	phyIntANDon = 0x40
)

// Sizes.
const (
	txFIFOBytes    = 4608 // TX data FIFO free at reset (5 KiB less the status FIFO)
	txStatusLen    = 128  // TX status FIFO entries (512 bytes)
	rxFIFOWords    = 2640 // RX data FIFO (10560 bytes)
	rxStatusLen    = 176  // RX status FIFO entries (704 bytes)
	maxFrame       = 2048 // the TX packet buffer, and the RX frame bound
	minFrame       = 14
	maxPending     = 64 // frames waiting for RX FIFO room
	gptHz          = 10_000
	freeRunNsPerTk = 40 // FREE_RUN counts at 25 MHz
)

// TX FIFO parser states.
const (
	txIdle = iota // expecting command A
	txB           // expecting command B
	txData        // data words (and end padding) of a buffer
)

// Config is how the board builds the device.
type Config struct {
	MAC [6]byte // the address in the EEPROM (QEMU: 52:54:00:12:34:56)
	// NoEEPROM leaves the EEPROM erased: the MAC address registers then
	// read ff:ff:ff:ff:ff:ff until the driver writes them.
	NoEEPROM bool
	// Backend is the network; nil for none (frames sent are dropped,
	// the link is up all the same, as QEMU's NIC without a peer).
	Backend Backend
	// Post runs its argument on the machine's goroutine soon (the
	// clock's Post); it is called from the back end's goroutines. Needed
	// only with a Backend.
	Post func(func())
}

// Device is one LAN9118. Create it with New. Its MMIO methods, Reset,
// State and Restore run on the machine's goroutine; only the back end's
// deliver may be called from others.
type Device struct {
	clk     *clock.Clock
	irq     irq.Line
	backend Backend
	post    func(func())

	mac            [6]byte
	eeprom         [128]byte
	eepromWritable bool

	irqCfg, intSts, intEn, fifoInt uint32
	rxCfg, txCfg, hwCfg, pmtCtrl   uint32
	gpioCfg, gptCfg, wordSwap      uint32
	macCmd, macData, afcCfg        uint32
	e2pCmd, e2pData                uint32
	rxDrop                         uint32

	macCR, hashH, hashL, miiAcc, miiData, flow uint32
	vlan1, vlan2, wucsr                        uint32

	phyStatus, phyControl, phyAdvertise, phyInt, phyIntMask uint16

	freeRunStart uint64 // virtual time of FREE_RUN's zero
	gpt          gpt

	tx       txPacket
	txStatus []uint32

	rxData   []uint32 // the RX data FIFO
	rxSizes  []int    // words of each packet in rxData
	rxStatus []uint32
	rxp      rxPacket // the packet the guest is reading

	level bool

	mu       sync.Mutex
	pending  [][]byte // frames from the back end, oldest first
	posted   bool     // a drain is posted
	drainFn  func()
	dropped  uint64 // frames dropped for want of room
	newDrops uint32 // of those, not yet added to RX_DROP
	guestErr uint64
}

// txPacket is the frame being assembled from the TX data FIFO.
type txPacket struct {
	state      int
	cmdA, cmdB uint32
	words      int // data words of this buffer (with the start offset)
	pad        int // end padding words still to come after them
	index      int // data words of this buffer received so far
	fifoWords  int // FIFO words this frame occupies so far
	frame      []byte
	overflow   bool // the frame outgrew the packet buffer
}

// rxPacket is where the guest is in the packet at the head of rxData.
type rxPacket struct {
	offset, size, pad int // words: leading zeros, data, trailing padding
}

// gpt is the general-purpose timer: when running it reaches zero at
// zeroAt, then every 0x10000 ticks.
type gpt struct {
	running bool
	zeroAt  uint64
	ev      *clock.Event
}

var _ bus.Device = (*Device)(nil)

// New returns a LAN9118 in its reset state, driving line (nil:
// unconnected) and timed by clk.
func New(clk *clock.Clock, line irq.Line, cfg Config) *Device {
	if line == nil {
		line = irq.None
	}
	d := &Device{clk: clk, irq: line, backend: cfg.Backend, post: cfg.Post}
	for i := range d.eeprom {
		d.eeprom[i] = 0xff
	}
	if !cfg.NoEEPROM {
		d.eeprom[0] = 0xa5
		copy(d.eeprom[1:7], cfg.MAC[:])
	}
	d.mac = [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	d.pmtCtrl = pmtReady
	d.drainFn = d.drainPosted
	d.Reset()
	if d.backend != nil {
		if d.post == nil {
			panic("BUG: lan9118: a Backend needs Config.Post")
		}
		d.backend.Attach(d.deliver)
	}
	return d
}

const pmtReady = 1 << 0

// Reset is the chip's reset (power-on, or HW_CFG's SRST): registers to
// their reset values, the FIFOs empty, the PHY reset, the MAC address
// reloaded from the EEPROM. Frames waiting for the RX FIFO are kept.
func (d *Device) Reset() {
	d.irqCfg &= irqType | irqPol
	d.intSts, d.intEn = 0, 0
	d.fifoInt = 0x48000000
	d.rxCfg, d.txCfg = 0, 0
	d.hwCfg = 0x00050004
	d.pmtCtrl &= 0x45
	d.gpioCfg = 0
	d.tx = txPacket{state: txIdle, cmdA: 0xffffffff, cmdB: 0xffffffff, frame: d.tx.frame[:0]}
	d.txStatus = d.txStatus[:0]
	d.rxDump()
	d.macCmd, d.macData, d.afcCfg, d.e2pCmd, d.e2pData = 0, 0, 0, 0, 0
	d.rxDrop = 0
	d.freeRunStart = d.clk.Now()
	d.stopGPT()
	d.gptCfg = 0xffff
	d.macCR = macCRPrms
	d.hashH, d.hashL, d.miiAcc, d.miiData, d.flow = 0, 0, 0, 0, 0
	d.vlan1, d.vlan2, d.wucsr = 0, 0, 0
	d.phyReset()
	d.eepromWritable = false
	d.reloadEEPROM()
	// The line is low after reset, whatever IRQ_CFG's active-low reset
	// value would make it: as QEMU's model, it is driven from the first
	// register access on (update). Driving it high here would pend the
	// NVIC interrupt of a board whose firmware never touches the chip.
	d.level = false
	d.irq.Set(false)
}

// GuestErrors returns how many guest errors the device has seen.
func (d *Device) GuestErrors() uint64 { return d.guestErr }

// Dropped returns how many frames from the back end were dropped because
// the guest did not make room for them.
func (d *Device) Dropped() uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.dropped
}

// MAC returns the current station address (ADDRH/ADDRL).
func (d *Device) MAC() [6]byte { return d.mac }

func (d *Device) guestError(msg string, args ...any) {
	d.guestErr++
	slog.Warn("guest error: lan9118: "+msg, args...)
}

func unimplemented(msg string, args ...any) {
	slog.Info("unimplemented: lan9118: "+msg, args...)
}

func hex(v uint64) string { return fmt.Sprintf("%#x", v) }

// update recomputes IRQ_CFG.IRQ_INT and the output line (QEMU's
// lan9118_update).
func (d *Device) update() {
	level := d.intSts&d.intEn != 0
	if level {
		d.irqCfg |= irqInt
	} else {
		d.irqCfg &^= irqInt
	}
	if d.irqCfg&irqEn == 0 {
		level = false
	}
	if d.irqCfg&(irqType|irqPol) != irqType|irqPol {
		level = !level // active low (or open drain)
	}
	d.level = level
	d.irq.Set(level)
}

func (d *Device) reloadEEPROM() {
	if d.eeprom[0] != 0xa5 {
		d.e2pCmd &^= 0x10
		return
	}
	copy(d.mac[:], d.eeprom[1:7])
	d.e2pCmd |= 0x10 // MAC_ADDR_LOADED
}

func (d *Device) phyReset() {
	d.phyStatus = 0x7809
	d.phyControl = 0x3000
	d.phyAdvertise = 0x01e1
	d.phyIntMask, d.phyInt = 0, 0
	// The link is always up; autonegotiation completes at once.
	d.phyStatus |= bmsrLink | bmsrANDone
	d.phyInt |= phyIntEnOn | phyIntANDon
	d.phyUpdateIRQ()
}

func (d *Device) phyUpdateIRQ() {
	if d.phyInt&d.phyIntMask != 0 {
		d.intSts |= intPHY
	} else {
		d.intSts &^= intPHY
	}
	d.update()
}

// Read implements bus.Device.
func (d *Device) Read(off uint64, size int) uint64 {
	if size == 4 && off%4 == 0 {
		return uint64(d.readl(off))
	}
	reg := off &^ 3
	if size > 4 || off%uint64(size) != 0 || sideEffectRead(reg) {
		d.guestError("bad read access", "offset", hex(off), "size", size)
		return 0
	}
	v := uint64(d.readl(reg)) >> (8 * (off & 3))
	return v & (1<<(8*uint(size)) - 1)
}

// sideEffectRead reports whether reading the register at reg changes
// state.
func sideEffectRead(reg uint64) bool {
	return reg < regIDRev || reg == regRxDrop
}

// Write implements bus.Device.
func (d *Device) Write(off uint64, size int, val uint64) {
	if size != 4 || off%4 != 0 {
		d.guestError("bad write access (the registers are 32 bits)", "offset", hex(off), "size", size, "value", hex(val))
		return
	}
	d.writel(off, uint32(val))
}

func (d *Device) readl(off uint64) uint32 {
	switch {
	case off < regTxData:
		return d.rxDataPop()
	case off < regRxStatus:
		d.guestError("read of the TX data FIFO", "offset", hex(off))
		return 0
	}
	switch off {
	case regRxStatus:
		if len(d.rxStatus) == 0 {
			return 0
		}
		v := d.rxStatus[0]
		d.rxStatus = d.rxStatus[1:]
		d.refill()
		return v
	case regRxStatPeek:
		if len(d.rxStatus) == 0 {
			return 0
		}
		return d.rxStatus[0]
	case regTxStatus:
		if len(d.txStatus) == 0 {
			return 0
		}
		v := d.txStatus[0]
		d.txStatus = d.txStatus[1:]
		return v
	case regTxStatPeek:
		if len(d.txStatus) == 0 {
			return 0
		}
		return d.txStatus[0]
	case regIDRev:
		return IDRev
	case regIRQCfg:
		return d.irqCfg
	case regIntSts:
		return d.intSts
	case regIntEn:
		return d.intEn
	case regByteTest:
		return ByteTest
	case regFIFOInt:
		return d.fifoInt
	case regRxCfg:
		return d.rxCfg
	case regTxCfg:
		return d.txCfg
	case regHWCfg:
		return d.hwCfg
	case regRxDPCtrl:
		return 0
	case regRxFIFOInf:
		return uint32(len(d.rxStatus))<<16 | uint32(len(d.rxData)*4)&0xffff
	case regTxFIFOInf:
		return uint32(len(d.txStatus))<<16 | uint32(txFIFOBytes-4*d.tx.fifoWords)
	case regPMTCtrl:
		return d.pmtCtrl
	case regGPIOCfg:
		return d.gpioCfg
	case regGPTCfg:
		return d.gptCfg
	case regGPTCnt:
		return d.gptCount(d.clk.Now())
	case regWordSwap:
		return d.wordSwap
	case regFreeRun:
		return uint32((d.clk.Now() - d.freeRunStart) / freeRunNsPerTk)
	case regRxDrop:
		v := d.rxDrop
		d.rxDrop = 0
		return v
	case regMACCSRCmd:
		return d.macCmd
	case regMACCSRData:
		return d.macData
	case regAFCCfg:
		return d.afcCfg
	case regE2PCmd:
		return d.e2pCmd
	case regE2PData:
		return d.e2pData
	}
	d.guestError("read of a reserved register", "offset", hex(off))
	return 0
}

func (d *Device) writel(off uint64, val uint32) {
	switch {
	case off < regTxData:
		d.guestError("write to the RX data FIFO", "offset", hex(off), "value", hex(uint64(val)))
		return
	case off < regRxStatus:
		d.txPush(val)
		d.update()
		return
	}
	switch off {
	case regIRQCfg:
		// INT_DEAS (the deassertion interval) is not modelled.
		d.irqCfg = d.irqCfg&irqInt | val&(irqEn|irqPol|irqType)
	case regIntSts:
		d.intSts &^= val
	case regIntEn:
		d.intEn = val &^ intReserved
		d.intSts |= val & intSW
	case regFIFOInt:
		d.fifoInt = val
	case regRxCfg:
		if val&0x8000 != 0 { // RX_DUMP
			d.rxDump()
			defer d.refill()
		}
		d.rxCfg = val & 0xcfff1ff0
	case regTxCfg:
		if val&0x8000 != 0 { // TXS_DUMP
			d.txStatus = d.txStatus[:0]
		}
		if val&0x4000 != 0 { // TXD_DUMP
			d.txDump()
		}
		d.txCfg = val & 6
	case regHWCfg:
		if val&1 != 0 { // SRST
			d.Reset()
			return
		}
		d.hwCfg = val&0x003f300 | d.hwCfg&4
	case regRxDPCtrl:
		if val&0x80000000 != 0 { // RX_FFWD
			d.rxFastForward()
		}
	case regPMTCtrl:
		if val&0x400 != 0 { // PHY_RST
			d.phyReset()
		}
		d.pmtCtrl = d.pmtCtrl&^0x34e | val&0x34e
	case regGPIOCfg:
		d.gpioCfg = val & 0x7777071f
	case regGPTCfg:
		d.writeGPTCfg(val)
	case regWordSwap:
		d.wordSwap = val
	case regMACCSRCmd:
		d.macCmd = val & 0x400000ff
		if val&0x80000000 != 0 { // CSR_BUSY: do it now
			if val&0x40000000 != 0 {
				d.macData = d.macRead(int(val & 0xff))
			} else {
				d.macWrite(int(val&0xff), d.macData)
			}
		}
	case regMACCSRData:
		d.macData = val
	case regAFCCfg:
		d.afcCfg = val & 0x00ffffff
	case regE2PCmd:
		d.eepromCmd(int(val>>28)&7, int(val&0x7f))
	case regE2PData:
		d.e2pData = val & 0xff
	case regIDRev, regByteTest, regRxFIFOInf, regTxFIFOInf, regGPTCnt, regFreeRun, regRxDrop,
		regRxStatus, regRxStatPeek, regTxStatus, regTxStatPeek:
		d.guestError("write to a read-only register", "offset", hex(off), "value", hex(uint64(val)))
	default:
		d.guestError("write to a reserved register", "offset", hex(off), "value", hex(uint64(val)))
	}
	d.update()
}

// macRead reads MAC CSR reg.
func (d *Device) macRead(reg int) uint32 {
	switch reg {
	case macCR:
		return d.macCR
	case macADDRH:
		return uint32(d.mac[4]) | uint32(d.mac[5])<<8
	case macADDRL:
		return binary.LittleEndian.Uint32(d.mac[:4])
	case macHASHH:
		return d.hashH
	case macHASHL:
		return d.hashL
	case macMIIAcc:
		return d.miiAcc
	case macMIIDat:
		return d.miiData
	case macFLOW:
		return d.flow
	case macVLAN1:
		return d.vlan1
	case macVLAN2:
		return d.vlan2
	case macWUCSR:
		return d.wucsr
	case macWUFF:
		unimplemented("read of WUFF (wake-up frames)")
		return 0
	}
	d.guestError("read of a reserved MAC CSR", "index", reg)
	return 0
}

// macWrite writes MAC CSR reg.
func (d *Device) macWrite(reg int, val uint32) {
	switch reg {
	case macCR:
		if d.macCR&macCRRxEn != 0 && val&macCRRxEn == 0 {
			d.intSts |= intRxStop
		}
		d.macCR = val &^ macCRReserved
		if d.macCR&macCRRxEn != 0 {
			d.refill()
		}
	case macADDRH:
		d.mac[4], d.mac[5] = byte(val), byte(val>>8)
	case macADDRL:
		binary.LittleEndian.PutUint32(d.mac[:4], val)
	case macHASHH:
		d.hashH = val
	case macHASHL:
		d.hashL = val
	case macMIIAcc:
		d.miiAcc = val & 0xffc2 // MIIBZY reads 0: done at once
		reg := int(val>>6) & 0x1f
		if val&2 != 0 {
			d.phyWrite(reg, uint16(d.miiData))
		} else {
			d.miiData = uint32(d.phyRead(reg))
		}
	case macMIIDat:
		d.miiData = val & 0xffff
	case macFLOW:
		d.flow = val & 0xffff0000
	case macVLAN1:
		d.vlan1 = val & 0xffff
	case macVLAN2:
		d.vlan2 = val & 0xffff
	case macWUCSR:
		d.wucsr = val & 0x206
	case macWUFF:
		unimplemented("write of WUFF (wake-up frames)")
	default:
		d.guestError("write to a reserved MAC CSR", "index", reg, "value", hex(uint64(val)))
	}
}

func (d *Device) phyRead(reg int) uint16 {
	switch reg {
	case phyBMCR:
		return d.phyControl
	case phyBMSR:
		return d.phyStatus
	case phyID1:
		return 0x0007
	case phyID2:
		return 0xc0d1
	case phyANAR:
		return d.phyAdvertise
	case phyANLPAR:
		return 0x0f71
	case phyANER:
		return 1
	case phyIntSrc:
		v := d.phyInt
		d.phyInt = 0
		d.phyUpdateIRQ()
		return v
	case phyIntMask:
		return d.phyIntMask
	case phySpecial:
		return 1<<12 | 6<<2 // autodone, 100BASE-TX full duplex
	}
	unimplemented("PHY register read", "reg", reg)
	return 0
}

func (d *Device) phyWrite(reg int, val uint16) {
	switch reg {
	case phyBMCR:
		if val&bmcrReset != 0 {
			d.phyReset()
			return
		}
		d.phyControl = val & 0x7980
		if val&bmcrANEn != 0 {
			d.phyStatus |= bmsrANDone
		}
	case phyANAR:
		d.phyAdvertise = val&0x2d7f | 0x80
	case phyIntMask:
		d.phyIntMask = val & 0xff
		d.phyUpdateIRQ()
	default:
		unimplemented("PHY register write", "reg", reg, "value", hex(uint64(val)))
	}
}

func (d *Device) eepromCmd(cmd, addr int) {
	d.e2pCmd = d.e2pCmd&0x10 | uint32(cmd)<<28 | uint32(addr)
	switch cmd {
	case 0: // READ
		d.e2pData = uint32(d.eeprom[addr])
	case 1: // EWDS
		d.eepromWritable = false
	case 2: // EWEN
		d.eepromWritable = true
	case 3: // WRITE: bits can only be cleared, as in the real part
		if d.eepromWritable {
			d.eeprom[addr] &= byte(d.e2pData)
		}
	case 4: // WRAL
		if d.eepromWritable {
			for i := range d.eeprom {
				d.eeprom[i] &= byte(d.e2pData)
			}
		}
	case 5: // ERASE
		if d.eepromWritable {
			d.eeprom[addr] = 0xff
		}
	case 6: // ERAL
		if d.eepromWritable {
			for i := range d.eeprom {
				d.eeprom[i] = 0xff
			}
		}
	case 7: // RELOAD
		d.reloadEEPROM()
	}
}
