package psci

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/bios/fdt"
)

type fakePlatform struct{ events []string }

func (f *fakePlatform) PowerOff() { f.events = append(f.events, "off") }
func (f *fakePlatform) Reset()    { f.events = append(f.events, "reset") }
func (f *fakePlatform) CPUOff()   { f.events = append(f.events, "cpu-off") }

// TestCall checks each function against the values QEMU 7.2 returned for
// the same HVC calls on -M virt -cpu cortex-a15.
func TestCall(t *testing.T) {
	tests := []struct {
		name       string
		fn, a1, a2 uint32
		want       uint32
		event      string
	}{
		{"version", FnPSCIVersion, 0, 0, 0x00010001, ""},
		{"features smccc_version", FnPSCIFeatures, 0x80000000, 0, NotSupported, ""},
		{"cpu_on self", FnCPUOn, 0, 0, AlreadyOn, ""},
		{"cpu_on self mpidr bit31", FnCPUOn, 0x80000000, 0, AlreadyOn, ""},
		{"cpu_on other", FnCPUOn, 1, 0, InvalidParameters, ""},
		{"affinity_info cpu0", FnAffinityInfo, 0, 0, 0, ""},
		{"affinity_info level 1", FnAffinityInfo, 0, 1, InvalidParameters, ""},
		{"affinity_info cpu1", FnAffinityInfo, 1, 0, InvalidParameters, ""},
		{"migrate_info_type", FnMigrateInfoType, 0, 0, 2, ""},
		{"features cpu_on64", FnPSCIFeatures, 0xc4000003, 0, NotSupported, ""},
		{"features cpu_suspend", FnPSCIFeatures, FnCPUSuspend, 0, Success, ""},
		{"features system_off", FnPSCIFeatures, FnSystemOff, 0, Success, ""},
		{"features migrate", FnPSCIFeatures, FnMigrate, 0, NotSupported, ""},
		{"migrate", FnMigrate, 0, 0, NotSupported, ""},
		{"affinity_info64", 0xc4000004, 0, 0, NotSupported, ""},
		{"smccc_version", 0x80000000, 0, 0, NotSupported, ""},
		{"zero", 0, 0, 0, NotSupported, ""},
		{"cpu_suspend standby", FnCPUSuspend, 0, 0, Success, ""},
		{"cpu_suspend bad", FnCPUSuspend, 0x00020000, 0, InvalidParameters, ""},
		{"system_off", FnSystemOff, 0, 0, Success, "off"},
		{"system_reset", FnSystemReset, 0, 0, Success, "reset"},
		{"cpu_off", FnCPUOff, 0, 0, Denied, "cpu-off"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &fakePlatform{}
			h := New(p)
			if got := h.Call(tt.fn, tt.a1, tt.a2, 0); got != tt.want {
				t.Errorf("Call(%#x, %#x, %#x) = %#x, want %#x", tt.fn, tt.a1, tt.a2, got, tt.want)
			}
			var want []string
			if tt.event != "" {
				want = []string{tt.event}
			}
			if diff := cmp.Diff(want, p.events); diff != "" {
				t.Errorf("platform events (-want +got):\n%s", diff)
			}
			if h.Calls[tt.fn] != 1 {
				t.Errorf("Calls[%#x] = %d, want 1", tt.fn, h.Calls[tt.fn])
			}
		})
	}
}

func TestAddNode(t *testing.T) {
	root := fdt.NewNode("")
	old := root.AddChild("psci")
	old.SetString("compatible", "arm,psci")
	old.SetU32("cpu_on", 0x95c1ba60)
	root.AddChild("memory@40000000")
	AddNode(root, "hvc")

	var names []string
	for _, c := range root.Children {
		names = append(names, c.Name)
	}
	if diff := cmp.Diff([]string{"psci", "memory@40000000"}, names); diff != "" {
		t.Fatalf("children (-want +got):\n%s", diff)
	}
	n := root.Find("/psci")
	compat, _ := n.GetStrings("compatible")
	if diff := cmp.Diff([]string{"arm,psci-1.0", "arm,psci-0.2", "arm,psci"}, compat); diff != "" {
		t.Errorf("compatible (-want +got):\n%s", diff)
	}
	if m, _ := n.GetString("method"); m != "hvc" {
		t.Errorf("method = %q, want hvc", m)
	}
	for prop, want := range map[string]uint32{"cpu_suspend": 0x84000001, "cpu_off": 0x84000002, "cpu_on": 0x84000003, "migrate": 0x84000005} {
		if got, err := n.GetU32(prop); err != nil || got != want {
			t.Errorf("%s = %#x, %v; want %#x", prop, got, err, want)
		}
	}
}
