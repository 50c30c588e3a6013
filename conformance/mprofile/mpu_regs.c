/* mpu_regs: the PMSAv7 MPU registers. MPU_TYPE (DREGION), MPU_CTRL bits,
 * RNR with every region number (0-7; larger ones are UNPREDICTABLE), RBAR/RASR read back for each region, the
 * RBAR low bits for a base not aligned to the region size, RBAR.VALID=1
 * selecting the region (and updating RNR), the RBAR_A1-3/RASR_A1-3 aliases,
 * reserved RASR bits, and the regions all cleared again. */
#include "rt.h"

int main(void)
{
    P("MPU_TYPE=%08x MPU_CTRL=%08x MPU_RNR=%08x\n", REG(MPU_TYPE), REG(MPU_CTRL), REG(MPU_RNR));
    REG(MPU_CTRL) = 0xffffffff & ~1u;
    P("CTRL <- fffffffe: %08x\n", REG(MPU_CTRL));
    REG(MPU_CTRL) = 0;
    for (u32 n = 0; n < 8; n++) {
        REG(MPU_RNR) = n;
        REG(MPU_RBAR) = 0x20000000u + n * 0x1000;
        REG(MPU_RASR) = (n << 1) | (n << 8) | (n << 16) | (n << 19) | ((n & 7) << 24) | (n & 1) << 28;
    }
    for (u32 n = 0; n < 8; n++) {
        REG(MPU_RNR) = n;
        P("region %u: rnr=%u rbar=%08x rasr=%08x\n", n, REG(MPU_RNR), REG(MPU_RBAR), REG(MPU_RASR));
    }
    REG(MPU_RNR) = 1;
    REG(MPU_RBAR) = 0x2000c123; /* not aligned; VALID=0 */
    P("RBAR <- 2000c123 (valid=0): rnr=%u rbar=%08x\n", REG(MPU_RNR), REG(MPU_RBAR));
    REG(MPU_RBAR) = 0x2000c000 | 0x10 | 5; /* VALID, REGION=5 */
    P("RBAR <- 2000c015: rnr=%u rbar=%08x\n", REG(MPU_RNR), REG(MPU_RBAR));
    REG(MPU_RNR) = 2;
    REG(0xe000eda4) = 0x2000d000; /* RBAR_A1 */
    REG(0xe000eda8) = RASR(10, 3, 0);
    P("via A1: region 2 rbar=%08x rasr=%08x, RBAR_A2=%08x RASR_A3=%08x\n", REG(MPU_RBAR), REG(MPU_RASR),
      REG(0xe000edac), REG(0xe000edb8));
    REG(MPU_RASR) = 0xffffffff;
    P("RASR <- ffffffff: %08x\n", REG(MPU_RASR));
    mpu_off();
    for (u32 n = 0; n < 8; n++) {
        REG(MPU_RNR) = n;
        P("%08x ", REG(MPU_RASR));
    }
    P("\n");
    return 0;
}
