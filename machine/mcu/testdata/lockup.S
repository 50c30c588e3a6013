@ lockup.S: an UNDEFINED instruction at reset escalates to HardFault
@ (UsageFault is disabled at reset), whose handler faults again: the
@ CPU locks up (ARMv7-M ARM B1.5.15).
    .syntax unified
    .thumb
    .section .vectors,"a"
    .word 0x20010000
    .word reset
    .word nmi
    .word hardfault
    .text
    .thumb_func
reset:
    udf #1
    .thumb_func
nmi:
    b .
    .thumb_func
hardfault:
    udf #2
