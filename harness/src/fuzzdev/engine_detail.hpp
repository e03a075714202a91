// Internal to the engine: the run's state, shared by engine.cpp (cases, liveness, recovery)
// and interleave.cpp (the module states the interleavings set up around a case).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "bcconform/fuzzdev/engine.hpp"
#include "bcconform/peer/host.hpp"
#include "bcconform/peer/tcp.hpp"
#include "conversation.hpp"

namespace bcconform::fuzzdev::detail {

/// The remote end of the module's sockets for the interleavings.
struct peer_side {
  peer::host host;  // declared first: it must outlive the server and connections
  peer::tcp_server server;
  std::string address;
};

class engine {
 public:
  engine(transport::transport& link, const engine_options& o);
  ~engine();
  run_result run();

 private:
  // engine.cpp
  bool run_case(const fuzz_case& c);
  bool answer_all(const fuzz_case& c, std::string_view completion);
  void complete_data(const fuzz_case& c, std::string_view completion);
  bool settle_front(const owed_line& front);
  bool alive(milliseconds budget);
  std::string recover();
  bool check_liveness(const fuzz_case& c);
  bool await_ready();
  bool after_reboot(const fuzz_case& c);
  void link_failed();
  bool send(std::string_view line);
  bool command(const std::string& line);
  void report(finding_kind k, std::string detail, std::string evidence);
  void note(std::string text);
  void count_coverage(const fuzz_case& c);
  bool link_down() const { return conv_.failure().has_value(); }
  bool out_of_time() const;
  milliseconds scaled(milliseconds documented) const;

  // interleave.cpp
  void open_peer();
  bool interleaved(const fuzz_case& c);
  bool open_socket(int id, int access_mode, peer::tcp_connection& conn);
  void close_socket(int id);
  bool await_qiopen(int id);
  bool open_command(int id, int access_mode);
  bool fresh_server();
  bool run_flood(const fuzz_case& c);
  bool run_data_mode(const fuzz_case& c);
  bool sent_ok();
  bool run_pending_open(const fuzz_case& c);
  std::string qiopen_line(int id, int access_mode) const;

  const engine_options& options_;
  generator gen_;
  conversation conv_;
  run_result result_;
  std::optional<fuzz_case> current_;
  bool quiet_ = false;  // startup and recovery: no findings from what the module says then
  clock_time started_{};
  std::unique_ptr<peer_side> peer_;
  bool peer_missing_noted_ = false;
};

}  // namespace bcconform::fuzzdev::detail
