// Answer oracles: every PDU a target sends on one connection goes through
// pdu::validate (its protocol errors become departures) and the connection
// checks a black box can make: StatSN continuity on status-bearing PDUs,
// MaxCmdSN >= ExpCmdSN - 1 (RFC 1982 serial arithmetic), DataSN and Buffer
// Offset in order per task, data segments within the MaxRecvDataSegmentLength
// we declared. Each departure carries a requirement id and is kept once per
// id (with a count). Which PDUs advance StatSN or carry the command window is
// the conformance engine's knowledge (conformance/session.hpp), reused here.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "touchstone/pdu/pdu.hpp"

namespace touchstone::fuzz::net {

struct departure {
  std::string requirement;  // "rfc7143#section-11.4.9/stat-sn-increments-by-one"
  std::string summary;      // one line: what the rule is, what was seen
  std::string pdu;          // the first PDU it was seen in, described
  std::uint64_t count = 0;  // how many PDUs broke it
};

// Our own requirement ids (the validator's come from pdu::validate).
namespace requirement {
inline constexpr std::string_view stat_sn = "rfc7143#section-11.4.9/stat-sn-increments-by-one";
inline constexpr std::string_view window = "rfc7143#section-4.2.2.1/max-cmd-sn-not-below-exp-cmd-sn-minus-1";
inline constexpr std::string_view data_sn = "rfc7143#section-11.7.5/data-sn-counts-data-in-per-task";
inline constexpr std::string_view buffer_offset = "rfc7143#section-13.18/data-pdus-at-increasing-offsets";
inline constexpr std::string_view segment_length = "rfc7143#section-13.12/data-segment-within-receiver-limit";
}  // namespace requirement

class answer_oracle {
 public:
  // Bounds: tasks followed at once (Data-In order), distinct departures.
  static constexpr std::size_t max_tasks = 4096;
  static constexpr std::size_t max_departures = 256;
  // The default MaxRecvDataSegmentLength is what login runs with (13.12).
  static constexpr std::uint32_t login_segment_length = 8192;

  explicit answer_oracle(std::uint32_t our_max_recv_data_segment_length = login_segment_length);

  // What we declared (after login: the value our login offered). With
  // DataPDUInOrder=No or DataSequenceInOrder=No offsets may come in other
  // orders: set_data_in_order(false) stops the offset check.
  void set_max_recv_data_segment_length(std::uint32_t v) { segment_limit_ = v; }
  void set_data_in_order(bool v) { data_in_order_ = v; }
  // After a SNACK the target may resend a response with its old StatSN
  // (11.4.9): the next status-bearing PDU starts the count afresh.
  void restart_stat_sn() { have_stat_sn_ = false; }

  // Checks one PDU the target sent on this connection; returns how many
  // departures it showed (new or not).
  std::size_t check(const pdu::pdu& p);

  // One entry per requirement id, in the order first seen.
  const std::vector<departure>& departures() const { return departures_; }
  bool departed(std::string_view requirement) const;
  // Departures not kept because max_departures distinct ids were reached.
  std::uint64_t dropped() const { return dropped_; }
  // Data-In PDUs of tasks not followed because max_tasks were in flight.
  std::uint64_t untracked() const { return untracked_; }

 private:
  struct task_data {
    std::uint32_t next_data_sn = 0;
    std::uint64_t next_offset = 0;
  };
  std::size_t check_stat_sn(const pdu::pdu& p);
  std::size_t check_window(const pdu::pdu& p);
  std::size_t check_data_in(const pdu::pdu& p);
  std::size_t check_segment(const pdu::pdu& p);
  void depart(std::string_view requirement, std::string summary, const pdu::pdu& p);

  std::uint32_t segment_limit_;
  bool data_in_order_ = true;
  bool have_stat_sn_ = false;
  std::uint32_t last_stat_sn_ = 0;
  std::unordered_map<std::uint32_t, task_data> tasks_;  // by ITT
  std::vector<departure> departures_;
  std::uint64_t dropped_ = 0;
  std::uint64_t untracked_ = 0;
};

}  // namespace touchstone::fuzz::net
