// NOP-Out, Text (SendTargets) and Logout in the Full Feature Phase.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "touchstone/pdu/keys.hpp"
#include "touchstone/pdu/logout_request.hpp"
#include "touchstone/pdu/logout_response.hpp"
#include "touchstone/pdu/nop_in.hpp"
#include "touchstone/pdu/nop_out.hpp"
#include "touchstone/pdu/snack.hpp"
#include "touchstone/pdu/text_request.hpp"
#include "touchstone/pdu/text_response.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::target {

void connection::on_nop_out(const pdu::pdu& p) {
  const pdu::nop_out_view v(p);
  if (v.is_ping_request()) {
    //= rfc7143#section-11.18.1
    //# When a target receives the NOP-Out with a valid Initiator Task Tag, it
    //# MUST respond with a NOP-In Response
    //= rfc7143#section-11.18.3
    //# Ping data is reflected in the NOP-In Response.
    //= rfc7143#section-11.19
    //# It MUST also duplicate up to the first MaxRecvDataSegmentLength bytes of the
    //# initiator-provided Ping Data.
    // Mutant nop-echo-unbounded breaks it: every byte is echoed.
    const std::size_t echo = mutated(m::nop_echo_unbounded)
                                 ? p.data.size()
                                 : std::min<std::size_t>(p.data.size(), keys_.max_send_data_segment_length);
    //= rfc7143#section-11.18.3
    //# Ping data is reflected in the NOP-In Response.
    // Mutant nop-echo-corrupt breaks it: the first byte comes back inverted.
    pdu::byte_buffer echoed(p.data.begin(), p.data.begin() + static_cast<std::ptrdiff_t>(echo));
    if (mutated(m::nop_echo_corrupt) && !echoed.empty()) echoed[0] = static_cast<std::uint8_t>(~echoed[0]);
    //= rfc7143#section-11.18.3
    //# 0 is a valid value
    //# for the DataSegmentLength and indicates the absence of ping data.
    // Mutant nop-empty-echo-padded breaks it: an empty ping's echo has 4 zero bytes.
    if (mutated(m::nop_empty_echo_padded) && p.data.empty()) echoed.assign(4, 0);
    // Mutant nop-stalls-next-command: the ping's CmdSN is taken, but the
    // next non-immediate command after it is dropped (admit_command).
    if (mutated(m::nop_stalls_next_command) && !p.header().immediate()) stall_next_command_ = true;
    pdu::nop_in_builder b;
    //= rfc7143#section-11.19
    //# LUN or Reserved
    // The answer's TTT is 0xffffffff, so its LUN is reserved: zero, not the
    // NOP-Out's (found by fuzz/target_session).
    //= rfc7143#section-11.19
    //# When a target receives the NOP-Out with a valid Initiator Task Tag (not
    //# the reserved value 0xffffffff), it MUST respond with a NOP-In with the
    //# same Initiator Task Tag that was provided in the NOP-Out request.
    //= rfc7143#section-11.19
    //# For such a response, the Target Transfer Tag MUST be 0xffffffff.
    // nop_in_builder starts with TTT 0xffffffff and this answer keeps it.
    b.initiator_task_tag(v.initiator_task_tag())
        .stat_sn(take_stat_sn())
        .exp_cmd_sn(window().exp_cmd_sn())
        .max_cmd_sn(window().max_cmd_sn())
        .data(pdu::bytes_view{echoed});
    //= rfc7143#section-11.19.1
    //# If the target is responding to a NOP-Out, this field is set to the
    //# reserved value 0xffffffff.
    // Mutant nop-ttt-not-reserved breaks it: the answer carries TTT 0.
    if (mutated(m::nop_ttt_not_reserved)) b.target_transfer_tag(0);
    return send(b.build());
  }
  //= rfc7143#section-11.18.2
  //# The NOP-Out MUST only have the Target Transfer Tag set if it is issued in
  //# response to a NOP-In with a valid Target Transfer Tag.
  if (answer_to_ping(p)) return;
  if (v.target_transfer_tag() != pdu::reserved_tag &&
      !relaxed("rfc7143#section-11.18.2/unknown-ttt",
               fmt::format("NOP-Out with TTT {:#x} no ping sent", v.target_transfer_tag())))
    send_reject(p, pdu::reject_reason::invalid_pdu_field, "rfc7143#section-11.18.2/unknown-ttt");
}

namespace {

bool is_wildcard(std::string_view portal) {
  return portal.starts_with("0.0.0.0:") || portal.starts_with("[::]:");
}

}  // namespace

