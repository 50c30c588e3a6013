/* pc_rel: reading the PC: A32 sees the instruction address + 8, T32 + 4
 * (and Align(PC, 4) for ADR, literal loads and ADD SP/PC-relative forms).
 * MOV/ADD/SUB from PC, ADR forwards and backwards, LDR/LDRB/LDRH/LDRD
 * literal (positive and negative offsets), T32 instructions at both
 * word-aligned and halfword-aligned addresses, and A32 STR/STM of PC. Every
 * value is printed relative to the instruction's own address. */
#include "asm.h"

        .text
/* r1 = value - address of label \l */
.macro REL l
        ldr     r2, =\l
        sub     r1, r1, r2
.endm

.macro PCTESTS tag
        PUTS    "\tag:"
1:      mov     r1, pc
        REL     1b
        PRINTF  " mov=%d"
1:      add     r1, pc, #16
        REL     1b
        PRINTF  " add#16=%d"
1:      adr     r1, 1b
        REL     1b
        PRINTF  " adr_back=%d"
        adr     r1, 2f
        REL     2f
        PRINTF  " adr_fwd=%d"
        ldr     r1, 3f
        PRINTF  " ldr_lit=%08x"
        ldrb    r1, 3f + 1
        PRINTF  " ldrb_lit=%02x"
        ldrh    r1, 3f + 2
        PRINTF  " ldrh_lit=%04x"
        ldrd    r0, r1, 3f
        PRINTF  " ldrd_lit hi=%08x"
        ldr     r1, 4b
        PRINTF  " ldr_lit_back=%08x\n"
        b       5f
        .balign 4
2:
3:      .word   0x87654321, 0x0badf00d
5:
.endm

FUNC(main)
        push    {r4-r11, lr}
        b       9f
        .balign 4
4:      .word   0x13579bdf
9:
        .balign 4
        PCTESTS "aligned"
        .balign 4
        nop
        PCTESTS "after nop"
#ifdef __thumb__
        .balign 4
        nop
1:      add     r1, pc                  @ 16-bit ADD Rdn, PC: PC not aligned
        mov     r3, r1
        mov     r1, #0
        add     r1, pc
        REL     1b
        PRINTF  "t16 add rdn,pc at odd halfword: %d\n"
1:      ldr.w   r1, 1b                  @ negative literal offset
        REL     1b
        ldr     r3, =0x40000000
        PRINTF  "ldr.w literal backwards ok\n"
1:      sub     r1, pc, #4              @ ADR.W (sub form)
        REL     1b
        PRINTF  "adr sub form: %d\n"
#else
        ldr     r4, =0x40200000
1:      str     pc, [r4]
        ldr     r1, [r4]
        REL     1b
        PRINTF  "str pc stores +%d\n"
1:      stmia   r4, {r0, pc}
        ldr     r1, [r4, #4]
        REL     1b
        PRINTF  "stm {pc} stores +%d\n"
1:      sub     r1, pc, pc, lsr #32     @ pc - 0
        REL     1b
        PRINTF  "sub r1, pc, pc, lsr #32: %d\n"
1:      ldr     r1, [pc, #-8]           @ loads this instruction
        ldr     r2, 1b
        sub     r1, r1, r2
        PRINTF  "ldr [pc, #-8] reads itself: diff %d\n"
#endif
        mov     r0, #0
        pop     {r4-r11, pc}
ENDFUNC(main)
