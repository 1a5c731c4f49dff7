// Hardware CRC-32C: the x86-64 SSE4.2 `crc32` instruction or the ARMv8 CRC extension, chosen at run
// time. The Swift slicing-by-8 code in KafkaProtocol is the fallback and the reference.
#ifndef CKAFKA_CRC32C_H
#define CKAFKA_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has a CRC-32C instruction, else 0.
int ckafka_crc32c_hardware_available(void);

/// Continues the (non-inverted) register `crc` over `length` bytes; callers invert before and after.
uint32_t ckafka_crc32c_hardware(uint32_t crc, const void *data, size_t length);

#endif
