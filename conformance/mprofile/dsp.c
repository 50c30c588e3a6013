/* dsp: a sample of the DSP extension on the Cortex-M4. BOARDS: an386
 * Each instruction runs on fixed operands with APSR cleared first; the
 * result and APSR (N Z C V Q and GE[3:0]) are printed: parallel add/subtract
 * (signed, unsigned, saturating, halving, ASX/SAX, 8- and 16-bit), SEL after
 * each, saturating arithmetic (QADD/QSUB/QDADD/QDSUB, SSAT/USAT/SSAT16/
 * USAT16 and the sticky Q flag), 16-bit multiplies (SMULxy, SMLAxy setting Q,
 * SMULWy, SMLAWy, SMLALxy), dual multiplies (SMUAD/SMUSD/SMLAD/SMLSD[X],
 * SMLALD/SMLSLD), most-significant-word multiplies (SMMUL/SMMLA/SMMLS[R]),
 * USAD8/USADA8, UMAAL, PKHBT/PKHTB and the extend-and-add forms. */
#include "rt.h"

static void show(const char *name, u32 r, u32 apsr)
{
    P("%-10s = %08x  %c%c%c%c%c ge=%x\n", name, r, apsr >> 31 & 1 ? 'N' : '-', apsr >> 30 & 1 ? 'Z' : '-',
      apsr >> 29 & 1 ? 'C' : '-', apsr >> 28 & 1 ? 'V' : '-', apsr >> 27 & 1 ? 'Q' : '-', apsr >> 16 & 0xf);
}

#define A 0x7ffe8003u
#define B 0x00037ffeu
#define C 0x11223344u

#define OP3(insn, a, b)                                                                                     \
    do {                                                                                                    \
        u32 _r, _f;                                                                                         \
        __asm__ volatile("msr apsr_nzcvqg, %3\n\t" insn " %0, %2, %1\n\tmrs %1, apsr"                     \
                         : "=&r"(_r), "=&r"(_f) : "r"((u32)(a)), "r"(0u), "1"((u32)(b)) : "cc");          \
        show(insn, _r, _f);                                                                                 \
    } while (0)

/* Two-operand form with a third accumulator operand. */
#define OP4(insn, a, b, acc)                                                                                \
    do {                                                                                                    \
        u32 _r, _f;                                                                                         \
        __asm__ volatile("msr apsr_nzcvqg, %4\n\t" insn " %0, %2, %3, %1\n\tmrs %1, apsr"                 \
                         : "=&r"(_r), "=&r"(_f) : "r"((u32)(a)), "r"((u32)(b)), "r"(0u), "1"((u32)(acc)) \
                         : "cc");                                                                           \
        show(insn, _r, _f);                                                                                 \
    } while (0)

/* Parallel op followed by SEL (uses the GE bits it set). */
#define PSEL(insn, a, b)                                                                                   \
    do {                                                                                                   \
        u32 _r, _s, _f;                                                                                    \
        __asm__ volatile("msr apsr_nzcvqg, %5\n\t" insn " %0, %3, %4\n\tmrs %2, apsr\n\t"                \
                         "sel %1, %3, %4"                                                                  \
                         : "=&r"(_r), "=&r"(_s), "=&r"(_f) : "r"((u32)(a)), "r"((u32)(b)), "r"(0u)         \
                         : "cc");                                                                          \
        show(insn, _r, _f);                                                                                \
        P("  sel      = %08x\n", _s);                                                                    \
    } while (0)

#define LONG(insn, lo, hi, a, b)                                                                           \
    do {                                                                                                   \
        u32 _lo = (lo), _hi = (hi), _f;                                                                    \
        __asm__ volatile("msr apsr_nzcvqg, %5\n\t" insn " %0, %1, %3, %4\n\tmrs %2, apsr"                \
                         : "+&r"(_lo), "+&r"(_hi), "=&r"(_f) : "r"((u32)(a)), "r"((u32)(b)), "r"(0u)     \
                         : "cc");                                                                          \
        P("%-10s = %08x:%08x  ge=%x q=%u\n", insn, _hi, _lo, _f >> 16 & 0xf, _f >> 27 & 1);              \
    } while (0)

