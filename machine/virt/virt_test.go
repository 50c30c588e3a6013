package virt

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"mimic/bios/fdt"
	"mimic/bios/psci"
	"mimic/cpu/arm"
	"mimic/devices/virtio/gpu"
)

const linuxCmdline = "console=ttyAMA0 root=/dev/ram"

// qemuOnly lists the nodes of QEMU's tree that Mimic lacks (testdata/README).
var qemuOnly = []string{"/pcie@10000000", "/intc@8000000/v2m@8020000"}

// normalise removes QEMU-only nodes and blanks the random seeds.
func normalise(t *testing.T, tree *fdt.Tree, qemu bool) {
	t.Helper()
	if qemu {
		for _, path := range qemuOnly {
			dir, name := filepath.Split(path)
			parent := tree.Root.Find(filepath.Clean(dir))
			if parent == nil {
				continue
			}
			for i, c := range parent.Children {
				if c.Name == name {
					parent.Children = append(parent.Children[:i], parent.Children[i+1:]...)
					break
				}
			}
		}
	}
	if chosen := tree.Root.Find("/chosen"); chosen != nil {
		for _, seed := range []string{"rng-seed", "kaslr-seed"} {
			if p := chosen.Prop(seed); p != nil {
				p.Value = make([]byte, len(p.Value))
			}
		}
	}
}

func readTree(t *testing.T, blob []byte) *fdt.Tree {
	t.Helper()
	tree, err := fdt.UnmarshalTree(blob)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// TestDeviceTreeMatchesQEMU compares Mimic's device tree with the ones
// QEMU 7.2 gave for the same machines (testdata/README).
func TestDeviceTreeMatchesQEMU(t *testing.T) {
	linux := Config{RAMSize: 512 << 20, Kernel: "testdata/kernel.bin", Initrd: "testdata/initrd.cpio.gz", Append: linuxCmdline}
	user := linux
	user.DTB = "testdata/user.dtb"
	desktop := Config{RAMFB: true, Virtio: []VirtioSpec{
		{Kind: VirtioGPU, GPU: gpu.Options{XRes: 800, YRes: 600}}, {Kind: VirtioKeyboard}, {Kind: VirtioTablet}}}
	tests := []struct {
		golden string
		cfg    Config
	}{
		{"qemu-default.dtb", Config{}},
		{"qemu-linux.dtb", linux},
		{"qemu-userdtb.dtb", user},
		{"qemu-desktop.dtb.gz", desktop},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata", tt.golden))
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(tt.golden, ".gz") {
				zr, err := gzip.NewReader(bytes.NewReader(want))
				if err != nil {
					t.Fatal(err)
				}
				if want, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			tt.cfg.ICountShift = 0
			blob, err := DeviceTree(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			wantTree, gotTree := readTree(t, want), readTree(t, blob)
			normalise(t, wantTree, true)
			normalise(t, gotTree, false)
			if diff := cmp.Diff(wantTree, gotTree, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("device tree differs from QEMU's beyond the documented differences (-qemu +mimic):\n%s", diff)
			}
		})
	}
}

// TestDeviceTreeDtc decompiles the board's tree with dtc, when installed,
// and requires no warnings.
func TestDeviceTreeDtc(t *testing.T) {
	dtc, err := exec.LookPath("dtc")
	if err != nil {
		t.Skip("dtc not installed")
	}
	blob, err := DeviceTree(Config{RAMSize: 512 << 20, Kernel: "testdata/kernel.bin", Initrd: "testdata/initrd.cpio.gz", Append: linuxCmdline})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(dtc, "-I", "dtb", "-O", "dts", "-o", os.DevNull, "-")
	cmd.Stdin = bytes.NewReader(blob)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Errorf("dtc: %v\n%s", err, stderr.String())
	}
}

