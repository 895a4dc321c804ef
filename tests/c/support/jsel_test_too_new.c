/*
 * Test-only (never shipped): a library needing a glibc newer than the baseline, through glibc 2.35's
 * epoll_pwait2 wrapper, for the test that cmake/check_library.cmake refuses it.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/epoll.h>

int jsel_test_too_new(int epfd);

__attribute__((visibility("default"))) int jsel_test_too_new(int epfd)
{
    struct epoll_event event;
    return epoll_pwait2(epfd, &event, 1, NULL, NULL);
}
