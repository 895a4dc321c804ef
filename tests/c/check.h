/*
 * A minimal test harness for the jsel_* core: one behaviour per test function, each run with a
 * descriptor-leak check (the count of /proc/self/fd before and after must match).
 */
#ifndef JSEL_CHECK_H
#define JSEL_CHECK_H

#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int check_failures;
static int check_skips;

/* The emulator the tests run under (qemu-aarch64 for the aarch64 builds), from JSELECT_TEST_EMULATOR,
 * which CMake sets for them; NULL when they run on the machine itself. */
static inline const char *test_emulator(void)
{
    return getenv("JSELECT_TEST_EMULATOR");
}

/* Ends a test that exercises something the emulator does not do as a kernel does; RUN reports it as
 * "skip", with the reason, not as "ok". The same test runs on the machine itself in the x86_64 builds. */
#define SKIP_UNDER_EMULATOR(why)                                                                 \
    do {                                                                                         \
        if (test_emulator() != NULL) {                                                           \
            fprintf(stderr, "  (not under %s: %s)\n", test_emulator(), why);                    \
            check_skips++;                                                                       \
            return;                                                                              \
        }                                                                                        \
    } while (0)

#define CHECK(cond)                                                                              \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);             \
            check_failures++;                                                                    \
        }                                                                                        \
    } while (0)

#define CHECK_EQ(actual, expected)                                                               \
    do {                                                                                         \
        long long check_a_ = (long long)(actual), check_e_ = (long long)(expected);              \
        if (check_a_ != check_e_) {                                                              \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %lld, expected %s == %lld\n",         \
                    __FILE__, __LINE__, #actual, check_a_, #expected, check_e_);                 \
            check_failures++;                                                                    \
        }                                                                                        \
    } while (0)

/* Fails the test when a call that must succeed returns -errno. */
#define CHECK_OK(call)                                                                           \
    do {                                                                                         \
        long long check_rc_ = (long long)(call);                                                 \
        if (check_rc_ < 0) {                                                                     \
            fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call,                 \
                    strerror((int)-check_rc_));                                                  \
            check_failures++;                                                                    \
        }                                                                                        \
    } while (0)

static inline int open_fd_count(void)
{
    DIR *dir = opendir("/proc/self/fd");
    if (dir == NULL) {
        perror("opendir /proc/self/fd");
        exit(2);
    }
    int n = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL)
        if (entry->d_name[0] != '.')
            n++;
    closedir(dir);
    return n;
}

static inline double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define RUN(test)                                                                                \
    do {                                                                                         \
        int before_ = open_fd_count(), failures_ = check_failures, skips_ = check_skips;         \
        test();                                                                                  \
        int after_ = open_fd_count();                                                            \
        if (after_ != before_) {                                                                 \
            fprintf(stderr, "%s: leaked %d descriptor(s)\n", #test, after_ - before_);           \
            check_failures++;                                                                    \
        }                                                                                        \
        fprintf(stderr, "%s %s\n", check_failures != failures_ ? "FAIL"                          \
                : check_skips != skips_ ? "skip" : "ok  ", #test);                               \
    } while (0)

#define CHECK_EXIT() (check_failures == 0 ? 0 : 1)

#endif
