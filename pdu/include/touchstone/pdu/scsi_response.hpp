// SCSI Response (opcode 0x21): view and builder, the iSCSI response codes and
// the SCSI status codes it carries, and the residual flags Data-In reuses.
#pragma once

#include <string>
#include <string_view>

#include "touchstone/pdu/builder.hpp"
#include "touchstone/pdu/sense_segment.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.4, in our words:
// Response at 2, Status at 3, SNACK Tag at 20, StatSN 24, ExpCmdSN 28,
// MaxCmdSN 32, ExpDataSN 36, Bidirectional Read Residual Count 40, Residual Count 44
namespace scsi_response_offset {
inline constexpr std::size_t flags = 1;
inline constexpr std::size_t response = 2;
inline constexpr std::size_t status = 3;
inline constexpr std::size_t snack_tag = 20;
inline constexpr std::size_t stat_sn = 24;
inline constexpr std::size_t exp_cmd_sn = 28;
inline constexpr std::size_t max_cmd_sn = 32;
inline constexpr std::size_t exp_data_sn = 36;
inline constexpr std::size_t bidi_read_residual_count = 40;
inline constexpr std::size_t residual_count = 44;
}  // namespace scsi_response_offset

// Byte 1 flags. RFC bit 0 is the most significant bit of the byte.
// rfc7143 section 11.4.1, in our words:
// bit 3 (o) Bidirectional Read Residual Overflow, bit 4 (u) Underflow,
// bit 5 (O) Residual Overflow, bit 6 (U) Residual Underflow
namespace residual_flag {
inline constexpr std::uint8_t bidi_read_overflow = 0x10;
inline constexpr std::uint8_t bidi_read_underflow = 0x08;
inline constexpr std::uint8_t overflow = 0x04;
inline constexpr std::uint8_t underflow = 0x02;
inline constexpr std::uint8_t all = bidi_read_overflow | bidi_read_underflow | overflow | underflow;
}  // namespace residual_flag

// rfc7143 section 11.4.3, in our words:
// 0x00 - Command Completed at Target, 0x01 - Target Failure, 0x80-0xff - Vendor specific
// A wire enum: any byte converts to it and keeps its value.
enum class iscsi_response : std::uint8_t {
  command_completed = 0x00,
  target_failure = 0x01,
};
constexpr bool is_vendor_specific(iscsi_response r) { return static_cast<std::uint8_t>(r) >= 0x80; }
//= rfc7143#section-11.4.3
//# All other response codes are reserved.
constexpr bool is_reserved(iscsi_response r) {
  return !is_vendor_specific(r) && r != iscsi_response::command_completed &&
         r != iscsi_response::target_failure;
}

// rfc7143 section 11.4.2, in our words:
// Some of the status codes defined in [SAM2] are ... (SAM keeps the full list)
enum class scsi_status : std::uint8_t {
  good = 0x00,
  check_condition = 0x02,
  condition_met = 0x04,
  busy = 0x08,
  intermediate = 0x10,
  intermediate_condition_met = 0x14,
  reservation_conflict = 0x18,
  task_set_full = 0x28,
  aca_active = 0x30,
  task_aborted = 0x40,
};

// "CHECK CONDITION", ... for the codes above; "" for any other (reserved or
// obsolete in SAM), so a message can say "reserved" itself.
std::string_view scsi_status_name(std::uint8_t status);

// "CHECK CONDITION (0x02)", or "reserved status 0x05": for messages.
std::string scsi_status_text(std::uint8_t status);

class scsi_response_view : public bhs_view {
 public:
  explicit scsi_response_view(bhs_span b) : bhs_view(b) {}
  // Keeps a view of p's data segment as well: p must outlive the view.
  explicit scsi_response_view(const pdu& p) : bhs_view(p.bhs), data_(p.data) {}
  // A temporary PDU would leave the data view dangling.
  explicit scsi_response_view(pdu&&) = delete;

