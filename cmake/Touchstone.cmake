# Shared build helpers for every Touchstone folder.
include_guard(GLOBAL)

# Warnings for our own targets (third-party headers are included as SYSTEM).
function(touchstone_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(TOUCHSTONE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# touchstone_library(NAME folder DEPS ...): a library from folder/src/*.cpp with
# public headers under folder/include, exported as touchstone::<folder>.
function(touchstone_library name)
  cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/src/*.cpp")
  add_library(touchstone_${name} STATIC ${sources})
  add_library(touchstone::${name} ALIAS touchstone_${name})
  target_include_directories(touchstone_${name} PUBLIC "${CMAKE_CURRENT_SOURCE_DIR}/include")
  target_link_libraries(touchstone_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  touchstone_warnings(touchstone_${name})
endfunction()

# The asan preset instruments the code under test (the libraries, tools and
# harnesses) but not the Catch2 test files themselves: their assertion macros
# are most of the instrumented code and compile about 40% slower with ASan +
# UBSan, while a bad access they make into a library is still caught where the
# library makes it. The sanitizer runtime is linked all the same.
option(TOUCHSTONE_INSTRUMENT_TESTS "Compile Catch2 test files with the sanitizers of CMAKE_CXX_FLAGS too" ON)
function(touchstone_test_instrumentation target)
  if(NOT TOUCHSTONE_INSTRUMENT_TESTS)
    target_compile_options(${target} PRIVATE -fno-sanitize=all)
  endif()
endfunction()

# touchstone_tests(NAME exe SOURCES ... DEPS ... LABELS ...): one Catch2
# executable; every TEST_CASE becomes a ctest test carrying LABELS.
function(touchstone_tests exe)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT TOUCHSTONE_BUILD_TESTS)
    return()
  endif()
  if(NOT TARGET touchstone_catch_main)
    # Compiled once: CATCH_CONFIG_MAIN is the slow part of Catch2 v2.
    add_library(touchstone_catch_main OBJECT "${PROJECT_SOURCE_DIR}/cmake/catch_main.cpp")
    target_link_libraries(touchstone_catch_main PUBLIC Catch2::Catch2)
    touchstone_test_instrumentation(touchstone_catch_main)
  endif()
  add_executable(${exe} ${ARG_SOURCES} $<TARGET_OBJECTS:touchstone_catch_main>)
  target_link_libraries(${exe} PRIVATE Catch2::Catch2 ${ARG_DEPS})
  touchstone_test_instrumentation(${exe})
  # catch.hpp costs about a second of every test file's compile: parsed once
  # per test executable instead (CI builds twice on 2 cores).
  target_precompile_headers(${exe} PRIVATE <catch2/catch.hpp>)
  touchstone_warnings(${exe})
  # Catch.cmake flattens list-valued PROPERTIES ("pdu;interop" would become
  # LABELS pdu + a stray property), so the labels are applied by a script
  # that runs after discovery, over the list of discovered tests.
  # --warn NoTests: a ctest whose name matches no test case fails. A ';' in
  # a TEST_CASE name splits it into two ctests that each matched nothing and
  # passed without running (19 cases did, until 2026-12-07).
  catch_discover_tests(${exe} TEST_PREFIX "${exe}:" TEST_LIST ${exe}_TESTS
    EXTRA_ARGS --warn NoTests PROPERTIES TIMEOUT 300)
  set(label_script "${CMAKE_CURRENT_BINARY_DIR}/${exe}_labels.cmake")
  file(WRITE "${label_script}"
    "foreach(t IN LISTS ${exe}_TESTS)\n"
    "  set_tests_properties(\"\${t}\" PROPERTIES LABELS \"${ARG_LABELS}\")\n"
    "endforeach()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${label_script}")
endfunction()
