// Package gicv2 models an ARM Generic Interrupt Controller, architecture
// version 2 (IHI 0048B), without the Security and Virtualization
// Extensions, as QEMU's "arm_gic" (revision 2) presents it to a Cortex-A15
// guest on the virt board: the configuration Linux's irq-gic driver,
// U-Boot and kvm-unit-tests see there.
//
// Interface:
//   - MMIO: a 4 KiB Distributor window (GICD_*) and, per CPU, an 8 KiB CPU
//     interface window (GICC_*; GICC_DIR is at 0x1000). Registers that
//     hold or bank per-CPU state are seen through the accessing CPU: a
//     board with one address space for all CPUs maps Distributor() and
//     CurrentCPUInterface() and calls SetCurrentCPU before running each
//     CPU; a board (or test) that knows the CPU maps DistributorFor(cpu)
//     and CPUInterface(cpu).
//   - Inputs: SPI(n) is the line of shared peripheral interrupt INTID
//     32+n; PPI(cpu, id) is the line of private peripheral interrupt
//     INTID id (16..31) of one CPU. Lines are level signals; an
//     edge-triggered interrupt latches pending on a rising edge.
//   - Outputs: per CPU an IRQ and an FIQ line (ConnectCPU).
//
// Configuration as on QEMU's virt board: New(smp, 288) gives 256 SPIs,
// GICD_TYPER.ITLinesNumber 8, CPUNumber smp-1, SecurityExtn 0;
// GICD_IIDR 0x0000043b; GICC_IIDR 0x0002043b (architecture version 2,
// ARM); peripheral ID2 0x2b; 8 priority bits; interrupt groups.
//
// Deliberate deviations from IHI 0048B, shared with QEMU:
//   - Without the Security Extensions every access is treated as Secure.
//     Interrupt groups exist: GICD_IGROUPR is read/write, GICD_CTLR has
//     EnableGrp0 and EnableGrp1, GICC_CTLR has EnableGrp0, EnableGrp1,
//     AckCtl, FIQEn, CBPR and EOImodeS. The FIQ/IRQ bypass-disable bits and
//     EOImodeNS read as zero.
//   - All 8 priority bits are implemented: BPR's minimum is 0, ABPR's 1,
//     and GICC_APR0-3 / GICC_NSAPR0-3 each hold 32 of the 128 preemption
//     levels.
//   - SGIs are always enabled and edge-triggered: their GICD_ISENABLER,
//     GICD_ICENABLER, GICD_ISPENDR, GICD_ICPENDR and GICD_ICFGR bits ignore
//     writes; GICD_SPENDSGIR and GICD_CPENDSGIR set and clear their pending
//     state. The model bit (Int_config[0]) of GICD_ICFGR reads as zero.
//   - On a uniprocessor GIC, GICD_ITARGETSR reads as zero and ignores
//     writes; every SPI goes to the one CPU. With several CPUs, SPI targets
//     reset to none and the SGI/PPI bytes read as the accessing CPU's bit.
//   - GICC_AIAR, GICC_AEOIR and GICC_AHPPIR (the aliased Group 1 registers
//     of a Secure-capable GIC) are not implemented: guest errors, read as
//     zero, writes ignored.
//   - A pending interrupt of a group that is disabled in GICD_CTLR or
//     GICC_CTLR still takes part in prioritisation; it is never signalled
//     but can hide a lower-priority interrupt of the enabled group.
//   - Preemption compares the pending interrupt's full priority with the
//     running priority. The running priority is always a group priority,
//     whose subpriority bits are zero, so this is the same test as
//     comparing group priorities with the binary point.
//   - GICC_EOIR and GICC_DIR do not check that the value written names the
//     active interrupt (UNPREDICTABLE): EOIR drops the highest active
//     priority of the named interrupt's group and, with EOImodeS clear,
//     deactivates the named interrupt. A GICC_DIR write with EOImodeS clear
//     is a guest error and is ignored.
//   - GICD_SGIR's reserved TargetListFilter 0b11 sends to every CPU (and
//     is logged).
//   - Distributor registers are decoded byte by byte, so 1-, 2- and 4-byte
//     accesses work on every one of them; GICD_SGIR needs a 32-bit write.
//     CPU interface registers take any width at their offset.
//
// Deviations from QEMU, where Mimic follows IHI 0048B because a correct
// guest can tell only by looking for it:
//   - An SPI has one pending and one active state (the 1-N model): the
//     first targeted CPU to acknowledge it takes it. QEMU keeps both per
//     CPU, so several targeted CPUs can each acknowledge the same SPI, and
//     an edge or a GICD_ISPENDR write for an SPI that targets no CPU is
//     lost.
//   - A GICD_ICPENDR write for a PPI clears the accessing CPU's pending
//     state only, and each CPU has its own GICD_ICFGR1 (QEMU clears the PPI
//     on every CPU, and shares one trigger configuration between them).
//   - Bits for CPU interfaces that do not exist read as zero and ignore
//     writes in GICD_ITARGETSR and GICD_SPENDSGIR, and are dropped from a
//     GICD_SGIR target list.
//   - Writing zero to a GICD_SPENDSGIR byte leaves the SGI as it was (QEMU
//     marks it pending with no source, then trips an assertion when it is
//     acknowledged).
//   - GICC_HPPIR reports an SGI's source CPU in bits 12:10, as GICC_IAR
//     does.
package gicv2

import (
	"errors"
	"fmt"
	"log/slog"
	"math/bits"

	"mimic/devices/bus"
	"mimic/devices/irq"
)

