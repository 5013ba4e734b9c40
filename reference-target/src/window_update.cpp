// MaxCmdSN updates (RFC 7143 sections 4.2.2.1, 11.4.11, 11.19): the command
// window opens when a task ends; a response usually carries the new MaxCmdSN,
// and when nothing goes out (a task dropped by a TMF, a slot freed while the
// initiator waits on a closed window) a NOP-In carries it.
#include "touchstone/pdu/nop_in.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::target {

void connection::announce_window() {
  if (phase_ != phase::ffp_normal && phase_ != phase::ffp_discovery) return;
  if (advertised_max_cmd_sn_ == window().max_cmd_sn()) return;
  // A command being executed will send its status, which carries MaxCmdSN.
  if (session_->any_task([](const task& t) { return t.executing; })) return;
  //= rfc7143#section-11.4.11
  //# When the MaxCmdSN changes at the target while the target has no pending
  //# PDUs to convey this information to the initiator, it MUST generate a
  //# NOP-In to carry the new MaxCmdSN.
  pdu::nop_in_builder b;
  //= rfc7143#section-11.19
  //# when a target sends a NOP-In that is not a response to a NOP-Out received
  //# from the initiator, the Initiator Task Tag MUST be set to 0xffffffff, and
  //# the data segment MUST NOT contain any data
  b.initiator_task_tag(pdu::reserved_tag)
      //= rfc7143#section-11.19.1
      //# If the target is initiating a NOP-In without wanting to receive a
      //# corresponding NOP-Out, this field MUST hold the reserved value 0xffffffff.
      .target_transfer_tag(pdu::reserved_tag)
      //= rfc7143#section-11.19.2
      //# when the Initiator Task Tag is set to 0xffffffff, the StatSN for the
      //# connection is not advanced after this PDU is sent.
      .stat_sn(stat_sn_)
      .exp_cmd_sn(window().exp_cmd_sn())
      .max_cmd_sn(window().max_cmd_sn());
  send(b.build());
}

}  // namespace touchstone::target
