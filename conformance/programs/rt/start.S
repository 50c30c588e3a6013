/*
 * Mimic conformance runtime: reset entry, vector table, exception trampolines.
 *
 * The image is entered at _start in SVC mode, MMU off, interrupts masked.
 * This file is always assembled as A32 (exceptions are taken in ARM state,
 * SCTLR.TE=0); the test program and rt.c may be A32 or T32.
 */
        .file   "start.S"                     @ not the temporary object name
        .syntax unified
        .arm

#define MODE_USR 0x10
#define MODE_FIQ 0x11
#define MODE_IRQ 0x12
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_UND 0x1b
#define MODE_SYS 0x1f

        .section .text.start, "ax"
        .global _start
        .type _start, %function
_start:
        /* Record the state QEMU hands over, before touching it. */
        mrs     r4, cpsr
        mrc     p15, 0, r5, c1, c0, 0           @ SCTLR
        cpsid   aif

        /* Vectors through VBAR; SCTLR.V (bit 13) clear selects VBAR. */
        ldr     r0, =rt_vectors
        mcr     p15, 0, r0, c12, c0, 0
        mrc     p15, 0, r0, c1, c0, 0
        bic     r0, r0, #(1 << 13)
        mcr     p15, 0, r0, c1, c0, 0
        isb

        /* One stack per mode. */
        cps     #MODE_FIQ
        ldr     sp, =__stack_fiq_top
        mov     lr, #0
        cps     #MODE_IRQ
        ldr     sp, =__stack_irq_top
        mov     lr, #0
        cps     #MODE_ABT
        ldr     sp, =__stack_abt_top
        mov     lr, #0
        cps     #MODE_UND
        ldr     sp, =__stack_und_top
        mov     lr, #0
        cps     #MODE_SYS
        ldr     sp, =__stack_usr_top
        mov     lr, #0
        cps     #MODE_SVC
        ldr     sp, =__stack_svc_top

        /* Zero .bss (it is NOLOAD: the loader need not clear it). */
        ldr     r0, =__bss_start
        ldr     r1, =__bss_end
        mov     r2, #0
        mov     r3, #0
1:      cmp     r0, r1
        strdlo  r2, r3, [r0], #8
        blo     1b

        ldr     r0, =rt_boot_cpsr
        str     r4, [r0]
        ldr     r0, =rt_boot_sctlr
        str     r5, [r0]

        /* Known register state for main: everything else zero. */
        mov     r0, #0
        mov     r1, #0
        mov     r2, #0
        mov     r3, #0
        mov     r4, #0
        mov     r5, #0
        mov     r6, #0
        mov     r7, #0
        mov     r8, #0
        mov     r9, #0
        mov     r10, #0
        mov     r11, #0
        mov     r12, #0
        mov     lr, #0
        msr     APSR_nzcvqg, r0
        bl      main                            @ linker turns this into BLX for T32
        b       rt_exit
        .size _start, . - _start
        .ltorg

/*
 * Vector table: every slot loads its target from rt_vec[] (in .data), so a
 * test can install a raw handler of its own; the defaults are the generic
 * trampolines below, which call rt_exception() in rt.c.
 */
        .section .text.vectors, "ax"
        .align  5
        .global rt_vectors
