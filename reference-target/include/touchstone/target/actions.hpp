// What the sans-I/O connection core asks its transport to do. The transport
// performs actions in order: send PDUs (or a read's Data-In stream), run SCSI jobs (and report them back
// with connection::on_scsi_done), close the connection.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>

#include "touchstone/pdu/pdu.hpp"
#include "touchstone/scsi/command.hpp"
#include "touchstone/target/data_in.hpp"

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

// A read's Data-In PDUs, built as the transport writes them (only from a
// core whose transport asked for them: connection::stream_data_in). What
// the core sends after it goes on the wire after its last PDU.
struct send_data_in {
  std::shared_ptr<data_in_stream> stream;
  pdu::digest_config digests;
};

// Close the TCP connection after everything before it has been sent.
struct close_connection {
  std::string reason;
};

using action = std::variant<send_pdu, execute_scsi, close_connection, send_data_in>;

}  // namespace touchstone::target
