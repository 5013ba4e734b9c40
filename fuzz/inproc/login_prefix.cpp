// The well-formed login the in-process harnesses run before their stream or
// program steps (session_driver.hpp, log_in).
#include <optional>
#include <string>

#include "session_driver.hpp"
#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/chap.hpp"
#include "touchstone/pdu/text.hpp"

namespace touchstone::fuzz::inproc {
namespace {

using pdu::login_stage;
using pdu::opcode;

std::optional<pdu::text_pairs> response_text(const session_driver& d) {
  const auto& sent = d.last_sent();
  if (sent.empty() || sent.back().op() != opcode::login_response) return std::nullopt;
  auto r = pdu::parse_text(pdu::bytes_view(sent.back().data));
  if (!r) return std::nullopt;
  return std::move(*r);
}

const std::string* find(const pdu::text_pairs& pairs, std::string_view key) {
  for (const auto& kv : pairs)
    if (kv.key == key) return &kv.value;
  return nullptr;
}

struct login_sender {
  session_driver& d;
  const ts::scenario& s;
  const login_request_fields& f;

  void send(login_stage csg, std::optional<login_stage> next, const pdu::text_pairs& pairs) {
    pdu::login_request_builder b;
    b.csg(csg).isid(f.isid).tsih(f.tsih).initiator_task_tag(ts::login_itt).cmd_sn(s.cmd_sn).cid(f.cid)
        .exp_stat_sn(d.expected_stat_sn()).data(pdu::encode_text(pairs));
    if (next) b.transit_to(*next);
    d.feed(b.build());
  }

  // CHAP_R from the target's challenge; false when there is none to answer.
  bool chap(pdu::text_pairs names) {
    names.push_back({"AuthMethod", "CHAP"});
    send(login_stage::security_negotiation, login_stage::operational_negotiation, names);
    if (d.closed()) return false;
    send(login_stage::security_negotiation, std::nullopt, {{"CHAP_A", "5"}});
    const auto challenge = response_text(d);
    if (!challenge) return false;
    const auto* id = find(*challenge, "CHAP_I");
    const auto* c = find(*challenge, "CHAP_C");
    if (!id || !c) return false;
    const auto ident = pdu::parse_chap_identifier(*id);
    const auto bytes = pdu::parse_chap_binary(*c);
    if (!ident || !bytes) return false;
    const std::string_view secret = ts::chap_secret;
    const auto r = pdu::chap_response(
        *ident, pdu::bytes_view(reinterpret_cast<const std::uint8_t*>(secret.data()), secret.size()),
        *bytes);
    if (!r) return false;
    send(login_stage::security_negotiation, login_stage::operational_negotiation,
         {{"CHAP_N", std::string(ts::chap_user)}, {"CHAP_R", pdu::encode_chap_binary(*r)}});
    return !d.closed();
  }
};

}  // namespace

bool log_in(session_driver& d, const ts::scenario& s, const login_request_fields& fields) {
  pdu::text_pairs names{{"InitiatorName", std::string(ts::initiator_name)},
                        {"SessionType", s.discovery ? "Discovery" : "Normal"}};
  if (!s.discovery) names.push_back({"TargetName", std::string(target::default_iqn)});
  login_sender out{d, s, fields};
  if (s.chap) {
    if (!out.chap(names)) return false;
    names.clear();
  }
  // The offers as written, then the keys this login needs that they lack.
  pdu::text_pairs keys = names;
  keys.insert(keys.end(), fields.offers.begin(), fields.offers.end());
  const auto add = [&](const char* key, std::string value) {
    if (!find(fields.offers, key)) keys.push_back({key, std::move(value)});
  };
  add("HeaderDigest", s.header_digest ? "CRC32C" : "None");
  add("DataDigest", s.data_digest ? "CRC32C" : "None");
  add("MaxRecvDataSegmentLength", std::to_string(ts::initiator_mrdsl));
  //= rfc7143#section-13 type=test
  //# Some session-specific parameters MUST only be carried on the leading
  //# connection and cannot be changed after the leading connection login
  // A login with a TSIH joins a session (a program group's connection
  // reinstatement): the leading-only keys stay out unless the offers add them.
  if (!s.discovery && fields.tsih == 0) {
    add("ImmediateData", s.immediate_data ? "Yes" : "No");
    add("InitialR2T", s.initial_r2t ? "Yes" : "No");
    add("FirstBurstLength", "8192");
    add("MaxBurstLength", "32768");
  }
  out.send(login_stage::operational_negotiation, login_stage::full_feature_phase, keys);
  const auto ph = d.core().current_phase();
  return !d.closed() && ph == (s.discovery ? target::phase::ffp_discovery : target::phase::ffp_normal);
}

}  // namespace touchstone::fuzz::inproc
