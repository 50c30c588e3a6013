// Package irq defines the interrupt line that connects an interrupt source
// (a device) to a sink (an interrupt controller or the CPU). Only boards
// wire lines; a device is handed the Line it drives.
package irq

// Line is a level-triggered interrupt line. Set(true) asserts it and
// Set(false) deasserts it; setting the level it already has is harmless.
type Line interface {
	Set(level bool)
}

// Func adapts a function to a Line.
type Func func(level bool)

// Set calls f(level).
func (f Func) Set(level bool) { f(level) }

// None is a Line that goes nowhere, for devices whose output is unwired.
var None Line = Func(func(bool) {})

var _ Line = Func(nil)
