/* dp_shift: every immediate shift (LSL #0-31, LSR/ASR #1-32, ROR #1-31,
 * RRX) through MOVS, so the result and the shifter carry-out are visible,
 * plus shifts by register with amounts 0, 1-31, 32, >32 and >255 (only the
 * bottom byte counts) in S and non-S forms. A32 also covers the
 * register-shifted-register operand of every data-processing opcode. */
#include "t.h"

/* Values to shift, and shift amounts (bottom byte: 0, 1, 4, 31, 32, 33, 255). */
static const u32 VA[] = {0x00000000, 0x00000001, 0x80000000, 0xffffffff, 0x8000f001, 0x7ffe0ffe};
static const u32 VN[] = {0, 1, 4, 31, 32, 33, 0xff, 0x100, 0xffffff21};
static const u32 VA4[] = {0x00000001, 0x80000000, 0xffffffff, 0x8000f001};
static const u32 VN6[] = {0, 1, 31, 32, 33, 0x120};

TDEF(lsl0, "movs %[d], %[a], lsl #0")
TDEF(lsl1, "movs %[d], %[a], lsl #1")
TDEF(lsl2, "movs %[d], %[a], lsl #2")
TDEF(lsl3, "movs %[d], %[a], lsl #3")
TDEF(lsl4, "movs %[d], %[a], lsl #4")
TDEF(lsl5, "movs %[d], %[a], lsl #5")
TDEF(lsl6, "movs %[d], %[a], lsl #6")
TDEF(lsl7, "movs %[d], %[a], lsl #7")
TDEF(lsl8, "movs %[d], %[a], lsl #8")
TDEF(lsl9, "movs %[d], %[a], lsl #9")
TDEF(lsl10, "movs %[d], %[a], lsl #10")
TDEF(lsl11, "movs %[d], %[a], lsl #11")
TDEF(lsl12, "movs %[d], %[a], lsl #12")
TDEF(lsl13, "movs %[d], %[a], lsl #13")
TDEF(lsl14, "movs %[d], %[a], lsl #14")
TDEF(lsl15, "movs %[d], %[a], lsl #15")
TDEF(lsl16, "movs %[d], %[a], lsl #16")
TDEF(lsl17, "movs %[d], %[a], lsl #17")
TDEF(lsl18, "movs %[d], %[a], lsl #18")
TDEF(lsl19, "movs %[d], %[a], lsl #19")
TDEF(lsl20, "movs %[d], %[a], lsl #20")
TDEF(lsl21, "movs %[d], %[a], lsl #21")
TDEF(lsl22, "movs %[d], %[a], lsl #22")
TDEF(lsl23, "movs %[d], %[a], lsl #23")
TDEF(lsl24, "movs %[d], %[a], lsl #24")
TDEF(lsl25, "movs %[d], %[a], lsl #25")
TDEF(lsl26, "movs %[d], %[a], lsl #26")
TDEF(lsl27, "movs %[d], %[a], lsl #27")
TDEF(lsl28, "movs %[d], %[a], lsl #28")
TDEF(lsl29, "movs %[d], %[a], lsl #29")
TDEF(lsl30, "movs %[d], %[a], lsl #30")
TDEF(lsl31, "movs %[d], %[a], lsl #31")
TDEF(lsr1, "movs %[d], %[a], lsr #1")
TDEF(lsr2, "movs %[d], %[a], lsr #2")
TDEF(lsr3, "movs %[d], %[a], lsr #3")
TDEF(lsr4, "movs %[d], %[a], lsr #4")
TDEF(lsr5, "movs %[d], %[a], lsr #5")
TDEF(lsr6, "movs %[d], %[a], lsr #6")
TDEF(lsr7, "movs %[d], %[a], lsr #7")
TDEF(lsr8, "movs %[d], %[a], lsr #8")
TDEF(lsr9, "movs %[d], %[a], lsr #9")
TDEF(lsr10, "movs %[d], %[a], lsr #10")
TDEF(lsr11, "movs %[d], %[a], lsr #11")
TDEF(lsr12, "movs %[d], %[a], lsr #12")
TDEF(lsr13, "movs %[d], %[a], lsr #13")
TDEF(lsr14, "movs %[d], %[a], lsr #14")
TDEF(lsr15, "movs %[d], %[a], lsr #15")
TDEF(lsr16, "movs %[d], %[a], lsr #16")
TDEF(lsr17, "movs %[d], %[a], lsr #17")
TDEF(lsr18, "movs %[d], %[a], lsr #18")
TDEF(lsr19, "movs %[d], %[a], lsr #19")
TDEF(lsr20, "movs %[d], %[a], lsr #20")
TDEF(lsr21, "movs %[d], %[a], lsr #21")
TDEF(lsr22, "movs %[d], %[a], lsr #22")
TDEF(lsr23, "movs %[d], %[a], lsr #23")
TDEF(lsr24, "movs %[d], %[a], lsr #24")
TDEF(lsr25, "movs %[d], %[a], lsr #25")
TDEF(lsr26, "movs %[d], %[a], lsr #26")
TDEF(lsr27, "movs %[d], %[a], lsr #27")
TDEF(lsr28, "movs %[d], %[a], lsr #28")
TDEF(lsr29, "movs %[d], %[a], lsr #29")
TDEF(lsr30, "movs %[d], %[a], lsr #30")
TDEF(lsr31, "movs %[d], %[a], lsr #31")
TDEF(lsr32, "movs %[d], %[a], lsr #32")
TDEF(asr1, "movs %[d], %[a], asr #1")
TDEF(asr2, "movs %[d], %[a], asr #2")
TDEF(asr3, "movs %[d], %[a], asr #3")
TDEF(asr4, "movs %[d], %[a], asr #4")
TDEF(asr5, "movs %[d], %[a], asr #5")
TDEF(asr6, "movs %[d], %[a], asr #6")
TDEF(asr7, "movs %[d], %[a], asr #7")
TDEF(asr8, "movs %[d], %[a], asr #8")
TDEF(asr9, "movs %[d], %[a], asr #9")
TDEF(asr10, "movs %[d], %[a], asr #10")
TDEF(asr11, "movs %[d], %[a], asr #11")
TDEF(asr12, "movs %[d], %[a], asr #12")
TDEF(asr13, "movs %[d], %[a], asr #13")
TDEF(asr14, "movs %[d], %[a], asr #14")
TDEF(asr15, "movs %[d], %[a], asr #15")
TDEF(asr16, "movs %[d], %[a], asr #16")
TDEF(asr17, "movs %[d], %[a], asr #17")
TDEF(asr18, "movs %[d], %[a], asr #18")
TDEF(asr19, "movs %[d], %[a], asr #19")
TDEF(asr20, "movs %[d], %[a], asr #20")
TDEF(asr21, "movs %[d], %[a], asr #21")
TDEF(asr22, "movs %[d], %[a], asr #22")
TDEF(asr23, "movs %[d], %[a], asr #23")
TDEF(asr24, "movs %[d], %[a], asr #24")
TDEF(asr25, "movs %[d], %[a], asr #25")
TDEF(asr26, "movs %[d], %[a], asr #26")
TDEF(asr27, "movs %[d], %[a], asr #27")
TDEF(asr28, "movs %[d], %[a], asr #28")
TDEF(asr29, "movs %[d], %[a], asr #29")
TDEF(asr30, "movs %[d], %[a], asr #30")
TDEF(asr31, "movs %[d], %[a], asr #31")
TDEF(asr32, "movs %[d], %[a], asr #32")
TDEF(ror1, "movs %[d], %[a], ror #1")
TDEF(ror2, "movs %[d], %[a], ror #2")
TDEF(ror3, "movs %[d], %[a], ror #3")
TDEF(ror4, "movs %[d], %[a], ror #4")
TDEF(ror5, "movs %[d], %[a], ror #5")
TDEF(ror6, "movs %[d], %[a], ror #6")
TDEF(ror7, "movs %[d], %[a], ror #7")
TDEF(ror8, "movs %[d], %[a], ror #8")
TDEF(ror9, "movs %[d], %[a], ror #9")
TDEF(ror10, "movs %[d], %[a], ror #10")
TDEF(ror11, "movs %[d], %[a], ror #11")
TDEF(ror12, "movs %[d], %[a], ror #12")
TDEF(ror13, "movs %[d], %[a], ror #13")
TDEF(ror14, "movs %[d], %[a], ror #14")
TDEF(ror15, "movs %[d], %[a], ror #15")
TDEF(ror16, "movs %[d], %[a], ror #16")
TDEF(ror17, "movs %[d], %[a], ror #17")
TDEF(ror18, "movs %[d], %[a], ror #18")
TDEF(ror19, "movs %[d], %[a], ror #19")
TDEF(ror20, "movs %[d], %[a], ror #20")
TDEF(ror21, "movs %[d], %[a], ror #21")
TDEF(ror22, "movs %[d], %[a], ror #22")
TDEF(ror23, "movs %[d], %[a], ror #23")
TDEF(ror24, "movs %[d], %[a], ror #24")
TDEF(ror25, "movs %[d], %[a], ror #25")
TDEF(ror26, "movs %[d], %[a], ror #26")
TDEF(ror27, "movs %[d], %[a], ror #27")
TDEF(ror28, "movs %[d], %[a], ror #28")
TDEF(ror29, "movs %[d], %[a], ror #29")
TDEF(ror30, "movs %[d], %[a], ror #30")
TDEF(ror31, "movs %[d], %[a], ror #31")
TDEF(rrx, "movs %[d], %[a], rrx")
TDEF(rrx_ns, "mov %[d], %[a], rrx")
TDEF(lsls_r, "lsls %[d], %[a], %[b]")
TDEF(lsl_r, "lsl %[d], %[a], %[b]")
TDEF(lsls_r2, "mov %[d], %[a]\n\tlsls %[d], %[b]")
TDEF(lsrs_r, "lsrs %[d], %[a], %[b]")
TDEF(lsr_r, "lsr %[d], %[a], %[b]")
TDEF(lsrs_r2, "mov %[d], %[a]\n\tlsrs %[d], %[b]")
TDEF(asrs_r, "asrs %[d], %[a], %[b]")
TDEF(asr_r, "asr %[d], %[a], %[b]")
TDEF(asrs_r2, "mov %[d], %[a]\n\tasrs %[d], %[b]")
TDEF(rors_r, "rors %[d], %[a], %[b]")
TDEF(ror_r, "ror %[d], %[a], %[b]")
TDEF(rors_r2, "mov %[d], %[a]\n\trors %[d], %[b]")
#ifndef __thumb__
TDEF(ands_lsl, "ands %[d], %[c], %[a], lsl %[b]")
TDEF(ands_lsr, "ands %[d], %[c], %[a], lsr %[b]")
TDEF(ands_asr, "ands %[d], %[c], %[a], asr %[b]")
TDEF(ands_ror, "ands %[d], %[c], %[a], ror %[b]")
TDEF(eors_lsl, "eors %[d], %[c], %[a], lsl %[b]")
TDEF(eors_lsr, "eors %[d], %[c], %[a], lsr %[b]")
TDEF(eors_asr, "eors %[d], %[c], %[a], asr %[b]")
TDEF(eors_ror, "eors %[d], %[c], %[a], ror %[b]")
TDEF(subs_lsl, "subs %[d], %[c], %[a], lsl %[b]")
TDEF(subs_lsr, "subs %[d], %[c], %[a], lsr %[b]")
TDEF(subs_asr, "subs %[d], %[c], %[a], asr %[b]")
TDEF(subs_ror, "subs %[d], %[c], %[a], ror %[b]")
TDEF(rsbs_lsl, "rsbs %[d], %[c], %[a], lsl %[b]")
TDEF(rsbs_lsr, "rsbs %[d], %[c], %[a], lsr %[b]")
TDEF(rsbs_asr, "rsbs %[d], %[c], %[a], asr %[b]")
TDEF(rsbs_ror, "rsbs %[d], %[c], %[a], ror %[b]")
TDEF(adds_lsl, "adds %[d], %[c], %[a], lsl %[b]")
TDEF(adds_lsr, "adds %[d], %[c], %[a], lsr %[b]")
TDEF(adds_asr, "adds %[d], %[c], %[a], asr %[b]")
TDEF(adds_ror, "adds %[d], %[c], %[a], ror %[b]")
TDEF(adcs_lsl, "adcs %[d], %[c], %[a], lsl %[b]")
TDEF(adcs_lsr, "adcs %[d], %[c], %[a], lsr %[b]")
TDEF(adcs_asr, "adcs %[d], %[c], %[a], asr %[b]")
TDEF(adcs_ror, "adcs %[d], %[c], %[a], ror %[b]")
TDEF(sbcs_lsl, "sbcs %[d], %[c], %[a], lsl %[b]")
TDEF(sbcs_lsr, "sbcs %[d], %[c], %[a], lsr %[b]")
TDEF(sbcs_asr, "sbcs %[d], %[c], %[a], asr %[b]")
TDEF(sbcs_ror, "sbcs %[d], %[c], %[a], ror %[b]")
TDEF(rscs_lsl, "rscs %[d], %[c], %[a], lsl %[b]")
TDEF(rscs_lsr, "rscs %[d], %[c], %[a], lsr %[b]")
TDEF(rscs_asr, "rscs %[d], %[c], %[a], asr %[b]")
TDEF(rscs_ror, "rscs %[d], %[c], %[a], ror %[b]")
TDEF(orrs_lsl, "orrs %[d], %[c], %[a], lsl %[b]")
TDEF(orrs_lsr, "orrs %[d], %[c], %[a], lsr %[b]")
TDEF(orrs_asr, "orrs %[d], %[c], %[a], asr %[b]")
TDEF(orrs_ror, "orrs %[d], %[c], %[a], ror %[b]")
TDEF(bics_lsl, "bics %[d], %[c], %[a], lsl %[b]")
TDEF(bics_lsr, "bics %[d], %[c], %[a], lsr %[b]")
TDEF(bics_asr, "bics %[d], %[c], %[a], asr %[b]")
TDEF(bics_ror, "bics %[d], %[c], %[a], ror %[b]")
TDEF(movs_lsl, "movs %[d], %[a], lsl %[b]")
TDEF(movs_lsr, "movs %[d], %[a], lsr %[b]")
TDEF(movs_asr, "movs %[d], %[a], asr %[b]")
TDEF(movs_ror, "movs %[d], %[a], ror %[b]")
TDEF(mvns_lsl, "mvns %[d], %[a], lsl %[b]")
TDEF(mvns_lsr, "mvns %[d], %[a], lsr %[b]")
TDEF(mvns_asr, "mvns %[d], %[a], asr %[b]")
TDEF(mvns_ror, "mvns %[d], %[a], ror %[b]")
TDEF(tst_lsl, "tst %[c], %[a], lsl %[b]")
TDEF(tst_lsr, "tst %[c], %[a], lsr %[b]")
TDEF(tst_asr, "tst %[c], %[a], asr %[b]")
TDEF(tst_ror, "tst %[c], %[a], ror %[b]")
TDEF(teq_lsl, "teq %[c], %[a], lsl %[b]")
TDEF(teq_lsr, "teq %[c], %[a], lsr %[b]")
TDEF(teq_asr, "teq %[c], %[a], asr %[b]")
TDEF(teq_ror, "teq %[c], %[a], ror %[b]")
TDEF(cmp_lsl, "cmp %[c], %[a], lsl %[b]")
TDEF(cmp_lsr, "cmp %[c], %[a], lsr %[b]")
TDEF(cmp_asr, "cmp %[c], %[a], asr %[b]")
TDEF(cmp_ror, "cmp %[c], %[a], ror %[b]")
TDEF(cmn_lsl, "cmn %[c], %[a], lsl %[b]")
TDEF(cmn_lsr, "cmn %[c], %[a], lsr %[b]")
TDEF(cmn_asr, "cmn %[c], %[a], asr %[b]")
TDEF(cmn_ror, "cmn %[c], %[a], ror %[b]")
TDEF(add_lslr_ns, "add %[d], %[c], %[a], lsl %[b]")
TDEF(and_lslr_ns, "and %[d], %[c], %[a], lsl %[b]")
TDEF(orr_lslr_ns, "orr %[d], %[c], %[a], lsl %[b]")
#endif

