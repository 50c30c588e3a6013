/* branch: B (short and long, forward and backward, conditional), BL, BLX
 * (immediate and register), BX, and interworking branches to and from both
 * states: BL/BLX to ARM and Thumb functions, BX/BLX reg with bit 0, LDR PC,
 * POP {PC}, LDM {..,PC}, MOV PC (A32 ALU writes interwork). Each callee leaves
 * its id in r0 and its LR in r9; the caller prints LR minus the return
 * address (1 when the caller was Thumb). */
#include "asm.h"

        .text
/* ---------------- callees in ARM state ---------------- */
        .arm
        .type a_bxlr, %function
a_bxlr:
        mov     r9, lr
        mov     r0, #0xa1
        bx      lr
        .type a_pop, %function
a_pop:
        push    {r4, lr}
        mov     r9, lr
        mov     r0, #0xa2
        pop     {r4, pc}
        .type a_ldrpc, %function
a_ldrpc:
        str     lr, [sp, #-4]!
        mov     r9, lr
        mov     r0, #0xa3
        ldr     pc, [sp], #4
        .type a_movpc, %function
a_movpc:
        mov     r9, lr
        mov     r0, #0xa4
        mov     pc, lr                  @ A32: ALUWritePC interworks in ARMv7
        .type a_ldm, %function
a_ldm:
        stmdb   sp!, {r4-r6, lr}
        mov     r9, lr
        mov     r0, #0xa5
        ldmia   sp!, {r4-r6, pc}

/* ---------------- callees in Thumb state ---------------- */
        .thumb
        .thumb_func
        .type t_bxlr, %function
t_bxlr:
        mov     r9, lr
        movs    r0, #0xb1
        bx      lr
        .thumb_func
        .type t_pop, %function
t_pop:
        push    {r4, lr}
        mov     r9, lr
        movs    r0, #0xb2
        pop     {r4, pc}
        .thumb_func
        .type t_ldrpc, %function
t_ldrpc:
        str     lr, [sp, #-4]!
        mov     r9, lr
        movs    r0, #0xb3
        ldr     pc, [sp], #4
        .thumb_func
        .type t_ldm, %function
t_ldm:
        push    {r4-r6, lr}
        mov     r9, lr
        movs    r0, #0xb5
        ldmia.w sp!, {r4-r6, pc}

/* ---------------- the test, in the build's ISA ---------------- */
#ifdef __thumb__
        .thumb
#define TBIT 1
#else
        .arm
#define TBIT 0
#endif

.macro CHECK ret
        ldr     r1, =\ret
        sub     r1, r9, r1
        mov     r2, r0
        PRINTF  " lr-ret=%d id=%x"
.endm

FUNC(main)
        push    {r4-r11, lr}

        PUTS    "bl:"
        bl      a_bxlr
1:      CHECK   1b
        bl      t_bxlr
1:      CHECK   1b
        bl      a_pop
1:      CHECK   1b
        bl      t_pop
1:      CHECK   1b
        PUTS    "\nblx imm (always changes state):"
#ifdef __thumb__
        blx     a_ldrpc
#else
        blx     t_ldrpc
#endif
1:      CHECK   1b
        PUTS    "\nbl to a callee returning with ldr pc:"
        bl      a_ldrpc
1:      CHECK   1b
        bl      t_ldrpc
1:      CHECK   1b
        PUTS    "\nblx reg:"
        ldr     r4, =a_ldm
        blx     r4
1:      CHECK   1b
        ldr     r4, =t_ldm
        blx     r4
1:      CHECK   1b
        ldr     r4, =a_movpc
        blx     r4
1:      CHECK   1b

        PUTS    "\nbx reg with manual lr:"
        ldr     lr, =(2f + TBIT)
        ldr     r4, =t_bxlr
        bx      r4
2:      CHECK   2b
        ldr     lr, =(2f + TBIT)
        ldr     r4, =a_bxlr
        bx      r4
2:      CHECK   2b

        PUTS    "\nldr pc:"
        ldr     lr, =(2f + TBIT)
        ldr     pc, =a_pop
2:      CHECK   2b
        ldr     lr, =(2f + TBIT)
        ldr     pc, =t_pop
2:      CHECK   2b

        PUTS    "\npop pc:"
        ldr     lr, =(2f + TBIT)
        ldr     r4, =t_bxlr
        push    {r4}
        pop     {pc}
2:      CHECK   2b
        ldr     lr, =(2f + TBIT)
        ldr     r4, =a_bxlr
        ldr     r5, =0x5555
        push    {r4, r5}
        ldr     r5, =0
        pop     {r5, r6}                @ r5=target, r6=0x5555
        push    {r5}
        pop     {pc}
2:      CHECK   2b
        mov     r1, r6
        PRINTF  " r6=%x"

        PUTS    "\nldm pc:"
        ldr     lr, =(2f + TBIT)
        ldr     r4, =t_pop
        ldr     r5, =a_pop
        push    {r4, r5}
        ldmia   sp!, {r6, pc}           @ r6=t_pop, goes to a_pop
2:      CHECK   2b
        ldr     lr, =(2f + TBIT)
        push    {r6}
        ldr     r7, =0
        ldmia   sp!, {pc}
2:      CHECK   2b

#ifndef __thumb__
        PUTS    "\nmov pc (A32 interworks):"
        ldr     lr, =2f
        ldr     r4, =t_bxlr
        mov     pc, r4
2:      CHECK   2b
        ldr     lr, =2f
        ldr     r4, =(t_bxlr - 8)
        add     pc, r4, #8
2:      CHECK   2b
#endif

        /* Conditional and unconditional branches with long offsets
         * (T32: B.W and B<c>.W), forward then back. */
        PUTS    "\nbranches:"
        mov     r4, #0
        movs    r5, #1
        b       far_fwd
back_here:
        add     r4, r4, #0x10
        cmp     r5, #1
        beq     far_cond
back_cond:
        add     r4, r4, #0x100
        cmp     r5, #2
        bne     near_cond
        add     r4, r4, #0x8000         @ skipped
near_cond:
        add     r4, r4, #0x1000
        /* a small loop with a backward conditional branch */
        mov     r6, #0
        mov     r7, #10
3:      add     r6, r6, r7
        subs    r7, r7, #1
        bne     3b
        mov     r1, r4
        mov     r2, r6
        PRINTF  " r4=%x loop=%d\n"

        mov     r0, #0
        pop     {r4-r11, pc}

        .ltorg
        .space  3000, 0
far_fwd:
        add     r4, r4, #1
        b       back_here
        .space  1200, 0
far_cond:
        add     r4, r4, #2
        cmp     r5, #0
        bne     back_cond
        add     r4, r4, #0x4000         @ not reached
        b       back_cond
ENDFUNC(main)