// Limits and special interrupt IDs.
const (
	MaxCPUs    = 8
	MaxIRQs    = 992 // the largest multiple of 32 below the first special INTID, 1020
	NumSGIs    = 16
	NumPrivate = 32 // SGIs and PPIs: INTIDs 0..31

	// Spurious is what GICC_IAR and GICC_HPPIR read when no interrupt
	// can be acknowledged.
	Spurious = 1023
	// spuriousGroup1 is what they read when the highest-priority
	// pending interrupt is Group 1 and GICC_CTLR.AckCtl is clear.
	spuriousGroup1 = 1022
)

// Window sizes.
const (
	DistributorSize  = 0x1000
	CPUInterfaceSize = 0x2000
)

// Distributor register offsets (IHI 0048B Table 4-1).
const (
	gicdCTLR       = 0x000
	gicdTYPER      = 0x004
	gicdIIDR       = 0x008
	gicdIGROUPR    = 0x080
	gicdISENABLER  = 0x100
	gicdICENABLER  = 0x180
	gicdISPENDR    = 0x200
	gicdICPENDR    = 0x280
	gicdISACTIVER  = 0x300
	gicdICACTIVER  = 0x380
	gicdIPRIORITYR = 0x400
	gicdITARGETSR  = 0x800
	gicdICFGR      = 0xc00
	gicdSGIR       = 0xf00
	gicdCPENDSGIR  = 0xf10
	gicdSPENDSGIR  = 0xf20
	gicdPIDR4      = 0xfd0 // identification registers, 0xfd0..0xffc
)

// CPU interface register offsets (IHI 0048B Table 4-2).
const (
	giccCTLR   = 0x00
	giccPMR    = 0x04
	giccBPR    = 0x08
	giccIAR    = 0x0c
	giccEOIR   = 0x10
	giccRPR    = 0x14
	giccHPPIR  = 0x18
	giccABPR   = 0x1c
	giccAIAR   = 0x20
	giccAEOIR  = 0x24
	giccAHPPIR = 0x28
	giccAPR0   = 0xd0
	giccNSAPR0 = 0xe0
	giccIIDR   = 0xfc
	giccDIR    = 0x1000
)

// GICD_CTLR bits.
const (
	ctlrEnableGrp0 = 1 << 0
	ctlrEnableGrp1 = 1 << 1
	gicdCTLRMask   = ctlrEnableGrp0 | ctlrEnableGrp1
)

// GICC_CTLR bits (IHI 0048B Table 4-31, GICv2 without Security Extensions).
const (
	giccCTLREnableGrp0 = 1 << 0
	giccCTLREnableGrp1 = 1 << 1
	giccCTLRAckCtl     = 1 << 2
	giccCTLRFIQEn      = 1 << 3
	giccCTLRCBPR       = 1 << 4
	giccCTLREOImodeS   = 1 << 9
	giccCTLRMask       = 0x21f // what QEMU implements
)

// Identification values.
const (
	gicdIIDRValue = 0x0000043b // ARM (JEP106 0x43b), as QEMU reports it
	giccIIDRValue = 0x0002043b // architecture version 2, ARM
)

// pidr holds GICD_PIDR4..7, PIDR0..3 and CIDR0..3 (0xfd0..0xffc) as QEMU
// reports them for a GICv2.
var pidr = [12]uint8{0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1}

// Priorities.
const (
	idlePriority = 0x100 // running priority with nothing active
	numAPRs      = 4     // 128 preemption levels, 32 per register
	minBPR       = 0
	minABPR      = minBPR + 1
)

// field names one bit of per-interrupt state.
type field int

const (
	fEnabled field = iota // GICD_ISENABLER / ICENABLER
	fPending              // the pending latch (a level interrupt is also pending while its line is high)
	fActive               // GICD_ISACTIVER / ICACTIVER
	fLevel                // the input line
	fEdge                 // GICD_ICFGR Int_config[1]: edge-triggered
	fGroup                // GICD_IGROUPR: Group 1
	numFields
)

// cpuIface is one CPU's banked distributor state and its CPU interface.
type cpuIface struct {
	// Distributor state for INTIDs 0..31 as this CPU sees it: one bit per
	// INTID and field.
	priv       [numFields]uint32
	prio       [NumPrivate]uint8
	sgiSources [NumSGIs]uint8 // per SGI, the CPUs that sent it and are pending

	ctlr, pmr, bpr, abpr uint32
	apr, nsapr           [numAPRs]uint32
	running              uint32 // running priority; follows from apr|nsapr
	hppi                 uint32 // QEMU's current_pending: best interrupt passing PMR, or Spurious

	irqOut, fiqOut     irq.Line
	irqLevel, fiqLevel bool
}

// GIC is a GICv2 with its distributor and CPU interfaces. Create it with
// New. It is not safe for concurrent use: the machine's run loop drives
// both its MMIO windows and its input lines.
type GIC struct {
	numCPUs, numIRQs int
	cpuMask          uint8 // one bit per existing CPU interface

	ctlr   uint32
	spi    [numFields][]uint32 // word w holds INTIDs 32w..32w+31; word 0 unused
	prio   []uint8             // by INTID; 0..31 unused
	target []uint8             // by INTID; 0..31 unused
	cpus   []cpuIface

	current     int // the CPU whose accesses go through the current-CPU views
	guestErrors uint64
}

// New returns a GIC in its reset state with numCPUs CPU interfaces (1 to
// MaxCPUs) and numIRQs interrupt IDs in all, SGIs and PPIs included (a
// multiple of 32 from 32 to MaxIRQs; QEMU's virt board uses 288). Invalid
// arguments are a board bug and panic.
func New(numCPUs, numIRQs int) *GIC {
	if numCPUs < 1 || numCPUs > MaxCPUs {
		panic(fmt.Sprintf("BUG: gicv2: %d CPUs, want 1 to %d", numCPUs, MaxCPUs))
	}
	if numIRQs < NumPrivate || numIRQs > MaxIRQs || numIRQs%32 != 0 {
		panic(fmt.Sprintf("BUG: gicv2: %d interrupts, want a multiple of 32 from 32 to %d", numIRQs, MaxIRQs))
	}
	g := &GIC{
		numCPUs: numCPUs,
		numIRQs: numIRQs,
		cpuMask: uint8(1<<numCPUs - 1),
		prio:    make([]uint8, numIRQs),
		target:  make([]uint8, numIRQs),
		cpus:    make([]cpuIface, numCPUs),
	}
	for f := range g.spi {
		g.spi[f] = make([]uint32, numIRQs/32)
	}
	for i := range g.cpus {
		g.cpus[i].irqOut = irq.None
		g.cpus[i].fiqOut = irq.None
	}
	g.Reset()
	return g
}

