# linux-aarch64 (glibc): Debian's cross gcc (gcc-aarch64-linux-gnu) and cross glibc (libc6-dev-arm64-cross,
# in /usr/aarch64-linux-gnu). ctest runs the tests through qemu-user, which finds their loader and
# libraries under that same directory (-L).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
