// One initiator connection with its numbering: CmdSN to send, ExpStatSN,
// the target's ExpCmdSN/MaxCmdSN, task tags (the session-wide ones shared
// with the other connections of a session_group, ExpStatSN its own). Every PDU the target sends goes
// through next(): numbering is tracked, the pdu validator checks it (its
// violations are kept as target-side findings), and NOP-In pings are answered
// unless a case turns that off. The expect_* primitives return observations
// for the case to judge; nothing here decides a verdict.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "touchstone/conformance/connection.hpp"
#include "touchstone/pdu/session_parameters.hpp"
#include "touchstone/pdu/validate.hpp"

namespace touchstone::conformance {

// The time a case may spend: each wait is cut at the case's hard deadline.
struct timing {
  milliseconds wait{3000};        // the usual bound on an expected answer
  milliseconds silence{1000};     // how long "no answer" is watched for
  deadline hard = deadline::max();  // the case's end; no wait goes beyond it
  deadline after(milliseconds d) const;
};

// Whether a PDU the target sent advances the connection's StatSN (status-
// bearing PDUs, a Data-In with S, a NOP-In answering a NOP-Out).
bool advances_stat_sn(const pdu::pdu& p);
// Whether a PDU the target sent carries ExpCmdSN at 28 and MaxCmdSN at 32.
bool carries_window(const pdu::pdu& p);

// The session-wide numbering (RFC 7143 section 4.2.2: command numbering is
// session-wide, status numbering per connection): the task tags, the CmdSN
// to send, and the window the target reported on any connection. A session
// owns one; the connections of a session_group share the leading one's.
struct command_numbering {
  std::uint32_t itt = 1;
  std::uint32_t cmd_sn = 1;
  std::uint32_t exp_cmd_sn = 1;
  std::uint32_t max_cmd_sn = 1;
};

// A validator finding about a PDU the target sent.
struct target_violation {
  pdu::violation rule;
  std::string pdu;  // the PDU it was found in, described
};

class session {
 public:
  session(endpoint where, const timing& times);

  std::error_code connect();
  connection& wire() { return wire_; }
  const endpoint& where() const { return where_; }
  const timing& times() const { return times_; }

  // --- Numbering -----------------------------------------------------------
  std::uint32_t next_itt() { return numbering_->itt++; }
  // The CmdSN the next non-immediate command carries; take_cmd_sn() uses it.
  std::uint32_t cmd_sn() const { return numbering_->cmd_sn; }
  std::uint32_t take_cmd_sn() { return numbering_->cmd_sn++; }
  void set_cmd_sn(std::uint32_t v) { numbering_->cmd_sn = v; }
  std::uint32_t exp_stat_sn() const { return exp_stat_sn_; }
  void set_exp_stat_sn(std::uint32_t v) { exp_stat_sn_ = v; }
  std::uint32_t exp_cmd_sn() const { return numbering_->exp_cmd_sn; }
  std::uint32_t max_cmd_sn() const { return numbering_->max_cmd_sn; }
  // The numbering this connection uses; share_numbering() makes it another
  // connection's (a connection joining a session, before its login).
  const std::shared_ptr<command_numbering>& numbering() const { return numbering_; }
  void share_numbering(std::shared_ptr<command_numbering> n) { numbering_ = std::move(n); }
  // StatSNs in arrival order, for continuity checks.
  const std::vector<std::uint32_t>& stat_sns() const { return stat_sns_; }

  // --- After login -----------------------------------------------------------
  const pdu::session_parameters& params() const { return params_; }
  // Puts negotiated parameters in force: digests both ways, our receive limit.
  void enter_full_feature(const pdu::session_parameters& negotiated);
  bool full_feature() const { return full_feature_; }
  std::uint16_t tsih() const { return tsih_; }
  void set_tsih(std::uint16_t v) { tsih_ = v; }

  // --- Sending -------------------------------------------------------------
  // A close or reset by the target while we write is not an error here:
  // the case reads it from next() as the target's answer.
  std::error_code send(const pdu::pdu& p);
  std::error_code send_bytes(pdu::bytes_view bytes);

  // --- Receiving -----------------------------------------------------------
  // The next PDU the target sends (pings answered, numbering tracked).
  observation next(deadline until);
  // A PDU within `within` (the usual wait by default).
  observation expect_pdu(milliseconds within);
  observation expect_pdu() { return expect_pdu(times_.wait); }
  // The connection closing within `within`: PDUs before the close are read
  // past (they stay in received()); returns closed, timeout or an error.
  observation expect_close(milliseconds within);
  // Nothing for `quiet` (default times().silence): timeout is the good outcome.
  observation expect_silence(milliseconds quiet);
  observation expect_silence() { return expect_silence(times_.silence); }

  // The PDUs seen so far and the validator's findings about them.
  const std::vector<pdu::pdu>& received() const { return received_; }
  const std::vector<target_violation>& violations() const { return violations_; }
  // A finding the validator cannot make from one PDU alone (the login
  // driver's: an answer its result function rules out).
  void note_violation(target_violation v) { violations_.push_back(std::move(v)); }
  // The last thing seen, for error verdicts.
  const std::string& last_seen() const { return last_seen_; }

  bool answer_pings = true;  // answer NOP-In pings (TTT != 0xffffffff)
  // Return an answered ping from next() too (a caller that checks every PDU
  // the target sends, as the fuzzer's oracle does); false: next() goes on
  // to the PDU after it.
  bool show_answered_pings = false;
  bool validate = true;      // run the pdu validator over every PDU
  // Keep every PDU (received()) and a description of the last (last_seen()).
  // The fuzzer's executor looks at each PDU as it comes and needs neither:
  // a 32 MiB READ at 512-byte segments is 65,535 PDUs kept and described.
  bool keep_history = true;

 private:
  void track(const pdu::pdu& p);
  void check(const pdu::pdu& p);
  bool answered_ping(const pdu::pdu& p);

  endpoint where_;
  const timing& times_;
  connection wire_;
  pdu::session_parameters params_;
  bool full_feature_ = false;
  std::uint16_t tsih_ = 0;
  std::shared_ptr<command_numbering> numbering_ = std::make_shared<command_numbering>();
  std::uint32_t exp_stat_sn_ = 0;
  std::vector<std::uint32_t> stat_sns_;
  std::vector<pdu::pdu> received_;
  std::vector<target_violation> violations_;
  std::string last_seen_ = "nothing yet";
};

}  // namespace touchstone::conformance
