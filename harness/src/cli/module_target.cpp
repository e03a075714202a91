#include "module_target.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "bcconform/emulator/profile.hpp"
#include "bcconform/emulator_host/host.hpp"
#include "control_client.hpp"
#include "hook_process.hpp"

namespace bcconform::cli {
namespace {

std::string number_text(double x) {
  std::ostringstream s;
  s.imbue(std::locale::classic());
  s << x;
  return s.str();
}

// Hooks an emulator offers through its control channel (bcemu --help, "Control channel").
const std::map<std::string, std::vector<std::string>>& emulator_pins() {
  static const std::map<std::string, std::vector<std::string>> pins = {
      {"wake", {"wake"}},
      {"reset", {"reset"}},
      {"power-off", {"power off"}},
      {"power-on", {"power on"}},
      {"power-cycle", {"power off", "power on"}},
  };
  return pins;
}

// A hook's output in a one-line message: lines joined with " | ", the last few hundred bytes.
std::string one_line(const std::string& output) {
  constexpr std::size_t keep = 300;
  std::string line;
  std::size_t start = 0;
  while (start < output.size()) {
    auto end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    std::string part = output.substr(start, end - start);
    while (!part.empty() && (part.back() == '\r' || part.back() == ' ')) part.pop_back();
    if (!part.empty()) line += (line.empty() ? "" : " | ") + part;
    start = end + 1;
  }
  if (line.size() > keep) line = "..." + line.substr(line.size() - keep);
  return line;
}

bool retryable(const protocol::error& e) {
  using transport::errc;
  for (errc c : {errc::not_found, errc::device_vanished, errc::refused, errc::busy}) {
    if (e.code == transport::make_error_code(c)) return true;
  }
  return false;
}

}  // namespace

std::string bundled_bcemu_path() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (ec ? std::string(".") : exe.parent_path().string()) + "/bcemu";
}

bool local_module(const transport::target_uri& u) {
  switch (u.kind) {
    case transport::scheme::exec:
    case transport::scheme::pty:
      return true;
    case transport::scheme::tcp:
      return u.host.starts_with("127.") || u.host == "::1";
    default:
      return false;
  }
}

transport::target_uri emulator_uri(const std::string& bcemu_path, const std::string& model,
                                   double time_scale, const std::string& control_socket) {
  transport::target_uri u;
  u.kind = transport::scheme::exec;
  u.argv = {bcemu_path,  "--stdio",      "--model",      model,
            "--control", control_socket, "--time-scale", number_text(time_scale),
            "--quiet"};
  u.text = "exec:";
  for (std::size_t i = 0; i < u.argv.size(); ++i) u.text += (i ? " " : "") + u.argv[i];
  return u;
}

protocol::result<emulator_facts> read_emulator_facts(const std::string& bcemu_path,
                                                     const std::string& model) {
  emulator_host::host_options o;
  o.model = model;
  const std::string path = emulator_host::find_profile(o, bcemu_path);
  if (path.empty()) {
    return protocol::make_error(protocol::errc::syntax, "no bcemu profile for model " + model);
  }
  std::ifstream f(path, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
  auto p = emulator::parse_profile(text, path);
  if (!p) return p.error();
  emulator_facts facts;
  facts.capabilities = {"network", "deep-sleep", "control-channel"};
  // E3/E40: a case that checks the refusal of "UDP SERVICE" (555) needs a module without it.
  facts.capabilities.insert(p->udp_service_supported ? "udp-service" : "no-udp-service");
  if (!p->boot_urcs.empty()) facts.boot_marker = p->boot_urcs.front();
  return facts;
}

module_target::module_target(target_config c) : config_(std::move(c)) {}

module_target::~module_target() {
  if (tap_) tap_->close();
}

std::string module_target::describe() const {
  return tap_ ? tap_->describe() : config_.uri.text;
}

protocol::result<transport::tap*> module_target::fresh(bool previous_error) {
  if (config_.restart_per_case) return open_link(std::chrono::milliseconds(0));
  const bool reset = config_.hooks.count("reset") != 0;
  if (tap_ && !reset && !previous_error) return tap_.get();
  if (reset) {
    tap_.reset();  // a power cycle may take the device away under an open port
    if (std::string why = hook("reset"); !why.empty()) {
      return protocol::make_error(protocol::errc::syntax, why);
    }
  }
  // A link that broke, or a device re-enumerating after the reset, may take a moment to return.
  return open_link(reset || previous_error ? config_.reopen_timeout : std::chrono::milliseconds(0));
}

protocol::result<transport::tap*> module_target::open_link(std::chrono::milliseconds retry_for) {
  tap_.reset();  // closes the previous link (an emulator: terminates the process)
  const auto until = std::chrono::steady_clock::now() + retry_for;
  while (true) {
    // An exec child runs in its own process group (transport/exec.cpp), so a terminal's Ctrl+C
    // reaches only bcconform, which then ends the case cleanly.
    auto link = transport::open(config_.uri, config_.open);
    if (link) {
      tap_ = std::make_unique<transport::tap>(std::move(*link));
      return tap_.get();
    }
    // After a reset hook the device may take a moment to reappear (a USB adapter re-enumerating).
    if (!retryable(link.error()) || std::chrono::steady_clock::now() >= until) {
      return link.error();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

std::string module_target::hook(const std::string& name) {
  if (auto it = config_.hooks.find(name); it != config_.hooks.end()) {
    const hook_outcome r = run_hook_command(it->second, config_.hook_timeout);
    if (r.ok) return {};
    std::string why = "hook '" + name + "': " + r.message;
    if (const std::string out = one_line(r.output); !out.empty()) why += ": " + out;
    return why;
  }
  const auto pin = emulator_pins().find(name);
  if (!has_control() || pin == emulator_pins().end()) {
    return "no hook '" + name + "' on this target (lab file: hooks)";
  }
  for (const std::string& line : pin->second) {
    std::string reply, error;
    if (!control(line, reply, error)) return error;
    if (!reply.starts_with("ok")) return "control '" + line + "': " + reply;
  }
  return {};
}

bool module_target::control(const std::string& line, std::string& reply, std::string& error) {
  if (!has_control()) {
    error = "this target has no control channel";
    return false;
  }
  return control_exchange(config_.control_socket, line, config_.control_timeout, reply, error);
}

}  // namespace bcconform::cli