// Reset puts the GIC in its reset state (QEMU's) and drives every output.
// Input line levels are kept: they belong to the devices driving them.
func (g *GIC) Reset() {
	g.ctlr = 0
	for f := range g.spi {
		if field(f) == fLevel {
			continue
		}
		clear(g.spi[f])
	}
	clear(g.prio)
	for i := range g.target {
		g.target[i] = 0
		if g.numCPUs == 1 {
			// A uniprocessor GIC sends every interrupt to its CPU.
			g.target[i] = 1
		}
	}
	for i := range g.cpus {
		c := &g.cpus[i]
		level := c.priv[fLevel]
		c.priv = [numFields]uint32{}
		c.priv[fLevel] = level
		c.priv[fEnabled] = 1<<NumSGIs - 1 // SGIs: always enabled
		c.priv[fEdge] = 1<<NumSGIs - 1    // and edge-triggered
		c.prio = [NumPrivate]uint8{}
		c.sgiSources = [NumSGIs]uint8{}
		c.ctlr, c.pmr = 0, 0
		c.bpr, c.abpr = minBPR, minABPR
		c.apr, c.nsapr = [numAPRs]uint32{}, [numAPRs]uint32{}
		c.running = idlePriority
	}
	g.update(true)
}

// NumCPUs returns the number of CPU interfaces.
func (g *GIC) NumCPUs() int { return g.numCPUs }

// NumIRQs returns the number of interrupt IDs, SGIs and PPIs included.
func (g *GIC) NumIRQs() int { return g.numIRQs }

// GuestErrors returns how many guest errors the GIC has seen.
func (g *GIC) GuestErrors() uint64 { return g.guestErrors }

func (g *GIC) guestError(msg string, args ...any) {
	g.guestErrors++
	slog.Warn("guest error: gicv2: "+msg, args...)
}

func (g *GIC) checkCPU(cpu int) {
	if cpu < 0 || cpu >= g.numCPUs {
		panic(fmt.Sprintf("BUG: gicv2: CPU %d of %d", cpu, g.numCPUs))
	}
}

// ConnectCPU wires the IRQ and FIQ outputs of a CPU interface (nil lines
// go nowhere) and drives them to their current levels.
func (g *GIC) ConnectCPU(cpu int, irqOut, fiqOut irq.Line) {
	g.checkCPU(cpu)
	if irqOut == nil {
		irqOut = irq.None
	}
	if fiqOut == nil {
		fiqOut = irq.None
	}
	c := &g.cpus[cpu]
	c.irqOut, c.fiqOut = irqOut, fiqOut
	c.irqOut.Set(c.irqLevel)
	c.fiqOut.Set(c.fiqLevel)
}

// SPI returns the input line of shared peripheral interrupt n, INTID 32+n.
func (g *GIC) SPI(n int) irq.Line {
	if n < 0 || NumPrivate+n >= g.numIRQs {
		panic(fmt.Sprintf("BUG: gicv2: SPI %d of %d", n, g.numIRQs-NumPrivate))
	}
	id := NumPrivate + n
	return irq.Func(func(level bool) { g.setInput(id, 0, level) })
}

// PPI returns the input line of private peripheral interrupt id (an INTID
// from 16 to 31) of one CPU. QEMU's virt board wires the generic timer's
// virtual output to INTID 27 and its physical output to INTID 30.
func (g *GIC) PPI(cpu, id int) irq.Line {
	g.checkCPU(cpu)
	if id < NumSGIs || id >= NumPrivate {
		panic(fmt.Sprintf("BUG: gicv2: PPI INTID %d, want 16 to 31", id))
	}
	return irq.Func(func(level bool) { g.setInput(id, cpu, level) })
}

// SetCurrentCPU selects the CPU whose accesses arrive through Distributor()
// and CurrentCPUInterface().
func (g *GIC) SetCurrentCPU(cpu int) {
	g.checkCPU(cpu)
	g.current = cpu
}

// Distributor returns the 4 KiB distributor window as the current CPU (see
// SetCurrentCPU) sees it.
func (g *GIC) Distributor() bus.Device { return distView{g, -1} }

// DistributorFor returns the distributor window as one CPU sees it.
func (g *GIC) DistributorFor(cpu int) bus.Device {
	g.checkCPU(cpu)
	return distView{g, cpu}
}

// CPUInterface returns the 8 KiB window of one CPU's interface.
func (g *GIC) CPUInterface(cpu int) bus.Device {
	g.checkCPU(cpu)
	return cpuView{g, cpu}
}

// CurrentCPUInterface returns the 8 KiB CPU interface window of the current
// CPU (see SetCurrentCPU), QEMU's "this CPU" view.
func (g *GIC) CurrentCPUInterface() bus.Device { return cpuView{g, -1} }

type distView struct {
	g   *GIC
	cpu int // -1: the current CPU
}

func (v distView) Read(off uint64, size int) uint64 {
	return v.g.distRead(v.g.pick(v.cpu), off, size)
}

func (v distView) Write(off uint64, size int, val uint64) {
	v.g.distWrite(v.g.pick(v.cpu), off, size, val)
}

