// Command count reports how many random instructions an image executed,
// from a QEMU exec trace taken one instruction per translation block:
//
//	qemu-system-arm ... -singlestep -d exec,nochain -D IMG.log -kernel IMG.elf
//	go run ./count IMG.elf IMG.log
//
// It counts trace entries whose PC lies between the symbols blk_0 and
// guard_hi (the random blocks) and subtracts one harness return per batch.
package main

import (
	"bufio"
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: count IMG.elf IMG.log")
		os.Exit(2)
	}
	n, batches, err := count(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "count:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d random instructions executed in %d batches\n", os.Args[1], n-batches, batches)
}

func count(elfPath, logPath string) (insns, batches int, err error) {
	f, err := elf.Open(elfPath)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return 0, 0, err
	}
	var lo, hi, done uint64
	for _, s := range syms {
		switch s.Name {
		case "blk_0":
			lo = s.Value
		case "guard_hi":
			hi = s.Value
		case "batch_done":
			done = s.Value
		}
	}
	if lo == 0 || hi == 0 || done == 0 {
		return 0, 0, fmt.Errorf("%s: symbols blk_0, guard_hi or batch_done missing", elfPath)
	}
	lf, err := os.Open(logPath)
	if err != nil {
		return 0, 0, err
	}
	defer lf.Close()
	sc := bufio.NewScanner(lf)
	for sc.Scan() {
		// "Trace 0: 0x... [cs_base/pc/flags/...] "
		line := sc.Bytes()
		i := bytes.IndexByte(line, '[')
		if i < 0 {
			continue
		}
		fields := bytes.SplitN(line[i+1:], []byte("/"), 3)
		if len(fields) < 2 {
			continue
		}
		pc, err := strconv.ParseUint(string(fields[1]), 16, 32)
		if err != nil {
			continue
		}
		switch {
		case pc >= lo && pc < hi:
			insns++
		case pc == done:
			batches++
		}
	}
	return insns, batches, sc.Err()
}
