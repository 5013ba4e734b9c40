// What the sans-I/O connection core asks its transport to do. The transport
// performs actions in order: send PDUs, run SCSI jobs (and report them back
// with connection::on_scsi_done), close the connection.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "touchstone/pdu/pdu.hpp"
#include "touchstone/scsi/command.hpp"

namespace touchstone::target {

struct send_pdu {
  pdu::pdu pdu;
  pdu::digest_config digests;  // the digests in force when it was emitted
};

// One SCSI command for the device server. Owns its bytes, so the transport
// may run it anywhere (another thread, later) and hand the response back.
struct execute_scsi {
  std::uint64_t job = 0;
  scsi::nexus nexus;
  scsi::byte_buffer cdb;
  scsi::byte_buffer data_out;
  std::uint32_t expected_data_in_length = 0;
  scsi::task_attribute attribute = scsi::task_attribute::simple;
  scsi::task_tag tag = 0;

  scsi::request request() const {
    scsi::request r;
    r.cdb = cdb;
    r.attribute = attribute;
    r.tag = tag;
    r.data_out = data_out;
    r.expected_data_in_length = expected_data_in_length;
    return r;
  }
};

// Close the TCP connection after everything before it has been sent.
struct close_connection {
  std::string reason;
};

using action = std::variant<send_pdu, execute_scsi, close_connection>;

}  // namespace touchstone::target
