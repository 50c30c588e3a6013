/* PL011 UART on the "virt" board (ARM DDI 0183): DR at +0x00, FR at +0x18.
 * Polled output for the ROMs; uart.c. */
#ifndef UART_H
#define UART_H

#include "rom.h"

#define UART_BASE 0x09000000u
#define UARTDR (*(volatile u32 *)(UART_BASE + 0x00))
#define UARTFR (*(volatile u32 *)(UART_BASE + 0x18))
#define UARTLCR_H (*(volatile u32 *)(UART_BASE + 0x2c))
#define UARTCR (*(volatile u32 *)(UART_BASE + 0x30))
#define FR_TXFF (1u << 5)

void uart_init(void);
void uart_putc(char c);
void uart_puts(const char *s);
void uart_hex(u32 v, int digits);
void uart_dec(u32 v);

#endif
