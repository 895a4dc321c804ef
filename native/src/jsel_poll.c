/* poll(2). */
#define _GNU_SOURCE
#include "jsel.h"

#include <errno.h>
#include <poll.h>

int jsel_poll(void *fds, int nfds, int timeout_ms)
{
    if (nfds < 0)
        return -EINVAL;
    int rc = poll((struct pollfd *)fds, (nfds_t)nfds, timeout_ms < 0 ? -1 : timeout_ms);
    return rc < 0 ? -errno : rc;
}
