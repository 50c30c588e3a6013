/* thumb2: a tour of the ARMv7-M Thumb-2 instruction set, written in
 * assembly: IT blocks of several shapes (including flag-setting inside),
 * CBZ/CBNZ, TBB/TBH, bit-field instructions (BFI, BFC, UBFX, SBFX), CLZ,
 * RBIT, REV/REV16/REVSH, MOVW/MOVT, long multiplies, MLA/MLS, SSAT/USAT, the
 * modified-immediate forms, shifts with carry out, ADDW/SUBW, ADR, literal
 * loads, LDRD/STRD, LDM/STM with writeback, POP into PC, TST/TEQ/CMN, and
 * the 16-bit forms that set flags outside IT blocks. Each result is printed
 * with the flags.
 */
#include "asm.h"

        .text
FUNC(main)
        push    {r4-r11, lr}

        /* IT blocks */
        movs    r0, #5
        movs    r4, #0
        cmp     r0, #5
        ittet   eq
        addeq   r4, r4, #1
        addeq   r4, r4, #2
        addne   r4, r4, #4
        addeq   r4, r4, #8
        SHOW    "ittet eq", r4
        cmp     r0, #6
        itete   lt
        movlt   r4, #0x10
        movge   r4, #0x20
        addlt   r4, r4, #1
        addge   r4, r4, #2
        SHOW    "itete lt", r4
        movs    r4, #1
        cmp     r4, #1
        itt     eq
        subseq  r4, r4, #1       /* sets Z again inside the block */
        moveq   r4, #0x77
        SHOW    "itt eq/subs", r4
        movs    r4, #0
        cmp     r4, #1
        it      hi
        movhi   r4, #1
        SHOW    "it hi (0<1)", r4

        /* CBZ/CBNZ */
        movs    r1, #0
        movs    r4, #0
        cbz     r1, 1f
        movs    r4, #1
1:      cbnz    r1, 2f
        adds    r4, #2
2:      SHOW    "cbz/cbnz", r4

        /* TBB/TBH */
        movs    r4, #0
        movs    r1, #2
        tbb     [pc, r1]
.Ltbb:  .byte   (.Ltb0 - .Ltbb) / 2, (.Ltb1 - .Ltbb) / 2, (.Ltb2 - .Ltbb) / 2, 0
.Ltb0:  movs    r4, #10
        b       .Ltbend
.Ltb1:  movs    r4, #11
        b       .Ltbend
