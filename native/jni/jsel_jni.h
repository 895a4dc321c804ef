/* Shared declarations of the JNI glue, split by concern across jsel_jni*.c. */
#ifndef JSEL_JNI_H
#define JSEL_JNI_H

#include <jni.h>

/* Returned by fdOf0 when an object has no descriptor the library knows how to find. */
#define JSEL_NO_FD INT32_MIN

/* The descriptor behind a JDK object (see jsel_jni_fd.c). */
jint JNICALL jsel_jni_fdOf0(JNIEnv *env, jclass cls, jobject obj);

/* The socket calls (see jsel_jni_socket.c). */
jint JNICALL jsel_jni_socket0(JNIEnv *env, jclass cls, jint domain, jint type, jint protocol);
jint JNICALL jsel_jni_socketpair0(JNIEnv *env, jclass cls, jint domain, jint type, jint protocol,
                                  jintArray out);
jint JNICALL jsel_jni_bind0(JNIEnv *env, jclass cls, jint fd, jlong addr, jint addrlen);
jint JNICALL jsel_jni_listen0(JNIEnv *env, jclass cls, jint fd, jint backlog);
jint JNICALL jsel_jni_accept40(JNIEnv *env, jclass cls, jint fd, jlong addr, jlong addrlen, jint flags);
jint JNICALL jsel_jni_connect0(JNIEnv *env, jclass cls, jint fd, jlong addr, jint addrlen);
jlong JNICALL jsel_jni_recv0(JNIEnv *env, jclass cls, jint fd, jlong buf, jint len, jint flags);
jlong JNICALL jsel_jni_recvfrom0(JNIEnv *env, jclass cls, jint fd, jlong buf, jint len, jint flags,
                                 jlong addr, jlong addrlen);
jlong JNICALL jsel_jni_send0(JNIEnv *env, jclass cls, jint fd, jlong buf, jint len, jint flags);
jlong JNICALL jsel_jni_sendto0(JNIEnv *env, jclass cls, jint fd, jlong buf, jint len, jint flags,
                               jlong addr, jint addrlen);
jint JNICALL jsel_jni_shutdown0(JNIEnv *env, jclass cls, jint fd, jint how);
jint JNICALL jsel_jni_setsockopt0(JNIEnv *env, jclass cls, jint fd, jint level, jint name, jlong value,
                                  jint len);
jint JNICALL jsel_jni_getsockopt0(JNIEnv *env, jclass cls, jint fd, jint level, jint name, jlong value,
                                  jlong len);
jint JNICALL jsel_jni_getsockname0(JNIEnv *env, jclass cls, jint fd, jlong addr, jlong addrlen);
jint JNICALL jsel_jni_getpeername0(JNIEnv *env, jclass cls, jint fd, jlong addr, jlong addrlen);
jint JNICALL jsel_jni_fcntl0(JNIEnv *env, jclass cls, jint fd, jint cmd, jint arg);

#endif
