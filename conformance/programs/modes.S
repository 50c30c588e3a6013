/* modes: processor modes and banked registers. Visits FIQ, IRQ, ABT, UND,
 * SYS(=USR) and SVC with MSR CPSR_c and CPS, writes distinct values to
 * r8-r12, SP, LR and SPSR in each, then reads them all back (FIQ has its own
 * r8-r12; SYS/USR has no SPSR). CPS to a few modes. Then the ARMv7VE
 * banked-register forms MRS/MSR Rd, <reg>_<mode>, which are UNDEFINED here
 * because QEMU's virt Cortex-A15 has no Virtualization Extensions. */
#include "asm.h"

#define TAB 0x40200000          /* 6 modes x 8 words: r8-r12, sp, lr, spsr */
#define SAVE 0x40200200         /* saved sp/lr of each mode */

        .text
/* Switch with MSR CPSR_c, #imm (A32; I and F stay masked) or CPS (T32). */
.macro TO mode
#ifdef __thumb__
        cps     #\mode
#else
        msr     cpsr_c, #(0xc0 | \mode)
#endif
.endm

.macro SETMODE mode, idx, setspsr
        TO      \mode
        ldr     r0, =(SAVE + \idx * 8)
        str     sp, [r0]
        str     lr, [r0, #4]
        ldr     r8, =(0x08000000 | (\mode << 16))
        add     r9, r8, #1
        add     r10, r8, #2
        add     r11, r8, #3
        add     r12, r8, #4
        add     r1, r8, #5
        mov     sp, r1
        add     lr, r8, #6
        .if \setspsr
        add     r1, r8, #7
        msr     spsr_fsxc, r1
        .endif
.endm

.macro GETMODE mode, idx, getspsr
        TO      \mode
        ldr     r0, =(TAB + \idx * 32)
        str     r8, [r0]
        str     r9, [r0, #4]
        str     r10, [r0, #8]
        str     r11, [r0, #12]
        str     r12, [r0, #16]
        str     sp, [r0, #20]
        str     lr, [r0, #24]
        .if \getspsr
        mrs     r1, spsr
        .else
        mov     r1, #0
        .endif
        str     r1, [r0, #28]
        ldr     r0, =(SAVE + \idx * 8)
        ldr     sp, [r0]
        ldr     lr, [r0, #4]
.endm

FUNC(main)
        push    {r4-r11, lr}
        mrs     r4, cpsr
        SETMODE 0x11, 0, 1
        SETMODE 0x12, 1, 1
        SETMODE 0x17, 2, 1
        SETMODE 0x1b, 3, 1
        SETMODE 0x1f, 4, 0
        SETMODE 0x13, 5, 1
        GETMODE 0x11, 0, 1
        GETMODE 0x12, 1, 1
        GETMODE 0x17, 2, 1
        GETMODE 0x1b, 3, 1
        GETMODE 0x1f, 4, 0
        GETMODE 0x13, 5, 1
        msr     cpsr_fsxc, r4
        POOL

        ldr     r4, =TAB
        mov     r5, #0
1:      PUTS    "mode slot: r8-r12, sp, lr, spsr ="
        mov     r6, #0
2:      ldr     r1, [r4], #4
        PRINTF  " %08x"
        add     r6, r6, #1
        cmp     r6, #8
        blo     2b
        PUTS    "\n"
        add     r5, r5, #1
        cmp     r5, #6
        blo     1b

        /* CPS changes mode too; the mode bits read back through MRS. */
        mrs     r4, cpsr
        cps     #0x1b
        mrs     r1, cpsr
        cps     #0x17
        mrs     r2, cpsr
        cps     #0x1f
        mrs     r3, cpsr
        msr     cpsr_fsxc, r4
        PRINTF  "cps und=%08x abt=%08x sys=%08x\n"

        /* Banked MRS/MSR belong to the Virtualization Extensions; QEMU's
         * virt board without virtualization=on has none (ID_PFR1), so each
         * is UNDEFINED and leaves its destination alone. */
        ldr     r0, =banked_l
        ldr     r1, =rt_mark
        str     r0, [r1]
        ldr     r1, =0x11111111
        ldr     r2, =0x22222222
banked_l:
        mrs     r1, r8_fiq
        mrs     r2, SPSR_und
        msr     lr_irq, r1
        msr     SPSR_abt, r2
        PRINTF  "after banked mrs/msr: r1=%08x r2=%08x\n"
        ldr     r1, =rt_mark
        mov     r0, #0
        str     r0, [r1]

        mov     r0, #0
        pop     {r4-r11, pc}
ENDFUNC(main)
