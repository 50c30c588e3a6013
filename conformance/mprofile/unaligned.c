/* unaligned: unaligned LDR/STR/LDRH/STRH/LDRSH (and the T32 .W forms) are
 * allowed when CCR.UNALIGN_TRP=0: values loaded at every offset 0-7 of a
 * known pattern, little-endian byte order, stores that straddle words,
 * unaligned accesses crossing a 1 KiB boundary, and unaligned data accesses
 * to a word in the other RAM region alias (mps2: 0x20400000 mirror). */
#include "rt.h"

static u8 buf[64] ALIGNED(8);

static NOINLINE u32 ld32(const u8 *p) { u32 v; __asm__ volatile("ldr.w %0, [%1]" : "=r"(v) : "r"(p) : "memory"); return v; }
static NOINLINE u32 ld16(const u8 *p) { u32 v; __asm__ volatile("ldrh.w %0, [%1]" : "=r"(v) : "r"(p) : "memory"); return v; }
static NOINLINE s32 lds16(const u8 *p) { s32 v; __asm__ volatile("ldrsh.w %0, [%1]" : "=r"(v) : "r"(p) : "memory"); return v; }
static NOINLINE void st32(u8 *p, u32 v) { __asm__ volatile("str.w %1, [%0]" :: "r"(p), "r"(v) : "memory"); }
static NOINLINE void st16(u8 *p, u32 v) { __asm__ volatile("strh.w %1, [%0]" :: "r"(p), "r"(v) : "memory"); }
static NOINLINE u32 ld32n(const u8 *p) { u32 v; __asm__ volatile("ldr %0, [%1, #4]" : "=l"(v) : "l"(p) : "memory"); return v; }

static void fill(void)
{
    for (int i = 0; i < 64; i++)
        buf[i] = (u8)(0x80 + i);
}

static void dump(void)
{
    for (int i = 0; i < 16; i++)
        P(" %02x", buf[i]);
    P("\n");
}

int main(void)
{
    fill();
    for (int off = 0; off < 8; off++)
        P("off %d: ldr=%08x ldr16n=%08x ldrh=%04x ldrsh=%d\n", off, ld32(buf + off), ld32n(buf + off),
          ld16(buf + off), lds16(buf + off));
    for (int off = 1; off < 4; off++) {
        fill();
        st32(buf + off, 0x11223344);
        st16(buf + 8 + off, 0xaabb);
        P("str/strh at +%d:", off);
        dump();
    }
    /* Across a 1 KiB boundary in the scratch RAM. */
    u8 *s = (u8 *)(RT_SCRATCH + 0x400 - 2);
    for (int i = 0; i < 8; i++)
        s[i - 2] = (u8)(0x40 + i);
    P("across 1K: ldr=%08x\n", ld32(s - 1));
    st32(s - 1, 0xdeadbeef);
    P("after str:");
    for (int i = 0; i < 8; i++)
        P(" %02x", s[i - 2]);
    P("\n");
#ifdef BOARD_MPS2
    /* QEMU's mps2 mirrors SSRAM2/3 at 0x20400000. */
    P("mirror: ldr at 0x20400000+(buf+1)=%08x\n", ld32((const u8 *)((u32)buf + 1 + 0x400000)));
#endif
    return 0;
}
