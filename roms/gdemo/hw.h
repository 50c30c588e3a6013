/*
 * Hardware of the QEMU-compatible "virt" board that the graphical demo uses
 * directly: GICv2, the generic timer (CP15), semihosting.
 * The MMU stays off, so every address is physical and every access is
 * strongly ordered; barriers are still written where the virtio spec
 * asks for them.
 */
#ifndef GDEMO_HW_H
#define GDEMO_HW_H

#include "rom.h"

typedef int8_t s8;
typedef int16_t s16;

#include "uart.h" /* ../lib: the PL011 console */

#define REG32(a) (*(volatile u32 *)(a))
#define REG8(a) (*(volatile u8 *)(a))

static inline void mb(void) { __asm__ volatile("dmb" ::: "memory"); }


/* GICv2 distributor and CPU interface (ARM IHI 0048B). */
#define GICD_BASE 0x08000000u
#define GICC_BASE 0x08010000u
#define GICD_CTLR REG32(GICD_BASE + 0x000)
#define GICD_ISENABLER0 REG32(GICD_BASE + 0x100)
#define GICD_IPRIORITYR(n) REG32(GICD_BASE + 0x400 + 4 * (n))
#define GICC_CTLR REG32(GICC_BASE + 0x00)
#define GICC_PMR REG32(GICC_BASE + 0x04)
#define GICC_IAR REG32(GICC_BASE + 0x0c)
#define GICC_EOIR REG32(GICC_BASE + 0x10)
#define PPI_VTIMER 27 /* virtual timer: PPI 11 */

/* Generic timer (ARM ARM B4.1.21..., CP15 c14). */
static inline u64 cntvct(void)
{
    u32 lo, hi;
    __asm__ volatile("isb; mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return (u64)hi << 32 | lo;
}

static inline u32 cntfrq(void)
{
    u32 v;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
    return v;
}

static inline void cntv_cval(u64 v)
{
    __asm__ volatile("mcrr p15, 3, %0, %1, c14" ::"r"((u32)v), "r"((u32)(v >> 32)));
}

static inline void cntv_ctl(u32 v)
{
    __asm__ volatile("mcr p15, 0, %0, c14, c3, 1; isb" ::"r"(v));
}

static inline void wfi(void) { __asm__ volatile("dsb; wfi" ::: "memory"); }

/* Semihosting calls (ARM DUI 0471). */
#define SYS_WRITE0 0x04
#define SYS_GET_CMDLINE 0x15


#endif
