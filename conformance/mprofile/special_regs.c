/* special_regs: MRS and MSR of every special register in Thread mode
 * (privileged): APSR, IAPSR, EAPSR, XPSR, IPSR, EPSR, IEPSR, MSP, PSP,
 * PRIMASK, BASEPRI, BASEPRI_MAX, FAULTMASK, CONTROL; which bits are
 * writable (all-ones / zero writes read back), the APSR_nzcvq / APSR_g masks
 * (GE only with the DSP extension), EPSR reading as zero, and the special
 * registers seen from inside an exception handler (IPSR, xPSR). */
#include "rt.h"

#define SHOW(reg) P("%-12s %08x\n", #reg, MRS(reg))

static volatile u32 in_handler[4];

void SVC_Handler(void)
{
    in_handler[0] = MRS(ipsr);
    in_handler[1] = MRS(xpsr) & 0x01ffffff;
    in_handler[2] = MRS(iepsr);
    in_handler[3] = MRS(control);
}

int main(void)
{
    u32 v;
    MSR(apsr_nzcvq, 0);
    SHOW(apsr);
    SHOW(iapsr);
    SHOW(eapsr);
    SHOW(xpsr);
    SHOW(ipsr);
    SHOW(epsr);
    SHOW(iepsr);
    SHOW(primask);
    SHOW(basepri);
    SHOW(faultmask);
    SHOW(control);

    MSR(apsr_nzcvq, 0xffffffff);
    v = MRS(apsr);
    MSR(apsr_nzcvq, 0);
    P("APSR_nzcvq <- ffffffff: %08x\n", v);
#ifdef __ARM_FEATURE_DSP
    __asm__ volatile("msr apsr_g, %1\n\tmrs %0, apsr\n\tmsr apsr_nzcvqg, %2" : "=r"(v) : "r"(0xffffffffu), "r"(0u) : "cc");
    P("APSR_g <- ffffffff: %08x\n", v);
    __asm__ volatile("msr apsr_nzcvqg, %1\n\tmrs %0, apsr\n\tmsr apsr_nzcvqg, %2" : "=r"(v) : "r"(0xffffffffu), "r"(0u) : "cc");
    P("APSR_nzcvqg <- ffffffff: %08x\n", v);
#endif
    /* xPSR writes through IAPSR/EAPSR/XPSR only change the APSR part. */
    __asm__ volatile("msr xpsr_nzcvq, %1\n\tmrs %0, xpsr\n\tmsr apsr_nzcvq, %2" : "=r"(v) : "r"(0xf8000000u), "r"(0u) : "cc");
    P("XPSR_nzcvq <- f8000000: %08x\n", v);
    __asm__ volatile("msr iapsr_nzcvq, %1\n\tmrs %0, iapsr\n\tmsr apsr_nzcvq, %2" : "=r"(v) : "r"(0x50000000u), "r"(0u) : "cc");
    P("IAPSR_nzcvq <- 50000000: %08x\n", v);
    __asm__ volatile("msr eapsr_nzcvq, %1\n\tmrs %0, eapsr\n\tmsr apsr_nzcvq, %2" : "=r"(v) : "r"(0xa0000000u), "r"(0u) : "cc");
    P("EAPSR_nzcvq <- a0000000: %08x\n", v);
    /* IPSR/EPSR writes are ignored. */
    __asm__ volatile("msr ipsr, %1\n\tmrs %0, ipsr" : "=r"(v) : "r"(0x1ffu) : "cc");
    P("IPSR <- 1ff: %08x\n", v);
    __asm__ volatile("msr epsr, %1\n\tmrs %0, epsr" : "=r"(v) : "r"(0xffffffffu) : "cc");
    P("EPSR <- ffffffff: %08x\n", v);

    MSR(primask, 0xffffffff);
    P("PRIMASK <- ffffffff: %08x\n", MRS(primask));
    MSR(primask, 0);
    P("PRIMASK <- 0: %08x\n", MRS(primask));
    MSR(faultmask, 0xffffffff);
    P("FAULTMASK <- ffffffff: %08x\n", MRS(faultmask));
    MSR(faultmask, 0);
    P("FAULTMASK <- 0: %08x\n", MRS(faultmask));
    MSR(basepri, 0xffffffff);
    P("BASEPRI <- ffffffff: %08x\n", MRS(basepri));
    MSR(basepri, 0x1ff);
    P("BASEPRI <- 1ff: %08x\n", MRS(basepri));
    MSR(basepri, 0);

    /* BASEPRI_MAX only raises the priority (lowers the value), never to 0. */
    static const u32 seq[] = {0x80, 0xc0, 0x40, 0x00, 0x60, 0x20, 0xff};
    MSR(basepri, 0);
    for (int i = 0; i < ARRAY_LEN(seq); i++) {
        MSR(basepri_max, seq[i]);
        P("BASEPRI_MAX <- %02x: basepri=%02x\n", seq[i], MRS(basepri));
    }
    MSR(basepri, 0);

    /* MSP and PSP: bits [1:0] are forced to zero. */
    u32 old = MRS(psp);
    MSR(psp, 0x20001237);
    P("PSP <- 20001237: %08x\n", MRS(psp));
    MSR(psp, old);
    u32 msp;
    __asm__ volatile("mrs %0, msp\n\t"
                     "mov r1, sp\n\t"
                     "sub r2, r1, #0x40\n\t"
                     "orr r2, r2, #3\n\t"
                     "msr msp, r2\n\t"
                     "mrs r2, msp\n\t"
                     "mov sp, r1\n\t"
                     "sub %0, %0, r2\n\t"
                     : "=r"(msp) : : "r1", "r2", "memory");
    P("MSP <- msp-0x40+3: reads back msp-0x%x\n", msp);

    /* CONTROL: only SPSEL (bit 1) and nPRIV (bit 0) exist on the M3; FPCA
     * (bit 2) is written 0 here. */
    MSR(psp, RT_SCRATCH + 0x1000);
    __asm__ volatile("msr control, %1\n\tisb\n\tmrs %0, control\n\tmsr control, %2\n\tisb"
                     : "=r"(v) : "r"(0xfffffffau), "r"(0u) : "memory");
    P("CONTROL <- fffffffa: %08x\n", v);
    MSR(psp, old);

    __asm__ volatile("svc #1" ::: "memory");
    P("in SVC handler: ipsr=%08x xpsr=%08x iepsr=%08x control=%08x\n", in_handler[0], in_handler[1],
      in_handler[2], in_handler[3]);
    return 0;
}
