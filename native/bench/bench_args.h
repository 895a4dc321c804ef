/*
 * Command-line parsing shared by the C benchmark programs (jsel_floor, jsel_echo_server).
 * Header-only: each program is a single file, and this keeps them so.
 */
#ifndef JSEL_BENCH_ARGS_H
#define JSEL_BENCH_ARGS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* The value of option `flag` as an integer in [min, max]; otherwise says so, naming both, and exits 64. */
static inline long bench_parse_long(const char *program, const char *flag, const char *value, long min, long max)
{
    char *end;
    errno = 0;
    long v = value == NULL ? 0 : strtol(value, &end, 10);
    if (value == NULL || errno != 0 || *value == '\0' || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "%s: %s must be an integer from %ld to %ld, got '%s'\n", program, flag, min, max,
                value == NULL ? "" : value);
        exit(64);
    }
    return v;
}

#endif
