// Command gen writes one image of Mimic's random-instruction differential
// conformance corpus: an assembly source (raw .inst encodings inside a fixed
// bare-metal harness) and a manifest describing every batch.
//
//	go run ./conformance/random/gen -isa a32 -seed 1001 -out conformance/random/testdata
//
// The same flags always produce the same files. See ../README.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	seed := flag.Uint64("seed", 1, "random seed")
	isa := flag.String("isa", "a32", "instruction set: a32, t32 (ARMv7-A), t32m (ARMv7-M) or t32em (ARMv7E-M with FPv4-SP)")
	name := flag.String("name", "", "image name (default ISA-SEED)")
	out := flag.String("out", ".", "output directory")
	blocks := flag.Int("blocks", 130, "instruction blocks per image")
	runs := flag.Int("runs", 4, "batches per block (initial states each block runs from)")
	insns := flag.Int("insns", 100, "instructions per block")
	stats := flag.Bool("stats", false, "print per-group instruction counts to stderr")
	flag.Parse()

	if _, ok := profiles[*isa]; !ok {
		fmt.Fprintln(os.Stderr, "gen: -isa must be a32, t32, t32m or t32em")
		os.Exit(2)
	}
	if *blocks < 1 || *runs < 1 || *insns < 1 {
		fmt.Fprintln(os.Stderr, "gen: -blocks, -runs and -insns must be positive")
		os.Exit(2)
	}
	cfg := config{name: *name, seed: *seed, isa: *isa, blocks: *blocks, runs: *runs, insns: *insns}
	if cfg.name == "" {
		cfg.name = fmt.Sprintf("%s-%d", *isa, *seed)
	}
	img := generate(cfg)
	if err := writeFiles(img, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if *stats {
		var groups []string
		for k := range img.stats {
			groups = append(groups, k)
		}
		sort.Strings(groups)
		for _, k := range groups {
			fmt.Fprintf(os.Stderr, "%-32s %6d\n", k, img.stats[k])
		}
	}
}

func writeFiles(img *image, dir string) error {
	for _, f := range []struct {
		ext   string
		write func(*os.File) error
	}{
		{".S", func(f *os.File) error { return img.writeAsm(f) }},
		{".manifest", func(f *os.File) error { return img.writeManifest(f) }},
	} {
		path := filepath.Join(dir, img.cfg.name+f.ext)
		fh, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := f.write(fh); err != nil {
			fh.Close()
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := fh.Close(); err != nil {
			return err
		}
	}
	return nil
}
