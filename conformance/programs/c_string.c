/* c_string: string routines: strlen/strcpy/strcat/strcmp/strncmp/strchr/
 * strrchr/strstr written out, KMP and Boyer-Moore-Horspool search over a
 * generated text, atoi/itoa in several bases, tokenising, case mapping,
 * palindromes and reversal. */
#include "rt.h"

static char text[6000];

static char *my_strcpy(char *d, const char *s)
{
    char *r = d;
    while ((*d++ = *s++))
        ;
    return r;
}

static char *my_strcat(char *d, const char *s)
{
    my_strcpy(d + strlen(d), s);
    return d;
}

static int my_strncmp(const char *a, const char *b, int n)
{
    for (; n > 0; n--, a++, b++) {
        if (*a != *b)
            return (u8)*a - (u8)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

static const char *my_strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return s;
        if (!*s)
            return 0;
    }
}

static const char *my_strrchr(const char *s, int c)
{
    const char *r = 0;
    for (;; s++) {
        if (*s == (char)c)
            r = s;
        if (!*s)
            return r;
    }
}

static const char *my_strstr(const char *h, const char *n)
{
    int ln = (int)strlen(n);
    for (; *h; h++)
        if (my_strncmp(h, n, ln) == 0)
            return h;
    return ln ? 0 : h;
}

static int kmp_count(const char *t, const char *p)
{
    int m = (int)strlen(p), fail[32], k = 0, count = 0;
    fail[0] = 0;
    for (int i = 1; i < m; i++) {
        while (k && p[i] != p[k])
            k = fail[k - 1];
        if (p[i] == p[k])
            k++;
        fail[i] = k;
    }
    k = 0;
    for (int i = 0; t[i]; i++) {
        while (k && t[i] != p[k])
            k = fail[k - 1];
        if (t[i] == p[k])
            k++;
        if (k == m) {
            count++;
            k = fail[k - 1];
        }
    }
    return count;
}

static int bmh_count(const char *t, int n, const char *p)
{
    int m = (int)strlen(p), skip[256], count = 0;
    for (int i = 0; i < 256; i++)
        skip[i] = m;
    for (int i = 0; i < m - 1; i++)
        skip[(u8)p[i]] = m - 1 - i;
    for (int i = 0; i <= n - m;) {
        int j = m - 1;
        while (j >= 0 && t[i + j] == p[j])
            j--;
        if (j < 0)
            count++;
        i += skip[(u8)t[i + m - 1]];
    }
    return count;
}

static s32 my_atoi(const char *s)
{
    while (*s == ' ')
        s++;
    int neg = 0;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    u32 v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (u32)(*s++ - '0');
    return neg ? -(s32)v : (s32)v;
}

static char *itoa_base(s32 v, char *buf, int base)
{
    char tmp[40];
    int n = 0, neg = v < 0 && base == 10;
    u32 u = neg ? -(u32)v : (u32)v;
    do {
        tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[u % (u32)base];
        u /= (u32)base;
    } while (u);
    char *p = buf;
    if (neg)
        *p++ = '-';
    while (n)
        *p++ = tmp[--n];
    *p = 0;
    return buf;
}

static void reverse(char *s)
{
    int n = (int)strlen(s);
    for (int i = 0; i < n / 2; i++) {
        char t = s[i];
        s[i] = s[n - 1 - i];
        s[n - 1 - i] = t;
    }
}

static int is_pal(const char *s)
{
    int i = 0, j = (int)strlen(s) - 1;
    while (i < j) {
        while (i < j && !((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z'))
            i++;
        while (i < j && !((s[j] | 32) >= 'a' && (s[j] | 32) <= 'z'))
            j--;
        if ((s[i] | 32) != (s[j] | 32))
            return 0;
        i++;
        j--;
    }
    return 1;
}

int main(void)
{
    static const char *const syll[] = {"ab", "ra", "ca", "da", "bra", " ", "cad", "abra", "x"};
    u32 seed = 5;
    int n = 0;
    while (n < (int)sizeof(text) - 8) {
        const char *w = syll[rt_rand(&seed) % ARRAY_LEN(syll)];
        while (*w)
            text[n++] = *w++;
    }
    text[n] = 0;
    P("text len %d crc %08x\n", n, rt_crc32(0, text, (size_t)n));
    static const char *const pats[] = {"abra", "cadabra", "ra ca", "xx", "abracadabra", "a"};
    for (int i = 0; i < ARRAY_LEN(pats); i++) {
        const char *f = my_strstr(text, pats[i]);
        P("'%s': kmp=%d bmh=%d first=%d\n", pats[i], kmp_count(text, pats[i]),
          bmh_count(text, n, pats[i]), f ? (int)(f - text) : -1);
    }
    char buf[128];
    my_strcpy(buf, "Hello");
    my_strcat(buf, ", ");
    my_strcat(buf, "World");
    P("%s len=%u cmp=%d,%d,%d chr=%d rchr=%d\n", buf, (u32)strlen(buf), strcmp(buf, "Hello"),
      my_strncmp(buf, "Help", 3), strcmp("abc", "abd"), (int)(my_strchr(buf, 'o') - buf),
      (int)(my_strrchr(buf, 'o') - buf));
    static const char *const nums[] = {"0", "42", "-17", "  +123abc", "2147483647", "-2147483648", "999999999999"};
    for (int i = 0; i < ARRAY_LEN(nums); i++) {
        s32 v = my_atoi(nums[i]);
        char b2[40], b16[40], b36[40], b10[40];
        P("atoi(\"%s\")=%d bin=%s hex=%s b36=%s dec=%s\n", nums[i], v, itoa_base(v, b2, 2),
          itoa_base(v, b16, 16), itoa_base(v, b36, 36), itoa_base(v, b10, 10));
    }
    char line[] = "the quick  brown fox,jumps;over the lazy dog";
    int words = 0, longest = 0;
    char *p = line;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == ';')
            p++;
        if (!*p)
            break;
        char *start = p;
        while (*p && *p != ' ' && *p != ',' && *p != ';')
            p++;
        int len = (int)(p - start);
        if (len > longest)
            longest = len;
        for (char *q = start; q < p; q++)
            if (*q >= 'a' && *q <= 'z' && q == start)
                *q = (char)(*q - 32);
        words++;
    }
    P("tokens=%d longest=%d capitalised=%s\n", words, longest, line);
    my_strcpy(buf, "stressed desserts");
    reverse(buf);
    P("reversed: %s pal=%d,%d,%d\n", buf, is_pal("A man, a plan, a canal: Panama"),
      is_pal("not one"), is_pal(""));
    return 0;
}
