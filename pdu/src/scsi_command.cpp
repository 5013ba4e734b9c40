// SCSI Command: the AHS helpers of the view and builder, and the validator.
#include "touchstone/pdu/scsi_command.hpp"

#include <algorithm>

#include "validators.hpp"

namespace touchstone::pdu {

result<byte_buffer, ahs_error> scsi_command_view::full_cdb() const {
  const auto field = cdb_field();
  byte_buffer cdb(field.begin(), field.end());
  auto segments = parse_ahs(ahs_);
  if (!segments) return fail(segments.error());
  //= rfc7143#section-11.3.5
  //# Whenever the CDB is larger than 16 bytes, an Extended CDB AHS MUST be used to contain the CDB
  // spillover.
  const auto extended = find_ahs(*segments, ahs_type::extended_cdb);
  if (!extended) return cdb;
  auto spillover = extended_cdb_spillover(*extended);
  if (!spillover) return fail(spillover.error());
  cdb.insert(cdb.end(), spillover->begin(), spillover->end());
  return cdb;
}

result<std::optional<std::uint32_t>, ahs_error> scsi_command_view::bidirectional_read_length()
    const {
  auto segments = parse_ahs(ahs_);
  if (!segments) return fail(segments.error());
  const auto segment = find_ahs(*segments, ahs_type::bidirectional_read_length);
  if (!segment) return std::optional<std::uint32_t>{};
  auto length = touchstone::pdu::bidirectional_read_length(*segment);
  if (!length) return fail(length.error());
  return std::optional<std::uint32_t>{*length};
}

scsi_command_builder& scsi_command_builder::cdb(bytes_view bytes) {
  const std::size_t in_bhs = std::min(bytes.size(), bhs_cdb_size);
  std::fill_n(p_.bhs.begin() + scsi_command_offset::cdb, bhs_cdb_size, std::uint8_t{0});
  std::copy_n(bytes.begin(), in_bhs, p_.bhs.begin() + scsi_command_offset::cdb);
  extended_cdb_ahs_.clear();
  if (bytes.size() > bhs_cdb_size) extended_cdb_ahs_ = make_extended_cdb_ahs(bytes.subspan(in_bhs));
  rebuild_ahs();
  return *this;
}

scsi_command_builder& scsi_command_builder::bidirectional_read_length(std::uint32_t length) {
  bidirectional_ahs_ = make_bidirectional_read_length_ahs(length);
  rebuild_ahs();
  return *this;
}

void scsi_command_builder::rebuild_ahs() {
  p_.ahs = extended_cdb_ahs_;
  p_.ahs.insert(p_.ahs.end(), bidirectional_ahs_.begin(), bidirectional_ahs_.end());
}

}  // namespace touchstone::pdu

