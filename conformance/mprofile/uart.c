/* uart: output through the board's UART0 (CMSDK APB UART at 0x40004000 on
 * mps2, Stellaris PL011 at 0x4000c000 on lm3s6965evb) interleaved with
 * semihosting SYS_WRITE0 and SYS_WRITEC output; both reach stdout, and the
 * reference shows that the order is the program order. Also prints the
 * UART's identification and status registers. */
#include "rt.h"

int main(void)
{
    P("semihosting line 1\n");
    rt_uart_init();
    rt_uart_puts("uart line 1\n");
    P("semihosting line 2\n");
    rt_uart_puts("uart: ");
    rt_writec('w');
    rt_uart_puts(" mixed ");
    rt_writec('c');
    rt_uart_puts("\n");
    for (int i = 0; i < 3; i++) {
        rt_uart_printf("uart %d: %08x\n", i, 0x1234u << (4 * i));
        P("semi %d\n", i);
    }
#ifdef BOARD_MPS2
    P("cmsdk uart: state=%x ctrl=%x bauddiv=%x pid4=%x pid0=%x pid1=%x pid2=%x pid3=%x cid0=%x\n",
      REG(0x40004004), REG(0x40004008), REG(0x40004010), REG(0x40004fd0), REG(0x40004fe0),
      REG(0x40004fe4), REG(0x40004fe8), REG(0x40004fec), REG(0x40004ff0));
#else
    P("pl011: fr=%x cr=%x periphid=%x %x %x %x cellid=%x %x %x %x\n", REG(0x4000c018), REG(0x4000c030),
      REG(0x4000cfe0), REG(0x4000cfe4), REG(0x4000cfe8), REG(0x4000cfec), REG(0x4000cff0),
      REG(0x4000cff4), REG(0x4000cff8), REG(0x4000cffc));
#endif
    rt_uart_puts("uart: last line\n");
    return 0;
}
