/* cond: every condition code (EQ..LE, AL) evaluated under all 16 NZCV
 * combinations, for conditional data processing, conditional branches,
 * conditional loads/stores and conditional BL/BLX. A32 uses condition fields;
 * T32 gets implicit IT blocks (-mimplicit-it=always) and B<c> encodings. */
#include "asm.h"

        .text
.macro CEXEC cc, bit
        orr\cc  r6, r6, #(1 << \bit)
.endm

.macro CBR cc, bit
        b\cc    .Lt\@
        b       .Ln\@
.Lt\@:  orr     r7, r7, #(1 << \bit)
.Ln\@:
.endm

.macro CLOAD cc, bit
        ldr\cc  r0, [r9, #(\bit * 4)]
.endm

.macro ALLCC m
        \m eq, 0
        \m ne, 1
        \m cs, 2
        \m cc, 3
        \m mi, 4
        \m pl, 5
        \m vs, 6
        \m vc, 7
        \m hi, 8
        \m ls, 9
        \m ge, 10
        \m lt, 11
        \m gt, 12
        \m le, 13
        \m al, 14
.endm

FUNC(main)
        push    {r4-r11, lr}
        PUTS    "cond: bit i of exec/branch = condition i taken (eq ne cs cc mi pl vs vc hi ls ge lt gt le al)\n"
        mov     r4, #0
1:      lsl     r5, r4, #28
        mov     r6, #0
        mov     r7, #0
        msr     APSR_nzcvq, r5
        ALLCC   CEXEC
        mrs     r8, apsr                @ conditional non-S ops leave the flags
        msr     APSR_nzcvq, r5
        ALLCC   CBR
        mov     r1, r5
        mov     r2, r6
        mov     r3, r7
        PRINTF  "nzcv=%08x exec=%04x branch=%04x"
        mov     r1, r8
        PRINTF  " apsr=%08x\n"
        add     r4, r4, #1
        cmp     r4, #16
        blo     1b

        /* Conditional loads and stores: each taken one loads a distinct word
         * into r0 / stores into the table. */
        ldr     r9, =table
        mov     r4, #0
2:      lsl     r5, r4, #28
        mov     r0, #0
        msr     APSR_nzcvq, r5
        ldreq   r0, [r9, #0]
        ldrne   r1, [r9, #4]
        ldrhi   r2, [r9, #8]
        ldrlt   r3, [r9, #12]
        movne   r0, r1                  @ r0 ends as the last loaded value
        movhi   r0, r2
        movlt   r0, r3
        ldr     r10, =scratch
        mov     r11, #0
        str     r11, [r10]
        mov     r11, r4
        strgt   r11, [r10]
        strble  r11, [r10, #1]
        ldr     r2, [r10]
        mov     r1, r0
        PRINTF  "ld/st cc: r0=%08x scratch=%08x\n"
        add     r4, r4, #1
        cmp     r4, #16
        blo     2b

        /* Conditional calls: the callee folds (site id, flags index) into a
         * hash in r10 and counts calls in r8. */
        mov     r10, #0
        mov     r8, #0
        ldr     r11, =callee
        mov     r4, #0
3:      lsl     r5, r4, #28
        msr     APSR_nzcvq, r5
        mov     r0, #1
        blge    callee
        mov     r0, #2
        blxlt   r11
        mov     r0, #3
        bleq    callee
        mov     r0, #4
        blxvs   r11
        add     r4, r4, #1
        cmp     r4, #16
        blo     3b
        mov     r1, r8
        mov     r2, r10
        PRINTF  "conditional calls: %u taken, hash %08x\n"

        mov     r0, #0
        pop     {r4-r11, pc}
ENDFUNC(main)

FUNC(callee)
        add     r8, r8, #1
        add     r0, r0, r4, lsl #4
        eor     r10, r0, r10, ror #5
        bx      lr
ENDFUNC(callee)

        .data
        .align 2
table:  .word 0x11111111, 0x22222222, 0x33333333, 0x44444444
scratch: .word 0
