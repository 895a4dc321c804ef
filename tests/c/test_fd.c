/* jsel_eventfd*, jsel_pipe2, jsel_read, jsel_write, jsel_close, and the layout/constant/strerror facts. */
#include "check.h"
#include "jsel.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

static void eventfd_counts_and_resets(void)
{
    int fd = jsel_eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    CHECK(fd >= 0);
    CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    CHECK_EQ(jsel_eventfd_read(fd), -EAGAIN);
    CHECK_EQ(jsel_eventfd_write(fd, 1), 0);
    CHECK_EQ(jsel_eventfd_write(fd, 2), 0);
    CHECK_EQ(jsel_eventfd_read(fd), 3);
    CHECK_EQ(jsel_eventfd_read(fd), -EAGAIN);
    CHECK_EQ(jsel_close(fd), 0);
}

static void eventfd_errors(void)
{
    CHECK_EQ(jsel_eventfd(0, 0x7fff0000), -EINVAL);
    CHECK_EQ(jsel_eventfd_write(19000, 1), -EBADF);
    CHECK_EQ(jsel_eventfd_read(19000), -EBADF);
    int fd = jsel_eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    CHECK_EQ(jsel_eventfd_write(fd, UINT64_MAX), -EINVAL); /* the one value the counter refuses */
    close(fd);
}

static void close_twice_is_ebadf(void)
{
    int fd = jsel_eventfd(0, EFD_CLOEXEC);
    CHECK_EQ(jsel_close(fd), 0);
    CHECK_EQ(jsel_close(fd), -EBADF);
    CHECK_EQ(jsel_close(-1), -EBADF);
}

static void pipe_read_write(void)
{
    int p[2];
    CHECK_EQ(jsel_pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
    CHECK(fcntl(p[0], F_GETFD) & FD_CLOEXEC);
    CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
    char buf[8];
    CHECK_EQ(jsel_read(p[0], buf, sizeof buf), -EAGAIN);
    CHECK_EQ(jsel_write(p[1], "abc", 3), 3);
    CHECK_EQ(jsel_read(p[0], buf, sizeof buf), 3);
    CHECK(memcmp(buf, "abc", 3) == 0);
    close(p[1]);
    CHECK_EQ(jsel_read(p[0], buf, sizeof buf), 0); /* EOF */
    close(p[0]);
    CHECK_EQ(jsel_pipe2(p, 0x7fff0000), -EINVAL);
    CHECK_EQ(jsel_read(19000, buf, 1), -EBADF);
    CHECK_EQ(jsel_write(19000, buf, 1), -EBADF);
}

static void write_to_closed_pipe_is_epipe(void)
{
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    CHECK_EQ(jsel_pipe2(p, O_CLOEXEC), 0);
    close(p[0]);
    CHECK_EQ(jsel_write(p[1], "x", 1), -EPIPE);
    close(p[1]);
}

static void layouts_match_the_headers(void)
{
    CHECK_EQ(jsel_layout(JSEL_EPOLL_EVENT_SIZE), sizeof(struct epoll_event));
    CHECK_EQ(jsel_layout(JSEL_EPOLL_EVENT_EVENTS_OFFSET), 0);
#if defined(__x86_64__)
    CHECK_EQ(jsel_layout(JSEL_EPOLL_EVENT_SIZE), 12);
    CHECK_EQ(jsel_layout(JSEL_EPOLL_EVENT_DATA_OFFSET), 4);
#elif defined(__aarch64__)
    CHECK_EQ(jsel_layout(JSEL_EPOLL_EVENT_SIZE), 16);
    CHECK_EQ(jsel_layout(JSEL_EPOLL_EVENT_DATA_OFFSET), 8);
#endif
    CHECK_EQ(jsel_layout(JSEL_POLLFD_SIZE), 8);
    CHECK_EQ(jsel_layout(JSEL_POLLFD_FD_OFFSET), 0);
    CHECK_EQ(jsel_layout(JSEL_POLLFD_EVENTS_OFFSET), 4);
    CHECK_EQ(jsel_layout(JSEL_POLLFD_REVENTS_OFFSET), 6);
    CHECK_EQ(jsel_layout(JSEL_LAYOUT_COUNT), -EINVAL);
    CHECK_EQ(jsel_layout(-1), -EINVAL);
}

static void constants_by_name(void)
{
    CHECK_EQ(jsel_constant("EEXIST"), EEXIST);
    CHECK_EQ(jsel_constant("EPOLLET"), (int32_t)EPOLLET);
    CHECK_EQ(jsel_constant("POLLRDHUP"), POLLRDHUP);
    CHECK_EQ(jsel_constant("NO_SUCH_CONSTANT"), INT32_MIN);
}

static void strerror_fills_and_truncates(void)
{
    char buf[64];
    jsel_strerror(EEXIST, buf, sizeof buf);
    CHECK(strcmp(buf, "File exists") == 0);
    char tiny[5];
    jsel_strerror(EEXIST, tiny, sizeof tiny);
    CHECK_EQ(strlen(tiny), 4);
    jsel_strerror(99999, buf, sizeof buf);
#ifdef __GLIBC__
    CHECK(strcmp(buf, "Unknown error 99999") == 0);
#else
    CHECK(strcmp(buf, "No error information") == 0); /* musl's text for any number it does not know */
#endif
}

int main(void)
{
    RUN(eventfd_counts_and_resets);
    RUN(eventfd_errors);
    RUN(close_twice_is_ebadf);
    RUN(pipe_read_write);
    RUN(write_to_closed_pipe_is_epipe);
    RUN(layouts_match_the_headers);
    RUN(constants_by_name);
    RUN(strerror_fills_and_truncates);
    return CHECK_EXIT();
}
