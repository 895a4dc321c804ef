/*
 * Test-only stand-in for a libjselect.so from another jselect version: its JNI_OnLoad binds a native
 * that io.jselect.internal.Jni does not declare, so RegisterNatives throws NoSuchMethodError (a
 * LinkageError, not an UnsatisfiedLinkError) out of System.load. JarLoadingIT loads it to check that the
 * loader reports it and moves on, or falls back to JNA, as it does for a library that is missing.
 */
#include <jni.h>

static jint JNICALL removed_in_this_version0(JNIEnv *env, jclass cls)
{
    (void)env; (void)cls;
    return 0;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved)
{
    (void)reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK)
        return JNI_ERR;
    jclass cls = (*env)->FindClass(env, "io/jselect/internal/Jni");
    if (cls == NULL)
        return JNI_ERR;
    static const JNINativeMethod methods[] = {
        { "removedInThisVersion0", "()I", (void *)removed_in_this_version0 },
    };
    jint rc = (*env)->RegisterNatives(env, cls, methods, 1);
    (*env)->DeleteLocalRef(env, cls);
    return rc == JNI_OK ? JNI_VERSION_1_8 : JNI_ERR;
}
