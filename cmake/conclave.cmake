# Shared build settings and helpers for every Conclave target.

add_library(conclave_warnings INTERFACE)
target_compile_options(conclave_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wnull-dereference
  -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # g++ 12 reports -Wmaybe-uninitialized false positives inside
  # std::variant/std::optional moves of our wire structs at -O2 (and more
  # with sanitizers). clang's own uninitialized analysis stays on, and the
  # ASan/UBSan and fuzz builds check the real behaviour.
  target_compile_options(conclave_warnings INTERFACE -Wno-maybe-uninitialized)
endif()

if(CONCLAVE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

if(CONCLAVE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CONCLAVE_FUZZ needs clang (CXX=clang++)")
  endif()
  # Every object gets coverage instrumentation; only fuzz targets link the
  # libFuzzer main.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                      -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# conclave_library(NAME SOURCES... DEPS ...): lib/NAME with its public
# include/ folder, compiled with the project's warnings.
function(conclave_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "lib/${name} has no sources")
  endif()
  add_library(conclave_${name} STATIC ${ARG_SOURCES})
  add_library(conclave::${name} ALIAS conclave_${name})
  target_include_directories(conclave_${name} PUBLIC
    ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(conclave_${name} PUBLIC ${ARG_DEPS}
    PRIVATE conclave_warnings ${ARG_PRIVATE_DEPS})
endfunction()

# conclave_unit_tests: every unit-test binary and nothing else (the
# sanitizer stage of CI builds only this).
if(CONCLAVE_TESTS)
  add_custom_target(conclave_unit_tests)
endif()

# conclave_test(NAME SOURCES... DEPS ...): one GoogleTest binary, registered
# with ctest test by test. Tests find the shared vectors through
# CONCLAVE_VECTORS_DIR.
function(conclave_test name)
  if(NOT CONCLAVE_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_SOURCES)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  add_dependencies(conclave_unit_tests ${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main
                        conclave_warnings)
  target_compile_definitions(${name} PRIVATE
    CONCLAVE_VECTORS_DIR="${CONCLAVE_VECTORS_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY
    "${CMAKE_BINARY_DIR}/test")
  include(GoogleTest)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS unit)
endfunction()

# conclave_fuzzer(NAME SOURCE DEPS ...): a libFuzzer target, built only with
# CONCLAVE_FUZZ=ON, into build/bin/fuzz/.
function(conclave_fuzzer name)
  if(NOT CONCLAVE_FUZZ)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} conclave_warnings)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY
    "${CMAKE_BINARY_DIR}/bin/fuzz")
endfunction()
