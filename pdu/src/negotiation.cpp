// The negotiation engine: each received pair is an answer to our offer, or an
// offer or declaration of the peer; the key table decides everything else.
#include "touchstone/pdu/negotiation.hpp"

#include <algorithm>
#include <numeric>
#include <set>

#include "negotiation_rules.hpp"

namespace touchstone::pdu {

void local_settings::set(std::string_view key, std::string value) {
  values_.insert_or_assign(std::string(key), std::move(value));
}

std::string_view local_settings::get(const key_spec& spec) const {
  const auto it = values_.find(spec.name);
  return it != values_.end() ? std::string_view(it->second) : spec.default_value;
}

negotiator::negotiator(negotiation_context context, local_settings settings)
    : context_(context), settings_(std::move(settings)) {}

role negotiator::peer() const {
  return context_.self == role::initiator ? role::target : role::initiator;
}

void negotiator::settle(std::string_view key, key_outcome outcome) {
  outcomes_.insert_or_assign(std::string(key), outcome);
}

const key_outcome* negotiator::outcome(std::string_view key) const {
  const auto it = outcomes_.find(key);
  return it != outcomes_.end() ? &it->second : nullptr;
}

namespace {

// SessionType first: it decides which keys are relevant. FirstBurstLength last:
// its relevance and bound depend on InitialR2T, ImmediateData and MaxBurstLength
// (section 6.2: integrity rules apply once all parameters are available).
int processing_rank(std::string_view key) {
  if (key == "SessionType") return 0;
  if (key == "FirstBurstLength") return 2;
  return 1;
}

bool repeat_allowed(const key_spec& spec, role sender) {
  //= rfc7143#section-6.3
  //# except for responses to specific keys that explicitly allow repeated key
  //# declarations (e.g., TargetAddress)
  return spec.repeatable && sender == role::target;
}

}  // namespace

result<text_pairs, negotiation_error> negotiator::receive(const text_pairs& incoming) {
  std::vector<std::size_t> order(incoming.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return processing_rank(incoming[a].key) < processing_rank(incoming[b].key);
  });
  std::vector<answer> answers(incoming.size());
  std::set<std::string_view> seen;
  for (const auto index : order) {
    const auto& pair = incoming[index];
    const auto* spec = find_key(pair.key);
    //= rfc7143#section-6.3
    //# Neither the initiator nor the target should attempt to declare or negotiate
    //# a parameter more than once during login ... An attempt to
    //# renegotiate/redeclare parameters not specifically allowed MUST be detected
    const bool may_repeat = spec != nullptr && repeat_allowed(*spec, peer());
    if (!seen.insert(pair.key).second && !may_repeat) return fail(negotiation_error::key_offered_twice);
    auto handled = handle(pair);
    if (!handled) return fail(handled.error());
    answers[index] = std::move(handled).value();
  }
  text_pairs out;
  for (auto& a : answers) out.insert(out.end(), a.begin(), a.end());
  return out;
}

result<negotiator::answer, negotiation_error> negotiator::handle(const key_value& pair) {
  const auto* spec = find_key(pair.key);
  //= rfc7143#section-6.2
  //# All keys in this document MUST be supported by iSCSI initiators and targets when used as
  //# specified here. If used as specified, these keys MUST NOT be answered with NotUnderstood.
  if (spec == nullptr) return handle_unknown(pair);
  auto& record = records_[pair.key];
  if (record.awaiting_answer) return handle_answer(*spec, record, pair.value);
  if (pair.value == value_not_understood && record.we_sent) {
    // NotUnderstood answering our declaration.
    return handle_answer(*spec, record, pair.value);
  }
  //= rfc7143#section-6.2
  //# Violation of this rule is a protocol error (in particular, the use of
  //# "Reject", "Irrelevant", and "NotUnderstood" as proposed values).
  if (is_answer_constant(pair.value)) return fail(negotiation_error::answer_constant_as_offer);
  return handle_offer(*spec, record, pair);
}

result<negotiator::answer, negotiation_error> negotiator::handle_unknown(const key_value& pair) {
  //= rfc7143#section-13.22
  //# Vendor-specific keys MUST ONLY be used in Normal sessions.
  if (is_private_extension_key(pair.key) && context_.session == session_kind::discovery) {
    return fail(negotiation_error::extension_key_in_discovery);
  }
  // We never offer keys we do not know, so no answer constant can be expected.
  if (is_answer_constant(pair.value)) return fail(negotiation_error::answer_constant_as_offer);
  if (!unknown_seen_.insert(pair.key).second) return fail(negotiation_error::key_renegotiated);
  settle(pair.key, key_outcome::not_understood);
  //= rfc7143#section-6.2
  //# However, the answer for a key that is not understood MUST be key=NotUnderstood.
  return answer{{pair.key, std::string(value_not_understood)}};
}

