// Session continuation (RFC 7143 section 6.3.1's table): a login with the
// ISID and TSIH of a live session and a CID that session does not hold adds
// a connection to it, up to the session's MaxConnections. The new
// connection shares the session object (its task set, command window and
// session-wide values); its connection-only keys are its own.
#include <set>
#include <vector>

#include <fmt/format.h>

#include "touchstone/target/connection.hpp"

namespace touchstone::target {

using pdu::login_status;

std::shared_ptr<session> connection::session_object(std::uint16_t tsih) const {
  const auto it = node_->session_objects.find(tsih);
  if (it == node_->session_objects.end()) return nullptr;
  auto s = it->second.lock();
  return s && s->tsih() == tsih ? s : nullptr;
}

// The first request names a live Normal session (ISID and TSIH checked by
// check_joined_session) and a new CID.
std::optional<connection::login_failure> connection::check_added_connection(
    const pdu::login_request_view& req) {
  const auto s = session_object(req.tsih());
  //= rfc7143#section-13.2
  //# The initiator and target negotiate the maximum number of connections
  //# requested/acceptable.
  //= rfc7143#section-11.13.5
  //# Too many      | 0206 | Too many connections on this SSID.
  const bool reinstates = s->find_connection(req.cid()) != nullptr;
  if (!reinstates && s->connection_count() >= s->max_connections())
    return login_failure{login_status::too_many_connections, "rfc7143#section-13.2"};
  //= rfc7143#section-6.3.1
  //# |existing| non-zero    | new    |   add a new connection to      |
  //# |        | existing    |        |   the session                  |
  login_->joining = live_session{s->isid(), req.cid(), s->params()};
  login_->adds_connection = true;
  return std::nullopt;
}

// The Final-Response's request of a login adding a connection: it joins the
// session object, unless the session ended or filled while this login ran.
bool connection::enter_added_connection() {
  const pdu::login_request_view first(login_->first_request);
  auto s = session_object(first.tsih());
  if (!s) return false;
  auto* old = s->find_connection(cid_);
  if (old != nullptr && s->connection_count() == 1) return false;  // the others left meanwhile
  if (old != nullptr) old->end_by_other("connection reinstated by a new login with the same CID");
  if (!s->join(cid_, this)) return false;
  session_ = std::move(s);
  phase_ = phase::ffp_normal;
  //= rfc7143#section-11.12.8
  //# the command sequence number in the command stream if the login is for a
  //# new connection in an existing session.
  // The session's command window goes on as it is: the CmdSN of this login
  // is the session's next one (it does not move ExpCmdSN).
  log_.once(peer_log::level::info, fmt::format("connection CID {} added to session TSIH {} ({} of {})", cid_,
                                               session_->tsih(), session_->connection_count(),
                                               session_->max_connections()));
  return true;
}

}  // namespace touchstone::target

namespace touchstone::target {

// This connection leaves a session whose other connections go on: only its
// own tasks end (the session's task set, window and TSIH stay).
//= rfc7143#section-7.14
//# On a connection failure, a target MUST terminate and/or discard all of the active immediate
//# commands, regardless of which of the above options is used
//= rfc7143#section-6.3.4
//# If the operational ErrorRecoveryLevel is less than 2, connection
//# reinstatement is the replacement of the old CID without enabling task
//# reassignment.  In this case, all the tasks that were active on the old
//# CID must be immediately terminated without further notice to the initiator.
// At ErrorRecoveryLevel 0 and 1 no task is reassigned, so every task of
// this connection ends with it, each LU it addressed keeping the unit
// attention of section 11.14.5 for the next command on any connection.
void connection::leave_live_session() { end_own_tasks(); }

void connection::end_own_tasks() {
  std::vector<std::uint32_t> mine;
  std::set<std::uint64_t> lun_fields;
  for (const auto& [itt, t] : tasks()) {
    if (t.cid != cid_) continue;
    mine.push_back(itt);
    lun_fields.insert(t.lun_field);
    if (node_->devices && t.executing) node_->devices->forget_task(make_nexus(t.lun_field), itt);
  }
  for (const auto itt : mine) end_task(itt);
  if (!node_->devices) return;
  for (const auto lun_field : lun_fields) {
    const auto nexus = make_nexus(lun_field);
    if (auto lu = node_->devices->find_lu(nexus.lun))
      lu->establish_ua(nexus.it, scsi::unit_attention::commands_cleared_by_protocol_event);
  }
}

//= rfc7143#section-6.3.4
//# The Login Request performs the logout function of the old connection if
//# an explicit logout was not performed earlier.
// Another connection's core ends this one (a reinstatement of its CID, a
// Logout on another connection): the instance lock serialises the two cores,
// and the waker has this connection's own thread send the close.
void connection::end_by_other(std::string reason) {
  close(std::move(reason));
  if (waker_) waker_();
}

void connection::forget_session_object() {
  const auto it = node_->session_objects.find(session_->tsih());
  if (it != node_->session_objects.end() && it->second.lock() == session_) node_->session_objects.erase(it);
}

}  // namespace touchstone::target
