/*
 * The fallback display: QEMU's ramfb, configured through fw_cfg (QEMU
 * docs/specs/fw_cfg.rst): find "etc/ramfb" in the file directory, then
 * write its RAMFBCfg (big-endian) with a DMA transfer. From then on the
 * framebuffer in RAM is the screen; there is nothing to flush.
 */
#include "virtio.h"

#define FWCFG_BASE 0x09020000u
#define FWCFG_DATA (FWCFG_BASE + 0x00)
#define FWCFG_SELECTOR (FWCFG_BASE + 0x08)
#define FWCFG_DMA (FWCFG_BASE + 0x10)
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_ID 0x0001
#define FW_CFG_FILE_DIR 0x0019
#define FW_CFG_DMA_CTL_ERROR 0x01
#define FW_CFG_DMA_CTL_SELECT 0x08
#define FW_CFG_DMA_CTL_WRITE 0x10
#define DRM_FORMAT_XRGB8888 0x34325258u /* "XR24" */

static u32 be32(u32 v) { return __builtin_bswap32(v); }

static void fwcfg_select(u16 key)
{
    *(volatile u16 *)FWCFG_SELECTOR = __builtin_bswap16(key);
}

static u8 fwcfg_byte(void) { return REG8(FWCFG_DATA); }

static u32 fwcfg_be32(void)
{
    u32 v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | fwcfg_byte();
    return v;
}

/* ramfb_find returns the selector of "etc/ramfb", or 0. */
static u16 ramfb_find(void)
{
    fwcfg_select(FW_CFG_SIGNATURE);
    if (fwcfg_byte() != 'Q' || fwcfg_byte() != 'E' || fwcfg_byte() != 'M' || fwcfg_byte() != 'U')
        return 0;
    fwcfg_select(FW_CFG_ID);
    if (!(fwcfg_byte() & 2)) /* no DMA interface */
        return 0;
    fwcfg_select(FW_CFG_FILE_DIR);
    u32 n = fwcfg_be32();
    static const char want[] = "etc/ramfb";
    for (u32 i = 0; i < n && i < 4096; i++) {
        fwcfg_be32(); /* size */
        u16 sel = (u16)(fwcfg_byte() << 8);
        sel |= fwcfg_byte();
        fwcfg_byte(); /* reserved */
        fwcfg_byte();
        int match = 1;
        for (int j = 0; j < 56; j++) {
            char c = (char)fwcfg_byte();
            if (j < (int)sizeof want && c != want[j])
                match = 0;
        }
        if (match)
            return sel;
    }
    return 0;
}

int ramfb_setup(u32 *fb, u32 w, u32 h)
{
    u16 sel = ramfb_find();
    if (!sel)
        return -1;
    static struct {
        u32 addr_hi, addr_lo, fourcc, flags, width, height, stride;
    } cfg __attribute__((aligned(8)));
    static struct {
        u32 control, length, addr_hi, addr_lo;
    } dma __attribute__((aligned(8)));
    cfg.addr_hi = 0;
    cfg.addr_lo = be32((u32)fb);
    cfg.fourcc = be32(DRM_FORMAT_XRGB8888);
    cfg.flags = 0;
    cfg.width = be32(w);
    cfg.height = be32(h);
    cfg.stride = be32(w * 4);
    dma.control = be32((u32)sel << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_WRITE);
    dma.length = be32(sizeof cfg);
    dma.addr_hi = 0;
    dma.addr_lo = be32((u32)&cfg);
    mb();
    REG32(FWCFG_DMA) = 0;                     /* high half of the address */
    REG32(FWCFG_DMA + 4) = be32((u32)&dma);   /* low half: starts it */
    mb();
    return (be32(*(volatile u32 *)&dma.control) & FW_CFG_DMA_CTL_ERROR) ? -2 : 0;
}
