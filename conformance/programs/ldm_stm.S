/* ldm_stm: LDM/STM in every addressing mode the ISA has (A32: IA/IB/DA/DB;
 * T32: IA/DB and the 16-bit forms) with and without writeback, single and
 * many registers, base in the register list (no writeback: loads/stores the
 * base), PUSH/POP (including the single-register forms that encode as
 * LDR/STR) and LDM into PC. Buffers live at fixed scratch RAM 0x40200000. */
#include "asm.h"

#define SCR 0x40200000
#define BASE (SCR + 64)
#define PAT 0xb0000000

        .text
.macro SETREGS
        ldr     r1, =0x01010101
        ldr     r2, =0x02020202
        ldr     r3, =0x03030303
        ldr     r4, =0x04040404
        ldr     r5, =0x05050505
        ldr     r6, =0x06060606
        ldr     r7, =0x07070707
        ldr     r8, =0x08080808
        ldr     r9, =0x09090909
        ldr     r10, =0x0a0a0a0a
        ldr     r11, =0x0b0b0b0b
        ldr     r12, =0x0c0c0c0c
        ldr     lr, =0x0e0e0e0e
.endm

.macro FILL
        ldr     r0, =SCR
        mov     r1, #32
        ldr     r2, =PAT
        bl      rt_fillw
.endm

/* Store test: base r0 = BASE; print changed words (index 16 = base) and the
 * final r0. */
.macro STCASE text, i1, i2, i3, i4, i5, i6, i7, i8, i9
        FILL
        SETREGS
        ldr     r0, =BASE
        \i1
        \i2
        \i3
        \i4
        \i5
        \i6
        \i7
        \i8
        \i9
        PUTS    "\text:"
        mov     r4, r0
        ldr     r0, =SCR
        mov     r1, #32
        ldr     r2, =PAT
        bl      rt_memdiff
        ldr     r1, =BASE
        sub     r1, r4, r1
        PRINTF  " wb=%d\n"
        POOL
.endm

/* Load test: base r0 = BASE over the pattern; registers start as SETREGS. */
.macro LDCASE text, i1, i2, i3, i4, i5, i6, i7, i8, i9
        FILL
        SETREGS
        ldr     r0, =BASE
        \i1
        \i2
        \i3
        \i4
        \i5
        \i6
        \i7
        \i8
        \i9
        SNAP    "\text"
        POOL
.endm

FUNC(main)
        push    {r4-r11, lr}
        PUTS    "pattern: word i at 0x40200000+4i = b0000000+i, base = word 16\n"
        STCASE  "stmia r0, {r1}", "stmia r0, {r1}"
        STCASE  "stmia r0!, {r1-r3}", "stmia r0!, {r1-r3}"
        STCASE  "stmia r0!, {r1,r5,r9,lr}", "stmia r0!, {r1, r5, r9, lr}"
        STCASE  "stmdb r0!, {r1-r12,lr}", "stmdb r0!, {r1-r12, lr}"
        STCASE  "stmdb r0, {r2,r4}", "stmdb r0, {r2, r4}"
        STCASE  "stmia r0, {r0-r2} (base stored)", "stmia r0, {r0-r2}", "ldr r1, =0x40200040", "ldr r2, [r0]", "sub r2, r2, r1", "str r2, [r0]"
        STCASE  "push {r1-r4}", "mov r11, sp", "mov sp, r0", "push {r1-r4}", "mov r0, sp", "mov sp, r11", "ldr r11, =0x0b0b0b0b"
        STCASE  "push {r7} (str)", "mov r11, sp", "mov sp, r0", "push {r7}", "mov r0, sp", "mov sp, r11", "ldr r11, =0x0b0b0b0b"
        STCASE  "stm r0!, {r1,r2} 16-bit", "stm r0!, {r1, r2}"
        STCASE  "stmdb r0!, {r3}", "stmdb r0!, {r3}"
#ifndef __thumb__
        STCASE  "stmib r0, {r1-r3}", "stmib r0, {r1-r3}"
        STCASE  "stmib r0!, {r1,r12}", "stmib r0!, {r1, r12}"
        STCASE  "stmda r0, {r1-r3}", "stmda r0, {r1-r3}"
        STCASE  "stmda r0!, {r4,r8,lr}", "stmda r0!, {r4, r8, lr}"
        STCASE  "stmia r0!, {r0,r1} (base lowest)", "stmia r0!, {r0, r1}", "ldr r1, =0x40200040", "ldr r2, [r1]", "sub r2, r2, r1", "str r2, [r1]"
        STCASE  "stmdb r0!, {r0-r3} (base lowest)", "stmdb r0!, {r0-r3}", "ldr r1, =0x40200040", "ldr r2, [r0]", "sub r2, r2, r1", "str r2, [r0]"
        STCASE  "stmfa r0!, {r1,r2}", "stmfa r0!, {r1, r2}"
        STCASE  "stmed r0!, {r1,r2}", "stmed r0!, {r1, r2}"
