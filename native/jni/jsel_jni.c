/*
 * JNI glue: marshals arguments to the jsel_* core and returns its result unchanged (>= 0 or -errno).
 * No policy here: validation, EINTR retry, timeouts and exceptions live in Java (io.jselect.internal).
 * Every native is bound through the one RegisterNatives table at the end; JNI_OnLoad is the only
 * exported symbol.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "jsel.h"
#include "jsel_jni.h"

/* Bumped whenever a native signature changes; io.jselect.internal.Jni checks it after loading so a
 * stale library on java.library.path is reported instead of failing later with a linkage error. */
#define JSEL_ABI_VERSION 3

#define STACK_INTS 256
#define STACK_BYTES 16384
#define MAX_ARRAY_IO (1 << 20)

static jint JNICALL jsel_jni_abiVersion0(JNIEnv *env, jclass cls)
{
    (void)env; (void)cls;
    return JSEL_ABI_VERSION;
}

static jint JNICALL jsel_jni_select0(JNIEnv *env, jclass cls, jintArray fds, jint nread, jint nwrite,
                                     jint nexcept, jlong timeout_us)
{
    (void)cls;
    if (nread < 0 || nwrite < 0 || nexcept < 0)
        return -EINVAL; /* as jsel_select says, before a negative length reaches GetIntArrayRegion */
    const jint total = nread + nwrite + nexcept;
    int stack_fds[STACK_INTS];
    int *buf = stack_fds;
    if (total > STACK_INTS && (buf = malloc((size_t)total * sizeof(int))) == NULL)
        return -ENOMEM;
    (*env)->GetIntArrayRegion(env, fds, 0, total, (jint *)buf);
    int rc = jsel_select(buf, nread, nwrite, nexcept, timeout_us);
    if (rc >= 0)
        (*env)->SetIntArrayRegion(env, fds, 0, total, (const jint *)buf);
    if (buf != stack_fds)
        free(buf);
    return rc;
}

static jint JNICALL jsel_jni_poll0(JNIEnv *env, jclass cls, jlong fds, jint nfds, jint timeout_ms)
{
    (void)env; (void)cls;
    return jsel_poll((void *)(intptr_t)fds, nfds, timeout_ms);
}

static jint JNICALL jsel_jni_epollCreate0(JNIEnv *env, jclass cls, jint flags)
{
    (void)env; (void)cls;
    return jsel_epoll_create1(flags);
}

static jint JNICALL jsel_jni_epollCtl0(JNIEnv *env, jclass cls, jint epfd, jint op, jint fd, jint events,
                                       jlong data)
{
    (void)env; (void)cls;
    return jsel_epoll_ctl(epfd, op, fd, (uint32_t)events, (uint64_t)data);
}

static jint JNICALL jsel_jni_epollWait0(JNIEnv *env, jclass cls, jint epfd, jlong events, jint maxevents,
                                        jint timeout_ms)
{
    (void)env; (void)cls;
    return jsel_epoll_wait(epfd, (void *)(intptr_t)events, maxevents, timeout_ms);
}

static jint JNICALL jsel_jni_epollPwait20(JNIEnv *env, jclass cls, jint epfd, jlong events,
                                          jint maxevents, jlong timeout_ns)
{
    (void)env; (void)cls;
    return jsel_epoll_pwait2(epfd, (void *)(intptr_t)events, maxevents, timeout_ns);
}

static jint JNICALL jsel_jni_eventfd0(JNIEnv *env, jclass cls, jint initval, jint flags)
{
    (void)env; (void)cls;
    return jsel_eventfd((unsigned int)initval, flags);
}

static jint JNICALL jsel_jni_eventfdWrite0(JNIEnv *env, jclass cls, jint fd, jlong value)
{
    (void)env; (void)cls;
    return jsel_eventfd_write(fd, (uint64_t)value);
}

static jlong JNICALL jsel_jni_eventfdRead0(JNIEnv *env, jclass cls, jint fd)
{
    (void)env; (void)cls;
    return jsel_eventfd_read(fd);
}

static jint JNICALL jsel_jni_close0(JNIEnv *env, jclass cls, jint fd)
{
    (void)env; (void)cls;
    return jsel_close(fd);
}

static jint JNICALL jsel_jni_pipe0(JNIEnv *env, jclass cls, jintArray out, jint flags)
{
    (void)cls;
    int fds[2];
    int rc = jsel_pipe2(fds, flags);
    if (rc == 0)
        (*env)->SetIntArrayRegion(env, out, 0, 2, (const jint *)fds);
    return rc;
}

static jlong JNICALL jsel_jni_read0(JNIEnv *env, jclass cls, jint fd, jlong address, jint len)
{
    (void)env; (void)cls;
    return jsel_read(fd, (void *)(intptr_t)address, (size_t)len);
}

