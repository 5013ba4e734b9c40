// The negotiator's own offers, its selections as acceptor, and the final
// parameters with the integrity checks of section 13.
#include <array>
#include <algorithm>
#include <set>

#include "negotiation_rules.hpp"
#include "touchstone/pdu/negotiation.hpp"

namespace touchstone::pdu {

std::string_view name(negotiation_error e) {
  constexpr std::array<std::string_view, 14> names = {
      "key_offered_twice",          "key_renegotiated",
      "not_understood_standard_key", "answer_constant_as_offer",
      "answer_not_admissible",      "wrong_sender",
      "wrong_phase",                "leading_only_key",
      "extension_key_in_discovery", "invalid_value",
      "first_burst_exceeds_max_burst", "outstanding_r2t_must_be_one",
      "unknown_local_key",          "discovery_needs_erl_zero"};
  return names.at(static_cast<std::size_t>(e));
}

std::string_view name(key_outcome o) {
  constexpr std::array<std::string_view, 6> names = {"agreed",   "declared",   "exchanged",
                                                     "rejected", "irrelevant", "not_understood"};
  return names.at(static_cast<std::size_t>(o));
}

result<text_pairs, negotiation_error> negotiator::offer(const std::vector<std::string_view>& keys) {
  text_pairs pairs;
  for (const auto key : keys) {
    const auto* spec = find_key(key);
    if (spec == nullptr) return fail(negotiation_error::unknown_local_key);
    pairs.push_back({std::string(key), std::string(settings_.get(*spec))});
  }
  return offer_pairs(pairs);
}

result<text_pairs, negotiation_error> negotiator::offer_pairs(const text_pairs& pairs) {
  std::set<std::string_view> seen;
  for (const auto& [key, value] : pairs) {
    const auto* spec = find_key(key);
    if (spec == nullptr) return fail(negotiation_error::unknown_local_key);
    if (!seen.insert(key).second && !spec->repeatable) return fail(negotiation_error::key_offered_twice);
    if (auto may = check_may_send(*spec, context_.self); !may) return fail(may.error());
    auto& record = records_[key];
    if (auto fresh = check_not_repeated(*spec, context_.self, record); !fresh) {
      return fail(fresh.error());
    }
    if (is_answer_constant(value)) return fail(negotiation_error::answer_constant_as_offer);
    if (!check_value(*spec, value)) return fail(negotiation_error::invalid_value);
    record.we_sent = true;
    record.our_value = value;
    record.awaiting_answer = rules::is_negotiated(*spec);
    if (spec->function == result_function::declarative) {
      our_declared_.insert_or_assign(key, value);
      settle(key, key_outcome::declared);
    }
    if (key == "SessionType" && value == "Discovery") context_.session = session_kind::discovery;
  }
  return pairs;
}

std::string negotiator::current_value(const key_spec& spec) const {
  if (const auto it = agreed_.find(spec.name); it != agreed_.end()) return it->second;
  return std::string(spec.default_value);
}

bool negotiator::first_burst_irrelevant() const {
  //= rfc7143#section-13.14
  //# Irrelevant when: ( InitialR2T=Yes and ImmediateData=No )
  return current_value(*find_key("InitialR2T")) == "Yes" &&
         current_value(*find_key("ImmediateData")) == "No";
}

std::string negotiator::local_choice(const key_spec& spec) const {
  std::string local(settings_.get(spec));
  if (spec.name == "ErrorRecoveryLevel" && context_.session == session_kind::discovery) {
    //= rfc7143#section-7.4.1
    //# When such a negotiation attempt is made by the remote side, a compliant
    //# iSCSI implementation MUST propose a value of 0 (zero) in response.
    return "0";
  }
  if (spec.name == "FirstBurstLength") {
    //= rfc7143#section-13.14
    //# FirstBurstLength MUST NOT exceed MaxBurstLength.
    // Minimum lets the acceptor select lower, so select within MaxBurstLength.
    const auto burst = parse_number(current_value(*find_key("MaxBurstLength")));
    const auto wanted = parse_number(local);
    if (burst && wanted && *burst < *wanted) return encode_number(*burst);
  }
  return local;
}

negotiator::answer negotiator::select(const key_spec& spec, const key_value& pair) {
  if (spec.name == "FirstBurstLength" && first_burst_irrelevant()) {
    settle(spec.name, key_outcome::irrelevant);
    return {{pair.key, std::string(value_irrelevant)}};
  }
  //= rfc7143#section-6.2.2
  //# For simple-value negotiations, the accepting party MUST answer with the same key.
  auto selected = rules::select(spec, pair.value, local_choice(spec));
  if (selected == value_reject) {
    settle(spec.name, key_outcome::rejected);
  } else {
    agreed_.insert_or_assign(pair.key, selected);
    settle(spec.name, key_outcome::agreed);
  }
  return {{pair.key, std::move(selected)}};
}

//= rfc7143#section-6.2.2
//# Responses are REQUIRED in all other cases, and the value chosen and sent by the acceptor becomes
//# the outcome of the negotiation.
std::vector<std::string> negotiator::pending() const {
  std::vector<std::string> keys;
  for (const auto& [key, record] : records_) {
    const auto* spec = find_key(key);
    if (record.awaiting_answer && !rules::offer_decides(*spec, record.our_value)) {
      keys.push_back(key);
    }
  }
  return keys;
}

namespace {

result<void, negotiation_error> apply(session_parameters& params, std::string_view key,
                                      std::string_view value) {
  if (!apply_key(params, key, value)) return fail(negotiation_error::invalid_value);
  return ok;
}

//= rfc7143#section-6.2
//# Checking for compliance with the integrity rule must only be performed after
//# all the parameters are available (the existent and the newly negotiated).
result<void, negotiation_error> check_integrity(const session_parameters& p) {
  //= rfc7143#section-13.14
  //# FirstBurstLength MUST NOT exceed MaxBurstLength.
  //= rfc7143#section-13.14
  //# Irrelevant when: ( InitialR2T=Yes and ImmediateData=No )
  // An irrelevant FirstBurstLength keeps its default and binds nothing.
  const bool first_burst_relevant = !(p.initial_r2t && !p.immediate_data);
  if (first_burst_relevant && p.first_burst_length > p.max_burst_length) {
    return fail(negotiation_error::first_burst_exceeds_max_burst);
  }
  //= rfc7143#section-13.19
  //# if ErrorRecoveryLevel is not 0 and DataSequenceInOrder is set to Yes, then
  //# MaxOutstandingR2T MUST be set to 1.
  if (p.error_recovery_level != 0 && p.data_sequence_in_order && p.max_outstanding_r2t != 1) {
    return fail(negotiation_error::outstanding_r2t_must_be_one);
  }
  //= rfc7143#section-7.4.1
  //# The operational ErrorRecoveryLevel for Discovery sessions thus MUST be 0.
  if (p.session_type == session_kind::discovery && p.error_recovery_level != 0) {
    return fail(negotiation_error::discovery_needs_erl_zero);
  }
  return ok;
}

}  // namespace

result<session_parameters, negotiation_error> negotiator::finish(session_parameters base) const {
  //= rfc7143#section-6.2
  //# All negotiations are explicit (i.e., the result MUST only be based on newly exchanged or
  //# declared values).
  for (const auto& [key, value] : agreed_) {
    if (auto applied = apply(base, key, value); !applied) return fail(applied.error());
  }
  //= rfc7143#section-6.2.2
  //# The Boolean function is "AND" and the value "No" is received. The outcome of
  //# the negotiation is "No".
  for (const auto& [key, record] : records_) {
    const auto* spec = find_key(key);
    if (record.awaiting_answer && rules::offer_decides(*spec, record.our_value)) {
      if (auto applied = apply(base, key, record.our_value); !applied) return fail(applied.error());
    }
  }
  //= rfc7143#section-13.12
  //# The initiator or target declares the maximum data segment length in bytes
  //# it can receive in an iSCSI PDU.
  for (const auto& [key, value] : peer_declared_) {
    if (key == "MaxRecvDataSegmentLength") {
      base.max_send_data_segment_length = static_cast<std::uint32_t>(*parse_number(value));
    } else if (auto applied = apply(base, key, value); !applied) {
      return fail(applied.error());
    }
  }
  for (const auto& [key, value] : our_declared_) {
    if (auto applied = apply(base, key, value); !applied) return fail(applied.error());
  }
  if (context_.session == session_kind::discovery) base.session_type = session_kind::discovery;
  //= rfc7143#section-6.2
  //# An iSCSI target MUST perform integrity checking before the new parameters take effect.
  if (auto checked = check_integrity(base); !checked) return fail(checked.error());
  return base;
}

}  // namespace touchstone::pdu