type cpuView struct {
	g   *GIC
	cpu int // -1: the current CPU
}

func (v cpuView) Read(off uint64, size int) uint64 {
	return v.g.cpuRead(v.g.pick(v.cpu), off, size)
}

func (v cpuView) Write(off uint64, size int, val uint64) {
	v.g.cpuWrite(v.g.pick(v.cpu), off, size, val)
}

var (
	_ bus.Device = distView{}
	_ bus.Device = cpuView{}
)

func (g *GIC) pick(cpu int) int {
	if cpu < 0 {
		return g.current
	}
	return cpu
}

// word returns the word of field f holding INTID id as cpu sees it.
func (g *GIC) word(f field, id, cpu int) *uint32 {
	if id < NumPrivate {
		return &g.cpus[cpu].priv[f]
	}
	return &g.spi[f][id/32]
}

func (g *GIC) test(f field, id, cpu int) bool {
	return *g.word(f, id, cpu)&(1<<(id%32)) != 0
}

func (g *GIC) assign(f field, id, cpu int, v bool) {
	w := g.word(f, id, cpu)
	if v {
		*w |= 1 << (id % 32)
	} else {
		*w &^= 1 << (id % 32)
	}
}

func (g *GIC) priority(id, cpu int) uint32 {
	if id < NumPrivate {
		return uint32(g.cpus[cpu].prio[id])
	}
	return uint32(g.prio[id])
}

func (g *GIC) group(id, cpu int) int {
	if g.test(fGroup, id, cpu) {
		return 1
	}
	return 0
}

// pendingWord returns the pending state of a word of interrupts: the latch,
// or a level-sensitive interrupt whose line is high.
func pendingWord(w *[numFields]uint32) uint32 {
	return w[fPending] | w[fLevel]&^w[fEdge]
}

func (g *GIC) pendingBits(wordIndex, cpu int) uint32 {
	if wordIndex == 0 {
		return pendingWord(&g.cpus[cpu].priv)
	}
	return g.spi[fPending][wordIndex] | g.spi[fLevel][wordIndex]&^g.spi[fEdge][wordIndex]
}

// setInput follows an input line: an edge-triggered interrupt latches
// pending on a rising edge; a level-sensitive one is pending while high.
func (g *GIC) setInput(id, cpu int, level bool) {
	if g.test(fLevel, id, cpu) == level {
		return
	}
	g.assign(fLevel, id, cpu, level)
	if level && g.test(fEdge, id, cpu) {
		g.assign(fPending, id, cpu, true)
	}
	g.update(false)
}

// best returns the highest-priority interrupt that is enabled, pending, not
// active and targeted at cpu, and its priority; lowest INTID wins a tie.
// With none it returns Spurious and idlePriority.
func (g *GIC) best(cpu int) (id, prio uint32) {
	id, prio = Spurious, idlePriority
	c := &g.cpus[cpu]
	cand := c.priv[fEnabled] & pendingWord(&c.priv) &^ c.priv[fActive]
	for cand != 0 {
		i := uint32(bits.TrailingZeros32(cand))
		cand &= cand - 1
		if p := uint32(c.prio[i]); p < prio {
			id, prio = i, p
		}
	}
	for w := 1; w < len(g.spi[fEnabled]); w++ {
		cand := g.spi[fEnabled][w] & g.pendingBits(w, cpu) &^ g.spi[fActive][w]
		for cand != 0 {
			i := uint32(w*32 + bits.TrailingZeros32(cand))
			cand &= cand - 1
			if g.target[i]&(1<<cpu) == 0 {
				continue
			}
			if p := uint32(g.prio[i]); p < prio {
				id, prio = i, p
			}
		}
	}
	return id, prio
}

// update recomputes each CPU interface's highest pending interrupt and
// drives its IRQ and FIQ outputs (IHI 0048B 3.2.3 and 3.3). force drives
// the outputs even when their level has not changed.
func (g *GIC) update(force bool) {
	for cpu := range g.cpus {
		c := &g.cpus[cpu]
		c.hppi = Spurious
		irqLevel, fiqLevel := false, false
		if g.ctlr&gicdCTLRMask != 0 && c.ctlr&(giccCTLREnableGrp0|giccCTLREnableGrp1) != 0 {
			id, prio := g.best(cpu)
			if prio < c.pmr {
				c.hppi = id
				if prio < c.running {
					grp := uint32(g.group(int(id), cpu))
					if g.ctlr&(1<<grp) != 0 && c.ctlr&(1<<grp) != 0 {
						if grp == 0 && c.ctlr&giccCTLRFIQEn != 0 {
							fiqLevel = true
						} else {
							irqLevel = true
						}
					}
				}
			}
		}
		if irqLevel != c.irqLevel || force {
			c.irqLevel = irqLevel
			c.irqOut.Set(irqLevel)
		}
		if fiqLevel != c.fiqLevel || force {
			c.fiqLevel = fiqLevel
			c.fiqOut.Set(fiqLevel)
		}
	}
}

// IRQLevel and FIQLevel report the current level of a CPU's outputs.
func (g *GIC) IRQLevel(cpu int) bool { g.checkCPU(cpu); return g.cpus[cpu].irqLevel }

// FIQLevel reports the current level of a CPU's FIQ output.
func (g *GIC) FIQLevel(cpu int) bool { g.checkCPU(cpu); return g.cpus[cpu].fiqLevel }

// currentPending is the interrupt GICC_IAR would acknowledge: the highest
// pending one, or 1022 when it is Group 1 and AckCtl is clear.
func (g *GIC) currentPending(cpu int) uint32 {
	c := &g.cpus[cpu]
	id := c.hppi
	if id < Spurious && g.group(int(id), cpu) == 1 && c.ctlr&giccCTLRAckCtl == 0 {
		return spuriousGroup1
	}
	return id
}

