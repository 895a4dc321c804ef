# linux-x86_64 (glibc): this machine's gcc, which builds the library and runs the C tests (release and
# ASan+UBSan). The other platforms have toolchain files beside this one (native/platforms builds them).
# CMAKE_SYSTEM_NAME is deliberately not set: that would mark the build as cross-compiling and stop ctest
# running the tests.
if(NOT CMAKE_HOST_SYSTEM_NAME STREQUAL "Linux" OR NOT CMAKE_HOST_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  message(FATAL_ERROR "toolchain-linux-x86_64: this host is ${CMAKE_HOST_SYSTEM_NAME}-${CMAKE_HOST_SYSTEM_PROCESSOR}")
endif()
set(CMAKE_C_COMPILER gcc)
set(CMAKE_C_FLAGS_INIT "-m64")
