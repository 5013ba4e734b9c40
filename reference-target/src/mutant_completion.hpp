// The mutants of what completes a SCSI command (mutant.hpp): the Data-In
// PDUs and the SCSI Response complete_command built, and the response the
// device server gave before them. Kept apart from data_in.cpp, which stays
// the target's own sequencing.
#pragma once

#include <vector>

#include "touchstone/pdu/pdu.hpp"
#include "touchstone/scsi/command.hpp"
#include "touchstone/target/mutant.hpp"

namespace touchstone::target {

// Breaks the completion PDUs as the mutants in `set` ask (datasn-restart,
// residual-count-off-by-one, data-in-final-missing, residual-flag-on-exact,
// residual-count-without-flags, data-in-ack-at-erl0,
// bidi-residual-count-without-flags, bidi-read-residual-missing,
// error-status-in-data-in); none: untouched.
void mutate_completion(const mutant_set& set, std::vector<pdu::pdu>& pdus);
// Whether mutate_completion would change anything (then the Data-In is not streamed).
bool mutates_completion(const mutant_set& set);

// Breaks the device server's response to `cdb` (sense-data-missing and the
// SCSI answers of mutant_scsi_answer.cpp).
void mutate_response(const mutant_set& set, scsi::bytes_view cdb, scsi::response& r);

// Breaks the CDB handed to the device server (pr-type-ignored).
void mutate_cdb(const mutant_set& set, scsi::byte_buffer& cdb);

}  // namespace touchstone::target
