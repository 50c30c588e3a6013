/* ldm_user: ISA: arm-only (T32 has no user-bank or exception-return LDM/STM).
 * STM^ storing the User-mode r8-r14 from FIQ mode (whose r8-r14 are banked)
 * and from SVC mode, LDM^ loading the User bank, exception-return LDM with
 * PC and ^ (CPSR restored from SPSR, including a switch to Thumb state), and
 * the data-processing exception returns MOVS PC, LR and SUBS PC, LR. */
#include "asm.h"

#define SCR 0x40200000

        .text
/* Give User/System r8-r14 and FIQ r8-r14 distinct values. */
.macro BANKS
        cps     #0x1f
        ldr     r8, =0x80000008
        ldr     r9, =0x80000009
        ldr     r10, =0x8000000a
        ldr     r11, =0x8000000b
        ldr     r12, =0x8000000c
        mov     r7, sp
        ldr     sp, =0x8000000d
        ldr     lr, =0x8000000e
        cps     #0x11
        ldr     r8, =0xf1000008
        ldr     r9, =0xf1000009
        ldr     r10, =0xf100000a
        ldr     r11, =0xf100000b
        ldr     r12, =0xf100000c
        mov     r6, sp
        ldr     sp, =0xf100000d
        ldr     lr, =0xf100000e
        cps     #0x13
.endm
/* Put the User-mode stack pointer back (saved in r7) and FIQ's (in r6). */
.macro UNBANK
        cps     #0x1f
        mov     sp, r7
        cps     #0x11
        mov     sp, r6
        cps     #0x13
        mov     r6, #0
        mov     r7, #0
.endm

FUNC(main)
        push    {r4-r11, lr}

        /* STM^ from FIQ mode stores the User registers, not FIQ's. */
        BANKS
        ldr     r0, =SCR
        mov     r1, #10
        ldr     r2, =0xcc000000
        bl      rt_fillw
        ldr     r0, =SCR
        cps     #0x11
        stmia   r0, {r8-r14}^               @ words 0-6: User r8-r14
        add     r1, r0, #28
        stmia   r1, {r8-r9}                 @ words 7-8: FIQ's own r8, r9
        cps     #0x13
        UNBANK
        PUTS    "stm^ from fiq, then fiq r8-r9 at words 7-8:"
        ldr     r0, =SCR
        mov     r1, #10
        ldr     r2, =0xcc000000
        bl      rt_memdiff
        PUTS    "\n"

        /* STMDB^ from SVC mode with user-only lr. */
        BANKS
        ldr     r0, =SCR
        mov     r1, #10
        ldr     r2, =0xcc000000
        bl      rt_fillw
        ldr     r0, =(SCR + 32)
        stmdb   r0, {r12-r14}^
        UNBANK
        PUTS    "stmdb^ from svc:"
        ldr     r0, =SCR
        mov     r1, #10
        ldr     r2, =0xcc000000
        bl      rt_memdiff
        PUTS    "\n"

        /* LDM^ from FIQ mode loads the User bank and leaves FIQ's alone. */
        BANKS
        ldr     r0, =SCR
        mov     r1, #8
        ldr     r2, =0x5a000000
        bl      rt_fillw
        ldr     r0, =SCR
        cps     #0x11
        ldmia   r0, {r8-r14}^
        mov     r0, r8                  @ FIQ r8 unchanged
        mov     r1, r14                 @ FIQ lr unchanged
        cps     #0x1f
        mov     r2, r8
        mov     r3, r12
        mov     r4, sp
        mov     r5, lr
        cps     #0x13
        UNBANK
        SNAP    "ldm^ from fiq: r0,r1=fiq r8,lr r2-r5=usr r8,r12,sp,lr"

        /* Exception-return LDM: SPSR = SYS mode with NZCV=0101, GE=1010. */
        ldr     r0, =SCR
        ldr     r1, =0x11111111
        ldr     r2, =0x22222222
        ldr     r3, =1f
        stmia   r0, {r1-r3}
        ldr     r4, =0x500a01df
        msr     spsr_fsxc, r4
        mov     r1, #0
        mov     r2, #0
        ldmia   r0, {r1, r2, pc}^
        b       .                       @ not reached
1:      mrs     r4, cpsr
        cps     #0x13
        mov     r3, r4
        PRINTF  "ldm^ pc: r1=%08x r2=%08x cpsr=%08x\n"

        /* ... into Thumb state. */
        ldr     r0, =SCR
        ldr     r3, =thumb_target
        bic     r3, r3, #1
        str     r3, [r0]
        ldr     r4, =0x800001f3         @ SVC mode, T set, N set
        msr     spsr_fsxc, r4
        ldmia   r0, {pc}^
back_from_thumb:
        mov     r1, r4
        PRINTF  "ldm^ pc into thumb: cpsr there=%08x\n"

        /* MOVS PC, LR / SUBS PC, LR, #4 / ADDS PC / EORS PC. */
        ldr     lr, =2f
        ldr     r4, =0x200001df
        msr     spsr_fsxc, r4
        movs    pc, lr
2:      mrs     r1, cpsr
        cps     #0x13
        PRINTF  "movs pc, lr: cpsr=%08x\n"

        ldr     lr, =(2f + 4)
        ldr     r4, =0x900001df
        msr     spsr_fsxc, r4
        subs    pc, lr, #4
2:      mrs     r1, cpsr
        cps     #0x13
        PRINTF  "subs pc, lr, #4: cpsr=%08x\n"

        /* Architecturally ADDS/EORS/... PC are exception returns too, but
         * QEMU 7.2 implements that only for SUBS and MOVS (the others are
         * plain flag-setting branches there), so they are not tested. */

        /* Restore a clean SVC state for the exit path. */
        mov     r0, #0
        msr     APSR_nzcvqg, r0
        pop     {r4-r11, pc}
        .ltorg

        .thumb
        .thumb_func
thumb_target:
        mrs     r4, cpsr
        nop
        ldr     r0, =back_from_thumb
        bx      r0
        .ltorg
ENDFUNC(main)
