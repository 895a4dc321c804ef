/*
 * The descriptor behind a JDK object, read from its fields. JNI is not subject to the module
 * system's access checks, so this works on JDK 17+ without --add-opens. The JDK keeps a descriptor in
 * a java.io.FileDescriptor field named "fd" in FileInputStream, FileOutputStream, RandomAccessFile,
 * every sun.nio.ch channel (SocketChannelImpl, ServerSocketChannelImpl, DatagramChannelImpl,
 * SourceChannelImpl, SinkChannelImpl) and the platform SocketImpl; buffered and process streams wrap
 * one in FilterInputStream.in or FilterOutputStream.out; java.net's sockets hold a channel or a
 * SocketImpl one field further (see socket_fields).
 *
 * A closed object reads as -1, never as a stale number the kernel may have given to another open:
 * closing a stream sets FileDescriptor.fd to -1, but closing a channel or a java.net socket leaves the
 * old number there, so those are asked isOpen() / isClosed() (JNI may call them: they are public).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "jsel_jni.h"

#define MAX_WRAPPING 8

/* Classes looked up on first use (JNI_OnLoad loads nothing but the class it registers). Boot classes
 * are never unloaded, so the global references stay valid for the life of the VM; the cache is
 * published once by compare-and-swap, so no lock is needed. */
static const char *const socket_class_names[] = { "java/net/Socket", "java/net/ServerSocket",
                                                  "java/net/DatagramSocket" };
#define SOCKET_CLASSES (sizeof socket_class_names / sizeof socket_class_names[0])

struct cache {
    jclass file_descriptor;
    jfieldID file_descriptor_fd;
    jclass channel; /* java.nio.channels.Channel */
    jmethodID channel_is_open;
    jclass sockets[SOCKET_CLASSES];
    jmethodID socket_is_closed[SOCKET_CLASSES];
};
static struct cache *cache;

/* java.net's sockets, one field from their descriptor, in the order tried: sun.nio.ch's adaptors
 * (Socket, ServerSocket and DatagramSocket over a channel) hold the channel; java.net.DatagramSocket
 * delegates to such an adaptor (JDK 15+); SocksSocketImpl, the impl of a plain Socket, forwards to the
 * platform SocketImpl; Socket and ServerSocket hold an impl. Socket's "in" and "out" fields are its
 * own stream wrappers, holding no descriptor, so sockets are told apart before those are read. */
static const struct { const char *name, *sig; } socket_fields[] = {
    { "sc", "Lsun/nio/ch/SocketChannelImpl;" },
    { "ssc", "Lsun/nio/ch/ServerSocketChannelImpl;" },
    { "dc", "Lsun/nio/ch/DatagramChannelImpl;" },
    { "delegate", "Ljava/net/DatagramSocket;" },
    { "delegate", "Ljava/net/SocketImpl;" },
    { "impl", "Ljava/net/SocketImpl;" },
};

static jfieldID find_field(JNIEnv *env, jclass cls, const char *name, const char *sig)
{
    jfieldID id = (*env)->GetFieldID(env, cls, name, sig);
    if (id == NULL)
        (*env)->ExceptionClear(env); /* NoSuchFieldError: the class simply has no such field */
    return id;
}

static jclass global_class(JNIEnv *env, const char *name)
{
    jclass local = (*env)->FindClass(env, name);
    if (local == NULL) {
        (*env)->ExceptionClear(env);
        return NULL;
    }
    jclass global = (*env)->NewGlobalRef(env, local);
    (*env)->DeleteLocalRef(env, local);
    return global;
}

static jmethodID find_method(JNIEnv *env, jclass cls, const char *name, const char *sig)
{
    jmethodID id = (*env)->GetMethodID(env, cls, name, sig);
    if (id == NULL)
        (*env)->ExceptionClear(env);
    return id;
}

static void free_cache(JNIEnv *env, struct cache *c)
{
    if (c->file_descriptor != NULL)
        (*env)->DeleteGlobalRef(env, c->file_descriptor);
    if (c->channel != NULL)
        (*env)->DeleteGlobalRef(env, c->channel);
    for (size_t i = 0; i < SOCKET_CLASSES; i++)
        if (c->sockets[i] != NULL)
            (*env)->DeleteGlobalRef(env, c->sockets[i]);
    free(c);
}

