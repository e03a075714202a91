// Interleavings: the module states a case's line is sent in. Each sets the state up with the
// harness's own commands on a socket to the peer, sends the case, checks liveness while the
// state holds, and tears the state down. A setup that fails (the module cannot reach the peer,
// the connect ID is busy) skips the interleaving; the case's line is then not sent.
#include <string>

#include "bcconform/protocol/decoders.hpp"
#include "bcconform/protocol/transcript.hpp"
#include "engine_detail.hpp"

namespace bcconform::fuzzdev::detail {
namespace {

constexpr char ctrl_z = 0x1a;  // AN 2.1.4: sends data-mode input

// A flood chunk. With showlength on, direct-push data is length-framed (AN 2.1.11, E2), so it may
// hold what looks like result codes and URCs: a module that frames correctly keeps them payload.
// Without a length the data ends at its line end, so then it holds no CR or LF.
std::string flood_block(bool framed) {
  std::string block;
  const std::string_view trap = framed ? "\r\nOK\r\n+QIURC: \"closed\",0\r\nERROR\r\n" : "OK-ERROR";
  while (block.size() < 16 * 1024) {
    block += "flood-";
    block += trap;
    block += std::to_string(block.size());
  }
  return block;
}

peer::deadline peer_deadline(milliseconds ms) {
  return peer::deadline_in(ms);
}

}  // namespace

void engine::open_peer() {
  if (!options_.generator.interleavings) return;
  if (options_.peer_address.empty()) {
    note(
        "interleavings (data mode, pending +QIOPEN, peer flood) skipped: they need a peer "
        "address the module can reach (--peer-address)");
    return;
  }
  auto p = std::make_unique<peer_side>();
  peer::server_options so;
  so.bind_address = options_.peer_address;
  auto server = peer::tcp_server::listen(p->host, so);
  if (!server) {
    note("interleavings skipped: cannot listen on " + options_.peer_address + ": " +
         server.error().detail);
    return;
  }
  p->server = std::move(*server);
  p->address = options_.peer_address;
  peer_ = std::move(p);
}

// AN 2.1.1: TCP client to the peer; protocol type 1 for an IPv6 peer.
std::string engine::qiopen_line(int id, int access_mode) const {
  const bool v6 = peer_->address.find(':') != std::string::npos;
  return "AT+QIOPEN=1," + std::to_string(id) + ",\"TCP\",\"" + peer_->address + "\"," +
         std::to_string(peer_->server.port()) + ",0," + std::to_string(access_mode) +
         (v6 ? ",1" : "");
}

// A connected socket `id` in `access_mode` (AN 1.2) with the peer's end in `conn`: any socket
// left on the ID is closed first, then AT+QIOPEN, its URC (+QIOPEN: <id>,0) and the accept.
bool engine::open_socket(int id, int access_mode, peer::tcp_connection& conn) {
  (void)command("AT+QICLOSE=" + std::to_string(id));
  (void)conv_.take_urcs();
  if (!fresh_server()) return false;
  if (!open_command(id, access_mode) || !await_qiopen(id)) return false;
  auto accepted = peer_->server.accept(peer_deadline(options_.setup_timeout));
  if (!accepted) return false;
  conn = std::move(*accepted);
  return true;
}

// AT+QIOPEN, and once more after AT+CGATT=1 if it is refused: a case may have detached the
// module (AT+CGATT=0), and sockets need the packet domain attached (AN 4.1.1).
bool engine::open_command(int id, int access_mode) {
  if (command(qiopen_line(id, access_mode))) return true;
  if (link_down() || !command("AT+CGATT=1")) return false;
  return command(qiopen_line(id, access_mode));
}

// AN 2.1.1: the outcome of AT+QIOPEN comes as the URC +QIOPEN: <id>,<err>. True for err 0.
bool engine::await_qiopen(int id) {
  std::optional<int> err;
  conv_.wait(
      [&] {
        for (const std::string& u : conv_.take_urcs()) {
          auto r = protocol::decode_qiopen(u);
          if (r && r->connect_id == id) err = r->err;
        }
        return err.has_value();
      },
      conv_.now() + options_.setup_timeout);
  return err == 0;
}

// Connections nobody took (a case's own AT+QIOPEN to the peer, a pending open closed early):
// an accept must not hand one of them to the next interleaving.
// Each interleaving listens on a port of its own: a connection the module made for an earlier
// one (closed, or still arriving on the peer's thread) can then never be taken for this one.
bool engine::fresh_server() {
  peer::server_options so;
  so.bind_address = peer_->address;
  auto server = peer::tcp_server::listen(peer_->host, so);
  if (!server) {
    note("interleaving skipped: cannot listen on " + peer_->address + ": " + server.error().detail);
    return false;
  }
  peer_->server = std::move(*server);  // the old one closes, with what nobody took
  return true;
}

void engine::close_socket(int id) {
  (void)command("AT+QICLOSE=" + std::to_string(id));  // AN 2.1.2; CLOSE OK may follow (E39)
}

bool engine::interleaved(const fuzz_case& c) {
  ++result_.stats.interleavings;
  switch (c.with) {
    case interleave::flood:
      return run_flood(c);
    case interleave::data_mode:
      return run_data_mode(c);
    case interleave::pending_open:
      return run_pending_open(c);
    case interleave::none:
      break;
  }
  return true;
}

// The case's line while the peer floods a direct-push socket (AN 2.2.2): URCs and payloads
// interleave with the line's echo and answer.
bool engine::run_flood(const fuzz_case& c) {
  peer::tcp_connection conn;
  if (!open_socket(c.socket, 1, conn)) {
    ++result_.stats.interleavings_skipped;
    close_socket(c.socket);
    return !link_down();
  }
  // Queued and written by the peer's thread while the case runs (peer/tcp.hpp: a send that
  // times out still writes its bytes).
  // Framed pushes only while showlength stays on: a case that may turn it off (AT+QICFG)
  // makes the data end at its line end (E2), where CR LF inside it would end it early.
  static const command_filter qicfg = *command_filter::make({true, {}, {"+QICFG"}});
  const bool framed = conv_.context().showlength && qicfg.denied_in(c.bytes).empty();
  (void)conn.send(flood_block(framed), peer_deadline(milliseconds(0)));
  const bool ok = send(c.bytes) && answer_all(c, {}) && after_reboot(c) && check_liveness(c);
  conn.reset();
  if (ok) close_socket(c.socket);
  return ok;
}

// The case's bytes typed as data after the prompt of AT+QISEND=<id> (AN 2.1.4): the module must
// not read them as commands, and must pass them to the peer unchanged once it says SEND OK.
// Whether the module reported the data sent: SEND OK as the final of the data-mode line, or
// after its OK (E15: SEND OK is asynchronous; E48: within 10 s).
bool engine::sent_ok() {
  using protocol::final_id;
  const protocol::final_spec* f = conv_.last_final();
  if (f != nullptr && f->id != final_id::ok) return f->id == final_id::send_ok;
  const protocol::command_spec* qisend = protocol::find_command("+QISEND");
  const milliseconds limit =
      (qisend != nullptr ? qisend->max_deferred : milliseconds(10000)) + options_.slack;
  std::optional<final_id> outcome;
  conv_.wait(
      [&] {
        for (const final_id d : conv_.take_deferred()) {
          if (d == final_id::send_ok || d == final_id::send_fail) outcome = d;
        }
        return outcome.has_value();
      },
      conv_.now() + std::min(limit, options_.setup_timeout));
  return outcome == final_id::send_ok;
}

bool engine::run_data_mode(const fuzz_case& c) {
  peer::tcp_connection conn;
  if (!open_socket(c.socket, 0, conn)) {
    ++result_.stats.interleavings_skipped;
    close_socket(c.socket);
    return !link_down();
  }
  const std::string completion = c.bytes + std::string(1, ctrl_z);
  (void)conv_.take_deferred();
  if (!send("AT+QISEND=" + std::to_string(c.socket) + "\r") || !answer_all(c, completion)) {
    return false;
  }
  if (sent_ok()) {
    // An LF right after the command's CR belongs to the command line (V.250 §5.2.1, as
    // protocol::session_tracker and bcemu read it), even across the prompt: it is not data.
    const std::string expected = c.bytes.starts_with('\n') ? c.bytes.substr(1) : c.bytes;
    auto got = conn.read_exactly(expected.size(), peer_deadline(options_.setup_timeout));
    if (!got || *got != expected) {
      report(finding_kind::data_mismatch,
             "SEND OK, but the peer received " +
                 (got ? "\"" + protocol::escape_bytes(*got) + "\""
                      : std::string("nothing (") + got.error().detail + ")"),
             protocol::escape_bytes(expected));
    }
  }
  if (!check_liveness(c)) return false;
  close_socket(c.socket);
  return true;
}

// The case's line right after the OK of AT+QIOPEN, before its +QIOPEN URC (AN 2.1.1: the URC
// follows within 36 s).
bool engine::run_pending_open(const fuzz_case& c) {
  (void)command("AT+QICLOSE=" + std::to_string(c.socket));
  (void)conv_.take_urcs();
  if (!fresh_server() || !open_command(c.socket, 0)) {
    ++result_.stats.interleavings_skipped;
    return !link_down();
  }
  if (!send(c.bytes) || !answer_all(c, {}) || !after_reboot(c) || !check_liveness(c)) {
    return false;
  }
  (void)await_qiopen(c.socket);  // the URC is awaited, not judged (AN 2.1.1: within 36 s)
  close_socket(c.socket);
  return true;
}

}  // namespace bcconform::fuzzdev::detail
