// SNACK Request validation rules: the per-type rules of 11.16.4-11.16.7 as
// one small function per field. Whether the run was ever sent is stateful.
#include "touchstone/pdu/snack.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {
namespace {

void check_reserved(const pdu& p, const snack_view& v, violations& out) {
  // rfc7143 section 11.16, in our words:
  // byte 0 is .|.|0x10, byte 1 is 1|.|.|.|Type; bytes 2-3, 24-27 and 32-39 are Reserved
  check::reserved_bits(out, p, 0, immediate_bit, "rfc7143#section-11.16/snack-i-bit-reserved",
                       "SNACK I bit is reserved and set");
  check::reserved_bits(out, p, snack_offset::type, snack_reserved_flags,
                       "rfc7143#section-11.16/snack-flags-reserved",
                       "SNACK byte 1 bits 1-3 reserved and set");
  check::reserved_bytes(out, p, 2, 4, "rfc7143#section-11.16/snack-bytes2-3-reserved",
                        "SNACK bytes 2-3 reserved and set");
  check::reserved_bytes(out, p, 24, 28, "rfc7143#section-11.16/snack-bytes24-27-reserved",
                        "SNACK bytes 24-27 reserved and set");
  check::reserved_bytes(out, p, 32, 40, "rfc7143#section-11.16/snack-bytes32-39-reserved",
                        "SNACK bytes 32-39 reserved and set");
  // rfc7143 section 11.16, in our words:
  // bytes 8-15 are "LUN or Reserved"
  //= rfc7143#section-11.16.5
  //# For DataACK, the Target Transfer Tag MUST contain a copy of the Target Transfer Tag
  //# and LUN provided with the SCSI Data-In PDU
  check::require(out, v.type() == snack_type::data_ack || v.lun() == 0,
                 "rfc7143#section-11.16/snack-lun-reserved", severity::reserved_field,
                 "SNACK LUN is reserved except in a DataACK");
}

void check_layout(const snack_view& v, violations& out) {
  // rfc7143 section 11.16, in our words:
  // byte 1 is 1|.|.|.|Type: the F bit is always 1
  check::require(out, v.final_bit(), "rfc7143#section-11.16/f-bit-set", severity::protocol_error,
                 "SNACK F bit is not 1");
  //= rfc7143#section-11.16.1
  //# All other values are reserved.
  check::require(out, is_assigned(v.type()), "rfc7143#section-11.16.1/type-reserved",
                 severity::protocol_error, "SNACK type is a reserved value");
  //= rfc7143#section-11.2.1.5
  //# The TotalAHSLength is only used in PDUs that have an AHS and MUST be 0 in all other PDUs.
  check::require(out, v.total_ahs_length() == 0, "rfc7143#section-11.2.1.5/snack-no-ahs",
                 severity::protocol_error, "SNACK carries AHS");
  //= rfc7143#section-11.2.1.6
  //# The DataSegmentLength MUST be 0 whenever the PDU has no data segment.
  // The SNACK format (11.16) ends with the header digest: it has no data segment.
  check::require(out, v.data_segment_length() == 0, "rfc7143#section-11.2.1.6/snack-no-data",
                 severity::protocol_error, "SNACK carries a data segment");
}

void check_initiator_task_tag(const snack_view& v, violations& out) {
  const bool needs_reserved = v.type() == snack_type::status || v.type() == snack_type::data_ack;
  //= rfc7143#section-11.16.4
  //# For a Status SNACK and DataACK, the Initiator Task Tag MUST be set to the reserved
  //# value 0xffffffff.
  check::require(out, !needs_reserved || v.initiator_task_tag() == reserved_tag,
                 "rfc7143#section-11.16.4/itt-reserved-for-status-and-dataack",
                 severity::protocol_error, "Status SNACK or DataACK ITT is not 0xffffffff");
  //= rfc7143#section-11.16.4
  //# In all other cases, the Initiator Task Tag field MUST be set to the Initiator Task
  //# Tag of the referenced command.
  check::require(out, needs_reserved || v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.16.4/itt-names-command", severity::protocol_error,
                 "Data/R2T or R-Data SNACK ITT 0xffffffff names no command");
}

void check_target_transfer_tag(const snack_view& v, violations& out) {
  const auto tag = v.target_transfer_tag();
  if (v.type() == snack_type::r_data) {
    //= rfc7143#section-11.16.5
    //# For a R-Data SNACK, this field MUST contain a value that is different from 0 or 0xffffffff
    check::require(out, tag != 0 && tag != reserved_tag, "rfc7143#section-11.16.5/snack-tag-valid",
                   severity::protocol_error, "R-Data SNACK Tag is 0 or 0xffffffff");
  } else if (v.type() == snack_type::data_ack) {
    //= rfc7143#section-11.16.5
    //# For DataACK, the Target Transfer Tag MUST contain a copy of the Target Transfer Tag
    // A Data-In with the A bit MUST carry a real TTT (11.7.4), so its copy is never 0xffffffff.
    check::require(out, tag != reserved_tag, "rfc7143#section-11.16.5/dataack-copies-ttt",
                   severity::protocol_error, "DataACK Target Transfer Tag is 0xffffffff");
  } else {
    //= rfc7143#section-11.16.5
    //# In all other cases, the Target Transfer Tag field MUST be set to the reserved value
    // 0xffffffff.
    check::require(out, tag == reserved_tag, "rfc7143#section-11.16.5/ttt-reserved-value",
                   severity::protocol_error, "SNACK Target Transfer Tag is not 0xffffffff");
  }
}

void check_run(const snack_view& v, violations& out) {
  //= rfc7143#section-11.16.6
  //# BegRun MUST be 0 for a R-Data SNACK.
  check::require(out, v.type() != snack_type::r_data || v.beg_run() == 0,
                 "rfc7143#section-11.16.6/r-data-beg-run-zero", severity::protocol_error,
                 "R-Data SNACK BegRun is not 0");
  //= rfc7143#section-11.16.7
  //# The RunLength MUST also be 0 for a DataACK SNACK in addition to a R-Data SNACK.
  const bool needs_zero = v.type() == snack_type::data_ack || v.type() == snack_type::r_data;
  check::require(out, !needs_zero || v.run_length() == 0, "rfc7143#section-11.16.7/run-length-zero",
                 severity::protocol_error, "DataACK or R-Data SNACK RunLength is not 0");
}

}  // namespace

void validate_snack(const pdu& p, violations& out) {
  const snack_view v{p};
  check_reserved(p, v, out);
  check_layout(v, out);
  // The field rules depend on the type; a reserved type has none to check.
  if (!is_assigned(v.type())) return;
  check_initiator_task_tag(v, out);
  check_target_transfer_tag(v, out);
  check_run(v, out);
}

}  // namespace touchstone::pdu::detail
