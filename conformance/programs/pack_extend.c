/* pack_extend: PKHBT/PKHTB with shifts (ASR #32 included), the extends
 * SXTB/SXTH/SXTB16/UXTB/UXTH/UXTB16 and their accumulating forms
 * SXTAB/SXTAH/SXTAB16/UXTAB/UXTAH/UXTAB16 with every rotation. */
#include "t.h"

static const u32 VA[] = {0x00000000, 0x7fff7fff, 0xffff0001, 0x80808080};

TDEF(pkhbt0, "pkhbt %[d], %[a], %[b], lsl #0")
TDEF(pkhbt1, "pkhbt %[d], %[a], %[b], lsl #1")
TDEF(pkhbt8, "pkhbt %[d], %[a], %[b], lsl #8")
TDEF(pkhbt16, "pkhbt %[d], %[a], %[b], lsl #16")
TDEF(pkhbt31, "pkhbt %[d], %[a], %[b], lsl #31")
TDEF(pkhtb1, "pkhtb %[d], %[a], %[b], asr #1")
TDEF(pkhtb8, "pkhtb %[d], %[a], %[b], asr #8")
TDEF(pkhtb16, "pkhtb %[d], %[a], %[b], asr #16")
TDEF(pkhtb32, "pkhtb %[d], %[a], %[b], asr #32")
TDEF(pkhtb_plain, "pkhtb %[d], %[a], %[b]")
TDEF(sxtb_0, "sxtb %[d], %[a]")
TDEF(sxtb_8, "sxtb %[d], %[a], ror #8")
TDEF(sxtb_16, "sxtb %[d], %[a], ror #16")
TDEF(sxtb_24, "sxtb %[d], %[a], ror #24")
TDEF(sxth_0, "sxth %[d], %[a]")
TDEF(sxth_8, "sxth %[d], %[a], ror #8")
TDEF(sxth_16, "sxth %[d], %[a], ror #16")
TDEF(sxth_24, "sxth %[d], %[a], ror #24")
TDEF(sxtb16_0, "sxtb16 %[d], %[a]")
TDEF(sxtb16_8, "sxtb16 %[d], %[a], ror #8")
TDEF(sxtb16_16, "sxtb16 %[d], %[a], ror #16")
TDEF(sxtb16_24, "sxtb16 %[d], %[a], ror #24")
TDEF(uxtb_0, "uxtb %[d], %[a]")
TDEF(uxtb_8, "uxtb %[d], %[a], ror #8")
TDEF(uxtb_16, "uxtb %[d], %[a], ror #16")
TDEF(uxtb_24, "uxtb %[d], %[a], ror #24")
TDEF(uxth_0, "uxth %[d], %[a]")
TDEF(uxth_8, "uxth %[d], %[a], ror #8")
TDEF(uxth_16, "uxth %[d], %[a], ror #16")
TDEF(uxth_24, "uxth %[d], %[a], ror #24")
TDEF(uxtb16_0, "uxtb16 %[d], %[a]")
TDEF(uxtb16_8, "uxtb16 %[d], %[a], ror #8")
TDEF(uxtb16_16, "uxtb16 %[d], %[a], ror #16")
TDEF(uxtb16_24, "uxtb16 %[d], %[a], ror #24")
TDEF(sxtab_0, "sxtab %[d], %[b], %[a]")
TDEF(sxtab_8, "sxtab %[d], %[b], %[a], ror #8")
TDEF(sxtab_16, "sxtab %[d], %[b], %[a], ror #16")
TDEF(sxtab_24, "sxtab %[d], %[b], %[a], ror #24")
TDEF(sxtah_0, "sxtah %[d], %[b], %[a]")
TDEF(sxtah_8, "sxtah %[d], %[b], %[a], ror #8")
TDEF(sxtah_16, "sxtah %[d], %[b], %[a], ror #16")
TDEF(sxtah_24, "sxtah %[d], %[b], %[a], ror #24")
TDEF(sxtab16_0, "sxtab16 %[d], %[b], %[a]")
TDEF(sxtab16_8, "sxtab16 %[d], %[b], %[a], ror #8")
TDEF(sxtab16_16, "sxtab16 %[d], %[b], %[a], ror #16")
TDEF(sxtab16_24, "sxtab16 %[d], %[b], %[a], ror #24")
TDEF(uxtab_0, "uxtab %[d], %[b], %[a]")
TDEF(uxtab_8, "uxtab %[d], %[b], %[a], ror #8")
TDEF(uxtab_16, "uxtab %[d], %[b], %[a], ror #16")
TDEF(uxtab_24, "uxtab %[d], %[b], %[a], ror #24")
TDEF(uxtah_0, "uxtah %[d], %[b], %[a]")
TDEF(uxtah_8, "uxtah %[d], %[b], %[a], ror #8")
TDEF(uxtah_16, "uxtah %[d], %[b], %[a], ror #16")
TDEF(uxtah_24, "uxtah %[d], %[b], %[a], ror #24")
TDEF(uxtab16_0, "uxtab16 %[d], %[b], %[a]")
TDEF(uxtab16_8, "uxtab16 %[d], %[b], %[a], ror #8")
TDEF(uxtab16_16, "uxtab16 %[d], %[b], %[a], ror #16")
TDEF(uxtab16_24, "uxtab16 %[d], %[b], %[a], ror #24")

