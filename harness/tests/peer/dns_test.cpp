// The DNS wire format, the responder's decisions (dns_reply) and the responder on a socket.
// Cases follow RFC 1035 §4 (format), §4.1.4 (compression) and the AT+QIDNSGIP use (AN 2.1.10).
#include <gtest/gtest.h>

#include <ostream>

#include <algorithm>
#include <memory>
#include <random>

#include "bcconform/peer/dns_responder.hpp"
#include "bsd_sockets.hpp"

namespace bcconform::peer {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;

/// The query a stub resolver sends for "example.com" A, ID 0xabcd, RD set (RFC 1035 §4.1).
const std::string example_query =
    "\xab\xcd\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
    "\x07"
    "example\x03"
    "com\x00\x00\x01\x00\x01"s;

/// Decodes from an exact-size heap copy, so that any over-read is caught by ASan.
result<dns::message> decode_exact(std::string_view wire) {
  auto copy = std::make_unique<char[]>(wire.size());
  std::copy(wire.begin(), wire.end(), copy.get());
  return dns::decode({copy.get(), wire.size()});
}

TEST(dns_message, encode_query_matches_the_hand_built_bytes) {
  auto wire = dns::encode_query(0xabcd, "example.com");
  ASSERT_TRUE(wire);
  EXPECT_EQ(*wire, example_query);
  auto m = decode_exact(*wire);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->id, 0xabcd);
  EXPECT_TRUE(m->recursion_desired);
  EXPECT_FALSE(m->response);
  ASSERT_EQ(m->questions.size(), 1u);
  EXPECT_EQ(m->questions[0], (dns::question{"example.com", dns::type_a, dns::class_in}));
}

TEST(dns_message, decodes_compressed_answers) {
  // A response whose answers name the question through pointers (RFC 1035 §4.1.4), one of
  // them a label followed by a pointer.
  const std::string wire =
      example_query.substr(0, 2) + "\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00"s +
      example_query.substr(12) +
      "\xc0\x0c\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04\xc0\x00\x02\x01"s +
      "\x03www\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x7f\x00\x00\x01"s;
  auto m = decode_exact(wire);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_TRUE(m->response);
  EXPECT_TRUE(m->recursion_available);
  ASSERT_EQ(m->answers.size(), 2u);
  EXPECT_EQ(m->answers[0].name, "example.com");
  EXPECT_EQ(m->answers[0].ttl, 3600u);
  EXPECT_EQ(dns::format_ipv4(m->answers[0].rdata), "192.0.2.1");
  EXPECT_EQ(m->answers[1].name, "www.example.com");
  EXPECT_EQ(dns::format_ipv4(m->answers[1].rdata), "127.0.0.1");
}

TEST(dns_message, escapes_awkward_label_bytes_and_encodes_them_back) {
  const std::string wire_name =
      "\x03"
      "a.b\x02\x00\\\x00"s;
  const std::string query =
      "\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00"s + wire_name + "\x00\x01\x00\x01"s;
  auto m = decode_exact(query);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->questions[0].name, "a\\.b.\\000\\\\");
  auto again = dns::encode_name(m->questions[0].name);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, wire_name);
}

struct malformed_case {
  const char* name;
  std::string wire;
  friend void PrintTo(const malformed_case& c, std::ostream* os) { *os << c.name; }
};

class dns_malformed : public ::testing::TestWithParam<malformed_case> {};

TEST_P(dns_malformed, is_refused_without_reading_past_the_end) {
  auto m = decode_exact(GetParam().wire);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, errc::malformed) << m.error().detail;
}

const std::string header_1q = "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"s;

