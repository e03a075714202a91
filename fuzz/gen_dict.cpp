// bcconform_gen_dict: prints the libFuzzer dictionary of a fuzz target, made from the command
// table so that a command added there cannot be missing here. The committed
// fuzz/fuzz_<target>.dict files are this program's output; CTest (fuzz_<target>_dict_current)
// runs `bcconform_gen_dict --target <target> --check fuzz/fuzz_<target>.dict` to keep them so.
//
//   bcconform_gen_dict [--target parser] > fuzz/fuzz_parser.dict     module output tokens
//   bcconform_gen_dict --target decoders > fuzz/fuzz_decoders.dict  information lines, URCs
//   bcconform_gen_dict [--target T] --check fuzz/fuzz_T.dict         exit 1 and say why if
//                                                                    it differs
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "bcconform/protocol/command_table.hpp"

namespace {

namespace proto = bcconform::protocol;

// libFuzzer dictionary syntax: a quoted value with \\, \" and \xHH escapes.
std::string quoted(std::string_view token) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (const char c : token) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7f) {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out + '"';
}

class dictionary {
 public:
  explicit dictionary(std::string_view target) {
    const std::string t(target);
    text_ = "# libFuzzer dictionary for fuzz_" + t +
            ", generated from the command table by\n"
            "# bcconform_gen_dict; do not edit. Regenerate after changing command_table.cpp:\n"
            "#   build/bin/bcconform_gen_dict" +
            (t == "parser" ? std::string() : " --target " + t) + " > fuzz/fuzz_" + t + ".dict\n";
  }
  void section(std::string_view title) { text_ += "\n# " + std::string(title) + "\n"; }
  void add(std::string_view token) {
    if (token.empty() || !seen_.insert(std::string(token)).second) return;
    text_ += quoted(token) + "\n";
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::set<std::string> seen_;
};

void add_commands(dictionary& d) {
  d.section("command lines as echoed (AT + name), keys and enumerated values");
  for (const proto::command_spec& c : proto::commands()) {
    d.add("AT" + std::string(c.name));
    for (const proto::form_spec& f : c.forms) {
      if (!f.key.empty()) d.add("\"" + std::string(f.key) + "\"");
      for (const proto::param_spec& p : f.params) {
        for (const std::string_view choice : p.choices) d.add("\"" + std::string(choice) + "\"");
      }
    }
  }
  d.section("information response prefixes");
  for (const proto::command_spec& c : proto::commands()) {
    if (!c.info_prefix.empty()) d.add(std::string(c.info_prefix) + ": ");
  }
}

void add_results(dictionary& d) {
  d.section("URC match strings");
  for (const proto::urc_spec& u : proto::urcs()) d.add(u.match);
  d.section("final and deferred results");
  for (const proto::final_spec& f : proto::finals()) d.add(f.text);
  // The framing every response uses (V.250 §5.7.1, AN 2.1.4): not in the table by nature.
  d.section("framing");
  for (const std::string_view t : {"\r\n", "\r\r\n", "> ", "=?", "\x1a", "\x1b"}) d.add(t);
}

std::string generate_parser() {
  dictionary d("parser");
  add_commands(d);
  add_results(d);
  return d.text();
}

// fuzz_decoders sees one line at a time, never a command line: prefixes, the quoted values
// the decoded lines carry, and the field separators of AN 2.1 / AN 2.2.
void add_line_tokens(dictionary& d) {
  d.section("information response prefixes");
  for (const proto::command_spec& c : proto::commands()) {
    if (!c.info_prefix.empty()) d.add(std::string(c.info_prefix) + ": ");
  }
  d.section("URC match strings");
  for (const proto::urc_spec& u : proto::urcs()) d.add(u.match);
  d.add(proto::final_result(proto::final_id::cme_error).text);
  d.section("keys and enumerated values, quoted as the lines carry them");
  for (const proto::command_spec& c : proto::commands()) {
    for (const proto::form_spec& f : c.forms) {
      if (!f.key.empty()) d.add("\"" + std::string(f.key) + "\"");
      for (const proto::param_spec& p : f.params) {
        for (const std::string_view choice : p.choices) d.add("\"" + std::string(choice) + "\"");
      }
    }
  }
  d.section("error descriptions (AN 3 table 1)");
  for (const proto::error_code_spec& e : proto::error_codes()) d.add(e.description);
  // Field separators, the recv URC's literal (AN 2.2.3) and the service type only +QISTATE
  // reports (AN 4.3.2): not table entries by nature.
  d.section("fields");
  for (const std::string_view t :
       {",", "\"", "\"buff full\"", "\"TCP INCOMING\"", "\r\n", "2147483647", "-"})
    d.add(t);
}

std::string generate_decoders() {
  dictionary d("decoders");
  add_line_tokens(d);
  return d.text();
}

int check(const char* path, const std::string& want, std::string_view target) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "bcconform_gen_dict: cannot read " << path << '\n';
    return 1;
  }
  const std::string have{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (have == want) return 0;
  std::istringstream a(have), b(want);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_b = static_cast<bool>(std::getline(b, lb));
    if (!more_a && !more_b) break;
    if (more_a != more_b || la != lb) {
      std::cerr << path << ':' << line << ": differs from the command table\n  committed: "
                << (more_a ? la : "<end of file>")
                << "\n  generated: " << (more_b ? lb : "<end of file>") << '\n';
      break;
    }
  }
  std::cerr << "regenerate it: bcconform_gen_dict --target " << target << " > fuzz/fuzz_" << target
            << ".dict\n";
  return 1;
}

int usage() {
  std::cerr << "usage: bcconform_gen_dict [--target parser|decoders] [--check <committed.dict>]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string_view target = "parser";
  const char* check_path = nullptr;
  for (int i = 1; i < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) return usage();
    if (flag == "--target") {
      target = argv[i + 1];
    } else if (flag == "--check") {
      check_path = argv[i + 1];
    } else {
      return usage();
    }
  }
  std::string dict;
  if (target == "parser") {
    dict = generate_parser();
  } else if (target == "decoders") {
    dict = generate_decoders();
  } else {
    return usage();
  }
  if (check_path != nullptr) return check(check_path, dict, target);
  std::fwrite(dict.data(), 1, dict.size(), stdout);
  return 0;
}
