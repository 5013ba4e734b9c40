// The dispatch table: {phase, opcode} -> handler. Every PDU enters here; a
// PDU without a row for the current phase is refused in refuse(), the one
// place that knows what each phase answers to a PDU it does not accept.
#include <algorithm>
#include <array>

#include <spdlog/spdlog.h>

#include "touchstone/pdu/all.hpp"
#include "touchstone/target/connection.hpp"
#include "mutant_hooks.hpp"

namespace touchstone::target {

using pdu::opcode;

std::span<const connection::phase_row> connection::phase_table() {
  static constexpr std::array rows{
      //= rfc7143#section-4.2.4
      //# On any connection, the Login Phase MUST immediately follow TCP connection establishment
      phase_row{phase::awaiting_login, opcode::login_request, &connection::on_login_request, false},
      phase_row{phase::login, opcode::login_request, &connection::on_login_request, false},

      phase_row{phase::ffp_normal, opcode::scsi_command, &connection::on_scsi_command, true},
      phase_row{phase::ffp_normal, opcode::data_out, &connection::on_data_out, false},
      phase_row{phase::ffp_normal, opcode::nop_out, &connection::on_nop_out, true},
      phase_row{phase::ffp_normal, opcode::text_request, &connection::on_text_request, true},
      phase_row{phase::ffp_normal, opcode::logout_request, &connection::on_logout_request, true},
      phase_row{phase::ffp_normal, opcode::task_mgmt_request, &connection::on_task_mgmt_request, true},
      phase_row{phase::ffp_normal, opcode::snack, &connection::on_snack, false},

      //= rfc7143#section-4.3
      //# The target MUST ONLY accept Text Requests with the SendTargets key and a
      //# Logout Request with reason "close the session".  All other requests MUST be rejected.
      phase_row{phase::ffp_discovery, opcode::text_request, &connection::on_text_request, true},
      phase_row{phase::ffp_discovery, opcode::logout_request, &connection::on_logout_request, true},
  };
  return rows;
}

void connection::dispatch(const pdu::pdu& p) {
  if (answered_by_mutant(p)) return;
  if (!screen(p)) return;
  const auto rows = phase_table();
  const auto row = std::find_if(rows.begin(), rows.end(), [&](const phase_row& r) {
    return r.phase == phase_ && pdu::is_defined(p.header().raw_opcode()) && r.op == p.op();
  });
  if (row == rows.end()) return refuse(p);
  if (row->numbered && !admit_command(p)) return;
  //= rfc7143#section-11
  //# Any compliant receiver MUST
  //# ignore any bit not defined and all reserved fields unless specified
  //# otherwise.
  // Mutant reject-instead-of-ignore-reserved breaks it: a request whose
  // reserved bytes 2-3 (reserved in every Full Feature Phase request) are not
  // zero is rejected (a Text Request's 32-47 too: text_continuation.cpp).
  if (mutated(m::reject_instead_of_ignore_reserved) && !p.header().zero(2, 4))
    send_reject(p, pdu::reject_reason::protocol_error, "rfc7143#section-11/reserved");
  else
    (this->*(row->run))(p);
  if (row->numbered) run_queued_commands();
  advance_tmf();
}

// Two mutants answer what screen() refuses, so they come before it.
bool connection::answered_by_mutant(const pdu::pdu& p) {
  if (phase_ != phase::ffp_normal) return false;
  //= rfc7143#section-11.2.1.2
  //# Initiators MUST NOT use target Opcodes, and targets MUST NOT use
  //# initiator Opcodes.
  // Mutant target-opcode-as-initiator reads the opcode's low five bits only:
  // a NOP-In (0x20) sent to the target is answered as a NOP-Out ping.
  if (mutated(m::target_opcode_as_initiator) && p.header().raw_opcode() == 0x20) {
    on_nop_out(p);
    return true;
  }
  //= rfc7143#section-11.6.1
  //# 5 - Task management function not supported
  // Mutant tmf-unassigned-function-complete breaks it: Function complete.
  if (mutated(m::tmf_unassigned_function_complete) && p.op() == opcode::task_mgmt_request &&
      !pdu::is_assigned(pdu::task_mgmt_request_view(p).function())) {
    send_tmf_response(p, 0);
    return true;
  }
  return false;
}

// The validator's verdict: reserved fields are logged and ignored; a broken
// MUST is answered here (false: the PDU goes no further).
bool connection::screen(const pdu::pdu& p) {
  bool fatal = false;
  std::string_view first;
  for (const auto& v : pdu::validate(p)) {
    //= rfc7143#section-11
    //# Any compliant receiver MUST ignore any bit not defined and all reserved
    //# fields unless specified otherwise.
    note(v.requirement, std::string(v.summary));
    //= rfc7143#section-11
    //# Receipt of reserved code values in defined fields MUST be reported as a
    //# protocol error.
    if (v.level == pdu::severity::protocol_error && !fatal) {
      fatal = true;
      first = v.requirement;
    }
  }
  if (!fatal) return true;
  // An opcode the codec does not define is refused by the table (Reject 0x05
  // in the Full Feature Phase), not as a field error.
  if (!pdu::is_defined(p.header().raw_opcode())) return true;
  if (phase_ == phase::awaiting_login || phase_ == phase::login) {
    login_reject({login_status_for(p, first), first});
  } else {
    //= rfc7143#section-7.7
    //# When a target or an initiator receives an iSCSI PDU with a format error,
    //# it MUST immediately terminate all transport connections in the session
    //# with either a connection close or a connection reset, and escalate the
    //# format error to session recovery
    // The session's other connections end too (logout_connections.cpp).
    if (session_ && phase_ == phase::ffp_normal) logout_other_connections();
    close("format error: " + std::string(first));
  }
  return false;
}

void connection::refuse(const pdu::pdu& p) {
  const auto code = p.header().raw_opcode();
  switch (phase_) {
    case phase::awaiting_login:
      //= rfc7143#section-4.2.4
      //# A target receiving any PDU except a Login Request before the Login
      //# Phase is started MUST immediately terminate the connection
      note("rfc7143#section-4.2.4/login-first", std::string(pdu::code_name(code)));
      // Mutant pdu-before-login-answered breaks it: a Login reject goes first.
      if (mutated(m::pdu_before_login_answered))
        send(login_failure_response(pdu::login_status::invalid_during_login, {}));
      return close("PDU before login");
    case phase::login:
      return login_reject_invalid(p);
    case phase::ffp_discovery:
      //= rfc7143#section-13.21
      //# The only requests a target accepts in
      //# this type of session are a Text Request with a SendTargets key and a
      //# Logout Request with reason "close the session".
      // Mutant discovery-scsi-command-answered breaks it: a SCSI Command
      // gets a SCSI Response with GOOD (nothing is executed).
      if (mutated(m::discovery_scsi_command_answered) && p.op() == pdu::opcode::scsi_command)
        return send(pdu::scsi_response_builder{}
                        .initiator_task_tag(p.header().initiator_task_tag())
                        .stat_sn(take_stat_sn())
                        .exp_cmd_sn(window().exp_cmd_sn())
                        .max_cmd_sn(window().max_cmd_sn())
                        .build());
      //= rfc7143#section-4.3
      //# All other requests MUST be rejected.
      return send_reject(p, pdu::reject_reason::command_not_supported,
                         "rfc7143#section-4.3/discovery-only-sendtargets-logout");
    case phase::ffp_normal:
      break;
    case phase::closing:
      return;
  }
  if (pdu::is_target_code(code)) {
    //= rfc7143#section-11.2.1.2
    //# Initiators MUST NOT use target Opcodes
    return send_reject(p, pdu::reject_reason::protocol_error, "rfc7143#section-11.2.1.2");
  }
  if (code == static_cast<std::uint8_t>(opcode::login_request)) {
    //= rfc7143#section-4.2.4
    //# Login Requests and Responses MUST be used exclusively during login.
    //= rfc7143#section-4.2.4
    //# a subsequent Login Phase MUST NOT occur before tearing down the connection.
    return send_reject(p, pdu::reject_reason::protocol_error, "rfc7143#section-4.2.4/one-login");
  }
  //= rfc7143#section-11.17.1
  //# 0x05 Command not supported
  send_reject(p, pdu::reject_reason::command_not_supported, "rfc7143#section-11.17.1/not-supported");
}

bool connection::admit_command(const pdu::pdu& p) {
  // Every numbered request carries its CmdSN at byte 24 (11.3, 11.5, 11.10, 11.14, 11.18).
  const std::uint32_t cmd_sn = p.header().u32(24);
  //= rfc7143#section-4.2.2.1
  //# the iSCSI target layer MUST deliver the commands for execution in the
  //# order specified by the CmdSN.
  // Mutant nop-stalls-next-command breaks it: the command after a
  // non-immediate ping is taken (ExpCmdSN advances) but never delivered.
  if (stall_next_command_ && !p.header().immediate() && p.op() != pdu::opcode::nop_out) {
    stall_next_command_ = false;
    (void)window().admit(p, false, cmd_sn);
    return false;
  }
  //= rfc7143#section-4.2.2.1
  //# The number of commands used for immediate delivery is not limited,
  //# and their delivery to execution is not acknowledged through the
  //# numbering scheme.
  // Mutant immediate-acknowledged breaks it: an immediate command carrying
  // ExpCmdSN is numbered as a non-immediate one (ExpCmdSN advances past it).
  const bool immediate =
      p.header().immediate() && !(mutated(m::immediate_acknowledged) && cmd_sn == window().exp_cmd_sn());
  //= rfc7143#section-4.2.2.2
  //# Initiators and targets MUST support the response-numbering scheme.
  // Mutant exp-stat-sn-lag-rejected breaks it: a lagging ExpStatSN is refused.
  if (exp_stat_sn_lag_refused(node_->config.mutants, p, stat_sn_)) {
    send_reject(p, pdu::reject_reason::protocol_error, "target/mutant-exp-stat-sn-lag");
    return false;
  }
  //= rfc7143#section-4.2.2.1
  //# Comparisons and arithmetic
  //# on CmdSNs use Serial Number Arithmetic as defined in [RFC1982] where
  //# SERIAL_BITS = 32.
  // Mutant cmdsn-plain-arithmetic breaks it: the window by plain comparison.
  if (!immediate && outside_plain_window(node_->config.mutants, window().exp_cmd_sn(), window().max_cmd_sn(), cmd_sn))
    return false;
  switch (window().admit(p, immediate, cmd_sn)) {
    case cmdsn_window::verdict::deliver: return true;
    case cmdsn_window::verdict::queued: note_queued_here(cmd_sn); return false;
    case cmdsn_window::verdict::out_of_window:
    case cmdsn_window::verdict::duplicate:
      //= rfc7143#section-4.2.2.1
      //# The target MUST silently ignore any non-immediate command outside of
      //# this range or non-immediate duplicates within the range.
      note("rfc7143#section-4.2.2.1/cmdsn-outside-window",
           fmt::format("CmdSN {} ignored (ExpCmdSN {}, MaxCmdSN {})", cmd_sn,
                       window().exp_cmd_sn(), window().max_cmd_sn()));
      return false;
  }
  return false;
}

}  // namespace touchstone::target
