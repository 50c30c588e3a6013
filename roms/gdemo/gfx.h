/*
 * Drawing into the demo's framebuffer (XRGB8888, a u32 0x00RRGGBB per
 * pixel) with dirty tracking: every write marks the bands of rows it
 * touched, and present() sends only those to the GPU.
 */
#ifndef GDEMO_GFX_H
#define GDEMO_GFX_H

#include "hw.h"

#define FB_MAXW 1920
#define FB_MAXH 1200
#define BAND 16 /* rows per dirty band */

extern u32 *fb;
extern int fbw, fbh;
extern u32 bgrow[FB_MAXH]; /* the background colour of each row */

void gfx_init(u32 *mem, int w, int h);
/* mark records that (x, y, w, h) changed (clipped). */
void mark(int x, int y, int w, int h);
/* remember marks the rectangle and erases it at the start of the next
 * frame (erase_old). */
void remember(int x, int y, int w, int h);
void erase_old(void);
/* present calls fn for each dirty band's rectangle, then clears them. */
void present(void (*fn)(int x, int y, int w, int h));

void fill(int x, int y, int w, int h, u32 c);
void clear_bg(int x, int y, int w, int h);
static inline void plot(int x, int y, u32 c)
{
    if ((unsigned)x < (unsigned)fbw && (unsigned)y < (unsigned)fbh)
        fb[y * fbw + x] = c;
}
/* text draws s in the 5x7 font scaled by s (cell 6s x 8s); returns the
 * width. The rectangle is remembered for erasing. */
int text(int x, int y, int scale, const char *s, u32 c);
int text_width(const char *s, int scale);
const u8 *glyph(char ch);

/* Fixed point trigonometry: isin(a) for a in 1/1024 turns, Q14. */
extern s16 sintab[1024];
static inline int isin(int a) { return sintab[a & 1023]; }
static inline int icos(int a) { return sintab[(a + 256) & 1023]; }
void trig_init(void);

#endif
