// Selection of a run's cases: id globs, tags, --rerun-failed ids, shards (every case in exactly
// one shard), applicability (requires, peers), the plan with repeats, and suite names.
#include <cstdlib>
#include <set>

#include <gtest/gtest.h>

#include "bcconform/runner/run.hpp"
#include "scenario_builder.hpp"

namespace bcconform::runner_test {
namespace {

using runner::verdict;

sc::scenario with_tags(std::string id, std::vector<std::string> tags,
                       std::vector<std::string> needs = {}) {
  sc::scenario s = builder(std::move(id)).send("AT").expect_lines({"OK"}).build();
  s.tags = std::move(tags);
  s.requires_ = std::move(needs);
  return s;
}

std::vector<sc::suite_file> two_files() {
  sc::suite_file a{"specs/basic/a.yaml", "", {}};
  a.scenarios = {with_tags("tcp-open", {"tcp", "smoke"}), with_tags("tcp-close", {"tcp"}),
                 with_tags("udp-send", {"udp"}, {"network"})};
  sc::suite_file b{"specs/sleep/b.yaml", "", {}};
  b.scenarios = {with_tags("deep-sleep", {"sleep"}, {"deep-sleep"}),
                 with_tags("udp-service", {"udp"}, {"udp-service"})};
  return {a, b};
}

std::vector<std::string> ids(const std::vector<runner::selected_case>& cases) {
  std::vector<std::string> out;
  for (const auto& c : cases) out.push_back(c.scenario->id);
  return out;
}

struct glob_case {
  const char* name;
  const char* pattern;
  const char* text;
  bool match;
};

class run_glob : public ::testing::TestWithParam<glob_case> {};

TEST_P(run_glob, matches_the_whole_id) {
  EXPECT_EQ(runner::glob_match(GetParam().pattern, GetParam().text), GetParam().match)
      << GetParam().pattern << " vs " << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    cases, run_glob,
    ::testing::Values(glob_case{"star_suffix", "tcp-*", "tcp-open", true},
                      glob_case{"star_suffix_anchored", "tcp-*", "udp-tcp-", false},
                      glob_case{"star_prefix", "*open", "tcp-open", true},
                      glob_case{"question_one_byte", "tcp-?pen", "tcp-open", true},
                      glob_case{"question_not_two", "tcp-?pen", "tcp-oopen", false},
                      glob_case{"star_matches_empty", "*", "", true},
                      glob_case{"empty_matches_empty", "", "", true},
                      glob_case{"empty_matches_only_empty", "", "x", false},
                      glob_case{"stars_backtrack", "a*b*c", "aXbYbZc", true},
                      glob_case{"stars_need_the_end", "a*b*c", "aXbYbZ", false},
                      glob_case{"double_star", "**x", "abx", true},
                      glob_case{"no_prefix_match", "tcp", "tcp-open", false}),
    [](const ::testing::TestParamInfo<glob_case>& i) { return std::string(i.param.name); });

TEST(run_select, every_case_in_file_order_without_options) {
  const auto files = two_files();
  const auto all = runner::select(files, {});
  EXPECT_EQ(ids(all), (std::vector<std::string>{"tcp-open", "tcp-close", "udp-send", "deep-sleep",
                                                "udp-service"}));
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].index, static_cast<int>(i));
  EXPECT_EQ(all[3].file->path, "specs/sleep/b.yaml");
}

TEST(run_select, filters_tags_and_ids_combine_as_and_each_list_as_or) {
  const auto files = two_files();
  runner::selection_options o;
  o.filters = {"tcp-*", "deep*"};
  EXPECT_EQ(ids(runner::select(files, o)),
            (std::vector<std::string>{"tcp-open", "tcp-close", "deep-sleep"}));
  o.tags = {"smoke", "sleep"};
  EXPECT_EQ(ids(runner::select(files, o)), (std::vector<std::string>{"tcp-open", "deep-sleep"}));
  o.only_ids = {"deep-sleep"};
  EXPECT_EQ(ids(runner::select(files, o)), (std::vector<std::string>{"deep-sleep"}));
}

TEST(run_select, shards_partition_the_selection) {
  const auto files = two_files();
  for (int total = 1; total <= 7; ++total) {
    std::multiset<std::string> seen;
    for (int index = 0; index < total; ++index) {
      runner::selection_options o;
      o.sharding = runner::shard{index, total};
      for (const auto& id : ids(runner::select(files, o))) seen.insert(id);
    }
    EXPECT_EQ(seen, (std::multiset<std::string>{"tcp-open", "tcp-close", "udp-send", "deep-sleep",
                                                "udp-service"}))
        << total << " shards";
  }
}

