// Session reinstatement (RFC 7143 section 6.3.5): a new session with the
// InitiatorName, ISID, TargetName and portal group tag of a live one ends the
// old one; connection reinstatement (6.3.4): a login with the ISID, TSIH and
// CID of a live session replaces its connection; and the end of a session or
// connection another login asked to terminate.
#include <set>

#include <fmt/format.h>

#include "touchstone/target/connection.hpp"

namespace touchstone::target {

//= rfc7143#section-7.15
//# A target MUST also be prepared to handle a session reinstatement request from the initiator that
//# may be addressing session errors.
void connection::reinstate_session() {
  auto& directory = node_->directory;
  const auto key = directory_key();
  // Mutant session-reinstatement-skipped breaks section 6.3.5: the old
  // session with this key goes on.
  const auto ended = mutated(m::session_reinstatement_skipped) ? std::optional<pdu::session_kind>{}
                                                                 : directory.reinstate(key, session_->tsih());
  if (ended) log_.once(peer_log::level::info, fmt::format("session {} reinstated", key));
  if (ended == pdu::session_kind::normal) {
    //= rfc7143#section-6.3.5.1
    //# The iSCSI layer provides the SCSI layer with the "I_T nexus loss"
    //# notification when any one of the following events happens: -
    //# successful completion of session reinstatement
    //= rfc7143#section-6.3.5
    //# Session reinstatement causes all the tasks that were active on the old
    //# session to be immediately terminated by the target without further
    //# notice to the initiator.
    if (node_->devices) node_->devices->it_nexus_lost(make_nexus(0).it);
  }
  auto& links = session_->directory();
  links.terminate = directory.enroll(session_->tsih(), key, live_session{session_->isid(), cid_, session_params()}, waker_);
  links.aborts = directory.notice(session_->tsih());
}

// The 4-tuple that names this session in the directory: a Normal or a Named
// Discovery session's <InitiatorName, ISID, TargetName, TargetPortalGroupTag>,
// an Unnamed Discovery session's <InitiatorName, ISID, NULL, TargetAddress>.
std::string connection::directory_key() const {
  const auto& p = session_params();
  if (p.session_type == pdu::session_kind::discovery && p.target_name.empty())
    return unnamed_discovery_key(p.initiator_name, session_->isid(), info_.local_portal);
  //= rfc7143#section-7.4.2.2
  //# Since all the four elements of the 4-tuple are known, the ISID RULE MUST be enforced by
  //# targets with no changes from Section 4.4.3 semantics.
  // One key for Normal and Named Discovery sessions: either reinstates the
  // other on the node that holds both (the instance gives Discovery sessions
  // a node of their own per target: there a Named Discovery session
  // reinstates Named Discovery sessions only).
  //= rfc7143#section-4.4.3
  //# ISID RULE: Between a given iSCSI initiator and iSCSI target portal
  //# group (SCSI target port), there can only be one session with a given
  //# value for the ISID that identifies the SCSI initiator port.
  // Mutant session-isid-ignored breaks it (the other way): one session per
  // InitiatorName, whatever its ISID.
  const std::uint64_t isid = mutated(m::session_isid_ignored) ? 0 : session_->isid();
  return session_key(p.initiator_name, isid, p.target_name, node_->config.portal_group_tag);
}

bool connection::enter_joined_session() {
  const pdu::login_request_view first(login_->first_request);
  //= rfc7143#section-6.3.4
  //# The Login Request performs the logout function of the old connection if
  //# an explicit logout was not performed earlier.
  // Mutant connection-reinstatement-refused: the session is not found.
  auto flag = mutated(m::connection_reinstatement_refused)
                  ? session_directory::flag{}
                  : node_->directory.replace_connection(first.tsih(), cid_, waker_);
  if (!flag) return false;  // the session ended while this login ran
  //= rfc7143#section-11.12.8
  //# the command sequence number in the command stream if the login is for a
  //# new connection in an existing session.
  // The old connection's tasks end with it (below), so the session's command
  // stream goes on from the CmdSN this login carries. That connection's
  // session object ends with it too: this one is new, under the same TSIH
  // (session.hpp: one connection per session today).
  session_ = std::make_shared<session>(first.tsih(), first.isid(), login_->params,
                                       cmdsn_window(first.cmd_sn(), node_->config.limits.queue_depth));
  (void)session_->join(cid_, this);
  node_->session_objects[first.tsih()] = session_;
  session_->directory().terminate = std::move(flag);
  session_->directory().aborts = node_->directory.notice(session_->tsih());
  phase_ = phase::ffp_normal;
  log_.once(peer_log::level::info,
            fmt::format("connection CID {} of session TSIH {} reinstated", cid_, session_->tsih()));
  return true;
}

// The keys of a connection joining a session, less a SessionType equal to the
// session's own: real initiators (and RFC 7143's own examples of a first
// request) declare SessionType=Normal on every connection. It changes
// nothing, so it is noted and set aside; any other LO key, or another
// session type, still fails the login (section 13).
pdu::text_pairs connection::joined_keys(const pdu::text_pairs& pairs) {
  pdu::text_pairs out;
  for (const auto& kv : pairs) {
    //= rfc7143#section-13
    //# Some session-specific parameters MUST only be carried on the leading
    //# connection and cannot be changed after the leading connection login
    if (kv.key == "SessionType" && kv.value == "Normal") {
      note("rfc7143#section-13.21/leading-only",
           "SessionType=Normal declared on a connection joining a session");
      continue;
    }
    out.push_back(kv);
  }
  return out;
}

//= rfc7143#section-11.14.5
//# After the tasks are terminated, the target MUST report a Unit Attention
//# condition on the next command processed on any connection for each
//# affected I_T_L nexus with the status of CHECK CONDITION, the ASC/ASCQ
//# value of 47h/7Fh ("SOME COMMANDS CLEARED BY ISCSI PROTOCOL EVENT")
// Connection reinstatement is case a): it performs the logout ("close the
// connection") of the old connection (section 6.3.4).
void connection::clear_tasks_by_protocol_event() {
  std::set<std::uint64_t> lun_fields;
  for (const auto& [itt, t] : tasks()) {
    lun_fields.insert(t.lun_field);
    if (node_->devices) node_->devices->forget_task(make_nexus(t.lun_field), itt);
  }
  tasks().clear();
  if (!node_->devices) return;
  for (const auto lun_field : lun_fields) {
    const auto nexus = make_nexus(lun_field);
    if (auto lu = node_->devices->find_lu(nexus.lun))
      lu->establish_ua(nexus.it, scsi::unit_attention::commands_cleared_by_protocol_event);
  }
}

void connection::end_terminated_session() {
  switch (session_->directory().terminate->load()) {
    case termination::connection_reinstated:
      //= rfc7143#section-6.3.4
      //# If the operational ErrorRecoveryLevel is less than 2, connection
      //# reinstatement is the replacement of the old CID without enabling task
      //# reassignment.  In this case, all the tasks that were active on the old
      //# CID must be immediately terminated without further notice to the initiator.
      replaced_ = true;
      clear_tasks_by_protocol_event();
      return close("connection reinstated by a new login with the same CID");
    case termination::reinstated:
      // The new session told the SCSI layer already (reinstate_session).
      session_->directory().reinstated = true;
      tasks().clear();
      return close("session reinstated by a new login");
    case termination::target_reset:
      //= rfc7143#section-11.5.1
      //# the target MUST treat the TARGET COLD RESET function as a power-on
      //# event, thus terminating all of its TCP connections to all initiators
      return close("session terminated by TARGET COLD RESET");
    case termination::none: break;
  }
}

}  // namespace touchstone::target
