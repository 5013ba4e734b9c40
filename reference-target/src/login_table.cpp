// The Login Phase as a table: {login state, CSG of the request} -> stage
// handler. Anything the table has no row for fails the login in one place.
#include <algorithm>
#include <array>

#include <spdlog/spdlog.h>

#include "touchstone/pdu/login_request.hpp"
#include "touchstone/pdu/login_response.hpp"
#include "touchstone/target/connection.hpp"
#include "mutant_hooks.hpp"

namespace touchstone::target {

using pdu::login_stage;

std::span<const connection::login_row> connection::login_table() {
  //= rfc7143#section-6.3
  //# Stage transitions during login (including entering and exit) are only
  //# possible as outlined in the following table:
  //#
  //#   +-----------------------------------------------------------+
  //#   |From      To ->  | Security    | Operational | FullFeature |
  //#   | |               |             |             |             |
  //#   | V               |             |             |             |
  //#   +-----------------------------------------------------------+
  //#   | (start)         | yes         | yes         | no          |
  //#   +-----------------------------------------------------------+
  //#   | Security        | no          | yes         | yes         |
  //#   +-----------------------------------------------------------+
  //#   | Operational     | no          | no          | yes         |
  //#   +-----------------------------------------------------------+
  //= rfc7143#section-6.3
  //# The Login Phase MAY include a SecurityNegotiation stage and a LoginOperationalNegotiation
  //# stage and MUST include at least one of them
  //= rfc7143#section-6.3
  //# If both stages are used, the SecurityNegotiation MUST precede the LoginOperationalNegotiation.
  static constexpr std::array rows{
      login_row{login_state::start, login_stage::security_negotiation, login_state::security,
                &connection::security_stage},
      login_row{login_state::start, login_stage::operational_negotiation,
                login_state::operational, &connection::operational_stage},
      login_row{login_state::security, login_stage::security_negotiation, login_state::security,
                &connection::security_stage},
      login_row{login_state::operational, login_stage::operational_negotiation,
                login_state::operational, &connection::operational_stage},
  };
  return rows;
}

namespace {

// May a stage transit to `next`? (the same table, read by its columns)
bool transition_allowed(login_stage from, std::uint8_t next) {
  if (from == login_stage::security_negotiation)
    return next == static_cast<std::uint8_t>(login_stage::operational_negotiation) ||
           next == static_cast<std::uint8_t>(login_stage::full_feature_phase);
  return next == static_cast<std::uint8_t>(login_stage::full_feature_phase);
}


//= rfc7143#section-6.2.2
//# Proposing a value not admissible (e.g., not within the specified
//# bounds) MAY be answered with the constant "Reject"; otherwise, the
//# acceptor MUST select an admissible value.
// Mutant inadmissible-offer-echoed breaks it: what the target would answer
// Reject is answered with the offered value itself, as if admissible.
void echo_inadmissible_offers([[maybe_unused]] const mutant_set& set, [[maybe_unused]] const pdu::text_pairs& offers,
                              [[maybe_unused]] pdu::text_pairs& answers) {
  if (!mutated(set, m::inadmissible_offer_echoed)) return;
  for (auto& kv : answers) {
    if (kv.value != pdu::value_reject) continue;
    const auto offer = std::find_if(offers.begin(), offers.end(), [&](const auto& o) { return o.key == kv.key; });
    if (offer != offers.end()) kv.value = offer->value;
  }
}

}  // namespace

void connection::on_login_request(const pdu::pdu& p) {
  const pdu::login_request_view req(p);
  if (phase_ == phase::awaiting_login) {
    phase_ = phase::login;
    login_->first_request = p.bhs;
  }
  if (auto bad = check_login_header(p)) return login_reject(*bad);
  const auto rows = login_table();
  const auto row = std::find_if(rows.begin(), rows.end(), [&](const login_row& r) {
    return r.state == login_->state && static_cast<std::uint8_t>(r.csg) == req.raw_csg();
  });
  if (row == rows.end()) {
    note("rfc7143#section-6.3/stage-sequence",
         fmt::format("CSG {} in login state {}", req.raw_csg(), static_cast<int>(login_->state)));
    return login_reject({pdu::login_status::initiator_error, "rfc7143#section-6.3/stage-sequence"});
  }
  //= rfc7143#section-6.3
  //# The selected NSG MUST NOT exceed the value stated by the initiator.
  if (req.transit() && !transition_allowed(row->csg, req.raw_nsg())) {
    return login_reject({pdu::login_status::initiator_error, "rfc7143#section-6.3/transition"});
  }
  login_->state = row->becomes;
  const auto added = login_->text.add(p.data, req.continue_bit());
  if (!added) return login_reject({pdu::login_status::initiator_error, "rfc7143#section-6.1"});
  //= rfc7143#section-11.12.2
  //# When set to 1, this bit indicates that the text (set of key=value pairs)
  //# in this Login Request is not complete
  if (*added == pdu::text_assembler::state::need_more) return login_respond(p, {}, false);
  auto pairs = login_->text.take();
  if (!pairs) return login_reject({pdu::login_status::initiator_error, "rfc7143#section-6.1"});
  if (!login_->first_text_done) {
    if (auto bad = check_first_text(*pairs)) return login_reject(*bad);
    login_->first_text_done = true;
  }
  if (redirect_due(row->csg)) return login_redirect();
  auto answer = (this->*(row->run))(*pairs, req.transit());
  if (!answer) return login_reject(answer.error());
  echo_inadmissible_offers(node_->config.mutants, *pairs, answer->pairs);  // mutant inadmissible-offer-echoed
  mutate_login_keys(node_->config.mutants, *pairs, answer->pairs);  // declarative-key-echoed, ... (mutant_login.cpp)
  if (hold_for_redirect()) answer->stage_complete = false;
  //= rfc7143#section-11.13.6
  //# If the Status-Class is 0, the T bit MUST NOT be set to 1 if the T bit in
  //# the request was set to 0.
  login_respond(p, std::move(answer->pairs), req.transit() && answer->stage_complete);
}

// The TSIH of a Login Response before the Final-Response: the request's.
// Mutant login-tsih-early breaks rfc7143#section-11.13.3 (a new session's
// TSIH ONLY in the Final-Response): a new session gets a non-zero one early
// (one the registry never hands out before 0xffff).
std::uint16_t connection::early_tsih(std::uint16_t requested) const {
  if (mutated(m::login_tsih_early) && requested == 0) return 0xffff;
  return requested;
}

namespace {

// The mutants of the keys a Login Response answers (mutant.hpp).
void mutate_login_answer([[maybe_unused]] const mutant_set& set, [[maybe_unused]] pdu::text_pairs& pairs) {
  //= rfc7143#section-13.11
  //# Result function is AND.
  // Mutant immediate-data-and-ignored breaks it: an offer of No (whose AND
  // result is No, the value this target keeps) is answered Yes.
  if (mutated(set, m::immediate_data_and_ignored))
    for (auto& kv : pairs)
      if (kv.key == "ImmediateData" && kv.value == "No") kv.value = "Yes";
  //= rfc7143#section-6.2
  //# However, the answer for a key that is not understood MUST be key=NotUnderstood.
  // Mutant unknown-key-ignored breaks it: such keys go unanswered.
  if (mutated(set, m::unknown_key_ignored))
    std::erase_if(pairs, [](const auto& kv) { return kv.value == pdu::value_not_understood; });
  //= rfc7143#section-6.2.2
  //# The selection, by the acceptor, of a value not admissible under the
  //# selection rules is considered a protocol error.
  // Mutant negotiation-result-ignored breaks it: the keys below are answered
  // with a preference of the target's, whatever the offer (the target itself
  // keeps the legal result).
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> preferred{{
      {"MaxConnections", "4"}, {"MaxOutstandingR2T", "16"}, {"FirstBurstLength", "65536"},
      {"MaxBurstLength", "262144"}, {"DefaultTime2Wait", "2"}, {"DefaultTime2Retain", "20"},
      {"ErrorRecoveryLevel", "2"}, {"InitialR2T", "No"}, {"DataPDUInOrder", "No"}, {"DataSequenceInOrder", "No"}}};
  //= rfc7143#section-13.21
  //# The Discovery session implies MaxConnections = 1 and overrides both
  //# the default and an explicit setting.
  // Mutant discovery-max-connections-relevant breaks it: the Irrelevant
  // answer of a Discovery session becomes 4.
  if (mutated(set, m::discovery_max_connections_relevant))
    for (auto& kv : pairs)
      if (kv.key == "MaxConnections" && kv.value == "Irrelevant") kv.value = "4";
  if (mutated(set, m::negotiation_result_ignored))
    for (auto& kv : pairs)
      for (const auto& [key, value] : preferred)
        if (kv.key == key && kv.value != "Reject" && kv.value != "Irrelevant" &&
            kv.value != pdu::value_not_understood)
          kv.value = std::string(value);
}

}  // namespace

void connection::login_respond(const pdu::pdu& request, pdu::text_pairs pairs, bool transit) {
  const pdu::login_request_view req(request);
  //= rfc7143#section-6.3.1
  //# During the Login Phase, the iSCSI target MUST return the
  //# TargetPortalGroupTag key with the first Login Response PDU with which
  //# it is allowed to do so (i.e., the first Login Response issued after
  //# the first Login Request with the C bit set to 0) for all session
  //# types.
  // Mutant login-tpgt-missing breaks it: the key is never returned.
  //= rfc7143#section-11.13.8
  //# The target MUST provide some basic parameters in order to enable the
  //# initiator to determine if it is connected to the correct port and the
  //# initial text parameters for the security exchange.
  if (login_->first_text_done && !login_->tpgt_sent && !mutated(m::login_tpgt_missing)) {
    pairs.insert(pairs.begin(), {"TargetPortalGroupTag",
                                 std::to_string(node_->config.portal_group_tag)});
    login_->tpgt_sent = true;
    //= rfc7143#section-13.6
    //# If a target has been configured with a human-readable name or
    //# description, this name SHOULD be communicated to the initiator during
    //# a Login Response PDU if SessionType=Normal
    if (!node_->config.alias.empty() && login_->params.session_type == pdu::session_kind::normal)
      pairs.insert(pairs.begin() + 1, {"TargetAlias", node_->config.alias});
  }
  mutate_login_answer(node_->config.mutants, pairs);
  const bool final_response = transit && req.nsg() == login_stage::full_feature_phase;
  if (final_response) {
    // The login context is gone after this (enter_full_feature): what
    // follows builds the response from the request and the session.
    enter_full_feature(request);
    if (phase_ == phase::closing) return;
  } else if (transit && req.nsg() == login_stage::operational_negotiation) {
    login_->state = login_state::operational;
    if (login_->negotiator) login_->negotiator->set_phase(pdu::negotiation_phase::operational);
  }
  pdu::login_response_builder b;
  b.initiator_task_tag(req.initiator_task_tag())
      //= rfc7143#section-4.2.4
      //# The login PDU includes the ISID part of the session ID (SSID).
      // The response names the request's session: mutant login-isid-wrong
      // breaks it (the ISID's last bit flipped).
      .isid(mutated(m::login_isid_wrong) ? req.isid() ^ 1 : req.isid())
      //= rfc7143#section-11.13.3
      //# For a new session, the target MUST generate a non-zero TSIH and ONLY
      //# return it in the Login Final-Response
      // Mutant login-tsih-zero breaks it: the Final-Response carries 0.
      //= rfc7143#section-6.3.2
      //# If the next stage is FullFeaturePhase, the target MUST reply with a Login Response with
      //# the TSIH value.
      .tsih(final_response ? (mutated(m::login_tsih_zero) ? std::uint16_t{0} : tsih()) : early_tsih(req.tsih()))
      .raw_csg(req.raw_csg())
      .stat_sn(take_stat_sn())
      .exp_cmd_sn(final_response ? exp_cmd_sn() : req.cmd_sn())
      .max_cmd_sn(final_response ? max_cmd_sn() : req.cmd_sn())
      //= rfc7143#section-11.13.2
      //# Version-active indicates the highest version supported by the target and initiator.
      //= rfc7143#section-11.13.1
      //# All Login Responses within the Login Phase MUST carry the same
      //# Version-max.
      .version_max(pdu::iscsi_version)
      //= rfc7143#section-11.13.2
      //# All Login Responses within the Login Phase MUST carry the same
      //# Version-active.
      .version_active(pdu::iscsi_version)
      .status(pdu::login_status::success);
  if (transit) b.transit_to(req.nsg());
  //= rfc7143#section-11.13.6
  //# If the Status-Class is 0, the T bit MUST NOT be set to 1 if the T bit in
  //# the request was set to 0.
  // Mutant login-transit-unasked breaks it: T=1 answers T=0 (the stage stays).
  if (mutated(m::login_transit_unasked) && !req.transit()) b.transit_to(req.nsg());
  b.data(pdu::encode_text(pairs));
  // The Login Final-Response goes out before digests begin.
  const bool digests_after = final_response;
  if (digests_after) digests_on_ = false;
  auto response = b.build();
  mutate_login_response(node_->config.mutants, response);  // login-nsg-beyond-request, ... (mutant_login.cpp)
  exchange_response_sent(response.header().u32(24));  // StatSN
  send(std::move(response));
  if (digests_after) digests_on_ = true;
}

//= rfc7143#section-11.13.5
//# If the Status-Class is not 0, the initiator and target MUST close the TCP connection.
void connection::login_reject(login_failure f) {
  note(f.requirement, fmt::format("login rejected with status {:04x}",
                                  static_cast<unsigned>(f.status)));
  send(login_failure_response(f.status, {}));
  close("login rejected");
}

// A Login Response with a Status-Class other than 0 (a reject or a redirect).
pdu::pdu connection::login_failure_response(pdu::login_status status, pdu::byte_buffer text) const {
  // Only the Login Phase answers with it, so the login context is there.
  static const pdu::bhs_bytes no_request{};
  const pdu::login_request_view first(login_ ? login_->first_request : no_request);
  //= rfc7143#section-6.3.1
  //# Login Response with Login reject ... The T bit, the CSG field, and the NSG
  //# field are reserved.
  pdu::login_response_builder b;
  b.initiator_task_tag(first.initiator_task_tag())
      .isid(first.isid())
      .tsih(first.tsih())
      .stat_sn(stat_sn_)
      .status(status)
      //= rfc7143#section-11.13.2
      //# If the target does not support a version within the range specified by
      //# the initiator, the target rejects the login and this field indicates
      //# the lowest version supported by the target.
      .version_max(pdu::iscsi_version)
      .version_active(pdu::iscsi_version);
  if (!text.empty()) b.data(std::move(text));
  return b.build();
}

//= rfc7143#section-4.2.4
//# Once the Login Phase has started, if the target receives any PDU except a
//# Login Request, it MUST send a Login reject (with Status "invalid during
//# login") and then disconnect.
void connection::login_reject_invalid(const pdu::pdu&) {
  login_reject({pdu::login_status::invalid_during_login, "rfc7143#section-4.2.4/login-only"});
}

}  // namespace touchstone::target
