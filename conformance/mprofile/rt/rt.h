/*
 * Mimic M-profile conformance runtime: semihosting and UART output, a small
 * printf, System Control Space register names, special-register access and
 * exception hooks. Shared by every program in conformance/mprofile.
 *
 * The board is given by -DBOARD_AN385, -DBOARD_AN386 or -DBOARD_LM3S
 * (Makefile); BOARD_NAME is its QEMU machine name.
 */
#ifndef RT_H
#define RT_H

#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#if defined(BOARD_AN385)
#define BOARD_NAME "mps2-an385"
#elif defined(BOARD_AN386)
#define BOARD_NAME "mps2-an386"
#elif defined(BOARD_LM3S)
#define BOARD_NAME "lm3s6965evb"
#else
#error "no board: -DBOARD_AN385, -DBOARD_AN386 or -DBOARD_LM3S"
#endif
#if defined(BOARD_AN385) || defined(BOARD_AN386)
#define BOARD_MPS2 1
#endif

#define NOINLINE __attribute__((noinline))
#define ALIGNED(n) __attribute__((aligned(n)))
#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define REG(a) (*(volatile u32 *)(a))
#define REG16(a) (*(volatile u16 *)(a))
#define REG8(a) (*(volatile u8 *)(a))

/* ---- semihosting (BKPT 0xAB on M profile) ---- */
#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define SYS_EXIT_EXTENDED 0x20
#define ADP_Stopped_ApplicationExit 0x20026

