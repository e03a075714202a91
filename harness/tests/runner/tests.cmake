# The runner's tests: the step engine against a scripted fake link on a fake clock (no sleeps),
# white-box tests of its parts (src/runner is on their include path), and loopback peers.
add_library(runner_test_support STATIC
  ${CMAKE_CURRENT_LIST_DIR}/support/fake_transport.cpp
  ${CMAKE_CURRENT_LIST_DIR}/support/scenario_builder.cpp)
target_include_directories(runner_test_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/support)
target_link_libraries(runner_test_support PUBLIC bcconform::runner PRIVATE bcconform_warnings)

bcconform_add_tests(runner bcconform::runner runner_test_support)
foreach(target IN LISTS runner_test_targets)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/harness/src/runner)
endforeach()

# One engine test runs the real emulator over the exec transport.
if(TARGET bcemu AND TARGET runner_engine_bcemu_test)
  target_compile_definitions(runner_engine_bcemu_test PRIVATE BCEMU_PATH="$<TARGET_FILE:bcemu>")
  add_dependencies(runner_engine_bcemu_test bcemu)
endif()
