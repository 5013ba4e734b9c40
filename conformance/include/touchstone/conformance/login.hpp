// Login, done right by default: SecurityNegotiation (AuthMethod None or CHAP,
// one-way or mutual), LoginOperationalNegotiation through the pdu negotiator,
// text continuation, then the Full Feature Phase with the negotiated digests
// and limits in force. Cases that take a wrong step build their own requests
// with login_request() and judge the answers themselves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "touchstone/conformance/session.hpp"
#include "touchstone/pdu/login_request.hpp"
#include "touchstone/pdu/login_response.hpp"
#include "touchstone/pdu/text.hpp"

namespace touchstone::conformance {

struct chap_credentials {
  std::string user;
  std::string secret;
  // Set both for mutual CHAP: the name and secret the target answers with.
  std::string target_user;
  std::string target_secret;
  bool mutual() const { return !target_secret.empty(); }
};

struct login_options {
  std::string initiator_name = "iqn.2024-01.org.touchstone:conform";
  std::string target_name;  // not sent in Discovery sessions
  bool discovery = false;
  // SessionType is Leading Only (RFC 7143 section 13.21): a connection
  // joining a session leaves it out (join_options clears this).
  bool declare_session_type = true;
  std::optional<chap_credentials> chap;  // AuthMethod=CHAP when set, else None
  // Operational offers and declarations, sent in the first operational request.
  pdu::text_pairs operational;
  std::uint64_t isid = 0x80'1234'5600'01;  // random format (T=2)
  std::uint16_t tsih = 0;
  std::uint16_t cid = 0;
  std::uint32_t cmd_sn = 1;
  bool security_stage = true;  // begin in SecurityNegotiation
  // Declared unless `operational` declares it already.
  std::uint32_t max_recv_data_segment_length = 262144;
  // Fail the login on the first negotiation error in the target's text
  // (otherwise the error is recorded in problems and the key left as it was).
  bool strict_negotiation = false;
  int max_exchanges = 24;  // request/response pairs before giving up
};

enum class login_ending : std::uint8_t {
  success,    // the Final-Response with status 0: the Full Feature Phase
  status,     // a Login Response with a non-zero status
  protocol,   // the target broke the login protocol (wrong PDU, bad text, ...)
  transport,  // the connection closed, broke or went silent
};

std::string_view name(login_ending e);

struct login_outcome {
  login_ending how = login_ending::transport;
  pdu::login_status status = pdu::login_status::success;
  std::vector<pdu::pdu> requests;   // every Login Request sent
  std::vector<pdu::pdu> responses;  // every Login Response received
  pdu::session_parameters params;   // the negotiated values (on success)
  std::vector<std::string> problems;  // negotiation errors noted on the way
  std::string detail;               // why the login ended as it did
  observation last;                 // the last observation

  bool ok() const { return how == login_ending::success; }
  // "status 0x0203 (not_found)", "connection closed: ...": for messages.
  std::string summary() const;
  // The key=value pairs of every response, in order.
  pdu::text_pairs response_pairs() const;
};

// A whole login on a connected session; on success the session is in the
// Full Feature Phase with its numbering set from the Final-Response.
login_outcome login(session& s, const login_options& o);

// InitiatorName, SessionType and (Normal sessions) TargetName.
pdu::text_pairs identity_keys(const login_options& o);

// A Login Request with ISID, TSIH, CID, CmdSN, ExpStatSN and a fresh ITT
// from o and s, CSG=SecurityNegotiation, T=0 and no text: change anything.
pdu::login_request_builder login_request(session& s, const login_options& o);

// The value of key in pairs (the last one), or nullopt.
std::optional<std::string> find_value(const pdu::text_pairs& pairs, std::string_view key);

// Parses a Login/Text PDU's data segment (empty text for an empty segment).
pdu::text_pairs pairs_of(const pdu::pdu& p);

}  // namespace touchstone::conformance
