/*
 * Mimic conformance runtime: output over semihosting, exception reporting.
 */
#include "rt.h"

rt_hook_fn rt_hooks[8];
volatile u32 rt_mark;
volatile u32 rt_resume;
volatile u32 rt_exc_count;
volatile int rt_quiet;

/* ---- output: buffered, flushed per line with SYS_WRITE0 ---- */

static char outbuf[256];
static int outlen;

void rt_flush(void)
{
    if (outlen == 0)
        return;
    outbuf[outlen] = 0;
    semi(SYS_WRITE0, outbuf);
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

static void put_num(u64 v, int base, int width, int zero, int neg, int upper)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % (unsigned)base];
        v /= (unsigned)base;
    } while (v);
    if (neg)
        width--;
    if (neg && zero)
        rt_putc('-');
    while (width-- > n)
        rt_putc(zero ? '0' : ' ');
    if (neg && !zero)
        rt_putc('-');
    while (n)
        rt_putc(tmp[--n]);
}

/* Supports %[+][-][0][width][l|ll](d|i|u|x|X|c|s|p|%). */
void rt_vprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            rt_putc(*fmt);
            continue;
        }
        fmt++;
        int zero = 0, width = 0, lng = 0, left = 0, plus = 0;
        if (*fmt == '+') {
            plus = 1;
            fmt++;
        }
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
        case 'd':
        case 'i': {
            s64 v = lng >= 2 ? va_arg(ap, s64) : (s64)va_arg(ap, s32);
            if (plus && v >= 0)
                rt_putc('+');
            put_num(v < 0 ? -(u64)v : (u64)v, 10, width, zero, v < 0, 0);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            u64 v = lng >= 2 ? va_arg(ap, u64) : (u64)va_arg(ap, u32);
            put_num(v, *fmt == 'u' ? 10 : 16, width, zero, 0, *fmt == 'X');
            break;
        }
        case 'p':
            put_num(va_arg(ap, u32), 16, 8, 1, 0, 0);
            break;
        case 'c':
            rt_putc(va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int n = (int)strlen(s);
            if (!left)
                while (width-- > n)
                    rt_putc(' ');
            rt_puts(s);
            if (left)
                while (width-- > n)
                    rt_putc(' ');
            break;
        }
        case '%':
            rt_putc('%');
            break;
        default:
            rt_putc('%');
            rt_putc(*fmt);
            break;
        }
    }
}

void rt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_vprintf(fmt, ap);
    va_end(ap);
}

void rt_hex(u32 v)
{
    put_num(v, 16, 8, 1, 0, 0);
}

void rt_flags(u32 psr)
{
    static const char names[] = "NZCVQ";
    for (int i = 0; i < 5; i++)
        rt_putc((psr >> (31 - i)) & 1 ? names[i] : names[i] + ('a' - 'A'));
    rt_printf(" ge=%u%u%u%u", (psr >> 19) & 1, (psr >> 18) & 1, (psr >> 17) & 1, (psr >> 16) & 1);
}

void rt_insn_text(const char *s, int width)
{
    int n = 0;
    for (; *s; s++) {
        if (*s == '\t')
            continue;
        if (*s == '\n') {
            rt_puts("; ");
            n += 2;
        } else {
            rt_putc(*s);
            n++;
        }
    }
    while (n++ < width)
        rt_putc(' ');
}

/* Called by the SNAP macro (asm.h): frame = {apsr, pad, r0..r12, lr}. */
void rt_snap(const char *tag, const u32 *frame)
{
    rt_printf("%s:", tag);
    for (int i = 0; i < 13; i++)
        rt_printf(" %08x", frame[2 + i]);
    rt_putc(' ');
    rt_flags(frame[0]);
    rt_putc('\n');
}

void rt_praddr(u32 a)
{
    u32 m = rt_mark;
    if (m != 0 && a - m < 0x10000)
        rt_printf("M+0x%x", a - m);
    else
        rt_printf("%08x", a);
}

void rt_exit(int code)
{
    rt_flush();
    if (code == 0) {
        semi(SYS_EXIT, (const void *)ADP_Stopped_ApplicationExit);
    } else {
        u32 blk[2] = {ADP_Stopped_ApplicationExit, (u32)code};
        semi(SYS_EXIT_EXTENDED, blk);
    }
    for (;;)
        ;
}

/* ---- exceptions ---- */

const char *rt_exc_name(int kind)
{
    static const char *const names[8] = {"RESET", "UND", "SVC", "PABT", "DABT", "HYP", "IRQ", "FIQ"};
    return names[kind & 7];
}

int rt_insn_size(u32 addr, int thumb)
{
    if (!thumb)
        return 4;
    u32 hw = *(volatile u16 *)addr;
    return (hw >> 11) >= 0x1d ? 4 : 2;
}

extern void rt_mode_unwind(void) __attribute__((noreturn));

