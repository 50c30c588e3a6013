/*
 * Mimic M-profile conformance runtime: output, exception dispatch and fault
 * reporting.
 */
#include "rt.h"

#ifdef __ARM_FP
/* The runtime never touches the FPU, so that the programs decide when
 * CONTROL.FPCA is set and when lazy state preservation happens. */
#pragma GCC target("general-regs-only")
#endif

rt_hook_fn rt_hooks[RT_NVEC];
volatile u32 rt_mark;
volatile u32 rt_resume;
volatile u32 rt_exc_count;
volatile int rt_quiet;
u32 rt_boot[5];

/* ---- semihosting output: a line buffer sent with SYS_WRITE0 ---- */

/* QEMU 7.2 does not accept semihosting calls from unprivileged code (without
 * -semihosting-config userspace=on the BKPT is a debug event), so in
 * unprivileged Thread mode the runtime asks for the call with SVC #0xfe at
 * rt_semi_svc and rt_exception makes it. */
static __attribute__((noinline, noclone)) u32 rt_semi(u32 op, const void *arg)
{
    if ((MRS(control) & 1) && MRS(ipsr) == 0) {
        register u32 r0 __asm__("r0") = op;
        register const void *r1 __asm__("r1") = arg;
        __asm__ volatile(".global rt_semi_svc\nrt_semi_svc:\n\tsvc #0xfe" : "+r"(r0) : "r"(r1) : "memory");
        return r0;
    }
    return semi(op, arg);
}

static char outbuf[200];
static int outlen;

void rt_flush(void)
{
    if (outlen == 0)
        return;
    outbuf[outlen] = 0;
    rt_semi(SYS_WRITE0, outbuf);
    outlen = 0;
}

void rt_putc(int c)
{
    outbuf[outlen++] = (char)c;
    if (c == '\n' || outlen == (int)sizeof(outbuf) - 1)
        rt_flush();
}

void rt_puts(const char *s)
{
    while (*s)
        rt_putc(*s++);
}

void rt_writec(int c)
{
    char ch = (char)c;
    rt_flush();
    rt_semi(SYS_WRITEC, &ch);
}

typedef void (*putc_fn)(int);

static void put_num(putc_fn out, u64 v, int base, int width, int zero, int neg)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % (unsigned)base];
        v /= (unsigned)base;
    } while (v);
    if (neg)
        width--;
    if (neg && zero)
        out('-');
    while (width-- > n)
        out(zero ? '0' : ' ');
    if (neg && !zero)
        out('-');
    while (n)
        out(tmp[--n]);
}

/* %[-][0][width][ll](d|u|x|c|s|%) */
static void vprintf_to(putc_fn out, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out(*fmt);
            continue;
        }
        fmt++;
        int zero = 0, width = 0, lng = 0, left = 0;
        if (*fmt == '-') {
            left = 1;
            fmt++;
        }
        if (*fmt == '0') {
            zero = 1;
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            lng++;
            fmt++;
        }
        switch (*fmt) {
        case 'd': {
            s64 v = lng >= 2 ? va_arg(ap, s64) : (s64)va_arg(ap, s32);
            put_num(out, v < 0 ? -(u64)v : (u64)v, 10, width, zero, v < 0);
            break;
        }
        case 'u':
        case 'x': {
            u64 v = lng >= 2 ? va_arg(ap, u64) : (u64)va_arg(ap, u32);
            put_num(out, v, *fmt == 'u' ? 10 : 16, width, zero, 0);
            break;
        }
        case 'c':
            out(va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int n = (int)strlen(s);
            if (!left)
                while (width-- > n)
                    out(' ');
            while (*s)
                out(*s++);
            if (left)
                while (width-- > n)
                    out(' ');
            break;
        }
        default:
            out(*fmt);
            break;
        }
    }
}

void rt_vprintf(const char *fmt, va_list ap)
{
    vprintf_to(rt_putc, fmt, ap);
}

void rt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf_to(rt_putc, fmt, ap);
    va_end(ap);
}

void rt_praddr(u32 a)
{
    u32 m = rt_mark;
    if (m != 0 && a - m < 0x10000)
        rt_printf("M+0x%x", a - m);
    else
        rt_printf("%08x", a);
}

/* ---- UART0 ---- */

#ifdef BOARD_MPS2
/* CMSDK APB UART: DATA 0x00, STATE 0x04 (bit 0 TX full), CTRL 0x08 (bit 0 TX
 * enable), BAUDDIV 0x10. */
#define UART0 0x40004000u
void rt_uart_init(void)
{
    REG(UART0 + 0x10) = 16;
    REG(UART0 + 0x08) = 1;
}
void rt_uart_putc(int c)
{
    while (REG(UART0 + 0x04) & 1)
        ;
    REG(UART0) = (u32)c & 0xff;
}
#else
/* Stellaris UART0, a PL011: DR 0x00, FR 0x18 (bit 5 TXFF), CTL 0x30 (UARTEN
 * bit 0, TXE bit 8). */
#define UART0 0x4000c000u
void rt_uart_init(void)
{
    REG(UART0 + 0x30) = (1u << 8) | 1u;
}
void rt_uart_putc(int c)
{
    while (REG(UART0 + 0x18) & (1u << 5))
        ;
    REG(UART0) = (u32)c & 0xff;
}
#endif

