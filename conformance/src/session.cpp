// The session: numbering, validation and ping answers around the connection.
#include "touchstone/conformance/session.hpp"

#include <algorithm>

#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/serial.hpp"

namespace touchstone::conformance {

deadline timing::after(milliseconds d) const { return std::min(clock::now() + d, hard); }

session::session(endpoint where, const timing& times) : where_(std::move(where)), times_(times) {}

std::error_code session::connect() { return wire_.connect(where_, times_.after(times_.wait)); }

void session::enter_full_feature(const pdu::session_parameters& negotiated) {
  params_ = negotiated;
  full_feature_ = true;
  const pdu::digest_config digests{negotiated.header_digest == pdu::digest_type::crc32c,
                                   negotiated.data_digest == pdu::digest_type::crc32c};
  wire_.set_send_digests(digests);
  wire_.set_receive_limits({digests, negotiated.max_recv_data_segment_length});
}

std::error_code session::send(const pdu::pdu& p) { return send_bytes(wire_.encode(p)); }

// A target that has closed or reset the connection (a broken pipe, a reset
// while writing) has answered: the case reads that close from next() and
// judges it by its clause, as when the close is read before the write. Only
// our own failures to send (a deadline, no connection) are errors.
std::error_code session::send_bytes(pdu::bytes_view bytes) {
  const auto ec = wire_.send_bytes(bytes, times_.after(times_.wait));
  return ended_by_target(ec) ? std::error_code{} : ec;
}

//= rfc7143#section-4.2.2.2
//# Responses in transit from the target to the initiator are numbered.
bool advances_stat_sn(const pdu::pdu& p) {
  using pdu::opcode;
  switch (p.op()) {
    case opcode::scsi_response: case opcode::text_response: case opcode::logout_response:
    case opcode::reject: case opcode::task_mgmt_response: case opcode::login_response:
    case opcode::async_message:
      return true;
    case opcode::data_in:
      return pdu::data_in_view(p).has_status();
    //= rfc7143#section-11.19.2
    //# when the Initiator Task Tag is set to 0xffffffff, the StatSN for the
    //# connection is not advanced after this PDU is sent.
    case opcode::nop_in:
      return p.header().initiator_task_tag() != pdu::reserved_tag;
    default:
      return false;
  }
}

bool carries_window(const pdu::pdu& p) {
  using pdu::opcode;
  switch (p.op()) {
    case opcode::scsi_response: case opcode::text_response: case opcode::logout_response:
    case opcode::reject: case opcode::task_mgmt_response: case opcode::login_response:
    case opcode::async_message: case opcode::data_in: case opcode::nop_in: case opcode::r2t:
      return true;
    default:
      return false;
  }
}

void session::track(const pdu::pdu& p) {
  const auto h = p.header();
  if (advances_stat_sn(p)) {
    const auto stat_sn = h.u32(24);
    stat_sns_.push_back(stat_sn);
    exp_stat_sn_ = stat_sn + 1;
  }
  if (carries_window(p)) {
    //= rfc7143#section-4.2.2.1
    //# MaxCmdSN and ExpCmdSN fields are processed by the initiator as
    //# follows:
    //#
    //#    - If the PDU MaxCmdSN is less than the PDU ExpCmdSN - 1 (in a
    //#      Serial Number Arithmetic sense), they are both ignored.
    //#
    //#    - If the PDU MaxCmdSN is greater than the local MaxCmdSN (in a
    //#      Serial Number Arithmetic sense), it updates the local MaxCmdSN;
    //#      otherwise, it is ignored.
    //#
    //#    - If the PDU ExpCmdSN is greater than the local ExpCmdSN (in a
    //#      Serial Number Arithmetic sense), it updates the local ExpCmdSN;
    //#      otherwise, it is ignored.
    const pdu::serial exp{h.u32(28)}, max{h.u32(32)};
    if (!pdu::window_legal(exp, max)) return;
    auto& n = *numbering_;
    if (exp > pdu::serial{n.exp_cmd_sn} || p.op() == pdu::opcode::login_response) n.exp_cmd_sn = exp.value();
    if (max > pdu::serial{n.max_cmd_sn} || p.op() == pdu::opcode::login_response) n.max_cmd_sn = max.value();
  }
}

void session::check(const pdu::pdu& p) {
  if (!validate) return;
  for (const auto& v : pdu::validate(p)) violations_.push_back({v, describe(p)});
  //= rfc7143#section-11.9.1
  //# This value of AsyncEvent, however, MUST NOT be used on an
  //# iSCSI session unless the new TaskReporting text key defined in
  //# Section 13.23 was negotiated to FastAbort on the session.
  // Every Async Message any case reads is checked (AsyncEvent 5, Task
  // Termination); the Login Phase has none, so params_ is the session's.
  if (p.op() == pdu::opcode::async_message &&
      pdu::async_message_view(p).event() == pdu::async_event::task_termination &&
      params_.task_reporting != pdu::task_reporting_mode::fast_abort)
    violations_.push_back({{"rfc7143#section-11.9.1/task-termination-needs-fastabort", pdu::severity::protocol_error,
                            "AsyncEvent 5 (Task Termination) without TaskReporting=FastAbort"},
                           describe(p)});
}

//= rfc7143#section-11.18
//# Upon receipt of a NOP-In with the Target Transfer Tag set to a valid
//# value (not the reserved value 0xffffffff), the initiator MUST respond
//# with a NOP-Out.  In this case, the NOP-Out Target Transfer Tag MUST
//# contain a copy of the NOP-In Target Transfer Tag.
bool session::answered_ping(const pdu::pdu& p) {
  if (!answer_pings || p.op() != pdu::opcode::nop_in) return false;
  const pdu::nop_in_view ping(p);
  // A NOP-In with our ITT answers our NOP-Out, whatever its TTT: it goes to
  // the case (nop.reply.ttt-reserved judges a TTT that is not 0xffffffff),
  // not answered as a target's ping (mutant nop-ttt-not-reserved).
  if (!ping.is_ping_request() || ping.initiator_task_tag() != pdu::reserved_tag) return false;
  const auto reply = pdu::nop_out_builder{}
                         .immediate()
                         .target_transfer_tag(ping.target_transfer_tag())
                         .lun(ping.lun())
                         .cmd_sn(numbering_->cmd_sn)
                         .exp_stat_sn(exp_stat_sn_)
                         .build();
  (void)send(reply);
  return true;
}

observation session::next(deadline until) {
  for (;;) {
    auto seen = wire_.receive(std::min(until, times_.hard));
    if (seen.what == observed::pdu || seen.what == observed::data_digest_error) {
      if (keep_history) received_.push_back(seen.received);
      track(seen.received);
      check(seen.received);
      if (keep_history) last_seen_ = seen.describe();
      if (seen.what == observed::pdu && answered_ping(seen.received) && !show_answered_pings) continue;
      return seen;
    }
    if (seen.what != observed::timeout) last_seen_ = seen.describe();
    return seen;
  }
}

observation session::expect_pdu(milliseconds within) { return next(times_.after(within)); }

observation session::expect_close(milliseconds within) {
  const auto until = times_.after(within);
  for (;;) {
    auto seen = next(until);
    if (!seen.is_pdu() && seen.what != observed::data_digest_error) return seen;
  }
}

observation session::expect_silence(milliseconds quiet) { return next(times_.after(quiet)); }

}  // namespace touchstone::conformance