static jlong JNICALL jsel_jni_write0(JNIEnv *env, jclass cls, jint fd, jlong address, jint len)
{
    (void)env; (void)cls;
    return jsel_write(fd, (const void *)(intptr_t)address, (size_t)len);
}

/* Heap arrays go through a native bounce buffer: the array's bytes are copied once, between the
 * buffer and the array, never pinned across a call that may block. A call moves at most
 * MAX_ARRAY_IO bytes, which read(2) and write(2) callers already handle as a short count. */
static char *bounce(char *stack_buf, jint *len)
{
    if (*len <= STACK_BYTES)
        return stack_buf;
    if (*len > MAX_ARRAY_IO)
        *len = MAX_ARRAY_IO;
    char *buf = malloc((size_t)*len);
    if (buf == NULL) {
        *len = STACK_BYTES;
        return stack_buf;
    }
    return buf;
}

static jlong JNICALL jsel_jni_readArray0(JNIEnv *env, jclass cls, jint fd, jbyteArray array, jint off,
                                         jint len)
{
    (void)cls;
    char stack_buf[STACK_BYTES];
    char *buf = bounce(stack_buf, &len);
    jlong n = jsel_read(fd, buf, (size_t)len);
    if (n > 0)
        (*env)->SetByteArrayRegion(env, array, off, (jsize)n, (const jbyte *)buf);
    if (buf != stack_buf)
        free(buf);
    return n;
}

static jlong JNICALL jsel_jni_writeArray0(JNIEnv *env, jclass cls, jint fd, jbyteArray array, jint off,
                                          jint len)
{
    (void)cls;
    char stack_buf[STACK_BYTES];
    char *buf = bounce(stack_buf, &len);
    (*env)->GetByteArrayRegion(env, array, off, len, (jbyte *)buf);
    jlong n = jsel_write(fd, buf, (size_t)len);
    if (buf != stack_buf)
        free(buf);
    return n;
}

static jlong JNICALL jsel_jni_directAddress0(JNIEnv *env, jclass cls, jobject buffer)
{
    (void)cls;
    return (jlong)(intptr_t)(*env)->GetDirectBufferAddress(env, buffer);
}

/* java.nio.Buffer.segment: not null when a buffer views the memory of a MemorySegment (its type is
 * MemorySegmentProxy on JDK 17, MemorySegment on 22+), whose arena may free that memory while the buffer
 * object lives on. Java finds the field by reflection, which needs no --add-opens to look it up, and
 * hands it over once; JNI then reads it past the module system, as jsel_jni_fd.c reads descriptors. */
static jfieldID buffer_segment;

static jint JNICALL jsel_jni_bufferSegmentField0(JNIEnv *env, jclass cls, jobject field)
{
    (void)cls;
    jfieldID id = field == NULL ? NULL : (*env)->FromReflectedField(env, field);
    __atomic_store_n(&buffer_segment, id, __ATOMIC_RELEASE);
    return id != NULL;
}

/* The address of a direct buffer whose memory lives as long as the buffer object, or 0 for one over a
 * segment's memory (or for every buffer, when the field is unknown): the caller then copies. */
static jlong JNICALL jsel_jni_plainAddress0(JNIEnv *env, jclass cls, jobject buffer)
{
    (void)cls;
    jfieldID segment = __atomic_load_n(&buffer_segment, __ATOMIC_ACQUIRE);
    if (segment == NULL)
        return 0;
    jobject owner = (*env)->GetObjectField(env, buffer, segment);
    if (owner != NULL) {
        (*env)->DeleteLocalRef(env, owner);
        return 0;
    }
    return (jlong)(intptr_t)(*env)->GetDirectBufferAddress(env, buffer);
}

static jint JNICALL jsel_jni_layout0(JNIEnv *env, jclass cls, jint which)
{
    (void)env; (void)cls;
    return jsel_layout(which);
}

static jint JNICALL jsel_jni_constant0(JNIEnv *env, jclass cls, jstring name)
{
    (void)cls;
    const char *utf = (*env)->GetStringUTFChars(env, name, NULL);
    if (utf == NULL)
        return INT32_MIN;
    jint value = jsel_constant(utf);
    (*env)->ReleaseStringUTFChars(env, name, utf);
    return value;
}

static jstring JNICALL jsel_jni_strerror0(JNIEnv *env, jclass cls, jint errnum)
{
    (void)cls;
    char buf[256];
    jsel_strerror(errnum, buf, sizeof buf);
    return (*env)->NewStringUTF(env, buf);
}

