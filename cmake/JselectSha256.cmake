# Writes OUTPUT: the SHA-256 of LIBRARY in hex, two spaces and the library's file name (sha256sum's
# format). The loader checks the copy it extracts from the jar against it right before loading it
# (io.jselect.internal.NativeLibraryLoader). Run as: cmake -DLIBRARY=... -DOUTPUT=... -P JselectSha256.cmake
file(SHA256 "${LIBRARY}" digest)
get_filename_component(name "${LIBRARY}" NAME)
file(WRITE "${OUTPUT}" "${digest}  ${name}\n")
