/* smc: self-modifying and generated code, with the architected maintenance
 * (DCCMVAU, ICIMVAU/ICIALLU, BPIALL, DSB, ISB): a generated ARM and a
 * generated Thumb function rewritten and re-run many times, code that patches
 * an instruction a few words ahead of itself in the same block, and a page
 * of code overwritten wholesale. Catches stale translated code. */
#include "rt.h"

#define CODE ((volatile u32 *)0x40600000)

static void sync_range(u32 start, u32 bytes)
{
    for (u32 a = start & ~31u; a < start + bytes; a += 32) {
        __asm__ volatile("mcr p15, 0, %0, c7, c11, 1" ::"r"(a)); /* DCCMVAU */
    }
    __asm__ volatile("dsb" ::: "memory");
    for (u32 a = start & ~31u; a < start + bytes; a += 32) {
        __asm__ volatile("mcr p15, 0, %0, c7, c5, 1" ::"r"(a)); /* ICIMVAU */
    }
    __asm__ volatile("mcr p15, 0, %0, c7, c5, 6\n\t" /* BPIALL */
                     "dsb\n\tisb" ::"r"(0)
                     : "memory");
}

typedef u32 (*fn0)(u32);

int main(void)
{
    u32 sum = 0;
    /* ARM: add r0, r0, #imm ; bx lr */
    for (u32 i = 0; i < 200; i++) {
        CODE[0] = 0xe2800000 | (i & 0xff);
        CODE[1] = 0xe12fff1e;
        sync_range((u32)CODE, 8);
        sum = ((fn0)(u32)CODE)(sum);
    }
    P("arm generated: %u\n", sum);

    /* Thumb: adds r0, #imm ; bx lr */
    volatile u16 *t = (volatile u16 *)(CODE + 64);
    sum = 0;
    for (u32 i = 0; i < 200; i++) {
        t[0] = (u16)(0x3000 | (i & 0xff));
        t[1] = 0x4770;
        sync_range((u32)t, 4);
        sum = ((fn0)((u32)t | 1))(sum);
    }
    P("thumb generated: %u\n", sum);

    /* A loop body that rewrites its own "add" immediate each iteration:
     *   0: ldr  r2, [pc, #16]     @ template word at 24 (add r0, r0, #0)
     *   4: orr  r2, r2, r1        @ imm = iteration count
     *   8: str  r2, [pc, #4]      @ store at 20 (the add below)
     *  12: mcr  p15,0,r3,c7,c5,0  @ ICIALLU (r3 = 0)
     *  16: isb
     *  20: add  r0, r0, #0        @ rewritten
     *  24: bx   lr (and the template word follows)
     */
    CODE[128 + 0] = 0xe59f2010; /* ldr r2, [pc, #16] -> 0 + 8 + 16 = 24 */
    CODE[128 + 1] = 0xe1822001; /* orr r2, r2, r1 */
    CODE[128 + 2] = 0xe58f2004; /* str r2, [pc, #4]  -> 8 + 8 + 4 = 20 */
    CODE[128 + 3] = 0xee073f15; /* mcr p15, 0, r3, c7, c5, 0 */
    CODE[128 + 4] = 0xf57ff06f; /* isb sy */
    CODE[128 + 5] = 0xe2800000; /* add r0, r0, #0 (patched) */
    CODE[128 + 6] = 0xe2800000; /* template at 24: add r0, r0, #0 */
    CODE[128 + 7] = 0xe12fff1e; /* bx lr at 28 */
    sync_range((u32)(CODE + 128), 32);
    sum = 0;
    for (u32 i = 1; i <= 100; i++) {
        register u32 r0 __asm__("r0") = sum;
        register u32 r1 __asm__("r1") = i;
        register u32 r3 __asm__("r3") = 0;
        __asm__ volatile("blx %3" : "+r"(r0) : "r"(r1), "r"(r3), "r"((u32)(CODE + 128))
                         : "r2", "r12", "lr", "memory", "cc");
        sum = r0;
    }
    P("self-patching loop: %u (expect %u)\n", sum, 5050u);

    /* Overwrite a page of straight-line code: 64 x "add r0, r0, #k". */
    for (int round = 0; round < 3; round++) {
        for (int k = 0; k < 64; k++)
            CODE[256 + k] = 0xe2800000 | (u32)(k * (round + 1) & 0xff);
        CODE[256 + 64] = 0xe12fff1e;
        sync_range((u32)(CODE + 256), 65 * 4);
        P("page round %d: %u\n", round, ((fn0)(u32)(CODE + 256))(0));
    }
    return 0;
}
