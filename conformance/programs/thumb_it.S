/* thumb_it: ISA: thumb-only. IT blocks of every length and then/else mix
 * under all 16 NZCV values, flag-setting instructions inside a block changing
 * the outcome of later slots, a branch as the last instruction of a block,
 * IT AL, CBZ/CBNZ, and TBB/TBH jump tables. */
#include "asm.h"

        .text
.macro ITCASE pat, cc
        msr     APSR_nzcvq, r5
        mov     r6, #0
        \pat    \cc
        .ifc \pat, it
        orr\cc  r6, r6, #1
        .endif
        .ifc \pat, itt
        orr\cc  r6, r6, #1
        orr\cc  r6, r6, #2
        .endif
        .ifc \pat, ite
        orr\cc  r6, r6, #1
        INV_\cc r6, #2
        .endif
        .ifc \pat, ittt
        orr\cc  r6, r6, #1
        orr\cc  r6, r6, #2
        orr\cc  r6, r6, #4
        .endif
        .ifc \pat, itet
        orr\cc  r6, r6, #1
        INV_\cc r6, #2
        orr\cc  r6, r6, #4
        .endif
        .ifc \pat, itee
        orr\cc  r6, r6, #1
        INV_\cc r6, #2
        INV_\cc r6, #4
        .endif
        .ifc \pat, itttt
        orr\cc  r6, r6, #1
        orr\cc  r6, r6, #2
        orr\cc  r6, r6, #4
        orr\cc  r6, r6, #8
        .endif
        .ifc \pat, iteet
        orr\cc  r6, r6, #1
        INV_\cc r6, #2
        INV_\cc r6, #4
        orr\cc  r6, r6, #8
        .endif
        .ifc \pat, ittee
        orr\cc  r6, r6, #1
        orr\cc  r6, r6, #2
        INV_\cc r6, #4
        INV_\cc r6, #8
        .endif
        .ifc \pat, iteee
        orr\cc  r6, r6, #1
        INV_\cc r6, #2
        INV_\cc r6, #4
        INV_\cc r6, #8
        .endif
        mrs     r8, apsr
        lsl     r7, r7, #4
        orr     r7, r7, r6
.endm

/* The inverse-condition ORR for else slots. */
.macro INV_eq r, i
        orrne   \r, \r, \i
.endm
.macro INV_ne r, i
        orreq   \r, \r, \i
.endm
.macro INV_cs r, i
        orrcc   \r, \r, \i
.endm
.macro INV_mi r, i
        orrpl   \r, \r, \i
.endm
.macro INV_vs r, i
        orrvc   \r, \r, \i
.endm
.macro INV_hi r, i
        orrls   \r, \r, \i
.endm
.macro INV_ge r, i
        orrlt   \r, \r, \i
.endm
.macro INV_gt r, i
        orrle   \r, \r, \i
.endm
.macro INV_le r, i
        orrgt   \r, \r, \i
.endm

FUNC(main)
        push    {r4-r11, lr}
        PUTS    "it blocks: per flags value, one hex digit per block (bit i = slot i ran)\n"
        mov     r4, #0
1:      lsl     r5, r4, #28
        mov     r7, #0
        ITCASE  it, eq
        ITCASE  itt, ne
        ITCASE  ite, cs
        ITCASE  ittt, mi
        ITCASE  itet, vs
        ITCASE  itee, hi
        ITCASE  itttt, ge
        ITCASE  iteet, gt
        mov     r1, r5
        mov     r2, r7
        PRINTF  "nzcv=%08x blocks1=%08x"
        mov     r7, #0
        ITCASE  ittee, le
        ITCASE  iteee, eq
        ITCASE  iteet, ne
        ITCASE  itttt, cs
        mov     r1, r7
        PRINTF  " blocks2=%04x\n"
        add     r4, r4, #1
        cmp     r4, #16
        blo     1b
        POOL

        /* Flags changed inside a block: slot 2 compares, slots 3-4 see it. */
        PUTS    "cmp inside it:"
        mov     r4, #0
