/* Descriptors: eventfd, pipe2, read, write, close. */
#define _GNU_SOURCE
#include "jsel.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

int jsel_eventfd(unsigned int initval, int flags)
{
    int rc = eventfd(initval, flags);
    return rc < 0 ? -errno : rc;
}

int jsel_eventfd_write(int fd, uint64_t value)
{
    ssize_t n = write(fd, &value, sizeof value);
    if (n < 0)
        return -errno;
    return n == (ssize_t)sizeof value ? 0 : -EIO;
}

int64_t jsel_eventfd_read(int fd)
{
    uint64_t value;
    ssize_t n = read(fd, &value, sizeof value);
    if (n < 0)
        return -errno;
    if (n != (ssize_t)sizeof value)
        return -EIO;
    /* The counter never exceeds 0xfffffffffffffffe; anything past INT64_MAX is reported as full. */
    return value > INT64_MAX ? INT64_MAX : (int64_t)value;
}

int jsel_close(int fd)
{
    /* No retry on EINTR: on Linux the descriptor is released even then, and a second close could
     * hit a number another thread has just been given. */
    int rc = close(fd);
    return rc < 0 ? -errno : 0;
}

int jsel_pipe2(int fds[2], int flags)
{
    int rc = pipe2(fds, flags);
    return rc < 0 ? -errno : 0;
}

int64_t jsel_read(int fd, void *buf, size_t len)
{
    ssize_t n = read(fd, buf, len);
    return n < 0 ? -errno : (int64_t)n;
}

int64_t jsel_write(int fd, const void *buf, size_t len)
{
    ssize_t n = write(fd, buf, len);
    return n < 0 ? -errno : (int64_t)n;
}
