/* swp: ISA: arm-only. SWP and SWPB (deprecated A32 instructions, enabled by
 * SCTLR.SW on cores with the Multiprocessing Extensions) on word and byte,
 * including Rt2 == Rt. */
#include "asm.h"

#define SCR 0x40200000

        .text
FUNC(main)
        push    {r4-r11, lr}
        /* SWP/SWPB are UNDEFINED unless SCTLR.SW (bit 10) is set on a core
         * with the Multiprocessing Extensions; set it first. */
        mrc     p15, 0, r0, c1, c0, 0
        orr     r0, r0, #(1 << 10)
        mcr     p15, 0, r0, c1, c0, 0
        isb
        mrc     p15, 0, r1, c1, c0, 0
        and     r1, r1, #(1 << 10)
        PRINTF  "sctlr.sw after setting it: %x\n"
        ldr     r4, =SCR
        ldr     r0, =0x11223344
        str     r0, [r4]
        ldr     r1, =0xaabbccdd
        swp     r2, r1, [r4]
        ldr     r3, [r4]
        mov     r1, r2
        mov     r2, r3
        PRINTF  "swp: old=%08x mem=%08x\n"
        ldr     r1, =0x000000ee
        swpb    r2, r1, [r4]
        ldr     r3, [r4]
        mov     r1, r2
        mov     r2, r3
        PRINTF  "swpb: old=%08x mem=%08x\n"
        add     r5, r4, #3
        ldr     r1, =0xffffff77
        swpb    r2, r1, [r5]
        ldr     r3, [r4]
        mov     r1, r2
        mov     r2, r3
        PRINTF  "swpb +3: old=%08x mem=%08x\n"
        ldr     r6, =0x01020304
        swp     r6, r6, [r4]
        ldr     r3, [r4]
        mov     r1, r6
        mov     r2, r3
        PRINTF  "swp rt==rt2: reg=%08x mem=%08x\n"
        mov     r0, #0
        pop     {r4-r11, pc}
ENDFUNC(main)
