/*
 * The descriptor behind a JDK object, read from its fields. JNI is not subject to the module
 * system's access checks, so this works on JDK 17+ without --add-opens. The JDK keeps a descriptor in
 * a java.io.FileDescriptor field named "fd" in FileInputStream, FileOutputStream, RandomAccessFile
 * and every sun.nio.ch channel (SocketChannelImpl, ServerSocketChannelImpl, DatagramChannelImpl,
 * SourceChannelImpl, SinkChannelImpl); buffered and process streams wrap one in FilterInputStream.in
 * or FilterOutputStream.out. Closing sets FileDescriptor.fd to -1, so a closed object reads as -1,
 * never as a stale number.
 */
#define _GNU_SOURCE
#include <stdint.h>

#include "jsel_jni.h"

#define MAX_WRAPPING 8

/* java.io.FileDescriptor and its "fd" field, looked up on first use (JNI_OnLoad loads nothing but
 * the class it registers). A boot class is never unloaded, so both stay valid for the life of the VM;
 * the class is published by compare-and-swap and the field id after it, so no lock is needed. */
static jclass file_descriptor_class;
static jfieldID file_descriptor_fd;

static jfieldID find_field(JNIEnv *env, jclass cls, const char *name, const char *sig)
{
    jfieldID id = (*env)->GetFieldID(env, cls, name, sig);
    if (id == NULL)
        (*env)->ExceptionClear(env); /* NoSuchFieldError: the class simply has no such field */
    return id;
}

static int init_file_descriptor(JNIEnv *env)
{
    if (__atomic_load_n(&file_descriptor_fd, __ATOMIC_ACQUIRE) != NULL)
        return 1;
    jclass local = (*env)->FindClass(env, "java/io/FileDescriptor");
    if (local == NULL) {
        (*env)->ExceptionClear(env);
        return 0;
    }
    jfieldID id = find_field(env, local, "fd", "I");
    jclass global = id != NULL ? (*env)->NewGlobalRef(env, local) : NULL;
    (*env)->DeleteLocalRef(env, local);
    if (global == NULL)
        return 0;
    jclass expected = NULL;
    if (!__atomic_compare_exchange_n(&file_descriptor_class, &expected, global, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        (*env)->DeleteGlobalRef(env, global); /* another thread won the race */
    __atomic_store_n(&file_descriptor_fd, id, __ATOMIC_RELEASE);
    return 1;
}

static jint descriptor_value(JNIEnv *env, jobject fdo)
{
    if (fdo == NULL)
        return -1;
    return (*env)->GetIntField(env, fdo, file_descriptor_fd);
}

static jint fd_of(JNIEnv *env, jobject obj, int depth)
{
    if (obj == NULL)
        return -1; /* a wrapper whose inner stream was released on close */
    if (depth > MAX_WRAPPING)
        return JSEL_NO_FD;
    jclass cls = (*env)->GetObjectClass(env, obj);
    jint result = JSEL_NO_FD;
    jfieldID id;
    jobject inner;

    if ((*env)->IsInstanceOf(env, obj, file_descriptor_class)) {
        result = descriptor_value(env, obj);
    } else if ((id = find_field(env, cls, "fd", "Ljava/io/FileDescriptor;")) != NULL) {
        inner = (*env)->GetObjectField(env, obj, id);
        result = descriptor_value(env, inner);
        (*env)->DeleteLocalRef(env, inner);
    } else if ((id = find_field(env, cls, "in", "Ljava/io/InputStream;")) != NULL) {
        inner = (*env)->GetObjectField(env, obj, id);
        result = fd_of(env, inner, depth + 1);
        (*env)->DeleteLocalRef(env, inner);
    } else if ((id = find_field(env, cls, "out", "Ljava/io/OutputStream;")) != NULL) {
        inner = (*env)->GetObjectField(env, obj, id);
        result = fd_of(env, inner, depth + 1);
        (*env)->DeleteLocalRef(env, inner);
    }
    (*env)->DeleteLocalRef(env, cls);
    return result;
}

jint JNICALL jsel_jni_fdOf0(JNIEnv *env, jclass cls, jobject obj)
{
    (void)cls;
    if (obj == NULL || !init_file_descriptor(env))
        return JSEL_NO_FD;
    return fd_of(env, obj, 0);
}