INSTANTIATE_TEST_SUITE_P(
    cases, dns_malformed,
    ::testing::Values(
        malformed_case{"empty", ""}, malformed_case{"short_header", "\x12\x34\x01\x00\x00"s},
        malformed_case{"no_question", header_1q},
        malformed_case{"label_past_end", header_1q + "\x07exam"s},
        malformed_case{"no_root_byte", header_1q + "\x03"
                                                   "com"s},
        malformed_case{"no_type_class", header_1q + "\x03"
                                                    "com\x00\x00"s},
        malformed_case{"pointer_to_itself", header_1q + "\xc0\x0c\x00\x01\x00\x01"s},
        malformed_case{"pointer_forwards", header_1q + "\xc0\x20\x00\x01\x00\x01"s},
        malformed_case{"pointer_truncated", header_1q + "\xc0"s},
        malformed_case{"extended_label_type", header_1q + "\x41xx\x00\x00\x01\x00\x01"s},
        malformed_case{"name_over_255_bytes", header_1q +
                                                  [] {
                                                    std::string n;
                                                    for (int i = 0; i < 5; ++i)
                                                      n += "\x3f" + std::string(63, 'a');
                                                    return n + "\x00\x00\x01\x00\x01"s;
                                                  }()},
        malformed_case{
            "two_questions_announced_one_sent",
            "\x12\x34\x01\x00\x00\x02\x00\x00\x00\x00\x00\x00"s + example_query.substr(12)},
        malformed_case{"rdata_past_end",
                       "\x12\x34\x81\x80\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01\x00\x01"
                       "\x00\x00\x00\x10\x00\x04\x7f"s},
        malformed_case{"pointer_loop_through_labels",
                       // 12: label "ab", then a pointer back to 12: each pass adds a label, so
                       // the name limit (or the jump limit) ends it.
                       header_1q + "\x02"
                                   "ab\xc0\x0c"s}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

/// A response whose second answer's owner name is a pointer into a chain of `links` backward
/// pointers (kept in the first answer's rdata), the last of which points at the root name.
std::string pointer_chain(int links) {
  std::string wire = "\x00\x01\x80\x00\x00\x00\x00\x02\x00\x00\x00\x00"s;
  wire += "\x00\x00\x01\x00\x01\x00\x00\x00\x00"s;  // 12: root owner, type, class, TTL
  wire += static_cast<char>(links * 2 >> 8);
  wire += static_cast<char>(links * 2 & 0xFF);
  std::size_t previous = 12;
  for (int i = 0; i < links; ++i) {
    const std::size_t here = wire.size();
    wire += static_cast<char>(0xC0 | previous >> 8);
    wire += static_cast<char>(previous & 0xFF);
    previous = here;
  }
  wire += static_cast<char>(0xC0 | previous >> 8);
  wire += static_cast<char>(previous & 0xFF);
  return wire + "\x00\x01\x00\x01\x00\x00\x00\x00\x00\x00"s;
}

TEST(dns_message, follows_64_pointers_in_a_name_and_no_more) {
  auto ok = decode_exact(pointer_chain(63));  // 64 jumps from the owner name to the root
  ASSERT_TRUE(ok) << ok.error().detail;
  EXPECT_EQ(ok->answers.size(), 2u);
  EXPECT_EQ(ok->answers[1].name, "");
  auto refused = decode_exact(pointer_chain(64));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("too many name pointers"), std::string::npos);
}

TEST(dns_message, every_prefix_of_a_valid_message_is_refused) {
  auto full = decode_exact(example_query);
  ASSERT_TRUE(full);
  for (std::size_t n = 0; n < example_query.size(); ++n) {
    EXPECT_FALSE(decode_exact(example_query.substr(0, n))) << "prefix of " << n << " bytes";
  }
}

TEST(dns_message, name_encoding_limits) {
  EXPECT_EQ(dns::encode_name("a..b").error().code, errc::malformed);
  EXPECT_EQ(dns::encode_name(".a").error().code, errc::malformed);
  EXPECT_EQ(dns::encode_name("a\\").error().code, errc::malformed);
  EXPECT_EQ(dns::encode_name("a\\25").error().code, errc::malformed);
  EXPECT_EQ(dns::encode_name("a\\256").error().code, errc::malformed);
  EXPECT_EQ(dns::encode_name(std::string(64, 'a')).error().code, errc::too_large);
  std::string long_name;
  for (int i = 0; i < 4; ++i) long_name += std::string(63, 'a') + ".";
  EXPECT_EQ(dns::encode_name(long_name).error().code, errc::too_large);  // 257 bytes on the wire
  EXPECT_EQ(*dns::encode_name(""), "\0"s);
  EXPECT_EQ(*dns::encode_name("a."),
            "\x01"
            "a\0"s);
  EXPECT_EQ(*dns::encode_name("\\065"),
            "\x01"
            "A\0"s);
}

TEST(dns_message, canonical_names_and_addresses) {
  EXPECT_EQ(dns::canonical_name("WWW.Example.COM."), "www.example.com");
  EXPECT_EQ(dns::canonical_name("a\\."), "a\\.");
  EXPECT_EQ(dns::canonical_name("a\\\\."), "a\\\\");
  EXPECT_EQ(dns::format_ipv4(std::string("\xc0\x00\x02\xff", 4)), "192.0.2.255");
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", "a.b.c.d", "1..2.3",
                          "0001.2.3.4", "::1"}) {
    EXPECT_FALSE(dns::parse_ipv4(bad)) << bad;
  }
  auto a = dns::parse_ipv4("10.0.255.7");
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, (std::array<std::uint8_t, 4>{10, 0, 255, 7}));
}

