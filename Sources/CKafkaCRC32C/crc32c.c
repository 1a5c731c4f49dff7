// CRC-32C with the CPU's own instruction, eight bytes per step in one dependent chain (about
// 8 bytes per 3 cycles on x86-64; see docs/benchmarks.md for what this machine reaches).
#include "CKafkaCRC32C.h"
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>

int ckafka_crc32c_hardware_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (c & bit_SSE4_2) != 0;
}

__attribute__((target("sse4.2")))
static uint32_t crc_bytes(uint32_t crc, const unsigned char *p, size_t n) {
    uint64_t c = crc;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = __builtin_ia32_crc32di(c, w);
        p += 8;
        n -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (n--) c32 = __builtin_ia32_crc32qi(c32, *p++);
    return c32;
}

#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#include <asm/hwcap.h>

int ckafka_crc32c_hardware_available(void) { return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0; }

__attribute__((target("+crc")))
static uint32_t crc_bytes(uint32_t crc, const unsigned char *p, size_t n) {
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        crc = __builtin_arm_crc32cd(crc, w);
        p += 8;
        n -= 8;
    }
    while (n--) crc = __builtin_arm_crc32cb(crc, *p++);
    return crc;
}

#else
int ckafka_crc32c_hardware_available(void) { return 0; }
static uint32_t crc_bytes(uint32_t crc, const unsigned char *p, size_t n) { (void)p; (void)n; return crc; }
#endif

uint32_t ckafka_crc32c_hardware(uint32_t crc, const void *data, size_t length) {
    return crc_bytes(crc, (const unsigned char *)data, length);
}
