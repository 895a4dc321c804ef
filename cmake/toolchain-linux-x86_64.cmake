# Toolchain for the one platform whose library ships in the jar (META-INF/native/linux-x86_64/).
# Other Linux platforms run on the JNA backend, which needs no compiled library. CMAKE_SYSTEM_NAME is
# deliberately not set: that would mark the build as cross-compiling and stop ctest running the tests.
if(NOT CMAKE_HOST_SYSTEM_NAME STREQUAL "Linux" OR NOT CMAKE_HOST_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  message(FATAL_ERROR "toolchain-linux-x86_64: this host is ${CMAKE_HOST_SYSTEM_NAME}-${CMAKE_HOST_SYSTEM_PROCESSOR}")
endif()
set(CMAKE_C_COMPILER gcc)
set(CMAKE_C_FLAGS_INIT "-m64")
