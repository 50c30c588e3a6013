package arm

import (
	"bufio"
	"debug/elf"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"mimic/devices/bus"
)

type zzCP15 struct{ c *CPU }

func (p zzCP15) MRC(opc1, crn, crm, opc2 uint32, priv bool) (uint32, bool) { return 0, false }
func (p zzCP15) MCR(opc1, crn, crm, opc2 uint32, val uint32, priv bool) bool {
	if crn == 12 && crm == 0 && opc1 == 0 && opc2 == 0 {
		p.c.mem.sys.vbar = val
		return true
	}
	return false
}
func (p zzCP15) MRRC(opc1, crm uint32, priv bool) (uint64, bool) { return 0, false }
func (p zzCP15) MCRR(opc1, crm uint32, val uint64, priv bool) bool { return false }

func TestZZCorpus(t *testing.T) {
	dir := "/work/main/conformance/random/testdata/"
	for _, name := range strings.Fields(os.Getenv("ZZ_CORPUS")) {
		t.Run(name, func(t *testing.T) {
			f, err := elf.Open(dir + name + ".elf")
			if err != nil {
				t.Fatal(err)
			}
			b := bus.New()
			ram := make([]byte, 0x8100000)
			if err := b.MapRAM("ram", 0x40000000, ram); err != nil {
				t.Fatal(err)
			}
			for _, p := range f.Progs {
				if p.Type != elf.PT_LOAD {
					continue
				}
				data, _ := io.ReadAll(p.Open())
				copy(ram[p.Paddr-0x40000000:], data)
			}
			c := New(b, Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
			c.SetCoprocessor(15, zzCP15{c})
			c.R[15] = uint32(f.Entry)
			var out strings.Builder
			c.SVCHook = func(c *CPU, imm uint32) bool {
				if imm != 0x123456 {
					return false
				}
				switch c.R[0] {
				case 4:
					for a := c.R[1]; ; a++ {
						var by [1]byte
						c.ReadMem(a, by[:])
						if by[0] == 0 {
							break
						}
						out.WriteByte(by[0])
					}
				case 0x18:
					c.RequestStop()
				}
				return true
			}
			for i := 0; i < 2000; i++ {
				if _, why := c.Run(1e6); why == StopRequest {
					break
				}
			}
			ref, _ := os.ReadFile(dir + name + ".ref")
			got := strings.Split(out.String(), "\n")
			want := strings.Split(string(ref), "\n")
			man, _ := os.ReadFile(dir + name + ".manifest")
			_ = man
			bad := 0
			for i := range want {
				g := ""
				if i < len(got) {
					g = got[i]
				}
				if g != want[i] {
					bad++
					if bad < 15 {
						t.Errorf("line %d:\n got  %s\n want %s", i, g, want[i])
					}
				}
			}
			t.Logf("%d/%d lines differ", bad, len(want))
			_ = bufio.NewReader
		})
	}
}
