/* mpu_access: MemManage faults from the PMSAv7 MPU with PRIVDEFENA=1
 * (privileged code falls back to the default map). A 1 KiB no-access
 * region: load and store give DACCVIOL with MMARVALID and MMFAR = the
 * address; a read-only region: loads work, stores fault; two overlapping
 * regions: the higher-numbered one decides; an XN region: executing there
 * gives IACCVIOL with no MMFAR (stacked PC = the target); the same code with
 * XN=0 runs; MemManage disabled: escalation to HardFault; HardFault and NMI
 * handlers ignore the MPU when HFNMIENA=0 and not when it is 1 (the latter
 * locks up, so only the HFNMIENA=0 case is run); the MPU disabled again. */
#include "rt.h"

#define NOACC (RT_SCRATCH)         /* 0x2000c000, 1 KiB */
#define RO (RT_SCRATCH + 0x400)    /* 1 KiB */
#define OVL (RT_SCRATCH + 0x800)   /* 2 KiB region 3, 512 B region 4 inside */
#define CODE (RT_SCRATCH + 0x1000) /* 1 KiB, code copied here */

static volatile u32 sink;

#define LD(label, addr)                                                                                   \
    do {                                                                                                  \
        rt_mark = LABEL_ADDR(label);                                                                      \
        u32 _n = rt_exc_count;                                                                            \
        P("  load %08x: ", (u32)(addr));                                                                  \
        __asm__ volatile("mov r1, #0\n\t.global " #label "\n" #label ":\n\tldr r1, [%0]\n\tmov r0, r1" \
                         :: "r"(addr) : "r0", "r1", "memory");                                           \
        if (rt_exc_count == _n)                                                                           \
            P("ok\n");                                                                                    \
    } while (0)
#define ST(label, addr)                                                                            \
    do {                                                                                           \
        rt_mark = LABEL_ADDR(label);                                                               \
        u32 _n = rt_exc_count;                                                                     \
        P("  store %08x: ", (u32)(addr));                                                          \
        __asm__ volatile(".global " #label "\n" #label ":\n\tstr %0, [%0]" :: "r"(addr) : "memory"); \
        if (rt_exc_count == _n)                                                                    \
            P("ok\n");                                                                             \
    } while (0)

static u32 hf_probe(u32 exc, u32 *frame, u32 er)
{
    u32 v = REG(NOACC);
    P("  HardFault (HFNMIENA=0) read the no-access region: %08x, cfsr=%08x hfsr=%08x\n", v, REG(CFSR), REG(HFSR));
    REG(CFSR) = REG(CFSR);
    REG(HFSR) = REG(HFSR);
    frame[F_PC] += 2;
    return er;
}

int main(void)
{
    for (u32 a = NOACC; a < CODE; a += 4)
        REG(a) = a;
    /* Code for the XN test: "movs r0, #42; bx lr". */
    REG16(CODE) = 0x202a;
    REG16(CODE + 2) = 0x4770;
    dsb_isb();

    mpu_region(0, NOACC, RASR(10, 0, 1));
    mpu_region(1, RO, RASR(10, 6, 1));
    mpu_region(3, OVL, RASR(11, 3, 1));
    mpu_region(4, OVL + 0x200, RASR(9, 0, 1));
    mpu_region(5, CODE, RASR(10, 3, 1));
    REG(MPU_CTRL) = MPU_ENABLE | MPU_PRIVDEFENA;
    dsb_isb();
    REG(SHCSR) |= SHCSR_MEMFAULTENA;
    P("MPU_CTRL=%08x SHCSR=%08x\n", REG(MPU_CTRL), REG(SHCSR));

    P("no access:\n");
    LD(m_ld0, NOACC + 0x10);
    ST(m_st0, NOACC + 0x3fc);
    P("read-only:\n");
    LD(m_ld1, RO + 8);
    ST(m_st1, RO + 8);
    P("overlap (region 4 no access inside region 3 full access):\n");
    LD(m_ld3, OVL + 0x100);
    LD(m_ld4, OVL + 0x200);
    LD(m_ld5, OVL + 0x400);
    P("default map (no region):\n");
    LD(m_ld6, RT_SCRATCH + 0x1800);

    P("execute from XN:\n");
    RESUME_AT(m_xn_back);
    rt_mark = CODE;
    u32 r = 0;
    __asm__ volatile("movs r0, #0\n\t"
                     "blx %1\n\t"
                     ".global m_xn_back\n"
                     "m_xn_back:\n\t"
                     "mov %0, r0"
                     : "=r"(r) : "r"(CODE | 1) : "r0", "r1", "r2", "r3", "r12", "lr", "memory");
    P("  r0=%u\n", r);
    mpu_region(5, CODE, RASR(10, 3, 0));
    dsb_isb();
    r = ((u32(*)(void))(CODE | 1))();
    P("execute with XN=0: r0=%u\n", r);

    P("MemManage disabled:\n");
    REG(SHCSR) &= ~SHCSR_MEMFAULTENA;
    LD(m_ld7, NOACC);

    P("HardFault handler with HFNMIENA=0:\n");
    rt_hooks[EXC_HARDFAULT] = hf_probe;
    __asm__ volatile("udf #0" ::: "memory");
    rt_hooks[EXC_HARDFAULT] = 0;

    mpu_off();
    P("MPU off:\n");
    LD(m_ld8, NOACC);
    return 0;
}
