/* Framebuffer drawing, dirty bands, the 5x7 font and the sine table. */
#include "gfx.h"

u32 *fb;
int fbw, fbh;
u32 bgrow[FB_MAXH];
s16 sintab[1024];

#define NBANDS (FB_MAXH / BAND)
static int bx0[NBANDS], bx1[NBANDS]; /* dirty columns [bx0, bx1) per band */

struct rect {
    s16 x, y, w, h;
};
#define MAXREM 2048
static struct rect rem[MAXREM];
static int nrem, remfull;

void gfx_init(u32 *mem, int w, int h)
{
    fb = mem;
    fbw = w;
    fbh = h;
    for (int b = 0; b < NBANDS; b++)
        bx0[b] = bx1[b] = 0;
}

static int clip(int *x, int *y, int *w, int *h)
{
    if (*x < 0) {
        *w += *x;
        *x = 0;
    }
    if (*y < 0) {
        *h += *y;
        *y = 0;
    }
    if (*x + *w > fbw)
        *w = fbw - *x;
    if (*y + *h > fbh)
        *h = fbh - *y;
    return *w > 0 && *h > 0;
}

void mark(int x, int y, int w, int h)
{
    if (!clip(&x, &y, &w, &h))
        return;
    for (int b = y / BAND; b <= (y + h - 1) / BAND; b++) {
        if (bx0[b] == bx1[b]) {
            bx0[b] = x;
            bx1[b] = x + w;
            continue;
        }
        if (x < bx0[b])
            bx0[b] = x;
        if (x + w > bx1[b])
            bx1[b] = x + w;
    }
}

void remember(int x, int y, int w, int h)
{
    mark(x, y, w, h);
    if (nrem < MAXREM)
        rem[nrem++] = (struct rect){(s16)x, (s16)y, (s16)w, (s16)h};
    else
        remfull = 1;
}

void erase_old(void)
{
    if (remfull) {
        clear_bg(0, 0, fbw, fbh);
        remfull = 0;
    } else {
        for (int i = 0; i < nrem; i++)
            clear_bg(rem[i].x, rem[i].y, rem[i].w, rem[i].h);
    }
    nrem = 0;
}

void present(void (*fn)(int x, int y, int w, int h))
{
    int nb = (fbh + BAND - 1) / BAND;
    for (int b = 0; b < nb; b++) {
        if (bx0[b] == bx1[b])
            continue;
        int y = b * BAND, h = BAND;
        if (y + h > fbh)
            h = fbh - y;
        fn(bx0[b], y, bx1[b] - bx0[b], h);
        bx0[b] = bx1[b] = 0;
    }
}

void fill(int x, int y, int w, int h, u32 c)
{
    if (!clip(&x, &y, &w, &h))
        return;
    for (int j = 0; j < h; j++) {
        u32 *p = fb + (y + j) * fbw + x;
        for (int i = 0; i < w; i++)
            p[i] = c;
    }
}

void clear_bg(int x, int y, int w, int h)
{
    if (!clip(&x, &y, &w, &h))
        return;
    mark(x, y, w, h);
    for (int j = 0; j < h; j++) {
        u32 *p = fb + (y + j) * fbw + x;
        u32 c = bgrow[y + j];
        for (int i = 0; i < w; i++)
            p[i] = c;
    }
}

