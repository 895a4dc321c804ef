/* jsel_poll: readiness, hang-up, invalid descriptors, timeouts and error returns. */
#include "check.h"
#include "interrupt.h"
#include "jsel.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

static void readable_and_writable(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    struct pollfd fds[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
    CHECK_EQ(jsel_poll(fds, 2, 0), 1);
    CHECK_EQ(fds[0].revents, 0);
    CHECK_EQ(fds[1].revents, POLLOUT);
    CHECK_EQ(write(p[1], "x", 1), 1);
    CHECK_EQ(jsel_poll(fds, 2, 0), 2);
    CHECK_EQ(fds[0].revents, POLLIN);
    close(p[0]);
    close(p[1]);
}

static void hangup_when_writer_closes(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    close(p[1]);
    struct pollfd fds[1] = { { p[0], POLLIN, 0 } };
    CHECK_EQ(jsel_poll(fds, 1, 0), 1);
    CHECK(fds[0].revents & POLLHUP);
    close(p[0]);
}

static void closed_descriptor_is_pollnval(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    close(p[0]);
    struct pollfd fds[1] = { { p[0], POLLIN, 0 } };
    CHECK_EQ(jsel_poll(fds, 1, 0), 1);
    CHECK_EQ(fds[0].revents, POLLNVAL);
    close(p[1]);
}

static void negative_descriptor_is_ignored(void)
{
    struct pollfd fds[1] = { { -1, POLLIN, 0 } };
    CHECK_EQ(jsel_poll(fds, 1, 0), 0);
    CHECK_EQ(fds[0].revents, 0);
}

static void timeout_waits_at_least_as_asked(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    struct pollfd fds[1] = { { p[0], POLLIN, 0 } };
    double start = monotonic_seconds();
    CHECK_EQ(jsel_poll(fds, 1, 50), 0);
    double elapsed = monotonic_seconds() - start;
    CHECK(elapsed >= 0.050);
    CHECK(elapsed < 2.0);
    close(p[0]);
    close(p[1]);
}

static void negative_count_is_einval(void)
{
    struct pollfd fds[1] = { { 0, POLLIN, 0 } };
    CHECK_EQ(jsel_poll(fds, -1, 0), -EINVAL);
}

static void bad_address_is_efault(void)
{
    CHECK_EQ(jsel_poll(NULL, 1, 0), -EFAULT);
}

static void signal_interrupts_with_eintr(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    struct pollfd fds[1] = { { p[0], POLLIN, 0 } };
    struct interrupter in;
    interrupt_start(&in, 50000);
    CHECK_EQ(jsel_poll(fds, 1, 5000), -EINTR);
    interrupt_join(&in);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    RUN(readable_and_writable);
    RUN(hangup_when_writer_closes);
    RUN(closed_descriptor_is_pollnval);
    RUN(negative_descriptor_is_ignored);
    RUN(timeout_waits_at_least_as_asked);
    RUN(negative_count_is_einval);
    RUN(bad_address_is_efault);
    RUN(signal_interrupts_with_eintr);
    return CHECK_EXIT();
}
