/* ldst: LDR/STR/LDRB/STRB/LDRH/STRH/LDRSB/LDRSH/LDRD/STRD in every
 * addressing mode each ISA has: immediate offset (+/-), pre-indexed and
 * post-indexed with writeback, register offset, scaled register; A32 adds
 * negative and shifted (LSR/ASR/ROR/RRX) register offsets with writeback and
 * register-offset LDRD/STRD; T32 adds the 16-bit and .W encodings. Prints the
 * loaded values, the bytes stored and the base writeback. */
#include "m.h"

LD(ldr_0, "ldr %[d], [%[b]]")
LD(ldr_p4, "ldr %[d], [%[b], #4]")
LD(ldr_m4, "ldr %[d], [%[b], #-4]")
LD(ldr_p255, "ldr %[d], [%[b], #252]")
LD(ldr_m255, "ldr %[d], [%[b], #-252]")
LD(ldr_pre, "ldr %[d], [%[b], #8]!")
LD(ldr_prem, "ldr %[d], [%[b], #-12]!")
LD(ldr_post, "ldr %[d], [%[b]], #16")
LD(ldr_postm, "ldr %[d], [%[b]], #-20")
LD(ldr_reg, "ldr %[d], [%[b], %[i]]")
LD(ldr_regn, "ldr %[d], [%[b], %[i]]")
LD(ldr_lsl2, "ldr %[d], [%[b], %[i], lsl #2]")
LD(ldr_lsl1, "ldr %[d], [%[b], %[i], lsl #1]")
LD(ldr_lsl3, "ldr %[d], [%[b], %[i], lsl #3]")
LD(ldr_self, "mov %[d], %[b]\n\tldr %[d], [%[d], #4]")
LD(ldrb_0, "ldrb %[d], [%[b]]")
LD(ldrb_p, "ldrb %[d], [%[b], #2]")
LD(ldrb_m, "ldrb %[d], [%[b], #-128]")
LD(ldrb_pre, "ldrb %[d], [%[b], #6]!")
LD(ldrb_prem, "ldrb %[d], [%[b], #-2]!")
LD(ldrb_post, "ldrb %[d], [%[b]], #4")
LD(ldrb_postm, "ldrb %[d], [%[b]], #-130")
LD(ldrb_reg, "ldrb %[d], [%[b], %[i]]")
LD(ldrsb_0, "ldrsb %[d], [%[b]]")
LD(ldrsb_p, "ldrsb %[d], [%[b], #2]")
LD(ldrsb_m, "ldrsb %[d], [%[b], #-128]")
LD(ldrsb_pre, "ldrsb %[d], [%[b], #6]!")
LD(ldrsb_prem, "ldrsb %[d], [%[b], #-2]!")
LD(ldrsb_post, "ldrsb %[d], [%[b]], #4")
LD(ldrsb_postm, "ldrsb %[d], [%[b]], #-130")
LD(ldrsb_reg, "ldrsb %[d], [%[b], %[i]]")
LD(ldrh_0, "ldrh %[d], [%[b]]")
LD(ldrh_p, "ldrh %[d], [%[b], #2]")
LD(ldrh_m, "ldrh %[d], [%[b], #-128]")
LD(ldrh_pre, "ldrh %[d], [%[b], #6]!")
LD(ldrh_prem, "ldrh %[d], [%[b], #-2]!")
LD(ldrh_post, "ldrh %[d], [%[b]], #4")
LD(ldrh_postm, "ldrh %[d], [%[b]], #-130")
LD(ldrh_reg, "ldrh %[d], [%[b], %[i]]")
LD(ldrsh_0, "ldrsh %[d], [%[b]]")
LD(ldrsh_p, "ldrsh %[d], [%[b], #2]")
LD(ldrsh_m, "ldrsh %[d], [%[b], #-128]")
LD(ldrsh_pre, "ldrsh %[d], [%[b], #6]!")
LD(ldrsh_prem, "ldrsh %[d], [%[b], #-2]!")
LD(ldrsh_post, "ldrsh %[d], [%[b]], #4")
LD(ldrsh_postm, "ldrsh %[d], [%[b]], #-130")
LD(ldrsh_reg, "ldrsh %[d], [%[b], %[i]]")
LD(ldrb_lsl, "ldrb %[d], [%[b], %[i], lsl #3]")
LD(ldrd_0, "ldrd %[d], %[e], [%[b]]")
LD(ldrd_p, "ldrd %[d], %[e], [%[b], #8]")
LD(ldrd_m, "ldrd %[d], %[e], [%[b], #-248]")
LD(ldrd_pre, "ldrd %[d], %[e], [%[b], #16]!")
LD(ldrd_post, "ldrd %[d], %[e], [%[b]], #-8")
LD(ldrd_u4, "ldrd %[d], %[e], [%[b], #4]")
ST(str_0, "str %[v], [%[b]]")
ST(str_p, "str %[v], [%[b], #12]")
ST(str_m, "str %[v], [%[b], #-252]")
ST(str_pre, "str %[v], [%[b], #-4]!")
ST(str_post, "str %[v], [%[b]], #8")
ST(str_reg, "str %[v], [%[b], %[i]]")
ST(str_lsl, "str %[v], [%[b], %[i], lsl #2]")
ST(strb_0, "strb %[v], [%[b]]")
ST(strb_p, "strb %[v], [%[b], #3]")
ST(strb_m, "strb %[v], [%[b], #-7]")
ST(strb_pre, "strb %[v], [%[b], #5]!")
ST(strb_post, "strb %[v], [%[b]], #-9")
ST(strb_reg, "strb %[v], [%[b], %[i]]")
ST(strh_0, "strh %[v], [%[b]]")
ST(strh_p, "strh %[v], [%[b], #2]")
ST(strh_m, "strh %[v], [%[b], #-6]")
ST(strh_pre, "strh %[v], [%[b], #4]!")
ST(strh_post, "strh %[v], [%[b]], #-10")
ST(strh_reg, "strh %[v], [%[b], %[i]]")
ST(strd_0, "strd %[v], %[w], [%[b]]")
ST(strd_p, "strd %[v], %[w], [%[b], #-16]")
ST(strd_pre, "strd %[v], %[w], [%[b], #24]!")
ST(strd_post, "strd %[v], %[w], [%[b]], #-32")
LD(str_base, "str %[b], [%[b], #4]\n\tldr %[d], [%[b], #4]\n\tsub %[d], %[d], %[b]")
LD(strb_base, "strb %[b], [%[b], #-1]\n\tldrb %[d], [%[b], #-1]\n\teor %[d], %[d], %[b]\n\tand %[d], %[d], #0xff")
#ifndef __thumb__
LD(ldr_p4095, "add %[b], %[b], #4096\n\tldr %[d], [%[b], #-4092]")
LD(ldr_negreg, "ldr %[d], [%[b], -%[i]]")
LD(ldr_negreg_pre, "ldr %[d], [%[b], -%[i]]!")
LD(ldr_reg_pre, "ldr %[d], [%[b], %[i]]!")
LD(ldr_reg_post, "ldr %[d], [%[b]], %[i]")
LD(ldr_negreg_post, "ldr %[d], [%[b]], -%[i]")
LD(ldr_lsr, "ldr %[d], [%[b], %[i], lsr #4]")
LD(ldr_lsr32, "ldr %[d], [%[b], %[i], lsr #32]")
LD(ldr_asr, "ldr %[d], [%[b], %[i], asr #2]")
LD(ldr_asr32, "ldr %[d], [%[b], %[i], asr #32]")
LD(ldr_ror, "ldr %[d], [%[b], %[i], ror #8]")
LD(ldr_rrx_c0, "cmn %[i], #0\n\tldr %[d], [%[b], %[i], rrx]")
LD(ldr_rrx_neg, "cmp %[i], %[i]\n\tldr %[d], [%[b], -%[i], rrx]")
LD(ldr_negsh_pre, "ldr %[d], [%[b], -%[i], lsl #3]!")
LD(ldr_sh_post, "ldr %[d], [%[b]], %[i], asr #1")
LD(ldrb_negsh, "ldrb %[d], [%[b], -%[i], lsl #1]")
LD(ldrb_post_reg, "ldrb %[d], [%[b]], -%[i]")
LD(ldrh_negreg, "ldrh %[d], [%[b], -%[i]]")
LD(ldrh_reg_pre, "ldrh %[d], [%[b], %[i]]!")
LD(ldrh_reg_post, "ldrh %[d], [%[b]], -%[i]")
LD(ldrsh_negreg, "ldrsh %[d], [%[b], -%[i]]")
LD(ldrsh_reg_pre, "ldrsh %[d], [%[b], %[i]]!")
LD(ldrsh_reg_post, "ldrsh %[d], [%[b]], -%[i]")
LD(ldrsb_negreg, "ldrsb %[d], [%[b], -%[i]]")
LD(ldrsb_reg_pre, "ldrsb %[d], [%[b], %[i]]!")
LD(ldrsb_reg_post, "ldrsb %[d], [%[b]], -%[i]")
LD(ldrd_reg, "ldrd %[d], %[e], [%[b], %[i]]")
LD(ldrd_negreg_pre, "ldrd %[d], %[e], [%[b], -%[i]]!")
LD(ldrd_reg_post, "ldrd %[d], %[e], [%[b]], %[i]")
ST(str_negreg_pre, "str %[v], [%[b], -%[i]]!")
ST(str_reg_post, "str %[v], [%[b]], %[i], lsl #1")
ST(strb_ror, "strb %[v], [%[b], %[i], ror #31]")
ST(strh_negreg_post, "strh %[v], [%[b]], -%[i]")
ST(strd_reg, "strd %[v], %[w], [%[b], %[i]]")
ST(strd_negreg_pre, "strd %[v], %[w], [%[b], -%[i]]!")
#else
LD(ldrh_lsl, "ldrh %[d], [%[b], %[i], lsl #1]")
LD(ldr_w4095, "sub %[b], %[b], #2048\n\tldr.w %[d], [%[b], #2060]")
LD(ldrb_w, "ldrb.w %[d], [%[b], #255]")
LD(ldrsh_w, "ldrsh.w %[d], [%[b], #254]")
LD(ldr_n, "ldr.n %[d], [%[b], #124]")
LD(ldrh_n, "ldrh.n %[d], [%[b], #62]")
LD(ldrb_n, "ldrb.n %[d], [%[b], #31]")
LD(ldr_nreg, "ldr.n %[d], [%[b], %[i]]")
LD(ldrsb_nreg, "ldrsb.n %[d], [%[b], %[i]]")
LD(ldrsh_nreg, "ldrsh.n %[d], [%[b], %[i]]")
LD(ldrd_m1020, "add %[b], %[b], #1024\n\tldrd %[d], %[e], [%[b], #-1020]")
ST(str_n, "str.n %[v], [%[b], #124]")
ST(strb_nreg, "strb.n %[v], [%[b], %[i]]")
ST(strh_n, "strh.n %[v], [%[b], #2]")
#endif

