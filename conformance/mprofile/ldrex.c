/* ldrex: exclusive access. LDREX/STREX (word, byte, halfword) succeed when
 * nothing intervenes; STREX without a preceding LDREX fails (1); CLREX makes
 * the next STREX fail; a second LDREX to another address moves the monitor;
 * an exception between LDREX and STREX clears the monitor (exception entry
 * and return clear the local monitor in ARMv7-M), so STREX fails; an
 * atomic-increment loop and a compare-and-swap built from them. (Whether a
 * plain store to the marked address clears the monitor is IMPLEMENTATION
 * DEFINED, so it is not tested.) */
#include "rt.h"

static volatile u32 word ALIGNED(8);
static volatile u32 other;
static volatile u16 half;
static volatile u8 byte;

static NOINLINE u32 ldrex(volatile u32 *p) { u32 v; __asm__ volatile("ldrex %0, [%1]" : "=r"(v) : "r"(p) : "memory"); return v; }
static NOINLINE u32 strex(volatile u32 *p, u32 v) { u32 r; __asm__ volatile("strex %0, %2, [%1]" : "=&r"(r) : "r"(p), "r"(v) : "memory"); return r; }

int main(void)
{
    u32 v, r;
    word = 5;
    v = ldrex(&word);
    r = strex(&word, v + 1);
    P("ldrex/strex: read %u, strex=%u, word=%u\n", v, r, word);
    r = strex(&word, 100);
    P("strex again without ldrex: %u, word=%u\n", r, word);

    v = ldrex(&word);
    __asm__ volatile("clrex" ::: "memory");
    r = strex(&word, 200);
    P("after clrex: strex=%u word=%u\n", r, word);

    v = ldrex(&word);
    (void)ldrex(&other);
    r = strex(&word, 300);
    P("ldrex word, ldrex other, strex word: %u word=%u\n", r, word);

    v = ldrex(&word);
    rt_quiet = 1;
    __asm__ volatile("svc #0" ::: "memory");
    rt_quiet = 0;
    r = strex(&word, 400);
    P("exception between: strex=%u word=%u\n", r, word);


    u32 b, h;
    __asm__ volatile("ldrexb %0, [%2]\n\tadds %0, #1\n\tstrexb %1, %0, [%2]" : "=&r"(v), "=&r"(r) : "r"(&byte) : "memory", "cc");
    __asm__ volatile("ldrexh %0, [%2]\n\tadds %0, #2\n\tstrexh %1, %0, [%2]" : "=&r"(h), "=&r"(b) : "r"(&half) : "memory", "cc");
    P("byte: strexb=%u byte=%u; half: strexh=%u half=%u\n", r, byte, b, half);

    word = 0;
    for (int i = 0; i < 1000; i++) {
        do
            v = ldrex(&word);
        while (strex(&word, v + 3));
    }
    P("atomic add loop: %u\n", word);
    u32 old = __sync_val_compare_and_swap(&word, 3000u, 42u);
    u32 old2 = __sync_val_compare_and_swap(&word, 3000u, 43u);
    P("cas: old=%u then old=%u, word=%u\n", old, old2, word);
    P("fetch_and_add: %u -> %u\n", __sync_fetch_and_add(&word, 10u), word);
    return 0;
}
