#include "bcconform/emulator_host/options.hpp"

#include <charconv>
#include <ostream>

#include <CLI/CLI.hpp>

namespace bcconform::emulator_host {
namespace {

constexpr const char* footer = R"(Serial side (one of):
  --stdio (default)  stdin/stdout, binary; end of input ends the emulator.
  --pty              prints "pty: /dev/pts/N" on stdout; --link PATH makes a symlink to it.
  --listen HOST:PORT raw TCP, one client at a time (next ones wait); prints "listen: HOST:PORT".
                     HOST defaults to 127.0.0.1 (":PORT" or "PORT").

Network: the module's sockets, DNS, NTP and pings use the host's network, but only towards
  127.0.0.0/8 and ::1 unless --allow widens it; anything else fails at once (AT error 566,
  ping result 3) with a log line. Module listeners bind 127.0.0.1 unless --listen-address or
  --listen-any says otherwise. Without an ICMP socket (see ping_group_range) ping replies are
  simulated, announced on stderr and in the log.

Control channel (--control PATH, a Unix socket with mode 0600): one command per line, each
  answered "ok" or "error: ...":
  wake | reset | power off | power on | drop-link | latency <ms> | inject <text> | status
  (latency delays every network event by <ms> module milliseconds; inject writes a forged URC)

Time: module time runs 1/F faster than real time with --time-scale F (0.01: a 36 s timeout
  takes 0.36 s). Fault injection is reproducible for a given --seed.

Exit codes: 0 end of input, SIGTERM/SIGINT/SIGHUP, --help, --version; 1 internal error;
  3 a file, pty or socket could not be opened; 4 bad command line, profile or state file.)";

// "HOST:PORT", ":PORT" or "PORT"; IPv6 as "[::1]:PORT".
std::string parse_listen(const std::string& text, host_options& o) {
  std::string host = o.listen_host;
  std::string port_text = text;
  if (const auto colon = text.rfind(':'); colon != std::string::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    if (host.empty()) host = o.listen_host;
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return "--listen: '" + text + "' is not HOST:PORT";
  }
  o.listen_host = host;
  o.listen_port = static_cast<std::uint16_t>(port);
  return {};
}

}  // namespace

parsed_command_line parse_command_line(int argc, const char* const* argv, std::string_view version,
                                       std::ostream& out, std::ostream& err) {
  host_options o;
  CLI::App app{"bcemu: a Quectel BC25/BC32 module (TCP/IP AT command set) on real host sockets",
               "bcemu"};
  app.set_version_flag("--version", "bcemu " + std::string(version));
  app.footer(footer);

  bool use_stdio = false, use_pty = false, listen_any = false;
  auto* stdio = app.add_flag("--stdio", use_stdio, "serve over stdin/stdout (default)");
  auto* pty = app.add_flag("--pty", use_pty, "serve over a new pseudo-terminal");
  std::string listen;
  auto* listen_opt = app.add_option("--listen", listen, "serve over TCP: HOST:PORT");
  stdio->excludes(pty)->excludes(listen_opt);
  pty->excludes(listen_opt);
  app.add_option("--link", o.pty_link, "symlink to the pty (removed at exit)")->needs(pty);

  app.add_option("--model", o.model, "module profile: BC25 or BC32")
      ->transform(CLI::IsMember({"BC25", "BC32"}, CLI::ignore_case))
      ->capture_default_str();
  app.add_option("--profile", o.profile_path, "profile JSON file (instead of --model)")
      ->check(CLI::ExistingFile);
  app.add_option("--state", o.state_path, "NVM settings file (loaded at start, saved on change)");
  app.add_option("--control", o.control_path, "control channel: Unix socket path");
  app.add_option("--log", o.log_path, "transcript of both directions (bcconform format)");

  app.add_option("--time-scale", o.time_scale, "real seconds per module second")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--seed", o.seed, "seed of every random fault decision")->capture_default_str();
  std::int64_t byte_delay_us = 0;
  app.add_option("--byte-delay-us", byte_delay_us, "delay per output byte (baud-rate pacing)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1000000}));
  app.add_option("--drop-rate", o.drop_rate, "probability that an output byte is dropped")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--corrupt-rate", o.corrupt_rate, "probability that an output byte is changed")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--reboot-after", o.reboot_after, "reboot after N command lines")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--stall-after", o.stall_after, "stop answering after N command lines")
      ->check(CLI::NonNegativeNumber);

  std::vector<std::string> allow;
  app.add_option("--allow", allow, "also reach this CIDR range (repeatable)");
  auto* listen_address =
      app.add_option("--listen-address", o.module_listen_address, "where module listeners bind")
          ->capture_default_str();
  app.add_flag("--listen-any", listen_any, "module listeners bind 0.0.0.0 (every interface)")
      ->excludes(listen_address);
  app.add_flag("--simulate-ping", o.simulate_ping, "simulated ping replies even if ICMP works");
  app.add_flag("--quiet", o.quiet, "no notes on stderr");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return {std::nullopt, code == 0 ? exit_ok : exit_usage};
  }
  auto usage = [&](const std::string& why) {
    err << "bcemu: " << why << "\nRun with --help for more information.\n";
    return parsed_command_line{std::nullopt, exit_usage};
  };
  if (use_pty) o.mode = serial_mode::pty;
  if (*listen_opt) {
    o.mode = serial_mode::tcp;
    if (auto why = parse_listen(listen, o); !why.empty()) return usage(why);
  }
  if (listen_any) o.module_listen_address = "0.0.0.0";
  boost::system::error_code bad_address;
  boost::asio::ip::make_address(o.module_listen_address, bad_address);
  if (bad_address) return usage("--listen-address: not an IP address");
  for (auto& c : o.model) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  o.byte_delay = std::chrono::microseconds(byte_delay_us);
  for (const auto& text : allow) {
    auto c = parse_cidr(text);
    if (!c) return usage("--allow " + c.error().detail);
    o.allowed.add(*c);
  }
  return {std::move(o), exit_ok};
}

}  // namespace bcconform::emulator_host
