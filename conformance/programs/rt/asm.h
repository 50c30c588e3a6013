/*
 * Macros for test programs written in assembly (.S, preprocessed).
 * They assemble in both A32 and T32; they need a valid full-descending SP.
 *
 *   PUTS "text"      print a string (no newline added; use \n)
 *   SNAP "tag"       print "tag:" then r0-r12, lr and the APSR flags;
 *                    every register and the flags are preserved
 *   PRINTF "fmt"     rt_printf(fmt, r1, r2, r3); preserves r0-r12, lr, flags
 */
        .file   __BASE_FILE__   /* keeps temporary file names out of the image */
        .syntax unified

#ifdef __thumb__
        .thumb
#define FUNC(name) .global name; .type name, %function; .thumb_func; name:
#else
        .arm
#define FUNC(name) .global name; .type name, %function; name:
#endif
#define ENDFUNC(name) .size name, . - name
#ifdef __thumb__
#define THUMB_BIT 1
#else
#define THUMB_BIT 0
#endif

.macro STR_LIT label, text
        .pushsection .rodata.str, "aMS", %progbits, 1
\label: .asciz "\text"
        .popsection
.endm

/* Save r0-r12, lr and APSR: 16 words (with one pad) keep SP 8-byte aligned. */
.macro SAVE_ALL
        push    {r0-r12, lr}
        mrs     r0, apsr
        push    {r0, r1}
.endm
.macro RESTORE_ALL
        pop     {r0, r1}
        msr     APSR_nzcvqg, r0
        pop     {r0-r12, lr}
.endm

.macro PUTS text
        STR_LIT .Lputs\@, "\text"
        SAVE_ALL
        ldr     r0, =.Lputs\@
        bl      rt_puts
        RESTORE_ALL
.endm

.macro SNAP tag
        STR_LIT .Lsnap\@, "\tag"
        SAVE_ALL
        ldr     r0, =.Lsnap\@
        mov     r1, sp
        bl      rt_snap
        RESTORE_ALL
.endm

.macro PRINTF fmt
        STR_LIT .Lpf\@, "\fmt"
        SAVE_ALL
        ldr     r0, =.Lpf\@
        bl      rt_printf
        RESTORE_ALL
.endm

/* Dump the literal pool here (branching over it), for long test sequences. */
.macro POOL
        b       .Lpool\@
        .ltorg
.Lpool\@:
.endm