// groupPriority returns the group priority of id on cpu: its priority with
// the subpriority bits below the binary point cleared (IHI 0048B 3.3.3).
func (g *GIC) groupPriority(cpu, id int) uint32 {
	c := &g.cpus[cpu]
	bpr := c.bpr
	if c.ctlr&giccCTLRCBPR == 0 && g.group(id, cpu) == 1 {
		bpr = c.abpr - 1
	}
	return g.priority(id, cpu) &^ (1<<(bpr+1) - 1)
}

// runningFromAPRs returns the running priority that the active priority
// registers record: the highest (numerically lowest) active preemption
// level, or idlePriority.
func (c *cpuIface) runningFromAPRs() uint32 {
	for i := range numAPRs {
		if a := c.apr[i] | c.nsapr[i]; a != 0 {
			return uint32(i*32+bits.TrailingZeros32(a)) << (minBPR + 1)
		}
	}
	return idlePriority
}

// acknowledge is a GICC_IAR read.
func (g *GIC) acknowledge(cpu int) uint32 {
	c := &g.cpus[cpu]
	id := g.currentPending(cpu)
	if id >= spuriousGroup1 {
		return id
	}
	if g.priority(int(id), cpu) >= c.running {
		return Spurious
	}

	// Activate: record the preemption level in the APRs, raise the
	// running priority.
	prio := g.groupPriority(cpu, int(id))
	level := prio >> (minBPR + 1)
	if g.group(int(id), cpu) == 1 {
		c.nsapr[level/32] |= 1 << (level % 32)
	} else {
		c.apr[level/32] |= 1 << (level % 32)
	}
	c.running = prio
	g.assign(fActive, int(id), cpu, true)

	ret := id
	if id < NumSGIs {
		// Each source CPU's request is acknowledged separately,
		// lowest-numbered source first.
		src := uint32(bits.TrailingZeros8(c.sgiSources[id]))
		c.sgiSources[id] &^= 1 << src
		if c.sgiSources[id] == 0 {
			g.assign(fPending, int(id), cpu, false)
		}
		ret |= src << 10
	} else {
		// A level-sensitive interrupt whose line is still high stays
		// pending (and, being active, is not signalled again).
		g.assign(fPending, int(id), cpu, false)
	}
	g.update(false)
	return ret
}

// endOfInterrupt is a GICC_EOIR write: priority drop and, unless EOImodeS
// splits them, deactivation.
func (g *GIC) endOfInterrupt(cpu int, id uint32) {
	c := &g.cpus[cpu]
	if id >= uint32(g.numIRQs) || c.running == idlePriority {
		// Spurious IDs are ignored; so is an EOI with nothing active or
		// of an interrupt that does not exist (UNPREDICTABLE).
		return
	}
	aprs := &c.apr
	if g.group(int(id), cpu) == 1 {
		aprs = &c.nsapr
	}
	for i := range aprs {
		if aprs[i] != 0 {
			aprs[i] &= aprs[i] - 1 // clear the highest active level
			break
		}
	}
	c.running = c.runningFromAPRs()
	if c.ctlr&giccCTLREOImodeS == 0 {
		g.assign(fActive, int(id), cpu, false)
	}
	g.update(false)
}

// deactivate is a GICC_DIR write.
func (g *GIC) deactivate(cpu int, id uint32) {
	if id >= uint32(g.numIRQs) {
		return
	}
	if g.cpus[cpu].ctlr&giccCTLREOImodeS == 0 {
		g.guestError("GICC_DIR written while GICC_CTLR.EOImodeS is 0", "cpu", cpu, "intid", id)
		return
	}
	g.assign(fActive, int(id), cpu, false)
}

// hppir is a GICC_HPPIR read.
func (g *GIC) hppir(cpu int) uint32 {
	id := g.currentPending(cpu)
	if id < NumSGIs {
		id |= uint32(bits.TrailingZeros8(g.cpus[cpu].sgiSources[id])) << 10
	}
	return id
}

func (g *GIC) sgi(cpu int, v uint32) {
	id := int(v & 0xf)
	var targets uint8
	switch (v >> 24) & 3 {
	case 0: // the CPUs in CPUTargetList
		targets = uint8(v>>16) & g.cpuMask
	case 1: // every CPU but the requester
		targets = g.cpuMask &^ (1 << cpu)
	case 2: // the requester only
		targets = 1 << cpu
	default:
		g.guestError("GICD_SGIR with reserved TargetListFilter 0b11; sending to all CPUs", "value", hex(v))
		targets = g.cpuMask
	}
	for t := range g.cpus {
		if targets&(1<<t) != 0 {
			g.cpus[t].sgiSources[id] |= 1 << cpu
			g.assign(fPending, id, t, true)
		}
	}
}

// distRead reads the distributor as cpu.
func (g *GIC) distRead(cpu int, off uint64, size int) uint64 {
	if size != 1 && size != 2 && size != 4 {
		g.guestError("distributor: bad access size", "op", "read", "offset", hex(off), "size", size)
		return 0
	}
	var v uint64
	bad := false
	for i := range uint64(size) {
		b, ok := g.distReadByte(cpu, off+i)
		bad = bad || !ok
		v |= uint64(b) << (8 * i)
	}
	if bad {
		g.guestError("distributor: read of bad offset", "offset", hex(off), "size", size)
	}
	return v
}

