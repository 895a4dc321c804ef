/*
 * JNI glue for the socket calls: marshalling only, as in jsel_jni.c, whose one RegisterNatives table
 * lists these too. Addresses, option values and data are native memory the Java layer owns (a direct
 * buffer), passed as jlong; an address of 0 is NULL.
 */
#define _GNU_SOURCE
#include <stdint.h>

#include "jsel.h"
#include "jsel_jni.h"

#define PTR(address) ((void *)(intptr_t)(address))

jint JNICALL jsel_jni_socket0(JNIEnv *env, jclass cls, jint domain, jint type, jint protocol)
{
    (void)env; (void)cls;
    return jsel_socket(domain, type, protocol);
}

jint JNICALL jsel_jni_socketpair0(JNIEnv *env, jclass cls, jint domain, jint type, jint protocol,
                                  jintArray out)
{
    (void)cls;
    int fds[2];
    int rc = jsel_socketpair(domain, type, protocol, fds);
    if (rc == 0)
        (*env)->SetIntArrayRegion(env, out, 0, 2, (const jint *)fds);
    return rc;
}

jint JNICALL jsel_jni_bind0(JNIEnv *env, jclass cls, jint fd, jlong addr, jint addrlen)
{
    (void)env; (void)cls;
    return jsel_bind(fd, PTR(addr), (uint32_t)addrlen);
}

jint JNICALL jsel_jni_listen0(JNIEnv *env, jclass cls, jint fd, jint backlog)
{
    (void)env; (void)cls;
    return jsel_listen(fd, backlog);
}

jint JNICALL jsel_jni_accept40(JNIEnv *env, jclass cls, jint fd, jlong addr, jlong addrlen, jint flags)
{
    (void)env; (void)cls;
    return jsel_accept4(fd, PTR(addr), PTR(addrlen), flags);
}

jint JNICALL jsel_jni_connect0(JNIEnv *env, jclass cls, jint fd, jlong addr, jint addrlen)
{
    (void)env; (void)cls;
    return jsel_connect(fd, PTR(addr), (uint32_t)addrlen);
}

jlong JNICALL jsel_jni_recv0(JNIEnv *env, jclass cls, jint fd, jlong buf, jint len, jint flags)
{
    (void)env; (void)cls;
    return jsel_recv(fd, PTR(buf), (size_t)len, flags);
}

jlong JNICALL jsel_jni_recvfrom0(JNIEnv *env, jclass cls, jint fd, jlong buf, jint len, jint flags,
                                 jlong addr, jlong addrlen)
{
    (void)env; (void)cls;
    return jsel_recvfrom(fd, PTR(buf), (size_t)len, flags, PTR(addr), PTR(addrlen));
}

jlong JNICALL jsel_jni_send0(JNIEnv *env, jclass cls, jint fd, jlong buf, jint len, jint flags)
{
    (void)env; (void)cls;
    return jsel_send(fd, PTR(buf), (size_t)len, flags);
}

jlong JNICALL jsel_jni_sendto0(JNIEnv *env, jclass cls, jint fd, jlong buf, jint len, jint flags,
                               jlong addr, jint addrlen)
{
    (void)env; (void)cls;
    return jsel_sendto(fd, PTR(buf), (size_t)len, flags, PTR(addr), (uint32_t)addrlen);
}

jint JNICALL jsel_jni_shutdown0(JNIEnv *env, jclass cls, jint fd, jint how)
{
    (void)env; (void)cls;
    return jsel_shutdown(fd, how);
}

jint JNICALL jsel_jni_setsockopt0(JNIEnv *env, jclass cls, jint fd, jint level, jint name, jlong value,
                                  jint len)
{
    (void)env; (void)cls;
    return jsel_setsockopt(fd, level, name, PTR(value), (uint32_t)len);
}

jint JNICALL jsel_jni_getsockopt0(JNIEnv *env, jclass cls, jint fd, jint level, jint name, jlong value,
                                  jlong len)
{
    (void)env; (void)cls;
    return jsel_getsockopt(fd, level, name, PTR(value), PTR(len));
}

jint JNICALL jsel_jni_getsockname0(JNIEnv *env, jclass cls, jint fd, jlong addr, jlong addrlen)
{
    (void)env; (void)cls;
    return jsel_getsockname(fd, PTR(addr), PTR(addrlen));
}

jint JNICALL jsel_jni_getpeername0(JNIEnv *env, jclass cls, jint fd, jlong addr, jlong addrlen)
{
    (void)env; (void)cls;
    return jsel_getpeername(fd, PTR(addr), PTR(addrlen));
}

jint JNICALL jsel_jni_fcntl0(JNIEnv *env, jclass cls, jint fd, jint cmd, jint arg)
{
    (void)env; (void)cls;
    return jsel_fcntl(fd, cmd, arg);
}
