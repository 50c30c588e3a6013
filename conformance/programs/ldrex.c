/* ldrex: exclusive access. LDREX/STREX, LDREXB/STREXB, LDREXH/STREXH,
 * LDREXD/STREXD succeeding (status 0) and failing (status 1) after CLREX,
 * after a second STREX with no new LDREX, and a read-modify-write loop. Also
 * shows that STREX of the value does not happen when it fails. */
#include "rt.h"

static u64 mem ALIGNED(8);

static void reset(void)
{
    mem = 0x8877665544332211ULL;
}

#define SHOW(what, status, val)                                                     \
    P("%-28s status=%u loaded=%08x mem=%016llx\n", what, status, val, mem)

int main(void)
{
    u32 st, v, st2;
    reset();
    __asm__ volatile("ldrex %1, [%2]\n\t"
                     "strex %0, %3, [%2]\n\t"
                     : "=&r"(st), "=&r"(v)
                     : "r"(&mem), "r"(0xaabbccddu)
                     : "memory");
    SHOW("ldrex/strex", st, v);
    reset();
    __asm__ volatile("ldrex %1, [%2]\n\t"
                     "clrex\n\t"
                     "strex %0, %3, [%2]\n\t"
                     : "=&r"(st), "=&r"(v)
                     : "r"(&mem), "r"(0xaabbccddu)
                     : "memory");
    SHOW("clrex then strex", st, v);
    reset();
    __asm__ volatile("ldrex %1, [%3]\n\t"
                     "strex %0, %4, [%3]\n\t"
                     "strex %2, %5, [%3]\n\t"
                     : "=&r"(st), "=&r"(v), "=&r"(st2)
                     : "r"(&mem), "r"(0x01010101u), "r"(0x02020202u)
                     : "memory");
    P("second strex: first=%u ", st);
    SHOW("second", st2, v);
    reset();
    __asm__ volatile("ldrexb %1, [%2]\n\t"
                     "strexb %0, %3, [%2]\n\t"
                     : "=&r"(st), "=&r"(v)
                     : "r"((u8 *)&mem + 3), "r"(0xeeu)
                     : "memory");
    SHOW("ldrexb/strexb +3", st, v);
    reset();
    __asm__ volatile("ldrexh %1, [%2]\n\t"
                     "strexh %0, %3, [%2]\n\t"
                     : "=&r"(st), "=&r"(v)
                     : "r"((u8 *)&mem + 6), "r"(0x1234fedcu)
                     : "memory");
    SHOW("ldrexh/strexh +6", st, v);
    reset();
    {
        register u32 lo __asm__("r4");
        register u32 hi __asm__("r5");
        register u32 nlo __asm__("r6") = 0xcafef00d;
        register u32 nhi __asm__("r7") = 0xdeadbeef;
        __asm__ volatile("ldrexd %1, %2, [%3]\n\t"
                         "strexd %0, %4, %5, [%3]\n\t"
                         : "=&r"(st), "=&r"(lo), "=&r"(hi)
                         : "r"(&mem), "r"(nlo), "r"(nhi)
                         : "memory");
        P("ldrexd hi=%08x ", hi);
        SHOW("ldrexd/strexd", st, lo);
        reset();
        __asm__ volatile("ldrexd %1, %2, [%3]\n\t"
                         "clrex\n\t"
                         "strexd %0, %4, %5, [%3]\n\t"
                         : "=&r"(st), "=&r"(lo), "=&r"(hi)
                         : "r"(&mem), "r"(nlo), "r"(nhi)
                         : "memory");
        SHOW("ldrexd clrex strexd", st, lo);
    }
    reset();
    __asm__ volatile("clrex\n\t"
                     "strexh %0, %1, [%2]\n\t"
                     : "=&r"(st)
                     : "r"(0xffffu), "r"(&mem)
                     : "memory");
    SHOW("strexh without ldrex", st, 0u);

    /* Atomic increment loop as compilers emit it. */
    u32 counter = 0;
    for (int i = 0; i < 1000; i++) {
        u32 tmp, fail;
        __asm__ volatile("1: ldrex %0, [%2]\n\t"
                         "add %0, %0, #3\n\t"
                         "strex %1, %0, [%2]\n\t"
                         "cmp %1, #0\n\t"
                         "bne 1b\n\t"
                         : "=&r"(tmp), "=&r"(fail)
                         : "r"(&counter)
                         : "memory", "cc");
    }
    P("atomic loop: %u\n", counter);
    u32 cas_old = __sync_val_compare_and_swap(&counter, 3000u, 42u);
    u32 cas_fail = __sync_val_compare_and_swap(&counter, 3000u, 7u);
    u32 fetch = __sync_fetch_and_or(&counter, 0x100u);
    P("cas: old=%u failed-old=%u fetch_or-old=%u now=%u\n", cas_old, cas_fail, fetch, counter);
    return 0;
}
