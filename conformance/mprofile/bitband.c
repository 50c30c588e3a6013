/* bitband: the bit-band alias regions. A word in the SRAM alias
 * 0x22000000 + 32*offset + 4*bit reads bit `bit` of the byte at 0x20000000 +
 * offset (0 or 1) and a write sets or clears just that bit; the same for
 * peripherals at 0x42000000 (a read/write peripheral register: the mps2
 * FPGAIO LED register at 0x40028000, the lm3s6965evb GPIO port A direction
 * register at 0x40004400). Also byte and halfword accesses to the alias,
 * writing values other than 0/1 (only bit 0 counts), and the alias of the
 * scratch RAM used with LDREX/STREX-free read-modify-write. */
#include "rt.h"

#define SRAM_ALIAS(a, bit) (0x22000000u + ((a) - 0x20000000u) * 32 + (bit) * 4)
#define PERI_ALIAS(a, bit) (0x42000000u + ((a) - 0x40000000u) * 32 + (bit) * 4)

#ifdef BOARD_MPS2
#define PERI_REG 0x40028000u /* FPGAIO LED0 */
#else
#define PERI_REG 0x40004400u /* GPIOA DIR */
#endif

int main(void)
{
    u32 w = RT_SCRATCH + 0x100;
    REG(w) = 0xa5a5f00f;
    P("word %08x = %08x\n", w, REG(w));
    P("bits via alias:");
    for (int b = 31; b >= 0; b--)
        P("%u", REG(SRAM_ALIAS(w, b)));
    P("\n");
    REG(SRAM_ALIAS(w, 0)) = 0;
    REG(SRAM_ALIAS(w, 4)) = 1;
    REG(SRAM_ALIAS(w, 31)) = 0;
    REG(SRAM_ALIAS(w, 16)) = 0xfffffffe; /* bit 0 of the value is 0: clears */
    REG(SRAM_ALIAS(w, 17)) = 3;          /* bit 0 is 1: sets */
    P("after writes: %08x\n", REG(w));
    REG8(SRAM_ALIAS(w, 12)) = 0;
    REG16(SRAM_ALIAS(w, 13)) = 0;
    P("byte/halfword alias writes: %08x, byte read of bit 2: %u, halfword read of bit 5: %u\n", REG(w),
      REG8(SRAM_ALIAS(w, 2)), REG16(SRAM_ALIAS(w, 5)));
    /* A byte variable in .bss. */
    static volatile u8 flags;
    flags = 0x10;
    REG(SRAM_ALIAS((u32)&flags, 1)) = 1;
    P("byte variable: %02x, bit 4 via alias: %u\n", flags, REG(SRAM_ALIAS((u32)&flags, 4)));
    /* Top of the bit-banded SRAM window: 0x200fffff -> 0x23ffffe0..fc. */
    REG8(0x200fffff) = 0x80;
    P("0x200fffff bit 7 via 0x23fffffc: %u\n", REG(0x23fffffc));

    P("peripheral %08x = %08x\n", PERI_REG, REG(PERI_REG));
    REG(PERI_ALIAS(PERI_REG, 0)) = 1;
    P("  set bit 0: %08x\n", REG(PERI_REG));
    REG(PERI_ALIAS(PERI_REG, 1)) = 1;
    P("  set bit 1: %08x, alias bit 1 reads %u\n", REG(PERI_REG), REG(PERI_ALIAS(PERI_REG, 1)));
    REG(PERI_ALIAS(PERI_REG, 0)) = 0;
    P("  clear bit 0: %08x\n", REG(PERI_REG));
    REG(PERI_REG) = 0;
    return 0;
}
