/* Shared helpers for Mimic's bundled guest programs. */
#ifndef ROM_H
#define ROM_H

#include <stdint.h>
#include <stddef.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define SEMI_TRAP "bkpt 0xab" /* the M profile's semihosting trap */
#elif defined(__thumb__)
#define SEMI_TRAP "svc 0xab"
#else
#define SEMI_TRAP "svc 0x123456"
#endif

static inline u32 semi(u32 op, const void *arg)
{
    register u32 r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile(SEMI_TRAP : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void rom_exit(int status) __attribute__((noreturn));

#endif
