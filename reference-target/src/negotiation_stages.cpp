// The two negotiation stages of the Login Phase: SecurityNegotiation
// (AuthMethod None or CHAP) and LoginOperationalNegotiation (section 13 keys
// through pdu's negotiator), and the entry into the Full Feature Phase.
#include <algorithm>

#include <fmt/format.h>

#include "touchstone/pdu/login_request.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::target {

using pdu::login_status;

namespace {

void append(pdu::text_pairs& to, pdu::text_pairs from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

// A joining connection keeps the session's session-wide values; its
// connection-only ones (digests, MaxRecvDataSegmentLength both ways) start
// from their defaults and come from its own login (section 13: "Key scope is
// indicated as session-wide (SW) or connection-only (CO)").
pdu::session_parameters joined_base(const live_session& s) {
  const pdu::session_parameters defaults;
  auto base = s.params;
  base.header_digest = defaults.header_digest;
  base.data_digest = defaults.data_digest;
  base.max_recv_data_segment_length = defaults.max_recv_data_segment_length;
  base.max_send_data_segment_length = defaults.max_send_data_segment_length;
  return base;
}

}  // namespace

connection::stage_result connection::security_stage(const pdu::text_pairs& all, bool transit) {
  const auto joined = joining_ ? joined_keys(all) : pdu::text_pairs{};
  const auto& pairs = joining_ ? joined : all;
  auto answers = negotiator_->receive(pairs);
  //= rfc7143#section-6.3
  //# If such an attempt is detected by the target, the target MUST respond with
  //# a Login reject (initiator error)
  if (!answers) {
    note("rfc7143#section-6.2", std::string(pdu::name(answers.error())));
    return fail(login_failure{login_status::initiator_error, "rfc7143#section-6.2/negotiation"});
  }
  stage_answer out{std::move(*answers), false};
  if (!chap_) {
    security_done_ = true;  // AuthMethod=None (offered, or left at its default)
  } else {
    const auto& agreed = negotiator_->agreed();
    const auto method = agreed.find("AuthMethod");
    const bool chap_agreed = method != agreed.end() && method->second == "CHAP";
    if (chap_agreed) {
      auto step = chap_->step(pairs);
      if (!step) return fail(login_failure{step.error().status, step.error().requirement});
      append(out.pairs, std::move(*step));
      security_done_ = chap_->done();
    }
    //= rfc7143#section-6.3.2
    //# If the security negotiation fails at the target, then the target MUST
    //# send the appropriate Login Response PDU.
    if (transit && !security_done_ && !chap_agreed)
      return fail(login_failure{login_status::authentication_failure,
                                "rfc7143#section-12.1.3/authentication-required"});
  }
  //= rfc7143#section-6.3
  //# Targets MUST NOT submit parameters that require an additional initiator
  //# Login Request in a Login Response with the T bit set to 1.
  //= rfc7143#section-11.13.6
  //# A Login Response with the T bit set to 1 MUST NOT contain key=value pairs
  //# that may require additional answers from the initiator within the same
  //# stage.
  out.stage_complete = security_done_;
  return out;
}

connection::stage_result connection::operational_stage(const pdu::text_pairs& all, bool) {
  const auto joined = joining_ ? joined_keys(all) : pdu::text_pairs{};
  const auto& pairs = joining_ ? joined : all;
  //= rfc7143#section-6.3.1
  //# If the initiator decides to forego the SecurityNegotiation stage ... the
  //# target may reply with a Login Response that indicates that it is unwilling
  //# to accept the connection ... with a response of Authentication failure
  if (chap_ && !security_done_)
    return fail(login_failure{login_status::authentication_failure,
                              "rfc7143#section-6.3.1/security-required"});
  security_done_ = true;
  auto answers = negotiator_->receive(pairs);
  if (!answers) {
    note("rfc7143#section-6.2", std::string(pdu::name(answers.error())));
    return fail(login_failure{login_status::initiator_error, "rfc7143#section-6.2/negotiation"});
  }
  stage_answer out{std::move(*answers), false};
  if (auto refused = check_required_digests(pairs, out.pairs)) return fail(*refused);
  if (!mrdsl_declared_) {
    //= rfc7143#section-13.12
    //# The initiator or target declares the maximum data segment length in
    //# bytes it can receive in an iSCSI PDU.
    auto declared = negotiator_->offer({"MaxRecvDataSegmentLength"});
    if (declared) append(out.pairs, std::move(*declared));
    mrdsl_declared_ = true;
  }
  //= rfc7143#section-11.13.6
  //# A Login Response with the T bit set to 1 MUST NOT contain key=value pairs
  //# that may require additional answers from the initiator within the same
  //# stage.
  // An offer of ours that still needs an answer (a digest) keeps T at 0.
  out.stage_complete = negotiator_->pending().empty();
  return out;
}

// A digest the target requires (limits.*_digest "CRC32C"): an initiator
// that offers none of it fails the login; one that does not offer the key at
// all is offered CRC32C by the target on its first operational request.
std::optional<connection::login_failure> connection::check_required_digests(
    const pdu::text_pairs& received, pdu::text_pairs& answers) {
  const auto& l = node_->config.limits;
  for (const auto& [key, local] : {std::pair<std::string_view, const std::string&>{"HeaderDigest", l.header_digest},
                                   {"DataDigest", l.data_digest}}) {
    if (local != "CRC32C") continue;
    for (const auto& kv : answers) {
      //= rfc7143#section-7.12
      //# During login, any failure in negotiation MUST be considered a login
      //# process failure; the Login Phase, along with the connection, MUST be
      //# terminated.  If the target detects the failure, it must terminate the
      //# login with the appropriate Login response code.
      if (kv.key == key && kv.value == "Reject") {
        note("rfc7143#section-7.12", fmt::format("{} offered without CRC32C, which this target requires", key));
        return login_failure{login_status::initiator_error, "rfc7143#section-7.12/digest-required"};
      }
    }
    // clang 14 cannot capture a structured binding: a plain copy for the lambda.
    const std::string_view name = key;
    const bool offered = std::any_of(received.begin(), received.end(),
                                     [&](const pdu::key_value& kv) { return kv.key == name; });
    if (!offered && !mrdsl_declared_) {
      auto ours = negotiator_->offer({key});
      if (ours) append(answers, std::move(*ours));
    }
  }
  return std::nullopt;
}

void connection::enter_full_feature(const pdu::pdu& request) {
  const pdu::login_request_view first(first_request_);
  (void)request;
  if (chap_ && !security_done_)
    return login_reject({login_status::authentication_failure,
                         "rfc7143#section-6.3.1/security-required"});
  //= rfc7143#section-6.2
  //# An iSCSI target MUST perform integrity checking before the new parameters take effect.
  auto negotiated = negotiator_->finish(joining_ ? joined_base(*joining_) : params_);
  if (!negotiated) {
    note("rfc7143#section-13", std::string(pdu::name(negotiated.error())));
    return login_reject({login_status::initiator_error, "rfc7143#section-13/integrity"});
  }
  //= rfc7143#section-6.2
  //# Negotiations MUST be handled as atomic operations. For example, all negotiated values go into
  //# effect after the negotiation concludes in agreement or are ignored if the negotiation fails.
  params_ = std::move(*negotiated);
  params_.target_portal_group_tag = node_->config.portal_group_tag;
  const auto& l = node_->config.limits;
  //= rfc7143#section-7.12
  //# During login, any failure in negotiation MUST be considered a login
  //# process failure
  if ((l.header_digest == "CRC32C" && params_.header_digest != pdu::digest_type::crc32c) ||
      (l.data_digest == "CRC32C" && params_.data_digest != pdu::digest_type::crc32c))
    return login_reject({login_status::initiator_error, "rfc7143#section-7.12/digest-required"});
  if (joining_) {
    if (!enter_joined_session())
      login_reject({login_status::session_does_not_exist, "rfc7143#section-6.3.1/tsih"});
    return;
  }
  if (auto full = check_session_limit()) return login_reject(*full);
  tsih_ = node_->sessions.allocate();
  //= rfc7143#section-11.13.5
  //# Out of        | 0302 | The target has insufficient session,
  //# ...
  //# connection, or other resources.
  if (tsih_ == 0)
    return login_reject({login_status::out_of_resources, "rfc7143#section-11.13.5/tsih"});
  //= rfc7143#section-11.12.8
  //# If the Login Request is a leading Login Request, the target MUST use the
  //# value presented in the CmdSN as the target value for the ExpCmdSN.
  window_ = cmdsn_window(first.cmd_sn(), node_->config.limits.queue_depth);
  const bool discovery = params_.session_type == pdu::session_kind::discovery;
  phase_ = discovery ? phase::ffp_discovery : phase::ffp_normal;
  //= rfc7143#section-7.4.2.1
  //# Each of the concurrent Discovery sessions, if established by the same initiator port to other
  //# Network Portals, MUST be treated as independent sessions -- i.e., one session MUST NOT
  //# reinstate the other.
  //= rfc7143#section-7.4.2.1
  //# A new Unnamed Discovery session that has a matching <InitiatorName,
  //# ISID, NULL, TargetAddress> to an existing Discovery session MUST
  //# reinstate the existing Unnamed Discovery session.
  // Every session is enrolled under its 4-tuple (directory_key): an Unnamed
  // Discovery session's holds the portal it reached, so sessions to other
  // portals never match, and only an Unnamed one matches another.
  reinstate_session();
  log_.once(peer_log::level::info,
            fmt::format("{} session TSIH {} for {} (MRDSL in/out {}/{}, burst {}/{}, "
                        "ImmediateData {}, InitialR2T {}, digests {}/{})",
                        discovery ? "discovery" : "normal", tsih_, params_.initiator_name,
                        params_.max_recv_data_segment_length, params_.max_send_data_segment_length,
                        params_.first_burst_length, params_.max_burst_length, params_.immediate_data,
                        params_.initial_r2t, params_.header_digest == pdu::digest_type::crc32c,
                        params_.data_digest == pdu::digest_type::crc32c));
}

}  // namespace touchstone::target
