#include "scenario_builder.hpp"

#include <algorithm>

namespace bcconform::runner_test {

namespace {

sc::line_matcher matcher(sc::line_matcher::kind k, std::string text = {}) {
  sc::line_matcher m;
  m.match = k;
  m.text.text = std::move(text);
  return m;
}

}  // namespace

sc::line_matcher exact(std::string text) {
  return matcher(sc::line_matcher::kind::exact, std::move(text));
}
sc::line_matcher re(std::string pattern) {
  return matcher(sc::line_matcher::kind::regex, std::move(pattern));
}
sc::line_matcher any_final() {
  return matcher(sc::line_matcher::kind::any_final);
}
sc::line_matcher payload_text(std::string bytes) {
  auto m = matcher(sc::line_matcher::kind::payload);
  m.payload = sc::bytes_spec{sc::bytes_spec::kind::text, {std::move(bytes)}};
  return m;
}
sc::line_matcher payload_hex(std::string digits) {
  auto m = matcher(sc::line_matcher::kind::payload);
  m.payload = sc::bytes_spec{sc::bytes_spec::kind::hex, {std::move(digits)}};
  return m;
}
sc::line_matcher payload_length(std::size_t n) {
  auto m = matcher(sc::line_matcher::kind::payload);
  m.length = n;
  return m;
}
sc::line_matcher payload_re(std::string pattern) {
  auto m = matcher(sc::line_matcher::kind::payload);
  m.payload_re = sc::templated{std::move(pattern)};
  return m;
}

std::string at_line(int line) {
  return "t.yaml:" + std::to_string(line);
}

builder::builder(std::string id) {
  s_.id = std::move(id);
  s_.title = "test case";
  s_.pos = {"t.yaml", 1, 1};
}

builder& builder::setup() {
  into_ = phase::setup;
  return *this;
}
builder& builder::steps() {
  into_ = phase::steps;
  return *this;
}
builder& builder::teardown() {
  into_ = phase::teardown;
  return *this;
}

builder& builder::add(sc::step_body body) {
  sc::step st;
  st.body = std::move(body);
  st.pos = {"t.yaml", ++line_, 3};
  auto& steps = into_ == phase::setup ? s_.setup : into_ == phase::steps ? s_.steps : s_.teardown;
  steps.push_back(std::move(st));
  return *this;
}

builder& builder::send(std::string line) {
  return add(sc::send_step{{std::move(line)}});
}

builder& builder::expect(std::vector<sc::line_matcher> lines, std::optional<ms> timeout) {
  return add(sc::expect_step{std::move(lines), timeout});
}

builder& builder::expect_lines(std::vector<std::string> lines, std::optional<ms> timeout) {
  std::vector<sc::line_matcher> matchers;
  for (auto& l : lines) matchers.push_back(exact(std::move(l)));
  return expect(std::move(matchers), timeout);
}

builder& builder::urc(std::string pattern, std::optional<ms> timeout) {
  return add(sc::urc_step{{std::move(pattern)}, timeout});
}

builder& builder::prompt(std::optional<ms> timeout) {
  return add(sc::prompt_step{timeout});
}

builder& builder::data(std::string text, sc::data_step::end e) {
  return add(sc::data_step{{sc::bytes_spec::kind::text, {std::move(text)}}, e});
}

builder& builder::data_hex(std::string digits, sc::data_step::end e) {
  return add(sc::data_step{{sc::bytes_spec::kind::hex, {std::move(digits)}}, e});
}

builder& builder::payload(sc::payload_step p) {
  return add(std::move(p));
}
builder& builder::peer(sc::peer_step p) {
  return add(std::move(p));
}
builder& builder::wait(ms time) {
  return add(sc::wait_step{time});
}
builder& builder::hook(std::string name) {
  return add(sc::hook_step{std::move(name)});
}

builder& builder::control(std::string line, std::optional<std::string> reply) {
  sc::control_step c;
  c.line.text = std::move(line);
  if (reply) c.expect_reply = sc::templated{std::move(*reply)};
  return add(std::move(c));
}

builder& builder::var(std::string name, std::string value) {
  s_.vars[std::move(name)] = std::move(value);
  return *this;
}

builder& builder::ignore(std::string pattern) {
  s_.ignore_urcs.push_back(std::move(pattern));
  return *this;
}

builder& builder::unclaimed(sc::unclaimed_policy p) {
  s_.unclaimed = p;
  return *this;
}

engine_harness::engine_harness() {
  ctx.link = &link;
  ctx.interrupt = &interrupt;
  ctx.note = [this](const std::string& n) { notes.push_back(n); };
}

runner::case_result engine_harness::run(const sc::scenario& s) {
  return runner::run_case(s, ctx);
}

bool engine_harness::noted(const std::string& prefix) const {
  return std::any_of(notes.begin(), notes.end(),
                     [&](const std::string& n) { return n.rfind(prefix, 0) == 0; });
}

}  // namespace bcconform::runner_test
