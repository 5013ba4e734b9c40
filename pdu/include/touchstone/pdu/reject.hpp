// Reject (opcode 0x3f): view, builder and the reject reasons. The data
// segment starts with the complete header of the rejected PDU.
#pragma once

#include <optional>

#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.17, in our words:
// Reason at 2, StatSN 24, ExpCmdSN 28, MaxCmdSN 32, DataSN/R2TSN 36
namespace reject_offset {
inline constexpr std::size_t reason = 2;
inline constexpr std::size_t stat_sn = 24;
inline constexpr std::size_t exp_cmd_sn = 28;
inline constexpr std::size_t max_cmd_sn = 32;
inline constexpr std::size_t data_sn_or_r2t_sn = 36;
}  // namespace reject_offset

// rfc7143 section 11.17.1, in our words:
// The reject Reason is coded as follows: 0x01 Reserved ... 0x0c Waiting for Logout.
// All other values for Reason are unassigned.
// A wire enum: any byte converts to it and keeps its value.
enum class reject_reason : std::uint8_t {
  data_digest_error = 0x02,
  snack_reject = 0x03,
  protocol_error = 0x04,
  command_not_supported = 0x05,
  immediate_command_reject = 0x06,
  task_in_progress = 0x07,
  invalid_data_ack = 0x08,
  invalid_pdu_field = 0x09,
  long_op_reject = 0x0a,
  negotiation_reset = 0x0b,  // RFC 3720 only: deprecated, MUST NOT be used
  waiting_for_logout = 0x0c,
};
// 0x01 is marked Reserved and 0x00, 0x0d-0xff are unassigned.
constexpr bool is_assigned(reject_reason r) {
  return r >= reject_reason::data_digest_error && r <= reject_reason::waiting_for_logout;
}
// rfc7143 section 11.17.1, in our words:
// Can the original PDU be resent? (the table's last column)
constexpr bool original_pdu_may_be_resent(reject_reason r) {
  return r == reject_reason::data_digest_error || r == reject_reason::snack_reject ||
         r == reject_reason::immediate_command_reject || r == reject_reason::long_op_reject;
}

class reject_view : public bhs_view {
 public:
  explicit reject_view(bhs_span b) : bhs_view(b) {}
  // Keeps a view of p's data segment as well: p must outlive the view.
  explicit reject_view(const pdu& p) : bhs_view(p.bhs), data_(p.data) {}
  // A temporary PDU would leave the data view dangling.
  explicit reject_view(pdu&&) = delete;
  std::uint8_t raw_reason() const { return u8(reject_offset::reason); }
  reject_reason reason() const { return static_cast<reject_reason>(raw_reason()); }
  std::uint32_t stat_sn() const { return u32(reject_offset::stat_sn); }
  std::uint32_t exp_cmd_sn() const { return u32(reject_offset::exp_cmd_sn); }
  std::uint32_t max_cmd_sn() const { return u32(reject_offset::max_cmd_sn); }
  //= rfc7143#section-11.17.2
  //# The DataSN/R2TSN is the next Data/R2T sequence number that the target would send
  std::uint32_t data_sn_or_r2t_sn() const { return u32(reject_offset::data_sn_or_r2t_sn); }

  bytes_view data_segment() const { return data_; }
  //= rfc7143#section-11.17.4
  //# The target returns the header (not including the digest) of the PDU in error
  //# as the data of the response.
  // The BHS of the rejected PDU, when the data segment holds one.
  std::optional<bhs_view> rejected_header() const {
    if (data_.size() < bhs_size) return std::nullopt;
    return bhs_view{data_.first<bhs_size>()};
  }
  // The header is BHS plus the AHS its TotalAHSLength declares.
  bool holds_complete_header() const {
    const auto h = rejected_header();
    return h && data_.size() >= bhs_size + h->total_ahs_bytes();
  }
  // The header cut short at a receiver's limit: the BHS and at least 512
  // bytes (the least MaxRecvDataSegmentLength, rfc7143#section-13.12), when
  // the BHS and AHS together are longer than the receiver accepts.
  bool holds_header_cut_at_limit() const {
    return rejected_header() && !holds_complete_header() && data_.size() >= min_recv_data_segment_length;
  }
  static constexpr std::size_t min_recv_data_segment_length = 512;
  // The rejected PDU's AHS; empty unless holds_complete_header().
  bytes_view rejected_ahs() const {
    if (!holds_complete_header()) return {};
    return data_.subspan(bhs_size, rejected_header()->total_ahs_bytes());
  }
  // Whatever follows the complete header; empty unless holds_complete_header().
  bytes_view vendor_data() const {
    if (!holds_complete_header()) return {};
    return data_.subspan(bhs_size + rejected_header()->total_ahs_bytes());
  }

 private:
  bytes_view data_;
};

class reject_builder : public builder<reject_builder> {
 public:
  // Defaults: F=1 as the format requires and ITT 0xffffffff, the only value
  // the format allows. The reason starts at 0 (unassigned): choose one.
  reject_builder() : builder(opcode::reject) {
    final_bit(true);
    initiator_task_tag(reserved_tag);
  }
  reject_builder& reason(reject_reason r) { return raw_reason(static_cast<std::uint8_t>(r)); }
  reject_builder& raw_reason(std::uint8_t v) { return set_u8(reject_offset::reason, v); }
  reject_builder& stat_sn(std::uint32_t v) { return set_u32(reject_offset::stat_sn, v); }
  reject_builder& exp_cmd_sn(std::uint32_t v) { return set_u32(reject_offset::exp_cmd_sn, v); }
  reject_builder& max_cmd_sn(std::uint32_t v) { return set_u32(reject_offset::max_cmd_sn, v); }
  reject_builder& data_sn_or_r2t_sn(std::uint32_t v) {
    return set_u32(reject_offset::data_sn_or_r2t_sn, v);
  }
  // The data segment: the rejected PDU's complete header (BHS and AHS, no
  // digest), then optional vendor data.
  reject_builder& rejected_pdu(const pdu& bad, bytes_view vendor_data = {}) {
    byte_buffer segment(bad.bhs.begin(), bad.bhs.end());
    segment.insert(segment.end(), bad.ahs.begin(), bad.ahs.end());
    segment.insert(segment.end(), vendor_data.begin(), vendor_data.end());
    return data(std::move(segment));
  }
};

}  // namespace touchstone::pdu
