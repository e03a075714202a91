// The bcemu process: the interpreter between the serial side, the network backend, the control
// channel and the clock. One thread, one io_context; the interpreter is only entered from its
// handlers, and its time is the steady clock scaled by --time-scale.
#include "bcconform/emulator_host/host.hpp"

#include <charconv>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <ostream>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bcconform/emulator/interpreter.hpp"
#include "bcconform/emulator_host/net_backend.hpp"
#include "control_channel.hpp"
#include "output_shaper.hpp"
#include "serial_link.hpp"
#include "state_file.hpp"
#include "transcript_log.hpp"

namespace bcconform::emulator_host {
namespace {

namespace asio = boost::asio;
using steady = std::chrono::steady_clock;
using emulator::timestamp;
using error_code = boost::system::error_code;

// Output backlog (bytes) above which the serial input is held, and below which it resumes.
constexpr std::size_t input_hold_above = 1u << 20;
constexpr std::size_t input_resume_below = 64u << 10;
// After the input ends: how long queued output may take to drain, and how far ahead an
// interpreter deadline may lie and still be waited for (a response delay, a boot URC).
constexpr std::chrono::milliseconds drain_budget{1000};
constexpr std::chrono::milliseconds eof_grace{1000};

std::string ping_range() {
  std::ifstream in("/proc/sys/net/ipv4/ping_group_range");
  std::string lo, hi;
  in >> lo >> hi;
  return in ? lo + " " + hi : "unreadable";
}

class process final : public emulator::host_interface {
 public:
  process(const host_options& o, std::ostream& out, std::ostream& err)
      : opt_(o),
        out_(out),
        err_(err),
        shaper_(io_, fault_options(o), [this](auto b) { emit(b); }),
        signals_(io_, SIGTERM, SIGINT, SIGHUP),
        advance_timer_(io_),
        exit_timer_(io_) {}

  int open(const std::string& profile_file);
  int run();

  // host_interface
  void write(std::string_view bytes) override { shaper_.write(bytes); }
  void request(const emulator::net_request& r) override { backend_->execute(r); }
  void rebooted() override {
    backend_->close_all();
    note("module reset or powered off: host sockets closed");
  }

 private:
  static detail::byte_fault_options fault_options(const host_options& o) {
    return {o.seed, o.byte_delay, o.drop_rate, o.corrupt_rate};
  }

  void open_network(emulator::profile& prof);
  int open_serial();
  int open_control();
  emulator::profile load_profile(const std::string& file, int& code);
  timestamp now();
  void emit(std::string_view bytes);
  void on_input(std::string_view bytes);
  void after_entry();
  void reschedule();
  void save_state_if_changed();
  void note(std::string_view text);
  std::string on_control_line(std::string_view line);
  std::string set_latency(std::string_view arg);
  void update_input_gate();
  void on_input_end();
  void check_eof_exit();
  void begin_exit(const std::string& why);
  void finish_exit();