// ---- dns_reply: the responder's decisions, without sockets.

class dns_reply_test : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(zone_.set("example.com", {"192.0.2.1", "192.0.2.2"}));
    ASSERT_TRUE(zone_.set("noaddr.test", {}));
    zone_.ttl = 120;
  }

  dns::message reply_to(std::string_view request, dns_behaviour b = dns_behaviour::answer) {
    auto outcome = dns_reply(request, zone_, b);
    EXPECT_TRUE(outcome.reply);
    if (!outcome.reply) return {};
    EXPECT_LE(outcome.reply->size(), dns::max_udp_message);
    auto m = decode_exact(*outcome.reply);
    EXPECT_TRUE(m) << m.error().detail;
    return m ? *m : dns::message{};
  }

  dns_zone zone_;
};

TEST_F(dns_reply_test, answers_a_known_name_with_its_addresses_and_ttl) {
  const auto m = reply_to(example_query);
  EXPECT_EQ(m.id, 0xabcd);
  EXPECT_TRUE(m.response);
  EXPECT_TRUE(m.authoritative);
  EXPECT_TRUE(m.recursion_desired);
  EXPECT_EQ(m.rcode, static_cast<int>(dns::rcode::no_error));
  ASSERT_EQ(m.questions.size(), 1u);
  ASSERT_EQ(m.answers.size(), 2u);
  EXPECT_EQ(dns::format_ipv4(m.answers[0].rdata), "192.0.2.1");
  EXPECT_EQ(dns::format_ipv4(m.answers[1].rdata), "192.0.2.2");
  EXPECT_EQ(m.answers[1].ttl, 120u);
  EXPECT_EQ(m.answers[1].name, "example.com");
}

TEST_F(dns_reply_test, compares_names_case_insensitively_and_echoes_the_asked_case) {
  const auto m = reply_to(*dns::encode_query(7, "ExAmPlE.CoM."));
  EXPECT_EQ(m.rcode, 0);
  EXPECT_EQ(m.questions[0].name, "ExAmPlE.CoM");
  EXPECT_EQ(m.answers.size(), 2u);
}

struct rcode_case {
  const char* name;
  std::string query;
  dns_behaviour behaviour;
  dns::rcode expected;
  std::size_t answers;
  friend void PrintTo(const rcode_case& c, std::ostream* os) { *os << c.name; }
};

class dns_rcode_test : public dns_reply_test, public ::testing::WithParamInterface<rcode_case> {};

TEST_P(dns_rcode_test, replies_with_the_expected_rcode) {
  const auto m = reply_to(GetParam().query, GetParam().behaviour);
  EXPECT_EQ(m.rcode, static_cast<int>(GetParam().expected));
  EXPECT_EQ(m.answers.size(), GetParam().answers);
  EXPECT_TRUE(m.response);
}

std::string with_class(std::string query, char cls) {
  query.back() = cls;
  return query;
}

std::string with_opcode(std::string query, int opcode) {
  query[2] = static_cast<char>((query[2] & 0x87) | opcode << 3);
  return query;
}

