// The sense data of the iSCSI conditions of RFC 7143 section 11.4.7.2.
#pragma once

#include "touchstone/scsi/sense.hpp"

namespace touchstone::target {

//= rfc7143#section-11.4.7.2
//# | Unexpected unsolicited   |Aborted    | ASC = 0x0c ASCQ = 0x0c    |
//# | data                     |Command-0B | Write Error               |
inline scsi::byte_buffer unexpected_unsolicited_data_sense() {
  return scsi::encode_sense(scsi::make_sense(scsi::sense_key::aborted_command, {0x0c, 0x0c}),
                            scsi::sense_format::fixed);
}

//= rfc7143#section-11.4.7.2
//# | Incorrect amount of data |Aborted    | ASC = 0x0c ASCQ = 0x0d    |
//# |                          |Command-0B | Write Error               |
inline scsi::byte_buffer incorrect_amount_of_data_sense() {
  return scsi::encode_sense(scsi::make_sense(scsi::sense_key::aborted_command, {0x0c, 0x0d}),
                            scsi::sense_format::fixed);
}

//= rfc7143#section-11.4.7.2
//# | Protocol Service CRC     |Aborted    | ASC = 0x47 ASCQ = 0x05    |
//# | error                    |Command-0B | CRC Error Detected        |
inline scsi::byte_buffer protocol_service_crc_error_sense() {
  return scsi::encode_sense(scsi::make_sense(scsi::sense_key::aborted_command, {0x47, 0x05}),
                            scsi::sense_format::fixed);
}

}  // namespace touchstone::target
