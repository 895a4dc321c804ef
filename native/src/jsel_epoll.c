/* epoll(7): epoll_create1, epoll_ctl, epoll_wait and epoll_pwait2. */
#define _GNU_SOURCE
#include "jsel.h"

#include <errno.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int jsel_epoll_create1(int flags)
{
    int rc = epoll_create1(flags);
    return rc < 0 ? -errno : rc;
}

int jsel_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data)
{
    struct epoll_event ev = { .events = events, .data.u64 = data };
    int rc = epoll_ctl(epfd, op, fd, &ev);
    return rc < 0 ? -errno : rc;
}

int jsel_epoll_wait(int epfd, void *events, int maxevents, int timeout_ms)
{
    int rc = epoll_wait(epfd, (struct epoll_event *)events, maxevents, timeout_ms < 0 ? -1 : timeout_ms);
    return rc < 0 ? -errno : rc;
}

int jsel_epoll_pwait2(int epfd, void *events, int maxevents, int64_t timeout_ns)
{
#ifdef SYS_epoll_pwait2
    /* The raw system call rather than glibc's wrapper (2.35+), so the library also loads on an
     * older glibc and the kernel alone decides, by ENOSYS, whether the call exists. */
    struct timespec ts, *tsp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = (time_t)(timeout_ns / 1000000000);
        ts.tv_nsec = (long)(timeout_ns % 1000000000);
        tsp = &ts;
    }
    long rc = syscall(SYS_epoll_pwait2, epfd, events, maxevents, tsp, NULL, (size_t)0);
    return rc < 0 ? -errno : (int)rc;
#else
    (void)epfd; (void)events; (void)maxevents; (void)timeout_ns;
    return -ENOSYS;
#endif
}
