@ hello.S: the smallest firmware for the microcontroller boards. It
@ prints a line through UART 0 and exits through semihosting (exit code
@ 0). Build: make -C machine/mcu/testdata (UART base: -DUART=...).
    .syntax unified
    .thumb
    .section .vectors,"a"
    .word 0x20010000          @ initial SP: top of 64 KiB of SRAM
    .word reset               @ reset vector (a Thumb address: bit 0 set)
    .text
    .thumb_func
reset:
    ldr r0, =UART
#ifdef CMSDK
    movs r1, #16
    str r1, [r0, #16]         @ BAUDDIV: the smallest valid divider
    movs r1, #1
    str r1, [r0, #8]          @ CMSDK UART CTRL: transmitter on
#else
    movw r1, #0x301
    str r1, [r0, #0x30]       @ PL011 UARTCR: UARTEN, TXE, RXE
#endif
    adr r2, msg
1:  ldrb r1, [r2], #1
    cbz r1, 2f
    str r1, [r0]
    b 1b
2:  movs r0, #0x18            @ SYS_EXIT
    ldr r1, =0x20026          @ ADP_Stopped_ApplicationExit
    bkpt 0xab
    b .
    .align 2
msg: .asciz "hello from the microcontroller\n"
