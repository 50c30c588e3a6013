/* sat: saturating QADD/QSUB/QDADD/QDSUB (Q set on saturation, including
 * the doubling step of QDADD/QDSUB), SSAT/USAT at many widths with LSL/ASR
 * shifts, SSAT16/USAT16. FQ runs each with Q clear and with Q set (sticky). */
#include "t.h"

static const u32 FQ[] = {0x00000000, 0x08000000};
static const u32 VS[] = {0x00000000, 0x00000001, 0x0000007f, 0x00000080, 0xffffff80, 0xffffff7f,
                         0x00007fff, 0xffff8000, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678};

TDEF(qadd, "qadd %[d], %[a], %[b]")
TDEF(qsub, "qsub %[d], %[a], %[b]")
TDEF(qdadd, "qdadd %[d], %[a], %[b]")
TDEF(qdsub, "qdsub %[d], %[a], %[b]")
TDEF(ssat1, "ssat %[d], #1, %[a]")
TDEF(ssat2, "ssat %[d], #2, %[a]")
TDEF(ssat8, "ssat %[d], #8, %[a]")
TDEF(ssat16, "ssat %[d], #16, %[a]")
TDEF(ssat31, "ssat %[d], #31, %[a]")
TDEF(ssat32, "ssat %[d], #32, %[a]")
TDEF(usat0, "usat %[d], #0, %[a]")
TDEF(usat1, "usat %[d], #1, %[a]")
TDEF(usat7, "usat %[d], #7, %[a]")
TDEF(usat15, "usat %[d], #15, %[a]")
TDEF(usat16, "usat %[d], #16, %[a]")
TDEF(usat31, "usat %[d], #31, %[a]")
TDEF(ssat8_lsl4, "ssat %[d], #8, %[a], lsl #4")
TDEF(ssat16_asr1, "ssat %[d], #16, %[a], asr #1")
TDEF(ssat32_asr31, "ssat %[d], #32, %[a], asr #31")
TDEF(ssat12_asr32, "ssat %[d], #12, %[a], asr #31")
TDEF(usat8_lsl31, "usat %[d], #8, %[a], lsl #31")
TDEF(usat16_asr8, "usat %[d], #16, %[a], asr #8")
TDEF(ssat16_1, "ssat16 %[d], #1, %[a]")
TDEF(ssat16_4, "ssat16 %[d], #4, %[a]")
TDEF(ssat16_8, "ssat16 %[d], #8, %[a]")
TDEF(ssat16_16, "ssat16 %[d], #16, %[a]")
TDEF(usat16_0, "usat16 %[d], #0, %[a]")
TDEF(usat16_1, "usat16 %[d], #1, %[a]")
TDEF(usat16_4, "usat16 %[d], #4, %[a]")
TDEF(usat16_8, "usat16 %[d], #8, %[a]")
TDEF(usat16_15, "usat16 %[d], #15, %[a]")

int main(void)
{
    GRID(qadd, V8, V8, FQ, 0, 0, 0, 0);
    GRID(qsub, V8, V8, FQ, 0, 0, 0, 0);
    GRID(qdadd, V8, V8, FQ, 0, 0, 0, 0);
    GRID(qdsub, V8, V8, FQ, 0, 0, 0, 0);
    GRID(ssat1, VS, F1, FQ, 0, 0, 0, 0);
    GRID(ssat2, VS, F1, FQ, 0, 0, 0, 0);
    GRID(ssat8, VS, F1, FQ, 0, 0, 0, 0);
    GRID(ssat16, VS, F1, FQ, 0, 0, 0, 0);
    GRID(ssat31, VS, F1, FQ, 0, 0, 0, 0);
    GRID(ssat32, VS, F1, FQ, 0, 0, 0, 0);
    GRID(usat0, VS, F1, FQ, 0, 0, 0, 0);
    GRID(usat1, VS, F1, FQ, 0, 0, 0, 0);
    GRID(usat7, VS, F1, FQ, 0, 0, 0, 0);
    GRID(usat15, VS, F1, FQ, 0, 0, 0, 0);
    GRID(usat16, VS, F1, FQ, 0, 0, 0, 0);
    GRID(usat31, VS, F1, FQ, 0, 0, 0, 0);
    GRID(ssat8_lsl4, VS, F1, FQ, 0, 0, 0, 0);
    GRID(ssat16_asr1, VS, F1, FQ, 0, 0, 0, 0);
    GRID(ssat32_asr31, VS, F1, FQ, 0, 0, 0, 0);
    GRID(ssat12_asr32, VS, F1, FQ, 0, 0, 0, 0);
    GRID(usat8_lsl31, VS, F1, FQ, 0, 0, 0, 0);
    GRID(usat16_asr8, VS, F1, FQ, 0, 0, 0, 0);
    GRID(ssat16_1, VL, F1, FQ, 0, 0, 0, 0);
    GRID(ssat16_4, VL, F1, FQ, 0, 0, 0, 0);
    GRID(ssat16_8, VL, F1, FQ, 0, 0, 0, 0);
    GRID(ssat16_16, VL, F1, FQ, 0, 0, 0, 0);
    GRID(usat16_0, VL, F1, FQ, 0, 0, 0, 0);
    GRID(usat16_1, VL, F1, FQ, 0, 0, 0, 0);
    GRID(usat16_4, VL, F1, FQ, 0, 0, 0, 0);
    GRID(usat16_8, VL, F1, FQ, 0, 0, 0, 0);
    GRID(usat16_15, VL, F1, FQ, 0, 0, 0, 0);
    return 0;
}
