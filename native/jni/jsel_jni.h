/* Shared declarations of the JNI glue, split by concern across jsel_jni*.c. */
#ifndef JSEL_JNI_H
#define JSEL_JNI_H

#include <jni.h>

/* Returned by fdOf0 when an object has no descriptor the library knows how to find. */
#define JSEL_NO_FD INT32_MIN

/* The descriptor behind a JDK object (see jsel_jni_fd.c). */
jint JNICALL jsel_jni_fdOf0(JNIEnv *env, jclass cls, jobject obj);

#endif