.Ltb2:  movs    r4, #12
.Ltbend:
        SHOW    "tbb index 2", r4
        movs    r1, #1
        tbh     [pc, r1, lsl #1]
.Ltbh:  .hword  (.Lth0 - .Ltbh) / 2, (.Lth1 - .Ltbh) / 2
.Lth0:  movs    r4, #20
        b       .Lthend
.Lth1:  movw    r4, #21
.Lthend:
        SHOW    "tbh index 1", r4

        /* bit fields */
        ldr     r4, =0x12345678
        mov     r1, #0xab
        bfi     r4, r1, #4, #8
        SHOW    "bfi #4,#8", r4
        bfc     r4, #16, #12
        SHOW    "bfc #16,#12", r4
        ldr     r1, =0xf0f0a5c3
        ubfx    r4, r1, #6, #7
        SHOW    "ubfx #6,#7", r4
        sbfx    r4, r1, #28, #4
        SHOW    "sbfx #28,#4", r4
        clz     r4, r1
        SHOW    "clz", r4
        movs    r2, #0
        clz     r4, r2
        SHOW    "clz 0", r4
        rbit    r4, r1
        SHOW    "rbit", r4
        rev     r4, r1
        SHOW    "rev", r4
        rev16   r4, r1
        SHOW    "rev16", r4
        revsh   r4, r1
        SHOW    "revsh", r4
        movw    r4, #0xbeef
        movt    r4, #0xdead
        SHOW    "movw/movt", r4
        sxtb    r4, r1
        SHOW    "sxtb", r4
        uxth    r4, r1, ror #8
        SHOW    "uxth ror8", r4

        /* multiplies */
        ldr     r1, =0xfffffffe
        ldr     r2, =0x7fffffff
        umull   r4, r5, r1, r2
        SHOW    "umull lo", r4
        SHOW    "umull hi", r5
        smull   r4, r5, r1, r2
        SHOW    "smull lo", r4
        SHOW    "smull hi", r5
        mov     r4, #1
        mov     r5, #2
        umlal   r4, r5, r1, r2
        SHOW    "umlal lo", r4
        SHOW    "umlal hi", r5
        smlal   r4, r5, r1, r2
        SHOW    "smlal hi", r5
        mov     r3, #100
        mla     r4, r1, r2, r3
        SHOW    "mla", r4
        mls     r4, r1, r2, r3
        SHOW    "mls", r4
        muls    r2, r1, r2
        mov     r4, r2
        SHOW    "muls", r4

        /* saturation */
        ldr     r1, =0x12345
        ssat    r4, #16, r1
        SHOW    "ssat #16", r4
        usat    r4, #4, r1, lsl #1
        SHOW    "usat #4 lsl1", r4
        mov     r0, #0
        msr     APSR_nzcvq, r0

        /* immediates and shifts with carry */
        movs    r4, #0
        adds    r4, r4, #0xff00ff00
        SHOW    "adds 0xff00ff00", r4
        ands    r4, r4, #0x80000000
        SHOW    "ands 0x80000000", r4
        orn     r4, r4, #0x00ab00ab
        SHOW    "orn 0x00ab00ab", r4
        ldr     r1, =0x80000001
        lsls    r4, r1, #1
        SHOW    "lsls #1", r4
        lsrs    r4, r1, #1
        SHOW    "lsrs #1", r4
        asrs    r4, r1, #31
        SHOW    "asrs #31", r4
        rors    r4, r1, #4
        SHOW    "rors #4", r4
        movs    r2, #33
        lsls    r4, r1, r2
        SHOW    "lsls reg 33", r4
        movs    r2, #32
        lsrs    r4, r1, r2
        SHOW    "lsrs reg 32", r4
        rrxs    r4, r1
        SHOW    "rrxs", r4
        mov     r2, #0
        subs    r4, r2, #1
        SHOW    "subs 0-1", r4
        ldr     r2, =0x7fffffff
        adds    r4, r2, #1
        SHOW    "adds max+1", r4
        adc     r4, r2, r2
        SHOW    "adc", r4
        sbcs    r4, r2, r2, lsl #1
        SHOW    "sbcs lsl1", r4
        rsb     r4, r2, #0
        SHOW    "rsb 0", r4
        addw    r4, r2, #0xfff
        SHOW    "addw", r4
        subw    r4, r2, #0x123
        SHOW    "subw", r4
        cmn     r2, r2
        SHOW    "cmn", r2
        tst     r2, #0x80000000
        SHOW    "tst", r2
        teq     r2, r2
        SHOW    "teq", r2

        /* PC-relative and memory */
        adr     r4, .Llit
        ldr     r4, [r4]
        SHOW    "adr+ldr", r4
        ldr     r4, .Llit
        SHOW    "ldr literal", r4
        ldrsb   r4, .Llit
        SHOW    "ldrsb literal", r4
        sub     sp, sp, #16
        ldr     r2, =0x11111111
        ldr     r3, =0x22222222
        strd    r2, r3, [sp, #8]
        ldrd    r4, r5, [sp, #8]
        add     r4, r4, r5
        SHOW    "strd/ldrd", r4
        mov     r1, sp
        ldr     r2, =0xa
        ldr     r3, =0xb
        stmia   r1!, {r2, r3}
        mov     r7, sp
        sub     r4, r1, r7
        SHOW    "stmia! advance", r4
        ldmdb   r1!, {r5, r6}
        add     r4, r5, r6
        SHOW    "ldmdb! sum", r4
        mov     r7, sp
        sub     r4, r1, r7
        SHOW    "ldmdb! base", r4
        ldr     r1, [sp, #4]!
        mov     r4, r1
        SHOW    "ldr pre-index !", r4
        ldr     r4, [sp], #12
        SHOW    "ldr post-index", r4
        bl      popper
        SHOW    "pop pc", r0

        movs    r0, #0
        pop     {r4-r11, pc}
        .align  2
.Llit:  .word   0x89abcdef
        .ltorg
ENDFUNC(main)

FUNC(popper)
        push    {r4, lr}
        movs    r0, #0x5a
        pop     {r4, pc}
ENDFUNC(popper)
