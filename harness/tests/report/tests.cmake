# The report tests validate every JUnit document they produce against specs/schema/junit.xsd
# with xmllint (Debian libxml2-utils), run as a child process whose path is fixed at configure
# time. The JSON schema check needs python3 with jsonschema and is skipped without it.
find_package(pugixml REQUIRED)
find_package(nlohmann_json REQUIRED)
find_program(BCCONFORM_XMLLINT_EXECUTABLE xmllint)
if(NOT BCCONFORM_XMLLINT_EXECUTABLE)
  message(WARNING "xmllint not found: the report tests will fail (install libxml2-utils)")
endif()
find_program(BCCONFORM_PYTHON3_EXECUTABLE python3)

add_library(report_test_support STATIC ${CMAKE_CURRENT_SOURCE_DIR}/report/support/report_check.cpp)
target_include_directories(report_test_support PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/report/support)
target_link_libraries(report_test_support
  PUBLIC bcconform::report pugixml::pugixml nlohmann_json::nlohmann_json GTest::gtest
  PRIVATE bcconform_warnings)
target_compile_definitions(report_test_support PRIVATE
  BCCONFORM_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  BCCONFORM_XMLLINT="${BCCONFORM_XMLLINT_EXECUTABLE}"
  BCCONFORM_PYTHON3="${BCCONFORM_PYTHON3_EXECUTABLE}")

bcconform_add_tests(report bcconform::report report_test_support)
