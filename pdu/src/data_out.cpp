// SCSI Data-Out validation rules.
#include "touchstone/pdu/data_out.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {
namespace {

void check_reserved(const pdu& p, const data_out_view& v, violations& out) {
  // rfc7143 section 11.7, in our words:
  // byte 0 is .|.|0x05: the I bit position is reserved in Data-Out
  check::reserved_bits(out, p, 0, immediate_bit, "rfc7143#section-11.7/data-out-i-bit-reserved",
                       "Data-Out I bit is reserved and set");
  // rfc7143 section 11.7, in our words:
  // byte 1 is F|Reserved; bytes 2-3, 24-27, 32-35 and 44-47 are Reserved
  check::reserved_bits(out, p, 1, 0x7f, "rfc7143#section-11.7/data-out-byte1-reserved",
                       "Data-Out byte 1 reserved bits set");
  check::reserved_bytes(out, p, 2, 4, "rfc7143#section-11.7/data-out-bytes2-3-reserved",
                        "Data-Out bytes 2-3 reserved and set");
  check::reserved_bytes(out, p, 24, 28, "rfc7143#section-11.7/data-out-bytes24-27-reserved",
                        "Data-Out bytes 24-27 reserved and set");
  check::reserved_bytes(out, p, 32, 36, "rfc7143#section-11.7/data-out-bytes32-35-reserved",
                        "Data-Out bytes 32-35 reserved and set");
  check::reserved_bytes(out, p, 44, 48, "rfc7143#section-11.7/data-out-bytes44-47-reserved",
                        "Data-Out bytes 44-47 reserved and set");
  //= rfc7143#section-11.7.4
  //# If the Target Transfer Tag is provided, then the LUN field MUST hold a valid value
  //# and be consistent with whatever was specified with the command; otherwise, the LUN
  //# field is reserved.
  check::require(out, v.answers_r2t() || v.lun() == 0,
                 "rfc7143#section-11.7.4/data-out-lun-reserved", severity::reserved_field,
                 "Data-Out LUN is reserved without a Target Transfer Tag");
}

}  // namespace

void validate_data_out(const pdu& p, violations& out) {
  const data_out_view v{p};
  check_reserved(p, v, out);
  //= rfc7143#section-11.2.1.5
  //# The TotalAHSLength is only used in PDUs that have an AHS and MUST be 0 in all other PDUs.
  // Both AHS types (11.2.2.3, 11.2.2.4) belong to the SCSI Command only.
  check::require(out, v.total_ahs_length() == 0, "rfc7143#section-11.2.1.5/data-out-no-ahs",
                 severity::protocol_error, "Data-Out carries AHS");
  //= rfc7143#section-11.2.1.8
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task by the initiator.
  check::require(out, v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.2.1.8/data-out-itt-not-reserved", severity::protocol_error,
                 "Data-Out uses the reserved ITT 0xffffffff");
  //= rfc7143#section-11.7.7
  //# The data segments of Data-In and Data-Out PDUs SHOULD be filled to the integer
  //# number of 4-byte words (real payload), unless the F bit is set to 1.
  check::require(out, v.final_bit() || v.data_segment_length() % 4 == 0,
                 "rfc7143#section-11.7.7/data-out-whole-words", severity::should,
                 "non-final Data-Out payload is not a whole number of 4-byte words");
}

}  // namespace touchstone::pdu::detail
