// A logout the target asks for, e.g. on shutdown: Async Message "Logout
// Request" with its Parameter3 deadline, then "Connection Drop Notification"
// and the close if the initiator has not logged out (section 11.9.1).
#include <spdlog/spdlog.h>

#include "touchstone/pdu/async_message.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::target {

void connection::request_logout(clock::time_point now, std::chrono::seconds within) {
  if (phase_ != phase::ffp_normal && phase_ != phase::ffp_discovery) {
    if (phase_ != phase::closing) close("target shutting down");
    return;
  }
  if (logout_deadline_) return;
  const auto seconds = static_cast<std::uint16_t>(std::min<std::int64_t>(within.count(), 0xffff));
  logout_deadline_ = now + std::chrono::seconds(seconds);
  pdu::async_message_builder b;
  //= rfc7143#section-11.9.1
  //# This Async Message MUST be sent on the same connection as the one
  //# requesting to be logged out.
  //= rfc7143#section-11.9.1
  //# This value of AsyncEvent, however, MUST NOT be used on an iSCSI session
  //# unless the new TaskReporting text key defined in Section 13.23 was
  //# negotiated to FastAbort on the session.
  // This connection's own request (one connection per session), and the
  // only events the target sends are 1 (here) and 2 (logout_tick), never 5.
  b.event(pdu::async_event::logout_request)
      //= rfc7143#section-11.9
      //# The StatSN counts this PDU as an acknowledgeable event (the StatSN is advanced)
      .stat_sn(take_stat_sn())
      .exp_cmd_sn(window().exp_cmd_sn())
      .max_cmd_sn(window().max_cmd_sn())
      //= rfc7143#section-11.9.1
      //# The initiator MUST honor this request by issuing a Logout as early as
      //# possible but no later than Parameter3 seconds.
      .parameter3(seconds);
  send(b.build());
}

void connection::logout_tick(clock::time_point now) {
  if (!logout_deadline_ || now < *logout_deadline_ || phase_ == phase::closing) return;
  //= rfc7143#section-11.9.1
  //# If the initiator does not log out in Parameter3 seconds, the target
  //# should send an Async PDU with iSCSI event code "Dropped the connection"
  //# if possible or simply terminate the transport connection.
  pdu::async_message_builder b;
  b.event(pdu::async_event::connection_drop)
      .stat_sn(take_stat_sn())
      .exp_cmd_sn(window().exp_cmd_sn())
      .max_cmd_sn(window().max_cmd_sn())
      .parameter1(cid_)
      .parameter2(static_cast<std::uint16_t>(session_params().default_time2wait))
      .parameter3(0);  // Time2Retain 0: the outstanding commands are ended now
  send(b.build());
  note("target/logout-request-ignored", "no Logout within Parameter3 seconds");
  close("no Logout after the target's Logout Request");
}

}  // namespace touchstone::target
