#ifndef KERNELS_H
#define KERNELS_H

#include "rom.h"

#ifdef __thumb__
#define K(name) thumb_##name
#else
#define K(name) arm_##name
#endif

u32 arm_mandelbrot(int draw);
u32 arm_primes(u32 limit);
u32 arm_crc32(const char *s);
u32 thumb_mandelbrot(int draw);
u32 thumb_primes(u32 limit);
u32 thumb_crc32(const char *s);

#endif
