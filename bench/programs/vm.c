// Branchy kernel: an interpreter for a small register machine, dispatching on every instruction through a switch
// (a jump table in the compiled code). It runs two guest programs: counting primes by trial division, and sorting
// pseudo-random arrays in the machine's memory by insertion sort.
//   vm [N]   N (the bound of the prime count) defaults to 560,000; the sorted arrays grow with it
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum op { LI, MOV, ADD, ADDI, SUB, MUL, REMU, XOR, SHRI, LD, ST, BLT, BGE, BEQ, JMP, HALT, LABEL };

typedef struct { uint8_t op, a, b, c; int32_t imm; } instr;

#define REGS 16
#define MEM_WORDS 4096
#define MAX_CODE 64

typedef struct { uint32_t r[REGS]; uint32_t mem[MEM_WORDS]; uint64_t steps; } machine;

// Register 0 is never written and reads 0. Branches jump to the instruction imm; LD and ST address
// mem[r[b] + imm], wrapped to the memory's size.
static void run(machine *m, const instr *code) {
    uint32_t *r = m->r;
    uint64_t steps = 0;
    for (int pc = 0;;) {
        const instr *i = &code[pc++];
        steps++;
        switch (i->op) {
        case LI: r[i->a] = (uint32_t)i->imm; break;
        case MOV: r[i->a] = r[i->b]; break;
        case ADD: r[i->a] = r[i->b] + r[i->c]; break;
        case ADDI: r[i->a] = r[i->b] + (uint32_t)i->imm; break;
        case SUB: r[i->a] = r[i->b] - r[i->c]; break;
        case MUL: r[i->a] = r[i->b] * r[i->c]; break;
        case REMU: r[i->a] = r[i->c] ? r[i->b] % r[i->c] : 0; break;
        case XOR: r[i->a] = r[i->b] ^ r[i->c]; break;
        case SHRI: r[i->a] = r[i->b] >> (i->imm & 31); break;
        case LD: r[i->a] = m->mem[(r[i->b] + (uint32_t)i->imm) % MEM_WORDS]; break;
        case ST: m->mem[(r[i->b] + (uint32_t)i->imm) % MEM_WORDS] = r[i->a]; break;
        case BLT: if (r[i->a] < r[i->b]) pc = i->imm; break;
        case BGE: if (r[i->a] >= r[i->b]) pc = i->imm; break;
        case BEQ: if (r[i->a] == r[i->b]) pc = i->imm; break;
        case JMP: pc = i->imm; break;
        default: m->steps += steps; return;
        }
    }
}

// Programs are written with LABEL pseudo-instructions (imm: the label's number) and branches naming a label;
// assembling drops the labels and turns each branch's label into the index of the instruction it marks.
static int assemble(const instr *source, int n, instr *code) {
    int at[MAX_CODE] = {0}, len = 0;
    for (int k = 0; k < n; k++) {
        if (source[k].op == LABEL) at[source[k].imm] = len;
        else code[len++] = source[k];
    }
    for (int k = 0; k < len; k++)
        if (code[k].op == BLT || code[k].op == BGE || code[k].op == BEQ || code[k].op == JMP) code[k].imm = at[code[k].imm];
    return len;
}

#define I(op, a, b, c, imm) {op, a, b, c, imm}
#define L(n) {LABEL, 0, 0, 0, n}

