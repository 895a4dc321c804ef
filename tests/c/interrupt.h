/* Delivers a signal with a no-op handler to a thread after a delay, to provoke EINTR for real. */
#ifndef JSEL_INTERRUPT_H
#define JSEL_INTERRUPT_H

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

struct interrupter {
    pthread_t target;
    pthread_t thread;
    useconds_t delay_us;
};

static void interrupt_noop_handler(int sig) { (void)sig; }

static void *interrupt_main(void *arg)
{
    struct interrupter *in = arg;
    usleep(in->delay_us);
    pthread_kill(in->target, SIGUSR1);
    return NULL;
}

/* Installs the handler without SA_RESTART (select, poll and epoll_wait never restart anyway) and
 * starts a thread that signals the calling thread after delay_us. */
static inline void interrupt_start(struct interrupter *in, useconds_t delay_us)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = interrupt_noop_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    in->target = pthread_self();
    in->delay_us = delay_us;
    pthread_create(&in->thread, NULL, interrupt_main, in);
}

static inline void interrupt_join(struct interrupter *in)
{
    pthread_join(in->thread, NULL);
}

#endif
