// The executable's top level: version, help, and usage errors (exit 4).
#include <string>

#include <gtest/gtest.h>

#include "run_cli.hpp"

namespace bcconform::cli::testing {
namespace {

TEST(main, version_prints_the_project_version) {
  const cli_result r = run_cli({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "bcconform " BCCONFORM_VERSION "\n");
}

TEST(main, help_lists_the_decode_subcommand) {
  const cli_result r = run_cli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("decode"), std::string::npos) << r.out;
}

TEST(main, decode_help_lists_its_options) {
  const cli_result r = run_cli({"decode", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* option : {"--transcript", "--push", "--viewmode", "--showlength",
                             "--recv-format", "--echo", "--max-line", "--format"}) {
    EXPECT_NE(r.out.find(option), std::string::npos) << option;
  }
}

TEST(main, no_subcommand_is_a_usage_error) {
  const cli_result r = run_cli({});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err, "");
}

TEST(main, unknown_subcommand_is_a_usage_error) {
  const cli_result r = run_cli({"encode"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err, "");
}

}  // namespace
}  // namespace bcconform::cli::testing