int main(void)
{
    PSEL("sadd16", A, B);
    PSEL("ssub16", A, B);
    PSEL("sasx", A, B);
    PSEL("ssax", A, B);
    PSEL("sadd8", C, 0x80f07f01);
    PSEL("ssub8", C, 0x80f07f01);
    PSEL("uadd16", A, B);
    PSEL("usub16", B, A);
    PSEL("uasx", A, B);
    PSEL("usax", A, B);
    PSEL("uadd8", 0xff80017f, 0x0180ff81);
    PSEL("usub8", 0xff80017f, 0x0180ff81);
    OP3("qadd16", A, B);
    OP3("qsub16", A, B);
    OP3("qasx", A, B);
    OP3("qsax", A, B);
    OP3("qadd8", 0x7f80407f, 0x01ff40ff);
    OP3("qsub8", 0x7f80407f, 0x01ff40ff);
    OP3("uqadd16", A, B);
    OP3("uqsub16", B, A);
    OP3("uqadd8", 0xff80017f, 0x0180ff81);
    OP3("uqsub8", 0xff80017f, 0x0180ff81);
    OP3("shadd16", A, B);
    OP3("shsub16", A, B);
    OP3("shadd8", 0x7f80407f, 0x01ff40ff);
    OP3("uhadd16", A, B);
    OP3("uhsub8", 0xff80017f, 0x0180ff81);
    OP3("uhasx", A, B);
    OP3("shsax", A, B);
    OP3("qadd", 0x7fffffff, 1);
    OP3("qadd", 0x80000000, 0xffffffff);
    OP3("qsub", 0x80000000, 1);
    OP3("qdadd", 0x10000000, 0x40000000);
    OP3("qdsub", 0x10000000, 0xc0000000);
    OP3("smulbb", A, B);
    OP3("smulbt", A, B);
    OP3("smultb", A, B);
    OP3("smultt", A, B);
    OP3("smulwb", A, B);
    OP3("smulwt", A, B);
    OP4("smlabb", 0x8000, 0x8000, 0x7fffffff); /* 0x40000000 + 0x7fffffff overflows: Q */
    OP4("smlatt", A, B, 0x10);
    OP4("smlawb", 0x40000000, 0x8000, 0x7fffffff);
    OP4("smlawt", A, B, 5);
    OP3("smuad", 0x80008000, 0x80008000); /* 2 * 2^30 overflows: Q */
    OP3("smuadx", A, B);
    OP3("smusd", A, B);
    OP3("smusdx", A, B);
    OP4("smlad", A, B, 0x7fffffff);
    OP4("smladx", A, B, 1);
    OP4("smlsd", A, B, 1);
    OP4("smlsdx", A, B, 0x80000000);
    OP3("smmul", 0x40000000, 0x40000001);
    OP3("smmulr", 0x40000000, 0x40000001);
    OP4("smmla", 0x7fffffff, 0x7fffffff, 1);
    OP4("smmlar", 0x7fffffff, 0x7fffffff, 1);
    OP4("smmls", 0x7fffffff, 0x7fffffff, 1);
    OP4("smmlsr", 0x7fffffff, 0x7fffffff, 1);
    OP3("usad8", 0x01ff7f80, 0xff017f00);
    OP4("usada8", 0x01ff7f80, 0xff017f00, 0x1000);
    LONG("smlalbb", 0xffffffff, 0, 0x7fff, 0x7fff);
    LONG("smlaltt", 1, 2, A, B);
    LONG("smlald", 0xffffffff, 0x7fffffff, 0x7fff7fff, 0x7fff7fff);
    LONG("smlaldx", 0, 0, A, B);
    LONG("smlsld", 0, 0, A, B);
    LONG("smlsldx", 5, 0, A, B);
    LONG("umaal", 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff);
    OP3("sxtab16", C, 0x80ff7f01);
    OP3("uxtab16", C, 0x80ff7f01);
    OP3("sxtah", C, 0x80ff7f01);
    OP3("uxtab", C, 0x80ff7f01);

    u32 r, f;
    __asm__ volatile("msr apsr_nzcvqg, %2\n\tpkhbt %0, %3, %4, lsl #8\n\tmrs %1, apsr" : "=&r"(r), "=&r"(f) : "r"(0u), "r"(A), "r"(C) : "cc");
    show("pkhbt lsl8", r, f);
    __asm__ volatile("msr apsr_nzcvqg, %2\n\tpkhtb %0, %3, %4, asr #12\n\tmrs %1, apsr" : "=&r"(r), "=&r"(f) : "r"(0u), "r"(A), "r"(0x80000000u) : "cc");
    show("pkhtb asr12", r, f);
    __asm__ volatile("msr apsr_nzcvqg, %2\n\tssat %0, #8, %3\n\tmrs %1, apsr" : "=&r"(r), "=&r"(f) : "r"(0u), "r"(300u) : "cc");
    show("ssat #8", r, f);
    __asm__ volatile("msr apsr_nzcvqg, %2\n\tusat %0, #8, %3, asr #1\n\tmrs %1, apsr" : "=&r"(r), "=&r"(f) : "r"(0u), "r"(0x1feu) : "cc");
    show("usat #8 asr1", r, f);
    __asm__ volatile("msr apsr_nzcvqg, %2\n\tssat16 %0, #4, %3\n\tmrs %1, apsr" : "=&r"(r), "=&r"(f) : "r"(0u), "r"(A) : "cc");
    show("ssat16 #4", r, f);
    __asm__ volatile("msr apsr_nzcvqg, %2\n\tusat16 %0, #15, %3\n\tmrs %1, apsr" : "=&r"(r), "=&r"(f) : "r"(0u), "r"(A) : "cc");
    show("usat16 #15", r, f);
    /* Q is sticky: an in-range SSAT leaves it set. */
    __asm__ volatile("msr apsr_nzcvqg, %2\n\tssat %0, #16, %3\n\tmrs %1, apsr" : "=&r"(r), "=&r"(f) : "r"(1u << 27), "r"(5u) : "cc");
    show("ssat Q in", r, f);
    return 0;
}
