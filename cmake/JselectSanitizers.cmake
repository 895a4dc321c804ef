# -DJSELECT_SANITIZE=ON builds everything with AddressSanitizer and UndefinedBehaviorSanitizer; any
# report aborts the program, so ctest fails on it. (The JNI library built this way cannot be loaded
# into a JVM without LD_PRELOAD of libasan; the sanitizer build exists for the C tests.)
option(JSELECT_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(JSELECT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
endif()
