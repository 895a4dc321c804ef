# Fails unless a built library is what its platform directory promises, read from the ELF file itself:
#   - its machine (x86_64 or aarch64);
#   - its C library: NEEDED libc.so.6 for glibc, libc.so for musl;
#   - for glibc, no versioned symbol newer than GLIBC_BASELINE (2.17: CentOS 7, Amazon Linux 2), so the
#     library loads on every glibc since. A newer one (epoll_pwait2@GLIBC_2.35 through the wrapper,
#     fcntl64@GLIBC_2.28 from _FILE_OFFSET_BITS=64, memcpy@GLIBC_2.14 on older baselines) is named.
# Usage: cmake -DLIB=libjselect.so -DREADELF=readelf -DARCH=aarch64 -DLIBC=glibc|musl
#              [-DGLIBC_BASELINE=2.17] -P check_library.cmake
foreach(var LIB READELF ARCH LIBC)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_library.cmake: -D${var}= is required")
  endif()
endforeach()
if(NOT DEFINED GLIBC_BASELINE)
  set(GLIBC_BASELINE 2.17)
endif()

function(readelf out)
  execute_process(COMMAND "${READELF}" -W ${ARGN} "${LIB}" OUTPUT_VARIABLE text ERROR_VARIABLE err
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${READELF} ${ARGN} ${LIB} failed: ${err}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

set(machine_x86_64 "Advanced Micro Devices X86-64")
set(machine_aarch64 "AArch64")
readelf(header -h)
string(REGEX MATCH "Machine: +([^\n]+)" _ "${header}")
if(NOT CMAKE_MATCH_1 STREQUAL "${machine_${ARCH}}")
  message(FATAL_ERROR "${LIB}: ELF machine is '${CMAKE_MATCH_1}', expected '${machine_${ARCH}}' for ${ARCH}")
endif()

set(needed_glibc "libc.so.6")
set(needed_musl "libc.so")
readelf(dynamic -d)
string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*\\[[^]]+\\]" needs "${dynamic}")
string(REGEX REPLACE "\\(NEEDED\\)[^[]*\\[([^]]+)\\]" "\\1" needs "${needs}")
if(NOT needs STREQUAL "${needed_${LIBC}}")
  message(FATAL_ERROR "${LIB}: needs '${needs}', expected only ${needed_${LIBC}} for ${LIBC}")
endif()

set(summary "${LIB}: ${ARCH}, ${LIBC}")
if(LIBC STREQUAL "glibc")
  readelf(symbols --dyn-syms)
  string(REGEX MATCHALL "[A-Za-z0-9_]+@GLIBC_[A-Z0-9_.]+" versioned "${symbols}")
  list(REMOVE_DUPLICATES versioned)
  set(too_new "")
  set(newest 0)
  foreach(symbol IN LISTS versioned)
    string(REGEX REPLACE ".*@GLIBC_" "" version "${symbol}")
    if(NOT version MATCHES "^[0-9.]+$" OR version VERSION_GREATER GLIBC_BASELINE)
      list(APPEND too_new "${symbol}")
    elseif(version VERSION_GREATER newest)
      set(newest ${version})
    endif()
  endforeach()
  if(too_new)
    list(JOIN too_new ", " too_new)
    message(FATAL_ERROR "${LIB}: needs glibc symbols newer than GLIBC_${GLIBC_BASELINE}: ${too_new}")
  endif()
  string(APPEND summary ", newest symbol version GLIBC_${newest} (baseline ${GLIBC_BASELINE})")
endif()
message(STATUS "${summary}")