// distReadByte reads one byte of the distributor; ok is false for a byte
// that belongs to no register.
func (g *GIC) distReadByte(cpu int, off uint64) (b uint8, ok bool) {
	switch {
	case off < gicdISENABLER:
		switch {
		case off == gicdCTLR:
			return uint8(g.ctlr), true
		case off == gicdTYPER: // ITLinesNumber, CPUNumber; SecurityExtn (byte 1) is 0
			return uint8(g.numIRQs/32-1) | uint8(g.numCPUs-1)<<5, true
		case off == gicdIIDR:
			return gicdIIDRValue & 0xff, true
		case off == gicdIIDR+1:
			return gicdIIDRValue >> 8, true
		case off < gicdIIDR+4:
			return 0, true
		case off >= gicdIGROUPR:
			return g.bitsByte(fGroup, int(off-gicdIGROUPR)*8, cpu)
		}
		return 0, false
	case off < gicdISPENDR: // ISENABLER, ICENABLER
		return g.bitsByte(fEnabled, int(off&0x7f)*8, cpu)
	case off < gicdISACTIVER: // ISPENDR, ICPENDR
		id := int(off&0x7f) * 8
		if id >= g.numIRQs {
			return 0, false
		}
		return uint8(g.pendingBits(id/32, cpu) >> (id % 32)), true
	case off < gicdIPRIORITYR: // ISACTIVER, ICACTIVER
		return g.bitsByte(fActive, int(off&0x7f)*8, cpu)
	case off < gicdITARGETSR:
		id := int(off - gicdIPRIORITYR)
		if id >= g.numIRQs {
			return 0, false
		}
		return uint8(g.priority(id, cpu)), true
	case off < gicdICFGR:
		if g.numCPUs == 1 {
			return 0, true
		}
		id := int(off - gicdITARGETSR)
		switch {
		case id >= g.numIRQs:
			return 0, false
		case id < NumPrivate:
			return 1 << cpu, true
		}
		return g.target[id], true
	case off < gicdSGIR:
		id := int(off-gicdICFGR) * 4
		if id >= g.numIRQs {
			return 0, false
		}
		edge := *g.word(fEdge, id, cpu) >> (id % 32)
		for i := range 4 {
			b |= uint8((edge>>i)&1) << (2*i + 1)
		}
		return b, true
	case off < gicdCPENDSGIR:
		return 0, false // GICD_SGIR is write-only
	case off < gicdSPENDSGIR+NumSGIs:
		return g.cpus[cpu].sgiSources[off&0xf], true
	case off < gicdPIDR4:
		return 0, false
	}
	if off%4 != 0 {
		return 0, true
	}
	return pidr[(off-gicdPIDR4)/4], true
}

// bitsByte returns 8 bits of field f from INTID id (a multiple of 8).
func (g *GIC) bitsByte(f field, id, cpu int) (uint8, bool) {
	if id >= g.numIRQs {
		return 0, false
	}
	return uint8(*g.word(f, id, cpu) >> (id % 32)), true
}

// distWrite writes the distributor as cpu.
func (g *GIC) distWrite(cpu int, off uint64, size int, val uint64) {
	if size != 1 && size != 2 && size != 4 {
		g.guestError("distributor: bad access size", "op", "write", "offset", hex(off), "size", size)
		return
	}
	if off == gicdSGIR && size == 4 {
		g.sgi(cpu, uint32(val))
		g.update(false)
		return
	}
	bad := false
	for i := range uint64(size) {
		ok := g.distWriteByte(cpu, off+i, uint8(val>>(8*i)))
		bad = bad || !ok
	}
	if bad {
		g.guestError("distributor: write to bad offset", "offset", hex(off), "size", size, "value", hex(val))
	}
	g.update(false)
}

// distWriteByte writes one byte of the distributor; ok is false for a byte
// that belongs to no writable register.
func (g *GIC) distWriteByte(cpu int, off uint64, b uint8) (ok bool) {
	switch {
	case off < gicdISENABLER:
		switch {
		case off == gicdCTLR:
			g.ctlr = uint32(b) & gicdCTLRMask
			return true
		case off < gicdCTLR+4:
			return true // reserved bytes of GICD_CTLR
		case off >= gicdIGROUPR:
			return g.setBits(fGroup, int(off-gicdIGROUPR)*8, cpu, b, 0xff)
		}
		return false // GICD_TYPER, GICD_IIDR and reserved words
	case off < gicdICENABLER:
		return g.setBits(fEnabled, int(off-gicdISENABLER)*8, cpu, b, b)
	case off < gicdISPENDR:
		return g.setBits(fEnabled, int(off-gicdICENABLER)*8, cpu, 0, b)
	case off < gicdICPENDR:
		return g.setBits(fPending, int(off-gicdISPENDR)*8, cpu, b, b)
	case off < gicdISACTIVER:
		return g.setBits(fPending, int(off-gicdICPENDR)*8, cpu, 0, b)
	case off < gicdICACTIVER:
		return g.setActive(int(off-gicdISACTIVER)*8, cpu, b, b)
	case off < gicdIPRIORITYR:
		return g.setActive(int(off-gicdICACTIVER)*8, cpu, 0, b)
	case off < gicdITARGETSR:
		id := int(off - gicdIPRIORITYR)
		if id >= g.numIRQs {
			return false
		}
		if id < NumPrivate {
			g.cpus[cpu].prio[id] = b
		} else {
			g.prio[id] = b
		}
		return true
	case off < gicdICFGR:
		if g.numCPUs == 1 {
			return true // RAZ/WI on a uniprocessor GIC
		}
		id := int(off - gicdITARGETSR)
		switch {
		case id >= g.numIRQs:
			return false
		case id >= NumPrivate: // SGI and PPI bytes are read-only
			g.target[id] = b & g.cpuMask
		}
		return true
	case off < gicdSGIR:
		id := int(off-gicdICFGR) * 4
		if id >= g.numIRQs {
			return false
		}
		var edge uint8
		for i := range 4 {
			edge |= (b >> (2*i + 1) & 1) << i
		}
		mask := uint8(0xf)
		if id < NumSGIs {
			mask = 0 // SGIs are always edge-triggered
		}
		w := g.word(fEdge, id, cpu)
		sh := id % 32
		*w = *w&^(uint32(mask)<<sh) | uint32(edge&mask)<<sh
		return true
	case off < gicdCPENDSGIR:
		return false // GICD_SGIR: 32-bit writes only
	case off < gicdSPENDSGIR:
		id := int(off - gicdCPENDSGIR)
		c := &g.cpus[cpu]
		c.sgiSources[id] &^= b
		if c.sgiSources[id] == 0 {
			g.assign(fPending, id, cpu, false)
		}
		return true
	case off < gicdSPENDSGIR+NumSGIs:
		id := int(off - gicdSPENDSGIR)
		c := &g.cpus[cpu]
		c.sgiSources[id] |= b & g.cpuMask
		if c.sgiSources[id] != 0 {
			g.assign(fPending, id, cpu, true)
		}
		return true
	}
	return false
}