  asio::io_context io_;  // first member: destroyed last, after everything holding handlers
  host_options opt_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<detail::transcript_log> log_;
  std::unique_ptr<detail::serial_link> link_;
  detail::output_shaper shaper_;
  std::unique_ptr<net_backend> backend_;
  std::unique_ptr<emulator::interpreter> interp_;
  std::unique_ptr<detail::control_channel> control_;
  asio::signal_set signals_;
  asio::steady_timer advance_timer_;
  asio::steady_timer exit_timer_;
  std::optional<timestamp> armed_for_;
  steady::time_point start_ = steady::now();
  timestamp last_now_{0};
  emulator::nvm_state saved_;
  bool input_held_ = false, input_ended_ = false, exiting_ = false, finished_ = false;
  steady::time_point input_ended_at_;
};

// ---- setup ------------------------------------------------------------------------------------

emulator::profile process::load_profile(const std::string& file, int& code) {
  code = exit_ok;
  auto text = detail::read_file(file);
  if (!text) {
    err_ << "bcemu: profile " << file << ": " << text.error().detail << "\n";
    code = exit_usage;
    return {};
  }
  auto p = emulator::parse_profile(*text, file);
  if (!p) {
    err_ << "bcemu: " << p.error().detail << "\n";
    code = exit_usage;
    return {};
  }
  return std::move(*p);
}

int process::open(const std::string& profile_file) {
  if (!opt_.log_path.empty()) {
    auto log = detail::transcript_log::open(opt_.log_path);
    if (!log) {
      err_ << "bcemu: " << log.error().detail << "\n";
      return exit_io;
    }
    log_ = std::move(*log);
  }
  int code = exit_ok;
  emulator::profile prof = load_profile(profile_file, code);
  if (code != exit_ok) return code;
  auto nvm = opt_.state_path.empty() ? emulator::factory_nvm(prof)
                                     : detail::load_state(opt_.state_path, prof);
  if (!nvm) {
    err_ << "bcemu: --state " << nvm.error().detail << "\n";
    return exit_usage;
  }
  saved_ = *nvm;

  open_network(prof);
  emulator::fault_options faults;
  faults.seed = opt_.seed;
  faults.reboot_after_commands = opt_.reboot_after;
  faults.stall_after_commands = opt_.stall_after;
  interp_ = std::make_unique<emulator::interpreter>(std::move(prof), *this, *nvm, faults);

  if (int c = open_serial(); c != exit_ok) return c;
  return open_control();
}

// AT+QPING needs an ICMP socket; without one the replies are simulated, and say so (the
// profile's ping_simulated tells the interpreter).
void process::open_network(emulator::profile& prof) {
  net_options net;
  net.allowed = opt_.allowed;
  net.listen_address = asio::ip::make_address(opt_.module_listen_address);
  net.time_scale = opt_.time_scale;
  net.ping =
      prof.ping_simulated || opt_.simulate_ping ? ping_method::simulated : probe_ping_method();
  prof.ping_simulated = net.ping == ping_method::simulated;
  if (prof.ping_simulated) {
    note("AT+QPING replies are SIMULATED: no ICMP socket allowed (ping_group_range " +
         ping_range() + ", no CAP_NET_RAW) or asked for by the profile/--simulate-ping");
  }
  backend_ = std::make_unique<net_backend>(
      io_, std::move(net),
      [this](const emulator::net_event& e) {
        if (exiting_) return;
        interp_->on_net_event(now(), e);
        after_entry();
      },
      [this](std::string_view n) { note(n); });
}

int process::open_serial() {
  if (opt_.mode == serial_mode::stdio) {
    link_ = detail::make_stdio_link(io_);
    return exit_ok;
  }
  if (opt_.mode == serial_mode::pty) {
    std::string path;
    auto link = detail::make_pty_link(io_, opt_.pty_link, path);
    if (!link) {
      err_ << "bcemu: --pty: " << link.error().detail << "\n";
      return exit_io;
    }
    link_ = std::move(*link);
    out_ << "pty: " << path << std::endl;
    note("serving on pty " + path + (opt_.pty_link.empty() ? "" : " (link " + opt_.pty_link + ")"));
    return exit_ok;
  }
  std::uint16_t port = 0;
  auto link = detail::make_tcp_link(io_, opt_.listen_host, opt_.listen_port, port);
  if (!link) {
    err_ << "bcemu: " << link.error().detail << "\n";
    return exit_io;
  }
  link_ = std::move(*link);
  out_ << "listen: " << opt_.listen_host << ":" << port << std::endl;
  note("serving on tcp " + opt_.listen_host + ":" + std::to_string(port));
  return exit_ok;
}

int process::open_control() {
  if (opt_.control_path.empty()) return exit_ok;
  auto control = detail::control_channel::open(
      io_, opt_.control_path, [this](std::string_view line) { return on_control_line(line); });
  if (!control) {
    err_ << "bcemu: " << control.error().detail << "\n";
    return exit_io;
  }
  control_ = std::move(*control);
  return exit_ok;
}

int process::run() {
  signals_.async_wait([this](const error_code& ec, int sig) {
    if (!ec) begin_exit("signal " + std::to_string(sig) + ": exiting");
  });
  detail::serial_handlers h;
  h.on_input = [this](std::string_view b) { on_input(b); };
  h.on_end = [this] { on_input_end(); };
  h.on_drained = [this] {
    update_input_gate();
    if (exiting_ && link_->pending() == 0) finish_exit();
  };
  h.on_note = [this](std::string_view n) { note(n); };
  link_->start(std::move(h));
  interp_->power_on(now());
  after_entry();
  io_.run();
  return exit_ok;
}

// ---- the interpreter's side ---------------------------------------------------------------------

timestamp process::now() {
  const auto real = std::chrono::duration<double, std::milli>(steady::now() - start_);
  const auto module = timestamp(static_cast<std::int64_t>(real.count() / opt_.time_scale));
  last_now_ = std::max(last_now_, module);
  return last_now_;
}

void process::emit(std::string_view bytes) {
  if (log_) log_->record(protocol::direction::from_module, bytes);
  link_->write(bytes);
}

void process::on_input(std::string_view bytes) {
  if (exiting_) return;
  if (log_) log_->record(protocol::direction::to_module, bytes);
  interp_->on_host_bytes(now(), bytes);
  after_entry();
}

void process::after_entry() {
  if (exiting_) return;
  reschedule();
  save_state_if_changed();
  update_input_gate();
  if (input_ended_) check_eof_exit();
}

// advance() runs when the interpreter's next deadline comes, on the scaled clock.
void process::reschedule() {
  const auto next = interp_->next_deadline();
  if (next == armed_for_) return;
  armed_for_ = next;
  if (!next) {
    advance_timer_.cancel();
    return;
  }
  const auto real = std::chrono::duration<double, std::milli>(static_cast<double>(next->count()) *
                                                              opt_.time_scale);
  advance_timer_.expires_at(start_ + std::chrono::duration_cast<steady::duration>(real));
  advance_timer_.async_wait([this, due = *next](const error_code& ec) {
    if (ec || exiting_) return;
    armed_for_.reset();
    last_now_ = std::max(now(), due);  // the timer's rounding must not leave `due` pending
    interp_->advance(last_now_);
    after_entry();
  });
}

void process::save_state_if_changed() {
  if (opt_.state_path.empty() || interp_->nvm() == saved_) return;
  if (auto r = detail::save_state(opt_.state_path, interp_->nvm()); !r) {
    note("--state: " + r.error().detail);
    return;
  }
  saved_ = interp_->nvm();
}

void process::note(std::string_view text) {
  if (log_) log_->note(text);
  if (!opt_.quiet) err_ << "bcemu: " << text << std::endl;
}

void process::update_input_gate() {
  const auto backlog = shaper_.pending() + link_->pending();
  const bool hold = input_held_ ? backlog > input_resume_below : backlog > input_hold_above;
  if (hold == input_held_ || input_ended_) return;
  input_held_ = hold;
  link_->hold_input(hold);
  backend_->hold_events(hold);  // direct-push data would only add to the backlog
  note(hold ? "serial output backlog: input and network held" : "serial output drained");
}

// ---- control channel ------------------------------------------------------------------------

std::string process::on_control_line(std::string_view line) {
  if (exiting_) return "error: exiting";
  const auto space = line.find(' ');
  const std::string_view verb = line.substr(0, space);
  const std::string_view arg = space == std::string_view::npos ? "" : line.substr(space + 1);
  using emulator::control;
  static const std::pair<std::string_view, control> pins[] = {{"wake", control::wake},
                                                              {"reset", control::reset},
                                                              {"power off", control::power_off},
                                                              {"power on", control::power_on},
                                                              {"drop-link", control::drop_link}};
  if (log_) log_->note("control: " + std::string(line));
  for (const auto& [name, c] : pins) {
    if (line == name) {
      interp_->on_control(now(), c);
      after_entry();
      return "ok";
    }
  }
  if (verb == "latency") return set_latency(arg);
  if (verb == "inject") {
    if (arg.empty()) return "error: inject needs the URC text";
    interp_->inject_urc(now(), arg);
    after_entry();
    return "ok";
  }
  if (line == "status") {
    return std::string("ok powered=") + (interp_->powered() ? "1" : "0") +
           " asleep=" + (interp_->asleep() ? "1" : "0") +
           " ping_simulated=" + (interp_->config().ping_simulated ? "1" : "0");
  }
  return "error: unknown command '" + std::string(verb) +
         "' (wake, reset, power off, power on, drop-link, latency <ms>, inject <text>, status)";
}

// "latency <ms>": module milliseconds, like every other time, so scaled to real time.
std::string process::set_latency(std::string_view arg) {
  int ms = -1;
  const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), ms);
  if (ec != std::errc() || end != arg.data() + arg.size() || ms < 0 || ms > 600000) {
    return "error: latency needs milliseconds 0-600000";
  }
  backend_->set_event_delay(
      std::chrono::microseconds(static_cast<std::int64_t>(ms * 1000.0 * opt_.time_scale)));
  return "ok";
}

