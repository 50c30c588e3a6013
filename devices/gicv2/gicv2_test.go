package gicv2

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/bus"
)

func TestMain(m *testing.M) {
	// Guest errors are counted and checked; their log lines are noise here.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// Where QEMU's virt board maps the GIC.
const (
	distBase = 0x08000000
	cpuBase  = 0x08010000
	virtIRQs = 288 // 256 SPIs + 32
)

type recLine struct {
	level bool
	sets  []bool
}

func (l *recLine) Set(v bool) { l.level = v; l.sets = append(l.sets, v) }

// rig gives each CPU its own bus with the GIC mapped as that CPU sees it,
// as a board with per-CPU address spaces would.
type rig struct {
	t          *testing.T
	g          *GIC
	buses      []*bus.Bus
	irqs, fiqs []*recLine
}

func newRig(t *testing.T, ncpu int) *rig {
	t.Helper()
	r := &rig{t: t, g: New(ncpu, virtIRQs)}
	for cpu := range ncpu {
		b := bus.New()
		if err := b.MapDevice("gicd", distBase, DistributorSize, r.g.DistributorFor(cpu)); err != nil {
			t.Fatal(err)
		}
		if err := b.MapDevice("gicc", cpuBase, CPUInterfaceSize, r.g.CPUInterface(cpu)); err != nil {
			t.Fatal(err)
		}
		r.buses = append(r.buses, b)
		irq, fiq := &recLine{}, &recLine{}
		r.g.ConnectCPU(cpu, irq, fiq)
		r.irqs = append(r.irqs, irq)
		r.fiqs = append(r.fiqs, fiq)
	}
	return r
}

func (r *rig) read(cpu int, addr uint64, size int) uint64 {
	r.t.Helper()
	v, ok := r.buses[cpu].Read(addr, size)
	if !ok {
		r.t.Fatalf("CPU %d: bus read at %#x failed", cpu, addr)
	}
	return v
}

func (r *rig) write(cpu int, addr uint64, size int, v uint64) {
	r.t.Helper()
	if !r.buses[cpu].Write(addr, size, v) {
		r.t.Fatalf("CPU %d: bus write at %#x failed", cpu, addr)
	}
}

func (r *rig) dist(cpu int, off uint64) uint32 { return uint32(r.read(cpu, distBase+off, 4)) }
func (r *rig) setDist(cpu int, off uint64, v uint32) {
	r.write(cpu, distBase+off, 4, uint64(v))
}
func (r *rig) cpuif(cpu int, off uint64) uint32 { return uint32(r.read(cpu, cpuBase+off, 4)) }
func (r *rig) setCPU(cpu int, off uint64, v uint32) {
	r.write(cpu, cpuBase+off, 4, uint64(v))
}

// linuxInit does what Linux's irq-gic driver does at boot: gic_dist_init on
// CPU 0, then gic_cpu_init and gic_cpu_if_up on every CPU.
func (r *rig) linuxInit() {
	r.setDist(0, gicdCTLR, 0)
	cpumask := r.dist(0, gicdITARGETSR) // gic_get_cpumask
	cpumask |= cpumask >> 16
	cpumask |= cpumask >> 8
	cpumask &= 0xff
	for id := uint64(32); id < virtIRQs; id += 16 {
		r.setDist(0, gicdICFGR+id/4, 0) // level-sensitive
	}
	for id := uint64(32); id < virtIRQs; id += 4 {
		r.setDist(0, gicdITARGETSR+id, cpumask*0x01010101)
		r.setDist(0, gicdIPRIORITYR+id, 0xa0a0a0a0)
	}
	for id := uint64(32); id < virtIRQs; id += 32 {
		r.setDist(0, gicdICACTIVER+id/8, 0xffffffff)
		r.setDist(0, gicdICENABLER+id/8, 0xffffffff)
	}
	r.setDist(0, gicdCTLR, 1)
	for cpu := range r.g.NumCPUs() {
		r.setDist(cpu, gicdICACTIVER, 0xffffffff)
		r.setDist(cpu, gicdICENABLER, 0xffff0000)
		r.setDist(cpu, gicdISENABLER, 0x0000ffff)
		for id := uint64(0); id < 32; id += 4 {
			r.setDist(cpu, gicdIPRIORITYR+id, 0xa0a0a0a0)
		}
		r.setCPU(cpu, giccPMR, 0xf0)
		bypass := r.cpuif(cpu, giccCTLR) & 0x1e0
		r.setCPU(cpu, giccCTLR, bypass|1)
	}
}

// step is one action of a scripted test.
type step struct {
	op   string // "d"/"c": write distributor/CPU interface; "D"/"C": read and compare; "spi"/"ppi": drive a line; "irq"/"fiq": check an output
	cpu  int
	off  uint64
	val  uint32 // value written or expected; line level (0/1) for spi/ppi/irq/fiq
	line int    // SPI number for "spi", INTID for "ppi"
}

func (r *rig) run(steps []step) {
	r.t.Helper()
	for i, s := range steps {
		where := fmt.Sprintf("step %d (%s cpu%d %#x)", i, s.op, s.cpu, s.off)
		var want, got uint32
		switch s.op {
		case "d":
			r.setDist(s.cpu, s.off, s.val)
			continue
		case "c":
			r.setCPU(s.cpu, s.off, s.val)
			continue
		case "D":
			want, got = s.val, r.dist(s.cpu, s.off)
		case "C":
			want, got = s.val, r.cpuif(s.cpu, s.off)
		case "spi":
			r.g.SPI(s.line).Set(s.val != 0)
			continue
		case "ppi":
			r.g.PPI(s.cpu, s.line).Set(s.val != 0)
			continue
		case "irq":
			want, got = s.val, b2u(r.irqs[s.cpu].level)
		case "fiq":
			want, got = s.val, b2u(r.fiqs[s.cpu].level)
		default:
			r.t.Fatalf("%s: unknown op", where)
		}
		if diff := cmp.Diff(fmt.Sprintf("%#x", want), fmt.Sprintf("%#x", got)); diff != "" {
			r.t.Errorf("%s (-want +got):\n%s", where, diff)
		}
	}
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

func TestIdentification(t *testing.T) {
	tests := []struct {
		name string
		ncpu int
		cpu  int
		off  uint64
		gicc bool
		want uint32
	}{
		{"GICD_TYPER, 1 CPU", 1, 0, gicdTYPER, false, 0x08},
		{"GICD_TYPER, 2 CPUs", 2, 1, gicdTYPER, false, 0x28},
		{"GICD_IIDR", 1, 0, gicdIIDR, false, 0x43b},
		{"GICD_PIDR4", 1, 0, 0xfd0, false, 0x04},
		{"GICD_PIDR0", 1, 0, 0xfe0, false, 0x90},
		{"GICD_PIDR1", 1, 0, 0xfe4, false, 0xb4},
		{"GICD_PIDR2 (ArchRev 2)", 1, 0, 0xfe8, false, 0x2b},
		{"GICD_PIDR3", 1, 0, 0xfec, false, 0x00},
		{"GICD_CIDR0", 1, 0, 0xff0, false, 0x0d},
		{"GICD_CIDR1", 1, 0, 0xff4, false, 0xf0},
		{"GICD_CIDR2", 1, 0, 0xff8, false, 0x05},
		{"GICD_CIDR3", 1, 0, 0xffc, false, 0xb1},
		{"GICC_IIDR", 1, 0, giccIIDR, true, 0x0002043b},
		{"GICC_IIDR, CPU 1", 2, 1, giccIIDR, true, 0x0002043b},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.ncpu)
			var got uint32
			if tt.gicc {
				got = r.cpuif(tt.cpu, tt.off)
			} else {
				got = r.dist(tt.cpu, tt.off)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if n := r.g.GuestErrors(); n != 0 {
				t.Errorf("GuestErrors() = %d", n)
			}
		})
	}
}

