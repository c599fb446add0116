# vp_embed(TARGET SYMBOL FILE): compile FILE into TARGET as
#   const unsigned char SYMBOL[]; const size_t SYMBOL_len;
# (a NUL byte follows the data so text assets can be used as C strings).
# vp_embed_dir(TARGET SYMBOL DIR GLOB): the same for the concatenation of
# every file in DIR matching GLOB, in name order (each ends with a newline).
# Assets stay ordinary files in assets/; the binaries need no asset path at run time.
function(vp_embed target symbol file)
  get_filename_component(abs "${file}" ABSOLUTE)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/embed/${symbol}.c")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} "-DIN=${abs}" -DOUT=${out} -DSYM=${symbol}
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake"
    DEPENDS "${abs}" "${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake"
    COMMENT "Embedding ${file}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()

function(vp_embed_dir target symbol dir glob)
  get_filename_component(abs "${dir}" ABSOLUTE)
  file(GLOB files CONFIGURE_DEPENDS "${abs}/${glob}")
  list(SORT files)
  string(REPLACE ";" "|" joined "${files}")
  set(out "${CMAKE_CURRENT_BINARY_DIR}/embed/${symbol}.c")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} "-DIN=${joined}" -DOUT=${out} -DSYM=${symbol}
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake"
    DEPENDS ${files} "${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake"
    COMMENT "Embedding ${dir}/${glob}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