  bool bidi_read_overflow() const {
    return bit(scsi_response_offset::flags, residual_flag::bidi_read_overflow);
  }
  bool bidi_read_underflow() const {
    return bit(scsi_response_offset::flags, residual_flag::bidi_read_underflow);
  }
  bool residual_overflow() const {
    return bit(scsi_response_offset::flags, residual_flag::overflow);
  }
  bool residual_underflow() const {
    return bit(scsi_response_offset::flags, residual_flag::underflow);
  }
  std::uint8_t raw_response() const { return u8(scsi_response_offset::response); }
  iscsi_response response() const { return static_cast<iscsi_response>(raw_response()); }
  std::uint8_t raw_status() const { return u8(scsi_response_offset::status); }
  scsi_status status() const { return static_cast<scsi_status>(raw_status()); }
  std::uint32_t snack_tag() const { return u32(scsi_response_offset::snack_tag); }
  std::uint32_t stat_sn() const { return u32(scsi_response_offset::stat_sn); }
  std::uint32_t exp_cmd_sn() const { return u32(scsi_response_offset::exp_cmd_sn); }
  std::uint32_t max_cmd_sn() const { return u32(scsi_response_offset::max_cmd_sn); }
  std::uint32_t exp_data_sn() const { return u32(scsi_response_offset::exp_data_sn); }
  std::uint32_t bidi_read_residual_count() const {
    return u32(scsi_response_offset::bidi_read_residual_count);
  }
  std::uint32_t residual_count() const { return u32(scsi_response_offset::residual_count); }

  bytes_view data_segment() const { return data_; }
  // SenseLength, sense data, response data; bounds-checked.
  result<sense_segment, sense_segment_error> sense_and_response_data() const {
    return parse_sense_segment(data_);
  }

 private:
  bytes_view data_;
};

class scsi_response_builder : public builder<scsi_response_builder> {
 public:
  // Defaults: byte 1 bit 0 set as the format requires (it is the base's F
  // bit position), Command Completed at Target, GOOD, no residuals.
  scsi_response_builder() : builder(opcode::scsi_response) { final_bit(true); }

  scsi_response_builder& bidi_read_overflow(bool on = true) {
    return flag(residual_flag::bidi_read_overflow, on);
  }
  scsi_response_builder& bidi_read_underflow(bool on = true) {
    return flag(residual_flag::bidi_read_underflow, on);
  }
  scsi_response_builder& residual_overflow(bool on = true) {
    return flag(residual_flag::overflow, on);
  }
  scsi_response_builder& residual_underflow(bool on = true) {
    return flag(residual_flag::underflow, on);
  }
  scsi_response_builder& response(iscsi_response r) {
    return raw_response(static_cast<std::uint8_t>(r));
  }
  scsi_response_builder& raw_response(std::uint8_t v) {
    return set_u8(scsi_response_offset::response, v);
  }
  scsi_response_builder& status(scsi_status s) { return raw_status(static_cast<std::uint8_t>(s)); }
  scsi_response_builder& raw_status(std::uint8_t v) {
    return set_u8(scsi_response_offset::status, v);
  }
  scsi_response_builder& snack_tag(std::uint32_t v) {
    return set_u32(scsi_response_offset::snack_tag, v);
  }
  scsi_response_builder& stat_sn(std::uint32_t v) {
    return set_u32(scsi_response_offset::stat_sn, v);
  }
  scsi_response_builder& exp_cmd_sn(std::uint32_t v) {
    return set_u32(scsi_response_offset::exp_cmd_sn, v);
  }
  scsi_response_builder& max_cmd_sn(std::uint32_t v) {
    return set_u32(scsi_response_offset::max_cmd_sn, v);
  }
  scsi_response_builder& exp_data_sn(std::uint32_t v) {
    return set_u32(scsi_response_offset::exp_data_sn, v);
  }
  scsi_response_builder& bidi_read_residual_count(std::uint32_t v) {
    return set_u32(scsi_response_offset::bidi_read_residual_count, v);
  }
  scsi_response_builder& residual_count(std::uint32_t v) {
    return set_u32(scsi_response_offset::residual_count, v);
  }
  // The data segment of 11.4.7: SenseLength, sense data, response data.
  scsi_response_builder& sense_data(bytes_view sense, bytes_view response_data = {}) {
    return data(make_sense_segment(sense, response_data));
  }

 private:
  scsi_response_builder& flag(std::uint8_t mask, bool on) {
    return set_bit(scsi_response_offset::flags, mask, on);
  }
};

}  // namespace touchstone::pdu
