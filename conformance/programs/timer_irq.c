/* timer_irq: interrupts through the GICv2 on QEMU's virt board. Enables the
 * distributor and CPU interface, then takes IRQs from the EL1 physical timer
 * (PPI 30) and the virtual timer (PPI 27) with WFI waiting for them, shows
 * that WFI also wakes with CPSR.I set (the IRQ is taken once unmasked), sends
 * software-generated interrupts through GICD_SGIR, and checks pending/active
 * bits and the running priority. Only interrupt ids, counts and register
 * state are printed, never times. */
#include "rt.h"

#define GICD 0x08000000u
#define GICC 0x08010000u
#define REG(a) (*(volatile u32 *)(a))

static volatile u32 irq_count, last_iar, seen[8];

static void cntp_ctl(u32 v) { __asm__ volatile("mcr p15, 0, %0, c14, c2, 1\n\tisb" ::"r"(v)); }
static void cntp_tval(u32 v) { __asm__ volatile("mcr p15, 0, %0, c14, c2, 0\n\tisb" ::"r"(v)); }
static u32 cntp_ctl_rd(void) { u32 v; __asm__ volatile("mrc p15, 0, %0, c14, c2, 1" : "=r"(v)); return v; }
static void cntv_ctl(u32 v) { __asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" ::"r"(v)); }
static void cntv_tval(u32 v) { __asm__ volatile("mcr p15, 0, %0, c14, c3, 0\n\tisb" ::"r"(v)); }

static int irq_hook(int kind, struct rt_frame *f)
{
    (void)kind;
    u32 iar = REG(GICC + 0x0c);
    u32 id = iar & 0x3ff;
    u32 rpr = REG(GICC + 0x14);
    if (id == 30)
        cntp_ctl(2); /* mask: the level stays asserted until handled */
    if (id == 27)
        cntv_ctl(2);
    if (irq_count < 8)
        seen[irq_count] = iar | (rpr << 16);
    irq_count++;
    last_iar = iar;
    REG(GICC + 0x10) = iar; /* EOI */
    f->lr -= 4;
    return 1;
}

/* Wait with IRQs masked around the check, so an IRQ that arrives between
 * the check and WFI cannot be lost (WFI wakes on a pending IRQ even when
 * CPSR.I is set; it is then taken in the unmasked window). */
static void wait_irqs(u32 n)
{
    __asm__ volatile("cpsid i" ::: "memory");
    while (irq_count < n)
        __asm__ volatile("wfi\n\tcpsie i\n\tisb\n\tcpsid i" ::: "memory");
    __asm__ volatile("cpsie i" ::: "memory");
}

int main(void)
{
    P("GICD_TYPER=%08x GICD_IIDR=%08x GICC_IIDR=%08x\n", REG(GICD + 0x4), REG(GICD + 0x8),
      REG(GICC + 0xfc));
    REG(GICD + 0x000) = 1;                /* GICD_CTLR: enable */
    REG(GICD + 0x100) = (1u << 30) | (1u << 27) | 0xffff; /* ISENABLER0: SGIs, PPI 27, 30 */
    for (int i = 0; i < 32; i += 4)
        REG(GICD + 0x400 + i) = 0x80808080; /* priorities */
    REG(GICD + 0x400 + 28) = 0x40a08080;    /* id 30 -> 0xa0, id 31 -> 0x40 */
    REG(GICC + 0x004) = 0xf0;               /* PMR */
    REG(GICC + 0x000) = 1;                  /* GICC_CTLR: enable */
    P("ISENABLER0=%08x PMR=%02x CTLR=%x\n", REG(GICD + 0x100), REG(GICC + 0x4), REG(GICC + 0x0));
    rt_hooks[EXC_IRQ] = irq_hook;

    /* Physical timer, IRQs unmasked, WFI until it fires. */
    cntp_tval(62500); /* 1 ms at 62.5 MHz */
    cntp_ctl(1);
    __asm__ volatile("cpsie i");
    wait_irqs(1);
    P("phys timer: count=%u iar=%x ctl=%x\n", irq_count, last_iar, cntp_ctl_rd());

    /* Three more, re-armed each time. */
    for (int i = 0; i < 3; i++) {
        u32 n = irq_count + 1;
        cntp_tval(20000);
        cntp_ctl(1);
        wait_irqs(n);
    }
    P("phys timer x3: count=%u\n", irq_count);

    /* WFI with CPSR.I set still wakes; the IRQ is taken after CPSIE. */
    __asm__ volatile("cpsid i");
    cntp_tval(30000);
    cntp_ctl(1);
    u32 before = irq_count;
    while (!(cntp_ctl_rd() & 4))
        __asm__ volatile("wfi" ::: "memory");
    P("masked wfi woke: istatus=%u taken-while-masked=%u pending=%u\n", (cntp_ctl_rd() >> 2) & 1,
      irq_count - before, (REG(GICD + 0x200) >> 30) & 1);
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
    __asm__ volatile("nop\n\tnop" ::: "memory");
    P("after cpsie: taken=%u\n", irq_count - before);

    /* Virtual timer. */
    u32 n = irq_count + 1;
    cntv_tval(10000);
    cntv_ctl(1);
    wait_irqs(n);
    P("virt timer: iar=%x\n", last_iar);

    /* SGIs 3 and 9 to this CPU (target list filter 0b10 = self). */
    u32 want = irq_count + 1;
    REG(GICD + 0xf00) = (2u << 24) | 3;
    wait_irqs(want);
    P("sgi: iar=%x\n", last_iar);
    want = irq_count + 1;
    REG(GICD + 0xf00) = (2u << 24) | 9;
    wait_irqs(want);
    P("sgi: iar=%x\n", last_iar);

    __asm__ volatile("cpsid i");
    cntp_ctl(0);
    cntv_ctl(0);
    P("first irqs (iar | rpr<<16):");
    for (int i = 0; i < 8; i++)
        P(" %x", seen[i]);
    P("\nGICC_RPR idle=%x HPPIR=%x total=%u\n", REG(GICC + 0x14), REG(GICC + 0x18), irq_count);
    return 0;
}