result<negotiator::answer, negotiation_error> negotiator::handle_answer(const key_spec& spec,
                                                                        key_record& record,
                                                                        std::string_view value) {
  record.awaiting_answer = false;
  //= rfc7143#section-6.2
  //# A proposer of an iSCSI key, negotiated or declarative, in a text key exchange MUST thus be
  //# able to properly handle a NotUnderstood response.
  if (value == value_not_understood) {
    //= rfc7143#section-6.2
    //# An iSCSI implementation MUST comprehend all text keys defined in this
    //# document. Returning a NotUnderstood response on any of these text keys
    //# therefore MUST be considered a protocol error
    if (spec.origin == key_origin::rfc7143) return fail(negotiation_error::not_understood_standard_key);
    settle(spec.name, key_outcome::not_understood);
    return answer{};
  }
  //= rfc7143#section-6.2
  //# If the acceptor sends "Reject" as an answer, the negotiated key is left at
  //# its current value (or default if no value was set).
  if (value == value_reject || value == value_irrelevant) {
    settle(spec.name, value == value_reject ? key_outcome::rejected : key_outcome::irrelevant);
    return answer{};
  }
  //= rfc7143#section-6.2.2
  //# The selection, by the acceptor, of a value not admissible under the
  //# selection rules is considered a protocol error.
  if (!rules::admissible(spec, record.our_value, value)) {
    keep_legal_result(spec, record.our_value, value);
    return fail(negotiation_error::answer_not_admissible);
  }
  agreed_.insert_or_assign(std::string(spec.name), std::string(value));
  settle(spec.name, key_outcome::agreed);
  return answer{};
}

// The error stands (the caller fails the login or reports it); the outcome
// kept is the result function applied to our offer and the answer (AND with
// No is No, Minimum is the smaller), so a caller that carries on, such as the
// conformance engine judging a broken target, proceeds with the legal result
// and never with the illegal answer. No legal result (an answer outside the
// key's range or list): the key stays at its default, as after Reject.
void negotiator::keep_legal_result(const key_spec& spec, std::string_view ours, std::string_view answer) {
  auto legal = rules::select(spec, answer, ours);
  if (legal == value_reject && rules::offer_decides(spec, ours)) legal = std::string(ours);
  if (legal == value_reject) return;
  agreed_.insert_or_assign(std::string(spec.name), std::move(legal));
  settle(spec.name, key_outcome::agreed);
}

result<void, negotiation_error> negotiator::check_may_send(const key_spec& spec, role sender) const {
  if (use_for(spec, sender) == key_use::never) return fail(negotiation_error::wrong_sender);
  //= rfc7143#section-13
  //# Some session-specific parameters MUST only be carried on the leading
  //# connection ... The keys that fall into this category have the "use: LO"
  if (leading_only(spec, sender) && !context_.leading_connection) {
    return fail(negotiation_error::leading_only_key);
  }
  //= rfc7143#section-6.3
  //# Authentication-related security keys (Section 12) MUST be completely negotiated within the
  //# Login Phase.
  if (!allowed_in_phase(spec, sender, context_.phase)) return fail(negotiation_error::wrong_phase);
  return ok;
}

result<void, negotiation_error> negotiator::check_not_repeated(const key_spec& spec, role sender,
                                                               const key_record& record) const {
  if (repeat_allowed(spec, sender)) return ok;
  const bool sent_before = sender == context_.self ? record.we_sent : record.peer_sent;
  // A negotiated key is settled once either side offered it and it was answered.
  const bool negotiated_before = rules::is_negotiated(spec) && (record.we_sent || record.peer_sent);
  //= rfc7143#section-6.2
  //# Sending the key again would be a renegotiation and is forbidden for many keys.
  //= rfc7143#section-13.26.1
  //# X#NodeArchitecture MUST NOT be redeclared during the Login Phase.
  // (A declarative key the peer sent before is sent_before.)
  if (sent_before || negotiated_before) return fail(negotiation_error::key_renegotiated);
  return ok;
}

result<negotiator::answer, negotiation_error> negotiator::handle_offer(const key_spec& spec,
                                                                       key_record& record,
                                                                       const key_value& pair) {
  if (spec.function == result_function::obsolete) {
    if (record.peer_sent) return fail(negotiation_error::key_renegotiated);
    record.peer_sent = true;
    settle(spec.name, key_outcome::rejected);
    //= rfc7143#section-13.25
    //# the implementation MUST NOT respond with a "NotUnderstood" value for either of these keys.
    //= rfc7143#section-13.25
    //# When an IFMarkInt or OFMarkInt key is received ... The implementation
    //# MUST NOT respond with a "NotUnderstood" value for either of these keys.
    const bool say_no = settings_.answer_markers_with_no && spec.kind == value_kind::boolean;
    return answer{{pair.key, std::string(say_no ? "No" : value_reject)}};
  }
  if (auto may = check_may_send(spec, peer()); !may) return fail(may.error());
  if (auto fresh = check_not_repeated(spec, peer(), record); !fresh) return fail(fresh.error());
  record.peer_sent = true;
  //= rfc7143#section-6.2
  //# If a specific key is not relevant for the current negotiation, the acceptor
  //# may answer with the constant "Irrelevant" for all types of negotiations.
  if (spec.irrelevant_in_discovery && context_.session == session_kind::discovery) {
    settle(spec.name, key_outcome::irrelevant);
    return answer{{pair.key, std::string(value_irrelevant)}};
  }
  const auto checked = check_value(spec, pair.value);
  if (!checked && checked.error() == value_error::reserved_constant) {
    return fail(negotiation_error::answer_constant_as_offer);
  }
  if (rules::is_negotiated(spec)) return select(spec, pair);
  if (!checked) return fail(negotiation_error::invalid_value);
  return accept_declaration(spec, pair);
}

result<negotiator::answer, negotiation_error> negotiator::accept_declaration(const key_spec& spec,
                                                                             const key_value& pair) {
  peer_declared_.insert_or_assign(pair.key, pair.value);
  const bool declaration = spec.function == result_function::declarative;
  settle(spec.name, declaration ? key_outcome::declared : key_outcome::exchanged);
  if (spec.name == "SessionType") {
    context_.session = pair.value == "Discovery" ? session_kind::discovery : session_kind::normal;
  }
  return answer{};
}

}  // namespace touchstone::pdu