int main(void)
{
    TLD(ldr_0, 0);
    TLD(ldr_p4, 0);
    TLD(ldr_m4, 0);
    TLD(ldr_p255, 0);
    TLD(ldr_m255, 0);
    TLD(ldr_pre, 0);
    TLD(ldr_prem, 0);
    TLD(ldr_post, 0);
    TLD(ldr_postm, 0);
    TLD(ldr_reg, 8);
    TLD(ldr_regn, 0xfffffff8);
    TLD(ldr_lsl2, 3);
    TLD(ldr_lsl1, 0xfffffffe);
    TLD(ldr_lsl3, 5);
    TLD(ldr_self, 0);
    TLD(ldrb_0, 0);
    TLD(ldrb_p, 0);
    TLD(ldrb_m, 0);
    TLD(ldrb_pre, 0);
    TLD(ldrb_prem, 0);
    TLD(ldrb_post, 0);
    TLD(ldrb_postm, 0);
    TLD(ldrb_reg, 0xffffff02);
    TLD(ldrsb_0, 0);
    TLD(ldrsb_p, 0);
    TLD(ldrsb_m, 0);
    TLD(ldrsb_pre, 0);
    TLD(ldrsb_prem, 0);
    TLD(ldrsb_post, 0);
    TLD(ldrsb_postm, 0);
    TLD(ldrsb_reg, 0xffffff02);
    TLD(ldrh_0, 0);
    TLD(ldrh_p, 0);
    TLD(ldrh_m, 0);
    TLD(ldrh_pre, 0);
    TLD(ldrh_prem, 0);
    TLD(ldrh_post, 0);
    TLD(ldrh_postm, 0);
    TLD(ldrh_reg, 0xffffff02);
    TLD(ldrsh_0, 0);
    TLD(ldrsh_p, 0);
    TLD(ldrsh_m, 0);
    TLD(ldrsh_pre, 0);
    TLD(ldrsh_prem, 0);
    TLD(ldrsh_post, 0);
    TLD(ldrsh_postm, 0);
    TLD(ldrsh_reg, 0xffffff02);
    TLD(ldrb_lsl, 15);
    TLD2(ldrd_0, 0);
    TLD2(ldrd_p, 0);
    TLD2(ldrd_m, 0);
    TLD2(ldrd_pre, 0);
    TLD2(ldrd_post, 0);
    TLD2(ldrd_u4, 0);
    TST(str_0, 0);
    TST(str_p, 0);
    TST(str_m, 0);
    TST(str_pre, 0);
    TST(str_post, 0);
    TST(str_reg, 0xfffffffc);
    TST(str_lsl, 7);
    TST(strb_0, 0);
    TST(strb_p, 0);
    TST(strb_m, 0);
    TST(strb_pre, 0);
    TST(strb_post, 0);
    TST(strb_reg, 0x21);
    TST(strh_0, 0);
    TST(strh_p, 0);
    TST(strh_m, 0);
    TST(strh_pre, 0);
    TST(strh_post, 0);
    TST(strh_reg, 0x22);
    TST(strd_0, 0);
    TST(strd_p, 0);
    TST(strd_pre, 0);
    TST(strd_post, 0);
    TLD(str_base, 0);
    TLD(strb_base, 0);
#ifndef __thumb__
    TLD(ldr_p4095, 0);
    TLD(ldr_negreg, 12);
    TLD(ldr_negreg_pre, 12);
    TLD(ldr_reg_pre, 0x40);
    TLD(ldr_reg_post, 0x40);
    TLD(ldr_negreg_post, 0x40);
    TLD(ldr_lsr, 0x400);
    TLD(ldr_lsr32, 0xffffffff);
    TLD(ldr_asr, 0xffffff00);
    TLD(ldr_asr32, 0x7fffffff);
    TLD(ldr_ror, 0x00001000);
    TLD(ldr_rrx_c0, 0x00000010);
    TLD(ldr_rrx_neg, 0xfffffff0);
    TLD(ldr_negsh_pre, 4);
    TLD(ldr_sh_post, 0xfffffff0);
    TLD(ldrb_negsh, 0x40);
    TLD(ldrb_post_reg, 3);
    TLD(ldrh_negreg, 0x12);
    TLD(ldrh_reg_pre, 0x12);
    TLD(ldrh_reg_post, 0x12);
    TLD(ldrsh_negreg, 0x12);
    TLD(ldrsh_reg_pre, 0x12);
    TLD(ldrsh_reg_post, 0x12);
    TLD(ldrsb_negreg, 0x11);
    TLD(ldrsb_reg_pre, 0x11);
    TLD(ldrsb_reg_post, 0x11);
    TLD2(ldrd_reg, 0x10);
    TLD2(ldrd_negreg_pre, 0x18);
    TLD2(ldrd_reg_post, 0x20);
    TST(str_negreg_pre, 0x10);
    TST(str_reg_post, 0x10);
    TST(strb_ror, 0x10);
    TST(strh_negreg_post, 0x10);
    TST(strd_reg, 0xfffffff0);
    TST(strd_negreg_pre, 0x28);
#else
    TLD(ldrh_lsl, 0x7f);
    TLD(ldr_w4095, 0);
    TLD(ldrb_w, 0);
    TLD(ldrsh_w, 0);
    TLD(ldr_n, 0);
    TLD(ldrh_n, 0);
    TLD(ldrb_n, 0);
    TLD(ldr_nreg, 0xffffff00);
    TLD(ldrsb_nreg, 0x7f);
    TLD(ldrsh_nreg, 0x7e);
    TLD2(ldrd_m1020, 0);
    TST(str_n, 0);
    TST(strb_nreg, 0xffffff81);
    TST(strh_n, 0);
#endif
    return 0;
}
