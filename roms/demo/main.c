/*
 * Mimic's demo: what runs when mimic is started with no arguments.
 * Talks to the PL011 UART directly, runs the same kernels as A32 and as T32
 * code (calls between them interwork), then stops through semihosting.
 */
#include "uart.h"
#include "kernels.h"

static const char banner[] =
    "\n"
    "   __  __ _           _\n"
    "  |  \\/  (_)_ __ ___ (_) ___\n"
    "  | |\\/| | | '_ ` _ \\| |/ __|\n"
    "  | |  | | | | | | | | | (__\n"
    "  |_|  |_|_|_| |_| |_|_|\\___|\n"
    "\n"
    "  Mimic: a full-system ARM emulator written in Go.\n"
    "  You are looking at a bare-metal ARMv7-A guest on the \"virt\" board,\n"
    "  printing through its PL011 UART at 0x09000000.\n"
    "  Run mimic --help to boot your own kernel or firmware.\n\n";

static const char message[] = "Mimic emulates ARM in Go";

static u32 midr(void)
{
    u32 v;
    __asm__ volatile("mrc p15, 0, %0, c0, c0, 0" : "=r"(v));
    return v;
}

static void row(const char *isa, u32 mandel, u32 primes, u32 crc)
{
    uart_puts("  ");
    uart_puts(isa);
    uart_puts("  mandelbrot checksum ");
    uart_hex(mandel, 8);
    uart_puts("  primes below 200000: ");
    uart_dec(primes);
    uart_puts("  crc32 ");
    uart_hex(crc, 8);
    uart_puts("\n");
}

int main(void)
{
    uart_init();
    uart_puts(banner);
    u32 id = midr();
    uart_puts("  CPU: MIDR ");
    uart_hex(id, 8);
    if ((id & 0xff0ffff0u) == 0x410fc0f0u)
        uart_puts(" (ARM Cortex-A15)");
    uart_puts("\n\n");

    u32 am = arm_mandelbrot(1);
    u32 ap = arm_primes(200000);
    u32 ac = arm_crc32(message);
    uart_puts("\n  Same work in both instruction sets:\n");
    u32 tm = thumb_mandelbrot(0);
    u32 tp = thumb_primes(200000);
    u32 tc = thumb_crc32(message);
    row("A32", am, ap, ac);
    row("T32", tm, tp, tc);
    uart_puts("  crc32(\"");
    uart_puts(message);
    uart_puts("\") -- ");
    int ok = am == tm && ap == tp && ac == tc && ap == 17984 && ac == 0x36b10d8cu;
    uart_puts(ok ? "A32 and T32 agree.\n\n  Bye!\n" : "MISMATCH between A32 and T32!\n");
    return ok ? 0 : 1;
}
