// The answer oracles: the validator, then the per-connection checks.
#include "touchstone/fuzz/net/oracles.hpp"

#include <algorithm>

#include "touchstone/conformance/observation.hpp"
#include "touchstone/conformance/session.hpp"
#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/serial.hpp"
#include "touchstone/pdu/validate.hpp"

namespace touchstone::fuzz::net {

answer_oracle::answer_oracle(std::uint32_t our_max_recv_data_segment_length)
    : segment_limit_(our_max_recv_data_segment_length) {}

bool answer_oracle::departed(std::string_view requirement) const {
  return std::any_of(departures_.begin(), departures_.end(),
                     [&](const departure& d) { return d.requirement == requirement; });
}

void answer_oracle::depart(std::string_view requirement, std::string summary, const pdu::pdu& p) {
  for (auto& d : departures_)
    if (d.requirement == requirement) {
      ++d.count;
      return;
    }
  if (departures_.size() >= max_departures) {
    ++dropped_;
    return;
  }
  departures_.push_back({std::string(requirement), std::move(summary), conformance::describe(p), 1});
}

std::size_t answer_oracle::check(const pdu::pdu& p) {
  std::size_t found = 0;
  for (const auto& v : pdu::validate(p)) {
    if (v.level != pdu::severity::protocol_error) continue;
    depart(v.requirement, std::string(v.summary), p);
    ++found;
  }
  return found + check_stat_sn(p) + check_window(p) + check_data_in(p) + check_segment(p);
}

std::size_t answer_oracle::check_stat_sn(const pdu::pdu& p) {
  if (!conformance::advances_stat_sn(p)) return 0;
  //= rfc7143#section-11.13.4
  //# This field is only valid if the Status-Class is 0.
  if (p.op() == pdu::opcode::login_response && pdu::login_response_view(p).status_class() != 0) return 0;
  const auto stat_sn = p.header().u32(24);
  const bool first = !have_stat_sn_;
  const auto expected = last_stat_sn_ + 1;
  have_stat_sn_ = true;
  last_stat_sn_ = stat_sn;
  //= rfc7143#section-11.4.9
  //# The StatSN is incremented by 1 for every
  //# response/status sent on a connection, except for responses sent as a
  //# ... result of a retry or SNACK.
  if (first || stat_sn == expected) return 0;
  depart(requirement::stat_sn,
         "StatSN " + std::to_string(stat_sn) + " where " + std::to_string(expected) + " was next", p);
  return 1;
}

std::size_t answer_oracle::check_window(const pdu::pdu& p) {
  if (!conformance::carries_window(p)) return 0;
  const pdu::serial exp{p.header().u32(28)}, max{p.header().u32(32)};
  //= rfc7143#section-4.2.2.1
  //# The target MUST NOT transmit a MaxCmdSN that is less than ExpCmdSN - 1.
  if (pdu::window_legal(exp, max)) return 0;
  depart(requirement::window,
         "MaxCmdSN " + std::to_string(max.value()) + " below ExpCmdSN " + std::to_string(exp.value()) + " - 1",
         p);
  return 1;
}

std::size_t answer_oracle::check_data_in(const pdu::pdu& p) {
  const auto itt = p.header().initiator_task_tag();
  if (p.op() == pdu::opcode::scsi_response) tasks_.erase(itt);
  if (p.op() != pdu::opcode::data_in) return 0;
  const pdu::data_in_view v(p);
  auto at = tasks_.find(itt);
  if (at == tasks_.end()) {
    if (tasks_.size() >= max_tasks) {
      ++untracked_;
      return 0;
    }
    at = tasks_.emplace(itt, task_data{}).first;
  }
  std::size_t found = 0;
  //= rfc7143#section-11.7.5
  //# For input (read) or bidirectional Data-In PDUs, the DataSN is the
  //# input PDU number within the data transfer for the command identified
  //# by the Initiator Task Tag.
  if (v.data_sn() != at->second.next_data_sn) {
    depart(requirement::data_sn,
           "Data-In DataSN " + std::to_string(v.data_sn()) + " where " +
               std::to_string(at->second.next_data_sn) + " was next",
           p);
    ++found;
  }
  //= rfc7143#section-13.18
  //# "Yes" is used to indicate that data PDUs within
  //# sequences have to be at continuously increasing addresses and
  //# overlays are forbidden.
  if (data_in_order_ && v.buffer_offset() != at->second.next_offset) {
    depart(requirement::buffer_offset,
           "Data-In at offset " + std::to_string(v.buffer_offset()) + " where " +
               std::to_string(at->second.next_offset) + " was next",
           p);
    ++found;
  }
  at->second.next_data_sn = v.data_sn() + 1;
  at->second.next_offset = std::uint64_t{v.buffer_offset()} + p.data.size();
  if (v.has_status()) tasks_.erase(at);
  return found;
}

std::size_t answer_oracle::check_segment(const pdu::pdu& p) {
  //= rfc7143#section-13.12
  //# The transmitter (initiator or target) is required to send PDUs with a
  //# data segment that does not exceed MaxRecvDataSegmentLength of the
  //# receiver.
  if (p.data.size() <= segment_limit_) return 0;
  depart(requirement::segment_length,
         std::to_string(p.data.size()) + "-byte data segment where we declared " +
             std::to_string(segment_limit_),
         p);
  return 1;
}

}  // namespace touchstone::fuzz::net
