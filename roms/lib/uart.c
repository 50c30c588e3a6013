/* The PL011 console of the ROMs (lib/uart.h). */
#include "uart.h"

void uart_init(void)
{
    UARTCR = 0;
    UARTLCR_H = 0x70;               /* 8 bits, FIFOs on */
    UARTCR = (1u << 8) | 1u;        /* TXE | UARTEN */
}

void uart_putc(char c)
{
    if (c == '\n')
        uart_putc('\r');
    while (UARTFR & FR_TXFF)
        ;
    UARTDR = (u8)c;
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

void uart_hex(u32 v, int digits)
{
    for (int i = digits - 1; i >= 0; i--)
        uart_putc("0123456789abcdef"[(v >> (4 * i)) & 0xf]);
}

void uart_dec(u32 v)
{
    char buf[12];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        uart_putc(buf[--n]);
}
