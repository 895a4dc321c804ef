/* jsel_epoll_*: create, ctl (every op and its errors), wait and pwait2 (timeouts, data, EINTR). */
#include "check.h"
#include "interrupt.h"
#include "jsel.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Whether the kernel running the tests has epoll_pwait2 (Linux 5.11; qemu-user 7.2 does not emulate
 * it), asked directly rather than through the code under test: where it has it, jsel_epoll_pwait2 must
 * work; where it has not, it must answer -ENOSYS. */
static int kernel_has_epoll_pwait2(void)
{
    return syscall(SYS_epoll_pwait2, -1, NULL, 1, NULL, NULL, (size_t)0) < 0 && errno == EBADF;
}

static void create_is_close_on_exec(void)
{
    int ep = jsel_epoll_create1(EPOLL_CLOEXEC);
    CHECK(ep >= 0);
    CHECK(fcntl(ep, F_GETFD) & FD_CLOEXEC);
    CHECK_EQ(jsel_close(ep), 0);
}

static void create_with_bad_flags_is_einval(void)
{
    CHECK_EQ(jsel_epoll_create1(0x7fff0000), -EINVAL);
}

static void ctl_add_mod_del_and_their_errors(void)
{
    int ep = jsel_epoll_create1(EPOLL_CLOEXEC);
    int p[2];
    CHECK_OK(pipe(p));
    CHECK_EQ(jsel_epoll_ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 1), -ENOENT);
    CHECK_EQ(jsel_epoll_ctl(ep, EPOLL_CTL_DEL, p[0], 0, 0), -ENOENT);
    CHECK_EQ(jsel_epoll_ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1), 0);
    CHECK_EQ(jsel_epoll_ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1), -EEXIST);
    CHECK_EQ(jsel_epoll_ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLRDHUP, 2), 0);
    CHECK_EQ(jsel_epoll_ctl(ep, EPOLL_CTL_DEL, p[0], 0, 0), 0);
    CHECK_EQ(jsel_epoll_ctl(ep, 99, p[0], EPOLLIN, 0), -EINVAL);
    CHECK_EQ(jsel_epoll_ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0), -EINVAL); /* itself */
    CHECK_EQ(jsel_epoll_ctl(ep, EPOLL_CTL_ADD, 19000, EPOLLIN, 0), -EBADF);
    CHECK_EQ(jsel_epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], EPOLLIN, 0), -EINVAL); /* not an epoll fd */
    close(p[0]);
    close(p[1]);
    close(ep);
}

static void regular_file_is_eperm(void)
{
    char path[] = "/tmp/jsel-test-XXXXXX";
    int file = mkstemp(path);
    CHECK(file >= 0);
    unlink(path);
    int ep = jsel_epoll_create1(EPOLL_CLOEXEC);
    CHECK_EQ(jsel_epoll_ctl(ep, EPOLL_CTL_ADD, file, EPOLLIN, 0), -EPERM);
    close(file);
    close(ep);
}

static void wait_reports_events_and_data(void)
{
    int ep = jsel_epoll_create1(EPOLL_CLOEXEC);
    int p[2];
    CHECK_OK(pipe(p));
    const uint64_t tag = 0x123456789abcdef0ULL;
    CHECK_EQ(jsel_epoll_ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, tag), 0);
    struct epoll_event events[4];
    CHECK_EQ(jsel_epoll_wait(ep, events, 4, 0), 0);
    CHECK_EQ(write(p[1], "x", 1), 1);
    CHECK_EQ(jsel_epoll_wait(ep, events, 4, 0), 1);
    CHECK_EQ(events[0].events, EPOLLIN);
    CHECK(events[0].data.u64 == tag);
    if (kernel_has_epoll_pwait2()) {
        CHECK_EQ(jsel_epoll_pwait2(ep, events, 4, 0), 1);
        CHECK(events[0].data.u64 == tag);
    } else {
        CHECK_EQ(jsel_epoll_pwait2(ep, events, 4, 0), -ENOSYS);
    }
    close(p[0]);
    close(p[1]);
    close(ep);
}

static void wait_with_zero_maxevents_is_einval(void)
{
    int ep = jsel_epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event events[1];
    CHECK_EQ(jsel_epoll_wait(ep, events, 0, 0), -EINVAL);
    CHECK_EQ(jsel_epoll_pwait2(ep, events, 0, 0), kernel_has_epoll_pwait2() ? -EINVAL : -ENOSYS);
    CHECK_EQ(jsel_epoll_wait(ep, events, -1, 0), -EINVAL);
    close(ep);
}

static void wait_on_closed_or_wrong_fd(void)
{
    struct epoll_event events[1];
    CHECK_EQ(jsel_epoll_wait(19000, events, 1, 0), -EBADF);
    int p[2];
    CHECK_OK(pipe(p));
    CHECK_EQ(jsel_epoll_wait(p[0], events, 1, 0), -EINVAL);
    close(p[0]);
    close(p[1]);
}

static void wait_timeout_waits_at_least_as_asked(void)
{
    int ep = jsel_epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event events[1];
    double start = monotonic_seconds();
    CHECK_EQ(jsel_epoll_wait(ep, events, 1, 30), 0);
    CHECK(monotonic_seconds() - start >= 0.030);
    close(ep);
}

static void pwait2_honours_sub_millisecond_timeouts(void)
{
    int ep = jsel_epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event events[1];
    int rc = jsel_epoll_pwait2(ep, events, 1, 300000); /* 0.3 ms */
    if (!kernel_has_epoll_pwait2()) {
        fprintf(stderr, "  (epoll_pwait2 not in this kernel: -ENOSYS is the expected answer)\n");
        CHECK_EQ(rc, -ENOSYS);
    } else {
        CHECK_EQ(rc, 0);
        /* 2000 waits of 0.3 ms take at least 0.6 s, and far less than the 2 s that whole-ms
         * epoll_wait timeouts would. */
        double start = monotonic_seconds();
        for (int i = 0; i < 2000; i++)
            CHECK_EQ(jsel_epoll_pwait2(ep, events, 1, 300000), 0);
        double elapsed = monotonic_seconds() - start;
        CHECK(elapsed >= 0.6);
        CHECK(elapsed < 1.9);
    }
    close(ep);
}

static void signal_interrupts_with_eintr(void)
{
    int ep = jsel_epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event events[1];
    struct interrupter in;
    interrupt_start(&in, 50000);
    CHECK_EQ(jsel_epoll_wait(ep, events, 1, 5000), -EINTR);
    interrupt_join(&in);
    interrupt_start(&in, 50000);
    int rc = jsel_epoll_pwait2(ep, events, 1, 5000000000LL);
    CHECK_EQ(rc, kernel_has_epoll_pwait2() ? -EINTR : -ENOSYS);
    interrupt_join(&in);
    close(ep);
}

int main(void)
{
    RUN(create_is_close_on_exec);
    RUN(create_with_bad_flags_is_einval);
    RUN(ctl_add_mod_del_and_their_errors);
    RUN(regular_file_is_eperm);
    RUN(wait_reports_events_and_data);
    RUN(wait_with_zero_maxevents_is_einval);
    RUN(wait_on_closed_or_wrong_fd);
    RUN(wait_timeout_waits_at_least_as_asked);
    RUN(pwait2_honours_sub_millisecond_timeouts);
    RUN(signal_interrupts_with_eintr);
    return CHECK_EXIT();
}
