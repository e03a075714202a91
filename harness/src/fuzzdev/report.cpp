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
