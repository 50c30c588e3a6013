/*
 * mrtos start-up and context switch: the vector table, Reset_Handler, the
 * SVCall handler that starts the first task and the PendSV handler that
 * switches tasks.
 *
 * A task's saved context lives on its own process stack (PSP). Below the
 * frame the hardware stacked on exception entry (r0-r3, r12, lr, pc, xPSR,
 * plus s0-s15 and FPSCR when the frame is an extended one) the PendSV
 * handler pushes, from the lowest address up:
 *
 *     r4-r11, EXC_RETURN            (always)
 *     s16-s31                       (only when EXC_RETURN bit 4 is 0)
 *
 * and stores the resulting stack pointer in the task's TCB (offset 0).
 * EXC_RETURN bit 4 clear means the task had an FP context (CONTROL.FPCA)
 * when it was interrupted: the hardware reserved an extended frame and,
 * with lazy stacking (FPCCR.LSPEN), left s0-s15/FPSCR to be written there
 * by the first FP instruction that follows. The VSTMDB of s16-s31 is that
 * instruction, so it also completes the lazy save of s0-s15 into the
 * task's frame (ARMv7-M ARM B1.5.7). Tasks that never used the FPU cost no
 * FP save at all.
 */
        .syntax unified
        .thumb
        .file   "start.S"

        .section .vectors, "a"
        .align  9
vectors:
        .word   __stack_top
        .word   Reset_Handler
        .word   Fault_Handler           @ NMI
        .word   Fault_Handler           @ HardFault
        .word   Fault_Handler           @ MemManage
        .word   Fault_Handler           @ BusFault
        .word   Fault_Handler           @ UsageFault
        .word   0, 0, 0, 0
        .word   SVC_Handler
        .word   Fault_Handler           @ DebugMonitor
        .word   0
        .word   PendSV_Handler
        .word   SysTick_Handler
        .rept   64                      @ external interrupts: none used
        .word   Fault_Handler
        .endr

        .text
        .global Reset_Handler
        .type   Reset_Handler, %function
        .thumb_func
Reset_Handler:
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
4:
#ifdef __ARM_FP
        /* The hard-float ABI uses the FPU anywhere: grant full access to
         * CP10 and CP11 (CPACR) before the first C code runs. */
        ldr     r0, =0xe000ed88
        ldr     r1, [r0]
        orr     r1, r1, #(0xf << 20)
        str     r1, [r0]
        dsb
        isb
#endif
        bl      main
        b       .
        .size   Reset_Handler, . - Reset_Handler
        .pool

/* Any fault or unexpected exception: report it and exit with status 1. */
        .type   Fault_Handler, %function
        .thumb_func
Fault_Handler:
        mrs     r0, ipsr
        mov     r1, lr
        tst     lr, #4
        ite     eq
        mrseq   r2, msp
        mrsne   r2, psp
        bl      os_fault
        b       .
        .size   Fault_Handler, . - Fault_Handler

/* Restore the context of os_current (r0 = its TCB) and return to it. */
        .macro  restore_current
        ldr     r0, [r0]                @ tcb->sp
        ldmia   r0!, {r4-r11, lr}
#ifdef __ARM_FP
        tst     lr, #0x10
        it      eq
        vldmiaeq r0!, {s16-s31}
#endif
        msr     psp, r0
        isb
        bx      lr
        .endm

/* SVC #0 from os_start (Thread mode, MSP, privileged): enter the first
 * task. Main's own frame on the MSP is abandoned. */
        .global SVC_Handler
        .type   SVC_Handler, %function
        .thumb_func
SVC_Handler:
        ldr     r1, =os_current
        ldr     r0, [r1]
        restore_current
        .size   SVC_Handler, . - SVC_Handler

/* PendSV, the lowest-priority exception: save the interrupted task, let
 * os_pick() choose the next (interrupts masked, since SysTick changes the
 * same state), restore that one. */
        .global PendSV_Handler
        .type   PendSV_Handler, %function
        .thumb_func
PendSV_Handler:
        mrs     r0, psp
        isb
#ifdef __ARM_FP
        tst     lr, #0x10
        it      eq
        vstmdbeq r0!, {s16-s31}
#endif
        stmdb   r0!, {r4-r11, lr}
        ldr     r1, =os_current
        ldr     r1, [r1]
        str     r0, [r1]                @ tcb->sp
        cpsid   i
        bl      os_pick                 @ r0 = the next task; os_current = r0
        cpsie   i
        restore_current
        .size   PendSV_Handler, . - PendSV_Handler
        .pool
