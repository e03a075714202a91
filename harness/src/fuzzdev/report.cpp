#include "bcconform/fuzzdev/report.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <nlohmann/json.hpp>

namespace bcconform::fuzzdev {
namespace {

using json = nlohmann::ordered_json;

protocol::error io_error(const std::string& what, const std::string& path, int err) {
  return {std::error_code(err, std::generic_category()),
          what + " " + path + ": " + std::strerror(err)};
}

struct file_closer {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

json finding_json(const finding& f, const std::string& flags) {
  return json{{"kind", to_string(f.kind)},
              {"case", f.index},
              {"seed", f.seed},
              {"line", f.line},
              {"description", f.description},
              {"detail", f.detail},
              {"evidence", f.evidence},
              {"reproduce", reproduce_args(f.seed, f.index, flags)}};
}

}  // namespace

std::string reproduce_args(std::uint64_t seed, std::uint64_t index, const std::string& flags) {
  std::string out =
      "--seed " + std::to_string(seed) + " --start " + std::to_string(index) + " --count 1";
  if (!flags.empty()) out += " " + flags;
  return out;
}

std::uint64_t form_coverage::total() const {
  std::uint64_t n = 0;
  for (const auto k : by_kind) n += k;
  return n;
}

std::vector<form_coverage> table_coverage(const run_stats& s) {
  std::vector<form_coverage> rows;
  for (const protocol::command_spec& c : protocol::commands()) {
    for (const protocol::form_spec& f : c.forms) {
      form_coverage row;
      row.command = &c;
      row.form = &f;
      row.params = f.params.size();
      if (const auto it = s.by_form.find(&f); it != s.by_form.end()) row.by_kind = it->second;
      for (const protocol::param_spec& p : f.params) {
        row.params_bounded += s.bounded_params.count({&f, std::string(p.name)});
      }
      rows.push_back(row);
    }
  }
  return rows;
}

namespace {

json coverage_json(const run_stats& s) {
  json rows = json::array();
  for (const form_coverage& row : table_coverage(s)) {
    json cases = json::object();
    for (int k = 0; k < case_kind_count; ++k) {
      const auto n = row.by_kind[static_cast<std::size_t>(k)];
      if (n > 0) cases[std::string(to_string(static_cast<case_kind>(k)))] = n;
    }
    rows.push_back(
        {{"syntax", row.form->syntax},
         {"section", row.form->section.empty() ? row.command->section : row.form->section},
         {"cases", cases},
         {"params", row.params},
         {"params_bounded", row.params_bounded}});
  }
  return rows;
}

}  // namespace

std::string report_json(const run_result& r, const report_context& c) {
  json by_kind = json::object();
  for (int k = 0; k < finding_kind_count; ++k) {
    const auto n = r.stats.by_kind[static_cast<std::size_t>(k)];
    if (n > 0) by_kind[std::string(to_string(static_cast<finding_kind>(k)))] = n;
  }
  json findings = json::array();
  for (const finding& f : r.findings) findings.push_back(finding_json(f, c.filter_flags));
  json doc{{"tool", "bcconform fuzz-device"},
           {"target", c.target},
           {"seed", c.seed},
           {"start", c.start},
           {"cases", r.stats.cases},
           {"lines_sent", r.stats.lines_sent},
           {"interleavings", r.stats.interleavings},
           {"interleavings_skipped", r.stats.interleavings_skipped},
           {"end", to_string(r.end)},
           {"end_detail", r.end_detail},
           {"findings_by_kind", by_kind},
           {"findings", findings},
           {"coverage", coverage_json(r.stats)},
           {"notes", r.notes}};
  // Lines and evidence hold escaped bytes only, so dump() cannot meet invalid UTF-8; replace
  // keeps that true should a detail ever carry raw bytes.
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

protocol::result<void> write_report(const std::string& path, const run_result& r,
                                    const report_context& c) {
  const std::string text = report_json(r, c);
  const std::string temp = path + ".tmp";
  {
    std::unique_ptr<std::FILE, file_closer> f(std::fopen(temp.c_str(), "wb"));
    if (!f) return io_error("cannot create", temp, errno);
    if (std::fwrite(text.data(), 1, text.size(), f.get()) != text.size() ||
        std::fflush(f.get()) != 0) {
      const int err = errno;
      std::remove(temp.c_str());
      return io_error("cannot write", temp, err);
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(temp.c_str());
    return io_error("cannot rename to", path, err);
  }
  return {};
}

}  // namespace bcconform::fuzzdev
