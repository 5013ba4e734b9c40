// A session of several connections (MC/S, RFC 7143 sections 4.2.2, 6.3.1,
// 11.12): a leading connection logs in with TSIH 0 and CID 0; the others
// join with the session's ISID and TSIH and a new CID (session
// continuation). Every connection is a `session` whose session-wide
// numbering (task tags, CmdSN, the target's window) is the group's one
// command_numbering; each keeps its own StatSN/ExpStatSN. Commands go on
// the connection a case chooses (run_scsi(group.at(1), ...) takes the
// session's next CmdSN); each connection's answers are read from it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "touchstone/conformance/login.hpp"
#include "touchstone/conformance/session.hpp"

namespace touchstone::conformance {

// Whether `key` is a Leading Only key (RFC 7143 section 13: "use: LO"),
// carried only on the leading connection's login.
bool leading_only(std::string_view key);

// `o` proposing ErrorRecoveryLevel and MaxConnections (replacing any offer
// of them it held).
login_options with_recovery(login_options o, std::uint8_t erl, std::uint32_t max_connections);

// The login options of a connection joining the session `lead` started: the
// same initiator, target and ISID, the session's TSIH, `cid`, the session's
// current CmdSN, and the lead's offers without the Leading Only keys.
login_options join_options(const login_options& lead, std::uint16_t tsih, std::uint16_t cid,
                           std::uint32_t cmd_sn);

// The parameters a joined connection works with: the session-wide ones the
// leading login negotiated, the connection's own digests and data segment
// limits from its login.
pdu::session_parameters joined_parameters(const pdu::session_parameters& lead,
                                          const pdu::session_parameters& connection);

class session_group {
 public:
  // Opens a new TCP connection (case_context::connect); nullptr on failure.
  using opener = std::function<session*()>;
  explicit session_group(opener open);

  // The leading login (o.tsih 0, o.cid 0 unless the case chose otherwise).
  login_outcome lead(const login_options& o);
  // A new connection joining with join_options(next_cid()).
  login_outcome add();
  // A new connection logging in with `o` (join_options(), altered by a
  // case); joined to the group when the login succeeds.
  login_outcome add(const login_options& o);
  login_options join_options(std::uint16_t cid) const;
  std::uint16_t next_cid() const;

  bool led() const { return !members_.empty(); }
  std::size_t size() const { return members_.size(); }
  session& at(std::size_t i) { return *members_.at(i).wire; }
  std::uint16_t cid(std::size_t i) const { return members_.at(i).cid; }
  std::uint16_t tsih() const { return tsih_; }
  // What the leading login negotiated (MaxConnections, ErrorRecoveryLevel, ...).
  const pdu::session_parameters& negotiated() const { return negotiated_; }
  const command_numbering& numbering() const { return *numbering_; }
  // The last login's connection (joined or not): its TCP stream, to read
  // what the target did after a refusal. nullptr before any.
  session* last_opened() const { return last_opened_; }
  // Takes a connection out of the group (logged out, or closed by the
  // target); its session stays readable.
  void forget(std::size_t i);

 private:
  struct member {
    session* wire;
    std::uint16_t cid;
  };
  login_outcome open_and_login(const login_options& o);

  opener open_;
  std::vector<member> members_;
  login_options lead_options_;
  pdu::session_parameters negotiated_;
  std::shared_ptr<command_numbering> numbering_ = std::make_shared<command_numbering>();
  std::uint16_t tsih_ = 0;
  std::uint16_t highest_cid_ = 0;
  session* last_opened_ = nullptr;
};

}  // namespace touchstone::conformance
