/* mpu_unpriv: privileged and unprivileged access under the MPU. Regions:
 * the code (flash/SSRAM1, read-only, executable), RAM (.data, .bss, stacks:
 * full access), and four 1 KiB test regions with AP = 001 (privileged only),
 * 010 (unprivileged read-only), 011 (full) and 101 (privileged read-only).
 * Each is read and written from privileged and from unprivileged Thread
 * mode (rt_call_unpriv). Then PRIVDEFENA=0: privileged code is faulted
 * outside the regions too (a UART register), while the System Control Space
 * stays accessible.
 * The MemManage hook counts faults (DACCVIOL with MMFAR) and skips. */
#include "rt.h"

#define T0 (RT_SCRATCH)

static volatile int faults;
static volatile u32 fault_cfsr;
static volatile char result[4][4];

static u32 mm(u32 exc, u32 *frame, u32 er)
{
    faults++;
    fault_cfsr = REG(CFSR);
    REG(CFSR) = fault_cfsr;
    frame[F_PC] += rt_insn_size(frame[F_PC]);
    return er;
}

static void probe_into(volatile char *out)
{
    for (int i = 0; i < 4; i++) {
        u32 a = T0 + i * 0x400;
        int f = faults;
        (void)REG(a);
        int rd = faults == f;
        f = faults;
        REG(a) = a;
        int wr = faults == f;
        out[i] = (char)((rd ? 'r' : '-') | 0);
        out[i] = (char)(rd ? (wr ? 'W' : 'r') : (wr ? 'w' : '-'));
    }
}

static void unpriv(void) { probe_into(result[1]); }

static void show(const char *what, volatile char *r)
{
    P("  %-12s AP001=%c AP010=%c AP011=%c AP101=%c\n", what, r[0], r[1], r[2], r[3]);
}

int main(void)
{
    rt_hooks[EXC_MEMMANAGE] = mm;
    REG(SHCSR) |= SHCSR_MEMFAULTENA;
    mpu_region(0, 0x00000000, RASR(18, 6, 0)); /* code, 256 KiB, RO */
    mpu_region(1, 0x20000000, RASR(16, 3, 1)); /* RAM, 64 KiB, full */
    mpu_region(2, T0 + 0x000, RASR(10, 1, 1));
    mpu_region(3, T0 + 0x400, RASR(10, 2, 1));
    mpu_region(4, T0 + 0x800, RASR(10, 3, 1));
    mpu_region(5, T0 + 0xc00, RASR(10, 5, 1));
    REG(MPU_CTRL) = MPU_ENABLE | MPU_PRIVDEFENA;
    dsb_isb();
    P("r = read only, W = read and write, - = neither\n");
    probe_into(result[0]);
    show("privileged", result[0]);
    rt_call_unpriv(unpriv);
    show("unprivileged", result[1]);
    P("faults=%d last cfsr=%08x\n", faults, fault_cfsr);

    /* PRIVDEFENA=0: the UART0 status register is in no region. */
#ifdef BOARD_MPS2
    u32 outside = 0x40004004;
#else
    u32 outside = 0x4000c018;
#endif
    REG(MPU_CTRL) = MPU_ENABLE;
    dsb_isb();
    int f = faults;
    (void)REG(outside);
    P("PRIVDEFENA=0: privileged read outside regions: %s, mmfar=%08x\n", faults != f ? "fault" : "ok",
      REG(MMFAR));
    P("  SCS still readable: CPUID=%08x\n", REG(CPUID));
    mpu_off();
    return 0;
}
