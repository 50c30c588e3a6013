/* mpu_subregion: PMSAv7 sub-region disable. An 8 KiB no-access region at
 * 0x2000c000 has eight 1 KiB sub-regions; with SRD = 0x24 (sub-regions 2 and
 * 5 disabled) those two fall through to the next matching region or, here,
 * the default map (PRIVDEFENA=1), the others fault. Then a lower-numbered
 * read-only region under the same range: the disabled sub-regions take its
 * attributes instead. One load and one store per sub-region. */
#include "rt.h"

#define BASE RT_SCRATCH

static void probe(void)
{
    for (int i = 0; i < 8; i++) {
        u32 a = BASE + i * 0x400 + 0x40;
        u32 n = rt_exc_count;
        rt_quiet = 1;
        (void)REG(a);
        int ld = rt_exc_count != n;
        n = rt_exc_count;
        REG(a) = a;
        int st = rt_exc_count != n;
        rt_quiet = 0;
        P("  subregion %d (%08x): load %s, store %s\n", i, a, ld ? "fault" : "ok", st ? "fault" : "ok");
    }
}

static u32 mm(u32 exc, u32 *frame, u32 er)
{
    u32 cfsr = REG(CFSR);
    if (cfsr != 0x82 || (REG(MMFAR) & 0x3ff) != 0x40)
        P("unexpected MemManage: cfsr=%08x mmfar=%08x\n", cfsr, REG(MMFAR));
    REG(CFSR) = cfsr;
    frame[F_PC] += rt_insn_size(frame[F_PC]);
    rt_exc_count++;
    return er;
}

int main(void)
{
    rt_hooks[EXC_MEMMANAGE] = mm;
    REG(SHCSR) |= SHCSR_MEMFAULTENA;
    mpu_region(1, BASE, RASR(13, 0, 1) | 0x24u << 8);
    REG(MPU_CTRL) = MPU_ENABLE | MPU_PRIVDEFENA;
    dsb_isb();
    REG(MPU_RNR) = 1;
    P("region 1: rbar=%08x rasr=%08x\n", REG(MPU_RBAR), REG(MPU_RASR));
    probe();
    P("with region 0 read-only below it:\n");
    mpu_region(0, BASE, RASR(13, 6, 1));
    dsb_isb();
    probe();
    P("SRD = 0xff (all disabled):\n");
    mpu_region(1, BASE, RASR(13, 0, 1) | 0xffu << 8);
    mpu_region(0, BASE, 0);
    dsb_isb();
    probe();
    mpu_off();
    return 0;
}
