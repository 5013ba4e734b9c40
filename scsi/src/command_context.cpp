// Response builders for handlers.
#include <algorithm>

#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/logical_unit.hpp"

namespace touchstone::scsi {

sense_format command_context::format() const {
  //= spc4#7.5.8 table 429
  //# D_SENSE=1: descriptor format sense data; 0: fixed format
  return lu != nullptr && lu->pages().d_sense() ? sense_format::descriptor : sense_format::fixed;
}

response command_context::good() const { return response{}; }

response command_context::data_in(byte_buffer data, std::uint64_t allocation_length) const {
  //= spc4#4.2.5.6
  //# the device server terminates the transfer at the allocation length; not an error
  if (data.size() > allocation_length) data.resize(static_cast<std::size_t>(allocation_length));
  response r;
  r.data_in_length = data.size();
  r.data_in = std::move(data);
  return r;
}

response command_context::check_condition(const sense& s) const {
  response r;
  r.status = status::check_condition;
  r.sense = encode_sense(s, format());
  return r;
}

response command_context::check_condition(sense_key key, asc_ascq code) const {
  return check_condition(make_sense(key, code));
}

response command_context::invalid_field_in_cdb(std::uint16_t byte,
                                               std::optional<std::uint8_t> bit) const {
  return check_condition(scsi::invalid_field_in_cdb(byte, bit));
}

response command_context::invalid_field_in_parameter_list(std::uint16_t byte,
                                                          std::optional<std::uint8_t> bit) const {
  return check_condition(scsi::invalid_field_in_parameter_list(byte, bit));
}

response command_context::parameter_list_length_error() const {
  return check_condition(sense_key::illegal_request, asc::parameter_list_length_error);
}

response command_context::lba_out_of_range() const {
  //= sbc3#4.5
  //# LBA past the capacity: ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE
  return check_condition(sense_key::illegal_request, asc::lba_out_of_range);
}

response command_context::reservation_conflict() const {
  response r;
  r.status = status::reservation_conflict;
  return r;
}

response store_failure_response(const store_error& e, io_direction direction, sense_format format) {
  response r;
  r.status = status::check_condition;
  switch (e.code) {
    case store_errc::medium_error: {
      //= sbc3#4.15
      //# unrecovered error: MEDIUM ERROR, INFORMATION = the first failing LBA
      sense s = make_sense(sense_key::medium_error, direction == io_direction::read
                                                        ? asc::unrecovered_read_error
                                                        : asc::write_error);
      s.information = e.lba;
      r.sense = encode_sense(s, format);
      return r;
    }
    case store_errc::out_of_range:
      //= sbc3#4.5
      //# LBA past the capacity: ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE
      r.sense = encode_sense(make_sense(sense_key::illegal_request, asc::lba_out_of_range), format);
      return r;
    case store_errc::no_space:
      //= sbc3#4.7.3.6
      //# thin provisioning out of space: DATA PROTECT, SPACE ALLOCATION FAILED WRITE PROTECT
      r.sense = encode_sense(
          make_sense(sense_key::data_protect, asc::space_allocation_failed_write_protect), format);
      return r;
    case store_errc::io_error:
    case store_errc::unsupported:
    case store_errc::bad_length:
      break;
  }
  r.sense = encode_sense(make_sense(sense_key::hardware_error, asc::internal_target_failure), format);
  return r;
}

response sync_failure_response(sense_format format) {
  response r;
  r.status = status::check_condition;
  r.sense = encode_sense(make_sense(sense_key::medium_error, asc::write_error), format);
  return r;
}

response command_context::store_failure(const store_error& e, io_direction direction) const {
  return store_failure_response(e, direction, format());
}

}  // namespace touchstone::scsi
