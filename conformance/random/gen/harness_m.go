package main

import "strings"

// harnessSourceM is the fixed part of every M-profile image (Thumb, for the
// mps2 boards; see README.md). The image is linked at 0: the vector table
// comes first (initial SP, reset, then every fault vector at exc_entry). The
// CPU runs in Thread mode, privileged, on MSP = HARNESS throughout. Lines
// starting with "@fp " are kept, without the marker, only in FPv4-SP images;
// "@nofp " lines only in the others. The placeholders are replaced by
// writeAsm.
const harnessSourceM = `	.syntax unified
@nofp 	.arch	armv7-m
@fp 	.arch	armv7e-m
@fp 	.fpu	fpv4-sp-d16
	.text
	.thumb
	.global	_start
vectors:
	.word	HARNESS			@ initial SP (MSP)
	.word	_start + 1		@ reset
	.rept	14
	.word	exc_entry + 1		@ NMI, HardFault, MemManage, BusFault, UsageFault, ...
	.endr

_start:
	ldr	r0, =0xe000ed24		@ SHCSR: enable MemManage, BusFault and UsageFault
	ldr	r1, =0x70000
	str	r1, [r0]
@fp 	ldr	r0, =0xe000ed88		@ CPACR: full access to CP10 and CP11
@fp 	ldr	r1, [r0]
@fp 	orr	r1, r1, #0xf00000
@fp 	str	r1, [r0]
	dsb
	isb
	ldr	r0, =HARNESS
	mov	sp, r0
	sub	r0, sp, #0x100		@ zero save areas, slots, scratch and the area behind it
	add	r1, sp, #0x300
	mov	r2, #0
1:	str	r2, [r0], #4
	cmp	r0, r1
	bne	1b
	ldr	r0, =batch_done + 1	@ Thumb: bit 0 set for the interworking return
	str	r0, [sp, #SLOT_DONE]
	ldr	r0, =batch_table
	str	r0, [sp, #SLOT_TABLE]

next_batch:
	ldr	r4, [sp, #SLOT_TABLE]
	ldr	r1, [r4], #4		@ block entry, bit 0 set
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
@fp 	add	r2, r0, #64		@ FPSCR and S0-S31 from the record
@fp 	ldr	r3, [r2], #4
@fp 	vmsr	fpscr, r3
@fp 	vldmia	r2, {s0-s31}
	ldr	r2, [r0, #56]
@nofp 	msr	APSR_nzcvq, r2
@fp 	msr	APSR_nzcvqg, r2
	ldm	r0, {r0-r12, lr}
	ldr	pc, [sp, #SLOT_ENTRY]	@ enter the block (interworking load, bit 0 set)

batch_done:				@ every block ends with LDR PC, [SP, #SLOT_DONE]
	stmdb	sp, {r0-r12, lr}	@ save area: r0 at sp-56 ... lr at sp-4
	mrs	r0, apsr		@ on M: N Z C V Q (and GE with the DSP extension)
	str	r0, [sp, #-60]
@fp 	vmrs	r0, fpscr		@ FPSCR at sp-196, S0-S31 at sp-192 ... sp-68
@fp 	str	r0, [sp, #-196]
@fp 	sub	r1, sp, #64
@fp 	vstmdb	r1!, {s0-s31}
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
	ldr	r6, =LINEBUF		@ "S index r0..r12 lr apsr memsum"
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
@fp 	ldr	r6, =LINEBUF		@ "F index fpscr s0..s31"
@fp 	mov	r0, #'F'
@fp 	strb	r0, [r6], #1
@fp 	ldr	r0, [sp, #SLOT_INDEX]
@fp 	bl	puthex
@fp 	sub	r7, sp, #196
@fp 	mov	r8, #33
@fp 6:	ldr	r0, [r7], #4
@fp 	bl	puthex
@fp 	subs	r8, r8, #1
@fp 	bne	6b
@fp 	bl	endline
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
	bkpt	0xab
	b	.

puthex:					@ " %08x" of r0 at r6; clobbers r0-r2
	mov	r1, #' '
	strb	r1, [r6], #1
	mov	r2, #8
5:	lsr	r1, r0, #28
	cmp	r1, #10
	ite	lo
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
	bkpt	0xab
	bx	lr

	@ Any exception means the generator produced something it must not:
	@ print "X exception stacked-pc cfsr batch" (exception 3 = HardFault,
	@ 4 = MemManage, 5 = BusFault, 6 = UsageFault) and stop with a failure
	@ status. The handler runs on MSP below the exception frame.
exc_entry:
	mrs	r8, ipsr
	ldr	r9, [sp, #24]		@ stacked return address
	ldr	r10, =0xe000ed28	@ CFSR
	ldr	r10, [r10]
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
	bkpt	0xab
	b	.
	.ltorg
`

// selectLines keeps the "@fp " lines of src (without the marker) when fp is
// set and the "@nofp " lines when it is not, and drops the others.
func selectLines(src string, fp bool) string {
	var sb strings.Builder
	for _, line := range strings.SplitAfter(src, "\n") {
		switch {
		case strings.HasPrefix(line, "@fp "):
			if fp {
				sb.WriteString(line[len("@fp "):])
			}
		case strings.HasPrefix(line, "@nofp "):
			if !fp {
				sb.WriteString(line[len("@nofp "):])
			}
		default:
			sb.WriteString(line)
		}
	}
	return sb.String()
}
