// THE REGISTRATION POINT: one line per command family (see command_table.hpp).
// Each family's line is here already; uncomment yours (both lines) when its
// scsi/src/<family>.cpp lands. Keep one blank line between families so
// parallel edits merge cleanly.
#include "touchstone/scsi/command_table.hpp"

namespace touchstone::scsi {

// SBC-3 I/O: READ/WRITE 6/10/12/16 (read_write.cpp)
void register_read_write(command_table& t);

// SBC-3: READ CAPACITY 10/16 (capacity.cpp)
void register_capacity(command_table& t);

// SBC-3: SYNCHRONIZE CACHE 10/16 (sync_cache.cpp)
void register_sync_cache(command_table& t);

// SPC-4: TEST UNIT READY (test_unit_ready.cpp)
void register_test_unit_ready(command_table& t);

// SPC-4: INQUIRY and VPD pages (inquiry.cpp)
void register_inquiry(command_table& t);

// SPC-4: REPORT LUNS (report_luns.cpp)
void register_report_luns(command_table& t);

// SPC-4: REQUEST SENSE (request_sense.cpp)
void register_request_sense(command_table& t);

// SPC-4: MODE SENSE/SELECT 6/10 (mode.cpp)
void register_mode(command_table& t);

// SPC-4: REPORT SUPPORTED OPERATION CODES (report_opcodes.cpp)
void register_report_opcodes(command_table& t);

// SPC-2: RESERVE/RELEASE 6/10 (reserve_release.cpp)
void register_reserve_release(command_table& t);

// SPC-4: PERSISTENT RESERVE IN/OUT (persistent_reservations.cpp)
void register_persistent_reservations(command_table& t);

// SBC-3: UNMAP (unmap.cpp)
void register_unmap(command_table& t);

// SBC-3: WRITE SAME 10/16 (write_same.cpp)
void register_write_same(command_table& t);

// SBC-3: COMPARE AND WRITE (compare_and_write.cpp)
void register_compare_and_write(command_table& t);

// SBC-3: ORWRITE (orwrite.cpp)
void register_orwrite(command_table& t);

// SBC-3: GET LBA STATUS (lba_status.cpp)
void register_lba_status(command_table& t);

// SBC-3: PRE-FETCH 10/16 (prefetch.cpp)
void register_prefetch(command_table& t);

// SBC-3: START STOP UNIT (start_stop.cpp)
void register_start_stop(command_table& t);

// SBC-3: VERIFY 10/12/16 and WRITE AND VERIFY 10/12/16 (verify.cpp)
void register_verify(command_table& t);

void register_builtin_commands(command_table& t) {
  register_read_write(t);

  register_capacity(t);

  register_sync_cache(t);

  register_test_unit_ready(t);

  register_inquiry(t);

  register_report_luns(t);

  register_request_sense(t);

  register_mode(t);

  register_report_opcodes(t);

  register_reserve_release(t);

  register_persistent_reservations(t);

  register_unmap(t);

  register_write_same(t);

  register_compare_and_write(t);

  register_orwrite(t);

  register_lba_status(t);

  register_prefetch(t);

  register_start_stop(t);

  register_verify(t);
}

}  // namespace touchstone::scsi
