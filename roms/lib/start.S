/*
 * Minimal start-up for Mimic's bundled guest programs (roms/demo, roms/bench)
 * on QEMU-compatible "virt" boards: entered in SVC mode with the MMU off.
 * Sets up a stack, clears .bss, calls main, and leaves through semihosting
 * SYS_EXIT (ADP_Stopped_ApplicationExit) or SYS_EXIT_EXTENDED for a non-zero
 * status. Any exception reports itself and exits with status 70+vector.
 */
        .file   "start.S"                     @ not the temporary object name
        .syntax unified
        .arm
        .section .text.start, "ax"
        .global _start
_start:
        cpsid   aif
        ldr     r0, =vectors
        mcr     p15, 0, r0, c12, c0, 0          @ VBAR
        mrc     p15, 0, r0, c1, c0, 0
        bic     r0, r0, #(1 << 13)              @ SCTLR.V = 0: use VBAR
        mcr     p15, 0, r0, c1, c0, 0
        isb
        /* Every exception mode shares one small stack: handlers only exit. */
        cps     #0x17
        ldr     sp, =__exc_stack_top
        cps     #0x1b
        ldr     sp, =__exc_stack_top
        cps     #0x12
        ldr     sp, =__exc_stack_top
        cps     #0x11
        ldr     sp, =__exc_stack_top
        cps     #0x13
        ldr     sp, =__stack_top
        ldr     r0, =__bss_start
        ldr     r1, =__bss_end
        mov     r2, #0
1:      cmp     r0, r1
        strlo   r2, [r0], #4
        blo     1b
        bl      main
        .global rom_exit
rom_exit:                                       @ r0 = status
        cmp     r0, #0
        bne     2f
        mov     r0, #0x18                       @ SYS_EXIT
        ldr     r1, =0x20026                    @ ADP_Stopped_ApplicationExit
        svc     0x123456
        b       .
2:      ldr     r1, =exit_block
        str     r0, [r1, #4]
        ldr     r0, =0x20026
        str     r0, [r1]
        mov     r0, #0x20                       @ SYS_EXIT_EXTENDED
        svc     0x123456
        b       .

        .align  5
vectors:
        b       .                               @ reset: not used
        b       exc_und
        b       exc_svc
        b       exc_pabt
        b       exc_dabt
        b       .
        b       exc_irq
        b       exc_fiq
exc_und:  mov r4, #1
        b       exc_report
exc_svc:  mov r4, #2
        b       exc_report
exc_pabt: mov r4, #3
        b       exc_report
exc_dabt: mov r4, #4
        b       exc_report
exc_irq:  mov r4, #6
        b       exc_report
exc_fiq:  mov r4, #7
exc_report:
        mov     r0, #0x04                       @ SYS_WRITE0
        ldr     r1, =exc_msg
        svc     0x123456
        add     r0, r4, #70
        b       rom_exit
        .ltorg

        .section .rodata
exc_msg: .asciz "\nunexpected exception: stopping\n"
        .bss
        .align  2
exit_block: .space 8
