#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "touchstone/pdu/text.hpp"

using namespace touchstone::pdu;
using namespace std::string_literals;

namespace {
bytes_view as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
std::string as_string(bytes_view b) { return {b.begin(), b.end()}; }
}  // namespace

//= rfc7143#section-6.1 type=test
//# Every key=value pair, including the last or only pair in a LTDS, MUST be
//# followed by one null (0x00) delimiter.
TEST_CASE("parse_text reads ordered NUL-terminated pairs", "[pdu][text]") {
  const auto text = "InitiatorName=iqn.2001-04.com.example:h1\0HeaderDigest=CRC32C,None\0"s;
  auto pairs = parse_text(as_bytes(text));
  REQUIRE(pairs);
  REQUIRE(pairs->size() == 2);
  CHECK((*pairs)[0] == key_value{"InitiatorName", "iqn.2001-04.com.example:h1"});
  CHECK((*pairs)[1] == key_value{"HeaderDigest", "CRC32C,None"});
  CHECK(as_string(encode_text(*pairs)) == text);
}

//= rfc7143#section-6.1 type=test
//# A key-name is whatever precedes the first "=" in the key=value pair.
TEST_CASE("parse_text splits at the first '=' and keeps empty values", "[pdu][text]") {
  auto pairs = parse_text("TargetAlias=a=b\0SendTargets=\0"s);
  REQUIRE(pairs);
  CHECK((*pairs)[0] == key_value{"TargetAlias", "a=b"});
  CHECK((*pairs)[1] == key_value{"SendTargets", ""});
  CHECK(parse_text(""s)->empty());
}

TEST_CASE("parse_text accepts iSCSIProtocolLevel and the X- and X# prefixes", "[pdu][text]") {
  auto pairs = parse_text("iSCSIProtocolLevel=1\0X#NodeArchitecture=a/1\0X-com.example.k=3\0"s);
  REQUIRE(pairs);
  CHECK(pairs->size() == 3);
}

//= rfc7143#section-6.1 type=test
//# standard-label ... MUST begin with a capital letter and must not exceed 63 characters.
TEST_CASE("every text_error of parse_text is reachable", "[pdu][text]") {
  struct row {
    std::string text;
    text_error error;
  };
  const std::string long_key(64, 'K');
  const row rows[] = {
      {"\0"s, text_error::empty_pair},
      {"A=b\0\0"s, text_error::empty_pair},
      {"NoEquals\0"s, text_error::missing_equals},
      {"=value\0"s, text_error::empty_key},
      {long_key + "=v\0"s, text_error::key_too_long},
      {"1Key=v\0"s, text_error::key_bad_first_character},
      {"Bad Key=v\0"s, text_error::key_bad_character},
      {"Key#=v\0"s, text_error::key_bad_character},
      {"A=b"s, text_error::missing_terminator},
      {"A=b\0C"s, text_error::missing_equals},
  };
  for (const auto& [text, error] : rows) {
    INFO(text);
    auto parsed = parse_text(text);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == error);
    CHECK(!name(error).empty());
  }
  CHECK(parse_text(std::string(63, 'K') + "=v\0"s));
  auto too_long = parse_text("A=" + std::string(300, 'v') + '\0', 255);
  REQUIRE_FALSE(too_long);
  CHECK(too_long.error() == text_error::value_too_long);
}

TEST_CASE("split_text chunks to MaxRecvDataSegmentLength with C on all but the last",
          "[pdu][text]") {
  const auto encoded = encode_text({{"TargetAlias", std::string(1000, 'a')}});
  const auto chunks = split_text(encoded, 512);
  REQUIRE(chunks.size() == 2);
  CHECK(chunks[0].data.size() == 512);
  CHECK(chunks[0].continue_bit);
  CHECK(chunks[1].data.size() == encoded.size() - 512);
  CHECK_FALSE(chunks[1].continue_bit);
  const auto empty = split_text({}, 512);
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].data.empty());
  CHECK_FALSE(empty[0].continue_bit);
  CHECK(split_text(encoded, 0).size() == encoded.size());
}