// ---- exit ---------------------------------------------------------------------------------------

void process::on_input_end() {
  if (input_ended_) return;
  input_ended_ = true;
  input_ended_at_ = steady::now();
  note("input closed");
  check_eof_exit();
  // Whatever the interpreter still has scheduled, the process ends within the budget.
  exit_timer_.expires_after(eof_grace + drain_budget);
  exit_timer_.async_wait([this](const error_code& ec) {
    if (!ec) begin_exit("input closed: exiting");
  });
}

// After EOF, answers already due (a response delay, RDY) still go out before the exit.
void process::check_eof_exit() {
  if (exiting_) return;
  const auto next = interp_->next_deadline();
  const auto horizon =
      now() + std::chrono::duration_cast<std::chrono::milliseconds>(eof_grace / opt_.time_scale);
  if (!next || *next > horizon) begin_exit("input closed: exiting");
}

void process::begin_exit(const std::string& why) {
  if (exiting_) return;
  note(why);
  control_.reset();  // removes the socket file
  backend_->close_all();
  shaper_.flush();
  exiting_ = true;
  advance_timer_.cancel();
  signals_.cancel();
  link_->hold_input(true);
  if (!opt_.state_path.empty()) {
    if (auto r = detail::save_state(opt_.state_path, interp_->nvm()); !r) {
      note("--state: " + r.error().detail);
    }
  }
  if (link_->pending() == 0) return finish_exit();
  exit_timer_.expires_after(drain_budget);
  exit_timer_.async_wait([this](const error_code& ec) {
    if (!ec) finish_exit();
  });
}

