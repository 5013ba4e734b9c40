// Login plans: key offers drawn from the key table (pdu/keys.hpp) in range,
// out of range, at boundaries, of the wrong type, long, repeated; and the
// Login Requests of a scripted login (stages, T/C bits, versions, keys).
#include <algorithm>
#include <array>
#include <string>

#include "pick.hpp"
#include "touchstone/fuzz/generator.hpp"
#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/keys.hpp"

namespace touchstone::fuzz {
namespace {

using pdu::value_kind;

// The value a scripted login's TargetName carries; the executor writes the
// run's target name in its place.
constexpr std::string_view target_placeholder = "$TARGET";
constexpr std::string_view initiator_name = "iqn.2026-12.org.touchstone:fuzz";

std::string good_value(rng& r, const pdu::key_spec& k) {
  switch (k.kind) {
    case value_kind::number:
      return std::to_string(chance(r, 30) ? (chance(r, 50) ? k.min : k.max)
                                          : uniform(r, k.min, k.max));
    case value_kind::boolean: return chance(r, 50) ? "Yes" : "No";
    case value_kind::list:
    case value_kind::enumerated:
      if (!k.allowed_values.empty())
        return std::string(k.allowed_values[uniform(r, 0, k.allowed_values.size() - 1)]);
      return std::string(k.default_value);
    case value_kind::iscsi_name: return std::string(initiator_name);
    case value_kind::send_targets: return "All";
    default: return k.default_value.empty() ? "None" : std::string(k.default_value);
  }
}

std::string bad_value(rng& r, const pdu::key_spec& k) {
  switch (uniform(r, 0, 5)) {
    case 0:  // out of range (numbers) or an unknown word
      return k.kind == value_kind::number ? std::to_string(k.max + 1) : "Unknown-Value";
    case 1: return std::to_string(boundary_value(r, 64));
    case 2: return k.kind == value_kind::boolean ? "4096" : "Yes";  // the wrong type
    case 3: return std::string(uniform(r, 256, 1100), chance(r, 50) ? '9' : 'a');  // long
    case 4: return "";
    default: return good_value(r, k) + "," + good_value(r, k);  // a list where one fits
  }
}

// The login plan kinds' weights (normal, discovery, scripted, none) under
// --only-phase.
std::array<unsigned, 4> login_weights(const program_mix& m, only_phase only) {
  switch (only) {
    case only_phase::login: return {0, 0, 85, 15};
    case only_phase::ffp: return {1, 0, 0, 0};
    case only_phase::discovery: return {0, 1, 0, 0};
    default: return {m.login_normal, m.login_discovery, m.login_scripted, m.login_none};
  }
}

unsigned bad_offers_pct(const program_mix& m, only_phase only) {
  switch (only) {
    case only_phase::login: return std::max(m.bad_offer_pct, 50u);  // the login is what is fuzzed
    case only_phase::ffp:
    case only_phase::discovery: return 0;
    default: return m.bad_offer_pct;
  }
}

}  // namespace

pdu::text_pairs generator::offers(bool discovery) {
  const auto& m = options_.mix;
  const auto table = pdu::key_table();
  // Most logins offer only keys an initiator may offer, in range, so the
  // session reaches the Full Feature Phase; bad_offer_pct of them carry bad
  // offers (then about half their offers are bad). --only-phase ffp and
  // discovery offer none: their programs are about what follows the login.
  const bool bad_login = bad_offers_pct(m, options_.only) > 0 && chance(rng_, bad_offers_pct(m, options_.only));
  pdu::text_pairs out;
  const auto n = uniform(rng_, 0, m.offers_max);
  for (std::uint64_t i = 0; i < n && out.size() < max_offers; ++i) {
    if (bad_login && !out.empty() && chance(rng_, 10)) {  // a repeat
      out.push_back(out[uniform(rng_, 0, out.size() - 1)]);
      continue;
    }
    if (chance(rng_, 4)) {  // answered NotUnderstood: legal, and the session goes on
      out.push_back({chance(rng_, 50) ? "X-org.touchstone.fuzz" : "UnknownKey", "1"});
      continue;
    }
    const auto& k = table[uniform(rng_, 0, table.size() - 1)];
    if (discovery && k.irrelevant_in_discovery && chance(rng_, 50)) continue;
    const bool bad = bad_login && chance(rng_, 50);
    if (!bad && !offerable_in_login(k)) continue;
    out.push_back({std::string(k.name), bad ? bad_value(rng_, k) : good_value(rng_, k)});
  }
  return out;
}

login_plan generator::login() {
  const auto& m = options_.mix;
  login_plan l;
  const auto w = login_weights(m, options_.only);
  switch (weighted(rng_, {w[0], w[1], w[2], w[3]})) {
    case 0: l.kind = login_kind::normal; break;
    case 1: l.kind = login_kind::discovery; break;
    case 2: l.kind = login_kind::scripted; break;
    default: l.kind = login_kind::none; break;
  }
  l.offers = offers(l.kind == login_kind::discovery);
  l.chap = chance(rng_, 20);
  if (chance(rng_, 10)) l.isid = boundary_value(rng_, 48);
  if (chance(rng_, 5)) l.tsih = static_cast<std::uint16_t>(boundary_value(rng_, 16));
  if (chance(rng_, 5)) l.cid = static_cast<std::uint16_t>(boundary_value(rng_, 16));
  return l;
}

std::vector<step> generator::login_steps(const login_plan& plan) {
  using pdu::login_stage;
  pdu::text_pairs first = {{"InitiatorName", std::string(initiator_name)},
                           {"SessionType", chance(rng_, 80) ? "Normal" : "Discovery"},
                           {"TargetName", std::string(target_placeholder)}};
  auto base = [&] {
    pdu::login_request_builder b;
    b.isid(plan.isid).tsih(plan.tsih).cid(plan.cid).initiator_task_tag(0);
    return b;
  };
  std::vector<step> out;
  const bool security_first = chance(rng_, 50);
  if (security_first) {
    first.push_back({"AuthMethod", chance(rng_, 80) ? "None" : "CHAP,None"});
    out.push_back({base().csg(login_stage::security_negotiation)
                       .transit_to(login_stage::operational_negotiation)
                       .data(pdu::encode_text(first)).build(), {}});
    first.clear();
  }
  for (auto& kv : plan.offers) first.push_back(kv);
  const auto text = pdu::encode_text(first);
  const bool continued = chance(rng_, 10) && text.size() > 1;
  const std::size_t cut = continued ? text.size() / 2 : text.size();
  auto op = base().csg(login_stage::operational_negotiation);
  if (continued) {
    op.continue_bit(true).data(pdu::bytes_view{text}.first(cut));
    out.push_back({op.build(), {}});
    op = base().csg(login_stage::operational_negotiation);
  }
  op.transit_to(login_stage::full_feature_phase).data(pdu::bytes_view{text}.subspan(cut));
  out.push_back({op.build(), {}});
  if (chance(rng_, 20)) {  // stages, bits and versions off the map
    auto& bhs = out[uniform(rng_, 0, out.size() - 1)].pdu.bhs;
    bhs[1] = static_cast<std::uint8_t>(rng_());
    if (chance(rng_, 30)) bhs[2] = static_cast<std::uint8_t>(boundary_value(rng_, 8));
  }
  return out;
}

step generator::login_step() {
  login_plan plan;
  plan.offers = offers(false);
  auto steps = login_steps(plan);
  return steps[uniform(rng_, 0, steps.size() - 1)];
}

}  // namespace touchstone::fuzz
