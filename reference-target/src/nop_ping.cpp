// NOP-In pings from the target (sections 11.18, 11.19): a quiet connection
// is pinged, and one that does not answer within the timeout is dropped.
#include <spdlog/spdlog.h>

#include "touchstone/pdu/nop_in.hpp"
#include "touchstone/pdu/nop_out.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::target {

void connection::set_nop_ping(std::chrono::milliseconds interval, std::chrono::milliseconds timeout) {
  ping_interval_ = interval;
  ping_timeout_ = timeout;
}

void connection::ping_tick(clock::time_point now) {
  if (phase_ != phase::ffp_normal && phase_ != phase::ffp_discovery) return;
  if (ping_interval_.count() <= 0) return;
  if (ping_) {
    if (now - ping_->sent_at < ping_timeout_) return;
    note("target/nop-in-timeout", fmt::format("no NOP-Out for the ping with TTT {:#x}", ping_->ttt));
    ping_.reset();
    return close("NOP-In ping unanswered");
  }
  if (now - last_heard_ < ping_interval_) return;
  send_ping(now);
}

// A NOP-In ping: its NOP-Out answer carries the initiator's ExpStatSN (what
// tmf_awaits_acknowledgement waits for) and ends the wait ping_tick times.
void connection::send_ping(clock::time_point now) {
  if (next_ttt_ == pdu::reserved_tag) next_ttt_ = 1;
  ping_ = outstanding_ping{next_ttt_++, now};
  pdu::nop_in_builder b;
  b.initiator_task_tag(pdu::reserved_tag)
      //= rfc7143#section-11.19.1
      //# If the target is sending a NOP-In as a ping (intending to receive a
      //# corresponding NOP-Out), this field is set to a valid value
      .target_transfer_tag(ping_->ttt)
      //= rfc7143#section-11.19.3
      //# A LUN MUST be set to a correct value when the Target Transfer Tag is valid
      .lun(0)
      //= rfc7143#section-11.19.2
      //# when the Initiator Task Tag is set to 0xffffffff, the StatSN for the
      //# connection is not advanced after this PDU is sent.
      .stat_sn(stat_sn_)
      .exp_cmd_sn(window().exp_cmd_sn())
      .max_cmd_sn(window().max_cmd_sn());
  send(b.build());
}

//= rfc7143#section-11.18.2
//# The NOP-Out MUST only have the Target Transfer Tag set if it is issued in
//# response to a NOP-In with a valid Target Transfer Tag.
bool connection::answer_to_ping(const pdu::pdu& nop_out) {
  const pdu::nop_out_view v(nop_out);
  if (!ping_ || v.target_transfer_tag() != ping_->ttt) return false;
  ping_.reset();
  return true;
}

}  // namespace touchstone::target
