/*
 * Macros for M-profile test programs written in assembly (.S, preprocessed).
 *
 *   SHOW "tag", reg   print "tag = value NZCVQ" (the flags as they are now);
 *                     preserves r0-r12, lr and the flags
 *   PUTS "text"       print a string; preserves r0-r12, lr and the flags
 */
        .syntax unified
        .thumb
        .file   __BASE_FILE__

#define FUNC(name) .global name; .type name, %function; .thumb_func; name:
#define ENDFUNC(name) .size name, . - name

.macro STR_LIT label, text
        .pushsection .rodata.str, "aMS", %progbits, 1
\label: .asciz "\text"
        .popsection
.endm

/* 8 registers pushed, then APSR and a pad: SP stays 8-byte aligned. */
.macro SHOW tag, reg
        push    {r0-r3, r12, lr}
        mov     r1, \reg
        mrs     r2, apsr
        push    {r2, r3}
        STR_LIT .Ltag\@, "\tag"
        ldr     r0, =.Ltag\@
        bl      rt_show
        pop     {r2, r3}
        msr     APSR_nzcvq, r2
        pop     {r0-r3, r12, lr}
.endm

.macro PUTS text
        push    {r0-r3, r12, lr}
        mrs     r2, apsr
        push    {r2, r3}
        STR_LIT .Lputs\@, "\text"
        ldr     r0, =.Lputs\@
        bl      rt_puts
        pop     {r2, r3}
        msr     APSR_nzcvq, r2
        pop     {r0-r3, r12, lr}
.endm
