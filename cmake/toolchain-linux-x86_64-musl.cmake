# linux-x86_64-musl: Debian's musl-gcc wrapper (musl-tools), the host gcc with musl's headers, start files
# and libc in place of glibc's. Not marked as cross-compiling: the tests run here, on musl's loader
# (/lib/ld-musl-x86_64.so.1, from the musl package).
set(CMAKE_C_COMPILER x86_64-linux-musl-gcc)
