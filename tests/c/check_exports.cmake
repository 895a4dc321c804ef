# Fails unless JNI_OnLoad is the only symbol the JNI library exports (-fvisibility=hidden at work).
# Usage: cmake -DLIB=path/to/libjselect.so -P check_exports.cmake
execute_process(COMMAND nm -D --defined-only "${LIB}" OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIB}")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${out}")
set(exported "")
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^[0-9a-fA-F]* *[A-Za-z] " "" name "${line}")
  # Linker-defined markers, not code.
  if(NOT name MATCHES "^(_init|_fini|__bss_start|_edata|_end)$")
    list(APPEND exported "${name}")
  endif()
endforeach()
if(NOT exported STREQUAL "JNI_OnLoad")
  message(FATAL_ERROR "expected only JNI_OnLoad to be exported, found: ${exported}")
endif()
message(STATUS "exports: ${exported}")
