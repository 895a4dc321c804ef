# Warnings are errors in every jselect C target.
function(jselect_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes
    -Wvla -Wformat=2 -Wno-unused-parameter)
endfunction()
