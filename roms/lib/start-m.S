/*
 * Start-up for Mimic's bundled guest programs on the Cortex-M boards
 * (mps2-an385/an386): the vector table the CPU starts from (ARMv7-M ARM
 * B1.5.5), .bss cleared, main called, and the exit through semihosting
 * (BKPT 0xAB) as start.S does on virt. Any fault reports itself and exits
 * with status 70+exception number.
 */
        .file   "start-m.S"
        .syntax unified
        .thumb
        .section .vectors, "a"
        .word   __stack_top
        .word   _start
        .rept   14
        .word   exc_fault
        .endr

        .section .text.start, "ax"
        .global _start
        .thumb_func
_start:
        ldr     r0, =__bss_start
        ldr     r1, =__bss_end
        movs    r2, #0
1:      cmp     r0, r1
        itt     lo
        strlo   r2, [r0], #4
        blo     1b
        bl      main
        .global rom_exit
        .thumb_func
rom_exit:                                       @ r0 = status
        cbnz    r0, 2f
        movs    r0, #0x18                       @ SYS_EXIT
        ldr     r1, =0x20026                    @ ADP_Stopped_ApplicationExit
        bkpt    0xab
        b       .
2:      ldr     r1, =exit_block
        str     r0, [r1, #4]
        ldr     r0, =0x20026
        str     r0, [r1]
        movs    r0, #0x20                       @ SYS_EXIT_EXTENDED
        bkpt    0xab
        b       .

        .thumb_func
exc_fault:
        mrs     r4, ipsr
        movs    r0, #0x04                       @ SYS_WRITE0
        ldr     r1, =exc_msg
        bkpt    0xab
        adds    r0, r4, #70
        b       rom_exit
        .ltorg

        .section .rodata
exc_msg: .asciz "\nunexpected exception: stopping\n"
        .bss
        .align  2
exit_block: .space 8
