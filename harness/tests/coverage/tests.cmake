# The coverage tests build small suites in memory or in a scratch directory (loaded with
# scenario::load_paths) and read the repository's specs/ERRATA.md; some test the internals of
# harness/src/coverage directly.
bcconform_add_tests(coverage bcconform::coverage bcconform::scenario)
foreach(target IN LISTS coverage_test_targets)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/harness/src/coverage)
endforeach()
