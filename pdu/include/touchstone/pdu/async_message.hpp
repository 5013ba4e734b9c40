// Asynchronous Message (opcode 0x32): view, builder and the event codes.
#pragma once

#include "touchstone/pdu/builder.hpp"
#include "touchstone/pdu/sense_segment.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.9, in our words:
// StatSN 24, ExpCmdSN 28, MaxCmdSN 32, AsyncEvent 36, AsyncVCode 37,
// Parameter1 38, Parameter2 40, Parameter3 42; bytes 20-23 and 44-47 reserved
namespace async_message_offset {
inline constexpr std::size_t stat_sn = 24;
inline constexpr std::size_t exp_cmd_sn = 28;
inline constexpr std::size_t max_cmd_sn = 32;
inline constexpr std::size_t async_event = 36;
inline constexpr std::size_t async_vcode = 37;
inline constexpr std::size_t parameter1 = 38;
inline constexpr std::size_t parameter2 = 40;
inline constexpr std::size_t parameter3 = 42;
}  // namespace async_message_offset

// rfc7143 section 11.9.1, in our words:
// The codes used for iSCSI Asynchronous Messages (events) are: 0 ... 5,
// 248-255 (Vendor-unique). All other event codes are unassigned.
// A wire enum: any byte converts to it and keeps its value.
enum class async_event : std::uint8_t {
  scsi_async_event = 0,
  logout_request = 1,
  connection_drop = 2,  // Parameter1 CID, Parameter2 Time2Wait, Parameter3 Time2Retain
  session_drop = 3,     // Parameter2 Time2Wait, Parameter3 Time2Retain
  negotiation_request = 4,
  task_termination = 5,
  vendor_first = 248,
};
constexpr bool is_vendor_specific(async_event e) { return e >= async_event::vendor_first; }
constexpr bool is_assigned(async_event e) {
  return e <= async_event::task_termination || is_vendor_specific(e);
}

class async_message_view : public bhs_view {
 public:
  explicit async_message_view(bhs_span b) : bhs_view(b) {}
  // Keeps a view of p's data segment as well: p must outlive the view.
  explicit async_message_view(const pdu& p) : bhs_view(p.bhs), data_(p.data) {}
  // A temporary PDU would leave the data view dangling.
  explicit async_message_view(pdu&&) = delete;
  std::uint32_t stat_sn() const { return u32(async_message_offset::stat_sn); }
  std::uint32_t exp_cmd_sn() const { return u32(async_message_offset::exp_cmd_sn); }
  std::uint32_t max_cmd_sn() const { return u32(async_message_offset::max_cmd_sn); }
  std::uint8_t raw_async_event() const { return u8(async_message_offset::async_event); }
  async_event event() const { return static_cast<async_event>(raw_async_event()); }
  std::uint8_t async_vcode() const { return u8(async_message_offset::async_vcode); }
  std::uint16_t parameter1() const { return u16(async_message_offset::parameter1); }
  std::uint16_t parameter2() const { return u16(async_message_offset::parameter2); }
  std::uint16_t parameter3() const { return u16(async_message_offset::parameter3); }

  bytes_view data_segment() const { return data_; }
  // rfc7143 section 11.9.4, in our words:
  // SenseLength | Sense Data | iSCSI Event Data
  result<sense_segment, sense_segment_error> sense_and_event_data() const {
    return parse_sense_segment(data_);
  }

 private:
  bytes_view data_;
};

class async_message_builder : public builder<async_message_builder> {
 public:
  // Defaults: F=1 as the format requires and ITT 0xffffffff, the only value
  // the format allows; event 0 (SCSI Async Event) until one is chosen.
  async_message_builder() : builder(opcode::async_message) {
    final_bit(true);
    initiator_task_tag(reserved_tag);
  }
  async_message_builder& stat_sn(std::uint32_t v) {
    return set_u32(async_message_offset::stat_sn, v);
  }
  async_message_builder& exp_cmd_sn(std::uint32_t v) {
    return set_u32(async_message_offset::exp_cmd_sn, v);
  }
  async_message_builder& max_cmd_sn(std::uint32_t v) {
    return set_u32(async_message_offset::max_cmd_sn, v);
  }
  async_message_builder& event(async_event e) {
    return raw_async_event(static_cast<std::uint8_t>(e));
  }
  async_message_builder& raw_async_event(std::uint8_t v) {
    return set_u8(async_message_offset::async_event, v);
  }
  async_message_builder& async_vcode(std::uint8_t v) {
    return set_u8(async_message_offset::async_vcode, v);
  }
  async_message_builder& parameter1(std::uint16_t v) {
    return set_u16(async_message_offset::parameter1, v);
  }
  async_message_builder& parameter2(std::uint16_t v) {
    return set_u16(async_message_offset::parameter2, v);
  }
  async_message_builder& parameter3(std::uint16_t v) {
    return set_u16(async_message_offset::parameter3, v);
  }
  // The data segment of 11.9.4: SenseLength, sense data, iSCSI event data.
  async_message_builder& sense_and_event_data(bytes_view sense, bytes_view event_data = {}) {
    return data(make_sense_segment(sense, event_data));
  }
};

}  // namespace touchstone::pdu
