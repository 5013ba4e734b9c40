#include "touchstone/pdu/ahs.hpp"

#include <catch2/catch.hpp>

using namespace touchstone::pdu;

namespace {
byte_buffer sequence(std::size_t n, std::uint8_t first = 0x20) {
  byte_buffer out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(first + i);
  return out;
}
}  // namespace

// rfc7143 section 11.2.2.3, in our words:
// AHSLength (CDBLength - 15) | 0x01 | Reserved | ExtendedCDB...+padding
TEST_CASE("Extended CDB AHS carries CDBLength - 15 and pads to 4 bytes", "[pdu][ahs]") {
  const auto spill = sequence(16);  // a 32-byte CDB
  const auto bytes = make_extended_cdb_ahs(spill);
  // 3 + 17 = 20 bytes, already a multiple of 4.
  REQUIRE(bytes.size() == 20);
  CHECK(load_be16(&bytes[0]) == 32 - 15);
  CHECK(bytes[2] == 0x01);
  CHECK(bytes[3] == 0x00);
  CHECK(std::equal(spill.begin(), spill.end(), bytes.begin() + 4));

  const auto odd = make_extended_cdb_ahs(sequence(4));  // a 20-byte CDB
  CHECK(load_be16(&odd[0]) == 20 - 15);
  CHECK(odd.size() == 8);  // 3 + 5 = 8 bytes: no padding needed
}

// rfc7143 section 11.2.2.4, in our words:
// AHSLength (0x0005) | 0x02 | Reserved | Bidirectional Read Expected Data Transfer Length
TEST_CASE("Bidirectional read length AHS is 8 bytes with AHSLength 5", "[pdu][ahs]") {
  const auto bytes = make_bidirectional_read_length_ahs(0x01020304);
  REQUIRE(bytes.size() == 8);
  CHECK(load_be16(&bytes[0]) == 5);
  CHECK(bytes[2] == 0x02);
  CHECK(bytes[3] == 0x00);
  CHECK(load_be32(&bytes[4]) == 0x01020304);

  const auto segments = parse_ahs(bytes);
  REQUIRE(segments);
  REQUIRE(segments->size() == 1);
  CHECK((*segments)[0].type() == ahs_type::bidirectional_read_length);
  CHECK(bidirectional_read_length((*segments)[0]).value() == 0x01020304);
}

//= rfc7143#section-11.2.2.2 type=test
//# The AHS is padded to the smallest integer number of 4-byte words
TEST_CASE("parse_ahs splits padded segments in order", "[pdu][ahs]") {
  auto bytes = make_extended_cdb_ahs(sequence(5));  // AHSLength 6, 9 bytes, padded to 12
  const auto bidi = make_bidirectional_read_length_ahs(4096);
  bytes.insert(bytes.end(), bidi.begin(), bidi.end());

  const auto segments = parse_ahs(bytes);
  REQUIRE(segments);
  REQUIRE(segments->size() == 2);
  const auto& ext = (*segments)[0];
  CHECK(ext.offset == 0);
  CHECK(ext.length == 6);
  CHECK(ext.type() == ahs_type::extended_cdb);
  CHECK(ext.body.size() == 5);
  CHECK(ext.padding.size() == 3);
  CHECK(ext.padded_size() == 12);
  CHECK(extended_cdb_spillover(ext).value().size() == 5);
  CHECK((*segments)[1].offset == 12);
  CHECK(find_ahs(*segments, ahs_type::bidirectional_read_length)->offset == 12);
  CHECK_FALSE(find_ahs(*segments, ahs_type::reserved).has_value());
  CHECK(parse_ahs(bytes_view{}).value().empty());
}

TEST_CASE("AHSType keeps reserved codes and reserved bits", "[pdu][ahs]") {
  const byte_buffer body{1, 2, 3};
  const auto bytes = make_ahs(0xc0 | 0x05, 0x7e, body);
  const auto segments = parse_ahs(bytes);
  REQUIRE(segments);
  const auto& s = (*segments)[0];
  CHECK(s.code() == 5);
  CHECK_FALSE(is_defined(s.type()));
  CHECK(s.type_reserved_bits_set());
  CHECK(s.specific == 0x7e);
  CHECK(s.body.size() == 3);
}

TEST_CASE("parse_ahs reports each malformed layout", "[pdu][ahs]") {
  SECTION("fewer than 4 bytes") {
    CHECK(parse_ahs(byte_buffer{0, 1, 1}).error() == ahs_error::truncated_header);
  }
  SECTION("a second segment cut short") {
    auto bytes = make_bidirectional_read_length_ahs(1);
    bytes.insert(bytes.end(), {0, 5});
    CHECK(parse_ahs(bytes).error() == ahs_error::truncated_header);
  }
  SECTION("AHSLength 0") {
    CHECK(parse_ahs(byte_buffer{0, 0, 1, 0}).error() == ahs_error::empty_segment);
  }
  SECTION("AHSLength beyond the buffer") {
    CHECK(parse_ahs(make_ahs(1, 0, sequence(4), 9)).error() == ahs_error::length_beyond_buffer);
  }
  SECTION("padding beyond the buffer") {
    // AHSLength 2: 5 bytes, which need 3 padding bytes the buffer lacks.
    CHECK(parse_ahs(byte_buffer{0, 2, 1, 0, 0xaa}).error() == ahs_error::missing_padding);
  }
  CHECK_FALSE(name(ahs_error::missing_padding).empty());
}

//= rfc7143#section-11.2.2.3 type=test
//# This type of AHS MUST NOT be used if the CDBLength is less than 17.
TEST_CASE("typed AHS bodies refuse lengths their format forbids", "[pdu][ahs]") {
  const auto short_cdb = parse_ahs(make_ahs(1, 0, {}));
  REQUIRE(short_cdb);
  CHECK(extended_cdb_spillover((*short_cdb)[0]).error() == ahs_error::wrong_length_for_type);

  const auto long_bidi = parse_ahs(make_ahs(2, 0, sequence(8)));
  REQUIRE(long_bidi);
  CHECK(bidirectional_read_length((*long_bidi)[0]).error() == ahs_error::wrong_length_for_type);
}