// setBits sets the bits of set and clears the bits of clr in 8 interrupts
// of field f from INTID id (a multiple of 8). SGI enable and pending bits
// are fixed (RAO/WI and through GICD_[CS]PENDSGIR respectively).
func (g *GIC) setBits(f field, id, cpu int, set, clr uint8) bool {
	if id >= g.numIRQs {
		return false
	}
	if id < NumSGIs && (f == fEnabled || f == fPending) {
		return true
	}
	w := g.word(f, id, cpu)
	sh := id % 32
	*w = *w&^(uint32(clr)<<sh) | uint32(set)<<sh
	return true
}

func (g *GIC) setActive(id, cpu int, set, clr uint8) bool {
	return g.setBits(fActive, id, cpu, set, clr)
}

// cpuRead reads cpu's CPU interface.
func (g *GIC) cpuRead(cpu int, off uint64, size int) uint64 {
	if size != 1 && size != 2 && size != 4 {
		g.guestError("CPU interface: bad access size", "cpu", cpu, "op", "read", "offset", hex(off), "size", size)
		return 0
	}
	c := &g.cpus[cpu]
	var v uint32
	switch off {
	case giccCTLR:
		v = c.ctlr
	case giccPMR:
		v = c.pmr
	case giccBPR:
		v = c.bpr
	case giccIAR:
		v = g.acknowledge(cpu)
	case giccRPR:
		v = min(c.running, 0xff)
	case giccHPPIR:
		v = g.hppir(cpu)
	case giccABPR:
		v = c.abpr
	case giccAPR0, giccAPR0 + 4, giccAPR0 + 8, giccAPR0 + 12:
		v = c.apr[(off-giccAPR0)/4]
	case giccNSAPR0, giccNSAPR0 + 4, giccNSAPR0 + 8, giccNSAPR0 + 12:
		v = c.nsapr[(off-giccNSAPR0)/4]
	case giccIIDR:
		v = giccIIDRValue
	default:
		g.guestError("CPU interface: read of bad offset", "cpu", cpu, "offset", hex(off))
		return 0
	}
	return uint64(v) & (1<<(8*uint(size)) - 1)
}

// cpuWrite writes cpu's CPU interface.
func (g *GIC) cpuWrite(cpu int, off uint64, size int, val uint64) {
	if size != 1 && size != 2 && size != 4 {
		g.guestError("CPU interface: bad access size", "cpu", cpu, "op", "write", "offset", hex(off), "size", size)
		return
	}
	c := &g.cpus[cpu]
	v := uint32(val & (1<<(8*uint(size)) - 1))
	switch off {
	case giccCTLR:
		c.ctlr = v & giccCTLRMask
	case giccPMR:
		c.pmr = v & 0xff
	case giccBPR:
		c.bpr = max(v&7, minBPR)
	case giccEOIR:
		g.endOfInterrupt(cpu, v&0x3ff)
		return
	case giccABPR:
		c.abpr = max(v&7, minABPR)
	case giccAPR0, giccAPR0 + 4, giccAPR0 + 8, giccAPR0 + 12:
		c.apr[(off-giccAPR0)/4] = v
		c.running = c.runningFromAPRs()
	case giccNSAPR0, giccNSAPR0 + 4, giccNSAPR0 + 8, giccNSAPR0 + 12:
		c.nsapr[(off-giccNSAPR0)/4] = v
		c.running = c.runningFromAPRs()
	case giccDIR:
		g.deactivate(cpu, v&0x3ff)
	default:
		g.guestError("CPU interface: write to bad offset", "cpu", cpu, "offset", hex(off), "value", hex(val))
		return
	}
	g.update(false)
}

func hex[T uint32 | uint64](v T) string { return fmt.Sprintf("%#x", v) }

// StateVersion is the version of State this package writes.
const StateVersion = 1

// IRQState is the distributor's state for one interrupt as one CPU sees it.
type IRQState struct {
	Enabled, Pending, Active bool
	Level                    bool // the input line
	Edge                     bool // edge-triggered (GICD_ICFGR Int_config[1])
	Group                    bool // Group 1
	Priority                 uint8
	Target                   uint8 // GICD_ITARGETSR, SPIs only; zero for SGIs and PPIs
}

// CPUState is one CPU's banked distributor state and CPU interface. The
// running priority is not saved: it follows from APR and NSAPR.
type CPUState struct {
	Private    [NumPrivate]IRQState // SGIs and PPIs as this CPU sees them
	SGISources [NumSGIs]uint8       // per SGI, the source CPUs pending; SGI Pending == (SGISources != 0)

	CTLR, PMR, BPR, ABPR uint32
	APR, NSAPR           [numAPRs]uint32
}

// State is a snapshot of the GIC. Pending is the latch: a level-sensitive
// interrupt is also pending while Level is high.
type State struct {
	Version          int
	NumCPUs, NumIRQs int
	CTLR             uint32     // GICD_CTLR
	SPIs             []IRQState // INTIDs 32 and up
	CPUs             []CPUState
}

