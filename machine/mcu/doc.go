// Package mcu holds the microcontroller boards: QEMU 7.2's mps2-an385
// (Cortex-M3), mps2-an386 (Cortex-M4 with FPv4-SP) and lm3s6965evb
// (Stellaris, Cortex-M3), with QEMU's memory maps, interrupt numbers and
// clocks, so that firmware built for QEMU (Zephyr's qemu_cortex_m3,
// FreeRTOS's MPS2 demos, cortex-m-quickstart) runs unchanged.
//
// A board is a table (Boards): its CPU model, interrupt count, clocks,
// memories and their mirrors, the regions QEMU fills with dummy devices,
// and a function that maps and wires its peripherals (board.go). The
// peripherals are the device packages (devices/cmsdk, devices/mps2,
// devices/stellaris, devices/pl011); the NVIC, SysTick and the rest of the
// System Control Space belong to the CPU (cpu/arm).
//
// Firmware is an ELF (loaded at its physical addresses), an Intel HEX file
// or a raw binary (at address 0), as QEMU's armv7m loader places it; the
// CPU starts from the vector table as the hardware does. An image that
// cannot run (no vector table, a stack pointer outside RAM, an ARM-state
// reset vector, a segment outside the board's memory) is refused before
// anything runs (ParseFirmware). Semihosting is BKPT 0xAB.
//
// The MPS2 boards' LAN9118 Ethernet controller is always there, with the
// user-mode network behind it when -nic user asks for one (QEMU gives the
// board a network by default; Mimic does not, so that an idle firmware in
// deterministic time still ends).
//
// Deliberate differences from QEMU: a device Mimic lacks (the Stellaris
// Ethernet, I2C, SSI and ADC) is a dummy
// that logs each offset accessed once with the PC, where QEMU models some
// of them.
package mcu
