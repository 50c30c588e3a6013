package arm

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMDWTAndITM runs mProg_dwt: DWT_CYCCNT counts retired instructions,
// exactly within a block and across blocks, only while DEMCR.TRCENA and
// DWT_CTRL.CYCCNTENA are set; ITM port 0 writes reach the board's writer
// only with TCR.ITMENA and TER bit 0 set, and other ports go nowhere.
func TestMDWTAndITM(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_dwt)
	var out bytes.Buffer
	for _, d := range []struct {
		name string
		base uint64
		dev  interface {
			Read(uint64, int) uint64
			Write(uint64, int, uint64)
		}
	}{{"itm", ITMBase, c.ITM(&out)}, {"dwt", DWTBase, c.DWT()}} {
		if err := c.Bus.MapDevice(d.name, d.base, 0x1000, d.dev); err != nil {
			t.Fatal(err)
		}
	}
	if why := runM(t, c, nil, 200); why != StopRequest {
		t.Fatalf("stop = %v (r0=%#x pc=%#x)", why, c.R[0], c.R[15])
	}
	want := []uint32{
		1,  // r2: the enabling store counted
		5,  // r3: r2's load and three NOPs later
		8,  // r4: a branch to another block and a NOP later
		11, // r5: stopped by the DEMCR write
		11, // r6: stays
		1,  // r8: ITM_STIM0 reads as ready
	}
	if diff := cmp.Diff(want, regs(c, 2, 3, 4, 5, 6, 8)); diff != "" {
		t.Errorf("r2-r6, r8 (-want +got):\n%s", diff)
	}
	if got, want := out.String(), "hi!\n\n"; got != want {
		t.Errorf("ITM output %q, want %q", got, want)
	}
}
