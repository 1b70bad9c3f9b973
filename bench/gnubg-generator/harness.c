/*
 * Times GNU Backgammon's move generator on the positions bench/engine.ts writes: gnubg's own
 * GenerateMoves and what it calls, taken unchanged from the gnubg source this is built against
 * (see build.sh, which appends them below), with gnubg's own headers and types.
 * Input: one position per line, 50 counts: the opponent's points 1-24 and bar, then the
 * player's, in gnubg's layout. Output: one line, the median of `rounds` timed rounds.
 * Usage: gnubg-generator ROUNDS < positions.txt
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "eval.h"
#include "positionid.h"

#define MAX_POSITIONS 100000

static move moveBuffer[MAX_INCOMPLETE_MOVES];
#undef MT_Get_aMoves
#define MT_Get_aMoves() moveBuffer
#undef g_assert
#define g_assert(condition) ((void) 0)

static TanBoard boards[MAX_POSITIONS];

static double cpuSeconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return now.tv_sec + now.tv_nsec / 1e9;
}

static int readPositions(void) {
    int count = 0;
    while (count < MAX_POSITIONS) {
        for (int side = 0; side < 2; side++) {
            for (int point = 0; point < 25; point++) {
                if (scanf("%u", &boards[count][side][point]) != 1) return count;
            }
        }
        count++;
    }
    return count;
}

static int byValue(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 7;
    if (rounds < 1 || rounds > 100) rounds = 7;
    int positions = readPositions();
    double rates[100];
    long plays = 0;
    movelist list;
    for (int round = -2; round < rounds; round++) {
        plays = 0;
        double started = cpuSeconds();
        for (int p = 0; p < positions; p++) {
            for (int high = 1; high <= 6; high++) {
                for (int low = 1; low <= high; low++) plays += GenerateMoves(&list, (ConstTanBoard) boards[p], high, low, FALSE);
            }
        }
        double seconds = cpuSeconds() - started;
        if (round >= 0) rates[round] = positions * 21 / seconds;
    }
    qsort(rates, rounds, sizeof rates[0], byValue);
    printf("{\"positions\":%d,\"plays\":%ld,\"positionRollsPerCpuSecond\":%.0f}\n", positions, plays, rates[rounds / 2]);
    return 0;
}

/* gnubg's functions follow (appended by build.sh). */
