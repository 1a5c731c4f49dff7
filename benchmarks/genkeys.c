/* Writes N keys to stdout, one per line: 16–36 bytes of [a-z0-9-], drawn from D distinct keys.
 * Deterministic for a seed. Used by scripts/bench-keys; not part of the product.
 * usage: genkeys N D [SEED] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t mix(uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: genkeys N DISTINCT [SEED]\n"); return 2; }
    uint64_t n = strtoull(argv[1], 0, 10), d = strtoull(argv[2], 0, 10);
    uint64_t seed = argc > 3 ? strtoull(argv[3], 0, 10) : 1, state = seed;
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
    static char buf[1 << 16];
    size_t used = 0;
    for (uint64_t i = 0; i < n; i++) {
        state = mix(state);
        uint64_t id = state % d;          /* which distinct key */
        uint64_t h = mix(id ^ (seed << 32));
        int len = 16 + (int)(h % 21);     /* 16..36 bytes, fixed per key */
        if (used + 40 > sizeof buf) { fwrite(buf, 1, used, stdout); used = 0; }
        for (int j = 0; j < len; j++) {
            h = mix(h);
            buf[used++] = alphabet[h % 37];
        }
        buf[used++] = '\n';
    }
    fwrite(buf, 1, used, stdout);
    return 0;
}