// In: r6 the bound, r8 a multiplier. Out: r5 the number of primes below the bound, r7 an FNV-style hash of them.
// r1 the candidate, r2 the divisor.
static const instr primes[] = {
    I(LI, 1, 0, 0, 2), I(LI, 5, 0, 0, 0), I(LI, 7, 0, 0, (int32_t)0x811c9dc5),
    L(1), I(BGE, 1, 6, 0, 9),                         // each candidate below the bound
    I(LI, 2, 0, 0, 2),
    L(2), I(MUL, 3, 2, 2, 0), I(BLT, 1, 3, 0, 3),      // no divisor up to its square root: prime
    I(REMU, 4, 1, 2, 0), I(BEQ, 4, 0, 0, 4),          // a divisor: composite
    I(ADDI, 2, 2, 0, 1), I(JMP, 0, 0, 0, 2),
    L(3), I(ADDI, 5, 5, 0, 1), I(XOR, 7, 7, 1, 0), I(MUL, 7, 7, 8, 0), I(ST, 1, 5, 0, 0),
    L(4), I(ADDI, 1, 1, 0, 1), I(JMP, 0, 0, 0, 1),
    L(9), I(HALT, 0, 0, 0, 0),
};

// In: r1 the length, r2 the number of rounds, r9 and r10 a linear congruential generator's constants.
// Out: r8 a checksum of every sorted array. r3 the generator's state, r4 and r5 indices, r6 the key, r7 scratch.
static const instr sorts[] = {
    I(LI, 3, 0, 0, 12345), I(LI, 8, 0, 0, 0),
    L(1), I(BEQ, 2, 0, 0, 9),                         // each round
    I(LI, 4, 0, 0, 0),
    L(2), I(BGE, 4, 1, 0, 3),                         // fill mem[0, len) from the generator
    I(MUL, 3, 3, 9, 0), I(ADD, 3, 3, 10, 0), I(SHRI, 7, 3, 0, 8), I(ST, 7, 4, 0, 0),
    I(ADDI, 4, 4, 0, 1), I(JMP, 0, 0, 0, 2),
    L(3), I(LI, 4, 0, 0, 1),
    L(4), I(BGE, 4, 1, 0, 6),                         // insert mem[i] into the sorted mem[0, i)
    I(LD, 6, 4, 0, 0), I(MOV, 5, 4, 0, 0),
    L(5), I(BEQ, 5, 0, 0, 7),
    I(LD, 7, 5, 0, -1), I(BGE, 6, 7, 0, 7),
    I(ST, 7, 5, 0, 0), I(ADDI, 5, 5, 0, -1), I(JMP, 0, 0, 0, 5),
    L(7), I(ST, 6, 5, 0, 0), I(ADDI, 4, 4, 0, 1), I(JMP, 0, 0, 0, 4),
    L(6), I(LI, 4, 0, 0, 0),
    L(8), I(BGE, 4, 1, 0, 10),                        // checksum += mem[i] * (i + 1)
    I(LD, 7, 4, 0, 0), I(ADDI, 11, 4, 0, 1), I(MUL, 7, 7, 11, 0), I(ADD, 8, 8, 7, 0),
    I(ADDI, 4, 4, 0, 1), I(JMP, 0, 0, 0, 8),
    L(10), I(ADDI, 2, 2, 0, -1), I(JMP, 0, 0, 0, 1),
    L(9), I(HALT, 0, 0, 0, 0),
};

#define COUNT(a) ((int)(sizeof a / sizeof a[0]))

int main(int argc, char **argv) {
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 560000u;
    static machine m;
    static instr code[MAX_CODE];

    assemble(primes, COUNT(primes), code);
    m.r[6] = n;
    m.r[8] = 16777619u;
    run(&m, code);
    printf("vm primes below %u: %u, hash %08x\n", n, m.r[5], m.r[7]);

    assemble(sorts, COUNT(sorts), code);
    uint32_t len = n / 200 < 8 ? 8 : n / 200 > MEM_WORDS ? MEM_WORDS : n / 200;
    m.r[1] = len;
    m.r[2] = 24;
    m.r[9] = 1664525u;
    m.r[10] = 1013904223u;
    run(&m, code);
    printf("vm 24 insertion sorts of %u words: checksum %08x, smallest %u, largest %u\n", len, m.r[8], m.mem[0], m.mem[len - 1]);
    printf("vm instructions executed: %llu\n", (unsigned long long)m.steps);
    return 0;
}
