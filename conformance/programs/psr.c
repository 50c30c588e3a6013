/* psr: MRS/MSR on CPSR and SPSR with every field mask (which bits each mask
 * writes; MSR never changes T, IT or J), APSR_nzcvq/APSR_g/APSR_nzcvqg
 * aliases, the A32 immediate forms, MSR from User mode (only flags and GE
 * change), the sticky Q flag, and SETEND BE/LE with loads/stores of every
 * size in big-endian data mode. */
#include "rt.h"

#define MSR_CPSR(mask, v)                                                          \
    ({                                                                             \
        u32 _old, _new;                                                            \
        __asm__ volatile("mrs %0, cpsr\n\t"                                         \
                         "msr cpsr_" mask ", %2\n\t"                               \
                         "mrs %1, cpsr\n\t"                                         \
                         "msr cpsr_fsxc, %0\n\t"                                   \
                         : "=&r"(_old), "=&r"(_new)                                \
                         : "r"((u32)(v))                                           \
                         : "cc", "memory");                                        \
        _new;                                                                      \
    })

#define MSR_SPSR(mask, v)                                                          \
    ({                                                                             \
        u32 _new;                                                                  \
        __asm__ volatile("msr spsr_fsxc, %2\n\t"                                   \
                         "msr spsr_" mask ", %1\n\t"                               \
                         "mrs %0, spsr\n\t"                                         \
                         : "=&r"(_new)                                              \
                         : "r"((u32)(v)), "r"(0u)                                  \
                         : "memory");                                              \
        _new;                                                                      \
    })

static volatile u32 user_out[4];

static void user_fn(void)
{
    u32 a, b;
    __asm__ volatile("msr cpsr_fsxc, %2\n\t" /* mode, I, F, A ignored in User */
                     "mrs %0, cpsr\n\t"
                     "msr APSR_nzcvqg, %3\n\t"
                     "mrs %1, apsr\n\t"
                     : "=&r"(a), "=&r"(b)
                     : "r"(0xf80f01dfu), "r"(0x50030000u)
                     : "cc");
    user_out[0] = a;
    user_out[1] = b;
}

static u32 be_buf[2] ALIGNED(8) = {0x11223344, 0x55667788};

int main(void)
{
    u32 base = get_cpsr();
    P("cpsr at start %08x\n", base);
    P("cpsr_f   <- ffffffff: %08x\n", MSR_CPSR("f", 0xffffffff));
    P("cpsr_s   <- ffffffff: %08x\n", MSR_CPSR("s", 0xffffffff));
    P("cpsr_x   <- 00000000: %08x\n", MSR_CPSR("x", 0x00000000));
    P("cpsr_x   <- 0000fc00: %08x (IT bits not written)\n", MSR_CPSR("x", 0x0000fc00));
    P("cpsr_c   <- 000000df: %08x\n", MSR_CPSR("c", 0x000000df));
    P("cpsr_c   <- 00000013: %08x (I/F unmasked)\n", MSR_CPSR("c", 0x00000013));
    P("cpsr_c   <- 000000f3: %08x (T not written)\n", MSR_CPSR("c", 0x000000f3));
    P("cpsr_fs  <- 0700a5a5 with f: %08x (J/IT<1:0> not written)\n", MSR_CPSR("f", 0x07000000));
    P("cpsr_fsxc<- 500a01d7: %08x\n", MSR_CPSR("fsxc", 0x500a01d7));
    P("apsr_nzcvq <- ffffffff: %08x\n", MSR_CPSR("f", 0xffffffff) >> 27);
    {
        u32 a, b, c;
        __asm__ volatile("mrs r3, cpsr\n\t"
                         "msr APSR_g, %3\n\t"
                         "mrs %0, apsr\n\t"
                         "msr APSR_nzcvq, %3\n\t"
                         "mrs %1, apsr\n\t"
                         "msr APSR_nzcvqg, %4\n\t"
                         "mrs %2, apsr\n\t"
                         "msr cpsr_fsxc, r3\n\t"
                         : "=&r"(a), "=&r"(b), "=&r"(c)
                         : "r"(0xa0050000u), "r"(0x00000000u)
                         : "r3", "cc");
        P("apsr_g <- a0050000: %08x; then nzcvq: %08x; nzcvqg <- 0: %08x\n", a, b, c);
    }
#ifndef __thumb__
    {
        u32 a, b;
        __asm__ volatile("mrs r3, cpsr\n\t"
                         "msr APSR_nzcvq, #0xa8000000\n\t"
                         "mrs %0, cpsr\n\t"
                         "msr CPSR_f, #0x50000000\n\t"
                         "mrs %1, cpsr\n\t"
                         "msr cpsr_fsxc, r3\n\t"
                         : "=&r"(a), "=&r"(b)::"r3", "cc");
        P("msr imm: %08x %08x\n", a, b);
    }
#endif
    /* SPSR bits 23:20 are reserved in ARMv7, so they are written as zero. */
    P("spsr_fsxc <- ff0fffff: %08x\n", MSR_SPSR("fsxc", 0xff0fffff));
    P("spsr_f    <- ff0fffff: %08x\n", MSR_SPSR("f", 0xff0fffff));
    P("spsr_s    <- ff0fffff: %08x\n", MSR_SPSR("s", 0xff0fffff));
    P("spsr_x    <- ff0fffff: %08x\n", MSR_SPSR("x", 0xff0fffff));
    P("spsr_c    <- ff0fffff: %08x\n", MSR_SPSR("c", 0xff0fffff));
    P("spsr_fc   <- 12345678: %08x\n", MSR_SPSR("fc", 0x12345678));

    /* Q is sticky: set by QADD, not cleared by later non-saturating QADD. */
    {
        u32 a, b, c;
        __asm__ volatile("msr APSR_nzcvq, %3\n\t"
                         "qadd r3, %4, %4\n\t"
                         "mrs %0, apsr\n\t"
                         "qadd r3, %3, %3\n\t"
                         "mrs %1, apsr\n\t"
                         "msr APSR_nzcvq, %3\n\t"
                         "mrs %2, apsr\n\t"
                         : "=&r"(a), "=&r"(b), "=&r"(c)
                         : "r"(0u), "r"(0x7fffffffu)
                         : "r3", "cc");
        P("q: after saturating %08x, after plain %08x, after msr %08x\n", a, b, c);
    }

    rt_mode_call(user_fn, MODE_USR);
    P("user: msr cpsr_fsxc f80f01df -> %08x; apsr_nzcvqg 50030000 -> %08x\n", user_out[0],
      user_out[1]);

    /* SETEND: big-endian data accesses. */
    {
        u32 w, h, b, sh, after, cpsr_be;
        __asm__ volatile("setend be\n\t"
                         "mrs %5, cpsr\n\t"
                         "ldr %0, [%6]\n\t"
                         "ldrh %1, [%6, #2]\n\t"
                         "ldrb %2, [%6, #1]\n\t"
                         "ldrsh %3, [%6, #4]\n\t"
                         "str %0, [%6, #4]\n\t"
                         "setend le\n\t"
                         "ldr %4, [%6, #4]\n\t"
                         : "=&r"(w), "=&r"(h), "=&r"(b), "=&r"(sh), "=&r"(after), "=&r"(cpsr_be)
                         : "r"(be_buf)
                         : "memory");
        P("setend be: cpsr=%08x ldr=%08x ldrh=%04x ldrb=%02x ldrsh=%08x str then le ldr=%08x\n",
          cpsr_be, w, h, b, sh, after);
        P("cpsr after setend le %08x\n", get_cpsr());
    }
    return 0;
}
