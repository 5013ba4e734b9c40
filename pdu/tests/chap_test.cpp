#include <catch2/catch.hpp>

// The one-shot MD5() is deprecated in OpenSSL 3; the test uses it on purpose as
// an implementation independent of the EVP path chap_response takes.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>

#include <numeric>
#include <string>

#include "touchstone/pdu/chap.hpp"

using namespace touchstone::pdu;

namespace {
bytes_view as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// MD5 over the bytes RFC 1994 names, concatenated by hand.
chap_md5_response reference_response(std::uint8_t id, std::string_view secret,
                                     bytes_view challenge) {
  byte_buffer stream{id};
  stream.insert(stream.end(), secret.begin(), secret.end());
  stream.insert(stream.end(), challenge.begin(), challenge.end());
  chap_md5_response out{};
  MD5(stream.data(), stream.size(), out.data());
  return out;
}
}  // namespace

//= rfc1994#section-4.1 type=test
//# The Response Value is the one-way hash calculated over a stream of octets
//# consisting of the Identifier, followed by (concatenated with) the "secret",
//# followed by (concatenated with) the Challenge Value.
TEST_CASE("chap_response is MD5(identifier || secret || challenge)", "[pdu][chap]") {
  byte_buffer challenge(16);
  std::iota(challenge.begin(), challenge.end(), std::uint8_t{0});
  const std::string secret = "secretsecret12";
  auto response = chap_response(0x2a, as_bytes(secret), challenge);
  REQUIRE(response);
  CHECK(*response == reference_response(0x2a, secret, challenge));
  // Computed apart with Python's hashlib over the same bytes.
  CHECK(encode_chap_binary(*response) == "0x9860bd91695fa19d4538a10ade829698");
  // Each input matters.
  CHECK(*chap_response(0x2b, as_bytes(secret), challenge) != *response);
  CHECK(*chap_response(0x2a, as_bytes("secretsecret13"), challenge) != *response);
}

TEST_CASE("chap_response_matches compares in constant time and checks length", "[pdu][chap]") {
  const byte_buffer expected = {1, 2, 3, 4};
  CHECK(chap_response_matches(expected, byte_buffer{1, 2, 3, 4}));
  CHECK_FALSE(chap_response_matches(expected, byte_buffer{1, 2, 3, 5}));
  CHECK_FALSE(chap_response_matches(expected, byte_buffer{1, 2, 3}));
}

//= rfc1994#section-4.1 type=test
//# The Challenge Value MUST be changed each time a Challenge is sent.
TEST_CASE("challenges are random and bounded", "[pdu][chap]") {
  auto a = chap_make_challenge(16);
  auto b = chap_make_challenge(16);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->size() == 16);
  CHECK(*a != *b);
  CHECK(chap_make_challenge(1024));
  CHECK(chap_make_challenge(0).error() == chap_error::empty_challenge);
  CHECK(chap_make_challenge(1025).error() == chap_error::binary_too_long);
  CHECK(chap_make_identifier());
}

//= rfc7143#section-12.1.3 type=test
//# CHAP_A=<A> ... where A is one of A1,A2... that were proposed by the initiator.
TEST_CASE("CHAP_A lists: parse and select MD5", "[pdu][chap]") {
  CHECK(*parse_chap_algorithms("7,5") == std::vector<std::uint64_t>{7, 5});
  CHECK(*select_chap_algorithm("7,5") == chap_algorithm_md5);
  CHECK(*select_chap_algorithm("5") == 5);
  CHECK(select_chap_algorithm("6,7").error() == chap_error::no_supported_algorithm);
  CHECK(select_chap_algorithm("5,x").error() == chap_error::bad_algorithm_list);
  CHECK(parse_chap_algorithms("").error() == chap_error::bad_algorithm_list);
}

//= rfc1994#section-4.1 type=test
//# The Identifier field is one octet
TEST_CASE("CHAP_I is a number 0..255", "[pdu][chap]") {
  CHECK(*parse_chap_identifier("0") == 0);
  CHECK(*parse_chap_identifier("255") == 255);
  CHECK(*parse_chap_identifier("0xff") == 255);
  CHECK(parse_chap_identifier("256").error() == chap_error::identifier_out_of_range);
  CHECK(parse_chap_identifier("x").error() == chap_error::bad_identifier);
}

//= rfc7143#section-12.1.3 type=test
//# Their binary length ... MUST NOT exceed 1024 bytes. Hex or Base64 encoding may be used for C and R
TEST_CASE("CHAP_C and CHAP_R are hex or base64 binaries of at most 1024 bytes", "[pdu][chap]") {
  CHECK(*parse_chap_binary("0x0102") == byte_buffer{1, 2});
  CHECK(*parse_chap_binary("0bAQI=") == byte_buffer{1, 2});
  CHECK(parse_chap_binary("0x" + std::string(2048, 'a')));
  CHECK(parse_chap_binary("0x" + std::string(2050, 'a')).error() == chap_error::binary_too_long);
  CHECK(parse_chap_binary("258").error() == chap_error::bad_binary);
  CHECK(parse_chap_binary("0xzz").error() == chap_error::bad_binary);
  const byte_buffer bytes = {0xab, 0xcd};
  CHECK(*parse_chap_binary(encode_chap_binary(bytes)) == bytes);
}

//= rfc7143#section-9.2.1 type=test
//# Originators MUST NOT reuse the CHAP challenge sent by the responder for the
//# other direction of a bidirectional authentication. Responders MUST check for this condition
TEST_CASE("reflected challenges and weak secrets are detected", "[pdu][chap]") {
  const byte_buffer sent = {1, 2, 3};
  CHECK(chap_challenge_reflected(sent, byte_buffer{1, 2, 3}));
  CHECK_FALSE(chap_challenge_reflected(sent, byte_buffer{1, 2, 4}));
  CHECK(chap_secret_is_strong(as_bytes("123456789012")));
  CHECK_FALSE(chap_secret_is_strong(as_bytes("12345678901")));
  for (auto e : {chap_error::digest_failed, chap_error::random_failed}) CHECK(name(e) != "unknown");
}
