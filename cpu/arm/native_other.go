//go:build !(amd64 && linux)

package arm

// Hosts without a native backend run every block in the interpreter.

const natSupported = false

func callNative(code uintptr, c *CPU) uint64 { panic("BUG: arm: no native backend on this host") }

func (c *CPU) natCompile(b *Block) { b.natSkip = true }

func (c *CPU) natLink(from, to *Block) {}

func (c *CPU) natInvalidate(b *Block) {}

func (c *CPU) natReset() {}
