// --only-phase: the phases' names, which offers are legal, and whether a
// program belongs to a phase (phase.hpp).
#include "touchstone/fuzz/phase.hpp"

#include <algorithm>
#include <charconv>

#include "touchstone/pdu/opcode.hpp"

namespace touchstone::fuzz {
namespace {

bool legal_value(const pdu::key_spec& k, std::string_view v) {
  switch (k.kind) {
    case pdu::value_kind::number: {
      std::uint64_t n = 0;
      const auto* end = v.data() + v.size();
      const auto [ptr, ec] = std::from_chars(v.data(), end, n);
      return !v.empty() && ec == std::errc{} && ptr == end && n >= k.min && n <= k.max;
    }
    case pdu::value_kind::boolean: return v == "Yes" || v == "No";
    case pdu::value_kind::list:
    case pdu::value_kind::enumerated:
      return k.allowed_values.empty() ? !v.empty()
                                      : std::find(k.allowed_values.begin(), k.allowed_values.end(), v) !=
                                            k.allowed_values.end();
    default: return !v.empty() && v.size() <= k.max_length;
  }
}

bool has_login_request(const program& p) {
  return std::any_of(p.steps.begin(), p.steps.end(),
                     [](const step& s) { return s.pdu.op() == pdu::opcode::login_request; });
}

bool offers_legal(const program& p) {
  return std::all_of(p.login.offers.begin(), p.login.offers.end(), legal_offer);
}

}  // namespace

std::string_view name(only_phase p) {
  switch (p) {
    case only_phase::any: return "any";
    case only_phase::login: return "login";
    case only_phase::ffp: return "ffp";
    case only_phase::discovery: return "discovery";
  }
  return "?";
}

bool parse_phase(std::string_view text, only_phase& out) {
  for (const auto p : {only_phase::any, only_phase::login, only_phase::ffp, only_phase::discovery}) {
    if (text == name(p)) {
      out = p;
      return true;
    }
  }
  return false;
}

bool offerable_in_login(const pdu::key_spec& k) {
  using pdu::key_use;
  using pdu::result_function;
  const bool at_login = k.initiator_use == key_use::io || k.initiator_use == key_use::lo ||
                        k.initiator_use == key_use::all;
  const bool negotiated = k.function != result_function::obsolete && k.function != result_function::authentication &&
                          k.function != result_function::request;
  const bool executors = k.name == "InitiatorName" || k.name == "SessionType" || k.name == "TargetName";
  return at_login && negotiated && !executors && k.origin != pdu::key_origin::rfc3720_obsolete;
}

bool legal_offer(const pdu::key_value& offer) {
  const auto* k = pdu::find_key(offer.key);
  // A key the table does not know is answered NotUnderstood: legal, the
  // login goes on (the generator's "X-org.touchstone.fuzz" and "UnknownKey").
  if (!k) return offer.key == "X-org.touchstone.fuzz" || offer.key == "UnknownKey";
  return offerable_in_login(*k) && legal_value(*k, offer.value);
}

bool of_phase(const program& p, only_phase ph) {
  switch (ph) {
    case only_phase::any: return true;
    case only_phase::login:
      return (p.login.kind == login_kind::none || p.login.kind == login_kind::scripted) &&
             std::all_of(p.steps.begin(), p.steps.end(),
                         [](const step& s) { return s.pdu.op() == pdu::opcode::login_request; });
    case only_phase::ffp: return p.login.kind == login_kind::normal && offers_legal(p) && !has_login_request(p);
    case only_phase::discovery:
      return p.login.kind == login_kind::discovery && offers_legal(p) && !has_login_request(p);
  }
  return false;
}

}  // namespace touchstone::fuzz
