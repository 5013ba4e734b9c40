#include <catch2/catch.hpp>

#include <string>

#include "touchstone/pdu/iscsi_name.hpp"

using namespace touchstone::pdu;

//= rfc7143#section-4.2.7.4 type=test
//# iqn.2001-04.com.example:storage:diskarrays-sn-a8675309
TEST_CASE("the RFC's example names are valid", "[pdu][names]") {
  struct row {
    std::string_view text;
    name_type type;
  };
  const row rows[] = {
      {"iqn.2001-04.com.example:storage:diskarrays-sn-a8675309", name_type::iqn},
      {"iqn.2001-04.com.example", name_type::iqn},
      {"iqn.2001-04.com.example:storage.tape1.sys1.xyz", name_type::iqn},
      {"iqn.1992-04.com.os-vendor.plan9:cdrom.12345", name_type::iqn},
      {"iqn.2001-04.com.example:caf\xc3\xa9", name_type::iqn},
      //= rfc7143#section-4.2.7.5 type=test
      //# eui.02004567A425678D
      {"eui.02004567A425678D", name_type::eui},
      {"eui.020000023b040506", name_type::eui},
      //= rfc7143#section-4.2.7.6 type=test
      //# naa.52004567BA64678D ... naa.62004567BA64678D0123456789ABCDEF
      {"naa.52004567BA64678D", name_type::naa},
      {"naa.62004567BA64678D0123456789ABCDEF", name_type::naa},
  };
  for (const auto& [text, type] : rows) {
    INFO(text);
    auto validated = validate_iscsi_name(text);
    REQUIRE(validated);
    CHECK(*validated == type);
  }
  CHECK(name(name_type::naa) == "naa");
}

//= rfc7143#section-4.2.7.2 type=test
//# The UTF-8 encoding of the name is not larger than 223 bytes.
//= rfc7143#section-4.2.7.1 type=test
//# Initiators and targets MUST support the receipt of iSCSI names of up to the maximum length of
//# 223 bytes.
TEST_CASE("the 223-byte bound", "[pdu][names]") {
  const std::string prefix = "iqn.2001-04.com.example:";
  CHECK(validate_iscsi_name(prefix + std::string(223 - prefix.size(), 'a')));
  auto too_long = validate_iscsi_name(prefix + std::string(224 - prefix.size(), 'a'));
  REQUIRE_FALSE(too_long);
  CHECK(too_long.error() == name_error::too_long);
}

//= rfc7143#section-4.2.7.1 type=test
//# uppercase characters are prohibited. ... No whitespace characters are used in iSCSI names
//= rfc7143#section-4.2.7.2 type=test
//# An iSCSI name MUST be a UTF-8 (see [RFC3629]) encoding of a string of Unicode characters
TEST_CASE("every name_error is reachable", "[pdu][names]") {
  struct row {
    std::string_view text;
    name_error error;
  };
  const row rows[] = {
      {"", name_error::empty},
      {"foo.2001-04.com.example", name_error::unknown_type},
      {"iqn", name_error::unknown_type},
      {"IQN.2001-04.com.example", name_error::uppercase},
      {"iqn.2001-04.com.Example", name_error::uppercase},
      {"iqn.2001-04.com.example:disk one", name_error::bad_character},
      {"iqn.2001-04.com.example:disk\tone", name_error::bad_character},
      {"iqn.2001-04.com.example:disk_one", name_error::bad_character},
      {"iqn.2001-04.com.example:\xff", name_error::bad_utf8},
      //= rfc7143#section-4.2.7.4 type=test
      //# All four digits in the year must be present. Both digits of the month must be present
      {"iqn.01-04.com.example", name_error::iqn_bad_date},
      {"iqn.2001-4.com.example", name_error::iqn_bad_date},
      {"iqn.2001-13.com.example", name_error::iqn_bad_date},
      {"iqn.2001-00.com.example", name_error::iqn_bad_date},
      {"iqn.200104.com.example", name_error::iqn_bad_date},
      {"iqn.2001-04", name_error::iqn_missing_domain},
      {"iqn.2001-04.", name_error::iqn_missing_domain},
      {"iqn.2001-04:com.example", name_error::iqn_missing_domain},
      {"iqn.2001-04.:suffix", name_error::iqn_missing_domain},
      {"iqn.2001-04.com..example", name_error::iqn_bad_domain},
      {"iqn.2001-04.com.example.:x", name_error::iqn_bad_domain},
      // rfc7143 section 4.2.7.5, in our words:
      // The format is "eui." followed by an EUI-64 identifier (16 ASCII-encoded hexadecimal digits).
      {"eui.02004567A425678", name_error::eui_bad_length},
      {"eui.02004567A425678DD", name_error::eui_bad_length},
      {"eui.02004567A425678G", name_error::bad_hex_digit},
      {"naa.52004567BA64678D01", name_error::naa_bad_length},
      {"naa.62004567BA64678D0123456789ABCDEZ", name_error::bad_hex_digit},
  };
  for (const auto& [text, error] : rows) {
    INFO(text);
    auto validated = validate_iscsi_name(text);
    REQUIRE_FALSE(validated);
    CHECK(validated.error() == error);
    CHECK(name(error) != "unknown");
  }
}
