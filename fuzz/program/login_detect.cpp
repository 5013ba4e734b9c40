// Which recorded logins the engine's login() sent (conformance/src/login.cpp
// builds them): those replay as a login plan, the rest as scripted steps.
#include "login_detect.hpp"

#include <algorithm>

#include "touchstone/pdu/login_request.hpp"
#include "touchstone/pdu/text.hpp"

namespace touchstone::fuzz {
namespace {

bool same_task(const pdu::login_request_view& a, const pdu::login_request_view& b) {
  return a.initiator_task_tag() == b.initiator_task_tag() && a.isid() == b.isid() && a.tsih() == b.tsih() &&
         a.cid() == b.cid() && a.cmd_sn() == b.cmd_sn();
}

// Stages as the engine walks them: never backwards, never the reserved 2,
// versions as its builder writes them.
bool engine_header(const pdu::pdu& p, std::uint8_t& stage) {
  const pdu::login_request_view v(p);
  if (v.version_max() != pdu::iscsi_version || v.version_min() != pdu::iscsi_version) return false;
  if (v.raw_csg() < stage || v.raw_csg() == pdu::reserved_login_stage || v.raw_csg() == 3) return false;
  stage = v.raw_csg();
  return p.ahs.empty();
}

bool is_security_key(const std::string& key) {
  return key == "InitiatorName" || key == "SessionType" || key == "TargetName" || key == "AuthMethod" ||
         key.rfind("CHAP_", 0) == 0;
}

// The identity keys first, then AuthMethod when the login starts in
// SecurityNegotiation; sets kind and chap in plan.
bool engine_text(const pdu::text_pairs& pairs, bool security, login_plan& plan) {
  std::size_t i = 0;
  const auto next_is = [&](std::string_view key) { return i < pairs.size() && pairs[i].key == key; };
  if (!next_is("InitiatorName")) return false;
  ++i;
  if (!next_is("SessionType")) return false;
  const auto type = pairs[i++].value;
  if (type == "Normal") {
    plan.kind = login_kind::normal;
    if (!next_is("TargetName")) return false;
    ++i;
  } else if (type == "Discovery") {
    plan.kind = login_kind::discovery;
  } else {
    return false;
  }
  if (!security) return true;
  if (!next_is("AuthMethod") || (pairs[i].value != "None" && pairs[i].value != "CHAP")) return false;
  plan.chap = pairs[i].value == "CHAP";
  return true;
}

}  // namespace

std::optional<login_plan> engine_login(const std::vector<pdu::pdu>& requests) {
  if (requests.empty()) return std::nullopt;
  const pdu::login_request_view first(requests.front());
  std::uint8_t stage = 0;
  pdu::byte_buffer text;
  for (const auto& p : requests) {
    if (p.op() != pdu::opcode::login_request || !same_task(first, pdu::login_request_view(p)) ||
        !engine_header(p, stage))
      return std::nullopt;
    text.insert(text.end(), p.data.begin(), p.data.end());
  }
  // Continuations (C=1) cut the text anywhere: it parses once joined.
  auto pairs = pdu::parse_text(pdu::bytes_view{text});
  if (!pairs) return std::nullopt;
  login_plan plan;
  if (!engine_text(*pairs, first.csg() == pdu::login_stage::security_negotiation, plan)) return std::nullopt;
  plan.isid = first.isid();
  plan.tsih = first.tsih();
  plan.cid = first.cid();
  for (auto& kv : *pairs)
    if (!is_security_key(kv.key)) plan.offers.push_back(std::move(kv));
  return plan;
}

pdu::pdu with_target_placeholder(pdu::pdu p, std::string_view target_name) {
  if (target_name.empty()) return p;
  const std::string from = "TargetName=" + std::string(target_name);
  const std::string to = "TargetName=" + std::string("$TARGET");
  const bool length_matched = p.header().data_segment_length() == p.data.size();
  pdu::byte_buffer out;
  std::size_t i = 0;
  while (i < p.data.size()) {
    const auto rest = p.data.size() - i;
    const bool at_pair = i == 0 || p.data[i - 1] == 0;
    if (at_pair && rest >= from.size() && std::equal(from.begin(), from.end(), p.data.begin() + static_cast<std::ptrdiff_t>(i)) &&
        (rest == from.size() || p.data[i + from.size()] == 0)) {
      out.insert(out.end(), to.begin(), to.end());
      i += from.size();
    } else {
      out.push_back(p.data[i++]);
    }
  }
  p.data = std::move(out);
  if (length_matched) pdu::store_be24(&p.bhs[pdu::bhs_offset::data_segment_length], static_cast<std::uint32_t>(p.data.size()));
  return p;
}

}  // namespace touchstone::fuzz
