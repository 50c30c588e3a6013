/* div0_frame: the registers stacked for a DIVBYZERO UsageFault are the
 * values they had just before the faulting UDIV (B1.5.6, "Exception entry
 * behavior": the frame holds R0-R3, R12, LR, the return address and xPSR of
 * the interrupted context), and the destination of the faulting division is
 * not written.
 *
 * The reference ref/div0_frame-*.ref is written by hand from the ARMv7-M ARM
 * (DDI 0403E), not recorded: QEMU 7.2 stacks stale values for registers that
 * were written earlier in the same translation block (its udiv/sdiv helpers
 * are declared TCG_CALL_NO_RWG but raise the exception, so the
 * register writes before the division have not been stored yet). Here r3 is
 * stacked as 0xe000e000 (its earlier value) instead of 0x77; see README.md. */
#include "rt.h"

static u32 grab(u32 exc, u32 *frame, u32 er)
{
    P("UsageFault cfsr=%08x stacked r0=%x r1=%x r2=%x r3=%x r12=%x\n", REG(CFSR), frame[F_R0], frame[F_R1],
      frame[F_R2], frame[F_R3], frame[F_R12]);
    REG(CFSR) = REG(CFSR);
    frame[F_PC] += 4;
    return er;
}

int main(void)
{
    u32 r3, r12;
    rt_hooks[EXC_USAGEFAULT] = grab;
    REG(CCR) |= CCR_DIV_0_TRP;
    REG(SHCSR) |= SHCSR_USGFAULTENA;
    __asm__ volatile("ldr r3, =0xe000e000\n\t"
                     "ldr r12, =0xe000e000\n\t"
                     "dsb\n\t"
                     "isb\n\t"
                     "movs r0, #0\n\t"
                     "movs r1, #1\n\t"
                     "movs r2, #100\n\t"
                     "movs r3, #0x77\n\t"
                     "mov r12, #0x12\n\t"
                     "udiv r3, r2, r0\n\t"
                     "mov %0, r3\n\t"
                     "mov %1, r12\n\t"
                     "b 1f\n\t"
                     ".ltorg\n"
                     "1:\n\t"
                     : "=r"(r3), "=r"(r12) :: "r0", "r1", "r2", "r3", "r12", "memory", "cc");
    P("after the fault: r3=%x r12=%x\n", r3, r12);
    return 0;
}
