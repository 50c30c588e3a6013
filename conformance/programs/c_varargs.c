/* c_varargs: variadic functions (va_list on the stack, 64-bit arguments
 * aligned to 8 in the AAPCS), a small snprintf with padding, precision,
 * signs and 64-bit conversions writing into a buffer, and a variadic sum
 * with mixed argument sizes. */
#include "rt.h"

struct sbuf {
    char *p;
    int n, cap;
};

static void put(struct sbuf *b, char c)
{
    if (b->n + 1 < b->cap)
        b->p[b->n] = c;
    b->n++;
}

static void put_u(struct sbuf *b, u64 v, int base, int width, char pad, int upper, int neg, int plus)
{
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = (upper ? "0123456789ABCDEF" : "0123456789abcdef")[v % (u32)base];
        v /= (u32)base;
    } while (v);
    if (neg || plus)
        tmp[k++] = neg ? '-' : '+';
    if (pad == '0' && (neg || plus)) {
        put(b, tmp[--k]);
        width--;
    }
    while (width-- > k)
        put(b, pad);
    while (k)
        put(b, tmp[--k]);
}

static int my_vsnprintf(char *buf, int cap, const char *fmt, va_list ap)
{
    struct sbuf b = {buf, 0, cap};
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&b, *fmt);
            continue;
        }
        fmt++;
        int plus = 0, left = 0, width = 0, prec = -1, ll = 0;
        char pad = ' ';
        for (;; fmt++) {
            if (*fmt == '+')
                plus = 1;
            else if (*fmt == '-')
                left = 1;
            else if (*fmt == '0')
                pad = '0';
            else
                break;
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + *fmt++ - '0';
        if (*fmt == '.') {
            prec = 0;
            fmt++;
            while (*fmt >= '0' && *fmt <= '9')
                prec = prec * 10 + *fmt++ - '0';
        }
        while (*fmt == 'l') {
            ll++;
            fmt++;
        }
        int start = b.n;
        switch (*fmt) {
        case 'd': {
            s64 v = ll >= 2 ? va_arg(ap, s64) : va_arg(ap, s32);
            put_u(&b, v < 0 ? -(u64)v : (u64)v, 10, left ? 0 : width, pad, 0, v < 0, plus);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            u64 v = ll >= 2 ? va_arg(ap, u64) : va_arg(ap, u32);
            put_u(&b, v, *fmt == 'u' ? 10 : 16, left ? 0 : width, pad, *fmt == 'X', 0, 0);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            int len = (int)strlen(s);
            if (prec >= 0 && prec < len)
                len = prec;
            if (!left)
                for (int i = len; i < width; i++)
                    put(&b, ' ');
            for (int i = 0; i < len; i++)
                put(&b, s[i]);
            break;
        }
        case 'c': put(&b, (char)va_arg(ap, int)); break;
        default: put(&b, *fmt); break;
        }
        if (left)
            while (b.n - start < width)
                put(&b, ' ');
    }
    if (cap)
        buf[b.n < cap ? b.n : cap - 1] = 0;
    return b.n;
}

static int my_snprintf(char *buf, int cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = my_vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

static NOINLINE s64 vsum(int count, ...)
{
    va_list ap;
    va_start(ap, count);
    s64 s = 0;
    for (int i = 0; i < count; i++) {
        int kind = va_arg(ap, int);
        if (kind == 0)
            s += va_arg(ap, s32);
        else
            s += va_arg(ap, s64);
    }
    va_end(ap);
    return s;
}

int main(void)
{
    char buf[96];
    int n;
    n = my_snprintf(buf, sizeof(buf), "[%d] [%5d] [%-5d] [%05d] [%+d] [%x] [%08X]", 42, -7, 3, -12, 9, 0xbeef, 0xcafe);
    P("%d: %s\n", n, buf);
    n = my_snprintf(buf, sizeof(buf), "[%s] [%10s] [%-10s] [%.3s] [%c%c]", "abc", "right", "left", "truncate", 'o', 'k');
    P("%d: %s\n", n, buf);
    n = my_snprintf(buf, sizeof(buf), "[%lld] [%llu] [%llx] [%*d]", -1234567890123ll, 18446744073709551615ull, 0xfedcba9876543210ull, 6, 77);
    P("%d: %s\n", n, buf);
    n = my_snprintf(buf, 16, "this is longer than sixteen characters %d", 1);
    P("%d: %s\n", n, buf);
    P("vsum: %lld %lld\n", vsum(4, 0, 10, 1, 1ll << 40, 0, -3, 1, -(1ll << 33)),
      vsum(6, 1, 1ll, 0, 2, 1, 3ll, 0, 4, 1, 5ll, 0, 6));
    return 0;
}
