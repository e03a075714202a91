// Internal to the engine: the host side of the link, and the well-formedness oracle.
//
// Host bytes are split at CR into the command lines the module will read (V.250 §5.2.1); each
// non-empty one is owed a final result. The session tracker is told one line at a time, after
// the final of the one before (the module reads the next line only then, V.250 §5.7), so that
// echo matching and response attribution follow the module. Finals pay off owed lines in order.
//
// Every event the parser emits is judged here; violations go to the `report` callback, which the
// engine turns into findings for the current case.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "bcconform/fuzzdev/findings.hpp"
#include "bcconform/protocol/parser.hpp"
#include "bcconform/protocol/session.hpp"
#include "bcconform/transport/transport.hpp"

namespace bcconform::fuzzdev::detail {

using clock_time = transport::time_point;
using std::chrono::milliseconds;

/// A command line the module owes a final result for.
struct owed_line {
  std::string text;  ///< as typed, without CR
  const protocol::command_spec* spec = nullptr;
  bool mandatory = false;  ///< starts with "AT" and is printable: the module must answer it
  bool refused = false;    ///< protocol::check_arguments() refuses it
  bool probe = false;      ///< the engine's liveness AT
  protocol::data_mode data = protocol::data_mode::none;  ///< of the form the table picks
  bool prompted = false;                                 ///< a `> ` prompt arrived for it
  bool data_sent = false;                                ///< the engine typed its data
  clock_time start{};                                    ///< its response time runs from here
  milliseconds budget{0};  ///< documented maximum response time plus slack
};

/// The outcome of the probe, once its final arrived.
enum class probe_state : std::uint8_t { none, waiting, ok, failed };

class conversation final : private protocol::event_sink {
 public:
  using report_fn = std::function<void(finding_kind, std::string detail, std::string evidence)>;
  enum class wait_status : std::uint8_t { ready, timed_out, link_down };

  /// Each line's budget is its documented maximum response time times `time_scale` (an
  /// emulator running faster than real time), plus `slack`.
  conversation(transport::transport& t, std::size_t max_line, double time_scale, milliseconds slack,
               report_fn report);
  ~conversation() override;
  conversation(const conversation&) = delete;
  conversation& operator=(const conversation&) = delete;

  clock_time now() const { return transport_.clock().now(); }

  /// Writes command-line bytes (one or more lines) and owes each line its final. `cap` bounds
  /// each line's budget (the harness's own setup commands).
  protocol::result<void> send_lines(std::string_view bytes, bool probe = false,
                                    std::optional<milliseconds> cap = std::nullopt);
  /// Writes data-mode bytes for the front line after its prompt (AN 2.1.4); its response time
  /// restarts, with the deferred budget (SEND OK, E48).
  protocol::result<void> send_data(std::string_view bytes);

  /// Writes bytes that owe nothing (Esc, Ctrl+Z during recovery).
  protocol::result<void> send_raw(std::string_view bytes);

  /// Pumps the link until `ready()` (checked first), the deadline or a link failure.
  wait_status wait(const std::function<bool()>& ready, clock_time until);
  /// Reads what arrives until the link has been quiet for `quiet` or `until` passes.
  void drain(milliseconds quiet, clock_time until);

  /// The oldest owed line, or nullptr.
  owed_line* front() { return owed_.empty() ? nullptr : &owed_.front(); }
  bool owes() const { return !owed_.empty(); }
  /// Gives up on the front line: a mandatory one becomes a missing final (reported by the
  /// caller); an answer that still comes is then late, not extra.
  void give_up_front();
  /// Mandatory lines given up whose final has not come since.
  int dropped() const { return dropped_; }
  /// Stops waiting for the finals of lines given up: any that still comes is extra.
  void forget_given_up() { dropped_ = stale_ = 0; }
  /// Forgets every owed line (recovery, reboot): answers that still come are not extra.
  void forget_all();

