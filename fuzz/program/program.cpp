// The bounds of a program: checked (loader, tests) and enforced (mutator).
#include "touchstone/fuzz/program.hpp"

#include <algorithm>
#include <string>

namespace touchstone::fuzz {
namespace {

std::string too_many(const std::string& path, std::size_t n, std::size_t bound,
                     std::string_view unit) {
  return path + ": " + std::to_string(n) + " " + std::string(unit) + ", at most " +
         std::to_string(bound);
}

std::string splits_violation(const std::string& path, const std::vector<std::uint32_t>& s) {
  if (s.size() > max_splits) return too_many(path, s.size(), max_splits, "split points");
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == 0 || s[i] >= max_encoded_pdu)
      return path + "[" + std::to_string(i) + "]: " + std::to_string(s[i]) +
             " is outside [1, " + std::to_string(max_encoded_pdu) + ")";
    if (i > 0 && s[i] <= s[i - 1])
      return path + "[" + std::to_string(i) + "]: split points must increase";
  }
  return {};
}

std::string step_violation(const step& s, std::size_t i) {
  const std::string at = "steps[" + std::to_string(i) + "]";
  if (s.pdu.ahs.size() > max_ahs_bytes)
    return too_many(at + ".pdu.ahs", s.pdu.ahs.size(), max_ahs_bytes, "bytes");
  if (s.pdu.data.size() > max_data_segment)
    return too_many(at + ".pdu.data", s.pdu.data.size(), max_data_segment, "bytes");
  if (s.send.delay_ms > max_delay_ms)
    return too_many(at + ".send.delay_ms", s.send.delay_ms, max_delay_ms, "ms");
  return splits_violation(at + ".send.splits", s.send.splits);
}

std::string login_violation(const login_plan& l) {
  if (l.offers.size() > max_offers)
    return too_many("login.offers", l.offers.size(), max_offers, "offers");
  for (std::size_t i = 0; i < l.offers.size(); ++i) {
    const std::string at = "login.offers[" + std::to_string(i) + "]";
    if (l.offers[i].key.size() > max_offer_key_bytes)
      return too_many(at + ".key", l.offers[i].key.size(), max_offer_key_bytes, "bytes");
    if (l.offers[i].value.size() > max_offer_value_bytes)
      return too_many(at + ".value", l.offers[i].value.size(), max_offer_value_bytes, "bytes");
  }
  if (l.isid > max_isid) return "login.isid: more than 48 bits";
  return {};
}

void clamp_splits(std::vector<std::uint32_t>& s) {
  std::erase_if(s, [](std::uint32_t v) { return v == 0 || v >= max_encoded_pdu; });
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  if (s.size() > max_splits) s.resize(max_splits);
}

}  // namespace

std::string bound_violation(const program& p) {
  if (auto v = login_violation(p.login); !v.empty()) return v;
  if (p.steps.size() > max_steps) return too_many("steps", p.steps.size(), max_steps, "steps");
  for (std::size_t i = 0; i < p.steps.size(); ++i)
    if (auto v = step_violation(p.steps[i], i); !v.empty()) return v;
  return {};
}

void clamp_to_bounds(program& p) {
  auto& l = p.login;
  if (l.offers.size() > max_offers) l.offers.resize(max_offers);
  for (auto& kv : l.offers) {
    if (kv.key.size() > max_offer_key_bytes) kv.key.resize(max_offer_key_bytes);
    if (kv.value.size() > max_offer_value_bytes) kv.value.resize(max_offer_value_bytes);
  }
  l.isid &= max_isid;
  if (p.steps.size() > max_steps) p.steps.resize(max_steps);
  for (auto& s : p.steps) {
    if (s.pdu.ahs.size() > max_ahs_bytes) s.pdu.ahs.resize(max_ahs_bytes);
    if (s.pdu.data.size() > max_data_segment) s.pdu.data.resize(max_data_segment);
    s.send.delay_ms = std::min(s.send.delay_ms, max_delay_ms);
    clamp_splits(s.send.splits);
  }
}

std::string_view name(login_kind k) {
  switch (k) {
    case login_kind::none: return "none";
    case login_kind::normal: return "normal";
    case login_kind::discovery: return "discovery";
    case login_kind::scripted: return "scripted";
  }
  return "?";
}

std::string_view name(digest_mode m) {
  switch (m) {
    case digest_mode::negotiated: return "negotiated";
    case digest_mode::header_wrong: return "header_wrong";
    case digest_mode::data_wrong: return "data_wrong";
  }
  return "?";
}

std::string_view name(numbering n) {
  return n == numbering::follow ? "follow" : "as_written";
}

}  // namespace touchstone::fuzz