// The targets this connection may report: every target of the instance
// (the catalog), or this node alone when it has none (tests, embedding).
std::vector<target_listing> connection::visible_targets() const {
  const auto& cfg = node_->config;
  std::vector<target_listing> all;
  if (node_->catalog) all = node_->catalog->snapshot();
  else all.push_back({cfg.iqn, cfg.portal_group_tag, cfg.portals, cfg.allowed_initiators});
  //= rfc7143#appendix-C
  //# In a Discovery session, a target MUST return all path information (IP
  //# address-port pairs and Target Portal Group Tags) for the targets on the
  //# target Network Entity that the requesting initiator is authorized to access.
  std::erase_if(all, [&](const target_listing& t) {
    return t.iqn.empty() || !t.allows(session_params().initiator_name);
  });
  return all;
}

//= rfc7143#appendix-C
//# Each target record starts with one text key of the form:
//# TargetName=<target-name-goes-here> followed by zero or more address keys of
//# the form: TargetAddress=<hostname-or-ipaddress>[:<tcp-port>], <portal-group-tag>
void connection::add_target_record(pdu::text_pairs& out, const target_listing& t) const {
  out.push_back({"TargetName", t.iqn});
  //= rfc7143#section-13.8
  //# If the TargetAddress is returned within a SendTargets response, the
  //# portal-group-tag MUST be included.
  // Mutant send-targets-no-tpgt breaks it: the addresses go out bare.
  const auto tag = mutated(m::send_targets_no_tpgt) ? std::string() : "," + std::to_string(t.portal_group_tag);
  //= rfc7143#appendix-C
  //# If a SendTargets response reports an iSCSI address for a target, it
  //# SHOULD also report all other addresses in its portal group in the same response.
  for (const auto& portal : t.portals)
    out.push_back({"TargetAddress", (is_wildcard(portal) ? info_.local_portal : portal) + tag});
  if (t.portals.empty() && !info_.local_portal.empty())
    out.push_back({"TargetAddress", info_.local_portal + tag});
  //= rfc7143#appendix-C
  //# No text keys other than
  //# TargetName and TargetAddress are permitted within a SendTargets
  //# response.
  // Mutant send-targets-extra-key breaks it: each record ends in a TargetAlias.
  if (mutated(m::send_targets_extra_key)) out.push_back({"TargetAlias", "touchstone"});
}

pdu::text_pairs connection::send_targets(std::string_view value) const {
  //= rfc7143#appendix-C
  //# A system that contains targets MUST support Discovery sessions on each of
  //# its iSCSI IP address-port pairs and MUST support the SendTargets command
  //# on the Discovery session.
  const bool discovery = phase_ == phase::ffp_discovery;
  if (value == "All" && !discovery) {
    //= rfc7143#appendix-C
    //# This value MUST be supported on a Discovery session and MUST NOT be
    //# supported on an operational session.
    return {{"SendTargets", "Reject"}};
  }
  pdu::text_pairs out;
  for (const auto& t : visible_targets()) {
    bool wanted = false;
    if (value == "All") {
      // Mutant send-targets-all-empty breaks the first rule above: no record.
      wanted = !mutated(m::send_targets_all_empty);
    } else if (value.empty()) {
      //= rfc7143#appendix-C
      //# The session should only respond with addresses for the target to which
      //# the session is logged in.
      //= rfc7143#appendix-C
      //# This MUST be supported on operational sessions and MUST NOT return
      //# targets other than the one to which the session is logged in.
      //= rfc7143#appendix-C
      //# A target MUST support the SendTargets command on operational sessions;
      //# these will only return path information about the target to which the
      //# session is connected and do not need to return information about other
      //# target names that may be defined in the responding system.
      wanted = !discovery && t.iqn == session_params().target_name;
    } else {
      //= rfc7143#appendix-C
      //# If an iSCSI Target Name is specified, the session should respond with
      //# addresses for only the named target, if possible.
      // An operational session reports no other target than its own.
      //= rfc7143#appendix-C
      //# This value MUST be supported on Discovery sessions.
      //= rfc7143#appendix-C
      //# A Discovery session MUST be capable of returning addresses for those
      //# targets that would have been returned had value=All been designated.
      // Mutant send-targets-name-ignored breaks them: a Discovery session's
      // SendTargets=<name> is answered as SendTargets=All.
      wanted = (t.iqn == value || (discovery && mutated(m::send_targets_name_ignored))) &&
               (discovery || t.iqn == session_params().target_name);
      // Mutant send-targets-name-unanswered breaks them too: a Discovery
      // session's SendTargets=<name> gets no record.
      if (discovery && mutated(m::send_targets_name_unanswered)) wanted = false;
    }
    //= rfc7143#appendix-C
    //# A SendTargets response MUST NOT contain target names if there are no
    //# targets for the requesting initiator to access.
    if (wanted) add_target_record(out, t);
  }
  return out;
}

