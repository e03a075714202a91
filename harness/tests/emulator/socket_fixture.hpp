// Test fixture for the socket and network commands: the interpreter on a fake host that
// records what it writes and requests, a fake clock, injected net_events, and the protocol's
// stream_parser + session_tracker reading the whole conversation, so every test also checks
// that the emulator's output is something the parser accepts without noise.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/emulator/interpreter.hpp"
#include "bcconform/protocol/parser.hpp"
#include "bcconform/protocol/session.hpp"

namespace bcconform::emulator::testing {

using namespace std::chrono_literals;
using kind = net_request::kind;
using ev = net_event::kind;

/// A BC25-like profile with every knob at the note's / the rulings' default.
inline profile test_profile() {
  profile p;
  p.model = "BC25";
  p.ati_lines = {"Quectel_Ltd", "Quectel_BC25", "Revision: BC25PAR01A06"};
  p.revision = "BC25PAR01A06";
  p.pdp_address = "100.127.243.105";
  p.boot_urcs = {"RDY"};
  p.qigeterror_separator = ", ";
  p.buffer_limit = 4096;
  p.send_buffer_limit = 0;
  p.sleep_after = 1000ms;
  return p;
}

class fake_host : public host_interface {
 public:
  void write(std::string_view bytes) override { out += bytes; }
  void request(const net_request& r) override { requests.push_back(r); }
  void rebooted() override { ++reboots; }

  std::string out;
  std::vector<net_request> requests;
  int reboots = 0;
};

/// Parser events, copied.
struct seen_event {
  protocol::event_kind kind;
  std::string bytes;
  std::string name;
  int connect_id;
  protocol::diagnostic diag;
};

class recording_sink : public protocol::event_sink {
 public:
  void on_event(const protocol::event& e) override {
    events.push_back({e.kind, std::string(e.bytes), std::string(e.name), e.connect_id, e.diag});
  }
  std::vector<seen_event> events;
};

class socket_fixture : public ::testing::Test {
 protected:
  /// Boots the module (RDY), echo off unless `echo`; the boot output is dropped.
  void start(profile p = test_profile(), bool echo = false) {
    nvm_state n = factory_nvm(p);
    n.echo = echo;
    protocol::stream_context ctx;
    ctx.echo = echo;
    tracker_ = std::make_unique<protocol::session_tracker>(sink_, ctx);
    parser_ = std::make_unique<protocol::stream_parser>(tracker_->context(), *tracker_);
    emu_ = std::make_unique<interpreter>(std::move(p), host_, n);
    emu_->power_on(now_);
    advance(0ms);
    take();
    sink_.events.clear();
  }

  void SetUp() override { start(); }

  void TearDown() override {
    // The conversation as a whole parses: nothing the parser calls noise or overflow, no
    // diagnostic other than the documented unframed direct push (E47) and a test-form answer
    // told from a URC by its shape (AN 2.1.8).
    for (const seen_event& e : sink_.events) {
      EXPECT_NE(e.kind, protocol::event_kind::noise) << "noise: " << e.bytes;
      EXPECT_NE(e.kind, protocol::event_kind::overflow);
      if (e.diag != protocol::diagnostic::unframed &&
          e.diag != protocol::diagnostic::test_form_shape) {
        EXPECT_EQ(e.diag, protocol::diagnostic::none)
            << protocol::to_string(e.diag) << " on " << protocol::to_string(e.kind) << " "
            << e.bytes;
      }
    }
  }

  /// Host bytes as typed; returns what the module wrote in reply at this instant.
  std::string type(std::string_view bytes) {
    tracker_->on_host_bytes(bytes);
    emu_->on_host_bytes(now_, bytes);
    return take();
  }
  /// A command line: `line` + CR.
  std::string at(std::string_view line) { return type(std::string(line) + "\r"); }

  std::string event(const net_event& e) {
    emu_->on_net_event(now_, e);
    return take();
  }
  std::string advance(std::chrono::milliseconds by) {
    now_ += by;
    emu_->advance(now_);
    return take();
  }
  std::string control(emulator::control c) {
    emu_->on_control(now_, c);
    return take();
  }

  /// Output written since the last take(), fed to the parser.
  std::string take() {
    std::string out = std::move(host_.out);
    host_.out.clear();
    if (parser_) parser_->feed(out);
    return out;
  }

  /// The requests made since the last call.
  std::vector<net_request> requests() {
    auto r = std::move(host_.requests);
    host_.requests.clear();
    return r;
  }
  /// The only request of type `k` made since the last call to requests()/request_of().
  net_request request_of(kind k) {
    auto all = requests();
    std::vector<net_request> match;
    std::copy_if(all.begin(), all.end(), std::back_inserter(match),
                 [k](const net_request& r) { return r.type == k; });
    EXPECT_EQ(match.size(), 1u) << "requests of kind " << static_cast<int>(k);
    return match.empty() ? net_request{} : match.front();
  }

  /// AT+QIOPEN with the connect answered: leaves the output of the exchange.
  std::string open(int id, std::string_view type_text, std::string_view host, int port,
                   int access = 0, int local_port = 0) {
    std::string line = "AT+QIOPEN=1," + std::to_string(id) + ",\"" + std::string(type_text) +
                       "\",\"" + std::string(host) + "\"," + std::to_string(port) + "," +
                       std::to_string(local_port) + "," + std::to_string(access);
    std::string out = at(line);
    requests();
    out += event(connected(id));
    return out;
  }

  std::string last_error_line() { return at("AT+QIGETERROR"); }

  // Events as the host reports them.
 public:
  static net_event connected(int id, std::uint16_t local_port = 40000) {
    net_event e;
    e.type = ev::connected;
    e.socket = id;
    e.local_port = local_port;
    return e;
  }
  static net_event received(int id, std::string bytes, endpoint from = {}) {
    net_event e;
    e.type = ev::received;
    e.socket = id;
    e.bytes = std::move(bytes);
    e.from = std::move(from);
    return e;
  }
  static net_event simple(ev k, int id, int error = 0) {
    net_event e;
    e.type = k;
    e.socket = id;
    e.error = error;
    return e;
  }
  static net_event answer(ev k, std::uint32_t token) {
    net_event e;
    e.type = k;
    e.token = token;
    return e;
  }

 protected:
  const std::vector<seen_event>& events() const { return sink_.events; }
  std::chrono::milliseconds now() const { return now_; }

  fake_host host_;
  std::unique_ptr<interpreter> emu_;

 private:
  std::chrono::milliseconds now_{0};
  recording_sink sink_;
  std::unique_ptr<protocol::session_tracker> tracker_;
  std::unique_ptr<protocol::stream_parser> parser_;
};

/// "\r\n<l>\r\n" for each line.
inline std::string lines(std::initializer_list<std::string_view> ls) {
  std::string out;
  for (auto l : ls) {
    out += "\r\n";
    out += l;
    out += "\r\n";
  }
  return out;
}

/// Information lines as one response: "\r\n<l1>\r\n<l2>\r\n" (several +QISTATE rows).
inline std::string block(std::initializer_list<std::string_view> ls) {
  std::string out = "\r\n";
  for (auto l : ls) {
    out += l;
    out += "\r\n";
  }
  return out;
}

}  // namespace bcconform::emulator::testing
