# Scenario loader tests. The schema test reads specs/schema/*.json with nlohmann_json and the
# test data with yaml-cpp, to hold the schemas to the loader.
bcconform_add_tests(scenario bcconform::scenario)
find_package(nlohmann_json 3 REQUIRED)
find_package(yaml-cpp 0.7 REQUIRED)
foreach(target IN LISTS scenario_test_targets)
  if(target MATCHES "schema")
    target_link_libraries(${target} PRIVATE nlohmann_json::nlohmann_json yaml-cpp)
  endif()
endforeach()