TEST(run_select, shards_split_after_filtering) {
  const auto files = two_files();
  runner::selection_options o;
  o.tags = {"tcp", "udp"};
  o.sharding = runner::shard{1, 2};
  EXPECT_EQ(ids(runner::select(files, o)), (std::vector<std::string>{"tcp-close", "udp-service"}));
}

TEST(run_shard, parse_accepts_one_based_i_of_n) {
  const auto s = runner::parse_shard("2/3");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 1);
  EXPECT_EQ(s->total, 3);
  for (const char* bad : {"0/3", "4/3", "1/0", "1", "a/b", "1/3x", "-1/3", ""}) {
    EXPECT_FALSE(runner::parse_shard(bad)) << bad;
  }
}

TEST(run_shard, environment_uses_gtest_variables) {
  ::setenv("GTEST_TOTAL_SHARDS", "4", 1);
  ::setenv("GTEST_SHARD_INDEX", "3", 1);
  auto s = runner::shard_from_environment();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 3);
  EXPECT_EQ(s->total, 4);
  ::setenv("GTEST_SHARD_INDEX", "4", 1);
  EXPECT_FALSE(runner::shard_from_environment());
  ::unsetenv("GTEST_SHARD_INDEX");
  EXPECT_FALSE(runner::shard_from_environment());
  ::unsetenv("GTEST_TOTAL_SHARDS");
}

TEST(run_applicability, names_the_first_missing_capability) {
  runner::target_facts t;
  t.capabilities = {"network"};
  t.peer_reachable = true;
  EXPECT_EQ(runner::inapplicable_reason(with_tags("x", {}, {"network"}), t), "");
  EXPECT_EQ(runner::inapplicable_reason(with_tags("x", {}, {"network", "deep-sleep"}), t),
            "target lacks capability deep-sleep");
}

TEST(run_applicability, peer_steps_need_a_reachable_peer) {
  sc::peer_step p;
  p.action = sc::peer_step::op::tcp_listen;
  p.object = "srv";
  const sc::scenario s = builder("peer").teardown().peer(p).build();
  runner::target_facts t;
  EXPECT_NE(runner::inapplicable_reason(s, t).find("peer"), std::string::npos);
  t.peer_reachable = true;
  EXPECT_EQ(runner::inapplicable_reason(s, t), "");
}

TEST(run_plan, lists_every_case_with_its_fate) {
  const auto files = two_files();
  runner::plan_options o;
  o.selection.tags = {"tcp", "sleep", "udp"};
  o.selection.filters = {"tcp-open", "deep-sleep", "udp-service"};
  o.target.capabilities = {"network", "deep-sleep"};
  o.repeat = 2;
  const auto plan = runner::make_plan(files, o);
  std::vector<std::string> got;
  for (const auto& p : plan) {
    got.push_back(p.selected.scenario->id + "#" + std::to_string(p.attempt) + "=" +
                  std::string(runner::to_string(p.preset)));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"tcp-open#1=not_run", "tcp-open#2=not_run",
                                           "tcp-close#1=filtered", "udp-send#1=filtered",
                                           "deep-sleep#1=not_run", "deep-sleep#2=not_run",
                                           "udp-service#1=not_applicable"}));
  EXPECT_EQ(plan[2].reason, "not matched by --filter");
  EXPECT_EQ(plan.back().reason, "target lacks capability udp-service");
  EXPECT_EQ(plan[4].selected.index, 3);
}

TEST(run_plan, names_the_shard_of_cases_left_to_other_shards) {
  const auto files = two_files();
  runner::plan_options o;
  o.selection.sharding = runner::shard{0, 2};
  o.target.capabilities = {"network", "deep-sleep", "udp-service"};
  const auto plan = runner::make_plan(files, o);
  ASSERT_EQ(plan.size(), 5u);
  EXPECT_EQ(plan[0].preset, verdict::not_run);
  EXPECT_EQ(plan[1].preset, verdict::filtered);
  EXPECT_EQ(plan[1].reason, "not in shard 1/2");
}

TEST(run_suite_name, names_are_relative_to_the_common_root) {
  const auto files = two_files();
  const std::string root = runner::common_root(files);
  EXPECT_EQ(root, "specs");
  EXPECT_EQ(runner::suite_name("specs/basic/a.yaml", root), "basic/a");
  EXPECT_EQ(runner::suite_name("specs/top.yaml", root), "top");
  EXPECT_EQ(runner::suite_name("other/x.yaml", root), "x");
  EXPECT_EQ(runner::common_root({}), ".");
  EXPECT_EQ(runner::common_root({sc::suite_file{"a.yaml", "", {}}}), ".");
}

}  // namespace
}  // namespace bcconform::runner_test
