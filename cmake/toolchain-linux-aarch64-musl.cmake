# linux-aarch64-musl: Debian's arm64 musl-dev, installed beside the host's packages (multiarch: dpkg
# --add-architecture arm64), ships aarch64-linux-musl-gcc, a wrapper running the cross gcc
# (gcc-aarch64-linux-gnu) with musl's headers, start files and libc. ctest runs the tests through
# qemu-user; their loader, /lib/ld-musl-aarch64.so.1, comes from the same packages.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-musl-gcc)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)
# The cross gcc's libgcc was built for glibc: its outline-atomics helpers (gcc's aarch64 default) start
# by calling glibc's __getauxval, which musl lacks. Inline atomics need no helper.
set(CMAKE_C_FLAGS_INIT "-mno-outline-atomics")
