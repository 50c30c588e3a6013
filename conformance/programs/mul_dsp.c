/* mul_dsp: the 16-bit signed multiplies SMULxy, SMLAxy (Q set when the
 * accumulation overflows, never cleared), SMULWy, SMLAWy and SMLALxy, for all
 * bottom/top halfword selections. FQ starts with Q clear and with Q set. */
#include "t.h"

static const u32 FQ[] = {0x00000000, 0x08000000};

TDEF(smulbb, "smulbb %[d], %[a], %[b]")
TDEF(smulbt, "smulbt %[d], %[a], %[b]")
TDEF(smultb, "smultb %[d], %[a], %[b]")
TDEF(smultt, "smultt %[d], %[a], %[b]")
TDEF(smlabb, "smlabb %[d], %[a], %[b], %[c]")
TDEF(smlabb_n, "smlabb %[d], %[a], %[b], %[c]")
TDEF(smlabt, "smlabt %[d], %[a], %[b], %[c]")
TDEF(smlabt_n, "smlabt %[d], %[a], %[b], %[c]")
TDEF(smlatb, "smlatb %[d], %[a], %[b], %[c]")
TDEF(smlatb_n, "smlatb %[d], %[a], %[b], %[c]")
TDEF(smlatt, "smlatt %[d], %[a], %[b], %[c]")
TDEF(smlatt_n, "smlatt %[d], %[a], %[b], %[c]")
TDEF(smulwb, "smulwb %[d], %[a], %[b]")
TDEF(smlawb, "smlawb %[d], %[a], %[b], %[c]")
TDEF(smlawb_0, "smlawb %[d], %[a], %[b], %[c]")
TDEF(smulwt, "smulwt %[d], %[a], %[b]")
TDEF(smlawt, "smlawt %[d], %[a], %[b], %[c]")
TDEF(smlawt_0, "smlawt %[d], %[a], %[b], %[c]")
TDEF(smlalbb, "smlalbb %[d], %[e], %[a], %[b]")
TDEF(smlalbt, "smlalbt %[d], %[e], %[a], %[b]")
TDEF(smlaltb, "smlaltb %[d], %[e], %[a], %[b]")
TDEF(smlaltt, "smlaltt %[d], %[e], %[a], %[b]")

int main(void)
{
    GRID(smulbb, VL, VL, F1, 0, 0, 0, 0);
    GRID(smulbt, VL, VL, F1, 0, 0, 0, 0);
    GRID(smultb, VL, VL, F1, 0, 0, 0, 0);
    GRID(smultt, VL, VL, F1, 0, 0, 0, 0);
    GRID(smlabb, VL, VL, FQ, 0x7fffffff, 0, 0, 0);
    GRID(smlabb_n, VL, VL, FQ, 0x80000000, 0, 0, 0);
    GRID(smlabt, VL, VL, FQ, 0x7fffffff, 0, 0, 0);
    GRID(smlabt_n, VL, VL, FQ, 0x80000000, 0, 0, 0);
    GRID(smlatb, VL, VL, FQ, 0x7fffffff, 0, 0, 0);
    GRID(smlatb_n, VL, VL, FQ, 0x80000000, 0, 0, 0);
    GRID(smlatt, VL, VL, FQ, 0x7fffffff, 0, 0, 0);
    GRID(smlatt_n, VL, VL, FQ, 0x80000000, 0, 0, 0);
    GRID(smulwb, VL, VL, F1, 0, 0, 0, 0);
    GRID(smlawb, VL, VL, FQ, 0x7fffffff, 0, 0, 0);
    GRID(smlawb_0, VL, VL, FQ, 0x00000001, 0, 0, 0);
    GRID(smulwt, VL, VL, F1, 0, 0, 0, 0);
    GRID(smlawt, VL, VL, FQ, 0x7fffffff, 0, 0, 0);
    GRID(smlawt_0, VL, VL, FQ, 0x00000001, 0, 0, 0);
    GRID(smlalbb, VL, VL, F1, 0, 0xffffffff, 0x7fffffff, 1);
    GRID(smlalbt, VL, VL, F1, 0, 0xffffffff, 0x7fffffff, 1);
    GRID(smlaltb, VL, VL, F1, 0, 0xffffffff, 0x7fffffff, 1);
    GRID(smlaltt, VL, VL, F1, 0, 0xffffffff, 0x7fffffff, 1);
    return 0;
}