//= rfc7143#section-6.4
//# Targets MUST NOT submit parameters that require an additional initiator Text Request in a Text
//# Response with the F bit set to 1.
// Every answer is final (SendTargets records, NotUnderstood or Reject): none
// asks the initiator for more.
pdu::text_pairs connection::answer_text(const pdu::text_pairs& pairs) const {
  pdu::text_pairs answers;
  for (const auto& kv : pairs) {
    if (kv.key == "SendTargets") {
      auto records = send_targets(kv.value);
      answers.insert(answers.end(), records.begin(), records.end());
    } else if (pdu::find_key(kv.key) == nullptr) {
      //= rfc7143#section-6.2
      //# Any key not understood by the acceptor may be ignored by the acceptor
      //# without affecting the basic function.  However, the answer for a key
      //# that is not understood MUST be key=NotUnderstood.
      answers.push_back({kv.key, std::string(pdu::value_not_understood)});
    } else {
      // Full Feature Phase renegotiation is not implemented yet: refuse each key.
      //= rfc7143#section-7.12
      //# The operational parameters of the session or the connection MUST continue to be the values
      //# agreed upon during an earlier successful negotiation (i.e., any partial results of this
      //# unsuccessful negotiation MUST NOT take effect and MUST be discarded).
      //= rfc7143#section-6.2
      //# If the acceptor sends "Reject" as an answer, the negotiated key is
      //# left at its current value
      answers.push_back({kv.key, "Reject"});
    }
  }
  return answers;
}

void connection::on_snack(const pdu::pdu& p) {
  //= rfc7143#section-11.16
  //# If the implementation supports ErrorRecoveryLevel greater than zero, it
  //# MUST support all SNACK types.
  // At ErrorRecoveryLevel 0 no SNACK is supported; the status of every task
  // has been sent, so nothing more happens to it.
  //= rfc7143#section-7.8
  //# In response to the SNACK, the target MUST either resend the data PDU or
  //# reject the SNACK with a Reject PDU with a reason code of "SNACK reject"
  // Mutant snack-wedges-connection breaks it: no Reject, and the connection
  // answers nothing more (it stays open, as a target stuck on the SNACK).
  if (mutated(m::snack_wedges_connection)) {
    phase_ = phase::closing;
    return;
  }
  if (session_params().error_recovery_level > 0 && pdu::snack_view(p).type() == pdu::snack_type::status)
    return answer_status_snack(p);
  send_reject(p, pdu::reject_reason::snack_reject, "rfc7143#section-7.8/snack-at-erl0");
}

void connection::on_logout_request(const pdu::pdu& p) {
  const pdu::logout_request_view v(p);
  const auto reason = v.reason();
  if (phase_ == phase::ffp_discovery && reason != pdu::logout_reason::close_session)
    return send_reject(p, pdu::reject_reason::command_not_supported,
                       "rfc7143#section-4.3/discovery-logout-close-session");
  auto code = pdu::logout_response_code::closed_successfully;
  if (reason == pdu::logout_reason::close_connection && v.cid() != cid_ && !logout_other_connection(v.cid())) {
    //= rfc7143#section-11.15.1
    //# 1 - CID not found.
    code = pdu::logout_response_code::cid_not_found;
  } else if (reason == pdu::logout_reason::remove_connection_for_recovery) {
    //= rfc7143#section-11.15.1
    //# 2 - connection recovery is not supported (i.e., the Logout reason code
    //# was "remove the connection for recovery" and the target does not support
    //# it as indicated by the operational ErrorRecoveryLevel).
    code = v.cid() == cid_ || session_params().error_recovery_level < 2
               ? pdu::logout_response_code::recovery_not_supported
               : pdu::logout_response_code::cid_not_found;
  }
  //= rfc7143#section-11.15.2
  //# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
  // No AHS and no data: the builder derives both lengths as 0.
  pdu::logout_response_builder b;
  b.initiator_task_tag(v.initiator_task_tag())
      .response(code)
      .stat_sn(take_stat_sn())
      .exp_cmd_sn(window().exp_cmd_sn())
      .max_cmd_sn(window().max_cmd_sn())
      .time2wait(static_cast<std::uint16_t>(session_params().default_time2wait))
      .time2retain(static_cast<std::uint16_t>(session_params().default_time2retain));
  send(b.build());
  if (code != pdu::logout_response_code::closed_successfully) return;
  //= rfc7143#section-11.14
  //# When receiving a Logout Request with the reason code "close the connection"
  //# or "close the session", the target MUST terminate all pending commands
  if (reason == pdu::logout_reason::close_connection && v.cid() != cid_) return;  // the other one closed
  if (reason == pdu::logout_reason::close_session) {
    logout_other_connections();
    tasks().clear();
  } else {
    end_own_tasks();
  }
  //= rfc7143#section-11.14
  //# The target then issues the Logout Response and half-closes the TCP connection (sends FIN).
  //= rfc7143#section-11.15
  //# After Logout, the TCP connection referred by the CID MUST be closed at
  //# both ends (or all connections must be closed if the logout reason was
  //# session close).
  // Mutant logout-keeps-connection breaks it: the connection stays open.
  if (mutated(m::logout_keeps_connection)) return;
  close("logout");
}

}  // namespace touchstone::target