/* Resume at rt_resume (bit 0 selects Thumb) with the IT state cleared. */
static void take_resume(struct rt_frame *f)
{
    u32 r = rt_resume;
    rt_resume = 0;
    f->lr = r & ~1u;
    f->spsr &= ~(PSR_T | 0x0600fc00u);
    if (r & 1)
        f->spsr |= PSR_T;
}

u32 rt_exception(u32 kind, struct rt_frame *f)
{
    int thumb = (f->spsr & PSR_T) != 0;
    u32 lr = f->lr;

    if (++rt_exc_count > 100) {
        rt_printf("\nFATAL: exception storm (%s lr=%08x)\n", rt_exc_name(kind), lr);
        rt_exit(98);
    }
    /* The way back from rt_mode_call: SVC #0xff00 (ARM) from rt_mode_back. */
    if (kind == EXC_SVC && !thumb && (*(volatile u32 *)(lr - 4) & 0xffffff) == 0xff00)
        rt_mode_unwind();
    if (rt_hooks[kind] && rt_hooks[kind](kind, f))
        return 0;

    if (!rt_quiet) {
        rt_printf("EXC %s lr=", rt_exc_name(kind));
        rt_praddr(lr);
        rt_printf(" spsr=%08x", f->spsr);
    }
    switch (kind) {
    case EXC_SVC: {
        u32 imm = thumb ? *(volatile u16 *)(lr - 2) & 0xff : *(volatile u32 *)(lr - 4) & 0xffffff;
        if (!rt_quiet)
            rt_printf(" imm=%x", imm);
        break; /* return to lr: the next instruction */
    }
    case EXC_UND: {
        /* LR is the undefined instruction + 4 (ARM) or + 2 (Thumb). */
        u32 at = lr - (thumb ? 2 : 4);
        int size = rt_insn_size(at, thumb);
        if (!rt_quiet) {
            if (size == 4 && thumb)
                rt_printf(" insn=%04x%04x", *(volatile u16 *)at, *(volatile u16 *)(at + 2));
            else if (size == 4)
                rt_printf(" insn=%08x", *(volatile u32 *)at);
            else
                rt_printf(" insn=%04x", *(volatile u16 *)at);
        }
        f->lr = at + size;
        break;
    }
    case EXC_PABT: {
        u32 ifsr = get_ifsr();
        if (!rt_quiet)
            rt_printf(" ifsr=%08x", ifsr);
        if ((ifsr & 0x40f) == 0x2) { /* debug event: BKPT; LR = BKPT + 4 */
            u32 at = lr - 4;
            if (!rt_quiet)
                rt_printf(" bkpt=%x", thumb ? *(volatile u16 *)at & 0xff
                                            : ((*(volatile u32 *)at >> 4) & 0xfff0) | (*(volatile u32 *)at & 0xf));
            f->lr = at + (thumb ? 2 : 4);
        } else {
            if (!rt_quiet)
                rt_printf(" ifar=%08x", get_ifar());
            if (!rt_resume) {
                rt_puts("\nFATAL: prefetch abort with nowhere to resume\n");
                rt_exit(3);
            }
            take_resume(f);
        }
        break;
    }
    case EXC_DABT: {
        u32 at = lr - 8; /* LR = faulting instruction + 8 in both states */
        if (!rt_quiet)
            rt_printf(" dfsr=%08x dfar=%08x", get_dfsr(), get_dfar());
        if (rt_resume)
            take_resume(f);
        else
            f->lr = at + rt_insn_size(at, thumb);
        break;
    }
    case EXC_IRQ:
    case EXC_FIQ:
        f->lr = lr - 4;
        break;
    default:
        rt_puts("\nFATAL: unexpected exception\n");
        rt_exit(4);
    }
    if (!rt_quiet)
        rt_putc('\n');
    return 0;
}

void rt_fillw(u32 *p, int n, u32 base)
{
    for (int i = 0; i < n; i++)
        p[i] = base + (u32)i;
}

void rt_memdiff(const u32 *p, int n, u32 base)
{
    for (int i = 0; i < n; i++)
        if (p[i] != base + (u32)i)
            rt_printf(" [%d]=%08x", i, p[i]);
}

/* ---- libc bits ---- */

void *memcpy(void *d, const void *s, size_t n)
{
    u8 *dp = d;
    const u8 *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    u8 *dp = d;
    const u8 *sp = s;
    if (dp < sp) {
        while (n--)
            *dp++ = *sp++;
    } else {
        while (n--)
            dp[n] = sp[n];
    }
    return d;
}

void *memset(void *d, int c, size_t n)
{
    u8 *dp = d;
    while (n--)
        *dp++ = (u8)c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const u8 *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (u8)*a - (u8)*b;
}

u32 rt_crc32(u32 crc, const void *p, size_t n)
{
    const u8 *b = p;
    crc = ~crc;
    while (n--) {
        crc ^= *b++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}