func (g *GIC) irqState(id, cpu int) IRQState {
	s := IRQState{
		Enabled:  g.test(fEnabled, id, cpu),
		Pending:  g.test(fPending, id, cpu),
		Active:   g.test(fActive, id, cpu),
		Level:    g.test(fLevel, id, cpu),
		Edge:     g.test(fEdge, id, cpu),
		Group:    g.test(fGroup, id, cpu),
		Priority: uint8(g.priority(id, cpu)),
	}
	if id >= NumPrivate {
		s.Target = g.target[id]
	}
	return s
}

func (g *GIC) setIRQState(id, cpu int, s IRQState) {
	g.assign(fEnabled, id, cpu, s.Enabled)
	g.assign(fPending, id, cpu, s.Pending)
	g.assign(fActive, id, cpu, s.Active)
	g.assign(fLevel, id, cpu, s.Level)
	g.assign(fEdge, id, cpu, s.Edge)
	g.assign(fGroup, id, cpu, s.Group)
	if id < NumPrivate {
		g.cpus[cpu].prio[id] = s.Priority
	} else {
		g.prio[id] = s.Priority
		g.target[id] = s.Target
	}
}

// State returns a snapshot of the GIC.
func (g *GIC) State() State {
	s := State{
		Version: StateVersion,
		NumCPUs: g.numCPUs,
		NumIRQs: g.numIRQs,
		CTLR:    g.ctlr,
		SPIs:    make([]IRQState, g.numIRQs-NumPrivate),
		CPUs:    make([]CPUState, g.numCPUs),
	}
	for i := range s.SPIs {
		s.SPIs[i] = g.irqState(NumPrivate+i, 0)
	}
	for cpu := range s.CPUs {
		c := &g.cpus[cpu]
		cs := &s.CPUs[cpu]
		for id := range cs.Private {
			cs.Private[id] = g.irqState(id, cpu)
		}
		cs.SGISources = c.sgiSources
		cs.CTLR, cs.PMR, cs.BPR, cs.ABPR = c.ctlr, c.pmr, c.bpr, c.abpr
		cs.APR, cs.NSAPR = c.apr, c.nsapr
	}
	return s
}

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("gicv2: bad state")

func (g *GIC) validate(s *State) error {
	switch {
	case s.Version != StateVersion:
		return fmt.Errorf("version %d, want %d", s.Version, StateVersion)
	case s.NumCPUs != g.numCPUs || s.NumIRQs != g.numIRQs:
		return fmt.Errorf("snapshot of a GIC with %d CPUs and %d interrupts, this one has %d and %d",
			s.NumCPUs, s.NumIRQs, g.numCPUs, g.numIRQs)
	case len(s.SPIs) != g.numIRQs-NumPrivate || len(s.CPUs) != g.numCPUs:
		return fmt.Errorf("%d SPIs and %d CPUs recorded", len(s.SPIs), len(s.CPUs))
	case s.CTLR&^gicdCTLRMask != 0:
		return fmt.Errorf("GICD_CTLR %#x has unimplemented bits", s.CTLR)
	}
	for i, spi := range s.SPIs {
		switch {
		case spi.Target&^g.cpuMask != 0:
			return fmt.Errorf("INTID %d targets CPUs %#x, only %#x exist", NumPrivate+i, spi.Target, g.cpuMask)
		case g.numCPUs == 1 && spi.Target != 1:
			return fmt.Errorf("INTID %d targets %#x on a uniprocessor GIC", NumPrivate+i, spi.Target)
		}
	}
	for cpu, cs := range s.CPUs {
		switch {
		case cs.CTLR&^giccCTLRMask != 0:
			return fmt.Errorf("CPU %d: GICC_CTLR %#x has unimplemented bits", cpu, cs.CTLR)
		case cs.PMR > 0xff || cs.BPR > 7 || cs.ABPR < minABPR || cs.ABPR > 7:
			return fmt.Errorf("CPU %d: GICC_PMR %#x, GICC_BPR %d or GICC_ABPR %d out of range", cpu, cs.PMR, cs.BPR, cs.ABPR)
		}
		for id, p := range cs.Private {
			switch {
			case p.Target != 0:
				return fmt.Errorf("CPU %d: INTID %d has a target", cpu, id)
			case id < NumSGIs && (!p.Enabled || !p.Edge):
				return fmt.Errorf("CPU %d: SGI %d not enabled and edge-triggered", cpu, id)
			case id < NumSGIs && p.Pending != (cs.SGISources[id] != 0):
				return fmt.Errorf("CPU %d: SGI %d pending %v with sources %#x", cpu, id, p.Pending, cs.SGISources[id])
			case id < NumSGIs && cs.SGISources[id]&^g.cpuMask != 0:
				return fmt.Errorf("CPU %d: SGI %d from CPUs %#x, only %#x exist", cpu, id, cs.SGISources[id], g.cpuMask)
			}
		}
	}
	return nil
}

// Restore replaces the GIC's state with s after checking it, and drives
// every output. On error the GIC is unchanged.
func (g *GIC) Restore(s State) error {
	if err := g.validate(&s); err != nil {
		return fmt.Errorf("%w: %v", ErrBadState, err)
	}
	g.ctlr = s.CTLR
	for i, spi := range s.SPIs {
		g.setIRQState(NumPrivate+i, 0, spi)
	}
	for cpu, cs := range s.CPUs {
		c := &g.cpus[cpu]
		for id, p := range cs.Private {
			g.setIRQState(id, cpu, p)
		}
		c.sgiSources = cs.SGISources
		c.ctlr, c.pmr, c.bpr, c.abpr = cs.CTLR, cs.PMR, cs.BPR, cs.ABPR
		c.apr, c.nsapr = cs.APR, cs.NSAPR
		c.running = c.runningFromAPRs()
	}
	g.update(true)
	return nil
}
