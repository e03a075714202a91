#include "report_check.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>
#include <pugixml.hpp>

extern char** environ;

namespace bcconform::report::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Waits for `pid` at most `timeout_ms`, then kills it. The exit status, or -1.
int wait_with_deadline(pid_t pid, int timeout_ms) {
  // Through syscall(): glibc 2.36's <sys/pidfd.h> lacks C linkage for C++.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd >= 0) {
    pollfd p{pidfd, POLLIN, 0};
    int n = 0;
    do n = ::poll(&p, 1, timeout_ms);
    while (n < 0 && errno == EINTR);
    ::close(pidfd);
    if (n == 0) ::kill(pid, SIGKILL);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int attribute_int(pugi::xml_node n, const char* name) {
  return n.attribute(name).as_int(-1);
}

struct tally {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  double time = 0;
};

// Compares a node's count attributes with `t`; appends the differences to `out`.
void compare(pugi::xml_node n, const tally& t, std::string& out) {
  const std::map<std::string, int> want{
      {"tests", t.tests}, {"failures", t.failures}, {"errors", t.errors}, {"skipped", t.skipped}};
  const std::string who = std::string(n.name()) + " '" + n.attribute("name").value() + "'";
  for (const auto& [name, count] : want)
    if (attribute_int(n, name.c_str()) != count)
      out += who + ": " + name + "=" + n.attribute(name.c_str()).value() + ", children say " +
             std::to_string(count) + "\n";
  // Each time is rounded to 3 decimals on its own, so sums may differ by a few thousandths.
  const double slack = 0.0005 * (t.tests + 1);
  if (std::abs(n.attribute("time").as_double(-1) - t.time) > slack)
    out += who + ": time=" + n.attribute("time").value() + ", children sum to " +
           std::to_string(t.time) + "\n";
}

tally tally_suite(pugi::xml_node suite) {
  tally t;
  for (pugi::xml_node tc : suite.children("testcase")) {
    ++t.tests;
    t.failures += tc.child("failure") ? 1 : 0;
    t.errors += tc.child("error") ? 1 : 0;
    t.skipped += tc.child("skipped") ? 1 : 0;
    t.time += tc.attribute("time").as_double();
  }
  return t;
}

}  // namespace

scratch_dir::scratch_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/bcconform-report-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

scratch_dir::~scratch_dir() {
  std::error_code ec;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add, ec);
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> scratch_dir::entries() const {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(path_))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

command_output run_program(const std::vector<std::string>& argv, int timeout_ms) {
  scratch_dir dir;
  const std::string out_path = dir.file("output");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  command_output result;
  if (rc != 0) {
    result.output = "cannot run " + argv[0] + ": " + std::strerror(rc);
    return result;
  }
  result.exit_status = wait_with_deadline(pid, timeout_ms);
  result.output = read_file(out_path);
  return result;
}

command_output validate_junit(const std::string& xml) {
  const std::string xmllint = BCCONFORM_XMLLINT;
  if (xmllint.empty() || xmllint.ends_with("NOTFOUND"))
    return {-1, "xmllint was not found at configure time (Debian package libxml2-utils)"};
  scratch_dir dir;
  const std::string file = dir.file("junit.xml");
  std::ofstream(file, std::ios::binary) << xml;
  return run_program({xmllint, "--noout", "--schema",
                      std::string(BCCONFORM_SOURCE_DIR) + "/specs/schema/junit.xsd", file});
}

std::string count_mismatches(const std::string& xml) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_string(xml.c_str());
  if (!parsed) return std::string("not well-formed: ") + parsed.description();
  const pugi::xml_node root = doc.child("testsuites");
  if (!root) return "no <testsuites> root";
  std::string out;
  tally total;
  for (pugi::xml_node suite : root.children("testsuite")) {
    const tally t = tally_suite(suite);
    compare(suite, t, out);
    total.tests += t.tests;
    total.failures += t.failures;
    total.errors += t.errors;
    total.skipped += t.skipped;
    total.time += suite.attribute("time").as_double();
  }
  compare(root, total, out);
  return out;
}

void expect_valid_junit(const std::string& xml) {
  const command_output v = validate_junit(xml);
  EXPECT_EQ(v.exit_status, 0) << "xmllint: " << v.output << "\ndocument:\n" << xml;
  const std::string counts = count_mismatches(xml);
  EXPECT_EQ(counts, "") << "document:\n" << xml;
}

std::string python_with_jsonschema() {
  const std::string python = BCCONFORM_PYTHON3;
  if (python.empty() || python.ends_with("NOTFOUND")) return {};
  const command_output probe = run_program({python, "-c", "import jsonschema"});
  return probe.exit_status == 0 ? python : std::string();
}

runner::case_result make_case(std::string id, runner::verdict v, std::string suite) {
  runner::case_result c;
  c.id = std::move(id);
  c.result = v;
  c.suite = std::move(suite);
  c.file = "specs/" + c.suite + ".yaml";
  c.line = 3;
  c.seconds = 0.25;
  return c;
}

}  // namespace bcconform::report::testing