static const struct cache *get_cache(JNIEnv *env)
{
    struct cache *c = __atomic_load_n(&cache, __ATOMIC_ACQUIRE);
    if (c != NULL)
        return c;
    if ((c = calloc(1, sizeof *c)) == NULL)
        return NULL;
    int ok = (c->file_descriptor = global_class(env, "java/io/FileDescriptor")) != NULL
             && (c->file_descriptor_fd = find_field(env, c->file_descriptor, "fd", "I")) != NULL
             && (c->channel = global_class(env, "java/nio/channels/Channel")) != NULL
             && (c->channel_is_open = find_method(env, c->channel, "isOpen", "()Z")) != NULL;
    for (size_t i = 0; ok && i < SOCKET_CLASSES; i++)
        ok = (c->sockets[i] = global_class(env, socket_class_names[i])) != NULL
             && (c->socket_is_closed[i] = find_method(env, c->sockets[i], "isClosed", "()Z")) != NULL;
    if (!ok) {
        free_cache(env, c);
        return NULL;
    }
    struct cache *expected = NULL;
    if (!__atomic_compare_exchange_n(&cache, &expected, c, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        free_cache(env, c); /* another thread won the race */
        return expected;
    }
    return c;
}

static jint descriptor_value(JNIEnv *env, const struct cache *c, jobject fdo)
{
    if (fdo == NULL)
        return -1;
    return (*env)->GetIntField(env, fdo, c->file_descriptor_fd);
}

static jint fd_of(JNIEnv *env, const struct cache *c, jobject obj, int depth);

/* The descriptor behind the first of socket_fields that obj has, or JSEL_NO_FD when it has none. */
static jint socket_fd(JNIEnv *env, const struct cache *c, jobject obj, jclass cls, int depth)
{
    for (size_t i = 0; i < sizeof socket_fields / sizeof socket_fields[0]; i++) {
        jfieldID id = find_field(env, cls, socket_fields[i].name, socket_fields[i].sig);
        if (id != NULL) {
            jobject inner = (*env)->GetObjectField(env, obj, id);
            jint result = fd_of(env, c, inner, depth + 1); /* null: no socket created yet, -1 */
            (*env)->DeleteLocalRef(env, inner);
            return result;
        }
    }
    return JSEL_NO_FD;
}

/* The index of obj's class in socket_class_names, or -1 when it is no java.net socket. */
static int socket_kind(JNIEnv *env, const struct cache *c, jobject obj)
{
    for (size_t i = 0; i < SOCKET_CLASSES; i++)
        if ((*env)->IsInstanceOf(env, obj, c->sockets[i]))
            return (int)i;
    return -1;
}

/* The answer of a boolean method taking no argument; fallback if it throws. */
static jboolean ask(JNIEnv *env, jobject obj, jmethodID method, jboolean fallback)
{
    jboolean answer = (*env)->CallBooleanMethod(env, obj, method);
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        return fallback;
    }
    return answer;
}

static jint fd_of(JNIEnv *env, const struct cache *c, jobject obj, int depth)
{
    if (obj == NULL)
        return -1; /* a wrapper whose inner stream was released on close */
    if (depth > MAX_WRAPPING)
        return JSEL_NO_FD;
    if ((*env)->IsInstanceOf(env, obj, c->file_descriptor))
        return descriptor_value(env, c, obj);
    jclass cls = (*env)->GetObjectClass(env, obj);
    jint result = JSEL_NO_FD;
    jfieldID id;
    jobject inner = NULL;
    int kind;

    if ((kind = socket_kind(env, c, obj)) >= 0) {
        result = ask(env, obj, c->socket_is_closed[kind], JNI_FALSE) ? -1 : socket_fd(env, c, obj, cls, depth);
    } else if ((id = find_field(env, cls, "fd", "Ljava/io/FileDescriptor;")) != NULL) {
        inner = (*env)->GetObjectField(env, obj, id);
        /* A null FileDescriptor: a SocketImpl that forwards to another, or has no socket yet (-1). */
        result = inner != NULL ? descriptor_value(env, c, inner) : socket_fd(env, c, obj, cls, depth);
        result = result == JSEL_NO_FD ? -1 : result;
        if (result >= 0 && (*env)->IsInstanceOf(env, obj, c->channel)
            && !ask(env, obj, c->channel_is_open, JNI_TRUE))
            result = -1;
    } else if ((id = find_field(env, cls, "in", "Ljava/io/InputStream;")) != NULL) {
        inner = (*env)->GetObjectField(env, obj, id);
        result = fd_of(env, c, inner, depth + 1);
    } else if ((id = find_field(env, cls, "out", "Ljava/io/OutputStream;")) != NULL) {
        inner = (*env)->GetObjectField(env, obj, id);
        result = fd_of(env, c, inner, depth + 1);
    }
    (*env)->DeleteLocalRef(env, inner);
    (*env)->DeleteLocalRef(env, cls);
    return result;
}

jint JNICALL jsel_jni_fdOf0(JNIEnv *env, jclass cls, jobject obj)
{
    (void)cls;
    const struct cache *c;
    if (obj == NULL || (c = get_cache(env)) == NULL)
        return JSEL_NO_FD;
    return fd_of(env, c, obj, 0);
}