#endif

        LDCASE  "ldmia r0, {r1}", "ldmia r0, {r1}", "ldr r2, =0x40200040", "sub r0, r0, r2"
        LDCASE  "ldmia r0!, {r1-r4}", "ldmia r0!, {r1-r4}", "ldr r5, =0x40200040", "sub r0, r0, r5"
        LDCASE  "ldmdb r0!, {r1-r12}", "ldmdb r0!, {r1-r12}", "ldr lr, =0x40200040", "sub r0, r0, lr"
        LDCASE  "ldmdb r0, {r3,r7,r11}", "ldmdb r0, {r3, r7, r11}", "ldr r1, =0x40200040", "sub r0, r0, r1"
        LDCASE  "ldmia r0, {r0-r3} (base loaded)", "ldmia r0, {r0-r3}"
        LDCASE  "ldmia r0, {r1,r0} (base last)", "ldmia r0, {r0, r1}"
        LDCASE  "ldm r1!, {r2,r3} 16-bit", "mov r1, r0", "ldm r1!, {r2, r3}", "ldr r0, =0x40200040", "sub r1, r1, r0"
        LDCASE  "pop {r1-r3}", "mov r11, sp", "mov sp, r0", "pop {r1-r3}", "mov r0, sp", "mov sp, r11", "ldr r11, =0x0b0b0b0b", "ldr r4, =0x40200040", "sub r0, r0, r4"
        LDCASE  "pop {r9} (ldr)", "mov r11, sp", "mov sp, r0", "pop {r9}", "mov r0, sp", "mov sp, r11", "ldr r11, =0x0b0b0b0b", "ldr r4, =0x40200040", "sub r0, r0, r4"
        LDCASE  "ldmia r0!, {r12}", "ldmia r0!, {r12}", "ldr r4, =0x40200040", "sub r0, r0, r4"
#ifndef __thumb__
        LDCASE  "ldmib r0, {r1-r3}", "ldmib r0, {r1-r3}", "ldr r4, =0x40200040", "sub r0, r0, r4"
        LDCASE  "ldmib r0!, {r1,r12}", "ldmib r0!, {r1, r12}", "ldr r4, =0x40200040", "sub r0, r0, r4"
        LDCASE  "ldmda r0, {r1-r3}", "ldmda r0, {r1-r3}", "ldr r4, =0x40200040", "sub r0, r0, r4"
        LDCASE  "ldmda r0!, {r4,r8,r12}", "ldmda r0!, {r4, r8, r12}", "ldr r1, =0x40200040", "sub r0, r0, r1"
        LDCASE  "ldmfa r0!, {r1,r2}", "ldmfa r0!, {r1, r2}", "ldr r4, =0x40200040", "sub r0, r0, r4"
        LDCASE  "ldmib r0, {r0,r1} (base loaded)", "ldmib r0, {r0, r1}"
        LDCASE  "ldmda r0, {r2,r0}", "ldmda r0, {r0, r2}"
#endif

        /* LDM with PC: return through a pushed address. */
        ldr     r0, =SCR
        ldr     r2, =(1f + THUMB_BIT)
        ldr     r1, =0x12345678
        stmia   r0, {r1, r2}
        ldr     r3, =0
        ldmia   r0, {r4, pc}
        mov     r3, #0xbad              @ skipped
1:      mov     r1, r3
        PRINTF  "ldm pc: r3=%x\n"

        /* A long block copy with LDMIA!/STMIA! pairs. */
        ldr     r0, =SCR
        mov     r1, #64
        ldr     r2, =0x100
        bl      rt_fillw
        ldr     r0, =SCR
        ldr     r1, =(SCR + 0x400)
        mov     r2, #8
2:      ldmia   r0!, {r3-r10}
        stmia   r1!, {r3-r10}
        subs    r2, r2, #1
        bne     2b
        PUTS    "block copy (differences follow):"
        ldr     r0, =(SCR + 0x400)
        mov     r1, #64
        ldr     r2, =0x100
        bl      rt_memdiff
        PUTS    " end\n"

        mov     r0, #0
        pop     {r4-r11, pc}
ENDFUNC(main)