//= rfc7143#section-6.1 type=test
//# Key=value pairs may span PDU boundaries. ... setting the C bit ... to 1.
TEST_CASE("text_assembler joins a pair split across PDUs", "[pdu][text]") {
  text_assembler assembler;
  const auto first = "TargetAl"s;
  const auto second = "ias=disk one\0MaxRecvDataSegmentLength=65536\0"s;
  CHECK(*assembler.add(as_bytes(first), true) == text_assembler::state::need_more);
  CHECK(*assembler.add(as_bytes(second), false) == text_assembler::state::complete);
  auto pairs = assembler.take();
  REQUIRE(pairs);
  REQUIRE(pairs->size() == 2);
  CHECK((*pairs)[0] == key_value{"TargetAlias", "disk one"});
  CHECK(assembler.buffered() == 0);
}

//= rfc7143#section-6.1 type=test
//# Any iSCSI target or initiator MUST support receiving at least 8192 bytes of
//# key=value data in a negotiation sequence.
TEST_CASE("text_assembler accepts 8192 bytes over continuation PDUs and refuses more",
          "[pdu][text]") {
  text_pairs pairs;
  for (int i = 0; i < 40; ++i) {
    pairs.push_back({"X-com.example.k" + std::to_string(i), std::string(235, 'v')});
  }
  auto encoded = encode_text(pairs);
  encoded.resize(8192 - 1);  // cut inside a value, keep the terminator
  encoded.push_back(0);
  REQUIRE(encoded.size() == 8192);

  text_assembler assembler(1);  // a bound below the RFC minimum is raised to it
  CHECK(assembler.max_bytes() == min_text_sequence_bytes);
  for (const auto& chunk : split_text(encoded, 512)) {
    REQUIRE(assembler.add(chunk.data, chunk.continue_bit));
  }
  auto parsed = assembler.take();
  REQUIRE(parsed);
  CHECK(parsed->size() == static_cast<std::size_t>(std::count(encoded.begin(), encoded.end(), 0)));
  CHECK(parsed->back().value.size() < 235);  // the pair cut at 8192 bytes

  const std::uint8_t extra[] = {'A'};
  for (const auto& chunk : split_text(encoded, 512)) {
    REQUIRE(assembler.add(chunk.data, true));
  }
  auto refused = assembler.add(extra, false);
  REQUIRE_FALSE(refused);
  CHECK(refused.error() == text_error::sequence_too_long);
  CHECK(assembler.buffered() == 8192);  // nothing appended
}

TEST_CASE("text_assembler reports sequence misuse and unterminated text", "[pdu][text]") {
  text_assembler assembler;
  auto early = assembler.take();
  REQUIRE_FALSE(early);
  CHECK(early.error() == text_error::sequence_incomplete);

  const auto unterminated = "A=b"s;
  REQUIRE(assembler.add(as_bytes(unterminated), false));
  auto late = assembler.add(as_bytes(unterminated), false);
  REQUIRE_FALSE(late);
  CHECK(late.error() == text_error::sequence_complete);
  //= rfc7143#section-6.1 type=test
  //# including the last or only pair in a LTDS, MUST be followed by one null (0x00) delimiter.
  auto parsed = assembler.take();
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error() == text_error::missing_terminator);
  CHECK_FALSE(assembler.complete());
}

// Blueprint style (quiche): the same bytes re-fed at every split point give the same pairs.
TEST_CASE("text_assembler gives the same pairs at every split point", "[pdu][text]") {
  const text_pairs pairs = {{"InitiatorName", "iqn.2001-04.com.example:h"},
                            {"HeaderDigest", "CRC32C,None"},
                            {"MaxRecvDataSegmentLength", "65536"}};
  const auto encoded = encode_text(pairs);
  for (std::size_t size = 1; size <= encoded.size(); ++size) {
    INFO("chunk size " << size);
    text_assembler assembler;
    for (const auto& chunk : split_text(encoded, size)) {
      REQUIRE(assembler.add(chunk.data, chunk.continue_bit));
    }
    auto parsed = assembler.take();
    REQUIRE(parsed);
    CHECK(*parsed == pairs);
  }
}
