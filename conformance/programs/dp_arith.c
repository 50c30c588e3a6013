/* dp_arith: ADD/ADC/SUB/SBC/RSB (and RSC in A32) in register, immediate and
 * shifted-register forms, with and without S, over carry/overflow edge values
 * and with flags clear / all set on input. T32 adds ADDW/SUBW. */
#include "t.h"

TDEF(add, "add %[d], %[a], %[b]")
TDEF(adds, "adds %[d], %[a], %[b]")
TDEF(adc, "adc %[d], %[a], %[b]")
TDEF(adcs, "adcs %[d], %[a], %[b]")
TDEF(sub, "sub %[d], %[a], %[b]")
TDEF(subs, "subs %[d], %[a], %[b]")
TDEF(sbc, "sbc %[d], %[a], %[b]")
TDEF(sbcs, "sbcs %[d], %[a], %[b]")
TDEF(rsb, "rsb %[d], %[a], %[b]")
TDEF(rsbs, "rsbs %[d], %[a], %[b]")
#ifndef __thumb__
TDEF(rsc, "rsc %[d], %[a], %[b]")
TDEF(rscs, "rscs %[d], %[a], %[b]")
TDEF(rscs_i0, "rscs %[d], %[a], #0")
TDEF(rscs_iff, "rscs %[d], %[a], #0xff000000")
#endif

TDEF(adds_i0, "adds %[d], %[a], #0")
TDEF(adds_i1, "adds %[d], %[a], #1")
TDEF(adds_iff, "adds %[d], %[a], #0xff")
TDEF(adds_i8m, "adds %[d], %[a], #0x80000000")
TDEF(adcs_i0, "adcs %[d], %[a], #0")
TDEF(adcs_iffs, "adcs %[d], %[a], #0xff000000")
TDEF(subs_i0, "subs %[d], %[a], #0")
TDEF(subs_i1, "subs %[d], %[a], #1")
TDEF(sbcs_i0, "sbcs %[d], %[a], #0")
TDEF(sbcs_i1, "sbcs %[d], %[a], #1")
TDEF(rsbs_i0, "rsbs %[d], %[a], #0")
TDEF(rsbs_i7f, "rsbs %[d], %[a], #0x7f000000")
TDEF(cmp_i1, "cmp %[a], #1")
TDEF(cmn_i1, "cmn %[a], #1")
#ifdef __thumb__
TDEF(addw_i, "addw %[d], %[a], #4095")
TDEF(subw_i, "subw %[d], %[a], #4095")
TDEF(adds_rep, "adds %[d], %[a], #0x00ab00ab")
TDEF(subs_rep, "subs %[d], %[a], #0xabababab")
TDEF(adds_rep2, "adds %[d], %[a], #0xab00ab00")
#endif

TDEF(adds_lsl1, "adds %[d], %[a], %[b], lsl #1")
TDEF(adds_lsl31, "adds %[d], %[a], %[b], lsl #31")
TDEF(adds_lsr1, "adds %[d], %[a], %[b], lsr #1")
TDEF(adds_lsr32, "adds %[d], %[a], %[b], lsr #32")
TDEF(adds_asr32, "adds %[d], %[a], %[b], asr #32")
TDEF(subs_asr7, "subs %[d], %[a], %[b], asr #7")
TDEF(adcs_ror8, "adcs %[d], %[a], %[b], ror #8")
TDEF(sbcs_rrx, "sbcs %[d], %[a], %[b], rrx")
TDEF(rsbs_lsl4, "rsbs %[d], %[a], %[b], lsl #4")
TDEF(cmp_lsr3, "cmp %[a], %[b], lsr #3")
TDEF(cmn_asr1, "cmn %[a], %[b], asr #1")

static const u32 VS[] = {0x00000000, 0x00000001, 0x7fffffff, 0x80000000, 0xffffffff, 0x40000000};

