// The case context: fresh sessions and their set-up errors.
#include "touchstone/conformance/context.hpp"

#include <unistd.h>

#include <algorithm>

namespace touchstone::conformance {

case_context::case_context(const target_config& target, timing times)
    : target_(target), times_(times) {}

session* case_context::connect() {
  auto s = std::make_unique<session>(target_.portal, times_);
  if (const auto ec = s->connect()) {
    setup_problem_ = "cannot connect to " + target_.portal.host + ":" +
                     std::to_string(target_.portal.port) + ": " + ec.message();
    return nullptr;
  }
  sessions_.push_back(std::move(s));
  return sessions_.back().get();
}

login_options case_context::normal_login() {
  login_options o;
  o.initiator_name = target_.initiator_name;
  o.target_name = target_.target_name;
  o.chap = target_.chap;
  //= rfc7143#section-11.12.5
  //# If the T field is 10b, B and C are set to a random 24-bit unsigned
  //# integer value in network byte order (byte big-endian).
  // B and C from the process id (distinct per run), D counting sessions.
  const auto pid = static_cast<std::uint32_t>(::getpid());
  o.isid = pdu::join_isid({pdu::isid_format::random, 0, static_cast<std::uint16_t>(pid),
                           static_cast<std::uint8_t>(pid >> 16), isid_qualifier_++});
  return o;
}

login_options case_context::discovery_login() {
  auto o = normal_login();
  o.discovery = true;
  o.target_name.clear();
  o.chap = target_.discovery_chap;
  return o;
}

session* case_context::logged_in(const login_options& o) {
  auto* s = connect();
  if (!s) return nullptr;
  const auto outcome = login(*s, o);
  if (!outcome.ok()) {
    setup_problem_ = "login failed: " + outcome.summary();
    return nullptr;
  }
  return s;
}

verdict case_context::setup_error() const { return verdict::error(setup_problem_); }

verdict case_context::error_after(std::string_view what, const session& s) const {
  return verdict::error(std::string(what) + "; last seen: " + s.last_seen());
}

std::vector<target_violation> case_context::violations() const {
  std::vector<target_violation> all;
  for (const auto& s : sessions_) all.insert(all.end(), s->violations().begin(), s->violations().end());
  return all;
}

bool has(const target_config& t, need n) {
  switch (n) {
    case need::destructive: return t.destructive;
    case need::chap: return t.chap.has_value();
    case need::mutual_chap: return t.chap && t.chap->mutual();
    case need::second_lun: return t.second_lun.has_value();
    case need::writable_lun: return t.writable;
    case need::discovery_chap: return t.discovery_chap.has_value();
    case need::erl1: return t.recovery && t.recovery->probed && t.recovery->error_recovery_level >= 1;
    case need::erl2: return t.recovery && t.recovery->probed && t.recovery->error_recovery_level >= 2;
    case need::mcs: return t.recovery && t.recovery->probed && t.recovery->max_connections >= 2;
  }
  return false;
}

target_config target_for(const target_config& t, const std::vector<need>& needs) {
  if (!t.chap_target) return t;
  const auto chap_need = [](need n) {
    return n == need::chap || n == need::mutual_chap || n == need::discovery_chap;
  };
  bool stand_in = false;
  for (const auto n : needs)
    if (chap_need(n) && !has(t, n)) stand_in = true;
  if (!stand_in) return t;
  target_config c = t;
  c.portal = t.chap_target->portal;
  c.target_name = t.chap_target->target_name;
  c.chap = t.chap_target->chap;
  c.discovery_chap = t.chap_target->discovery_chap;
  c.chap_target.reset();
  c.second_lun.reset();
  c.recovery.reset();  // probed on the target under test, not the stand-in
  return c;
}

std::string missing_reason(need n) {
  switch (n) {
    case need::destructive: return "may end every session on the target (--destructive)";
    case need::chap: return "needs CHAP credentials (iscsi://user%secret@...)";
    case need::mutual_chap: return "needs the target's CHAP credentials (--mutual-chap USER%SECRET)";
    case need::second_lun: return "needs a second LUN (--second-lun N)";
    case need::writable_lun: return "needs a LUN it may write (--writable)";
    case need::discovery_chap: return "needs Discovery sessions that require CHAP (--discovery-chap USER%SECRET)";
    case need::erl1: return "needs ErrorRecoveryLevel 1 or more";
    case need::erl2: return "needs ErrorRecoveryLevel 2";
    case need::mcs: return "needs MaxConnections 2 or more (several connections per session)";
  }
  return "needs something the target lacks";
}

bool needs_recovery_probe(const std::vector<need>& needs) {
  return std::any_of(needs.begin(), needs.end(),
                     [](need n) { return n == need::erl1 || n == need::erl2 || n == need::mcs; });
}

std::string missing_reason(const target_config& t, need n) {
  if (!needs_recovery_probe({n})) return missing_reason(n);
  const auto base = missing_reason(n);
  if (!t.recovery) return base + ": the target's recovery levels were not probed";
  if (!t.recovery->probed) return base + ": the probe login failed: " + t.recovery->problem;
  const bool erl = n != need::mcs;
  const auto value = erl ? "ErrorRecoveryLevel=" + std::to_string(t.recovery->error_recovery_level)
                         : "MaxConnections=" + std::to_string(t.recovery->max_connections);
  const auto offered = erl ? std::to_string(probe_erl) : std::to_string(probe_max_connections);
  return base + ": the target negotiated " + value + " (offered " + offered + ")";
}

}  // namespace touchstone::conformance