/* The font: 5x7 glyphs, one byte per row, bit 4 the leftmost column. */
#define G(a, b, c, d, e, f, g) {0b##a, 0b##b, 0b##c, 0b##d, 0b##e, 0b##f, 0b##g}
static const u8 font_az[26][7] = {
    G(01110, 10001, 10001, 11111, 10001, 10001, 10001), /* A */
    G(11110, 10001, 10001, 11110, 10001, 10001, 11110), /* B */
    G(01110, 10001, 10000, 10000, 10000, 10001, 01110), /* C */
    G(11110, 10001, 10001, 10001, 10001, 10001, 11110), /* D */
    G(11111, 10000, 10000, 11110, 10000, 10000, 11111), /* E */
    G(11111, 10000, 10000, 11110, 10000, 10000, 10000), /* F */
    G(01110, 10001, 10000, 10111, 10001, 10001, 01111), /* G */
    G(10001, 10001, 10001, 11111, 10001, 10001, 10001), /* H */
    G(01110, 00100, 00100, 00100, 00100, 00100, 01110), /* I */
    G(00111, 00010, 00010, 00010, 00010, 10010, 01100), /* J */
    G(10001, 10010, 10100, 11000, 10100, 10010, 10001), /* K */
    G(10000, 10000, 10000, 10000, 10000, 10000, 11111), /* L */
    G(10001, 11011, 10101, 10101, 10001, 10001, 10001), /* M */
    G(10001, 10001, 11001, 10101, 10011, 10001, 10001), /* N */
    G(01110, 10001, 10001, 10001, 10001, 10001, 01110), /* O */
    G(11110, 10001, 10001, 11110, 10000, 10000, 10000), /* P */
    G(01110, 10001, 10001, 10001, 10101, 10010, 01101), /* Q */
    G(11110, 10001, 10001, 11110, 10100, 10010, 10001), /* R */
    G(01111, 10000, 10000, 01110, 00001, 00001, 11110), /* S */
    G(11111, 00100, 00100, 00100, 00100, 00100, 00100), /* T */
    G(10001, 10001, 10001, 10001, 10001, 10001, 01110), /* U */
    G(10001, 10001, 10001, 10001, 10001, 01010, 00100), /* V */
    G(10001, 10001, 10001, 10101, 10101, 10101, 01010), /* W */
    G(10001, 10001, 01010, 00100, 01010, 10001, 10001), /* X */
    G(10001, 10001, 10001, 01010, 00100, 00100, 00100), /* Y */
    G(11111, 00001, 00010, 00100, 01000, 10000, 11111), /* Z */
};
static const u8 font_09[10][7] = {
    G(01110, 10001, 10011, 10101, 11001, 10001, 01110), /* 0 */
    G(00100, 01100, 00100, 00100, 00100, 00100, 01110), /* 1 */
    G(01110, 10001, 00001, 00010, 00100, 01000, 11111), /* 2 */
    G(11111, 00010, 00100, 00010, 00001, 10001, 01110), /* 3 */
    G(00010, 00110, 01010, 10010, 11111, 00010, 00010), /* 4 */
    G(11111, 10000, 11110, 00001, 00001, 10001, 01110), /* 5 */
    G(00110, 01000, 10000, 11110, 10001, 10001, 01110), /* 6 */
    G(11111, 00001, 00010, 00100, 01000, 01000, 01000), /* 7 */
    G(01110, 10001, 10001, 01110, 10001, 10001, 01110), /* 8 */
    G(01110, 10001, 10001, 01111, 00001, 00010, 01100), /* 9 */
};
static const struct {
    char ch;
    u8 rows[7];
} font_punct[] = {
    {'-', G(00000, 00000, 00000, 11111, 00000, 00000, 00000)},
    {'.', G(00000, 00000, 00000, 00000, 00000, 01100, 01100)},
    {':', G(00000, 01100, 01100, 00000, 01100, 01100, 00000)},
    {'/', G(00000, 00001, 00010, 00100, 01000, 10000, 00000)},
    {'!', G(00100, 00100, 00100, 00100, 00100, 00000, 00100)},
    {',', G(00000, 00000, 00000, 00000, 01100, 00100, 01000)},
    {'(', G(00010, 00100, 01000, 01000, 01000, 00100, 00010)},
    {')', G(01000, 00100, 00010, 00010, 00010, 00100, 01000)},
    {'=', G(00000, 00000, 11111, 00000, 11111, 00000, 00000)},
    {'+', G(00000, 00100, 00100, 11111, 00100, 00100, 00000)},
    {'?', G(01110, 10001, 00001, 00010, 00100, 00000, 00100)},
    {'*', G(00000, 10101, 01110, 11111, 01110, 10101, 00000)},
};
static const u8 font_blank[7];

const u8 *glyph(char ch)
{
    if (ch >= 'a' && ch <= 'z')
        ch = (char)(ch - 'a' + 'A');
    if (ch >= 'A' && ch <= 'Z')
        return font_az[ch - 'A'];
    if (ch >= '0' && ch <= '9')
        return font_09[ch - '0'];
    for (unsigned i = 0; i < sizeof font_punct / sizeof font_punct[0]; i++)
        if (font_punct[i].ch == ch)
            return font_punct[i].rows;
    return font_blank;
}

int text_width(const char *s, int scale)
{
    int n = 0;
    while (s[n])
        n++;
    return n * 6 * scale - scale;
}

int text(int x, int y, int scale, const char *s, u32 c)
{
    int x0 = x;
    for (; *s; s++, x += 6 * scale) {
        const u8 *g = glyph(*s);
        for (int r = 0; r < 7; r++)
            for (int col = 0; col < 5; col++)
                if (g[r] & (0x10 >> col))
                    fill(x + col * scale, y + r * scale, scale, scale, c);
    }
    int w = x - x0 - scale;
    remember(x0, y, w, 7 * scale);
    return w;
}

/* sin on [0, pi/2] by its Taylor series, in (soft-float) double: used
 * once at start-up to fill the table. */
static double taylor_sin(double x)
{
    double x2 = x * x, term = x, sum = x;
    for (int n = 1; n < 8; n++) {
        term = -term * x2 / (double)((2 * n) * (2 * n + 1));
        sum += term;
    }
    return sum;
}

void trig_init(void)
{
    const double pi = 3.14159265358979323846;
    for (int i = 0; i <= 256; i++) {
        int v = (int)(taylor_sin(pi / 2 * i / 256) * 16384.0 + 0.5);
        if (v > 16383)
            v = 16383;
        sintab[i] = (s16)v;
        sintab[512 - i] = (s16)v;
        sintab[(512 + i) & 1023] = (s16)-v;
        sintab[(1024 - i) & 1023] = (s16)-v;
    }
}

/* GCC may call these for structure assignments even with -fno-builtin. */
void *memset(void *d, int c, size_t n)
{
    u8 *p = d;
    while (n--)
        *p++ = (u8)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    u8 *p = d;
    const u8 *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}