func TestResetValues(t *testing.T) {
	tests := []struct {
		name string
		ncpu int
		cpu  int
		off  uint64
		gicc bool
		want uint32
	}{
		{"GICD_CTLR", 1, 0, gicdCTLR, false, 0},
		{"GICD_IGROUPR0", 1, 0, gicdIGROUPR, false, 0},
		{"GICD_ISENABLER0: SGIs enabled", 1, 0, gicdISENABLER, false, 0xffff},
		{"GICD_ICENABLER0", 1, 0, gicdICENABLER, false, 0xffff},
		{"GICD_ISENABLER1", 1, 0, gicdISENABLER + 4, false, 0},
		{"GICD_ISPENDR0", 1, 0, gicdISPENDR, false, 0},
		{"GICD_ISACTIVER0", 1, 0, gicdISACTIVER, false, 0},
		{"GICD_IPRIORITYR8", 1, 0, gicdIPRIORITYR + 32, false, 0},
		{"GICD_ITARGETSR0, uniprocessor: RAZ", 1, 0, gicdITARGETSR, false, 0},
		{"GICD_ITARGETSR8, uniprocessor: RAZ", 1, 0, gicdITARGETSR + 32, false, 0},
		{"GICD_ITARGETSR0, CPU 0 of 2", 2, 0, gicdITARGETSR, false, 0x01010101},
		{"GICD_ITARGETSR7, CPU 1 of 2", 2, 1, gicdITARGETSR + 28, false, 0x02020202},
		{"GICD_ITARGETSR8, 2 CPUs: no target", 2, 0, gicdITARGETSR + 32, false, 0},
		{"GICD_ICFGR0: SGIs edge", 1, 0, gicdICFGR, false, 0xaaaaaaaa},
		{"GICD_ICFGR1: PPIs level", 1, 0, gicdICFGR + 4, false, 0},
		{"GICD_ICFGR2: SPIs level", 1, 0, gicdICFGR + 8, false, 0},
		{"GICD_SPENDSGIR0", 1, 0, gicdSPENDSGIR, false, 0},
		{"GICC_CTLR", 1, 0, giccCTLR, true, 0},
		{"GICC_PMR", 1, 0, giccPMR, true, 0},
		{"GICC_BPR", 1, 0, giccBPR, true, 0},
		{"GICC_ABPR", 1, 0, giccABPR, true, 1},
		{"GICC_RPR: idle", 1, 0, giccRPR, true, 0xff},
		{"GICC_HPPIR", 1, 0, giccHPPIR, true, Spurious},
		{"GICC_IAR", 1, 0, giccIAR, true, Spurious},
		{"GICC_APR0", 1, 0, giccAPR0, true, 0},
		{"GICC_NSAPR3", 1, 0, giccNSAPR0 + 12, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.ncpu)
			var got uint32
			if tt.gicc {
				got = r.cpuif(tt.cpu, tt.off)
			} else {
				got = r.dist(tt.cpu, tt.off)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Interrupts of the virt board used below.
const (
	uartSPI   = 1 // PL011: INTID 33
	rtcSPI    = 2 // PL031: INTID 34
	virtioSPI = 16
	vtimerPPI = 27
	ptimerPPI = 30
)

func TestScripts(t *testing.T) {
	tests := []struct {
		name  string
		ncpu  int
		setup func(r *rig)
		steps []step
	}{
		{
			name: "linux handler loop on a level-sensitive SPI",
			ncpu: 1, setup: (*rig).linuxInit,
			steps: []step{
				{op: "d", off: gicdISENABLER + 4, val: 1 << uartSPI},
				{op: "irq", val: 0},
				{op: "spi", line: uartSPI, val: 1},
				{op: "irq", val: 1},
				{op: "C", off: giccHPPIR, val: 33},
				{op: "C", off: giccIAR, val: 33},
				{op: "irq", val: 0}, // active: not signalled again
				{op: "C", off: giccRPR, val: 0xa0},
				{op: "D", off: gicdISACTIVER + 4, val: 1 << uartSPI},
				{op: "D", off: gicdISPENDR + 4, val: 1 << uartSPI}, // line still high
				{op: "C", off: giccIAR, val: Spurious},
				{op: "c", off: giccEOIR, val: 33},
				{op: "irq", val: 1}, // still asserted by the device
				{op: "C", off: giccIAR, val: 33},
				{op: "spi", line: uartSPI, val: 0}, // the handler quiets the device
				{op: "c", off: giccEOIR, val: 33},
				{op: "irq", val: 0},
				{op: "C", off: giccIAR, val: Spurious},
				{op: "c", off: giccEOIR, val: Spurious}, // ignored
				{op: "C", off: giccRPR, val: 0xff},
				{op: "D", off: gicdISACTIVER + 4, val: 0},
			},
		},
		{
			name: "disabled interrupt is pending but not signalled",
			ncpu: 1, setup: (*rig).linuxInit,
			steps: []step{
				{op: "spi", line: rtcSPI, val: 1},
				{op: "D", off: gicdISPENDR + 4, val: 1 << rtcSPI},
				{op: "irq", val: 0},
				{op: "C", off: giccIAR, val: Spurious},
				{op: "d", off: gicdISENABLER + 4, val: 1 << rtcSPI},
				{op: "irq", val: 1},
				{op: "d", off: gicdICENABLER + 4, val: 1 << rtcSPI},
				{op: "irq", val: 0},
			},
		},
		{
			name: "edge-triggered SPI latches and can be pending while active",
			ncpu: 1, setup: (*rig).linuxInit,
			steps: []step{
				{op: "d", off: gicdICFGR + 12, val: 2}, // INTID 48 (field 0 of ICFGR3): edge
				{op: "D", off: gicdICFGR + 12, val: 2},
				{op: "d", off: gicdISENABLER + 4, val: 1 << virtioSPI},
				{op: "spi", line: virtioSPI, val: 1},
				{op: "spi", line: virtioSPI, val: 0}, // a pulse
				{op: "irq", val: 1},
				{op: "C", off: giccIAR, val: 48},
				{op: "D", off: gicdISPENDR + 4, val: 0},
				{op: "spi", line: virtioSPI, val: 1}, // another edge while active
				{op: "D", off: gicdISPENDR + 4, val: 1 << virtioSPI},
				{op: "irq", val: 0},
				{op: "spi", line: virtioSPI, val: 1}, // no edge: nothing new
				{op: "c", off: giccEOIR, val: 48},
				{op: "irq", val: 1},
				{op: "C", off: giccIAR, val: 48},
				{op: "c", off: giccEOIR, val: 48},
				{op: "irq", val: 0}, // line still high, but no new edge
			},
		},
		{
			name: "GICD_ISPENDR and ICPENDR on a level-sensitive SPI",
			ncpu: 1, setup: (*rig).linuxInit,
			steps: []step{
				{op: "d", off: gicdISENABLER + 4, val: 1 << rtcSPI},
				{op: "d", off: gicdISPENDR + 4, val: 1 << rtcSPI},
				{op: "irq", val: 1},
				{op: "d", off: gicdICPENDR + 4, val: 1 << rtcSPI},
				{op: "irq", val: 0},
				{op: "d", off: gicdISPENDR + 4, val: 1 << rtcSPI},
				{op: "C", off: giccIAR, val: 34}, // acknowledging clears the latch
				{op: "c", off: giccEOIR, val: 34},
				{op: "irq", val: 0},
			},
		},
		{
			name: "priority mask",
			ncpu: 1, setup: (*rig).linuxInit,
			steps: []step{
				{op: "d", off: gicdISENABLER + 4, val: 1 << uartSPI},
				{op: "spi", line: uartSPI, val: 1},
				{op: "irq", val: 1},
				{op: "c", off: giccPMR, val: 0xa0}, // priority must be below the mask
				{op: "irq", val: 0},
				{op: "C", off: giccHPPIR, val: Spurious},
				{op: "C", off: giccIAR, val: Spurious},
				{op: "c", off: giccPMR, val: 0xa1},
				{op: "irq", val: 1},
				{op: "c", off: giccPMR, val: 0x1ff}, // 8 bits
				{op: "C", off: giccPMR, val: 0xff},
			},
		},
		{
			name: "highest priority wins, lowest INTID breaks ties",
			ncpu: 1, setup: (*rig).linuxInit,
			steps: []step{
				{op: "d", off: gicdISENABLER + 4, val: 1<<uartSPI | 1<<rtcSPI | 1<<virtioSPI},
				{op: "spi", line: virtioSPI, val: 1},
				{op: "spi", line: rtcSPI, val: 1},
				{op: "spi", line: uartSPI, val: 1},
				{op: "C", off: giccHPPIR, val: 33}, // all at 0xa0
				{op: "d", off: gicdIPRIORITYR + 48, val: 0x90},
				{op: "C", off: giccHPPIR, val: 48},
			},
		},
		{
			name: "preemption and running priority",
			ncpu: 1, setup: (*rig).linuxInit,
			steps: []step{
				{op: "d", off: gicdIPRIORITYR + 32, val: 0x40_80}, // INTID 32: 0x80, 33: 0x40
				{op: "d", off: gicdISENABLER + 4, val: 0b11},
				{op: "spi", line: 0, val: 1},
				{op: "C", off: giccIAR, val: 32},
				{op: "C", off: giccRPR, val: 0x80},
				{op: "C", off: giccAPR0 + 8, val: 1 << 0}, // level 0x80>>1 = 64: APR2 bit 0
				{op: "spi", line: 1, val: 1},
				{op: "irq", val: 1}, // 0x40 preempts 0x80
				{op: "C", off: giccIAR, val: 33},
				{op: "C", off: giccRPR, val: 0x40},
				{op: "C", off: giccAPR0 + 4, val: 1 << 0}, // level 32: APR1 bit 0
				{op: "spi", line: 1, val: 0},
				{op: "c", off: giccEOIR, val: 33},
				{op: "C", off: giccRPR, val: 0x80},
				{op: "irq", val: 0}, // INTID 32 is active
				{op: "spi", line: 0, val: 0},
				{op: "c", off: giccEOIR, val: 32},
				{op: "C", off: giccRPR, val: 0xff},
				{op: "C", off: giccAPR0 + 8, val: 0},
			},
		},
		{
			name: "writing GICC_APR sets the running priority",
			ncpu: 1, setup: (*rig).linuxInit,
			steps: []step{
				{op: "c", off: giccAPR0 + 4, val: 1 << 8}, // level 40
				{op: "C", off: giccRPR, val: 80},
				{op: "d", off: gicdISENABLER + 4, val: 1},
				{op: "spi", line: 0, val: 1}, // 0xa0 does not preempt 80
				{op: "irq", val: 0},
				{op: "c", off: giccAPR0 + 4, val: 0},
				{op: "irq", val: 1},
			},
		},
		{
			name: "groups: Group 0 to FIQ, Group 1 needs AckCtl",
			ncpu: 1, setup: (*rig).linuxInit,
			steps: []step{
				{op: "d", off: gicdIGROUPR + 4, val: 1 << rtcSPI}, // INTID 34: Group 1
				{op: "D", off: gicdIGROUPR + 4, val: 1 << rtcSPI},
				{op: "d", off: gicdCTLR, val: 3},
				{op: "D", off: gicdCTLR, val: 3},
				{op: "d", off: gicdIPRIORITYR + 32, val: 0x00_80_00_00}, // INTID 33: 0, 34: 0x80
				{op: "d", off: gicdISENABLER + 4, val: 1<<uartSPI | 1<<rtcSPI},
				{op: "spi", line: uartSPI, val: 1},
				{op: "c", off: giccCTLR, val: 1 | 1<<3}, // Group 0 with FIQEn
				{op: "fiq", val: 1},
				{op: "irq", val: 0},
				{op: "C", off: giccIAR, val: 33},
				{op: "fiq", val: 0},
				{op: "c", off: giccEOIR, val: 33},
				{op: "spi", line: uartSPI, val: 0},
				{op: "spi", line: rtcSPI, val: 1},
				{op: "irq", val: 0}, // Group 1 disabled at the CPU interface
				{op: "c", off: giccCTLR, val: 0b11 | 1<<3},
				{op: "irq", val: 1}, // Group 1 goes to IRQ
				{op: "C", off: giccHPPIR, val: 1022},
				{op: "C", off: giccIAR, val: 1022}, // AckCtl clear
				{op: "c", off: giccCTLR, val: 0b111 | 1<<3},
				{op: "C", off: giccIAR, val: 34},
				{op: "C", off: giccNSAPR0 + 8, val: 1}, // group priority 0x80 (ABPR 1): level 64, NSAPR2 bit 0
				{op: "C", off: giccRPR, val: 0x80},
				{op: "c", off: giccEOIR, val: 34},
				{op: "C", off: giccNSAPR0 + 8, val: 0},
			},
		},
		{
			name: "binary point decides preemption",
			ncpu: 1, setup: (*rig).linuxInit,
			steps: []step{
				{op: "c", off: giccBPR, val: 3},                   // group priority bits [7:4]
				{op: "d", off: gicdIPRIORITYR + 32, val: 0x81_84}, // INTID 32: 0x84, 33: 0x81
				{op: "d", off: gicdISENABLER + 4, val: 0b11},
				{op: "spi", line: 0, val: 1},
				{op: "C", off: giccIAR, val: 32},
				{op: "C", off: giccRPR, val: 0x80},
				{op: "spi", line: 1, val: 1},
				{op: "irq", val: 0}, // same group priority: no preemption
				{op: "C", off: giccIAR, val: Spurious},
				{op: "c", off: giccEOIR, val: 32},
				{op: "irq", val: 1},
				{op: "c", off: giccBPR, val: 0}, // now 0x81 preempts 0x84
				{op: "C", off: giccIAR, val: 33},
				{op: "C", off: giccRPR, val: 0x80},
				{op: "spi", line: 0, val: 1},
				{op: "irq", val: 0},
			},
		},
		{
			name: "EOImodeS splits priority drop and deactivation",
			ncpu: 1, setup: (*rig).linuxInit,
			steps: []step{
				{op: "c", off: giccCTLR, val: 1 | 1<<9},
				{op: "d", off: gicdISENABLER + 4, val: 1 << uartSPI},
				{op: "spi", line: uartSPI, val: 1},
				{op: "C", off: giccIAR, val: 33},
				{op: "c", off: giccEOIR, val: 33},
				{op: "C", off: giccRPR, val: 0xff}, // priority dropped
				{op: "D", off: gicdISACTIVER + 4, val: 1 << uartSPI},
				{op: "irq", val: 0}, // still active
				{op: "c", off: giccDIR, val: 33},
				{op: "D", off: gicdISACTIVER + 4, val: 0},
				{op: "irq", val: 1},
			},
		},
		{
			name: "GICD_ISACTIVER and ICACTIVER",
			ncpu: 1, setup: (*rig).linuxInit,
			steps: []step{
				{op: "d", off: gicdISENABLER + 4, val: 1 << uartSPI},
				{op: "d", off: gicdISACTIVER + 4, val: 1 << uartSPI},
				{op: "spi", line: uartSPI, val: 1},
				{op: "irq", val: 0},
				{op: "d", off: gicdICACTIVER + 4, val: 1 << uartSPI},
				{op: "irq", val: 1},
			},
		},
		{
			name: "distributor or CPU interface disabled",
			ncpu: 1, setup: (*rig).linuxInit,
			steps: []step{
				{op: "d", off: gicdISENABLER + 4, val: 1 << uartSPI},
				{op: "spi", line: uartSPI, val: 1},
				{op: "irq", val: 1},
				{op: "d", off: gicdCTLR, val: 0},
				{op: "irq", val: 0},
				{op: "C", off: giccIAR, val: Spurious},
				{op: "d", off: gicdCTLR, val: 1},
				{op: "c", off: giccCTLR, val: 0},
				{op: "irq", val: 0},
				{op: "c", off: giccCTLR, val: 1},
				{op: "irq", val: 1},
			},
		},
		{
			name: "timer PPIs are per CPU",
			ncpu: 2, setup: (*rig).linuxInit,
			steps: []step{
				{op: "d", cpu: 0, off: gicdISENABLER, val: 1 << vtimerPPI},
				{op: "d", cpu: 1, off: gicdISENABLER, val: 1 << ptimerPPI},
				{op: "D", cpu: 0, off: gicdISENABLER, val: 0xffff | 1<<vtimerPPI},
				{op: "D", cpu: 1, off: gicdISENABLER, val: 0xffff | 1<<ptimerPPI},
				{op: "ppi", cpu: 1, line: vtimerPPI, val: 1}, // enabled on CPU 0 only
				{op: "irq", cpu: 0, val: 0},
				{op: "irq", cpu: 1, val: 0},
				{op: "D", cpu: 1, off: gicdISPENDR, val: 1 << vtimerPPI},
				{op: "D", cpu: 0, off: gicdISPENDR, val: 0},
				{op: "ppi", cpu: 0, line: vtimerPPI, val: 1},
				{op: "irq", cpu: 0, val: 1},
				{op: "C", cpu: 0, off: giccIAR, val: vtimerPPI},
				{op: "ppi", cpu: 1, line: ptimerPPI, val: 1},
				{op: "irq", cpu: 1, val: 1},
				{op: "C", cpu: 1, off: giccIAR, val: ptimerPPI},
				{op: "D", cpu: 0, off: gicdISACTIVER, val: 1 << vtimerPPI},
				{op: "D", cpu: 1, off: gicdISACTIVER, val: 1 << ptimerPPI},
				{op: "d", cpu: 1, off: gicdIPRIORITYR + 24, val: 0x10 << 24}, // INTIDs 24-27, CPU 1 only
				{op: "D", cpu: 1, off: gicdIPRIORITYR + 24, val: 0x10000000},
				{op: "D", cpu: 0, off: gicdIPRIORITYR + 24, val: 0xa0a0a0a0},
			},
		},
		{
			name: "SGIs between two CPUs",
			ncpu: 2, setup: (*rig).linuxInit,
			steps: []step{
				{op: "d", cpu: 0, off: gicdSGIR, val: 0b10<<16 | 5}, // CPU 0 -> CPU 1, SGI 5
				{op: "irq", cpu: 0, val: 0},
				{op: "irq", cpu: 1, val: 1},
				{op: "D", cpu: 1, off: gicdISPENDR, val: 1 << 5},
				{op: "D", cpu: 1, off: gicdSPENDSGIR + 4, val: 0b01 << 8}, // SGI 5 from CPU 0
				{op: "C", cpu: 1, off: giccHPPIR, val: 5},
				{op: "C", cpu: 1, off: giccIAR, val: 5},
				{op: "c", cpu: 1, off: giccEOIR, val: 5},
				{op: "d", cpu: 1, off: gicdSGIR, val: 1<<24 | 3}, // all but self
				{op: "irq", cpu: 0, val: 1},
				{op: "irq", cpu: 1, val: 0},
				{op: "C", cpu: 0, off: giccHPPIR, val: 1<<10 | 3},
				{op: "C", cpu: 0, off: giccIAR, val: 1<<10 | 3}, // source CPU 1
				{op: "c", cpu: 0, off: giccEOIR, val: 1<<10 | 3},
				{op: "d", cpu: 0, off: gicdSGIR, val: 2<<24 | 7}, // self
				{op: "C", cpu: 0, off: giccIAR, val: 7},
				{op: "c", cpu: 0, off: giccEOIR, val: 7},
				{op: "irq", cpu: 0, val: 0},
			},
		},
		{
			name: "one SGI from two sources is acknowledged twice",
			ncpu: 2, setup: (*rig).linuxInit,
			steps: []step{
				{op: "d", cpu: 0, off: gicdSGIR, val: 0b10<<16 | 2},
				{op: "d", cpu: 1, off: gicdSGIR, val: 2<<24 | 2},
				{op: "D", cpu: 1, off: gicdSPENDSGIR, val: 0b11 << 16},
				{op: "C", cpu: 1, off: giccIAR, val: 2},
				{op: "D", cpu: 1, off: gicdSPENDSGIR, val: 0b10 << 16},
				{op: "irq", cpu: 1, val: 0}, // SGI 2 active
				{op: "c", cpu: 1, off: giccEOIR, val: 2},
				{op: "irq", cpu: 1, val: 1},
				{op: "C", cpu: 1, off: giccIAR, val: 1<<10 | 2},
				{op: "c", cpu: 1, off: giccEOIR, val: 1<<10 | 2},
				{op: "irq", cpu: 1, val: 0},
				{op: "D", cpu: 1, off: gicdISPENDR, val: 0},
			},
		},
		{
			name: "GICD_SPENDSGIR and CPENDSGIR",
			ncpu: 2, setup: (*rig).linuxInit,
			steps: []step{
				{op: "d", cpu: 0, off: gicdSPENDSGIR + 12, val: 0xff << 8}, // SGI 13 "from" CPUs 0-7
				{op: "D", cpu: 0, off: gicdSPENDSGIR + 12, val: 0x03 << 8}, // only 2 CPUs exist
				{op: "D", cpu: 0, off: gicdCPENDSGIR + 12, val: 0x03 << 8},
				{op: "d", cpu: 0, off: gicdSPENDSGIR + 12, val: 0}, // zero: no change
				{op: "D", cpu: 0, off: gicdISPENDR, val: 1 << 13},
				{op: "d", cpu: 0, off: gicdCPENDSGIR + 12, val: 0x01 << 8},
				{op: "D", cpu: 0, off: gicdISPENDR, val: 1 << 13},
				{op: "C", cpu: 0, off: giccIAR, val: 1<<10 | 13},
				{op: "D", cpu: 0, off: gicdISPENDR, val: 0},
				{op: "d", cpu: 0, off: gicdSPENDSGIR, val: 0x02},
				{op: "d", cpu: 0, off: gicdCPENDSGIR, val: 0xff},
				{op: "D", cpu: 0, off: gicdISPENDR, val: 0},
				{op: "D", cpu: 1, off: gicdSPENDSGIR + 12, val: 0}, // banked per CPU
			},
		},
		{
			name: "SPI routing follows GICD_ITARGETSR, 1-N",
			ncpu: 2, setup: (*rig).linuxInit,
			steps: []step{
				{op: "D", off: gicdITARGETSR + 32, val: 0x01010101}, // Linux put everything on CPU 0
				{op: "d", off: gicdITARGETSR + 32, val: 0x02_00},    // INTID 33 -> CPU 1
				{op: "D", off: gicdITARGETSR + 32, val: 0x02_00},
				{op: "d", off: gicdISENABLER + 4, val: 1<<uartSPI | 1<<rtcSPI},
				{op: "spi", line: uartSPI, val: 1},
				{op: "irq", cpu: 0, val: 0},
				{op: "irq", cpu: 1, val: 1},
				{op: "d", off: gicdITARGETSR + 34, val: 0xff}, // INTID 34 -> both (only 2 exist)
				{op: "D", off: gicdITARGETSR + 32, val: 0x03_02_00},
				{op: "spi", line: rtcSPI, val: 1},
				{op: "irq", cpu: 0, val: 1},
				{op: "C", cpu: 0, off: giccIAR, val: 34},
				{op: "irq", cpu: 0, val: 0},
				{op: "C", cpu: 1, off: giccIAR, val: 33}, // 34 is taken by CPU 0
				{op: "C", cpu: 1, off: giccIAR, val: Spurious},
				{op: "c", cpu: 0, off: giccEOIR, val: 34},
				{op: "irq", cpu: 0, val: 1}, // line still high
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.ncpu)
			if tt.setup != nil {
				tt.setup(r)
			}
			r.run(tt.steps)
			if n := r.g.GuestErrors(); n != 0 {
				t.Errorf("GuestErrors() = %d", n)
			}
		})
	}
}

func TestRegisterMasks(t *testing.T) {
	tests := []struct {
		name  string
		gicc  bool
		off   uint64
		write uint32
		want  uint32
	}{
		{"GICD_CTLR keeps EnableGrp0 and EnableGrp1", false, gicdCTLR, 0xffffffff, 3},
		{"GICD_IGROUPR is read/write", false, gicdIGROUPR + 8, 0xdeadbeef, 0xdeadbeef},
		{"GICD_IGROUPR0 is banked and writable", false, gicdIGROUPR, 0xffffffff, 0xffffffff},
		{"GICD_ISENABLER0 SGI bits are RAO/WI", false, gicdICENABLER, 0xffffffff, 0xffff},
		{"GICD_ISPENDR0 SGI bits ignore writes", false, gicdISPENDR, 0xffff, 0},
		{"GICD_ICFGR0 is read-only for SGIs", false, gicdICFGR, 0, 0xaaaaaaaa},
		{"GICD_ICFGR1 model bits read as zero", false, gicdICFGR + 4, 0xffffffff, 0xaaaaaaaa},
		{"GICD_IPRIORITYR keeps all 8 bits", false, gicdIPRIORITYR + 64, 0xff01807f, 0xff01807f},
		{"GICC_CTLR keeps QEMU's GICv2 bits", true, giccCTLR, 0xffffffff, 0x21f},
		{"GICC_PMR keeps 8 bits", true, giccPMR, 0x123, 0x23},
		{"GICC_BPR minimum 0", true, giccBPR, 0, 0},
		{"GICC_BPR 3 bits", true, giccBPR, 0xf, 7},
		{"GICC_ABPR minimum 1", true, giccABPR, 0, 1},
		{"GICC_ABPR 3 bits", true, giccABPR, 0xe, 6},
		{"GICC_APR3 is read/write", true, giccAPR0 + 12, 0x80000000, 0x80000000},
		{"GICC_NSAPR1 is read/write", true, giccNSAPR0 + 4, 0x1234, 0x1234},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, 1)
			var got uint32
			if tt.gicc {
				r.setCPU(0, tt.off, tt.write)
				got = r.cpuif(0, tt.off)
			} else {
				r.setDist(0, tt.off, tt.write)
				got = r.dist(0, tt.off)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if n := r.g.GuestErrors(); n != 0 {
				t.Errorf("GuestErrors() = %d", n)
			}
		})
	}
}