// TestDeviceTreeDeterministic: in deterministic mode the tree, seeds
// included, is the same on every run.
func TestDeviceTreeDeterministic(t *testing.T) {
	a, err := DeviceTree(Config{ICountShift: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, err := DeviceTree(Config{ICountShift: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two deterministic device trees differ")
	}
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func armCode(words ...uint32) []byte {
	b := make([]byte, 4*len(words))
	for i, w := range words {
		binary.LittleEndian.PutUint32(b[4*i:], w)
	}
	return b
}

// TestLinuxBootState checks registers and memory at the kernel's first
// instruction against what QEMU 7.2 showed (-d in_asm,cpu): PC at RAM base
// + 0x10000, r0 = 0, r1 = 0xffffffff, r2 = the DTB after the initrd, SVC
// mode with IRQs, FIQs and aborts masked, ARM state.
func TestLinuxBootState(t *testing.T) {
	kernel, err := os.ReadFile("testdata/kernel.bin")
	if err != nil {
		t.Fatal(err)
	}
	initrd, err := os.ReadFile("testdata/initrd.cpio.gz")
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(Config{RAMSize: 512 << 20, Kernel: "testdata/kernel.bin", Initrd: "testdata/initrd.cpio.gz", Append: linuxCmdline})
	if err != nil {
		t.Fatal(err)
	}
	c := m.CPU
	got := []uint32{c.Reg(0), c.Reg(1), c.Reg(2), c.Reg(15), c.CPSR() & 0x1ff}
	want := []uint32{0, 0xffffffff, 0x48001000, 0x40010000, 0x1d3}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("r0, r1, r2, pc, CPSR[8:0] (-want +got):\n%s", diff)
	}
	ram := m.RAM()
	if !bytes.Equal(ram[0x10000:0x10000+len(kernel)], kernel) {
		t.Error("kernel not at RAM base + 0x10000")
	}
	if !bytes.Equal(ram[0x8000000:0x8000000+len(initrd)], initrd) {
		t.Error("initrd not at RAM base + 128 MiB")
	}
	dtb := ram[0x8001000 : 0x8001000+len(m.DTB())]
	if !bytes.Equal(dtb, m.DTB()) {
		t.Fatal("DTB not at 0x48001000")
	}
	tree := readTree(t, dtb)
	if s, _ := tree.Root.Find("/chosen").GetString("bootargs"); s != linuxCmdline {
		t.Errorf("bootargs = %q", s)
	}
	if s, _ := tree.Root.Find("/chosen").GetString("stdout-path"); s != "/pl011@9000000" {
		t.Errorf("stdout-path = %q", s)
	}
}

// TestELFBootState: a bare-metal ELF gets no registers, and the DTB at
// RAM base when the ELF leaves it free (QEMU 7.2 does the same).
func TestELFBootState(t *testing.T) {
	elfFile := makeELF(t, 0x40100000, 0x40100000, armCode(0xeafffffe))
	m, err := New(Config{Kernel: writeTemp(t, "prog.elf", elfFile)})
	if err != nil {
		t.Fatal(err)
	}
	if m.CPU.Reg(15) != 0x40100000 || m.CPU.Reg(2) != 0 || m.CPU.Reg(1) != 0 {
		t.Errorf("pc %#x r1 %#x r2 %#x; want 0x40100000, 0, 0", m.CPU.Reg(15), m.CPU.Reg(1), m.CPU.Reg(2))
	}
	if got := binary.BigEndian.Uint32(m.RAM()); got != 0xd00dfeed {
		t.Errorf("RAM base holds %#x, want the DTB magic", got)
	}
}

// makeELF returns an ARM ELF executable with one segment.
func makeELF(t *testing.T, addr, entry uint32, code []byte) []byte {
	t.Helper()
	const off = 0x100
	b := make([]byte, off+len(code))
	copy(b, "\x7fELF\x01\x01\x01")
	le := binary.LittleEndian
	le.PutUint16(b[16:], 2)  // ET_EXEC
	le.PutUint16(b[18:], 40) // EM_ARM
	le.PutUint32(b[20:], 1)
	le.PutUint32(b[24:], entry)
	le.PutUint32(b[28:], 52) // e_phoff
	le.PutUint16(b[40:], 52)
	le.PutUint16(b[42:], 32)
	le.PutUint16(b[44:], 1)
	le.PutUint16(b[46:], 40)
	p := b[52:]
	le.PutUint32(p[0:], 1) // PT_LOAD
	le.PutUint32(p[4:], off)
	le.PutUint32(p[8:], addr)
	le.PutUint32(p[12:], addr)
	le.PutUint32(p[16:], uint32(len(code)))
	le.PutUint32(p[20:], uint32(len(code)))
	le.PutUint32(p[24:], 5)
	le.PutUint32(p[28:], 4)
	copy(b[off:], code)
	return b
}

func TestFirmwareBoot(t *testing.T) {
	fw := armCode(0xeafffffe)
	m, err := New(Config{Bios: writeTemp(t, "u-boot.bin", fw)})
	if err != nil {
		t.Fatal(err)
	}
	if m.CPU.Reg(15) != 0 {
		t.Errorf("pc = %#x, want 0", m.CPU.Reg(15))
	}
	if v, ok := m.Bus.Read(0, 4); !ok || v != 0xeafffffe {
		t.Errorf("flash[0] = %#x, %v", v, ok)
	}
	if m.Bus.Write(0, 4, 0) && func() bool { v, _ := m.Bus.Read(0, 4); return v != 0xeafffffe }() {
		t.Error("flash is writable")
	}
	if got := binary.BigEndian.Uint32(m.RAM()); got != 0xd00dfeed {
		t.Errorf("RAM base holds %#x, want the DTB for the firmware", got)
	}
}

func TestConfigErrors(t *testing.T) {
	arm64 := make([]byte, 0x40)
	binary.LittleEndian.PutUint32(arm64[0x38:], 0x644d5241)
	zimage := make([]byte, 0x1000)
	binary.LittleEndian.PutUint32(zimage[0x24:], 0x016f2818)
	binary.LittleEndian.PutUint32(zimage[0x2c:], 0x1000)
	initrd, _ := os.ReadFile("testdata/initrd.cpio.gz")
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no kernel", Config{}, "no kernel"},
		{"missing kernel", Config{Kernel: "testdata/nonexistent"}, "no such file"},
		{"arm64 kernel", Config{Kernel: writeTemp(t, "Image", arm64)}, "arm64"},
		{"truncated zImage", Config{Kernel: writeTemp(t, "zImage", zimage[:0x800])}, "truncated zImage"},
		{"truncated initrd", Config{Kernel: "testdata/kernel.bin", Initrd: writeTemp(t, "initrd", initrd[:len(initrd)-10])}, "truncated gzip"},
		{"malformed DTB", Config{Kernel: "testdata/kernel.bin", DTB: writeTemp(t, "bad.dtb", []byte("\xd0\x0d\xfe\xedgarbage"))}, "device tree"},
		{"too much RAM", Config{Kernel: "testdata/kernel.bin", RAMSize: 4 << 30}, "more than the virt board"},
		{"initrd without kernel", Config{Bios: "testdata/kernel.bin", Initrd: "testdata/initrd.cpio.gz"}, "--initrd needs --kernel"},
		{"kernel and bios", Config{Kernel: "testdata/kernel.bin", Bios: "testdata/kernel.bin"}, "not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrConfig mentioning %q", err, tt.want)
			}
		})
	}
}