namespace touchstone::pdu::detail {
namespace {

void check_reserved(const pdu& p, violations& out) {
  //= rfc7143#section-11.3.1
  //# bit 3-4 Reserved.
  check::reserved_bits(out, p, scsi_command_offset::flags, scsi_command_flag::reserved,
                       "rfc7143#section-11.3.1/flags-bits3-4-reserved",
                       "SCSI Command byte 1 bits 3-4 reserved and set");
  // rfc7143 section 11.3, in our words:
  // bytes 2-3 are Reserved
  check::reserved_bytes(out, p, 2, 4, "rfc7143#section-11.3/bytes2-3-reserved",
                        "SCSI Command bytes 2-3 reserved and set");
}

void check_flags(const scsi_command_view& v, std::uint32_t read_length, violations& out) {
  // rfc7143 section 11.3.1, in our words:
  // Task Attributes 5-7 - Reserved
  check::require(out, v.raw_task_attribute() <= static_cast<std::uint8_t>(task_attribute::aca),
                 "rfc7143#section-11.3.1/task-attribute-reserved", severity::protocol_error,
                 "SCSI Command task attribute is a reserved value (5-7)");
  //= rfc7143#section-11.3.1
  //# At least one of the W and F bits MUST be set to 1.
  check::require(out, v.write() || v.final_bit(), "rfc7143#section-11.3.1/w-or-f-set",
                 severity::protocol_error, "SCSI Command has neither W nor F set");
  // rfc7143 section 11.3.1, in our words:
  // R and W MUST NOT both be 0 when the Expected Data Transfer Length and/or
  // Bidirectional Read Expected Data Transfer Length are not 0
  const bool transfers = v.expected_data_transfer_length() != 0 || read_length != 0;
  check::require(out, !transfers || v.read() || v.write(),
                 "rfc7143#section-11.3.1/transfer-needs-direction", severity::protocol_error,
                 "SCSI Command expects a data transfer but has neither R nor W set");
}

void check_lengths(const scsi_command_view& v, bool has_bidi_ahs, violations& out) {
  //= rfc7143#section-11.3.4
  //# If the Expected Data Transfer Length for a write and the length of the immediate
  //# data part that follows the command (if any) are the same ... the F bit MUST be set to 1.
  const bool all_data_immediate =
      v.write() && v.expected_data_transfer_length() == v.data_segment_length();
  check::require(out, !all_data_immediate || v.final_bit(),
                 "rfc7143#section-11.3.4/all-immediate-needs-f", severity::protocol_error,
                 "SCSI Command write carries all its data immediately but F is 0");
  //= rfc7143#section-11.3.4
  //# For bidirectional operations, an additional header segment MUST be present in the
  //# header sequence that indicates the Bidirectional Read Expected Data Transfer Length.
  check::require(out, !v.bidirectional() || has_bidi_ahs,
                 "rfc7143#section-11.3.4/bidirectional-needs-read-length-ahs",
                 severity::protocol_error,
                 "bidirectional SCSI Command lacks the Bidirectional Read EDTL AHS");
}

void check_segment(const ahs_segment& s, violations& out) {
  // rfc7143 section 11.2.2.1, in our words:
  // AHSType bit 0-1 - Reserved
  check::require(out, !s.type_reserved_bits_set(), "rfc7143#section-11.2.2.1/type-bits0-1-reserved",
                 severity::reserved_field, "AHSType reserved bits 0-1 set");
  // rfc7143 section 11.2.2.1, in our words:
  // AHS code 0 - Reserved; 3 - 63 Reserved
  check::require(out, is_defined(s.type()), "rfc7143#section-11.2.2.1/ahs-code-reserved",
                 severity::protocol_error, "AHS code is a reserved value");
  if (!is_defined(s.type())) return;
  // rfc7143 section 11.2.2.3, in our words:
  // | 0x01 | Reserved | (and | 0x02 | Reserved | in 11.2.2.4): byte 3 is reserved
  check::require(out, s.specific == 0, "rfc7143#section-11.2.2.3/byte3-reserved",
                 severity::reserved_field, "AHS reserved byte 3 set");
  if (s.type() == ahs_type::extended_cdb) {
    //= rfc7143#section-11.2.2.3
    //# This type of AHS MUST NOT be used if the CDBLength is less than 17.
    check::require(out, extended_cdb_spillover(s).has_value(),
                   "rfc7143#section-11.2.2.3/cdb-length-at-least-17", severity::protocol_error,
                   "Extended CDB AHS for a CDB shorter than 17 bytes");
  } else {
    //= rfc7143#section-11.2.2.4
    //# AHSLength (0x0005)
    check::require(out, s.length == bidirectional_read_length_ahs_length,
                   "rfc7143#section-11.2.2.4/ahs-length-5", severity::protocol_error,
                   "Bidirectional Read EDTL AHS length is not 5");
  }
}

void check_padding(const ahs_segment& s, violations& out) {
  //= rfc7143#section-11.2
  //# All PDU segments and digests are padded ... The padding bytes SHOULD be sent as 0.
  const bool zero = std::all_of(s.padding.begin(), s.padding.end(), [](auto b) { return b == 0; });
  check::require(out, zero, "rfc7143#section-11.2/ahs-padding-zero", severity::should,
                 "AHS padding bytes are not zero");
}

}  // namespace

void validate_scsi_command(const pdu& p, violations& out) {
  const scsi_command_view v{p};
  check_reserved(p, out);
  //= rfc7143#section-11.2.1.8
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task by the initiator.
  check::require(out, v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.2.1.8/scsi-command-itt-not-reserved", severity::protocol_error,
                 "SCSI Command uses the reserved ITT 0xffffffff");

  const auto segments = parse_ahs(p.ahs);
  //= rfc7143#section-11.2.2.2
  //# the effective length in bytes of the AHS ... The AHS is padded to the smallest integer number
  // of 4-byte words
  check::require(out, segments.has_value(), "rfc7143#section-11.2.2.2/ahs-segments-fit",
                 severity::protocol_error, "AHS segments do not fit the AHS bytes");
  std::uint32_t read_length = 0;
  bool has_bidi_ahs = false;
  if (segments) {
    for (const auto& s : *segments) {
      check_segment(s, out);
      check_padding(s, out);
    }
    const auto bidi = find_ahs(*segments, ahs_type::bidirectional_read_length);
    has_bidi_ahs = bidi.has_value();
    if (bidi) read_length = touchstone::pdu::bidirectional_read_length(*bidi).value_or(0u);
  }
  check_flags(v, read_length, out);
  check_lengths(v, has_bidi_ahs, out);
}

}  // namespace touchstone::pdu::detail
