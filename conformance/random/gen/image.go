package main

import (
	"fmt"
	"io"
	"strings"
)

// config describes one image.
type config struct {
	name   string
	seed   uint64
	isa    string // a32, t32, t32m or t32em: a key of profiles
	blocks int    // instruction blocks
	runs   int    // batches per block, each from a different initial state
	insns  int    // instructions per block (including setup instructions)
}

// block is one random instruction sequence and the initial states it runs from.
type block struct {
	code  []insn
	inits [][16]uint32 // r0..r12, lr, APSR, scratch seed
	fp    [][33]uint32 // with FPv4-SP: FPSCR, S0..S31 of each batch
}

type image struct {
	cfg    config
	blocks []block
	guard  [2][]uint32
	stats  map[string]int
}

func (c config) prof() profile {
	p, ok := profiles[c.isa]
	if !ok {
		panic("BUG: unknown isa " + c.isa)
	}
	return p
}

// isaName is the instruction set as the manifest names it: A32, T32 (both
// ARMv7-A), T32M (ARMv7-M) or T32EM (ARMv7E-M with FPv4-SP).
func (c config) isaName() string {
	return strings.ToUpper(c.isa)
}

func generate(cfg config) *image {
	p := cfg.prof()
	useLayout(p.m)
	r := &rng{s: cfg.seed}
	img := &image{cfg: cfg, stats: map[string]int{}}
	for i := range img.guard {
		for j := 0; j < 2*literalReach/4+8; j++ {
			img.guard[i] = append(img.guard[i], r.value())
		}
	}
	g := newGen(r, p, img.stats)
	for b := 0; b < cfg.blocks; b++ {
		g.reset()
		for len(g.code) < cfg.insns {
			if p.t32 {
				t32Step(g)
			} else {
				a32Step(g)
			}
		}
		blk := block{code: g.code}
		for k := 0; k < cfg.runs; k++ {
			var st [16]uint32
			for i := 0; i < 14; i++ {
				st[i] = r.value()
			}
			st[14] = r.u32() & 0xf80f0000 // NZCVQ and GE
			st[15] = r.u32() | 1          // xorshift32 seed, never zero
			if !p.dsp {
				st[14] &= 0xf8000000 // ARMv7-M without DSP has no GE bits
			}
			blk.inits = append(blk.inits, st)
			if p.fp {
				var fp [33]uint32
				fp[0] = r.fpscrValue()
				for i := 1; i < len(fp); i++ {
					fp[i] = r.vfpValue()
				}
				blk.fp = append(blk.fp, fp)
			}
		}
		img.blocks = append(img.blocks, blk)
	}
	return img
}