func newTestMachine(t *testing.T, cfg Config) *Machine {
	t.Helper()
	if cfg.Kernel == "" {
		cfg.Kernel = "testdata/kernel.bin"
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func read32(t *testing.T, m *Machine, addr uint64) uint32 {
	t.Helper()
	v, ok := m.Bus.Read(addr, 4)
	if !ok {
		t.Fatalf("read at %#x: bus error", addr)
	}
	return uint32(v)
}

func TestDevicesMapped(t *testing.T) {
	m := newTestMachine(t, Config{ICountShift: 0})
	tests := []struct {
		name string
		addr uint64
		want uint32
	}{
		{"GICD_TYPER: 288 IRQs, 1 CPU", GICDBase + 0x004, 8},
		{"GICD_IIDR", GICDBase + 0x008, 0x0000043b},
		{"GICC_IIDR", GICCBase + 0x0fc, 0x0002043b},
		{"PL011 UARTPeriphID0", UARTBase + 0xfe0, 0x11},
		{"PL031 RTCPeriphID0", RTCBase + 0xfe0, 0x31},
		{"PL031 RTCDR at the deterministic epoch", RTCBase, uint32(DeterministicEpoch.Unix())},
		{"PL061 GPIOPeriphID0", GPIOBase + 0xfe0, 0x61},
		{"PL061 GPIOPCellID3", GPIOBase + 0xffc, 0xb1},
		{"virtio-mmio 0 magic", MMIOBase, 0x74726976},
		{"virtio-mmio 31 version (modern by default)", MMIOBase + 31*MMIOSize + 4, 2},
		{"virtio-mmio 5 device ID", MMIOBase + 5*MMIOSize + 8, 0},
		{"virtio-mmio 5 vendor", MMIOBase + 5*MMIOSize + 12, 0x554d4551},
		{"flash 0 blank", FlashBase + 0x100, 0},
		{"flash 1 blank", FlashBase + FlashBankSize + 0x100, 0},
	}
	for _, tt := range tests {
		if got := read32(t, m, tt.addr); got != tt.want {
			t.Errorf("%s: read %#x = %#x, want %#x", tt.name, tt.addr, got, tt.want)
		}
	}
	// fw_cfg: select the signature (big-endian selector) and read it.
	m.Bus.Write(FwCfgBase+8, 2, 0)
	if got := read32(t, m, FwCfgBase); got != binary.LittleEndian.Uint32([]byte("QEMU")) {
		t.Errorf("fw_cfg signature = %#x", got)
	}
}

func TestRTCRealtime(t *testing.T) {
	before := time.Now().Unix()
	m := newTestMachine(t, Config{ICountShift: -1})
	got := int64(read32(t, m, RTCBase))
	if got < before || got > time.Now().Unix()+1 {
		t.Errorf("RTC = %d, want the host time %d", got, before)
	}
}

// gicEnable enables INTID id in the GIC as Linux would: distributor and
// CPU interface on, priority mask open.
func gicEnable(t *testing.T, m *Machine, id int) {
	t.Helper()
	m.Bus.Write(GICDBase+0x000, 4, 1)
	m.Bus.Write(GICCBase+0x000, 4, 1)
	m.Bus.Write(GICCBase+0x004, 4, 0xff)
	m.Bus.Write(GICDBase+0x100+uint64(id/32)*4, 4, 1<<(id%32))
}

func TestInterruptWiring(t *testing.T) {
	m := newTestMachine(t, Config{ICountShift: 0})
	// Generic timer: physical timer enabled with CVAL 0 fires at once on
	// INTID 30; the virtual timer on INTID 27.
	for _, tc := range []struct {
		id int
		ch interface {
			SetCVAL(uint64)
			SetCTL(uint32)
		}
	}{{PPITimerPhys, m.Timer.Phys()}, {PPITimerVirt, m.Timer.Virt()}} {
		gicEnable(t, m, tc.id)
		tc.ch.SetCVAL(0)
		tc.ch.SetCTL(1)
		if pend := read32(t, m, GICDBase+0x200); pend&(1<<tc.id) == 0 {
			t.Errorf("INTID %d not pending after the timer fired (ISPENDR0 %#x)", tc.id, pend)
		}
		if !m.GIC.IRQLevel(0) {
			t.Errorf("INTID %d: CPU IRQ line low", tc.id)
		}
		if got := read32(t, m, GICCBase+0x0c); got != uint32(tc.id) {
			t.Errorf("GICC_IAR = %d, want %d", got, tc.id)
		}
		tc.ch.SetCTL(0)
		m.Bus.Write(GICCBase+0x10, 4, uint64(tc.id))
	}
	// PL011 on SPI 1: enable RX interrupt and receive a byte.
	gicEnable(t, m, 32+IRQUART)
	m.Bus.Write(UARTBase+0x38, 4, 1<<4) // UARTIMSC.RXIM
	m.UART.Receive([]byte{'x'})
	if got := read32(t, m, GICCBase+0x0c); got != 32+IRQUART {
		t.Errorf("UART interrupt: GICC_IAR = %d, want %d", got, 32+IRQUART)
	}
}

// TestPSCIThroughHVC runs guest code that counts its boots in RAM and
// calls PSCI SYSTEM_RESET on the first and SYSTEM_OFF on the second: the
// reset must reload the kernel and keep RAM, and SYSTEM_OFF must end the
// run with status 0.
func TestPSCIThroughHVC(t *testing.T) {
	code := armCode(
		0xe3a01101, // mov r1, #0x40000000
		0xe3811601, // orr r1, r1, #0x100000
		0xe5912000, // ldr r2, [r1]
		0xe2822001, // add r2, r2, #1
		0xe5812000, // str r2, [r1]
		0xe3520002, // cmp r2, #2
		0xe3a00321, // mov r0, #0x84000000
		0x03800008, // orreq r0, r0, #8   (SYSTEM_OFF)
		0x13800009, // orrne r0, r0, #9   (SYSTEM_RESET)
		0xe1400070, // hvc #0
		0xeafffffe, // b .
	)
	kernel := writeTemp(t, "psci.bin", code)
	for _, noReboot := range []bool{false, true} {
		m := newTestMachine(t, Config{Kernel: kernel, ICountShift: 0, MaxInsns: 10000, NoReboot: noReboot})
		code, err := m.Run()
		if err != nil {
			t.Fatalf("noReboot=%v: Run: %v", noReboot, err)
		}
		boots := binary.LittleEndian.Uint32(m.RAM()[0x100000:])
		want := uint32(2)
		if noReboot {
			want = 1
		}
		if code != 0 || boots != want {
			t.Errorf("noReboot=%v: exit %d after %d boots, want 0 after %d", noReboot, code, boots, want)
		}
		if m.PSCI.Calls[psci.FnSystemReset] != 1 {
			t.Errorf("noReboot=%v: SYSTEM_RESET calls = %d", noReboot, m.PSCI.Calls[psci.FnSystemReset])
		}
	}
}

func TestPSCIHook(t *testing.T) {
	m := newTestMachine(t, Config{})
	c := m.CPU
	for _, tc := range []struct{ fn, a1, want uint32 }{
		{psci.FnPSCIVersion, 0, 0x10001},
		{psci.FnCPUOn, 0, psci.AlreadyOn},
		{psci.FnCPUOn, 1, psci.InvalidParameters},
		{0x80000000, 0, psci.NotSupported},
	} {
		c.SetReg(0, tc.fn)
		c.SetReg(1, tc.a1)
		if !c.HVCHook(c, 0) {
			t.Fatalf("HVC %#x not handled", tc.fn)
		}
		if got := c.Reg(0); got != tc.want {
			t.Errorf("HVC %#x(%#x): r0 = %#x, want %#x", tc.fn, tc.a1, got, tc.want)
		}
	}
	var _ *arm.CPU = c
}

// TestStateDumpOfAnIdleGuest asks a running realtime machine whose guest
// waits in WFI for its state, as SIGQUIT and Ctrl-A i do, and checks the
// dump names what a hang's debugger needs.
func TestStateDumpOfAnIdleGuest(t *testing.T) {
	prog := makeELF(t, 0x40100000, 0x40100000, armCode(
		0xe320f003, // wfi
		0xeafffffd, // b wfi
	))
	m, err := New(Config{Kernel: writeTemp(t, "wfi.elf", prog), ICountShift: -1, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := m.Run(); done <- err }()
	var buf bytes.Buffer
	select {
	case <-m.Loop.RequestDump(&buf):
	case <-time.After(30 * time.Second):
		t.Fatal("the run loop did not answer the dump request")
	}
	m.Loop.Quit()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, want := range []string{
		"mimic: machine state at",
		"cpu: pc=0x40100004 ", // after the WFI
		"mode=svc arm halted in WFI irq_line=false fiq_line=false I=true F=true retired=",
		"armtimer: CNTP ctl=0x0 cval=0 ",
		"armtimer: CNTV ctl=0x0 cval=0 ",
		"gicv2: cpu0 GICC_CTLR=0x0 PMR=0x0 running=0x100 hppi=1023 irq_out=false",
		"gicv2: cpu0 enabled   0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("dump lacks %q:\n%s", want, buf.String())
		}
	}
}