func TestNarrowAccesses(t *testing.T) {
	r := newRig(t, 2)
	r.linuxInit()
	r.write(0, distBase+gicdIPRIORITYR+41, 1, 0x55)   // byte: INTID 41
	r.write(0, distBase+gicdIPRIORITYR+42, 2, 0x7766) // halfword: INTIDs 42, 43
	r.write(0, distBase+gicdITARGETSR+45, 1, 0x02)
	r.write(0, distBase+gicdISENABLER+5, 1, 0x01) // INTID 40
	r.write(0, cpuBase+giccPMR, 1, 0xe0)
	got := []uint64{
		r.read(0, distBase+gicdIPRIORITYR+40, 4),
		r.read(0, distBase+gicdIPRIORITYR+41, 1),
		r.read(0, distBase+gicdIPRIORITYR+42, 2),
		r.read(1, distBase+gicdITARGETSR+44, 4),
		r.read(0, distBase+gicdISENABLER+4, 4),
		r.read(0, distBase+gicdTYPER, 1),
		r.read(0, distBase+gicdIIDR+1, 1),
		r.read(0, cpuBase+giccPMR, 4),
		r.read(0, distBase+0xfe9, 1), // not the first byte of an ID register
	}
	want := []uint64{0x776655a0, 0x55, 0x7766, 0x01010201, 0x100, 0x28, 0x04, 0xe0, 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if n := r.g.GuestErrors(); n != 0 {
		t.Errorf("GuestErrors() = %d", n)
	}
}

func TestUniprocessorTargetsAreRAZWI(t *testing.T) {
	r := newRig(t, 1)
	r.setDist(0, gicdITARGETSR+32, 0xffffffff)
	got := []uint32{r.dist(0, gicdITARGETSR+32), uint32(r.g.GuestErrors())}
	if diff := cmp.Diff([]uint32{0, 0}, got); diff != "" {
		t.Errorf("[ITARGETSR8, guest errors] (-want +got):\n%s", diff)
	}
	// Every SPI still goes to CPU 0.
	r.setDist(0, gicdCTLR, 1)
	r.setCPU(0, giccCTLR, 1)
	r.setCPU(0, giccPMR, 0xff)
	r.setDist(0, gicdISENABLER+28, 1<<31) // INTID 255
	r.g.SPI(255 - 32).Set(true)
	if diff := cmp.Diff(uint32(255), r.cpuif(0, giccIAR)); diff != "" {
		t.Errorf("GICC_IAR (-want +got):\n%s", diff)
	}
}

func TestCurrentCPUViews(t *testing.T) {
	// One bus for both CPUs, as a board with one address space uses it.
	g := New(2, virtIRQs)
	b := bus.New()
	if err := b.MapDevice("gicd", distBase, DistributorSize, g.Distributor()); err != nil {
		t.Fatal(err)
	}
	if err := b.MapDevice("gicc", cpuBase, CPUInterfaceSize, g.CurrentCPUInterface()); err != nil {
		t.Fatal(err)
	}
	rd := func(a uint64) uint32 { v, _ := b.Read(a, 4); return uint32(v) }
	wr := func(a uint64, v uint32) { b.Write(a, 4, uint64(v)) }
	var got []uint32
	for cpu := range 2 {
		g.SetCurrentCPU(cpu)
		wr(distBase+gicdCTLR, 1)
		wr(cpuBase+giccCTLR, 1)
		wr(cpuBase+giccPMR, 0xf0)
	}
	g.SetCurrentCPU(0)
	wr(distBase+gicdSGIR, 1<<24|9) // to CPU 1
	got = append(got, rd(distBase+gicdITARGETSR), rd(cpuBase+giccIAR))
	g.SetCurrentCPU(1)
	got = append(got, rd(distBase+gicdITARGETSR), rd(cpuBase+giccIAR))
	want := []uint32{0x01010101, Spurious, 0x02020202, 9}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("[CPU0 ITARGETSR0, CPU0 IAR, CPU1 ITARGETSR0, CPU1 IAR] (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{false, false}, []bool{g.IRQLevel(0), g.IRQLevel(1)}); diff != "" {
		t.Errorf("IRQ levels after acknowledging (-want +got):\n%s", diff)
	}
}

func TestGuestErrors(t *testing.T) {
	tests := []struct {
		name  string
		gicc  bool
		write bool
		off   uint64
		size  int
	}{
		{"GICD reserved word read", false, false, 0x00c, 4},
		{"GICD_TYPER write", false, true, gicdTYPER, 4},
		{"GICD_IIDR write", false, true, gicdIIDR, 4},
		{"GICD_IGROUPR beyond the interrupts", false, false, gicdIGROUPR + 0x24, 4},
		{"GICD_ISENABLER beyond the interrupts", false, true, gicdISENABLER + 0x24, 4},
		{"GICD_IPRIORITYR beyond the interrupts", false, false, gicdIPRIORITYR + 288, 4},
		{"GICD_ICFGR beyond the interrupts", false, true, gicdICFGR + 0x48, 4},
		{"GICD_SGIR read", false, false, gicdSGIR, 4},
		{"GICD_SGIR byte write", false, true, gicdSGIR, 1},
		{"GICD hole after SGI registers", false, false, 0xf30, 4},
		{"GICD ID register write", false, true, 0xfe8, 4},
		{"GICD 8-byte read", false, false, gicdCTLR, 8},
		{"GICC_EOIR read", true, false, giccEOIR, 4},
		{"GICC_IAR write", true, true, giccIAR, 4},
		{"GICC_AIAR read (not implemented)", true, false, giccAIAR, 4},
		{"GICC_AEOIR write (not implemented)", true, true, giccAEOIR, 4},
		{"GICC_AHPPIR read (not implemented)", true, false, giccAHPPIR, 4},
		{"GICC_DIR read", true, false, giccDIR, 4},
		{"GICC_DIR write with EOImodeS clear", true, true, giccDIR, 4},
		{"GICC unaligned read", true, false, giccPMR + 1, 1},
		{"GICC 8-byte write", true, true, giccCTLR, 8},
		{"GICC past the registers", true, false, 0x1004, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, 1)
			r.linuxInit()
			before := r.g.State()
			base := uint64(distBase)
			if tt.gicc {
				base = cpuBase
			}
			var got uint64
			if tt.write {
				r.write(0, base+tt.off, tt.size, 0x21) // GICC_DIR: INTID 33
			} else {
				got = r.read(0, base+tt.off, tt.size)
			}
			if diff := cmp.Diff(uint64(0), got); diff != "" {
				t.Errorf("read value (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(uint64(1), r.g.GuestErrors()); diff != "" {
				t.Errorf("GuestErrors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, r.g.State()); diff != "" {
				t.Errorf("state changed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReservedTargetListFilter(t *testing.T) {
	r := newRig(t, 2)
	r.linuxInit()
	r.setDist(0, gicdSGIR, 3<<24|1)
	got := []uint32{r.cpuif(0, giccIAR), r.cpuif(1, giccIAR), uint32(r.g.GuestErrors())}
	if diff := cmp.Diff([]uint32{1, 1, 1}, got); diff != "" {
		t.Errorf("[CPU0 IAR, CPU1 IAR, guest errors] (-want +got):\n%s", diff)
	}
}

func TestResetKeepsInputLevels(t *testing.T) {
	r := newRig(t, 1)
	r.linuxInit()
	r.g.SPI(uartSPI).Set(true)
	r.g.PPI(0, vtimerPPI).Set(true)
	r.setDist(0, gicdISENABLER+4, 1<<uartSPI)
	if !r.irqs[0].level {
		t.Fatal("IRQ low before reset")
	}
	r.g.Reset()
	if r.irqs[0].level {
		t.Error("IRQ high after reset")
	}
	// The lines are still high: a level interrupt is pending.
	got := []uint32{r.dist(0, gicdISPENDR), r.dist(0, gicdISPENDR+4), r.dist(0, gicdISENABLER+4)}
	if diff := cmp.Diff([]uint32{1 << vtimerPPI, 1 << uartSPI, 0}, got); diff != "" {
		t.Errorf("[ISPENDR0, ISPENDR1, ISENABLER1] after reset (-want +got):\n%s", diff)
	}
}

// busyState leaves a 2-CPU GIC mid-way through handling interrupts.
func busyState(r *rig) {
	r.linuxInit()
	r.setDist(0, gicdISENABLER+4, 1<<uartSPI|1<<virtioSPI)
	r.setDist(0, gicdICFGR+12, 2) // INTID 48 edge
	r.setDist(0, gicdITARGETSR+48, 2)
	r.setDist(1, gicdISENABLER, 1<<vtimerPPI)
	r.setDist(0, gicdIGROUPR+4, 1<<rtcSPI)
	r.setCPU(1, giccBPR, 2)
	r.setCPU(1, giccCTLR, 1|1<<9)
	r.g.SPI(uartSPI).Set(true)
	r.g.SPI(virtioSPI).Set(true)
	r.g.PPI(1, vtimerPPI).Set(true)
	r.setDist(0, gicdSGIR, 0b10<<16|4)
	r.setDist(1, gicdSGIR, 2<<24|4)
	r.cpuif(0, giccIAR) // 33 active on CPU 0
	r.cpuif(1, giccIAR) // SGI 4 from CPU 0 active on CPU 1
}

func TestStateRoundTrip(t *testing.T) {
	r := newRig(t, 2)
	busyState(r)
	saved := r.g.State()

	r2 := newRig(t, 2)
	if err := r2.g.Restore(saved); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if diff := cmp.Diff(saved, r2.g.State()); diff != "" {
		t.Errorf("restored state (-want +got):\n%s", diff)
	}
	// Both GICs must now behave alike.
	trace := func(r *rig) []string {
		var out []string
		note := func(what string, v uint32) {
			out = append(out, fmt.Sprintf("%s=%#x irq0=%v irq1=%v", what, v, r.irqs[0].level, r.irqs[1].level))
		}
		note("cpu1 RPR", r.cpuif(1, giccRPR))
		r.setCPU(1, giccEOIR, 4)
		note("cpu1 IAR", r.cpuif(1, giccIAR))
		note("cpu1 IAR", r.cpuif(1, giccIAR))
		r.setCPU(0, giccEOIR, 33)
		note("cpu0 IAR", r.cpuif(0, giccIAR))
		return out
	}
	if diff := cmp.Diff(trace(r), trace(r2)); diff != "" {
		t.Errorf("restored GIC diverges (-original +restored):\n%s", diff)
	}
}

func TestRestoreRejectsBadState(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*State)
	}{
		{"version", func(s *State) { s.Version = 0 }},
		{"CPU count", func(s *State) { s.NumCPUs = 1 }},
		{"interrupt count", func(s *State) { s.NumIRQs = 256 }},
		{"SPI slice", func(s *State) { s.SPIs = s.SPIs[:10] }},
		{"CPU slice", func(s *State) { s.CPUs = s.CPUs[:1] }},
		{"GICD_CTLR", func(s *State) { s.CTLR = 4 }},
		{"target beyond the CPUs", func(s *State) { s.SPIs[3].Target = 0x04 }},
		{"GICC_CTLR", func(s *State) { s.CPUs[1].CTLR = 1 << 10 }},
		{"GICC_PMR", func(s *State) { s.CPUs[0].PMR = 0x100 }},
		{"GICC_BPR", func(s *State) { s.CPUs[0].BPR = 8 }},
		{"GICC_ABPR", func(s *State) { s.CPUs[0].ABPR = 0 }},
		{"private target", func(s *State) { s.CPUs[0].Private[20].Target = 1 }},
		{"SGI disabled", func(s *State) { s.CPUs[0].Private[3].Enabled = false }},
		{"SGI level", func(s *State) { s.CPUs[0].Private[3].Edge = false }},
		{"SGI pending without source", func(s *State) { s.CPUs[0].Private[3].Pending = true }},
		{"SGI source without pending", func(s *State) { s.CPUs[0].SGISources[3] = 1 }},
		{"SGI from a missing CPU", func(s *State) {
			s.CPUs[0].SGISources[3] = 4
			s.CPUs[0].Private[3].Pending = true
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, 2)
			busyState(r)
			before := r.g.State()
			s := r.g.State() // a deep copy: fresh slices
			tt.mutate(&s)
			if err := r.g.Restore(s); !errors.Is(err, ErrBadState) {
				t.Fatalf("Restore() = %v, want an ErrBadState", err)
			}
			if diff := cmp.Diff(before, r.g.State()); diff != "" {
				t.Errorf("state changed by a failed Restore (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUniprocessorRestoreChecksTargets(t *testing.T) {
	g := New(1, virtIRQs)
	s := g.State()
	s.SPIs[0].Target = 0
	if err := g.Restore(s); !errors.Is(err, ErrBadState) {
		t.Errorf("Restore() = %v, want an ErrBadState", err)
	}
}

func TestNewRejectsBadConfiguration(t *testing.T) {
	tests := []struct{ cpus, irqs int }{{0, 288}, {9, 288}, {1, 16}, {1, 100}, {1, 1024}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d CPUs, %d IRQs", tt.cpus, tt.irqs), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("New did not panic")
				}
			}()
			New(tt.cpus, tt.irqs)
		})
	}
}
