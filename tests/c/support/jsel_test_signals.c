/*
 * Test-only JNI helpers (never shipped): deliver a real signal to one Java thread so the Java tests
 * can prove that EINTR is retried with the remaining timeout (PEP 475), and dup a descriptor. The signal is SIGRTMIN+2,
 * which neither HotSpot nor the JDK's NIO (SIGRTMAX-2) uses, with a counting handler installed
 * without SA_RESTART.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

JNIEXPORT jint JNICALL Java_io_jselect_testing_Signals_install0(JNIEnv *env, jclass cls);
JNIEXPORT jint JNICALL Java_io_jselect_testing_Signals_gettid0(JNIEnv *env, jclass cls);
JNIEXPORT jint JNICALL Java_io_jselect_testing_Signals_tgkill0(JNIEnv *env, jclass cls, jint tid, jint sig);
JNIEXPORT jint JNICALL Java_io_jselect_testing_Signals_delivered0(JNIEnv *env, jclass cls);
JNIEXPORT jint JNICALL Java_io_jselect_testing_Signals_dup0(JNIEnv *env, jclass cls, jint fd);
JNIEXPORT void JNICALL Java_io_jselect_testing_Signals_closeOnNextSignal0(JNIEnv *env, jclass cls, jint fd);

static volatile sig_atomic_t delivered;
static volatile sig_atomic_t close_on_signal = -1;

/* Counts, and closes the armed descriptor: in the interrupted thread, after the kernel returned EINTR
 * and before the caller can retry, a moment no Java thread can hit on purpose. */
static void count_signal(int sig)
{
    (void)sig;
    int saved = errno;
    int fd = close_on_signal;
    if (fd >= 0) {
        close_on_signal = -1;
        close(fd);
    }
    delivered++;
    errno = saved;
}

JNIEXPORT jint JNICALL Java_io_jselect_testing_Signals_install0(JNIEnv *env, jclass cls)
{
    (void)env; (void)cls;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = count_signal;
    sigemptyset(&sa.sa_mask);
    return sigaction(SIGRTMIN + 2, &sa, NULL) < 0 ? -errno : SIGRTMIN + 2;
}

JNIEXPORT jint JNICALL Java_io_jselect_testing_Signals_gettid0(JNIEnv *env, jclass cls)
{
    (void)env; (void)cls;
    return (jint)syscall(SYS_gettid);
}

JNIEXPORT jint JNICALL Java_io_jselect_testing_Signals_tgkill0(JNIEnv *env, jclass cls, jint tid, jint sig)
{
    (void)env; (void)cls;
    return syscall(SYS_tgkill, getpid(), tid, sig) < 0 ? -errno : 0;
}

JNIEXPORT jint JNICALL Java_io_jselect_testing_Signals_delivered0(JNIEnv *env, jclass cls)
{
    (void)env; (void)cls;
    return delivered;
}

/* dup(2), for tests that need a second reference to an open file (epoll keeps a registration alive
 * while any reference to its file remains, even after the registered number is closed). */
JNIEXPORT jint JNICALL Java_io_jselect_testing_Signals_dup0(JNIEnv *env, jclass cls, jint fd)
{
    (void)env; (void)cls;
    int rc = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return rc < 0 ? -errno : rc;
}

/* Arms the handler to close fd (once) when the next signal arrives. */
JNIEXPORT void JNICALL Java_io_jselect_testing_Signals_closeOnNextSignal0(JNIEnv *env, jclass cls, jint fd)
{
    (void)env; (void)cls;
    close_on_signal = fd;
}