  probe_state probe() const { return probe_; }
  /// Sets the tracker's echo flag from the last probe: was its "AT" echoed? After a restart the
  /// module's echo setting comes from its NVM (AT&W, emulator.md §1.2), which the host cannot
  /// know otherwise.
  void learn_echo() { tracker_.context().echo = probe_echoed_; }
  /// Lines paid or given up so far: changes whenever the front line does.
  std::uint64_t settled() const { return settled_; }
  /// The final result that paid the last line, if any.
  const protocol::final_spec* last_final() const { return last_final_; }
  /// A RDY arrived since the last take_reboot().
  bool rebooted() const { return rebooted_; }
  /// True once a RDY arrived since the last call.
  bool take_reboot() { return std::exchange(rebooted_, false); }
  /// The case may legitimately restart the module (AT+QRST): RDY is then no finding.
  void expect_reboot(bool yes) { reboot_expected_ = yes; }

  const std::optional<protocol::error>& failure() const { return failure_; }
  const protocol::stream_context& context() const { return tracker_.context(); }
  /// Deferred results (SEND OK, SEND FAIL, CLOSE OK) that followed an earlier final (E15),
  /// since the last call, oldest first.
  std::deque<protocol::final_id> take_deferred() { return std::exchange(deferred_, {}); }
  /// URC lines seen since the last call, oldest first.
  std::deque<std::string> take_urcs() { return std::exchange(urcs_, {}); }
  /// The module's recent elements, escaped, for evidence.
  std::string recent() const;
  std::uint64_t lines_sent() const { return lines_sent_; }

 private:
  void on_event(const protocol::event& e) override;
  void on_final(const protocol::event& e);
  void on_prompt(const protocol::event& e);
  void on_urc(const protocol::event& e);
  void on_unplaced(const protocol::event& e);
  void check_diagnostic(const protocol::event& e);
  bool is_echo_of_host(std::string_view text) const;
  void pay(const protocol::final_spec& f, std::string_view text);
  void unowed_final(const protocol::final_spec& f, std::string_view text);
  void remember(std::string_view what);
  void tell_tracker(std::string segment, bool owed);
  void remember_host(std::string typed);
  void release_backlog();
  void tell_now(std::string_view segment, bool owed);
  void feed(std::string_view bytes);
  void pump(clock_time until);
  protocol::result<void> write(std::string_view bytes);
  std::optional<owed_line> make_owed(std::string_view typed) const;

  transport::transport& transport_;
  milliseconds scaled(milliseconds documented) const;

  double time_scale_;
  milliseconds slack_;
  report_fn report_;
  protocol::session_tracker tracker_;
  protocol::stream_parser parser_;
  std::deque<owed_line> owed_;
  // Lines the tracker is told after the final of the one before; `owed` marks those that have
  // a final to wait for.
  struct pending_line {
    std::string bytes;
    bool owed = false;
  };
  std::deque<pending_line> backlog_;
  int told_ = 0;  // lines told to the tracker whose final has not come
  bool release_next_ = false;
  int stale_ = 0;    // optional lines given up: an error final may still come for each
  int dropped_ = 0;  // mandatory lines given up: a final that still comes is late
  probe_state probe_ = probe_state::none;
  bool probe_echoed_ = false;
  std::uint64_t settled_ = 0;
  const protocol::final_spec* last_final_ = nullptr;
  bool rebooted_ = false;
  bool reboot_expected_ = false;
  std::deque<std::string> urcs_;
  std::deque<protocol::final_id> deferred_;
  std::deque<std::string> recent_;       // module elements, escaped
  std::deque<std::string> host_lines_;   // recent lines as echoed, for echo recognition
  std::deque<std::string> echo_pieces_;  // the echo of the line being read, split at its LFs
  std::optional<protocol::error> failure_;
  std::string read_buffer_;
  std::uint64_t lines_sent_ = 0;
};

}  // namespace bcconform::fuzzdev::detail
