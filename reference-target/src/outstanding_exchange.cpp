// One Text or Login exchange outstanding at a time (sections 6.2 and 6.3):
// the StatSN of the last Text or Login Response stays outstanding until an
// initiator PDU's ExpStatSN acknowledges it (section 4.2.2.2: "The ExpStatSN
// is used by the initiator to acknowledge status").
#include <algorithm>

#include <fmt/format.h>

#include "touchstone/target/connection.hpp"

namespace touchstone::target {

void connection::exchange_response_sent(std::uint32_t stat_sn) { unacked_exchange_sn_ = stat_sn; }

// Whether a Text or Login Request carrying `exp_stat_sn` came while this
// connection's last Text or Login Response was not acknowledged. It is
// acknowledged by an ExpStatSN past its StatSN, up to one past the next
// StatSN: an initiator that takes the StatSN field of a NOP-In, R2T or
// Data-In (the next StatSN, not advanced) for a status acknowledges one
// more. Further than that acknowledges nothing (a value from before the
// response, far behind it). StatSN not advancing (mutant statsn-frozen)
// counts as one sent. An acknowledgement forgets it.
bool connection::exchange_outstanding(std::uint32_t exp_stat_sn) {
  if (!unacked_exchange_sn_) return false;
  const std::uint32_t sent_since = std::max<std::uint32_t>(stat_sn_ - *unacked_exchange_sn_, 1);
  if (exp_stat_sn - *unacked_exchange_sn_ - 1 <= sent_since) {
    unacked_exchange_sn_.reset();
    return false;
  }
  return true;
}

// A Text Request sent before the initiator acknowledged the last Text
// Response: answering it would put a second Text Response outstanding.
// Answered with a Reject (Protocol Error) unless the leniency
// text-outstanding allows it; the exchange in progress is kept.
bool connection::second_text_outstanding(std::uint32_t exp_stat_sn) {
  //= rfc7143#section-6.2
  //# There MUST NOT be more than one outstanding Text Request, or Text
  //# Response PDU on an iSCSI connection.  An outstanding PDU in this
  //# context is one that has not been acknowledged by the remote iSCSI
  //# side.
  //= rfc7143#section-7.13
  //# All violations of iSCSI PDU exchange sequences specified in this
  //# document are also protocol errors.
  return exchange_outstanding(exp_stat_sn) &&
         !relaxed(text_outstanding_id, fmt::format("ExpStatSN {} does not acknowledge the Text Response "
                                                   "StatSN {}", exp_stat_sn, *unacked_exchange_sn_));
}

// A Login Request sent before the initiator acknowledged the last Login
// Response: the login ends with an initiator error unless the leniency
// login-outstanding allows it.
bool connection::second_login_outstanding(std::uint32_t exp_stat_sn) {
  //= rfc7143#section-6.3
  //# There MUST NOT be more than one outstanding Login Request or Login
  //# Response on an iSCSI connection.  An outstanding PDU in this context
  //# is one that has not been acknowledged by the remote iSCSI side.
  //= rfc7143#section-11.12.9
  //# For subsequent Login Requests, it is used to acknowledge the Login
  //# Responses with their increasing StatSN values.
  // Mutant login-outstanding-answered breaks it: the second request is taken.
  if (mutated(m::login_outstanding_answered)) return false;
  return exchange_outstanding(exp_stat_sn) &&
         !relaxed(login_outstanding_id, fmt::format("ExpStatSN {} does not acknowledge the Login Response "
                                                    "StatSN {}", exp_stat_sn, *unacked_exchange_sn_));
}

}  // namespace touchstone::target
