# Transport tests: exec, pty and tcp run the real bcemu executable (BCEMU_PATH); the pty tests
# reuse the bcemu end-to-end support library to start it.
bcconform_add_tests(transport bcconform::transport)
foreach(target IN LISTS transport_test_targets)
  if(TARGET bcemu)
    target_compile_definitions(${target} PRIVATE BCEMU_PATH="$<TARGET_FILE:bcemu>")
    add_dependencies(${target} bcemu)
  endif()
  if(TARGET bcemu_test_support AND target MATCHES "bcemu|pty|tcp")
    target_link_libraries(${target} PRIVATE bcemu_test_support)
  endif()
endforeach()
