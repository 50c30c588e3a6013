/*
 * Mimic M-profile conformance runtime: the vector table, Reset_Handler and
 * the default exception entry.
 *
 * Every vector is a weak symbol (NMI_Handler ... SysTick_Handler,
 * IRQ0_Handler ... IRQ63_Handler) bound to rt_default_handler, so a program
 * overrides one by defining the symbol. rt_default_handler passes the
 * exception number, the stacked frame and EXC_RETURN to rt_exception() (rt.c)
 * and returns with the EXC_RETURN value it gives back.
 */
        .syntax unified
        .thumb
        .file   __BASE_FILE__

        .section .vectors, "a"
        .global rt_vectors
        .align  9
rt_vectors:
        .word   __stack_top
        .word   Reset_Handler
        .word   NMI_Handler
        .word   HardFault_Handler
        .word   MemManage_Handler
        .word   BusFault_Handler
        .word   UsageFault_Handler
        .word   0, 0, 0, 0
        .word   SVC_Handler
        .word   DebugMon_Handler
        .word   0
        .word   PendSV_Handler
        .word   SysTick_Handler
        .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
        .word   IRQ\n\()_Handler
        .endr
        .global rt_vectors_end
rt_vectors_end:

        .irp    h, NMI_Handler, HardFault_Handler, MemManage_Handler, BusFault_Handler, UsageFault_Handler, SVC_Handler, DebugMon_Handler, PendSV_Handler, SysTick_Handler
        .weak   \h
        .thumb_set \h, rt_default_handler
        .endr
        .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
        .weak   IRQ\n\()_Handler
        .thumb_set IRQ\n\()_Handler, rt_default_handler
        .endr

        .text
        .global Reset_Handler
        .type   Reset_Handler, %function
        .thumb_func
Reset_Handler:
        /* Read the reset state before anything changes it; it is stored in
         * rt_boot (in .bss) once .data and .bss are set up. */
        mrs     r1, control
        mrs     r2, xpsr
        mov     r3, sp
        mrs     r4, primask
        push    {r1-r4}
        ldr     r0, =__data_start
        ldr     r1, =__data_end
        ldr     r2, =__data_load
1:      cmp     r0, r1
        bhs     2f
        ldr     r3, [r2], #4
        str     r3, [r0], #4
        b       1b
2:      ldr     r0, =__bss_start
        ldr     r1, =__bss_end
        movs    r2, #0
3:      cmp     r0, r1
        bhs     4f
        str     r2, [r0], #4
        b       3b
4:      pop     {r1-r4}
        ldr     r0, =rt_boot
        stmia   r0!, {r1-r4}
#ifdef __ARM_FP
        /* Cortex-M4 with FPv4-SP: the hard-float ABI may use the FPU, so
         * grant full access to CP10/CP11 (CPACR, 0xe000ed88). */
        ldr     r0, =0xe000ed88
        ldr     r1, [r0]
        ldr     r2, =rt_boot
        str     r1, [r2, #16]
        orr     r1, r1, #(0xf << 20)
        str     r1, [r0]
        dsb
        isb
#endif
        bl      rt_main
        b       .
        .size   Reset_Handler, . - Reset_Handler
        .pool

/* r0 = IPSR, r1 = the stacked frame, r2 = EXC_RETURN; returns through the
 * EXC_RETURN value rt_exception() returns. */
        .global rt_default_handler
        .type   rt_default_handler, %function
        .thumb_func
rt_default_handler:
        mrs     r0, ipsr
        tst     lr, #4
        ite     eq
        mrseq   r1, msp
        mrsne   r1, psp
        mov     r2, lr
        push    {r4, lr}
        bl      rt_exception
        pop     {r4, lr}
        bx      r0
        .size   rt_default_handler, . - rt_default_handler

/* void rt_call_unpriv(void (*fn)(void)): run fn in unprivileged Thread mode
 * (CONTROL.nPRIV = 1) on the current stack; the SVC #0xff at rt_unpriv_svc
 * brings privilege back (rt_exception clears nPRIV for it). */
        .global rt_call_unpriv
        .type   rt_call_unpriv, %function
        .thumb_func
rt_call_unpriv:
        push    {r4, lr}
        mrs     r4, control
        orr     r1, r4, #1
        msr     control, r1
        isb
        blx     r0
        .global rt_unpriv_svc
rt_unpriv_svc:
        svc     #0xff
        msr     control, r4
        isb
        pop     {r4, pc}
        .size   rt_call_unpriv, . - rt_call_unpriv
