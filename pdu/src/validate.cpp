#include "touchstone/pdu/validate.hpp"

#include <array>

#include "validators.hpp"

namespace touchstone::pdu {
namespace {

using detail::validator_fn;

// One row per defined opcode; every other code is unknown or vendor-specific.
constexpr std::array<validator_fn, 64> make_table() {
  std::array<validator_fn, 64> t{};
  auto at = [&t](opcode op, validator_fn fn) { t[static_cast<std::size_t>(op)] = fn; };
  at(opcode::nop_out, detail::validate_nop_out);
  at(opcode::scsi_command, detail::validate_scsi_command);
  at(opcode::task_mgmt_request, detail::validate_task_mgmt_request);
  at(opcode::login_request, detail::validate_login_request);
  at(opcode::text_request, detail::validate_text_request);
  at(opcode::data_out, detail::validate_data_out);
  at(opcode::logout_request, detail::validate_logout_request);
  at(opcode::snack, detail::validate_snack);
  at(opcode::nop_in, detail::validate_nop_in);
  at(opcode::scsi_response, detail::validate_scsi_response);
  at(opcode::task_mgmt_response, detail::validate_task_mgmt_response);
  at(opcode::login_response, detail::validate_login_response);
  at(opcode::text_response, detail::validate_text_response);
  at(opcode::data_in, detail::validate_data_in);
  at(opcode::logout_response, detail::validate_logout_response);
  at(opcode::r2t, detail::validate_r2t);
  at(opcode::async_message, detail::validate_async_message);
  at(opcode::reject, detail::validate_reject);
  return t;
}

constexpr auto table = make_table();

void validate_common(const pdu& p, violations& out) {
  const auto h = p.header();
  // rfc7143 section 11.2.1, in our words:
  // byte 0 bit 7 (".") is reserved in every BHS
  check::reserved_bits(out, p, 0, 0x80, "rfc7143#section-11.2.1/byte0-bit7-reserved",
                       "bit 7 of byte 0 is reserved and set");
  if (is_target_code(h.raw_opcode())) {
    // rfc7143 section 11.2.1.1, in our words:
    // the I bit is an immediate delivery marker for Request PDUs only
    check::reserved_bits(out, p, 0, immediate_bit, "rfc7143#section-11.2.1.1/i-bit-request-only",
                         "I bit set in a target (response) PDU");
    //= rfc7143#section-11.2
    //# iSCSI Response PDUs do not have AH Segments.
    check::require(out, h.total_ahs_length() == 0, "rfc7143#section-11.2/response-no-ahs",
                   severity::protocol_error, "response PDU carries AHS");
  }
  // rfc7143 section 11.2.2, in our words:
  // TotalAHSLength counts whole 4-byte words of AHS
  check::require(out, p.ahs.size() == h.total_ahs_bytes(),
                 "rfc7143#section-11.2.1.5/total-ahs-length", severity::protocol_error,
                 "TotalAHSLength does not match the AHS bytes present");
  check::require(out, p.data.size() == h.data_segment_length(),
                 "rfc7143#section-11.2.1.6/data-segment-length", severity::protocol_error,
                 "DataSegmentLength does not match the data present");
  //= rfc7143#section-11.1
  //# The padding bytes SHOULD be sent as 0.
  bool pad_zero = true;
  for (std::size_t i = 0; i < padding_of(p.data.size()); ++i) pad_zero = pad_zero && p.padding[i] == 0;
  check::require(out, pad_zero, "rfc7143#section-11.1/padding-zero", severity::should,
                 "padding bytes are not zero");
}

}  // namespace

violations validate(const pdu& p) {
  violations out;
  validate_into(p, out);
  return out;
}

void validate_into(const pdu& p, violations& out) {
  validate_common(p, out);
  const auto code = p.header().raw_opcode();
  if (auto fn = table[code]) {
    fn(p, out);
  } else {
    //= rfc7143#section-11.2.1.2
    //# The Opcode indicates the type of iSCSI PDU the header encapsulates.
    check::require(out, false, "rfc7143#section-11.2.1.2/unknown-opcode", severity::protocol_error,
                   is_vendor_specific(code) ? "vendor-specific opcode" : "undefined opcode");
  }
}

std::string_view name(severity s) {
  switch (s) {
    case severity::protocol_error: return "protocol-error";
    case severity::reserved_field: return "reserved-field";
    case severity::should: return "should";
  }
  return "unknown";
}

}  // namespace touchstone::pdu
