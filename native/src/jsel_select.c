/* select(2) over caller-given descriptor lists, with fd sets sized to the largest descriptor. */
#define _GNU_SOURCE
#include "jsel.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/select.h>

/* The kernel reads an fd set as an array of unsigned longs, one bit per descriptor. FD_SET and
 * FD_ISSET are not used: with _FORTIFY_SOURCE glibc aborts the process on any fd >= FD_SETSIZE. */
#define BITS_PER_WORD (CHAR_BIT * sizeof(unsigned long))

static void bit_set(unsigned long *set, int fd)
{
    set[(unsigned)fd / BITS_PER_WORD] |= 1UL << ((unsigned)fd % BITS_PER_WORD);
}

static int bit_isset(const unsigned long *set, int fd)
{
    return (set[(unsigned)fd / BITS_PER_WORD] >> ((unsigned)fd % BITS_PER_WORD)) & 1UL;
}

int jsel_select(int *fds, int nread, int nwrite, int nexcept, int64_t timeout_us)
{
    const int lens[3] = { nread, nwrite, nexcept };
    if (nread < 0 || nwrite < 0 || nexcept < 0)
        return -EINVAL;
    const int total = nread + nwrite + nexcept;

    int maxfd = -1;
    for (int i = 0; i < total; i++) {
        if (fds[i] < 0)
            return -EBADF;
        if (fds[i] > maxfd)
            maxfd = fds[i];
    }

    /* The kernel silently ignores descriptors at or past the size of the process's fd table instead
     * of failing with EBADF, so a closed high descriptor would look idle forever. The table is at
     * least 64 entries and never shrinks: once a descriptor was seen open, every one up to it is in
     * range, so the check costs a system call only when the largest descriptor sets a new record. */
    static int in_table_up_to = 63;
    if (maxfd > __atomic_load_n(&in_table_up_to, __ATOMIC_RELAXED)) {
        if (fcntl(maxfd, F_GETFD) < 0)
            return -errno;
        int seen = __atomic_load_n(&in_table_up_to, __ATOMIC_RELAXED);
        while (maxfd > seen &&
               !__atomic_compare_exchange_n(&in_table_up_to, &seen, maxfd, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            ;
    }

    /* Up to FD_SETSIZE the three sets live on the stack; past it they are sized to maxfd. */
    const size_t words = maxfd < 0 ? 1 : (size_t)maxfd / BITS_PER_WORD + 1;
    unsigned long stack_sets[3 * (FD_SETSIZE / BITS_PER_WORD)];
    unsigned long *sets = stack_sets;
    if (words > FD_SETSIZE / BITS_PER_WORD) {
        sets = calloc(3 * words, sizeof(unsigned long));
        if (sets == NULL)
            return -ENOMEM;
    } else {
        memset(stack_sets, 0, 3 * words * sizeof(unsigned long));
    }
    unsigned long *set[3] = { sets, sets + words, sets + 2 * words };

    for (int s = 0, i = 0; s < 3; s++)
        for (int k = 0; k < lens[s]; k++, i++)
            bit_set(set[s], fds[i]);

    struct timeval tv, *tvp = NULL;
    if (timeout_us >= 0) {
        tv.tv_sec = (time_t)(timeout_us / 1000000);
        tv.tv_usec = (suseconds_t)(timeout_us % 1000000);
        tvp = &tv;
    }
    /* An empty list is passed as NULL so the kernel does not scan a set nobody asked about. */
    int rc = select(maxfd + 1, nread ? (fd_set *)set[0] : NULL, nwrite ? (fd_set *)set[1] : NULL,
                    nexcept ? (fd_set *)set[2] : NULL, tvp);
    if (rc < 0) {
        rc = -errno;
    } else {
        int ready = 0;
        for (int s = 0, i = 0; s < 3; s++) {
            for (int k = 0; k < lens[s]; k++, i++) {
                if (rc > 0 && bit_isset(set[s], fds[i]))
                    ready++;
                else
                    fds[i] = -1;
            }
        }
        rc = ready;
    }
    if (sets != stack_sets)
        free(sets);
    return rc;
}