INSTANTIATE_TEST_SUITE_P(
    cases, dns_rcode_test,
    ::testing::Values(
        rcode_case{"unknown_name_nxdomain", *dns::encode_query(1, "nowhere.test"),
                   dns_behaviour::answer, dns::rcode::name_error, 0},
        rcode_case{"known_name_aaaa_nodata", *dns::encode_query(2, "example.com", dns::type_aaaa),
                   dns_behaviour::answer, dns::rcode::no_error, 0},
        rcode_case{"known_name_any", *dns::encode_query(3, "example.com", dns::type_any),
                   dns_behaviour::answer, dns::rcode::no_error, 2},
        rcode_case{"name_without_addresses", *dns::encode_query(4, "noaddr.test"),
                   dns_behaviour::answer, dns::rcode::no_error, 0},
        rcode_case{"chaos_class_refused", with_class(example_query, 3), dns_behaviour::answer,
                   dns::rcode::refused, 0},
        rcode_case{"inverse_query_not_implemented", with_opcode(example_query, 1),
                   dns_behaviour::answer, dns::rcode::not_implemented, 0},
        rcode_case{"no_question_format_error", "\x00\x09\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"s,
                   dns_behaviour::answer, dns::rcode::format_error, 0},
        rcode_case{"truncated_question_format_error", example_query.substr(0, 20),
                   dns_behaviour::answer, dns::rcode::format_error, 0},
        rcode_case{"server_failure_behaviour", example_query, dns_behaviour::server_failure,
                   dns::rcode::server_failure, 0},
        rcode_case{"refused_behaviour", example_query, dns_behaviour::refused, dns::rcode::refused,
                   0}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(dns_reply_test, format_error_keeps_the_id) {
  const auto m = reply_to(example_query.substr(0, 20));
  EXPECT_EQ(m.id, 0xabcd);
  EXPECT_TRUE(m.questions.empty());
}

TEST_F(dns_reply_test, stays_silent_for_headerless_packets_responses_and_drop) {
  EXPECT_FALSE(dns_reply("", zone_, dns_behaviour::answer).reply);
  EXPECT_FALSE(dns_reply(example_query.substr(0, 11), zone_, dns_behaviour::answer).reply);
  std::string response = example_query;
  response[2] = static_cast<char>(response[2] | 0x80);
  EXPECT_FALSE(dns_reply(response, zone_, dns_behaviour::answer).reply);
  const auto dropped = dns_reply(example_query, zone_, dns_behaviour::drop);
  EXPECT_FALSE(dropped.reply);
  ASSERT_TRUE(dropped.question);
  EXPECT_EQ(dropped.question->name, "example.com");
}

TEST_F(dns_reply_test, survives_random_garbage_and_answers_within_512_bytes) {
  std::mt19937 random(20240501);  // fixed seed: a failure replays
  std::size_t replies = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string packet(random() % 600, '\0');
    for (auto& c : packet) c = static_cast<char>(random());
    if (i % 2 == 0 && packet.size() >= example_query.size()) {  // mutate a real query instead
      packet.replace(0, example_query.size(), example_query);
      packet[random() % example_query.size()] = static_cast<char>(random());
    }
    auto copy = std::make_unique<char[]>(packet.size());
    std::copy(packet.begin(), packet.end(), copy.get());
    auto outcome = dns_reply({copy.get(), packet.size()}, zone_, dns_behaviour::answer);
    if (!outcome.reply) continue;
    ++replies;
    ASSERT_LE(outcome.reply->size(), dns::max_udp_message);
    ASSERT_TRUE(dns::decode(*outcome.reply));
  }
  EXPECT_GT(replies, 0u);
}

TEST(dns_zone, refuses_what_cannot_be_answered) {
  dns_zone zone;
  EXPECT_EQ(zone.set("a.test", {"::1"}).error().code, errc::bad_address);
  EXPECT_EQ(zone.set("a..test", {"1.2.3.4"}).error().code, errc::malformed);
  EXPECT_EQ(zone.set("a.test", std::vector<std::string>(40, "1.2.3.4")).error().code,
            errc::too_large);
  EXPECT_TRUE(zone.set("a.test", std::vector<std::string>(30, "1.2.3.4")));
  EXPECT_NE(zone.find("A.TEST."), nullptr);
  zone.erase("a.test");
  EXPECT_EQ(zone.find("a.test"), nullptr);
}

// ---- The responder on a real socket, driven by a plain UDP client.

class dns_responder_test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = dns_responder::start(h_, {.ttl = 60});
    ASSERT_TRUE(r) << r.error().detail;
    responder_ = std::move(*r);
    ASSERT_TRUE(responder_.set_record("bc25.test", {"127.0.0.2"}));
  }

  dns::message ask(std::string_view query) {
    EXPECT_TRUE(testing::send_datagram(client_.get(), query, responder_.port()));
    std::string reply;
    EXPECT_TRUE(testing::recv_datagram(client_.get(), reply));
    auto m = dns::decode(reply);
    EXPECT_TRUE(m);
    return m ? *m : dns::message{};
  }

  host h_;
  dns_responder responder_;
  testing::fd client_ = testing::udp_socket();
};

