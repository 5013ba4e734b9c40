// One SCSI command: what the transport hands in (`request`), what it gets
// back (`response`), and what a handler sees (`command_context`).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "touchstone/scsi/block_store.hpp"
#include "touchstone/scsi/bytes.hpp"
#include "touchstone/scsi/nexus.hpp"
#include "touchstone/scsi/sense.hpp"
#include "touchstone/scsi/types.hpp"

namespace touchstone::scsi {

class device_server;
class logical_unit;
struct command_entry;

using task_tag = std::uint64_t;

// Non-owning: the spans must outlive the execute() call.
struct request {
  bytes_view cdb;
  task_attribute attribute = task_attribute::simple;
  task_tag tag = 0;  // unique per I_T nexus among its active tasks (else OVERLAPPED COMMANDS)
  bytes_view data_out;                        // everything the initiator sent
  std::uint32_t expected_data_in_length = 0;  // e.g. iSCSI EDTL for reads
};

struct response {
  scsi::status status = status::good;
  byte_buffer sense;    // empty unless CHECK CONDITION
  byte_buffer data_in;  // never longer than request.expected_data_in_length
  // For residuals: the bytes the command would have moved had the transport
  // allowed it. data_in_length counts data-in (after the allocation length),
  // data_out_length the data-out the CDB asked for (e.g. blocks * block size).
  // data_in_length > data_in.size() is an overflow of the data-in buffer.
  std::uint64_t data_in_length = 0;
  std::uint64_t data_out_length = 0;
  // The task was aborted (ABORT TASK, ABORT TASK SET, CLEAR TASK SET, LU or
  // I_T nexus reset): send nothing for it, unless status is TASK ABORTED
  // (TAS=1 and another I_T nexus aborted it), which the transport sends.
  bool aborted = false;
};

// What a handler gets. `lu` is null only for entries flagged
// `runs_without_lu` addressed to a LUN that has no logical unit.
struct command_context {
  device_server& server;
  logical_unit* lu;
  const nexus& nx;
  const request& req;
  const command_entry& entry;

  bytes_view cdb() const { return req.cdb; }
  sense_format format() const;

  // GOOD with no data.
  response good() const;
  // GOOD with `data` truncated to the CDB's allocation length.
  response data_in(byte_buffer data, std::uint64_t allocation_length) const;
  response check_condition(const sense& s) const;
  response check_condition(sense_key key, asc_ascq code) const;
  response invalid_field_in_cdb(std::uint16_t byte,
                                std::optional<std::uint8_t> bit = std::nullopt) const;
  response invalid_field_in_parameter_list(std::uint16_t byte,
                                           std::optional<std::uint8_t> bit = std::nullopt) const;
  response parameter_list_length_error() const;
  response lba_out_of_range() const;
  response reservation_conflict() const;
  // MEDIUM ERROR (with the failing LBA in INFORMATION) and the other store errors.
  response store_failure(const store_error& e, io_direction direction) const;
};

}  // namespace touchstone::scsi