// harnessSource is the fixed part of every image (A32). See README.md for the
// design; the placeholders are replaced by writeAsm.
const harnessSource = `	.syntax unified
	.arch	armv7-a
	.text
	.arm
	.global	_start
_start:
	ldr	r0, =0x1d3		@ SVC mode, A/I/F masked, ARM state, little-endian
	msr	cpsr_cxsf, r0
	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0	@ VBAR
	isb
	ldr	sp, =HARNESS
	sub	r0, sp, #0x40		@ zero save area, slots, scratch and the area behind it
	add	r1, sp, #0x300
	mov	r2, #0
1:	str	r2, [r0], #4
	cmp	r0, r1
	bne	1b
	adr	r0, batch_done
	str	r0, [sp, #SLOT_DONE]
	ldr	r0, =batch_table
	str	r0, [sp, #SLOT_TABLE]

next_batch:
	ldr	r4, [sp, #SLOT_TABLE]
	ldr	r1, [r4], #4		@ block entry, bit 0 set for T32
	cmp	r1, #0
	beq	all_done
	ldr	r0, [r4], #4		@ initial state record
	str	r4, [sp, #SLOT_TABLE]
	str	r1, [sp, #SLOT_ENTRY]
	ldr	r2, [r0, #60]		@ scratch buffer: xorshift32 stream from the record's seed
	add	r3, sp, #SCRATCH_OFF
	add	r5, r3, #SCRATCH_SIZE
2:	eor	r2, r2, r2, lsl #13
	eor	r2, r2, r2, lsr #17
	eor	r2, r2, r2, lsl #5
	str	r2, [r3], #4
	cmp	r3, r5
	bne	2b
	ldr	r2, [r0, #56]
	msr	APSR_nzcvqg, r2
	ldm	r0, {r0-r12, lr}
	ldr	pc, [sp, #SLOT_ENTRY]	@ enter the block (interworking load)

batch_done:				@ every block ends with LDR PC, [SP, #SLOT_DONE]
	stmdb	sp, {r0-r12, lr}	@ save area: r0 at sp-56 ... lr at sp-4
	mrs	r0, apsr		@ in SVC mode this reads the whole CPSR
	str	r0, [sp, #-60]
	ldr	r0, =0x811c9dc5		@ FNV-1a over the scratch words
	ldr	r1, =0x01000193
	add	r2, sp, #SCRATCH_OFF
	add	r3, r2, #SCRATCH_SIZE
3:	ldr	r4, [r2], #4
	eor	r0, r0, r4
	mul	r0, r0, r1
	cmp	r2, r3
	bne	3b
	str	r0, [sp, #-64]
	ldr	r6, =LINEBUF		@ "S index r0..r12 lr cpsr memsum"
	mov	r0, #'S'
	strb	r0, [r6], #1
	ldr	r0, [sp, #SLOT_INDEX]
	bl	puthex
	sub	r7, sp, #56
	mov	r8, #14
4:	ldr	r0, [r7], #4
	bl	puthex
	subs	r8, r8, #1
	bne	4b
	ldr	r0, [sp, #-60]
	bl	puthex
	ldr	r0, [sp, #-64]
	bl	puthex
	bl	endline
	ldr	r0, [sp, #SLOT_INDEX]
	add	r0, r0, #1
	str	r0, [sp, #SLOT_INDEX]
	b	next_batch

all_done:
	ldr	r6, =LINEBUF
	ldr	r0, =0x00444e45		@ "END"
	str	r0, [r6], #3
	ldr	r0, [sp, #SLOT_INDEX]
	bl	puthex
	bl	endline
	mov	r0, #0x18		@ SYS_EXIT
	ldr	r1, =0x20026		@ ADP_Stopped_ApplicationExit
	svc	0x123456
	b	.

puthex:					@ " %08x" of r0 at r6; clobbers r0-r2
	mov	r1, #' '
	strb	r1, [r6], #1
	mov	r2, #8
5:	mov	r1, r0, lsr #28
	cmp	r1, #10
	addlo	r1, r1, #'0'
	addhs	r1, r1, #'a'-10
	strb	r1, [r6], #1
	lsl	r0, r0, #4
	subs	r2, r2, #1
	bne	5b
	bx	lr

endline:				@ terminate the line at r6 and SYS_WRITE0 it
	mov	r0, #'\n'
	strb	r0, [r6], #1
	mov	r0, #0
	strb	r0, [r6]
	mov	r0, #4
	ldr	r1, =LINEBUF
	svc	0x123456
	bx	lr

	@ Any exception means the generator produced something it must not:
	@ print "X kind lr spsr batch" and stop with a failure status. The
	@ handlers run in the exception's mode and never use the banked SP.
	.align	5
vectors:
	b	exc_reset
	b	exc_undef
	b	exc_svc
	b	exc_pabt
	b	exc_dabt
	b	exc_hyp
	b	exc_irq
	b	exc_fiq
exc_reset:	mov	r8, #0
	b	exc_report
exc_undef:	mov	r8, #1
	b	exc_report
exc_svc:	mov	r8, #2
	b	exc_report
exc_pabt:	mov	r8, #3
	b	exc_report
exc_dabt:	mov	r8, #4
	b	exc_report
exc_hyp:	mov	r8, #5
	b	exc_report
exc_irq:	mov	r8, #6
	b	exc_report
exc_fiq:	mov	r8, #7
exc_report:
	mov	r9, lr
	mrs	r10, spsr
	ldr	r6, =LINEBUF
	mov	r0, #'X'
	strb	r0, [r6], #1
	mov	r0, r8
	bl	puthex
	mov	r0, r9
	bl	puthex
	mov	r0, r10
	bl	puthex
	ldr	r0, =HARNESS
	ldr	r0, [r0, #SLOT_INDEX]
	bl	puthex
	bl	endline
	mov	r0, #0x18		@ SYS_EXIT
	ldr	r1, =0x20023		@ ADP_Stopped_RunTimeErrorUnknown
	svc	0x123456
	b	.
	.ltorg
`

func hexWords(ws []uint32) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = fmt.Sprintf("0x%08x", w)
	}
	return strings.Join(parts, ", ")
}

