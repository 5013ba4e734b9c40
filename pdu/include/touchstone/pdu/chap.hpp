// The pure CHAP building blocks of RFC 7143 section 12.1.3 and RFC 1994: the
// MD5 response, its constant-time check, random challenges and identifiers,
// and the CHAP_A / CHAP_I / CHAP_C / CHAP_R value syntaxes. The exchange
// itself (who sends what, when) belongs to the target and initiator.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "touchstone/pdu/result.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::pdu {

enum class chap_error : std::uint8_t {
  digest_failed,           // OpenSSL could not compute MD5
  random_failed,           // RAND_bytes failed
  bad_algorithm_list,      // CHAP_A is not a list of numbers
  no_supported_algorithm,  // CHAP_A offers no algorithm we implement (5)
  bad_identifier,          // CHAP_I is not a number
  identifier_out_of_range, // CHAP_I above 255
  bad_binary,              // CHAP_C/CHAP_R not a hex or base64 constant
  binary_too_long,         // CHAP_C/CHAP_R over 1024 bytes
  empty_challenge,         // a zero-length challenge
};

std::string_view name(chap_error e);

//= rfc7143#section-12.1.3
//# For the Algorithm, as stated in [RFC1994], one value is required to be
//# implemented: 5 (CHAP with MD5)
inline constexpr std::uint64_t chap_algorithm_md5 = 5;

//= rfc7143#section-12.1.3
//# Their binary length (not the length of the character string that represents
//# them in encoded form) MUST NOT exceed 1024 bytes.
inline constexpr std::size_t chap_max_binary_length = 1024;

//= rfc7143#section-9.2.1
//# verify that the CHAP secret is at least 96 bits
inline constexpr std::size_t chap_min_strong_secret_length = 12;

inline constexpr std::size_t chap_md5_response_length = 16;
using chap_md5_response = std::array<std::uint8_t, chap_md5_response_length>;

// MD5(identifier || secret || challenge).
result<chap_md5_response, chap_error> chap_response(std::uint8_t identifier, bytes_view secret,
                                                    bytes_view challenge);

// Constant-time comparison of a received CHAP_R with the expected response.
bool chap_response_matches(bytes_view expected, bytes_view received);

// A fresh random challenge of `length` bytes (1..1024) and a random identifier.
result<byte_buffer, chap_error> chap_make_challenge(std::size_t length = 16);
result<std::uint8_t, chap_error> chap_make_identifier();

// A fresh random CHAP secret: `random_bytes` (1..64, default 16: 128 bits)
// from the OpenSSL random generator, written as twice as many lowercase hex
// digits (text that configuration files and initiators take as it is).
result<std::string, chap_error> chap_make_secret(std::size_t random_bytes = 16);

// CHAP_A=<A1,A2...>: the proposed algorithms, in the proposer's order.
result<std::vector<std::uint64_t>, chap_error> parse_chap_algorithms(std::string_view value);
// The first proposed algorithm this library implements (MD5).
result<std::uint64_t, chap_error> select_chap_algorithm(std::string_view value);

// CHAP_I=<I>: a number 0..255.
result<std::uint8_t, chap_error> parse_chap_identifier(std::string_view value);

// CHAP_C / CHAP_R: hex or base64 binary values of at most 1024 bytes.
result<byte_buffer, chap_error> parse_chap_binary(std::string_view value);
std::string encode_chap_binary(bytes_view bytes);  // hex-constant

// Section 9.2.1 checks: a reflected challenge, a weak secret.
bool chap_challenge_reflected(bytes_view challenge_we_sent, bytes_view challenge_received);
bool chap_secret_is_strong(bytes_view secret);

}  // namespace touchstone::pdu
