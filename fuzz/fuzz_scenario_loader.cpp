// fuzz_scenario_loader: the scenario loader (and the lab loader) on arbitrary text, checked
// against the loader's contract (loader.hpp) rather than for crashes alone.
//
// Input: the text of a scenario file, loaded as "fuzz/input.yaml". Includes are served from
// memory (load_options::read_file), never from disk: `_steps.yaml`, `_capture.yaml`,
// `_nested.yaml` (includes both), `_cycle.yaml` (includes itself) and `_scenario.yaml` (not a
// fragment); any other path is "not found". The same text is also loaded as a lab file.
//
// Invariants (any violation prints what broke and aborts):
//   - loading never throws;
//   - every error names a file and a place: non-empty file, line >= 1, column >= 1;
//   - a refused file gives no scenarios; an accepted one gives scenarios with an id, a title
//     and at least one step each, ids unique, and every step placed (line >= 1).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "bcconform/protocol/transcript.hpp"
#include "bcconform/scenario/lab.hpp"
#include "bcconform/scenario/loader.hpp"

namespace {

namespace sc = bcconform::scenario;

std::string_view input_text;

[[noreturn]] void violated(const std::string& what) {
  std::fprintf(stderr, "fuzz_scenario_loader: invariant violated: %s\n  input: \"%s\"\n",
               what.c_str(), bcconform::protocol::escape_bytes(input_text).c_str());
  std::abort();
}

const std::map<std::string, std::string>& fragments() {
  static const std::map<std::string, std::string> files = {
      {"fuzz/_steps.yaml", "- send: AT\n- expect: OK\n"},
      {"fuzz/_capture.yaml", "- urc: '\\+QIOPEN: (?P<cid>\\d),0'\n- peer: {tcp_listen: srv}\n"},
      {"fuzz/_nested.yaml", "- include: _steps.yaml\n- include: _capture.yaml\n"},
      {"fuzz/_cycle.yaml", "- send: AT\n- include: _cycle.yaml\n"},
      {"fuzz/_scenario.yaml", "scenarios: [{id: a, title: t, steps: [{send: AT}]}]\n"}};
  return files;
}

const sc::load_options& options() {
  static const sc::load_options o = [] {
    sc::load_options opt;
    // Smaller than the defaults so that a bomb costs milliseconds, not the fuzzer's time.
    opt.limits.max_nodes = 20000;
    opt.limits.max_file_bytes = 64 * 1024;
    opt.defined = {"apn"};
    opt.read_file = [](const std::string& path, std::string& text, std::string& error) {
      const auto it = fragments().find(path);
      if (it == fragments().end()) {
        error = "not found";
        return false;
      }
      text = it->second;
      return true;
    };
    return opt;
  }();
  return o;
}

void check_errors(const std::vector<sc::load_error>& errors) {
  for (const sc::load_error& e : errors) {
    if (e.pos.file.empty() || e.pos.line < 1 || e.pos.column < 1) {
      violated("error without a place: \"" + e.to_string() + "\"");
    }
    if (e.message.empty()) violated("error without a message at " + e.pos.to_string());
  }
}

void check_steps(const std::vector<sc::step>& steps, const std::string& id) {
  for (const sc::step& s : steps) {
    if (s.pos.file.empty() || s.pos.line < 1) violated("step without a place in " + id);
  }
}

void check_scenarios(const sc::load_result& r) {
  if (!r.ok()) {
    if (!r.file.scenarios.empty()) violated("a refused file gave scenarios");
    return;
  }
  if (r.file.scenarios.empty()) violated("an accepted file gave no scenario");
  std::set<std::string> ids;
  for (const sc::scenario& s : r.file.scenarios) {
    if (s.id.empty() || s.title.empty()) violated("a scenario without id or title");
    if (!ids.insert(s.id).second) violated("duplicate id accepted: " + s.id);
    if (s.steps.empty()) violated("scenario " + s.id + " has no steps");
    check_steps(s.setup, s.id);
    check_steps(s.steps, s.id);
    check_steps(s.teardown, s.id);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input_text = std::string_view(reinterpret_cast<const char*>(data), size);
  try {
    const sc::load_result r = sc::load_text(input_text, "fuzz/input.yaml", options());
    check_errors(r.errors);
    check_scenarios(r);
    const sc::lab_result lab = sc::load_lab_text(input_text, "fuzz/lab.yaml");
    check_errors(lab.errors);
  } catch (const std::exception& e) {
    violated(std::string("the loader threw: ") + e.what());
  } catch (...) {
    violated("the loader threw");
  }
  return 0;
}
