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
  const auto joined = login_->joining ? joined_keys(all) : pdu::text_pairs{};
  const auto& pairs = login_->joining ? joined : all;
  auto answers = login_->negotiator->receive(pairs);
  //= rfc7143#section-6.3
  //# If such an attempt is detected by the target, the target MUST respond with
  //# a Login reject (initiator error)
  if (!answers) {
    note("rfc7143#section-6.2", std::string(pdu::name(answers.error())));
    return fail(login_failure{login_status::initiator_error, "rfc7143#section-6.2/negotiation"});
  }
  stage_answer out{std::move(*answers), false};
  if (!login_->chap) {
    login_->security_done = true;  // AuthMethod=None (offered, or left at its default)
  } else {
    const auto& agreed = login_->negotiator->agreed();
    const auto method = agreed.find("AuthMethod");
    const bool chap_agreed = method != agreed.end() && method->second == "CHAP";
    if (chap_agreed) {
      auto step = login_->chap->step(pairs);
      if (!step) return fail(login_failure{step.error().status, step.error().requirement});
      append(out.pairs, std::move(*step));
      login_->security_done = login_->chap->done();
    }
    //= rfc7143#section-6.3.2
    //# If the security negotiation fails at the target, then the target MUST
    //# send the appropriate Login Response PDU.
    if (transit && !login_->security_done && !chap_agreed)
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
  out.stage_complete = login_->security_done;
  return out;
}

connection::stage_result connection::operational_stage(const pdu::text_pairs& all, bool) {
  const auto joined = login_->joining ? joined_keys(all) : pdu::text_pairs{};
  const auto& pairs = login_->joining ? joined : all;
  //= rfc7143#section-6.3.1
  //# If the initiator decides to forego the SecurityNegotiation stage ... the
  //# target may reply with a Login Response that indicates that it is unwilling
  //# to accept the connection ... with a response of Authentication failure
  if (login_->chap && !login_->security_done)
    return fail(login_failure{login_status::authentication_failure,
                              "rfc7143#section-6.3.1/security-required"});
  login_->security_done = true;
  auto answers = login_->negotiator->receive(pairs);
  if (!answers) {
    note("rfc7143#section-6.2", std::string(pdu::name(answers.error())));
    return fail(login_failure{login_status::initiator_error, "rfc7143#section-6.2/negotiation"});
  }
  stage_answer out{std::move(*answers), false};
  if (auto refused = check_required_digests(pairs, out.pairs)) return fail(*refused);
  if (!login_->mrdsl_declared) {
    //= rfc7143#section-13.12
    //# The initiator or target declares the maximum data segment length in
    //# bytes it can receive in an iSCSI PDU.
    auto declared = login_->negotiator->offer({"MaxRecvDataSegmentLength"});
    if (declared) append(out.pairs, std::move(*declared));
    login_->mrdsl_declared = true;
  }
  //= rfc7143#section-11.13.6
  //# A Login Response with the T bit set to 1 MUST NOT contain key=value pairs
  //# that may require additional answers from the initiator within the same
  //# stage.
  // An offer of ours that still needs an answer (a digest) keeps T at 0.
  out.stage_complete = login_->negotiator->pending().empty();
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
    if (!offered && !login_->mrdsl_declared) {
      auto ours = login_->negotiator->offer({key});
      if (ours) append(answers, std::move(*ours));
    }
  }
  return std::nullopt;
}

void connection::enter_full_feature(const pdu::pdu&) {
  // Only login negotiates, authenticates and assembles login texts: a
  // connection in the Full Feature Phase needs none of it (and a copy of the
  // connection, the fuzz harnesses' post-login snapshot, copies none of it).
  if (start_session()) login_.reset();
}

// The checks of the Final-Response's request, then the session: a new one,
// or the one this login joins. False when the login failed instead.
bool connection::start_session() {
  const auto fail = [&](login_failure f) {
    login_reject(f);
    return false;
  };
  if (login_->chap && !login_->security_done)
    return fail({login_status::authentication_failure, "rfc7143#section-6.3.1/security-required"});
  //= rfc7143#section-6.2
  //# An iSCSI target MUST perform integrity checking before the new parameters take effect.
  auto negotiated = login_->negotiator->finish(login_->joining ? joined_base(*login_->joining) : login_->params);
  if (!negotiated) {
    note("rfc7143#section-13", std::string(pdu::name(negotiated.error())));
    return fail({login_status::initiator_error, "rfc7143#section-13/integrity"});
  }
  //= rfc7143#section-6.2
  //# Negotiations MUST be handled as atomic operations. For example, all negotiated values go into
  //# effect after the negotiation concludes in agreement or are ignored if the negotiation fails.
  login_->params = std::move(*negotiated);
  login_->params.target_portal_group_tag = node_->config.portal_group_tag;
  const auto& l = node_->config.limits;
  //= rfc7143#section-7.12
  //# During login, any failure in negotiation MUST be considered a login
  //# process failure
  if ((l.header_digest == "CRC32C" && login_->params.header_digest != pdu::digest_type::crc32c) ||
      (l.data_digest == "CRC32C" && login_->params.data_digest != pdu::digest_type::crc32c))
    return fail({login_status::initiator_error, "rfc7143#section-7.12/digest-required"});
  keys_ = connection_keys{login_->params.header_digest, login_->params.data_digest,
                          login_->params.max_recv_data_segment_length, login_->params.max_send_data_segment_length};
  if (login_->adds_connection) {
    if (!enter_added_connection()) return fail({login_status::session_does_not_exist, "rfc7143#section-6.3.1/tsih"});
    return true;
  }
  if (login_->joining) {
    if (!enter_joined_session()) return fail({login_status::session_does_not_exist, "rfc7143#section-6.3.1/tsih"});
    return true;
  }
  if (auto full = check_session_limit()) return fail(*full);
  const auto tsih = node_->sessions.allocate();
  //= rfc7143#section-11.13.5
  //# Out of        | 0302 | The target has insufficient session,
  //# ...
  //# connection, or other resources.
  if (tsih == 0) return fail({login_status::out_of_resources, "rfc7143#section-11.13.5/tsih"});
  start_new_session(tsih);
  return true;
}

void connection::start_new_session(std::uint16_t tsih) {
  const pdu::login_request_view first(login_->first_request);
  const auto& p = login_->params;
  //= rfc7143#section-11.12.8
  //# If the Login Request is a leading Login Request, the target MUST use the
  //# value presented in the CmdSN as the target value for the ExpCmdSN.
  session_ = std::make_shared<session>(tsih, first.isid(), p,
                                       cmdsn_window(first.cmd_sn(), node_->config.limits.queue_depth));
  (void)session_->join(cid_, this);
  const bool discovery = p.session_type == pdu::session_kind::discovery;
  if (!discovery) node_->session_objects[tsih] = session_;
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
                        discovery ? "discovery" : "normal", tsih, p.initiator_name,
                        p.max_recv_data_segment_length, p.max_send_data_segment_length, p.first_burst_length,
                        p.max_burst_length, p.immediate_data, p.initial_r2t,
                        p.header_digest == pdu::digest_type::crc32c, p.data_digest == pdu::digest_type::crc32c));
}

}  // namespace touchstone::target
