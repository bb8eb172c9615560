// Hash kernel: SHA-256 (FIPS 180-4) and the CRC-32 of zlib over a generated buffer, chained: each round changes
// the buffer by the previous digest, so no round can be skipped. The digest of "abc" is printed first as a known
// answer (ba7816bf...15ad).
//   sha256 [KB]   KB (kilobytes hashed in all, in rounds of at most 64 KB) defaults to 106,496 (104 MB)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint32_t k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

// One 64-byte block into the state h.
static void compress(uint32_t h[8], const uint8_t *block) {
    uint32_t w[64];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)block[4 * t] << 24 | (uint32_t)block[4 * t + 1] << 16 | (uint32_t)block[4 * t + 2] << 8 | block[4 * t + 3];
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[t] + w[t];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha256(const uint8_t *data, size_t len, uint8_t digest[32]) {
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t full = len / 64 * 64;
    for (size_t i = 0; i < full; i += 64) compress(h, data + i);
    // The padding: a 1 bit, zeros, and the length in bits as a big-endian 64-bit number, in one or two blocks.
    uint8_t tail[128] = {0};
    size_t rest = len - full;
    memcpy(tail, data + full, rest);
    tail[rest] = 0x80;
    size_t tail_len = rest < 56 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) tail[tail_len - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t i = 0; i < tail_len; i += 64) compress(h, tail + i);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(h[i] >> 24); digest[4 * i + 1] = (uint8_t)(h[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(h[i] >> 8); digest[4 * i + 3] = (uint8_t)h[i];
    }
}

static uint32_t crc_table[256];

// The reflected CRC-32 of zlib and PNG (polynomial 0x04c11db7, reversed).
static void crc_init(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int b = 0; b < 8; b++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc32(uint32_t crc, const uint8_t *data, size_t len) {
    crc = ~crc;
    for (size_t i = 0; i < len; i++) crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static void print_hex(const char *label, const uint8_t *bytes, int n) {
    printf("%s", label);
    for (int i = 0; i < n; i++) printf("%02x", bytes[i]);
    printf("\n");
}

#define CHUNK_KB 64

int main(int argc, char **argv) {
    long kb = argc > 1 ? strtol(argv[1], NULL, 10) : 106496;
    if (kb < 1) kb = 1;
    uint8_t digest[32];
    sha256((const uint8_t *)"abc", 3, digest);
    print_hex("sha256(abc) = ", digest, 32);
    crc_init();
    printf("crc32(123456789) = %08x\n", crc32(0, (const uint8_t *)"123456789", 9));

    // Rounds of a chunk minus a few bytes, so the padding takes its two-block path ("abc" took the one-block one).
    size_t chunk = (size_t)(kb < CHUNK_KB ? kb : CHUNK_KB) * 1024, len = chunk - 5;
    long rounds = kb < CHUNK_KB ? 1 : kb / CHUNK_KB;
    uint8_t *buffer = malloc(chunk);
    uint32_t x = 1;
    for (size_t i = 0; i < chunk; i++) { x = x * 1103515245u + 12345u; buffer[i] = (uint8_t)(x >> 16); }
    uint32_t crc = 0;
    for (long round = 0; round < rounds; round++) {
        sha256(buffer, len, digest);
        crc = crc32(crc, buffer, len);
        for (int i = 0; i < 32; i++) buffer[(size_t)round * 4099 % (len - 32) + i] ^= digest[i];
    }
    print_hex("sha256 chain = ", digest, 32);
    printf("crc32 chain = %08x over %ld rounds of %zu bytes\n", crc, rounds, len);
    free(buffer);
    return 0;
}
