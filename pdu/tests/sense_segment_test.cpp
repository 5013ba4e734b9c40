#include <catch2/catch.hpp>

#include "touchstone/pdu/sense_segment.hpp"

using namespace touchstone::pdu;

namespace {

byte_buffer copy(bytes_view b) { return byte_buffer(b.begin(), b.end()); }

}  // namespace

//= rfc7143#section-11.4.7 type=test
//# 0|SenseLength | Sense Data ... y/ Response Data
TEST_CASE("Sense segment layout: SenseLength, sense, trailing data", "[pdu][sense_segment]") {
  const byte_buffer sense{0x70, 0, 0x02};
  const byte_buffer trailing{9, 8};
  const auto segment = make_sense_segment(sense, trailing);
  CHECK(segment == byte_buffer{0, 3, 0x70, 0, 0x02, 9, 8});
  const auto parsed = parse_sense_segment(segment);
  REQUIRE(parsed);
  CHECK(copy(parsed->sense) == sense);
  CHECK(copy(parsed->trailing) == trailing);
}

TEST_CASE("Sense segment edge cases", "[pdu][sense_segment]") {
  const auto empty = parse_sense_segment({});
  REQUIRE(empty);
  CHECK(empty->sense.empty());
  CHECK(empty->trailing.empty());

  const byte_buffer zero_length{0, 0, 5};
  const auto no_sense = parse_sense_segment(zero_length);
  REQUIRE(no_sense);
  CHECK(no_sense->sense.empty());
  CHECK(copy(no_sense->trailing) == byte_buffer{5});

  const byte_buffer exact{0, 2, 1, 2};
  REQUIRE(parse_sense_segment(exact));
  CHECK(parse_sense_segment(exact)->trailing.empty());
}

//= rfc7143#section-11.4.7.1 type=test
//# This field indicates the length of Sense Data.
TEST_CASE("Sense segment never reads past the data", "[pdu][sense_segment]") {
  const byte_buffer one{0};
  CHECK(parse_sense_segment(one).error() == sense_segment_error::truncated_sense_length);
  const auto overrun = make_sense_segment(std::uint16_t{3}, byte_buffer{1, 2});
  CHECK(overrun == byte_buffer{0, 3, 1, 2});
  CHECK(parse_sense_segment(overrun).error() == sense_segment_error::sense_length_overrun);
  CHECK(name(sense_segment_error::truncated_sense_length) == "truncated SenseLength");
  CHECK(name(sense_segment_error::sense_length_overrun) == "SenseLength beyond the data segment");
}

TEST_CASE("Sense longer than SenseLength can say is cut", "[pdu][sense_segment]") {
  const byte_buffer huge(max_sense_length + 10, 0xaa);
  const auto segment = make_sense_segment(huge);
  CHECK(segment.size() == 2 + max_sense_length);
  CHECK(segment[0] == 0xff);
  CHECK(segment[1] == 0xff);
  REQUIRE(parse_sense_segment(segment));
  CHECK(parse_sense_segment(segment)->sense.size() == max_sense_length);
}
