// The session of several connections: the leading login, connections
// joining with the session's TSIH, one numbering shared by all.
#include "touchstone/conformance/session_group.hpp"

#include <algorithm>
#include <array>

#include "touchstone/pdu/serial.hpp"

namespace touchstone::conformance {

bool leading_only(std::string_view key) {
  // The keys of RFC 7143 section 13 whose "Use:" is LO, and RFC 7144's
  // iSCSIProtocolLevel (LO, IO).
  static constexpr std::array<std::string_view, 15> keys{
      "MaxConnections",    "InitialR2T",          "ImmediateData",     "MaxBurstLength",
      "FirstBurstLength",  "DefaultTime2Wait",    "DefaultTime2Retain", "MaxOutstandingR2T",
      "DataPDUInOrder",    "DataSequenceInOrder", "ErrorRecoveryLevel", "SessionType",
      "TaskReporting",     "X#NodeArchitecture",  "iSCSIProtocolLevel"};
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

login_options with_recovery(login_options o, std::uint8_t erl, std::uint32_t max_connections) {
  std::erase_if(o.operational, [](const pdu::key_value& kv) {
    return kv.key == "ErrorRecoveryLevel" || kv.key == "MaxConnections";
  });
  o.operational.push_back({"ErrorRecoveryLevel", std::to_string(erl)});
  o.operational.push_back({"MaxConnections", std::to_string(max_connections)});
  return o;
}

//= rfc7143#section-13
//# Some session-specific parameters MUST only be carried on the leading
//# connection and cannot be changed after the leading connection login
//# (e.g., MaxConnections -- the maximum number of connections).
//= rfc7143#section-11.12.6
//# Otherwise,
//# the TSIH sent by the target at the conclusion of the successful login
//# of the first connection for this session MUST be used.
//= rfc7143#section-11.12.8
//# The CmdSN is either the initial command sequence number of a session
//# (for the first Login Request of a session -- the "leading" login) or
//# the command sequence number in the command stream if the login is for
//# a new connection in an existing session.
login_options join_options(const login_options& lead, std::uint16_t tsih, std::uint16_t cid,
                           std::uint32_t cmd_sn) {
  login_options o = lead;
  o.tsih = tsih;
  o.cid = cid;
  o.cmd_sn = cmd_sn;
  o.declare_session_type = false;
  std::erase_if(o.operational, [](const pdu::key_value& kv) { return leading_only(kv.key); });
  return o;
}

pdu::session_parameters joined_parameters(const pdu::session_parameters& lead,
                                          const pdu::session_parameters& connection) {
  auto p = lead;
  p.header_digest = connection.header_digest;
  p.data_digest = connection.data_digest;
  p.max_recv_data_segment_length = connection.max_recv_data_segment_length;
  p.max_send_data_segment_length = connection.max_send_data_segment_length;
  return p;
}

session_group::session_group(opener open) : open_(std::move(open)) {}

login_outcome session_group::open_and_login(const login_options& o) {
  auto* s = open_();
  last_opened_ = s;
  if (!s) {
    login_outcome out;
    out.detail = "cannot connect";
    return out;
  }
  s->share_numbering(numbering_);
  return login(*s, o);
}

login_outcome session_group::lead(const login_options& o) {
  auto out = open_and_login(o);
  if (!out.ok()) return out;
  lead_options_ = o;
  negotiated_ = out.params;
  tsih_ = last_opened_->tsih();
  highest_cid_ = o.cid;
  members_.push_back({last_opened_, o.cid});
  return out;
}

login_options session_group::join_options(std::uint16_t cid) const {
  return conformance::join_options(lead_options_, tsih_, cid, numbering_->cmd_sn);
}

std::uint16_t session_group::next_cid() const { return static_cast<std::uint16_t>(highest_cid_ + 1); }

login_outcome session_group::add() { return add(join_options(next_cid())); }

login_outcome session_group::add(const login_options& o) {
  // The login sets CmdSN from the Final-Response's ExpCmdSN, which on a
  // joining connection may trail commands still held on another connection:
  // the session's own next CmdSN stays.
  const auto cmd_sn = numbering_->cmd_sn;
  auto out = open_and_login(o);
  if (pdu::serial{cmd_sn} > pdu::serial{numbering_->cmd_sn}) numbering_->cmd_sn = cmd_sn;
  if (!out.ok()) return out;
  last_opened_->enter_full_feature(joined_parameters(negotiated_, out.params));
  highest_cid_ = std::max(highest_cid_, o.cid);
  members_.push_back({last_opened_, o.cid});
  return out;
}

void session_group::forget(std::size_t i) {
  if (i < members_.size()) members_.erase(members_.begin() + static_cast<std::ptrdiff_t>(i));
}

}  // namespace touchstone::conformance
