// The Login Request checks that do not depend on the stage: header fields
// that must stay constant over the Login Phase, the version range, the
// session identification (ISID/TSIH) and the mandatory names.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "touchstone/pdu/iscsi_name.hpp"
#include "touchstone/pdu/login_request.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::target {

using pdu::login_status;

// The login status for a validator finding on a Login Request.
login_status connection::login_status_for(const pdu::pdu& p, std::string_view requirement) {
  //= rfc7143#section-11.13.5
  //# Unsupported   | 0205 | The requested iSCSI version range is
  //# ...
  //# not supported by the target.
  // A range that still holds version 0 (Version-min 0, Version-max above it)
  // is supported: only the initiator's MUST of 11.12.4 is broken, an
  // initiator error like any other field it must set.
  if (requirement.starts_with("rfc7143#section-11.12.4/") &&
      pdu::login_request_view(p).version_min() != pdu::iscsi_version)
    return login_status::unsupported_version;
  //= rfc7143#section-11.13.5
  //# Initiator     | 0200 | Miscellaneous iSCSI initiator
  //# ...
  //# errors.
  return login_status::initiator_error;
}

std::optional<connection::login_failure> connection::check_login_header(const pdu::pdu& p) {
  const pdu::login_request_view req(p);
  const pdu::login_request_view first(login_->first_request);
  if (&p.bhs == &login_->first_request || p.bhs == login_->first_request) {
    // The first request of the Login Phase: it names the session (its ISID
    // stays in login_->first_request).
    //= rfc7143#section-11.12.7
    //# The target MUST use the value presented with the first Login Request.
    // Later requests must carry the same (the checks below).
    cid_ = req.cid();
    //= rfc7143#section-11.12.6
    //# The target MUST check the value presented with the first Login Request
    //# and act as specified in Section 6.3.1.
    if (req.tsih() != 0) return check_joined_session(req);
    return std::nullopt;
  }
  if (second_login_outstanding(req.exp_stat_sn()))
    return login_failure{login_status::initiator_error, login_outstanding_id};
  //= rfc7143#section-6.3
  //# The whole Login Phase is considered as a single task and has a single Initiator Task Tag
  if (req.initiator_task_tag() != first.initiator_task_tag())
    return login_failure{login_status::initiator_error, "rfc7143#section-6.3/single-itt"};
  //= rfc7143#section-11.12.4.1
  //# All Login Requests within the Login Phase MUST carry the same Version-max.
  //= rfc7143#section-11.12.4.1
  //# The target MUST use the value presented with the first Login Request.
  //= rfc7143#section-11.12.4.2
  //# The target MUST use the value presented with the first Login Request.
  // A later request that differs is refused, so the first one's values rule.
  if (req.version_max() != first.version_max() || req.version_min() != first.version_min())
    return login_failure{login_status::initiator_error, "rfc7143#section-11.12.4.1/same-version"};
  //= rfc7143#section-11.12.6
  //# All Login Requests within a Login Phase MUST carry the same TSIH.
  if (req.tsih() != first.tsih())
    return login_failure{login_status::initiator_error, "rfc7143#section-11.12.6/same-tsih"};
  //= rfc7143#section-11.12.7
  //# All Login Requests within the Login Phase MUST carry the same CID.
  if (req.cid() != first.cid())
    return login_failure{login_status::initiator_error, "rfc7143#section-11.12.7/same-cid"};
  if (req.isid() != first.isid())
    return login_failure{login_status::initiator_error, "rfc7143#section-11.12.5/same-isid"};
  return std::nullopt;
}

// A first Login Request with a non-zero TSIH: the ISID, TSIH and CID decide
// (section 6.3.1's table) between connection reinstatement and a refusal.
std::optional<connection::login_failure> connection::check_joined_session(
    const pdu::login_request_view& req) {
  //= rfc7143#section-4.4.3
  //# After being selected, the same TSIH value MUST be used whenever the initiator or target refers
  //# to the session and a TSIH is required.
  const auto live = node_->directory.find(req.tsih());
  if (!live) {
    //= rfc7143#section-6.3.1
    //# new | non-zero | any | fail the login ("session does not exist")
    if (!node_->sessions.exists(req.tsih()))
      return login_failure{login_status::session_does_not_exist, "rfc7143#section-6.3.1/tsih"};
    // A session the registry still holds and the directory no longer does
    // (reinstated, its connection not closed yet): it takes no connection.
    return login_failure{login_status::too_many_connections, "rfc7143#section-13.2"};
  }
  // A live Discovery session has its one connection (MaxConnections=1); a
  // login that names its TSIH never replaces it (that would make it Normal).
  if (live->params.session_type == pdu::session_kind::discovery)
    return login_failure{login_status::too_many_connections, "rfc7143#section-13.2"};
  //= rfc7143#section-6.3.1
  //# new | non-zero | any | fail the login ("session does not exist")
  if (live->isid != req.isid())
    return login_failure{login_status::session_does_not_exist, "rfc7143#section-6.3.1/isid"};
  // A new CID, or the CID of one of several connections (its reinstatement
  // leaves the session to the others): session_continuation.cpp.
  if (auto s = session_object(req.tsih());
      s && (s->find_connection(req.cid()) == nullptr || s->connection_count() > 1))
    return check_added_connection(req);
  //= rfc7143#section-6.3.1
  //# |existing| non-zero    |existing|   do connection reinstatement  |
  //# |        | existing    |        |   (see Section 7.1.4.3)        |
  //= rfc7143#section-6.3.4
  //# Targets ... SHOULD support opening a second connection if
  //# ErrorRecoveryLevel is less than 2.
  login_->joining = *live;
  return std::nullopt;
}