static inline u32 semi(u32 op, const void *arg)
{
    register u32 r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

/* ---- output ---- */
/* rt_putc/rt_puts/rt_printf buffer a line and send it with SYS_WRITE0. */
void rt_putc(int c);
void rt_puts(const char *s);
void rt_flush(void);
void rt_printf(const char *fmt, ...);
void rt_vprintf(const char *fmt, va_list ap);
void rt_praddr(u32 a);  /* "M+0x.." relative to rt_mark, else %08x */
#define P rt_printf
/* Direct output of one character with SYS_WRITEC (flushes the line first). */
void rt_writec(int c);
/* Output through the board's UART0 (CMSDK APB UART on mps2, PL011 on the
 * lm3s6965evb); rt_uart_init enables the transmitter. */
void rt_uart_init(void);
void rt_uart_putc(int c);
void rt_uart_puts(const char *s);
void rt_uart_printf(const char *fmt, ...);

void rt_exit(int code) __attribute__((noreturn));
/* "tag = value NZCVQ" (for asm.h SHOW). */
void rt_show(const char *tag, u32 v, u32 apsr);

/* ---- System Control Space ---- */
#define ICTR 0xe000e004u
#define ACTLR 0xe000e008u
#define SYST_CSR 0xe000e010u
#define SYST_RVR 0xe000e014u
#define SYST_CVR 0xe000e018u
#define SYST_CALIB 0xe000e01cu
#define NVIC_ISER(n) (0xe000e100u + 4 * (n))
#define NVIC_ICER(n) (0xe000e180u + 4 * (n))
#define NVIC_ISPR(n) (0xe000e200u + 4 * (n))
#define NVIC_ICPR(n) (0xe000e280u + 4 * (n))
#define NVIC_IABR(n) (0xe000e300u + 4 * (n))
#define NVIC_IPR(n) (0xe000e400u + (n)) /* byte n = IRQ n */
#define CPUID 0xe000ed00u
#define ICSR 0xe000ed04u
#define VTOR 0xe000ed08u
#define AIRCR 0xe000ed0cu
#define SCR 0xe000ed10u
#define CCR 0xe000ed14u
#define SHPR(n) (0xe000ed14u + (n)) /* byte n = exception n (4..15) */
#define SHCSR 0xe000ed24u
#define CFSR 0xe000ed28u
#define HFSR 0xe000ed2cu
#define DFSR 0xe000ed30u
#define MMFAR 0xe000ed34u
#define BFAR 0xe000ed38u
#define AFSR 0xe000ed3cu
#define ID_PFR0 0xe000ed40u
#define CPACR 0xe000ed88u
#define MPU_TYPE 0xe000ed90u
#define MPU_CTRL 0xe000ed94u
#define MPU_RNR 0xe000ed98u
#define MPU_RBAR 0xe000ed9cu
#define MPU_RASR 0xe000eda0u
#define STIR 0xe000ef00u
#define FPCCR 0xe000ef34u
#define FPCAR 0xe000ef38u
#define FPDSCR 0xe000ef3cu
#define MVFR0 0xe000ef40u
#define MVFR1 0xe000ef44u

#define AIRCR_KEY 0x05fa0000u
#define CCR_UNALIGN_TRP (1u << 3)
#define CCR_DIV_0_TRP (1u << 4)
#define CCR_STKALIGN (1u << 9)
#define SHCSR_MEMFAULTENA (1u << 16)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_USGFAULTENA (1u << 18)
#define ICSR_PENDSVSET (1u << 28)
#define ICSR_PENDSTSET (1u << 26)
#define ICSR_NMIPENDSET (1u << 31)

/* Exception numbers. */
enum {
    EXC_NMI = 2, EXC_HARDFAULT, EXC_MEMMANAGE, EXC_BUSFAULT, EXC_USAGEFAULT,
    EXC_SVCALL = 11, EXC_DEBUGMON, EXC_PENDSV = 14, EXC_SYSTICK, EXC_IRQ0
};
#define RT_NVEC (16 + 64)
const char *rt_exc_name(u32 exc);

/* ---- special registers ---- */
#define MRS(reg) ({ u32 _v; __asm__ volatile("mrs %0, " #reg : "=r"(_v) :: "memory"); _v; })
#define MSR(reg, v) __asm__ volatile("msr " #reg ", %0\n\tisb" :: "r"((u32)(v)) : "memory", "cc")
static inline void dsb_isb(void) { __asm__ volatile("dsb\n\tisb" ::: "memory"); }

/* ---- exceptions ---- */
/* The stacked frame: r0-r3, r12, lr, return address, xPSR (then, for an FP
 * frame, s0-s15, FPSCR and a reserved word). */
enum { F_R0, F_R1, F_R2, F_R3, F_R12, F_LR, F_PC, F_XPSR };

/* A hook sees the exception number, the stacked frame and EXC_RETURN, and
 * returns the EXC_RETURN to use. Hooks run inside rt_default_handler, i.e.
 * only for vectors the program does not override. */
typedef u32 (*rt_hook_fn)(u32 exc, u32 *frame, u32 exc_return);
extern rt_hook_fn rt_hooks[RT_NVEC];
extern volatile u32 rt_mark;    /* reference for printed addresses */
extern volatile u32 rt_resume;  /* where a fault handler resumes (else: skip the insn) */
extern volatile u32 rt_exc_count;
extern volatile int rt_quiet;   /* nonzero: the default handler prints nothing */
/* State at reset: CONTROL, xPSR, SP, PRIMASK, CPACR (M4 only). */
extern u32 rt_boot[5];
extern u32 rt_vectors[];

u32 rt_exception(u32 exc, u32 *frame, u32 exc_return);
/* Print CFSR/HFSR (and MMFAR/BFAR when valid) and clear them. */
void rt_fault_status(void);
/* Size of the Thumb instruction at addr (2 or 4). */
int rt_insn_size(u32 addr);
/* Run fn in unprivileged Thread mode (CONTROL.nPRIV) and come back. */
void rt_call_unpriv(void (*fn)(void));

/* Address of a label defined in inline assembly. */
#define LABEL_ADDR(name) ({ extern char name[]; (u32)name; })
/* Resume after a fault at the label (Thumb bit cleared, as stacked PCs are). */
#define RESUME_AT(name) (rt_resume = LABEL_ADDR(name) & ~1u)

/* Scratch RAM outside the image, the same on every board (8 KiB). */
#define RT_SCRATCH 0x2000c000u

/* ---- NVIC and SCB helpers ---- */
static inline void nvic_enable(u32 irq) { REG(NVIC_ISER(irq / 32)) = 1u << (irq % 32); }
static inline void nvic_disable(u32 irq) { REG(NVIC_ICER(irq / 32)) = 1u << (irq % 32); }
static inline void nvic_pend(u32 irq) { REG(NVIC_ISPR(irq / 32)) = 1u << (irq % 32); dsb_isb(); }
static inline void nvic_unpend(u32 irq) { REG(NVIC_ICPR(irq / 32)) = 1u << (irq % 32); }
/* Priority of exception number exc (4..15 system handlers, 16+ IRQs). */
static inline void set_prio(u32 exc, u32 p)
{
    if (exc >= EXC_IRQ0)
        REG8(NVIC_IPR(exc - EXC_IRQ0)) = (u8)p;
    else
        REG8(SHPR(exc)) = (u8)p;
}
static inline void pend_pendsv(void) { REG(ICSR) = ICSR_PENDSVSET; dsb_isb(); }

/* ---- MPU (PMSAv7) ---- */
#define MPU_ENABLE 1u
#define MPU_HFNMIENA 2u
#define MPU_PRIVDEFENA 4u
/* RASR for a region of 2^(size_log2) bytes with access permission ap. */
#define RASR(size_log2, ap, xn) (1u | (((size_log2) - 1u) << 1) | ((u32)(ap) << 24) | ((u32)(xn) << 28))
static inline void mpu_region(u32 n, u32 base, u32 rasr)
{
    REG(MPU_RNR) = n;
    REG(MPU_RBAR) = base;
    REG(MPU_RASR) = rasr;
}
static inline void mpu_off(void)
{
    REG(MPU_CTRL) = 0;
    for (u32 n = 0; n < 8; n++) {
        REG(MPU_RNR) = n;
        REG(MPU_RASR) = 0;
    }
    dsb_isb();
}

/* ---- freestanding libc bits gcc may call ---- */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
size_t strlen(const char *s);

int main(void);

#endif
