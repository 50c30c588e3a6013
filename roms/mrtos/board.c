/* mrtos board support: UART 0 of each board, a small printf, and the
 * semihosting exit. */
#include <stdarg.h>
#include "kernel.h"

const char board_name[] = BOARD_NAME;

#if defined(BOARD_MPS2)
/* CMSDK APB UART 0 (mps2-an385, mps2-an386). */
#define UART 0x40004000u
#define UART_DATA (UART + 0x00)
#define UART_STATE (UART + 0x04) /* bit 0: TX buffer full */
#define UART_CTRL (UART + 0x08)  /* bit 0: TX enable */
#define UART_BAUDDIV (UART + 0x10)

void board_init(void)
{
    REG(UART_BAUDDIV) = 16; /* the smallest valid divider, before enabling */
    REG(UART_CTRL) = 1;
}

void board_putc(int c)
{
    while (REG(UART_STATE) & 1)
        ;
    REG(UART_DATA) = (u32)c & 0xff;
}
#elif defined(BOARD_LM3S)
/* Stellaris UART 0, a PL011 (lm3s6965evb). */
#define UART 0x4000c000u
#define UARTDR (UART + 0x00)
#define UARTFR (UART + 0x18) /* bit 5: TXFF */
#define UARTCR (UART + 0x30)

void board_init(void) { REG(UARTCR) = 0x301; /* UARTEN, TXE, RXE */ }

void board_putc(int c)
{
    while (REG(UARTFR) & (1u << 5))
        ;
    REG(UARTDR) = (u32)c & 0xff;
}
#else
#error "define BOARD_MPS2 or BOARD_LM3S"
#endif

struct out {
    char *p, *end;
};

static void put(struct out *o, char c)
{
    if (o->p < o->end)
        *o->p++ = c;
}

static void put_num(struct out *o, u32 v, int base, int neg, int width, char pad)
{
    char tmp[12];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        tmp[n++] = '-';
    while (width-- > n)
        put(o, pad);
    while (n)
        put(o, tmp[--n]);
}

/* The format subset: %[0][width]{d,u,x,s,c,%}. */
static void format(struct out *o, const char *f, va_list ap)
{
    for (; *f; f++) {
        if (*f != '%') {
            put(o, *f);
            continue;
        }
        char pad = ' ';
        int width = 0;
        if (*++f == '0')
            pad = '0', f++;
        while (*f >= '0' && *f <= '9')
            width = width * 10 + *f++ - '0';
        switch (*f) {
        case 'd': {
            i32 v = va_arg(ap, i32);
            put_num(o, v < 0 ? -(u32)v : (u32)v, 10, v < 0, width, pad);
            break;
        }
        case 'u': put_num(o, va_arg(ap, u32), 10, 0, width, pad); break;
        case 'x': put_num(o, va_arg(ap, u32), 16, 0, width, pad); break;
        case 'c': put(o, (char)va_arg(ap, int)); break;
        case 's':
            for (const char *s = va_arg(ap, const char *); *s; s++)
                put(o, *s);
            break;
        default: put(o, *f); break;
        }
    }
}

/* os_printf formats into a buffer, then writes it with interrupts masked
 * so that lines from different tasks never interleave. */
void os_printf(const char *fmt, ...)
{
    char buf[160];
    struct out o = {buf, buf + sizeof buf};
    va_list ap;
    va_start(ap, fmt);
    format(&o, fmt, ap);
    va_end(ap);
    u32 s;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(s)::"memory");
    for (char *p = buf; p < o.p; p++)
        board_putc(*p);
    __asm__ volatile("msr primask, %0\n\tisb" ::"r"(s) : "memory");
}

/* Semihosting SYS_EXIT: status 0 is ADP_Stopped_ApplicationExit; any
 * other status ADP_Stopped_RunTimeErrorUnknown (QEMU exits with 1). */
void os_exit(int status)
{
    register u32 r0 __asm__("r0") = 0x18;
    register u32 r1 __asm__("r1") = status == 0 ? 0x20026 : 0x20023;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    for (;;)
        ;
}