// The names of a connection joining a session must be the session's: the
// TSIH is only known "between a given iSCSI initiator node ... and a given
// iSCSI target" (section 6.3.1).
std::optional<connection::login_failure> connection::check_joined_names(
    std::string_view initiator, const std::string* target) const {
  if (!login_->joining) return std::nullopt;
  if (initiator != login_->joining->params.initiator_name || target == nullptr ||
      *target != login_->joining->params.target_name)
    return login_failure{login_status::session_does_not_exist, "rfc7143#section-6.3.1/names"};
  return std::nullopt;
}

// limits.max_sessions: a new Normal session beyond it is refused; one that
// reinstates a live session replaces it and is not counted twice.
std::optional<connection::login_failure> connection::check_session_limit() const {
  const auto limit = node_->config.limits.max_sessions;
  if (limit == 0 || login_->params.session_type != pdu::session_kind::normal) return std::nullopt;
  const pdu::login_request_view first(login_->first_request);
  const auto key = session_key(login_->params.initiator_name, first.isid(), login_->params.target_name,
                               node_->config.portal_group_tag);
  //= rfc7143#section-11.13.5
  //# Out of        | 0302 | The target has insufficient session,
  //# ...
  //# connection, or other resources.
  if (node_->directory.others(key) >= limit)
    return login_failure{login_status::out_of_resources, "rfc7143#section-11.13.5/max-sessions"};
  return std::nullopt;
}

namespace {
bool allowed(const target_config& c, std::string_view initiator) {
  const auto& list = c.allowed_initiators;
  return list.empty() || std::find(list.begin(), list.end(), initiator) != list.end();
}

const std::string* find(const pdu::text_pairs& pairs, std::string_view key) {
  for (const auto& kv : pairs)
    if (kv.key == key) return &kv.value;
  return nullptr;
}
}  // namespace

std::optional<connection::login_failure> connection::check_first_text(
    const pdu::text_pairs& pairs) {
  const auto* initiator = find(pairs, "InitiatorName");
  //= rfc7143#section-6.3
  //# The initial Login Request of any connection MUST include the InitiatorName key=value pair.
  if (initiator == nullptr)
    return login_failure{login_status::missing_parameter, "rfc7143#section-6.3/initiator-name"};
  if (!pdu::validate_iscsi_name(*initiator))
    return login_failure{login_status::initiator_error, "rfc7143#section-4.2.7/initiator-name"};
  auto kind = pdu::session_kind::normal;
  if (const auto* type = find(pairs, "SessionType")) {
    //= rfc7143#section-11.13.5
    //# Session type  | 0209 | Target does not support this type of
    //# ...
    //# session or not from this initiator.
    if (*type == "Discovery") kind = pdu::session_kind::discovery;
    else if (*type != "Normal")
      return login_failure{login_status::session_type_not_supported,
                           "rfc7143#section-13.21/session-type"};
  }
  const auto* target = find(pairs, "TargetName");
  //= rfc7143#section-6.3
  //# For any connection within a session whose type is not "Discovery", the
  //# first Login Request MUST also include the TargetName key=value pair.
  if (kind == pdu::session_kind::normal && target == nullptr)
    return login_failure{login_status::missing_parameter, "rfc7143#section-6.3/target-name"};
  //= rfc7143#section-11.13.5
  //# Target removed| 0204 | The requested ITN has been removed, and
  //# no forwarding address is provided.
  if (target != nullptr && *target != node_->config.iqn && node_->removed)
    return login_failure{login_status::target_removed, "rfc7143#section-11.13.5/target-removed"};
  //= rfc7143#section-11.13.5
  //# Not found     | 0203 | The requested ITN does not
  //# exist at this address.
  if (target != nullptr && *target != node_->config.iqn)
    return login_failure{login_status::not_found, "rfc7143#section-11.13.5/not-found"};
  //= rfc7143#section-11.13.5
  //# Authorization | 0202 | The initiator is not allowed access
  //# ...
  //# to the given target.
  if (kind == pdu::session_kind::normal && !allowed(node_->config, *initiator))
    return login_failure{login_status::authorization_failure,
                         "rfc7143#section-11.13.5/authorization"};
  if (auto bad = check_joined_names(*initiator, target)) return bad;
  login_->params.initiator_name = *initiator;
  login_->params.target_name = target ? *target : std::string();
  login_->params.session_type = kind;
  const auto stage = login_->state == login_state::security ? pdu::negotiation_phase::security
                                                           : pdu::negotiation_phase::operational;
  login_->negotiator.emplace(pdu::negotiation_context{.self = pdu::role::target,
                                               .phase = stage,
                                               .session = kind,
                                               .leading_connection = !login_->joining},
                      negotiation_settings());
  //= rfc7143#section-6.3.1
  //# the target may reply with a Login Response that indicates that it is
  //# unwilling to accept the connection (see Section 11.13) without
  //# SecurityNegotiation and will terminate the connection with a response
  //# of Authentication failure (see Section 11.13.5).
  // Mutant discovery-chap-not-required breaks what the discovery CHAP
  // setting asks: a Discovery session goes on without CHAP.
  const bool chap_waived = kind == pdu::session_kind::discovery && mutated(m::discovery_chap_not_required);
  if (node_->config.chap && !chap_waived)
    login_->chap.emplace(*node_->config.chap, node_->config.mutual_chap, node_->chap_challenges, node_->config.mutants);
  return std::nullopt;
}