func (img *image) writeAsm(w io.Writer) error {
	cfg := img.cfg
	prof := cfg.prof()
	useLayout(prof.m)
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("@ Code generated by conformance/random/gen; DO NOT EDIT.\n")
	p("@ image %s: isa %s, seed %d, %d blocks of %d instructions, %d batches per block.\n",
		cfg.name, cfg.isaName(), cfg.seed, cfg.blocks, cfg.insns, cfg.runs)
	p("@ Random instructions are raw .inst encodings; the comment is the intended\n")
	p("@ disassembly. [setup] marks instructions that point a register into the\n")
	p("@ scratch buffer (or at an MSR value) before a memory access or MSR uses it.\n\n")
	rep := strings.NewReplacer(
		"HARNESS", fmt.Sprintf("0x%08x", harnessBase),
		"LINEBUF", fmt.Sprintf("0x%08x", lineBuf),
		"SLOT_ENTRY", fmt.Sprint(slotEntry),
		"SLOT_DONE", fmt.Sprint(slotDone),
		"SLOT_TABLE", fmt.Sprint(slotTable),
		"SLOT_INDEX", fmt.Sprint(slotIndex),
		"SCRATCH_OFF", fmt.Sprintf("0x%x", scratchOff),
		"SCRATCH_SIZE", fmt.Sprintf("0x%x", scratchSize),
	)
	if prof.m {
		p("%s", rep.Replace(selectLines(harnessSourceM, prof.fp)))
	} else {
		p("%s", rep.Replace(harnessSource))
	}
	writeGuard := func(label string, ws []uint32) {
		p("\n\t.align\t2\n%s:\t\t\t\t@ data that PC-relative loads near the blocks may read\n", label)
		for i := 0; i < len(ws); i += 8 {
			end := min(i+8, len(ws))
			p("\t.word\t%s\n", hexWords(ws[i:end]))
		}
	}
	writeGuard("guard_lo", img.guard[0])
	batch := 0
	for b, blk := range img.blocks {
		p("\n")
		if prof.t32 {
			p("\t.thumb\n")
		} else {
			p("\t.arm\n")
		}
		p("\t.align\t2\nblk_%d:\t\t\t\t@ block %d, batches %d-%d\n", b, b, batch, batch+cfg.runs-1)
		for _, in := range blk.code {
			dir := ".inst"
			hexw := fmt.Sprintf("0x%08x", in.enc)
			if prof.t32 {
				if in.size == 2 {
					dir, hexw = ".inst.n", fmt.Sprintf("0x%04x", in.enc)
				} else {
					dir = ".inst.w"
				}
			}
			note := ""
			if in.setup {
				note = "\t[setup]"
			}
			p("\t%s\t%s\t@ %s%s\n", dir, hexw, in.text, note)
		}
		if prof.t32 {
			p("\tldr.w\tpc, [sp, #%d]\t\t@ harness: back to batch_done\n", slotDone)
		} else {
			p("\tldr\tpc, [sp, #%d]\t\t@ harness: back to batch_done\n", slotDone)
		}
		batch += cfg.runs
	}
	if !prof.m {
		p("\n\t.arm\n")
	}
	writeGuard("guard_hi", img.guard[1])
	p("\n\t.align\t2\nbatch_table:\t\t\t@ block entry, initial state\n")
	batch = 0
	for b := range img.blocks {
		for k := 0; k < cfg.runs; k++ {
			entry := fmt.Sprintf("blk_%d", b)
			if prof.t32 {
				entry += "+1"
			}
			p("\t.word\t%s, rec_%d\n", entry, batch)
			batch++
		}
	}
	p("\t.word\t0, 0\n\n@ Initial states: r0-r12, lr, APSR (NZCVQ, GE), scratch seed")
	if prof.fp {
		p(";\n@ then FPSCR, S0-S31")
	}
	p(".\n")
	batch = 0
	for _, blk := range img.blocks {
		for k, st := range blk.inits {
			p("rec_%d:\t.word\t%s\n", batch, hexWords(st[:]))
			if prof.fp {
				fp := blk.fp[k]
				p("\t.word\t%s\n", hexWords(fp[:1]))
				for i := 1; i < len(fp); i += 8 {
					p("\t.word\t%s\n", hexWords(fp[i:i+8]))
				}
			}
			batch++
		}
	}
	return nil
}

// writeManifest writes the machine-readable description the Go test uses to
// explain a failing batch. Format (one record per line, '#' comments):
//
//	image NAME / isa A32|T32 / seed N / runs R / blocks B
//	block K                      starts block K
//	code W W W ...               its instruction words in order; for T32 a
//	                             4-digit word is a 16-bit instruction and an
//	                             8-digit word a 32-bit one (first halfword high)
//	init BATCH r0..r12 lr apsr seed   initial state of a batch of the block
//	fpinit BATCH fpscr s0..s31   its FP state (T32EM images only)
func (img *image) writeManifest(w io.Writer) error {
	cfg := img.cfg
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("# Mimic random-instruction conformance manifest. Generated; do not edit.\n")
	p("image %s\nisa %s\nseed %d\nruns %d\nblocks %d\n", cfg.name, cfg.isaName(), cfg.seed, cfg.runs, cfg.blocks)
	batch := 0
	for b, blk := range img.blocks {
		p("block %d\n", b)
		for i := 0; i < len(blk.code); i += 16 {
			end := min(i+16, len(blk.code))
			var parts []string
			for _, in := range blk.code[i:end] {
				if in.size == 2 {
					parts = append(parts, fmt.Sprintf("%04x", in.enc))
				} else {
					parts = append(parts, fmt.Sprintf("%08x", in.enc))
				}
			}
			p("code %s\n", strings.Join(parts, " "))
		}
		for k, st := range blk.inits {
			p("init %d %s\n", batch, hexList(st[:]))
			if k < len(blk.fp) {
				p("fpinit %d %s\n", batch, hexList(blk.fp[k][:]))
			}
			batch++
		}
	}
	return nil
}

func hexList(ws []uint32) string {
	parts := make([]string, len(ws))
	for i, v := range ws {
		parts[i] = fmt.Sprintf("%08x", v)
	}
	return strings.Join(parts, " ")
}