2:      cmp     r4, #3
        mov     r6, #0
        itttt   ls
        orrls   r6, r6, #1
        cmpls   r4, #1
        orrls   r6, r6, #2
        addls   r6, r6, #0x10
        mov     r1, r6
        PRINTF  " %x"
        add     r4, r4, #1
        cmp     r4, #5
        blo     2b
        PUTS    "\n"

        /* 16-bit ADD/SUB/MOV inside an IT block do not set flags. */
        mov     r0, #0
        msr     APSR_nzcvq, r0
        mov     r1, #0
        /* gas refuses instructions in an IT AL block, so raw encodings: */
        .inst.n 0xbfe2                  @ ittt al
        .inst.n 0x3101                  @ add r1, #1  (16-bit, no flags in IT)
        .inst.n 0x3902                  @ sub r1, #2  (-1: would set N outside IT)
        .inst.n 0x2200                  @ mov r2, #0
        mrs     r3, apsr
        lsr     r2, r3, #28
        PRINTF  "it al: r1=%08x nzcv=%x\n"

        /* A branch as the last instruction of an IT block. */
        mov     r4, #0
        mov     r6, #0
3:      cmp     r4, #2
        ite     lt
        addlt   r6, r6, #1
        bge.w   4f                      @ last slot: conditional branch
        add     r6, r6, #0x100
4:      add     r4, r4, #1
        cmp     r4, #4
        bne     3b
        mov     r1, r6
        PRINTF  "branch in it: %x\n"

        /* CBZ / CBNZ. */
        mov     r6, #0
        mov     r0, #0
        cbz     r0, 5f
        orr     r6, r6, #1
5:      cbnz    r0, 5f
        orr     r6, r6, #2
5:      mov     r0, #7
        cbz     r0, 5f
        orr     r6, r6, #4
5:      cbnz    r0, 5f
        orr     r6, r6, #8
5:      mov     r1, r6
        PRINTF  "cbz/cbnz: %x\n"

        /* TBB: index 0..5. */
        PUTS    "tbb:"
        mov     r4, #0
6:      mov     r1, #0
        tbb     [pc, r4]
tbb_tab:
        .byte   (tb0 - tbb_tab) / 2
        .byte   (tb1 - tbb_tab) / 2
        .byte   (tb2 - tbb_tab) / 2
        .byte   (tb1 - tbb_tab) / 2
        .byte   (tb0 - tbb_tab) / 2
        .byte   (tb3 - tbb_tab) / 2
        .balign 2
tb0:    add     r1, r1, #0x10
tb1:    add     r1, r1, #0x20
        b       7f
tb2:    add     r1, r1, #0x300
tb3:    add     r1, r1, #0x4000
7:      PRINTF  " %x"
        add     r4, r4, #1
        cmp     r4, #6
        blo     6b
        PUTS    "\n"

        /* TBH with a base register other than PC and a long table. */
        PUTS    "tbh:"
        mov     r4, #0
8:      ldr     r0, =tbh_tab
        mov     r1, #0
        adr     r2, tbh_base
        tbh     [r0, r4, lsl #1]
tbh_base:
        b       9f
th0:    add     r1, r1, #1
        b       9f
th1:    add     r1, r1, #2
        b       9f
th2:    add     r1, r1, #3
        b       9f
        .space  600, 0                  @ pushes th3 beyond TBB range
th3:    add     r1, r1, #4
9:      PRINTF  " %x"
        add     r4, r4, #1
        cmp     r4, #4
        blo     8b
        PUTS    "\n"

        mov     r0, #0
        pop     {r4-r11, pc}
        .ltorg
ENDFUNC(main)

        .section .rodata
        .balign 2
tbh_tab:
        .hword  (th2 - tbh_base) / 2
        .hword  (th0 - tbh_base) / 2
        .hword  (th3 - tbh_base) / 2
        .hword  (th1 - tbh_base) / 2
