/* vtor: the vector table offset register. VTOR's writable bits (written
 * with all ones), a copy of the vector table in RAM (aligned to 512 bytes)
 * with its own SVCall, PendSV and IRQ handlers: the exceptions go through
 * the new table; changing an entry takes effect for the next exception; and
 * back to the table at 0. */
#include "rt.h"

static u32 table[128] ALIGNED(512);
static volatile u32 hits;

static void my_svc(void) { hits |= 1; }
static void my_pendsv(void) { hits |= 2; }
static void my_irq7(void) { hits |= 4; }
static void my_irq7_b(void) { hits |= 8; }

int main(void)
{
    u32 old = REG(VTOR);
    REG(VTOR) = 0xffffffff;
    P("VTOR <- ffffffff: %08x\n", REG(VTOR));
    REG(VTOR) = old;
    for (int i = 0; i < 80; i++)
        table[i] = rt_vectors[i];
    table[EXC_SVCALL] = (u32)my_svc;
    table[EXC_PENDSV] = (u32)my_pendsv;
    table[EXC_IRQ0 + 7] = (u32)my_irq7;
    REG(VTOR) = (u32)table;
    dsb_isb();
    P("VTOR=%s\n", REG(VTOR) == (u32)table ? "table" : "?");
    __asm__ volatile("svc #0" ::: "memory");
    pend_pendsv();
    nvic_enable(7);
    nvic_pend(7);
    P("hits=%x\n", hits);
    table[EXC_IRQ0 + 7] = (u32)my_irq7_b;
    dsb_isb();
    nvic_pend(7);
    P("after changing the IRQ7 entry: hits=%x\n", hits);
    REG(VTOR) = 0;
    dsb_isb();
    hits = 0;
    rt_quiet = 1;
    nvic_pend(7);
    __asm__ volatile("svc #0" ::: "memory");
    rt_quiet = 0;
    P("VTOR=0 again: hits=%x, default handler runs=%u\n", hits, rt_exc_count);
    return 0;
}
