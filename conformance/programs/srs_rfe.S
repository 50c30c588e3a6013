/* srs_rfe: SRS (store LR and SPSR of the current mode to another mode's
 * stack) in every addressing mode the ISA has, with and without writeback,
 * and RFE (load PC and CPSR) returning to another mode, to the other
 * instruction set and with flags, with and without writeback. Stacks are
 * pointed at fixed scratch RAM. */
#include "asm.h"

#define SCR 0x40200000

        .text
/* Point SYS/USR sp at SCR+0x80 (saved in r7), fill SCR with a pattern. */
.macro PREP
        ldr     r0, =SCR
        mov     r1, #64
        ldr     r2, =0xdd000000
        bl      rt_fillw
        cps     #0x1f
        mov     r7, sp
        ldr     sp, =(SCR + 0x80)
        cps     #0x13
        ldr     lr, =0x1e1e1e1e
        ldr     r0, =0xa00f01d7
        msr     spsr_fsxc, r0
.endm

/* Print the changed words and the USR sp offset; restore USR sp. */
.macro SHOW text
        cps     #0x1f
        mov     r4, sp
        mov     sp, r7
        cps     #0x13
        PUTS    "\text:"
        ldr     r0, =SCR
        mov     r1, #64
        ldr     r2, =0xdd000000
        bl      rt_memdiff
        ldr     r1, =(SCR + 0x80)
        sub     r1, r4, r1
        PRINTF  " sp_usr delta=%d\n"
        POOL
.endm

FUNC(main)
        push    {r4-r11, lr}
        PUTS    "words are at SCR+4i; usr sp starts at word 32\n"
        PREP
        srsdb   sp!, #0x1f
        SHOW    "srsdb sp!, #sys"
        PREP
        srsdb   sp, #0x1f
        SHOW    "srsdb sp, #sys"
        PREP
        srsia   sp!, #0x1f
        SHOW    "srsia sp!, #sys"
#ifndef __thumb__
        PREP
        srsib   sp!, #0x1f
        SHOW    "srsib sp!, #sys"
        PREP
        srsda   sp, #0x1f
        SHOW    "srsda sp, #sys"
        PREP
        srsda   sp!, #0x1f
        SHOW    "srsda sp!, #sys"
#endif
        /* SRS to the current mode's own stack (SVC). */
        mov     r6, sp
        ldr     sp, =(SCR + 0x100)
        ldr     lr, =0x2e2e2e2e
        ldr     r0, =0x400001d3
        msr     spsr_fsxc, r0
        srsdb   sp!, #0x13
        mov     r4, sp
        mov     sp, r6
        ldr     r0, =(SCR + 0x100)
        sub     r1, r4, r0
        ldr     r2, [r4]
        ldr     r3, [r4, #4]
        PRINTF  "srsdb sp!, #svc: sp%d lr=%08x spsr=%08x\n"

        /* RFE: return to SYS mode with NZCV=1001, GE=0110. */
        ldr     r0, =SCR
        ldr     r1, =1f
        ldr     r2, =(0x900601df | (THUMB_BIT << 5))
        stmia   r0, {r1, r2}
        rfeia   r0!
        b       .
1:      mrs     r4, cpsr
        cps     #0x13
        ldr     r1, =SCR
        sub     r2, r0, r1
        mov     r1, r4
        PRINTF  "rfeia r0!: cpsr=%08x wb=%d\n"

        /* RFEDB without writeback, into the other instruction set. */
        ldr     r0, =(SCR + 8)
        ldr     r1, =other_isa
        bic     r1, r1, #1
#ifdef __thumb__
        ldr     r2, =0x400001d3         @ target is ARM
#else
        ldr     r2, =0x400001f3         @ target is Thumb
#endif
        stmia   r0, {r1, r2}
        add     r0, r0, #8
        rfedb   r0
back:   mov     r1, r4
        ldr     r2, =(SCR + 16)
        sub     r2, r0, r2
        PRINTF  "rfedb r0 to other isa: cpsr there=%08x wb=%d\n"
#ifndef __thumb__
        ldr     r0, =(SCR + 0x20)
        ldr     r1, =2f
        ldr     r2, =0x300001d3
        stmda   r0, {r1, r2}
        rfeda   r0!
2:      mrs     r1, cpsr
        ldr     r2, =(SCR + 0x20)
        sub     r2, r0, r2
        PRINTF  "rfeda r0!: cpsr=%08x wb=%d\n"
        ldr     r0, =(SCR + 0x20)
        ldr     r1, =2f
        ldr     r2, =0x000001d3
        stmib   r0, {r1, r2}
        rfeib   r0
2:      mrs     r1, cpsr
        PRINTF  "rfeib r0: cpsr=%08x\n"
#endif
        mov     r0, #0
        msr     APSR_nzcvqg, r0
        pop     {r4-r11, pc}
        .ltorg

/* Runs in the other instruction set; records CPSR and branches back. */
#ifdef __thumb__
        .arm
other_isa:
        mrs     r4, cpsr
        ldr     r1, =(back + 1)
        bx      r1
#else
        .thumb
        .thumb_func
other_isa:
        mrs     r4, cpsr
        ldr     r1, =back
        bx      r1
#endif
        .ltorg
ENDFUNC(main)