int main(void)
{
    GRID(pkhbt0, VL, VL, F1, 0, 0, 0, 0);
    GRID(pkhbt1, VL, VL, F1, 0, 0, 0, 0);
    GRID(pkhbt8, VL, VL, F1, 0, 0, 0, 0);
    GRID(pkhbt16, VL, VL, F1, 0, 0, 0, 0);
    GRID(pkhbt31, VL, VL, F1, 0, 0, 0, 0);
    GRID(pkhtb1, VL, VL, F1, 0, 0, 0, 0);
    GRID(pkhtb8, VL, VL, F1, 0, 0, 0, 0);
    GRID(pkhtb16, VL, VL, F1, 0, 0, 0, 0);
    GRID(pkhtb32, VL, VL, F1, 0, 0, 0, 0);
    GRID(pkhtb_plain, VL, VL, F1, 0, 0, 0, 0);
    GRID(sxtb_0, VL, F1, F1, 0, 0, 0, 0);
    GRID(sxtb_8, VL, F1, F1, 0, 0, 0, 0);
    GRID(sxtb_16, VL, F1, F1, 0, 0, 0, 0);
    GRID(sxtb_24, VL, F1, F1, 0, 0, 0, 0);
    GRID(sxth_0, VL, F1, F1, 0, 0, 0, 0);
    GRID(sxth_8, VL, F1, F1, 0, 0, 0, 0);
    GRID(sxth_16, VL, F1, F1, 0, 0, 0, 0);
    GRID(sxth_24, VL, F1, F1, 0, 0, 0, 0);
    GRID(sxtb16_0, VL, F1, F1, 0, 0, 0, 0);
    GRID(sxtb16_8, VL, F1, F1, 0, 0, 0, 0);
    GRID(sxtb16_16, VL, F1, F1, 0, 0, 0, 0);
    GRID(sxtb16_24, VL, F1, F1, 0, 0, 0, 0);
    GRID(uxtb_0, VL, F1, F1, 0, 0, 0, 0);
    GRID(uxtb_8, VL, F1, F1, 0, 0, 0, 0);
    GRID(uxtb_16, VL, F1, F1, 0, 0, 0, 0);
    GRID(uxtb_24, VL, F1, F1, 0, 0, 0, 0);
    GRID(uxth_0, VL, F1, F1, 0, 0, 0, 0);
    GRID(uxth_8, VL, F1, F1, 0, 0, 0, 0);
    GRID(uxth_16, VL, F1, F1, 0, 0, 0, 0);
    GRID(uxth_24, VL, F1, F1, 0, 0, 0, 0);
    GRID(uxtb16_0, VL, F1, F1, 0, 0, 0, 0);
    GRID(uxtb16_8, VL, F1, F1, 0, 0, 0, 0);
    GRID(uxtb16_16, VL, F1, F1, 0, 0, 0, 0);
    GRID(uxtb16_24, VL, F1, F1, 0, 0, 0, 0);
    GRID(sxtab_0, VL, VA, F1, 0, 0, 0, 0);
    GRID(sxtab_8, VL, VA, F1, 0, 0, 0, 0);
    GRID(sxtab_16, VL, VA, F1, 0, 0, 0, 0);
    GRID(sxtab_24, VL, VA, F1, 0, 0, 0, 0);
    GRID(sxtah_0, VL, VA, F1, 0, 0, 0, 0);
    GRID(sxtah_8, VL, VA, F1, 0, 0, 0, 0);
    GRID(sxtah_16, VL, VA, F1, 0, 0, 0, 0);
    GRID(sxtah_24, VL, VA, F1, 0, 0, 0, 0);
    GRID(sxtab16_0, VL, VA, F1, 0, 0, 0, 0);
    GRID(sxtab16_8, VL, VA, F1, 0, 0, 0, 0);
    GRID(sxtab16_16, VL, VA, F1, 0, 0, 0, 0);
    GRID(sxtab16_24, VL, VA, F1, 0, 0, 0, 0);
    GRID(uxtab_0, VL, VA, F1, 0, 0, 0, 0);
    GRID(uxtab_8, VL, VA, F1, 0, 0, 0, 0);
    GRID(uxtab_16, VL, VA, F1, 0, 0, 0, 0);
    GRID(uxtab_24, VL, VA, F1, 0, 0, 0, 0);
    GRID(uxtah_0, VL, VA, F1, 0, 0, 0, 0);
    GRID(uxtah_8, VL, VA, F1, 0, 0, 0, 0);
    GRID(uxtah_16, VL, VA, F1, 0, 0, 0, 0);
    GRID(uxtah_24, VL, VA, F1, 0, 0, 0, 0);
    GRID(uxtab16_0, VL, VA, F1, 0, 0, 0, 0);
    GRID(uxtab16_8, VL, VA, F1, 0, 0, 0, 0);
    GRID(uxtab16_16, VL, VA, F1, 0, 0, 0, 0);
    GRID(uxtab16_24, VL, VA, F1, 0, 0, 0, 0);
    return 0;
}