pdu::local_settings connection::negotiation_settings() const {
  const auto& l = node_->config.limits;
  pdu::local_settings s;
  //= rfc7143#section-12.1
  //# AuthMethod = <list-of-values>
  //= rfc7143#section-6.2.1
  //# The constant "None" MUST always be used to indicate a missing function.
  //= rfc7143#section-9.2
  //# Therefore, a method using cleartext (or equivalent) passwords MUST NOT be used
  s.set("AuthMethod", node_->config.chap ? "CHAP" : "None");
  //= rfc7143#section-13.1
  //# HeaderDigest = <list-of-values> DataDigest = <list-of-values>
  // limits.header_digest / data_digest: "None,CRC32C", "CRC32C" (required) or "None".
  s.set("HeaderDigest", l.header_digest);
  s.set("DataDigest", l.data_digest);
  //= rfc7143#section-4.2.1
  //# iSCSI targets and initiators MUST support at least one TCP connection and MAY support several
  //# connections in a session.
  //= rfc7143#section-13.2
  //# Result function is Minimum.
  // limits.max_connections_per_session: the offer above it is brought down to it.
  s.set("MaxConnections", std::to_string(l.max_connections_per_session));
  s.set("InitialR2T", l.initial_r2t ? "Yes" : "No");
  s.set("ImmediateData", l.immediate_data ? "Yes" : "No");
  s.set("MaxRecvDataSegmentLength", std::to_string(l.max_recv_data_segment_length));
  s.set("MaxBurstLength", std::to_string(l.max_burst_length));
  s.set("FirstBurstLength", std::to_string(l.first_burst_length));
  s.set("MaxOutstandingR2T", std::to_string(l.max_outstanding_r2t));
  s.set("DataPDUInOrder", "Yes");
  s.set("DataSequenceInOrder", "Yes");
  //= rfc7143#section-13.20
  //# Result function is Minimum.
  // limits.max_erl (0 or 1) is offered: Minimum brings a session to it or
  // below; Discovery sessions are answered 0 (pdu negotiator).
  //= rfc7143#section-7.1.5
  //# Implementations MUST support error recovery level "0", while the rest are OPTIONAL to
  //# implement.
  //= rfc7143#section-7.1.5
  //# When a defined value of ErrorRecoveryLevel is returned by a responder in a text negotiation,
  //# the responder MUST support the functionality corresponding to the ErrorRecoveryLevel it is
  //# accepting.
  //= rfc7143#section-13.21
  //# As Section 7.4.1 states, ErrorRecoveryLevel MUST be 0 (zero) for Discovery
  //# sessions.
  s.set("ErrorRecoveryLevel", std::to_string(l.max_erl));
  //= rfc7143#section-13.23
  //# The following table describes the semantics that an iSCSI target MUST
  //# support for respective negotiated key values.
  // RFC3720 is the only value the target agrees to; its semantics (4.2.3.3)
  // are tmf.cpp's.
  s.set("TaskReporting", "RFC3720");
  //= rfc7144#section-7.1.1
  //# iSCSIProtocolLevel=<numerical-value-from-0-to-31> ... Result function is Minimum.
  // Level 2: the RFC 7144 task management functions are implemented (tmf.cpp).
  s.set("iSCSIProtocolLevel", "2");
  s.set("TargetPortalGroupTag", std::to_string(node_->config.portal_group_tag));
  return s;
}

}  // namespace touchstone::target
