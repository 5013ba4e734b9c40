// The text negotiation engine of RFC 7143 section 6.2, for both sides: the
// target answering an initiator's offers, and the initiator evaluating the
// answers to its own (and answering the target's). One negotiator spans one
// negotiation: a whole Login Phase (its stages are set with set_phase), or one
// Text Request/Response sequence in the Full Feature Phase.
//
//   negotiator n({.self = role::target, .phase = negotiation_phase::operational}, settings);
//   auto answers = n.receive(pairs_from_the_initiator);   // error: fail the login
//   auto params = n.finish();                             // integrity checks
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "touchstone/pdu/keys.hpp"
#include "touchstone/pdu/result.hpp"
#include "touchstone/pdu/session_parameters.hpp"
#include "touchstone/pdu/text.hpp"

namespace touchstone::pdu {

// Every error is a protocol error: the caller fails the login (target: Login
// reject, initiator error; initiator: drop the connection) or the Text sequence.
enum class negotiation_error : std::uint8_t {
  key_offered_twice,              // the same key twice in one PDU's text
  key_renegotiated,               // a key sent again after its negotiation
  not_understood_standard_key,    // NotUnderstood answered for an RFC 7143 key
  answer_constant_as_offer,       // Reject/Irrelevant/NotUnderstood proposed or declared
  answer_not_admissible,          // the peer's selection breaks the result function
  wrong_sender,                   // a key the sender's role may not send
  wrong_phase,                    // a key not allowed in this stage or phase
  leading_only_key,               // an LO key on a connection that is not leading
  extension_key_in_discovery,     // an X- key in a Discovery session
  invalid_value,                  // an illegal declared or exchanged value
  first_burst_exceeds_max_burst,  // FirstBurstLength > MaxBurstLength
  outstanding_r2t_must_be_one,    // ERL>0 and DataSequenceInOrder=Yes need MaxOutstandingR2T=1
  unknown_local_key,              // offer() of a key the table does not hold
  discovery_needs_erl_zero,       // ErrorRecoveryLevel other than 0 in a Discovery session
};

std::string_view name(negotiation_error e);

// What this side supports or wants, per key: for a list key its supported
// values in preference order ("CRC32C,None"); for a numeric key the value it
// would select (its limit); for a boolean its own choice; for a declarative key
// the value it declares. Keys not set fall back to the RFC default.
class local_settings {
 public:
  void set(std::string_view key, std::string value);
  // The configured value, else the key's default (empty when it has none).
  std::string_view get(const key_spec& spec) const;

  //= rfc7143#section-13.25
  //# The implementation MAY alternatively respond with a "No" value.
  bool answer_markers_with_no = false;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

struct negotiation_context {
  role self = role::target;
  negotiation_phase phase = negotiation_phase::operational;
  session_kind session = session_kind::normal;  // SessionType=Discovery updates it
  bool leading_connection = true;
};

// How one key ended, for logs, tests and the caller's decisions.
enum class key_outcome : std::uint8_t {
  agreed,          // a negotiated value both sides hold
  declared,        // a declaration (ours or the peer's)
  exchanged,       // an authentication step or SendTargets request, for the caller
  rejected,        // Reject: the key keeps its current value
  irrelevant,      // Irrelevant: the key keeps its current value
  not_understood,  // NotUnderstood (allowed for extension and RFC 7144 keys)
};

std::string_view name(key_outcome o);

class negotiator {
 public:
  negotiator(negotiation_context context, local_settings settings);

  // Login stage transition (security -> operational), or entering FFP.
  void set_phase(negotiation_phase phase) { context_.phase = phase; }
  const negotiation_context& context() const { return context_; }

  // This side's offers and declarations for `keys`, valued from the settings.
  result<text_pairs, negotiation_error> offer(const std::vector<std::string_view>& keys);
  // The same with explicit values.
  result<text_pairs, negotiation_error> offer_pairs(const text_pairs& pairs);

  // Processes the pairs of one received LTDS and returns the answers to send.
  // An answer not admissible under its key's result function is an error,
  // and agreed() then holds the legal result (the function applied to our
  // offer and the answer) when there is one.
  result<text_pairs, negotiation_error> receive(const text_pairs& incoming);

  // Keys this side offered that still need an answer. Boolean offers whose
  // result the offer alone decides (AND with No, OR with Yes) are not pending.
  std::vector<std::string> pending() const;

  // Negotiated results and declarations so far.
  const std::map<std::string, std::string, std::less<>>& agreed() const { return agreed_; }
  const std::map<std::string, std::string, std::less<>>& declared_by_peer() const {
    return peer_declared_;
  }
  const std::map<std::string, std::string, std::less<>>& declared_by_us() const {
    return our_declared_;
  }
  // The outcome of a key (nullptr while it has none).
  const key_outcome* outcome(std::string_view key) const;

  // The parameters after this negotiation: base updated with every agreed
  // value and declaration, then checked against the integrity rules.
  result<session_parameters, negotiation_error> finish(session_parameters base = {}) const;

 private:
  struct key_record {
    bool awaiting_answer = false;  // we offered a negotiated key
    bool we_sent = false;          // we offered or declared it
    bool peer_sent = false;        // the peer offered or declared it
    std::string our_value;
  };
  using answer = std::vector<key_value>;  // zero or one pair

  result<answer, negotiation_error> handle(const key_value& pair);
  result<answer, negotiation_error> handle_unknown(const key_value& pair);
  result<answer, negotiation_error> handle_answer(const key_spec& spec, key_record& record,
                                                  std::string_view value);
  result<answer, negotiation_error> handle_offer(const key_spec& spec, key_record& record,
                                                 const key_value& pair);
  void keep_legal_result(const key_spec& spec, std::string_view ours, std::string_view answer);
  result<void, negotiation_error> check_may_send(const key_spec& spec, role sender) const;
  result<void, negotiation_error> check_not_repeated(const key_spec& spec, role sender,
                                                     const key_record& record) const;
  result<answer, negotiation_error> accept_declaration(const key_spec& spec,
                                                       const key_value& pair);
  answer select(const key_spec& spec, const key_value& pair);
  std::string local_choice(const key_spec& spec) const;
  bool first_burst_irrelevant() const;
  std::string current_value(const key_spec& spec) const;
  role peer() const;
  void settle(std::string_view key, key_outcome outcome);

  negotiation_context context_;
  local_settings settings_;
  std::map<std::string, key_record, std::less<>> records_;
  std::map<std::string, std::string, std::less<>> agreed_;
  std::map<std::string, std::string, std::less<>> peer_declared_;
  std::map<std::string, std::string, std::less<>> our_declared_;
  std::map<std::string, key_outcome, std::less<>> outcomes_;
  std::set<std::string, std::less<>> unknown_seen_;
};

}  // namespace touchstone::pdu