int main(void)
{
    GRID(lsl0, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl1, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl2, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl3, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl4, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl5, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl6, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl7, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl8, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl9, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl10, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl11, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl12, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl13, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl14, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl15, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl16, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl17, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl18, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl19, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl20, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl21, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl22, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl23, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl24, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl25, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl26, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl27, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl28, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl29, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl30, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsl31, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr1, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr2, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr3, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr4, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr5, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr6, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr7, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr8, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr9, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr10, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr11, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr12, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr13, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr14, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr15, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr16, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr17, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr18, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr19, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr20, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr21, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr22, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr23, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr24, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr25, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr26, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr27, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr28, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr29, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr30, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr31, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsr32, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr1, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr2, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr3, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr4, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr5, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr6, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr7, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr8, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr9, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr10, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr11, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr12, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr13, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr14, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr15, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr16, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr17, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr18, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr19, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr20, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr21, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr22, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr23, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr24, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr25, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr26, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr27, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr28, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr29, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr30, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr31, VA, F1, FC, 0, 0, 0, 0);
    GRID(asr32, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror1, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror2, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror3, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror4, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror5, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror6, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror7, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror8, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror9, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror10, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror11, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror12, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror13, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror14, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror15, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror16, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror17, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror18, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror19, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror20, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror21, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror22, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror23, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror24, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror25, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror26, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror27, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror28, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror29, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror30, VA, F1, FC, 0, 0, 0, 0);
    GRID(ror31, VA, F1, FC, 0, 0, 0, 0);
    GRID(rrx, VA, F1, FC, 0, 0, 0, 0);
    GRID(rrx_ns, VA, F1, FC, 0, 0, 0, 0);
    GRID(lsls_r, VA, VN, FC, 0, 0, 0, 0);
    GRID(lsl_r, VA, VN, FC, 0, 0, 0, 0);
    GRID(lsls_r2, VA, VN, FC, 0, 0, 0, 0);
    GRID(lsrs_r, VA, VN, FC, 0, 0, 0, 0);
    GRID(lsr_r, VA, VN, FC, 0, 0, 0, 0);
    GRID(lsrs_r2, VA, VN, FC, 0, 0, 0, 0);
    GRID(asrs_r, VA, VN, FC, 0, 0, 0, 0);
    GRID(asr_r, VA, VN, FC, 0, 0, 0, 0);
    GRID(asrs_r2, VA, VN, FC, 0, 0, 0, 0);
    GRID(rors_r, VA, VN, FC, 0, 0, 0, 0);
    GRID(ror_r, VA, VN, FC, 0, 0, 0, 0);
    GRID(rors_r2, VA, VN, FC, 0, 0, 0, 0);
#ifndef __thumb__
    GRID(ands_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(ands_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(ands_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(ands_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(eors_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(eors_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(eors_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(eors_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(subs_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(subs_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(subs_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(subs_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(rsbs_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(rsbs_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(rsbs_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(rsbs_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(adds_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(adds_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(adds_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(adds_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(adcs_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(adcs_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(adcs_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(adcs_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(sbcs_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(sbcs_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(sbcs_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(sbcs_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(rscs_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(rscs_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(rscs_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(rscs_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(orrs_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(orrs_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(orrs_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(orrs_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(bics_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(bics_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(bics_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(bics_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(movs_lsl, VA4, VN6, FC, 0, 0, 0, 0);
    GRID(movs_lsr, VA4, VN6, FC, 0, 0, 0, 0);
    GRID(movs_asr, VA4, VN6, FC, 0, 0, 0, 0);
    GRID(movs_ror, VA4, VN6, FC, 0, 0, 0, 0);
    GRID(mvns_lsl, VA4, VN6, FC, 0, 0, 0, 0);
    GRID(mvns_lsr, VA4, VN6, FC, 0, 0, 0, 0);
    GRID(mvns_asr, VA4, VN6, FC, 0, 0, 0, 0);
    GRID(mvns_ror, VA4, VN6, FC, 0, 0, 0, 0);
    GRID(tst_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(tst_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(tst_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(tst_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(teq_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(teq_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(teq_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(teq_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(cmp_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(cmp_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(cmp_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(cmp_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(cmn_lsl, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(cmn_lsr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(cmn_asr, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(cmn_ror, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(add_lslr_ns, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(and_lslr_ns, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
    GRID(orr_lslr_ns, VA4, VN6, FC, 0x5a5a5a5a, 0, 0, 0);
#endif
    return 0;
}