rt_vectors:
        ldr     pc, [pc, #24]                   @ 0x00 reset (unused)
        ldr     pc, [pc, #24]                   @ 0x04 undefined
        ldr     pc, [pc, #24]                   @ 0x08 SVC
        ldr     pc, [pc, #24]                   @ 0x0c prefetch abort
        ldr     pc, [pc, #24]                   @ 0x10 data abort
        ldr     pc, [pc, #24]                   @ 0x14 (hyp trap, unused)
        ldr     pc, [pc, #24]                   @ 0x18 IRQ
        ldr     pc, [pc, #24]                   @ 0x1c FIQ
        .global rt_vec
rt_vec:                                         @ writable: .text is in RAM
        .word   rt_tramp_reset
        .word   rt_tramp_und
        .word   rt_tramp_svc
        .word   rt_tramp_pabt
        .word   rt_tramp_dabt
        .word   rt_tramp_hyp
        .word   rt_tramp_irq
        .word   rt_tramp_fiq

/*
 * Frame on the exception-mode stack (struct rt_frame):
 *   spsr, pad, r0..r12, lr     (16 words, keeps sp 8-byte aligned)
 * rt_exception may rewrite lr (the return address) and spsr; the return is
 * an exception-return LDM that restores CPSR from SPSR.
 */
.macro TRAMP name, kind
        .global rt_tramp_\name
rt_tramp_\name:
        stmfd   sp!, {r0-r12, lr}
        mrs     r0, spsr
        sub     sp, sp, #8
        str     r0, [sp]
        mov     r0, #\kind
        mov     r1, sp
        bl      rt_exception
        ldr     r0, [sp]
        add     sp, sp, #8
        msr     spsr_fsxc, r0
        ldmfd   sp!, {r0-r12, pc}^
.endm

        TRAMP   reset, 0
        TRAMP   und, 1
        TRAMP   svc, 2
        TRAMP   pabt, 3
        TRAMP   dabt, 4
        TRAMP   hyp, 5
        TRAMP   irq, 6
        TRAMP   fiq, 7

/* void rt_mode_call(void (*fn)(void), u32 mode): run fn in `mode` (e.g. USR)
 * on that mode's stack; when fn returns, SVC #0xff00 brings control back to
 * the caller's mode and stack (see rt_exception). r4-r11 are preserved.
 * Must be called from a privileged mode.
 */
        .text
        .global rt_mode_call
        .type rt_mode_call, %function
rt_mode_call:
        push    {r4-r11, lr}
        ldr     r2, =rt_saved_sp
        str     sp, [r2]
        mrs     r2, cpsr
        ldr     r3, =rt_saved_cpsr
        str     r2, [r3]
        bic     r2, r2, #0x1f
        bic     r2, r2, #0x20                   @ enter fn in ARM state...
        orr     r2, r2, r1
        tst     r0, #1
        orrne   r2, r2, #0x20                   @ ...or Thumb if fn is Thumb
        bic     r0, r0, #1
        msr     spsr_fsxc, r2
        /* fn returns through the target mode's own LR (USR shares SYS's). */
        mrs     r3, cpsr
        bic     r12, r3, #0x1f
        orr     r12, r12, r1
        cmp     r1, #MODE_USR
        orreq   r12, r12, #MODE_SYS
        msr     cpsr_c, r12
        ldr     lr, =rt_mode_back
        msr     cpsr_c, r3
        movs    pc, r0                          @ exception return into fn
        .size rt_mode_call, . - rt_mode_call

/* fn returns here (in ARM state, in the target mode): ask for the way back. */
        .global rt_mode_back
        .type rt_mode_back, %function
rt_mode_back:
        svc     #0xff00
        b       .                               @ never reached
        .size rt_mode_back, . - rt_mode_back

/* Called from rt_exception (SVC mode, on the SVC stack) to unwind to the
 * rt_mode_call caller: restore the saved CPSR/SP and return 0. */
        .global rt_mode_unwind
        .type rt_mode_unwind, %function
rt_mode_unwind:
        ldr     r2, =rt_saved_cpsr
        ldr     r2, [r2]
        msr     cpsr_fsxc, r2
        ldr     r2, =rt_saved_sp
        ldr     sp, [r2]
        mov     r0, #0
        pop     {r4-r11, pc}
        .size rt_mode_unwind, . - rt_mode_unwind
        .ltorg

        .bss
        .align 2
rt_saved_sp:    .space 4
rt_saved_cpsr:  .space 4
        .global rt_boot_cpsr, rt_boot_sctlr
rt_boot_cpsr:   .space 4
rt_boot_sctlr:  .space 4
