package clock

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEventsFireInTimeOrderAtTheirOwnTime(t *testing.T) {
	c := New()
	var got []string
	rec := func(name string) func() {
		return func() { got = append(got, fmt.Sprintf("%s@%d", name, c.Now())) }
	}
	c.Schedule(30, rec("c"))
	c.Schedule(10, rec("a"))
	c.Schedule(10, rec("a2")) // same time: schedule order
	cancelled := c.Schedule(20, rec("cancelled"))
	c.Schedule(50, rec("late"))
	c.Cancel(cancelled)
	c.Cancel(cancelled) // twice: no effect
	c.AdvanceTo(40)
	if diff := cmp.Diff([]string{"a@10", "a2@10", "c@30"}, got); diff != "" {
		t.Errorf("fired (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(uint64(40), c.Now()); diff != "" {
		t.Errorf("Now (-want +got):\n%s", diff)
	}
	if at, ok := c.Deadline(); !ok || at != 50 {
		t.Errorf("Deadline = %d, %v; want 50, true", at, ok)
	}
}

func TestPastEventFiresAtNextAdvance(t *testing.T) {
	c := New()
	c.AdvanceTo(100)
	fired := false
	e := c.Schedule(50, func() { fired = true })
	if !e.Pending() {
		t.Fatal("an event behind Now is not pending")
	}
	c.AdvanceTo(100) // no time passes: the event is still due
	if !fired || e.Pending() {
		t.Errorf("fired=%v pending=%v after the next advance; want true, false", fired, e.Pending())
	}
	if diff := cmp.Diff(uint64(100), c.Now()); diff != "" {
		t.Errorf("time went backwards (-want +got):\n%s", diff)
	}
}

func TestEventScheduledByAnEventFiresInTheSameAdvance(t *testing.T) {
	c := New()
	var got []uint64
	c.Schedule(10, func() {
		got = append(got, c.Now())
		c.Schedule(15, func() { got = append(got, c.Now()) })
	})
	c.AdvanceTo(20)
	if diff := cmp.Diff([]uint64{10, 15}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestLiveTime(t *testing.T) {
	c := New()
	c.AdvanceTo(1000)
	live := uint64(1500)
	c.SetLive(func() uint64 { return live })
	if diff := cmp.Diff(uint64(1500), c.Now()); diff != "" {
		t.Errorf("Now with a live source ahead (-want +got):\n%s", diff)
	}
	// After counts from the live time, not from the last advance.
	e := c.After(100, func() {})
	if diff := cmp.Diff(uint64(1600), e.at); diff != "" {
		t.Errorf("After(100) due at (-want +got):\n%s", diff)
	}
	live = 900 // a live source behind the last advance never moves time back
	if diff := cmp.Diff(uint64(1000), c.Now()); diff != "" {
		t.Errorf("Now with a live source behind (-want +got):\n%s", diff)
	}
	c.SetLive(nil)
	if diff := cmp.Diff(uint64(1000), c.Now()); diff != "" {
		t.Errorf("Now without a live source (-want +got):\n%s", diff)
	}
}

// TestOnSchedule: the hook hears of each event scheduled, with its time.
func TestOnSchedule(t *testing.T) {
	c := New()
	var got []uint64
	c.OnSchedule = func(at uint64) { got = append(got, at) }
	c.Schedule(50, func() {})
	c.After(7, func() {})
	if len(got) != 2 || got[0] != 50 || got[1] != 7 {
		t.Errorf("OnSchedule heard %v, want [50 7]", got)
	}
}
