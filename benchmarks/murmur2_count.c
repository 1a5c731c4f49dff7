/* Baseline for scripts/bench-keys: the plainest fast loop that does the core of `keys` —
 * read a file, split lines, hash each with Kafka's murmur2, count per partition.
 * Written for this benchmark from the algorithm's description (Kafka Utils.murmur2).
 * usage: murmur2_count FILE PARTITIONS */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t murmur2(const unsigned char *data, size_t length) {
    const uint32_t m = 0x5bd1e995;
    uint32_t h = 0x9747b28c ^ (uint32_t)length;
    size_t i = 0;
    for (; i + 4 <= length; i += 4) {
        uint32_t k;
        memcpy(&k, data + i, 4);
        k *= m; k ^= k >> 24; k *= m;
        h *= m; h ^= k;
    }
    switch (length & 3) {
    case 3: h ^= (uint32_t)data[i + 2] << 16; /* fall through */
    case 2: h ^= (uint32_t)data[i + 1] << 8;  /* fall through */
    case 1: h ^= data[i]; h *= m;
    }
    h ^= h >> 13; h *= m; h ^= h >> 15;
    return h;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: murmur2_count FILE PARTITIONS\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    uint32_t n = (uint32_t)atoi(argv[2]);
    uint64_t *counts = calloc(n, sizeof *counts);
    size_t cap = 1 << 20, have = 0;
    unsigned char *buf = malloc(cap + 4096);
    size_t got;
    while ((got = fread(buf + have, 1, cap - have, f)) > 0) {
        have += got;
        unsigned char *p = buf, *end = buf + have, *nl;
        while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
            size_t len = (size_t)(nl - p);
            if (len && p[len - 1] == '\r') len--;
            counts[(murmur2(p, len) & 0x7fffffff) % n]++;
            p = nl + 1;
        }
        have = (size_t)(end - p);
        memmove(buf, p, have);
    }
    if (have) counts[(murmur2(buf, have) & 0x7fffffff) % n]++;
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++) total += counts[i];
    printf("%llu keys\n", (unsigned long long)total);
    return 0;
}