#define NATIVE(name, sig) { #name, sig, (void *)jsel_jni_##name }
static const JNINativeMethod methods[] = {
    NATIVE(abiVersion0, "()I"),
    NATIVE(select0, "([IIIIJ)I"),
    NATIVE(poll0, "(JII)I"),
    NATIVE(epollCreate0, "(I)I"),
    NATIVE(epollCtl0, "(IIIIJ)I"),
    NATIVE(epollWait0, "(IJII)I"),
    NATIVE(epollPwait20, "(IJIJ)I"),
    NATIVE(eventfd0, "(II)I"),
    NATIVE(eventfdWrite0, "(IJ)I"),
    NATIVE(eventfdRead0, "(I)J"),
    NATIVE(close0, "(I)I"),
    NATIVE(pipe0, "([II)I"),
    NATIVE(read0, "(IJI)J"),
    NATIVE(write0, "(IJI)J"),
    NATIVE(readArray0, "(I[BII)J"),
    NATIVE(writeArray0, "(I[BII)J"),
    NATIVE(directAddress0, "(Ljava/nio/ByteBuffer;)J"),
    NATIVE(bufferSegmentField0, "(Ljava/lang/reflect/Field;)I"),
    NATIVE(plainAddress0, "(Ljava/nio/ByteBuffer;)J"),
    NATIVE(fdOf0, "(Ljava/lang/Object;)I"),
    NATIVE(layout0, "(I)I"),
    NATIVE(constant0, "(Ljava/lang/String;)I"),
    NATIVE(strerror0, "(I)Ljava/lang/String;"),
    NATIVE(socket0, "(III)I"),
    NATIVE(socketpair0, "(III[I)I"),
    NATIVE(bind0, "(IJI)I"),
    NATIVE(listen0, "(II)I"),
    NATIVE(accept40, "(IJJI)I"),
    NATIVE(connect0, "(IJI)I"),
    NATIVE(recv0, "(IJII)J"),
    NATIVE(recvfrom0, "(IJIIJJ)J"),
    NATIVE(send0, "(IJII)J"),
    NATIVE(sendto0, "(IJIIJI)J"),
    NATIVE(shutdown0, "(II)I"),
    NATIVE(setsockopt0, "(IIIJI)I"),
    NATIVE(getsockopt0, "(IIIJJ)I"),
    NATIVE(getsockname0, "(IJJ)I"),
    NATIVE(getpeername0, "(IJJ)I"),
    NATIVE(fcntl0, "(III)I"),
};
#undef NATIVE

/* The property the Java loader (io.jselect.internal.JniBinding) sets, under a JVM-wide lock, for the
 * length of its System.load: the binary name, with slashes, of the class to bind. It is not under
 * io.jselect so that an application relocating io.jselect leaves the name alone. */
#define JSEL_BINDING_PROPERTY "jselect.jni.class"
#define JSEL_DEFAULT_CLASS "io/jselect/internal/Jni"

/* The class whose natives this copy of the library binds: the one the loader names, so an uber jar
 * that relocated io.jselect binds to its own relocated copy; else (someone loaded the library by hand)
 * the unrelocated name. FindClass in JNI_OnLoad resolves through the class loader that called
 * System.load. NULL with an exception pending when it cannot be found. */
static jclass binding_class(JNIEnv *env)
{
    jclass system = (*env)->FindClass(env, "java/lang/System");
    if (system == NULL)
        return NULL;
    jmethodID get_property = (*env)->GetStaticMethodID(env, system, "getProperty",
                                                       "(Ljava/lang/String;)Ljava/lang/String;");
    jstring key = get_property != NULL ? (*env)->NewStringUTF(env, JSEL_BINDING_PROPERTY) : NULL;
    jstring name = key != NULL
        ? (jstring)(*env)->CallStaticObjectMethod(env, system, get_property, key) : NULL;
    (*env)->DeleteLocalRef(env, system);
    if (key != NULL)
        (*env)->DeleteLocalRef(env, key);
    if ((*env)->ExceptionCheck(env))
        return NULL;
    if (name == NULL)
        return (*env)->FindClass(env, JSEL_DEFAULT_CLASS);
    const char *utf = (*env)->GetStringUTFChars(env, name, NULL);
    jclass cls = utf != NULL ? (*env)->FindClass(env, utf) : NULL;
    if (utf != NULL)
        (*env)->ReleaseStringUTFChars(env, name, utf);
    (*env)->DeleteLocalRef(env, name);
    return cls;
}

/* On failure the pending exception (NoClassDefFoundError, NoSuchMethodError from RegisterNatives) is
 * what System.load throws; the loader reports it and moves on, or falls back to JNA. */
JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved)
{
    (void)reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK)
        return JNI_ERR;
    jclass cls = binding_class(env);
    if (cls == NULL)
        return JNI_ERR;
    jint rc = (*env)->RegisterNatives(env, cls, methods, (jint)(sizeof methods / sizeof methods[0]));
    (*env)->DeleteLocalRef(env, cls);
    return rc == JNI_OK ? JNI_VERSION_1_8 : JNI_ERR;
}
