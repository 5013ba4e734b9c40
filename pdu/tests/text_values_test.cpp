#include <catch2/catch.hpp>

#include <string>

#include "touchstone/pdu/text_values.hpp"

using namespace touchstone::pdu;
using touchstone::fail;
using touchstone::result;

//= rfc7143#section-6.1 type=test
//# numerical-value: An unsigned integer always less than 2**64 encoded as a
//# decimal-constant or a hex-constant.
TEST_CASE("parse_number reads decimal and hex constants", "[pdu][text]") {
  CHECK(*parse_number("0") == 0);
  CHECK(*parse_number("8192") == 8192);
  CHECK(*parse_number("0x2000") == 8192);
  CHECK(*parse_number("0XfF") == 255);
  CHECK(*parse_number("18446744073709551615") == 18446744073709551615ull);
  CHECK(*parse_number("0xffffffffffffffff") == 18446744073709551615ull);
  CHECK(*parse_number("0x0000000000000000001") == 1);
  CHECK(*parse_number_in("512", 512, 16777215) == 512);
  CHECK(encode_number(65536) == "65536");
}

TEST_CASE("every value_error is reachable", "[pdu][text]") {
  struct row {
    result<void, value_error> (*parse)(std::string_view);
    std::string_view text;
    value_error error;
  };
  using V = result<void, value_error>;
  const auto number = [](std::string_view t) -> V {
    if (auto n = parse_number(t); !n) return fail(n.error());
    return touchstone::ok;
  };
  const auto bounded = [](std::string_view t) -> V {
    if (auto n = parse_number_in(t, 1, 2); !n) return fail(n.error());
    return touchstone::ok;
  };
  const auto binary = [](std::string_view t) -> V {
    if (auto b = parse_binary(t, 8); !b) return fail(b.error());
    return touchstone::ok;
  };
  const auto boolean = [](std::string_view t) -> V {
    if (auto b = parse_boolean(t); !b) return fail(b.error());
    return touchstone::ok;
  };
  const auto range = [](std::string_view t) -> V {
    if (auto r = parse_range(t); !r) return fail(r.error());
    return touchstone::ok;
  };
  const auto list = [](std::string_view t) -> V {
    if (auto l = split_list(t); !l) return fail(l.error());
    return touchstone::ok;
  };
  const auto text = [](std::string_view t) { return check_text_value(t, 8); };
  const auto local = [](std::string_view t) { return check_local_name(t, 8); };
  const row rows[] = {
      {number, "", value_error::empty},
      {number, "12a", value_error::not_a_number},
      //= rfc7143#section-6.1 type=test
      //# decimal-constant: ... a string of one or more digits that starts with a non-zero digit.
      {number, "007", value_error::leading_zero},
      //= rfc7143#section-6.1 type=test
      //# Decimal-constants MUST NOT be used for parameter values if the values can be equal to or
      //# greater than 2**64 (numerical)
      {number, "18446744073709551616", value_error::number_too_large},
      {number, "0x10000000000000000", value_error::number_too_large},
      {number, "0xg1", value_error::bad_hex_digit},
      {number, "0x", value_error::empty},
      {bounded, "3", value_error::out_of_range},
      {bounded, "0", value_error::out_of_range},
      {binary, "0bAAA", value_error::bad_base64},
      {binary, "0bA===", value_error::bad_base64},
      {binary, "0b", value_error::empty},
      //= rfc7143#section-6.1 type=test
      //# Decimal-constants can only be used to encode binary strings if the string
      //# length is explicitly specified.
      {binary, "1234", value_error::decimal_binary},
      //= rfc7143#section-6.1 type=test
      //# regular-binary-value: A binary string not longer than 64 bits
      {binary, "0x010203040506070809", value_error::binary_too_long},
      {boolean, "yes", value_error::not_boolean},
      {range, "5", value_error::missing_tilde},
      //= rfc7143#section-6.1 type=test
      //# where the value to the right of the tilde must not be lower than the value to the left.
      {range, "9~5", value_error::range_reversed},
      {range, "a~5", value_error::not_a_number},
      {list, "a,,b", value_error::empty_list_item},
      {list, "", value_error::empty},
      {text, "abcdefghi", value_error::too_long},
      {text, "a b", value_error::bad_character},
      {local, "\xff", value_error::bad_utf8},
      {local, "\xc3", value_error::bad_utf8},
  };
  for (const auto& [parse, input, error] : rows) {
    INFO(input);
    auto parsed = parse(input);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == error);
  }
  // The rest are raised by the key table (keys_test / negotiation_test):
  // not_in_list, reserved_constant, bad_iscsi_name, bad_address.
  CHECK(name(value_error::bad_address) == "bad_address");
}

//= rfc7143#section-6.1 type=test
//# a hex-constant of n hexadecimal digits has a byte-length of (the integer part of) (n + 1)/2.
TEST_CASE("parse_binary decodes hex with implicit length and base64", "[pdu][text]") {
  CHECK(*parse_binary("0x0102", 8) == byte_buffer{0x01, 0x02});
  CHECK(*parse_binary("0x102", 8) == byte_buffer{0x01, 0x02});
  CHECK(*parse_binary("0X00ff", 8) == byte_buffer{0x00, 0xff});
  CHECK(*parse_binary("0bAQI=", 8) == byte_buffer{0x01, 0x02});
  CHECK(*parse_binary("0BAQID", 8) == byte_buffer{0x01, 0x02, 0x03});
  CHECK(*parse_binary("0bAQ==", 8) == byte_buffer{0x01});
  const byte_buffer bytes = {0xde, 0xad, 0xbe, 0xef, 0x00};
  CHECK(encode_hex(bytes) == "0xdeadbeef00");
  CHECK(*parse_binary(encode_hex(bytes), 8) == bytes);
  CHECK(*parse_binary(encode_base64(bytes), 8) == bytes);
  CHECK(encode_base64(byte_buffer{0x01, 0x02}) == "0bAQI=");
}

TEST_CASE("ranges, booleans, lists and text-values", "[pdu][text]") {
  CHECK(*parse_range("1~65535") == numeric_range{1, 65535});
  CHECK(*parse_range("0x10~0x10") == numeric_range{16, 16});
  CHECK(*parse_boolean("Yes"));
  CHECK_FALSE(*parse_boolean("No"));
  CHECK(encode_boolean(true) == "Yes");
  const auto items = *split_list("CRC32C,None");
  CHECK(items == std::vector<std::string_view>{"CRC32C", "None"});
  CHECK(join_list(items) == "CRC32C,None");
  CHECK(check_text_value("iqn.x:y_z/[a]@b+c-d"));
  CHECK(check_local_name("Database Server 1 \xc3\xa9"));
  CHECK(is_answer_constant("Reject"));
  CHECK(is_answer_constant("Irrelevant"));
  CHECK(is_answer_constant("NotUnderstood"));
  CHECK_FALSE(is_answer_constant("None"));
}
