# Device fuzzer tests: the generator and the oracles run sans-I/O (a scripted transport on a fake
# clock); the end-to-end tests run the real bcemu (BCEMU_PATH) with loopback peers.
bcconform_add_tests(fuzzdev bcconform::fuzzdev)
foreach(target IN LISTS fuzzdev_test_targets)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/harness/src/fuzzdev)
  if(TARGET bcemu)
    target_compile_definitions(${target} PRIVATE BCEMU_PATH="$<TARGET_FILE:bcemu>")
    add_dependencies(${target} bcemu)
  endif()
endforeach()

# The `fuzz-device` subcommand, run in-process through CLI11 as main.cpp runs it. Its source is
# compiled here until bcconform_cli lists it; hook_process and interrupts come from bcconform_cli.
if(TARGET fuzzdev_fuzz_device_cli_test)
  if(TARGET bcconform_cli)
    get_target_property(cli_sources bcconform_cli SOURCES)
    list(FILTER cli_sources INCLUDE REGEX "fuzz_device_command\\.cpp$")
    if(NOT cli_sources)
      target_sources(fuzzdev_fuzz_device_cli_test
        PRIVATE ${PROJECT_SOURCE_DIR}/harness/src/cli/fuzz_device_command.cpp)
    endif()
    target_link_libraries(fuzzdev_fuzz_device_cli_test PRIVATE bcconform::cli)
  endif()
endif()
