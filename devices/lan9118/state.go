package lan9118

import (
	"errors"
	"fmt"
	"slices"
)

// StateVersion is the version of State this package writes.
const StateVersion = 1

// State is a snapshot of a Device. Times are saved as counts at the
// moment of the snapshot (GPT_CNT, FREE_RUN); restore the clock before
// the devices. Frames the back end has delivered but the RX FIFO has not
// yet taken are not saved: they are lost, as on a wire.
type State struct {
	Version int

	MAC            [6]byte
	EEPROM         [128]byte
	EEPROMWritable bool

	IRQCfg, IntSts, IntEn, FIFOInt uint32
	RxCfg, TxCfg, HWCfg, PMTCtrl   uint32
	GPIOCfg, GPTCfg, WordSwap      uint32
	MACCmd, MACData, AFCCfg        uint32
	E2PCmd, E2PData, RxDrop        uint32

	MACCR, HashH, HashL, MIIAcc, MIIData, Flow uint32
	VLAN1, VLAN2, WUCSR                        uint32

	PHYStatus, PHYControl, PHYAdvertise, PHYInt, PHYIntMask uint16

	FreeRun    uint32 // FREE_RUN
	GPTRunning bool
	GPTCount   uint32 // ticks to the timer's next zero, when running

	// The TX data FIFO's frame in progress.
	TxState                         int // 0 idle, 1 command B next, 2 data
	TxCmdA, TxCmdB                  uint32
	TxWords, TxPad, TxIndex, TxFIFO int
	TxFrame                         []byte
	TxOverflow                      bool
	TxStatus                        []uint32

	RxData   []uint32 // the RX data FIFO, oldest word first
	RxSizes  []int    // words of each packet in RxData not yet begun
	RxStatus []uint32
	// The packet being read: leading offset words, data words and end
	// padding words still to come.
	RxOffset, RxSize, RxPad int
}

// State returns a snapshot of the device.
func (d *Device) State() State {
	now := d.clk.Now()
	s := State{
		Version: StateVersion,
		MAC:     d.mac, EEPROM: d.eeprom, EEPROMWritable: d.eepromWritable,
		IRQCfg: d.irqCfg, IntSts: d.intSts, IntEn: d.intEn, FIFOInt: d.fifoInt,
		RxCfg: d.rxCfg, TxCfg: d.txCfg, HWCfg: d.hwCfg, PMTCtrl: d.pmtCtrl,
		GPIOCfg: d.gpioCfg, GPTCfg: d.gptCfg, WordSwap: d.wordSwap,
		MACCmd: d.macCmd, MACData: d.macData, AFCCfg: d.afcCfg,
		E2PCmd: d.e2pCmd, E2PData: d.e2pData, RxDrop: d.rxDrop,
		MACCR: d.macCR, HashH: d.hashH, HashL: d.hashL, MIIAcc: d.miiAcc, MIIData: d.miiData, Flow: d.flow,
		VLAN1: d.vlan1, VLAN2: d.vlan2, WUCSR: d.wucsr,
		PHYStatus: d.phyStatus, PHYControl: d.phyControl, PHYAdvertise: d.phyAdvertise,
		PHYInt: d.phyInt, PHYIntMask: d.phyIntMask,
		FreeRun:    uint32((now - d.freeRunStart) / freeRunNsPerTk),
		GPTRunning: d.gpt.running,
		TxState:    d.tx.state, TxCmdA: d.tx.cmdA, TxCmdB: d.tx.cmdB,
		TxWords: d.tx.words, TxPad: d.tx.pad, TxIndex: d.tx.index, TxFIFO: d.tx.fifoWords,
		TxFrame: slices.Clone(d.tx.frame), TxOverflow: d.tx.overflow,
		TxStatus: slices.Clone(d.txStatus),
		RxData:   slices.Clone(d.rxData), RxSizes: slices.Clone(d.rxSizes), RxStatus: slices.Clone(d.rxStatus),
		RxOffset: d.rxp.offset, RxSize: d.rxp.size, RxPad: d.rxp.pad,
	}
	if d.gpt.running {
		s.GPTCount = d.gptCount(now)
	}
	return s
}

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("lan9118: bad state")

func badState(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadState, fmt.Sprintf(format, args...))
}

