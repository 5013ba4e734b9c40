// The state of a connection's Login Phase (RFC 7143 section 6.3), as its own
// type: a connection holds one from its TCP connection until it enters the
// Full Feature Phase, and discards it there (connection::enter_full_feature).
// Nothing after login reads it, so the Full Feature Phase state never sits
// beside login flags, and a connection in the Full Feature Phase (a fuzz
// harness's post-login snapshot too) carries no negotiator, CHAP state or
// text assembler. The login table (login_table.cpp) is keyed by `state`.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "touchstone/pdu/negotiation.hpp"
#include "touchstone/pdu/pdu.hpp"
#include "touchstone/pdu/session_parameters.hpp"
#include "touchstone/pdu/text.hpp"
#include "touchstone/target/chap_authenticator.hpp"
#include "touchstone/target/session_directory.hpp"

namespace touchstone::target {

using clock = std::chrono::steady_clock;

// Login stages as the login table sees them.
enum class login_state : std::uint8_t { start, security, operational };

struct login_context {
  explicit login_context(clock::time_point login_deadline) : deadline(login_deadline) {}

  login_state state = login_state::start;
  // limits.login_timeout after the TCP connection: the login ends by then.
  clock::time_point deadline;
  // The first Login Request's header: it names the session (ISID, TSIH,
  // CID, ITT) and later requests must repeat it (login_checks.cpp).
  pdu::bhs_bytes first_request{};
  // The names and session type of the first request text, then what the
  // negotiation agreed: the session's values and the connection's keys
  // once the login ends.
  pdu::session_parameters params;
  std::optional<pdu::negotiator> negotiator;
  pdu::text_assembler text;  // a request text split with the C bit
  bool first_text_done = false;
  bool tpgt_sent = false;
  bool mrdsl_declared = false;
  bool security_done = false;
  std::optional<chap_authenticator> chap;
  // The session a non-leading login joins (connection reinstatement).
  std::optional<live_session> joining;
  // ... as a new connection (a CID not in the session: section 6.3.1's
  // "add a new connection to the session"), not a reinstatement.
  bool adds_connection = false;
};

}  // namespace touchstone::target
