/* jsel_select: readiness per list entry, dynamic fd sets past FD_SETSIZE, and every error return. */
#include "check.h"
#include "interrupt.h"
#include "jsel.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/select.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static void readable_after_write(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    int fds[1] = { p[0] };
    CHECK_EQ(jsel_select(fds, 1, 0, 0, 0), 0);
    CHECK_EQ(fds[0], -1);
    CHECK_EQ(write(p[1], "x", 1), 1);
    fds[0] = p[0];
    CHECK_EQ(jsel_select(fds, 1, 0, 0, 0), 1);
    CHECK_EQ(fds[0], p[0]);
    close(p[0]);
    close(p[1]);
}

static void lists_keep_order_and_duplicates(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    /* read: [r, w, r]; write: [w, r]; except: [] -- only the write end is writable, nothing readable */
    int fds[5] = { p[0], p[1], p[0], p[1], p[0] };
    CHECK_EQ(jsel_select(fds, 3, 2, 0, 0), 1);
    CHECK_EQ(fds[0], -1);
    CHECK_EQ(fds[1], -1);
    CHECK_EQ(fds[2], -1);
    CHECK_EQ(fds[3], p[1]);
    CHECK_EQ(fds[4], -1);
    CHECK_EQ(write(p[1], "x", 1), 1);
    int again[4] = { p[0], p[0], p[1], p[1] };
    CHECK_EQ(jsel_select(again, 2, 2, 0, 0), 4);
    CHECK_EQ(again[0], p[0]);
    CHECK_EQ(again[1], p[0]);
    CHECK_EQ(again[2], p[1]);
    CHECK_EQ(again[3], p[1]);
    close(p[0]);
    close(p[1]);
}

static void timeout_waits_at_least_as_asked(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    int fds[1] = { p[0] };
    double start = monotonic_seconds();
    CHECK_EQ(jsel_select(fds, 1, 0, 0, 50000), 0);
    double elapsed = monotonic_seconds() - start;
    CHECK(elapsed >= 0.050);
    CHECK(elapsed < 2.0);
    close(p[0]);
    close(p[1]);
}

static void empty_lists_with_timeout_sleep(void)
{
    double start = monotonic_seconds();
    CHECK_EQ(jsel_select(NULL, 0, 0, 0, 20000), 0);
    CHECK(monotonic_seconds() - start >= 0.020);
}

static void descriptor_past_fd_setsize(void)
{
    /* qemu-user copies the sets into the host's fixed 1024-bit fd_set with FD_SET, and its fortified
     * FD_SET aborts the emulator on any descriptor past FD_SETSIZE. */
    SKIP_UNDER_EMULATOR("qemu-user's select() aborts on descriptors past FD_SETSIZE");
    int p[2];
    CHECK_OK(pipe(p));
    int high_r = fcntl(p[0], F_DUPFD_CLOEXEC, FD_SETSIZE + 500);
    int high_w = fcntl(p[1], F_DUPFD_CLOEXEC, FD_SETSIZE + 501);
    CHECK(high_r >= FD_SETSIZE);
    CHECK(high_w > high_r);
    int fds[2] = { high_r, high_w };
    CHECK_EQ(jsel_select(fds, 1, 1, 0, 0), 1);
    CHECK_EQ(fds[0], -1);
    CHECK_EQ(fds[1], high_w);
    CHECK_EQ(write(high_w, "x", 1), 1);
    fds[0] = high_r;
    fds[1] = high_w;
    CHECK_EQ(jsel_select(fds, 1, 1, 0, 0), 2);
    CHECK_EQ(fds[0], high_r);
    close(high_r);
    close(high_w);
    close(p[0]);
    close(p[1]);
}

static void closed_descriptor_is_ebadf(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    close(p[0]);
    int fds[2] = { p[0], p[1] };
    CHECK_EQ(jsel_select(fds, 1, 1, 0, 0), -EBADF);
    CHECK_EQ(fds[0], p[0]); /* untouched on failure */
    CHECK_EQ(fds[1], p[1]);
    close(p[1]);
}

static void closed_descriptor_past_fd_table_is_ebadf(void)
{
    /* A number far past anything open lies outside the kernel's fd table, where select(2) itself
     * would ignore it instead of failing. */
    int fds[1] = { 19000 };
    CHECK_EQ(jsel_select(fds, 1, 0, 0, 0), -EBADF);
}

static void negative_descriptor_is_ebadf(void)
{
    int fds[1] = { -3 };
    CHECK_EQ(jsel_select(fds, 1, 0, 0, 0), -EBADF);
}

static void negative_count_is_einval(void)
{
    int fds[1] = { 0 };
    CHECK_EQ(jsel_select(fds, -1, 0, 0, 0), -EINVAL);
    CHECK_EQ(jsel_select(fds, 0, 0, -1, 0), -EINVAL);
}

static void out_of_band_data_is_exceptional(void)
{
    int lst = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof addr;
    CHECK_OK(bind(lst, (struct sockaddr *)&addr, sizeof addr));
    CHECK_OK(listen(lst, 1));
    CHECK_OK(getsockname(lst, (struct sockaddr *)&addr, &len));
    int cli = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK_OK(connect(cli, (struct sockaddr *)&addr, sizeof addr));
    int srv = accept(lst, NULL, NULL);
    CHECK(srv >= 0);
    int fds[1] = { srv };
    CHECK_EQ(jsel_select(fds, 0, 0, 1, 0), 0);
    CHECK_EQ(send(cli, "!", 1, MSG_OOB), 1);
    fds[0] = srv;
    CHECK_EQ(jsel_select(fds, 0, 0, 1, 1000000), 1);
    CHECK_EQ(fds[0], srv);
    close(srv);
    close(cli);
    close(lst);
}

static void signal_interrupts_with_eintr(void)
{
    int p[2];
    CHECK_OK(pipe(p));
    int fds[1] = { p[0] };
    struct interrupter in;
    interrupt_start(&in, 50000);
    CHECK_EQ(jsel_select(fds, 1, 0, 0, 5000000), -EINTR);
    CHECK_EQ(fds[0], p[0]);
    interrupt_join(&in);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    RUN(readable_after_write);
    RUN(lists_keep_order_and_duplicates);
    RUN(timeout_waits_at_least_as_asked);
    RUN(empty_lists_with_timeout_sleep);
    RUN(descriptor_past_fd_setsize);
    RUN(closed_descriptor_is_ebadf);
    RUN(closed_descriptor_past_fd_table_is_ebadf);
    RUN(negative_descriptor_is_ebadf);
    RUN(negative_count_is_einval);
    RUN(out_of_band_data_is_exceptional);
    RUN(signal_interrupts_with_eintr);
    return CHECK_EXIT();
}
