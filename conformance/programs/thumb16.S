/* thumb16: ISA: thumb-only. Every 16-bit Thumb encoding class, forced with
 * .n: shifts by immediate, 3-bit and 8-bit add/sub immediates, the 16
 * register data-processing ops (ANDS..MVNS incl. MULS, RSBS #0, ADCS/SBCS,
 * RORS), high-register ADD/CMP/MOV, ADD/SUB SP, ADR, ADD Rd, SP, extends,
 * REV*, loads/stores with immediate/register/SP offsets, LDR literal,
 * LDM/STM, PUSH/POP, CBZ. SNAP after each group prints r0-r12 and flags. */
#include "asm.h"

#define SCR 0x40200000

        .text
.macro INIT
        ldr     r0, =0x80000001
        ldr     r1, =0x7fffffff
        ldr     r2, =0x00000003
        ldr     r3, =0xfffffffe
        ldr     r4, =0x00001234
        ldr     r5, =0x0000ff80
        ldr     r6, =0x12345678
        ldr     r7, =0x00000021
        mov     r8, #0
        msr     APSR_nzcvq, r8
.endm

FUNC(main)
        push    {r4-r11, lr}
        mov     r9, #0
        mov     r10, #0
        mov     r11, #0
        mov     r12, #0

        INIT
        lsls.n  r0, r1, #1
        lsrs.n  r1, r6, #4
        asrs.n  r2, r3, #31
        lsls.n  r3, r3, #31
        SNAP    "shift imm"
        INIT
        lsrs.n  r0, r0, #32
        asrs.n  r1, r0, #32
        movs.n  r2, r6                  @ lsls #0: C unchanged
        SNAP    "shift 32/0"

        INIT
        adds.n  r0, r0, r1
        subs.n  r1, r1, r3
        adds.n  r2, r2, #7
        subs.n  r3, r4, #1
        SNAP    "add/sub reg, imm3"
        INIT
        movs.n  r0, #255
        cmp.n   r1, #255
        adds.n  r2, #200
        subs.n  r3, #254
        SNAP    "imm8 mov/cmp/add/sub"

        INIT
        ands.n  r0, r1
        eors.n  r1, r6
        lsls.n  r2, r7                  @ by 33: 0, C = 0
        lsrs.n  r3, r2
        SNAP    "ands eors lsls lsrs"
        INIT
        asrs.n  r0, r7
        adcs.n  r1, r2
        sbcs.n  r2, r3
        rors.n  r6, r2
        SNAP    "asrs adcs sbcs rors"
        INIT
        tst.n   r0, r1
        mrs     r8, apsr
        rsbs.n  r1, r4, #0
        cmp.n   r4, r5
        SNAP    "tst rsbs cmp"
        INIT
        cmn.n   r0, r1
        orrs.n  r2, r3
        muls.n  r4, r5, r4
        bics.n  r6, r5
        mvns.n  r7, r7
        SNAP    "cmn orrs muls bics mvns"

        INIT
        mov.n   r8, r6
        add.n   r8, r4
        add.n   r4, r8
        mov     r9, #5
        cmp.n   r9, r8
        mov.n   r10, sp
        mov.n   r11, pc                 @ PC = this + 4
        ldr     r12, =1f
1:      sub     r11, r11, r12
        mov     r12, sp
        sub     r10, r10, r12
        mov     r12, #0
        SNAP    "hi-reg mov add cmp"

        INIT
        mov     r10, sp
        sub.n   sp, #256
        add.n   r0, sp, #1020
        sub     r0, r0, r10
        add.n   sp, #128
        add.n   r1, sp, #4
        sub     r1, r1, r10
        add.n   sp, #128
        mov     r10, #0
        SNAP    "sp add/sub"

        INIT
        sxth.n  r0, r5
        sxtb.n  r1, r5
        uxth.n  r2, r0
        uxtb.n  r3, r6
        rev.n   r4, r6
        rev16.n r5, r6
        revsh.n r7, r5
        SNAP    "extend rev"

        /* Loads and stores. */
        ldr     r7, =SCR
        ldr     r0, =0x11223344
        ldr     r1, =0x8899aabb
        str.n   r0, [r7, #0]
        str.n   r1, [r7, #124]
        strh.n  r1, [r7, #62]
        strb.n  r0, [r7, #31]
        mov     r2, #8
        str.n   r1, [r7, r2]
        strh.n  r0, [r7, r2]
        mov     r3, #13
        strb.n  r1, [r7, r3]
        ldr.n   r0, [r7, #0]
        ldr.n   r1, [r7, #8]
        ldrh.n  r2, [r7, #62]
        ldrb.n  r3, [r7, #31]
        mov     r6, #12
        ldr.n   r4, [r7, r6]
        ldrsb.n r5, [r7, r3]
        mov     r3, #124
        ldrsh.n r6, [r7, r3]
        ldrb.n  r3, [r7, #13]
        ldr     r7, =0
        SNAP    "ld/st imm & reg"

        mov     r10, sp
        sub     sp, #64
        ldr     r0, =0xcafe0001
        ldr     r1, =0xcafe0002
        str.n   r0, [sp, #0]
        str.n   r1, [sp, #60]
        ldr.n   r2, [sp, #60]
        ldr.n   r3, [sp, #0]
        ldr.n   r4, lit
        add     sp, #64
        mov     r12, sp
        sub     r10, r10, r12
        mov     r12, #0
        adr.n   r5, lit
        ldr     r6, =lit
        sub     r5, r5, r6
        mov     r6, #0
        SNAP    "sp-relative, literal, adr"

        ldr     r0, =SCR
        ldr     r1, =0xa1
        ldr     r2, =0xa2
        ldr     r3, =0xa3
        stmia.n r0!, {r1-r3}
        ldr     r4, =SCR
        sub     r0, r0, r4
        mov     r5, r4
        ldmia.n r5!, {r1, r2}
        sub     r5, r5, r4
        ldmia.n r4, {r3, r4}            @ base in list: no writeback
        SNAP    "stmia/ldmia"

        ldr     r0, =0xbb
        ldr     r1, =0xcc
        ldr     r5, =0x1e1e1e1e
        mov     lr, r5
        push.n  {r0, r1, lr}
        mov     r0, #0
        mov     r1, #0
        pop.n   {r2, r3}
        pop.n   {r4}
        ldr     r5, =0x0e0e0e0e
        mov     lr, r5
        push.n  {r4, lr}
        bl      popper
        mov     r6, #0
        SNAP    "push/pop"

        mov     r0, #0
        pop     {r4-r11, pc}
        .balign 4
lit:    .word   0x600dc0de
        .ltorg
ENDFUNC(main)

/* Returns through POP {PC} (16-bit) with lr pushed by the caller. */
        .thumb_func
popper:
        mov     r6, lr
        add     sp, #8
        push.n  {r6}
        movs.n  r7, #0x77
        pop.n   {pc}