TEST_F(dns_responder_test, answers_a_hand_built_query) {
  const auto m = ask(*dns::encode_query(0x5151, "bc25.test"));
  EXPECT_EQ(m.id, 0x5151);
  EXPECT_EQ(m.rcode, 0);
  ASSERT_EQ(m.answers.size(), 1u);
  EXPECT_EQ(dns::format_ipv4(m.answers[0].rdata), "127.0.0.2");
  EXPECT_EQ(m.answers[0].ttl, 60u);
  EXPECT_EQ(responder_.questions(), (std::vector<dns::question>{{"bc25.test", 1, 1}}));
  EXPECT_EQ(responder_.local_endpoint().address, "127.0.0.1");
}

TEST_F(dns_responder_test, nxdomain_then_answer_after_the_zone_changes) {
  EXPECT_EQ(ask(*dns::encode_query(1, "later.test")).rcode, 3);
  ASSERT_TRUE(responder_.set_record("later.test", {"127.0.0.9"}));
  responder_.set_ttl(5);
  const auto m = ask(*dns::encode_query(2, "later.test"));
  ASSERT_EQ(m.answers.size(), 1u);
  EXPECT_EQ(m.answers[0].ttl, 5u);
  responder_.remove_record("later.test");
  EXPECT_EQ(ask(*dns::encode_query(3, "later.test")).rcode, 3);
}

TEST_F(dns_responder_test, survives_truncated_and_garbage_packets) {
  // Silently ignored: no header, or a response. Answered with FORMERR: a header with a bad body.
  const std::vector<std::string> ignored = {"", "\x01"s, example_query.substr(0, 11),
                                            "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"s};
  const std::vector<std::string> format_errors = {
      example_query.substr(0, 12), example_query.substr(0, 25), header_1q + "\xc0\x0c\x00\x01"s,
      "\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00"s + std::string(1000, '\x3f')};
  for (const auto& p : ignored)
    ASSERT_TRUE(testing::send_datagram(client_.get(), p, responder_.port()));
  for (const auto& p : format_errors) {
    ASSERT_TRUE(testing::send_datagram(client_.get(), p, responder_.port()));
  }
  // Datagrams on loopback keep their order, so the FORMERRs come first, then the answer.
  for (std::size_t i = 0; i < format_errors.size(); ++i) {
    std::string reply;
    ASSERT_TRUE(testing::recv_datagram(client_.get(), reply));
    auto m = dns::decode(reply);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->rcode, static_cast<int>(dns::rcode::format_error));
  }
  const auto m = ask(*dns::encode_query(0x7777, "bc25.test"));
  EXPECT_EQ(m.id, 0x7777);
  EXPECT_EQ(m.answers.size(), 1u);
  EXPECT_EQ(responder_.ignored(), ignored.size());
  EXPECT_EQ(responder_.replies(), format_errors.size() + 1);
  EXPECT_EQ(responder_.datagrams(), ignored.size() + format_errors.size() + 1);
}

TEST_F(dns_responder_test, drop_behaviour_stays_silent_until_changed) {
  responder_.set_behaviour(dns_behaviour::drop);
  ASSERT_TRUE(
      testing::send_datagram(client_.get(), *dns::encode_query(1, "bc25.test"), responder_.port()));
  ASSERT_TRUE(responder_.wait_for_datagrams(1, deadline_in(5s)));
  responder_.set_behaviour(dns_behaviour::server_failure);
  const auto m = ask(*dns::encode_query(2, "bc25.test"));
  EXPECT_EQ(m.id, 2);  // the first query got no reply
  EXPECT_EQ(m.rcode, 2);
  EXPECT_EQ(responder_.questions().size(), 2u);
  EXPECT_EQ(responder_.wait_for_datagrams(3, deadline_in(20ms)).error().code, errc::timed_out);
}

}  // namespace
}  // namespace bcconform::peer
