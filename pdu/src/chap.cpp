#include "touchstone/pdu/chap.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

#include "touchstone/pdu/text_values.hpp"

namespace touchstone::pdu {

std::string_view name(chap_error e) {
  switch (e) {
    case chap_error::digest_failed: return "digest_failed";
    case chap_error::random_failed: return "random_failed";
    case chap_error::bad_algorithm_list: return "bad_algorithm_list";
    case chap_error::no_supported_algorithm: return "no_supported_algorithm";
    case chap_error::bad_identifier: return "bad_identifier";
    case chap_error::identifier_out_of_range: return "identifier_out_of_range";
    case chap_error::bad_binary: return "bad_binary";
    case chap_error::binary_too_long: return "binary_too_long";
    case chap_error::empty_challenge: return "empty_challenge";
  }
  return "unknown";
}

namespace {
struct md_ctx_free {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
}  // namespace

//= rfc1994#section-4.1
//# The Response Value is the one-way hash calculated over a stream of octets
//# consisting of the Identifier, followed by (concatenated with) the "secret",
//# followed by (concatenated with) the Challenge Value.
result<chap_md5_response, chap_error> chap_response(std::uint8_t identifier, bytes_view secret,
                                                    bytes_view challenge) {
  std::unique_ptr<EVP_MD_CTX, md_ctx_free> ctx(EVP_MD_CTX_new());
  chap_md5_response out{};
  unsigned int length = 0;
  const bool computed = ctx && EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) == 1 &&
                        EVP_DigestUpdate(ctx.get(), &identifier, 1) == 1 &&
                        EVP_DigestUpdate(ctx.get(), secret.data(), secret.size()) == 1 &&
                        EVP_DigestUpdate(ctx.get(), challenge.data(), challenge.size()) == 1 &&
                        EVP_DigestFinal_ex(ctx.get(), out.data(), &length) == 1;
  if (!computed || length != out.size()) return fail(chap_error::digest_failed);
  return out;
}

//= rfc1994#section-4.1
//# the authenticator compares the Response Value with its own calculation of
//# the expected value.
// CRYPTO_memcmp keeps the comparison time independent of where bytes differ.
bool chap_response_matches(bytes_view expected, bytes_view received) {
  return expected.size() == received.size() &&
         CRYPTO_memcmp(expected.data(), received.data(), expected.size()) == 0;
}

//= rfc1994#section-4.1
//# The Challenge Value MUST be changed each time a Challenge is sent.
result<byte_buffer, chap_error> chap_make_challenge(std::size_t length) {
  if (length == 0) return fail(chap_error::empty_challenge);
  if (length > chap_max_binary_length) return fail(chap_error::binary_too_long);
  byte_buffer challenge(length);
  if (RAND_bytes(challenge.data(), static_cast<int>(length)) != 1) {
    return fail(chap_error::random_failed);
  }
  return challenge;
}

//= rfc1994#section-4.1
//# The Identifier field is one octet ... MUST be changed each time a Challenge is sent.
result<std::uint8_t, chap_error> chap_make_identifier() {
  std::uint8_t identifier = 0;
  if (RAND_bytes(&identifier, 1) != 1) return fail(chap_error::random_failed);
  return identifier;
}

//= rfc7143#section-12.1.3
//# CHAP_A=<A1,A2...> where A1,A2... are proposed algorithms, in order of preference.
result<std::vector<std::uint64_t>, chap_error> parse_chap_algorithms(std::string_view value) {
  auto items = split_list(value);
  if (!items) return fail(chap_error::bad_algorithm_list);
  std::vector<std::uint64_t> algorithms;
  for (const auto item : *items) {
    auto number = parse_number(item);
    if (!number) return fail(chap_error::bad_algorithm_list);
    algorithms.push_back(*number);
  }
  return algorithms;
}

//= rfc7143#section-12.1.3
//# CHAP_A=<A> ... where A is one of A1,A2... that were proposed by the initiator.
result<std::uint64_t, chap_error> select_chap_algorithm(std::string_view value) {
  auto algorithms = parse_chap_algorithms(value);
  if (!algorithms) return fail(algorithms.error());
  for (const auto algorithm : *algorithms) {
    if (algorithm == chap_algorithm_md5) return algorithm;
  }
  return fail(chap_error::no_supported_algorithm);
}

//= rfc1994#section-4.1
//# The Identifier field is one octet
result<std::uint8_t, chap_error> parse_chap_identifier(std::string_view value) {
  auto number = parse_number(value);
  if (!number) return fail(chap_error::bad_identifier);
  if (*number > 255) return fail(chap_error::identifier_out_of_range);
  return static_cast<std::uint8_t>(*number);
}

//= rfc7143#section-12.1.3
//# C and R are binary-values. ... Hex or Base64 encoding may be used for C and R
result<byte_buffer, chap_error> parse_chap_binary(std::string_view value) {
  auto bytes = parse_binary(value, chap_max_binary_length);
  if (bytes) return std::move(bytes).value();
  return fail(bytes.error() == value_error::binary_too_long ? chap_error::binary_too_long
                                                            : chap_error::bad_binary);
}

std::string encode_chap_binary(bytes_view bytes) { return encode_hex(bytes); }

//= rfc7143#section-9.2.1
//# Originators MUST NOT reuse the CHAP challenge sent by the responder for the
//# other direction of a bidirectional authentication. Responders MUST check for
//# this condition
//= rfc7143#section-9.2.1
//# Implementations MUST support the
//# use of up to 128-bit random CHAP secrets, including the means to
//# generate such secrets and to accept them from an external generation
//# source.
//= rfc7143#section-9.2.1
//# Implementations MUST NOT provide secret generation (or
//# expansion) means other than random generation.
// The only generator there is: random bytes, hex-written (no expansion, no
// derivation from a password). Secrets from elsewhere come in through the
// configuration (--chap, "chap" in the config file) as they are.
result<std::string, chap_error> chap_make_secret(std::size_t random_bytes) {
  if (random_bytes == 0 || random_bytes > 64) return fail(chap_error::binary_too_long);
  byte_buffer bytes(random_bytes);
  if (RAND_bytes(bytes.data(), static_cast<int>(random_bytes)) != 1) return fail(chap_error::random_failed);
  static constexpr char digits[] = "0123456789abcdef";
  std::string secret;
  for (const auto b : bytes) {
    secret.push_back(digits[b >> 4]);
    secret.push_back(digits[b & 0xf]);
  }
  return secret;
}

bool chap_challenge_reflected(bytes_view challenge_we_sent, bytes_view challenge_received) {
  return chap_response_matches(challenge_we_sent, challenge_received);
}

//= rfc7143#section-9.2.1
//# A compliant implementation SHOULD NOT continue with the login step in which
//# it should send a CHAP response ... unless it can verify that the CHAP secret
//# is at least 96 bits
bool chap_secret_is_strong(bytes_view secret) {
  return secret.size() >= chap_min_strong_secret_length;
}

}  // namespace touchstone::pdu