// check validates s against what the device can reach.
func (s *State) check() error {
	masks := []struct {
		name      string
		val, mask uint32
	}{
		{"IRQ_CFG", s.IRQCfg, irqInt | irqEn | irqPol | irqType},
		{"INT_EN", s.IntEn, ^uint32(intReserved)},
		{"RX_CFG", s.RxCfg, 0xcfff1ff0},
		{"TX_CFG", s.TxCfg, 6},
		{"HW_CFG", s.HWCfg, 0x0007f304},
		{"PMT_CTRL", s.PMTCtrl, 0x45 | 0x34e},
		{"GPIO_CFG", s.GPIOCfg, 0x7777071f},
		{"GPT_CFG", s.GPTCfg, gptTimerEn | 0xffff},
		{"MAC_CSR_CMD", s.MACCmd, 0x400000ff},
		{"AFC_CFG", s.AFCCfg, 0x00ffffff},
		{"E2P_CMD", s.E2PCmd, 0x7000007f},
		{"E2P_DATA", s.E2PData, 0xff},
		{"MAC_CR", s.MACCR, ^uint32(macCRReserved)},
		{"MII_ACC", s.MIIAcc, 0xffc2},
		{"MII_DATA", s.MIIData, 0xffff},
		{"FLOW", s.Flow, 0xffff0000},
		{"VLAN1", s.VLAN1, 0xffff},
		{"VLAN2", s.VLAN2, 0xffff},
		{"WUCSR", s.WUCSR, 0x206},
		{"PHY BMCR", uint32(s.PHYControl), 0x7980},
		{"PHY ANAR", uint32(s.PHYAdvertise), 0x2dff},
		{"PHY interrupt source", uint32(s.PHYInt), 0xff},
		{"PHY interrupt mask", uint32(s.PHYIntMask), 0xff},
	}
	for _, m := range masks {
		if m.val&^m.mask != 0 {
			return badState("%s %#x has undefined bits", m.name, m.val)
		}
	}
	maxBufWords := (0x7ff + 0x1f + 3) / 4
	switch {
	case s.Version != StateVersion:
		return badState("version %d, want %d", s.Version, StateVersion)
	case s.PHYStatus&^0x782d != 0 || s.PHYStatus&0x7809 != 0x7809:
		return badState("PHY BMSR %#x is not one the PHY shows", s.PHYStatus)
	case s.GPTRunning != (s.GPTCfg&gptTimerEn != 0):
		return badState("GPT running %v with GPT_CFG %#x", s.GPTRunning, s.GPTCfg)
	case s.GPTCount > 0xffff:
		return badState("GPT count %#x", s.GPTCount)
	case s.TxState < txIdle || s.TxState > txData:
		return badState("TX state %d", s.TxState)
	case s.TxCmdA != 0xffffffff && s.TxCmdA&^cmdAMask != 0:
		return badState("TX command A %#x has undefined bits", s.TxCmdA)
	case s.TxWords < 0 || s.TxWords > maxBufWords || s.TxIndex < 0 || s.TxIndex > s.TxWords ||
		s.TxPad < 0 || s.TxPad > 7:
		return badState("TX buffer position %d/%d, pad %d", s.TxIndex, s.TxWords, s.TxPad)
	case s.TxFIFO < 0 || s.TxFIFO*4 > txFIFOBytes:
		return badState("TX FIFO holds %d words", s.TxFIFO)
	case len(s.TxFrame) > maxFrame:
		return badState("TX frame of %d bytes", len(s.TxFrame))
	case len(s.TxStatus) > txStatusLen:
		return badState("%d TX status words", len(s.TxStatus))
	case len(s.RxStatus) > rxStatusLen:
		return badState("%d RX status words", len(s.RxStatus))
	case len(s.RxSizes) > rxStatusLen:
		return badState("%d packets in the RX FIFO", len(s.RxSizes))
	case len(s.RxData) > rxFIFOWords:
		return badState("%d words in the RX FIFO", len(s.RxData))
	case s.RxOffset < 0 || s.RxOffset > 7 || s.RxPad < 0 || s.RxPad > 7 || s.RxSize < 0 || s.RxSize > maxFrame/4+2:
		return badState("RX read position offset %d, size %d, pad %d", s.RxOffset, s.RxSize, s.RxPad)
	}
	sum := s.RxSize
	for _, n := range s.RxSizes {
		if n < (minFrame+4)/4 || n > maxFrame/4+2 {
			return badState("an RX packet of %d words", n)
		}
		sum += n
	}
	if sum != len(s.RxData) {
		return badState("RX packets of %d words in all, the FIFO holds %d", sum, len(s.RxData))
	}
	return nil
}

// Restore replaces the device's state with s after checking it, and
// drives the interrupt line to match. On error the device is unchanged.
func (d *Device) Restore(s State) error {
	if err := s.check(); err != nil {
		return err
	}
	now := d.clk.Now()
	d.mac, d.eeprom, d.eepromWritable = s.MAC, s.EEPROM, s.EEPROMWritable
	d.irqCfg, d.intSts, d.intEn, d.fifoInt = s.IRQCfg, s.IntSts, s.IntEn, s.FIFOInt
	d.rxCfg, d.txCfg, d.hwCfg, d.pmtCtrl = s.RxCfg, s.TxCfg, s.HWCfg, s.PMTCtrl
	d.gpioCfg, d.gptCfg, d.wordSwap = s.GPIOCfg, s.GPTCfg, s.WordSwap
	d.macCmd, d.macData, d.afcCfg = s.MACCmd, s.MACData, s.AFCCfg
	d.e2pCmd, d.e2pData, d.rxDrop = s.E2PCmd, s.E2PData, s.RxDrop
	d.macCR, d.hashH, d.hashL, d.miiAcc, d.miiData, d.flow = s.MACCR, s.HashH, s.HashL, s.MIIAcc, s.MIIData, s.Flow
	d.vlan1, d.vlan2, d.wucsr = s.VLAN1, s.VLAN2, s.WUCSR
	d.phyStatus, d.phyControl, d.phyAdvertise, d.phyInt, d.phyIntMask = s.PHYStatus, s.PHYControl, s.PHYAdvertise, s.PHYInt, s.PHYIntMask
	d.freeRunStart = now - uint64(s.FreeRun)*freeRunNsPerTk
	d.stopGPT()
	if s.GPTRunning {
		d.startGPT(now, s.GPTCount)
	}
	d.tx = txPacket{state: s.TxState, cmdA: s.TxCmdA, cmdB: s.TxCmdB, words: s.TxWords, pad: s.TxPad,
		index: s.TxIndex, fifoWords: s.TxFIFO, frame: slices.Clone(s.TxFrame), overflow: s.TxOverflow}
	d.txStatus = slices.Clone(s.TxStatus)
	d.rxData, d.rxSizes, d.rxStatus = slices.Clone(s.RxData), slices.Clone(s.RxSizes), slices.Clone(s.RxStatus)
	d.rxp = rxPacket{offset: s.RxOffset, size: s.RxSize, pad: s.RxPad}
	d.update()
	return nil
}