void rt_uart_puts(const char *s)
{
    while (*s)
        rt_uart_putc(*s++);
}

void rt_uart_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf_to(rt_uart_putc, fmt, ap);
    va_end(ap);
}

void rt_exit(int code)
{
    rt_flush();
    if (code == 0) {
        rt_semi(SYS_EXIT, (const void *)ADP_Stopped_ApplicationExit);
    } else {
        u32 blk[2] = {ADP_Stopped_ApplicationExit, (u32)code};
        rt_semi(SYS_EXIT_EXTENDED, blk);
    }
    for (;;)
        ;
}

void rt_main(void)
{
    rt_exit(main());
}

/* ---- exceptions ---- */

const char *rt_exc_name(u32 exc)
{
    static const char *const names[16] = {
        "Thread", "Reset", "NMI", "HardFault", "MemManage", "BusFault", "UsageFault", "Rsvd7",
        "Rsvd8", "Rsvd9", "Rsvd10", "SVCall", "DebugMon", "Rsvd13", "PendSV", "SysTick"};
    return exc < 16 ? names[exc] : "IRQ";
}

int rt_insn_size(u32 addr)
{
    u32 hw = *(volatile u16 *)addr;
    return (hw >> 11) >= 0x1d ? 4 : 2;
}

void rt_fault_status(void)
{
    u32 cfsr = REG(CFSR), hfsr = REG(HFSR);
    rt_printf(" cfsr=%08x hfsr=%08x", cfsr, hfsr);
    if (cfsr & (1u << 7))
        rt_printf(" mmfar=%08x", REG(MMFAR));
    if (cfsr & (1u << 15))
        rt_printf(" bfar=%08x", REG(BFAR));
    REG(CFSR) = cfsr;
    REG(HFSR) = hfsr;
}

u32 rt_exception(u32 exc, u32 *frame, u32 exc_return)
{
    if (++rt_exc_count > 200) {
        rt_printf("\nFATAL: exception storm (exc %u pc=%08x)\n", exc, frame[F_PC]);
        rt_exit(98);
    }
    /* The SVC in rt_call_unpriv: privileged Thread mode again. */
    if (exc == EXC_SVCALL && frame[F_PC] - 2 == (LABEL_ADDR(rt_unpriv_svc) & ~1u)) {
        MSR(control, MRS(control) & ~1u);
        return exc_return;
    }
    if (exc == EXC_SVCALL && frame[F_PC] - 2 == (LABEL_ADDR(rt_semi_svc) & ~1u)) {
        frame[F_R0] = semi(frame[F_R0], (const void *)frame[F_R1]);
        return exc_return;
    }
    if (exc < RT_NVEC && rt_hooks[exc])
        return rt_hooks[exc](exc, frame, exc_return);

    if (!rt_quiet) {
        if (exc >= EXC_IRQ0)
            rt_printf("EXC IRQ%u", exc - EXC_IRQ0);
        else
            rt_printf("EXC %s", rt_exc_name(exc));
        rt_printf(" pc=");
        rt_praddr(frame[F_PC]);
        rt_printf(" xpsr=%08x excret=%08x", frame[F_XPSR], exc_return);
    }
    switch (exc) {
    case EXC_HARDFAULT:
    case EXC_MEMMANAGE:
    case EXC_BUSFAULT:
    case EXC_USAGEFAULT:
        if (!rt_quiet)
            rt_fault_status();
        else {
            REG(CFSR) = REG(CFSR);
            REG(HFSR) = REG(HFSR);
        }
        if (rt_resume) {
            frame[F_PC] = rt_resume;
            rt_resume = 0;
        } else if (!(frame[F_XPSR] & (1u << 24))) {
            rt_printf("\nFATAL: no resume address\n");
            rt_exit(97);
        } else {
            frame[F_PC] += rt_insn_size(frame[F_PC]);
        }
        /* Thumb state, no IT block, keep the flags and the exception number. */
        frame[F_XPSR] = (frame[F_XPSR] & ~0x0600fc00u) | (1u << 24);
        break;
    case EXC_SVCALL:
        if (!rt_quiet)
            rt_printf(" imm=%u", *(volatile u16 *)(frame[F_PC] - 2) & 0xff);
        break;
    default:
        break;
    }
    if (!rt_quiet)
        rt_printf("\n");
    return exc_return;
}

/* ---- freestanding libc ---- */

void *memcpy(void *d, const void *s, size_t n)
{
    u8 *dp = d;
    const u8 *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memset(void *d, int c, size_t n)
{
    u8 *dp = d;
    while (n--)
        *dp++ = (u8)c;
    return d;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* Called from assembly programs (asm.h SHOW): "tag = value NZCVQ". */
void rt_show(const char *tag, u32 v, u32 apsr)
{
    rt_printf("%-16s = %08x %c%c%c%c%c\n", tag, v, apsr >> 31 & 1 ? 'N' : '-', apsr >> 30 & 1 ? 'Z' : '-',
              apsr >> 29 & 1 ? 'C' : '-', apsr >> 28 & 1 ? 'V' : '-', apsr >> 27 & 1 ? 'Q' : '-');
}