void process::finish_exit() {
  if (finished_) return;
  finished_ = true;
  if (link_->pending() > 0) note("exit with " + std::to_string(link_->pending()) + " bytes unsent");
  link_->shutdown();
  exit_timer_.cancel();
  io_.stop();
}

}  // namespace

std::string find_profile(const host_options& o, const std::string& executable) {
  if (!o.profile_path.empty()) return o.profile_path;
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string file = o.model + ".json";
  // build/bin/bcemu → <repo>/tools/bcemu/profiles; then the configured directory.
  const fs::path exe = fs::weakly_canonical(fs::path(executable), ec);
  const fs::path candidates[] = {
      exe.parent_path() / ".." / ".." / "tools" / "bcemu" / "profiles" / file,
      fs::path(BCEMU_PROFILE_DIR) / file};
  for (const auto& c : candidates) {
    if (fs::is_regular_file(c, ec)) return c.lexically_normal().string();
  }
  return {};
}

int run(const host_options& o, const std::string& executable, std::ostream& out,
        std::ostream& err) {
  const std::string profile = find_profile(o, executable);
  if (profile.empty()) {
    err << "bcemu: no profile " << o.model << ".json beside " << executable << " nor in "
        << BCEMU_PROFILE_DIR << "; use --profile FILE\n";
    return exit_usage;
  }
  // A peer or host that goes away must surface as EPIPE on that one socket, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    process p(o, out, err);
    if (int code = p.open(profile); code != exit_ok) return code;
    return p.run();
  } catch (const std::exception& e) {
    err << "bcemu: internal error: " << e.what() << "\n";
    return exit_internal;
  }
}

}  // namespace bcconform::emulator_host