int main(void)
{
    GRID(add, V8, V8, F2, 0, 0, 0, 0);
    GRID(adds, V8, V8, F2, 0, 0, 0, 0);
    GRID(adc, V8, V8, F2, 0, 0, 0, 0);
    GRID(adcs, V8, V8, F2, 0, 0, 0, 0);
    GRID(sub, V8, V8, F2, 0, 0, 0, 0);
    GRID(subs, V8, V8, F2, 0, 0, 0, 0);
    GRID(sbc, V8, V8, F2, 0, 0, 0, 0);
    GRID(sbcs, V8, V8, F2, 0, 0, 0, 0);
    GRID(rsb, V8, V8, F2, 0, 0, 0, 0);
    GRID(rsbs, V8, V8, F2, 0, 0, 0, 0);
#ifndef __thumb__
    GRID(rsc, V8, V8, F2, 0, 0, 0, 0);
    GRID(rscs, V8, V8, F2, 0, 0, 0, 0);
    GRID(rscs_i0, V8, F1, F2, 0, 0, 0, 0);
    GRID(rscs_iff, V8, F1, F2, 0, 0, 0, 0);
#endif
    GRID(adds_i0, V8, F1, F2, 0, 0, 0, 0);
    GRID(adds_i1, V8, F1, F2, 0, 0, 0, 0);
    GRID(adds_iff, V8, F1, F2, 0, 0, 0, 0);
    GRID(adds_i8m, V8, F1, F2, 0, 0, 0, 0);
    GRID(adcs_i0, V8, F1, F2, 0, 0, 0, 0);
    GRID(adcs_iffs, V8, F1, F2, 0, 0, 0, 0);
    GRID(subs_i0, V8, F1, F2, 0, 0, 0, 0);
    GRID(subs_i1, V8, F1, F2, 0, 0, 0, 0);
    GRID(sbcs_i0, V8, F1, F2, 0, 0, 0, 0);
    GRID(sbcs_i1, V8, F1, F2, 0, 0, 0, 0);
    GRID(rsbs_i0, V8, F1, F2, 0, 0, 0, 0);
    GRID(rsbs_i7f, V8, F1, F2, 0, 0, 0, 0);
    GRID(cmp_i1, V8, F1, F2, 0, 0x5a5a5a5a, 0, 0);
    GRID(cmn_i1, V8, F1, F2, 0, 0x5a5a5a5a, 0, 0);
#ifdef __thumb__
    GRID(addw_i, V8, F1, F2, 0, 0, 0, 0);
    GRID(subw_i, V8, F1, F2, 0, 0, 0, 0);
    GRID(adds_rep, V8, F1, F2, 0, 0, 0, 0);
    GRID(subs_rep, V8, F1, F2, 0, 0, 0, 0);
    GRID(adds_rep2, V8, F1, F2, 0, 0, 0, 0);
#endif
    GRID(adds_lsl1, VS, VS, F2, 0, 0, 0, 0);
    GRID(adds_lsl31, VS, VS, F2, 0, 0, 0, 0);
    GRID(adds_lsr1, VS, VS, F2, 0, 0, 0, 0);
    GRID(adds_lsr32, VS, VS, F2, 0, 0, 0, 0);
    GRID(adds_asr32, VS, VS, F2, 0, 0, 0, 0);
    GRID(subs_asr7, VS, VS, F2, 0, 0, 0, 0);
    GRID(adcs_ror8, VS, VS, F2, 0, 0, 0, 0);
    GRID(sbcs_rrx, VS, VS, F2, 0, 0, 0, 0);
    GRID(rsbs_lsl4, VS, VS, F2, 0, 0, 0, 0);
    GRID(cmp_lsr3, VS, VS, F2, 0, 0x5a5a5a5a, 0, 0);
    GRID(cmn_asr1, VS, VS, F2, 0, 0x5a5a5a5a, 0, 0);
    return 0;
}
