// SCSI Command (opcode 0x01): view and builder, with the CDB spillover and
// the bidirectional read length that travel in AHS.
#pragma once

#include <optional>
#include <span>

#include "touchstone/pdu/ahs.hpp"
#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.3, in our words:
// byte 1 F|R|W|.|.|ATTR, EDTL at 20, CmdSN at 24, ExpStatSN at 28, CDB at 32-47
namespace scsi_command_offset {
inline constexpr std::size_t flags = 1;
inline constexpr std::size_t expected_data_transfer_length = 20;
inline constexpr std::size_t cmd_sn = 24;
inline constexpr std::size_t exp_stat_sn = 28;
inline constexpr std::size_t cdb = 32;
}  // namespace scsi_command_offset

//= rfc7143#section-11.3.5
//# There are 16 bytes in the CDB field
inline constexpr std::size_t bhs_cdb_size = 16;

namespace scsi_command_flag {
inline constexpr std::uint8_t read = 0x40;
inline constexpr std::uint8_t write = 0x20;
inline constexpr std::uint8_t reserved = 0x18;
inline constexpr std::uint8_t attribute = 0x07;
}  // namespace scsi_command_flag

// rfc7143 section 11.3.1, in our words:
// Task Attributes (ATTR) have one of the following integer values; 5-7 Reserved
// Reserved values 5-7 are kept as they came: compare with raw_task_attribute().
enum class task_attribute : std::uint8_t {
  untagged = 0,
  simple = 1,
  ordered = 2,
  head_of_queue = 3,
  aca = 4,
};

class scsi_command_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  // The AHS helpers need the whole PDU; a view over the BHS alone sees none.
  explicit scsi_command_view(const pdu& p) : bhs_view(p.bhs), ahs_(p.ahs) {}
  // The view reads p's bytes in place: a temporary PDU would leave it dangling.
  explicit scsi_command_view(pdu&&) = delete;

  bool read() const { return bit(scsi_command_offset::flags, scsi_command_flag::read); }
  bool write() const { return bit(scsi_command_offset::flags, scsi_command_flag::write); }
  bool bidirectional() const { return read() && write(); }
  std::uint8_t raw_task_attribute() const {
    return u8(scsi_command_offset::flags) & scsi_command_flag::attribute;
  }
  task_attribute attribute() const { return static_cast<task_attribute>(raw_task_attribute()); }
  std::uint32_t expected_data_transfer_length() const {
    return u32(scsi_command_offset::expected_data_transfer_length);
  }
  std::uint32_t cmd_sn() const { return u32(scsi_command_offset::cmd_sn); }
  std::uint32_t exp_stat_sn() const { return u32(scsi_command_offset::exp_stat_sn); }
  // The 16 CDB bytes of the BHS, zero padded when the CDB is shorter.
  std::span<const std::uint8_t, bhs_cdb_size> cdb_field() const {
    return bytes().subspan<scsi_command_offset::cdb, bhs_cdb_size>();
  }

  bytes_view ahs() const { return ahs_; }
  // The BHS CDB followed by the Extended CDB AHS spillover, if any.
  result<byte_buffer, ahs_error> full_cdb() const;
  // The Bidirectional Read Expected Data Transfer Length, if its AHS is present.
  result<std::optional<std::uint32_t>, ahs_error> bidirectional_read_length() const;

 private:
  bytes_view ahs_;
};

class scsi_command_builder : public builder<scsi_command_builder> {
 public:
  // Defaults: F=1 (no unsolicited Data-Out follows), SIMPLE task, no data.
  scsi_command_builder() : builder(opcode::scsi_command) {
    final_bit(true);
    attribute(task_attribute::simple);
  }
  scsi_command_builder& read(bool on = true) {
    return set_bit(scsi_command_offset::flags, scsi_command_flag::read, on);
  }
  scsi_command_builder& write(bool on = true) {
    return set_bit(scsi_command_offset::flags, scsi_command_flag::write, on);
  }
  scsi_command_builder& attribute(task_attribute a) {
    return raw_task_attribute(static_cast<std::uint8_t>(a));
  }
  scsi_command_builder& raw_task_attribute(std::uint8_t v) {
    return set_bits(scsi_command_offset::flags, scsi_command_flag::attribute, v);
  }
  scsi_command_builder& expected_data_transfer_length(std::uint32_t v) {
    return set_u32(scsi_command_offset::expected_data_transfer_length, v);
  }
  scsi_command_builder& cmd_sn(std::uint32_t v) { return set_u32(scsi_command_offset::cmd_sn, v); }
  scsi_command_builder& exp_stat_sn(std::uint32_t v) {
    return set_u32(scsi_command_offset::exp_stat_sn, v);
  }
  // The first 16 bytes go to the BHS (zero padded); any more go to an
  // Extended CDB AHS placed first in the AHS. Replaces the AHS set so far.
  scsi_command_builder& cdb(bytes_view bytes);
  // Adds a Bidirectional Read Expected Data Transfer Length AHS after the
  // Extended CDB AHS, if any. Replaces the AHS set so far.
  scsi_command_builder& bidirectional_read_length(std::uint32_t length);

 private:
  void rebuild_ahs();
  byte_buffer extended_cdb_ahs_;
  byte_buffer bidirectional_ahs_;
};

}  // namespace touchstone::pdu
