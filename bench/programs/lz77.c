// Compression kernel: an LZ77 round trip over generated English-like text. The compressor finds matches in a 32 KB
// window through hash chains (the three bytes at each position hashed, each chain searched at most 48 deep, the first
// longest match kept); the decompressor copies them back byte by byte, overlapping copies included, and the result
// must equal the input.
//   lz77 [KB]   KB (of text) defaults to 7168
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW (1 << 15)
#define HASH_BITS 15
#define MAX_CHAIN 48
#define MIN_MATCH 3
#define MAX_MATCH (127 + MIN_MATCH)
#define MAX_LITERALS 128

static uint32_t rng_state = 0x12345678u;

static uint32_t next_random(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static const char *const words[] = {
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not",
    "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they", "you", "were",
    "their", "one", "all", "we", "can", "her", "has", "there", "been", "if", "more", "when", "will", "would", "who",
    "so", "no", "module", "memory", "table", "function", "instruction", "validation", "execution", "stack", "value",
    "reference", "interpreter", "compiler", "register", "branch", "loop", "block", "result", "parameter", "local",
};

// Words drawn with a skew towards the front of the list, as in natural text, with sentences and paragraphs.
static size_t generate(uint8_t *text, size_t n) {
    size_t count = sizeof words / sizeof words[0], at = 0;
    int in_sentence = 0;
    while (at + 16 < n) {
        uint32_t r = next_random();
        size_t w = (size_t)((uint64_t)(r % 1024) * (r % 1024) * count >> 20);
        const char *word = words[w];
        size_t len = strlen(word);
        memcpy(text + at, word, len);
        if (!in_sentence && text[at] >= 'a') text[at] -= 'a' - 'A';
        at += len;
        in_sentence = 1;
        uint32_t p = next_random() % 64;
        if (p < 4) { text[at++] = '.'; in_sentence = 0; }
        else if (p < 7) text[at++] = ',';
        text[at++] = p == 0 ? '\n' : ' ';
    }
    return at;
}

static uint32_t hash3(const uint8_t *p) {
    return ((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]) * 2654435761u >> (32 - HASH_BITS);
}

// Tokens: a byte 0..127 is a run of that many plus one literals, which follow it; a byte 128 + k is a match of
// k + MIN_MATCH bytes, followed by its distance back, 1..WINDOW, as two bytes (little-endian, minus one).
static size_t compress(const uint8_t *in, size_t n, uint8_t *out, uint64_t *searched) {
    static int32_t head[1 << HASH_BITS];
    static int32_t prev[WINDOW];
    memset(head, -1, sizeof head);
    size_t o = 0, literals_at = 0, literals = 0, pos = 0;
    while (pos < n) {
        size_t best_len = 0, best_dist = 0;
        if (pos + MIN_MATCH <= n) {
            uint32_t h = hash3(in + pos);
            size_t limit = n - pos < MAX_MATCH ? n - pos : MAX_MATCH;
            int32_t cand = head[h];
            for (int chain = 0; chain < MAX_CHAIN && cand >= 0 && pos - (size_t)cand <= WINDOW; chain++) {
                ++*searched;
                size_t len = 0;
                while (len < limit && in[cand + len] == in[pos + len]) len++;
                if (len > best_len) { best_len = len; best_dist = pos - (size_t)cand; if (len == limit) break; }
                cand = prev[cand % WINDOW];
            }
        }
        if (best_len >= MIN_MATCH) {
            if (literals) { out[literals_at] = (uint8_t)(literals - 1); literals = 0; }
            out[o++] = (uint8_t)(128 + best_len - MIN_MATCH);
            out[o++] = (uint8_t)((best_dist - 1) & 0xff);
            out[o++] = (uint8_t)((best_dist - 1) >> 8);
        } else {
            best_len = 1;
            if (!literals) literals_at = o++;
            out[o++] = in[pos];
            if (++literals == MAX_LITERALS) { out[literals_at] = (uint8_t)(literals - 1); literals = 0; }
        }
        // Every position covered goes into its chain, so later matches can start inside this one.
        for (size_t end = pos + best_len; pos < end; pos++) {
            if (pos + MIN_MATCH > n) continue;
            uint32_t h = hash3(in + pos);
            prev[pos % WINDOW] = head[h];
            head[h] = (int32_t)pos;
        }
    }
    if (literals) out[literals_at] = (uint8_t)(literals - 1);
    return o;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out) {
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint8_t token = in[i++];
        if (token < 128) {
            for (int k = 0; k <= token; k++) out[o++] = in[i++];
        } else {
            size_t len = token - 128 + MIN_MATCH, dist = (size_t)(in[i] | in[i + 1] << 8) + 1;
            i += 2;
            for (size_t k = 0; k < len; k++, o++) out[o] = out[o - dist];
        }
    }
    return o;
}

int main(int argc, char **argv) {
    long kb = argc > 1 ? strtol(argv[1], NULL, 10) : 7168;
    if (kb < 1) kb = 1;
    size_t cap = (size_t)kb * 1024;
    uint8_t *text = malloc(cap), *packed = malloc(cap + cap / 64 + 16), *unpacked = malloc(cap);
    size_t n = generate(text, cap);
    uint64_t searched = 0;
    size_t packed_len = compress(text, n, packed, &searched);
    size_t unpacked_len = decompress(packed, packed_len, unpacked);
    int same = unpacked_len == n && memcmp(text, unpacked, n) == 0;
    uint32_t hash = 0x811c9dc5u;
    for (size_t i = 0; i < packed_len; i++) hash = (hash ^ packed[i]) * 16777619u;
    printf("lz77: %zu bytes of text -> %zu bytes (%.2f%%), %llu candidates compared, compressed fnv %08x\n", n, packed_len,
           100.0 * (double)packed_len / (double)n, (unsigned long long)searched, hash);
    printf("lz77: round trip %s\n", same ? "identical" : "DIFFERS");
    free(text); free(packed); free(unpacked);
    return same ? 0 : 1;
}
