# Device fuzzer tests: the generator and the oracles run sans-I/O (a scripted transport on a fake
# clock); the end-to-end tests run the real bcemu (BCEMU_PATH) with loopback peers, and the
# `fuzz-device` subcommand runs in-process through CLI11 as main.cpp runs it.
bcconform_add_tests(fuzzdev bcconform::fuzzdev)
foreach(target IN LISTS fuzzdev_test_targets)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/harness/src/fuzzdev)
  target_compile_definitions(${target} PRIVATE BCEMU_PATH="$<TARGET_FILE:bcemu>")
  add_dependencies(${target} bcemu)
endforeach()
target_link_libraries(fuzzdev_fuzz_device_cli_test PRIVATE bcconform::cli)
