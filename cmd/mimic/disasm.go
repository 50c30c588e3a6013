package main

// thumbDisasm prints T32/T16 instructions for --trace; it is replaced by
// the CPU package's printer once that exists.
var thumbDisasm = func(insn uint32, size int, pc uint32) string { return "" }
