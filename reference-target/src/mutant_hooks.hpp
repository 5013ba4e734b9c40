// The hooks of the mutants in mutant_login.cpp, mutant_framing.cpp,
// mutant_numbering.cpp, mutant_tmf.cpp and mutant_reservations.cpp
// (mutant.hpp): each rewrites what the target's own code built or decided,
// so that code stays as the RFC asks; each function is a no-op unless its
// mutant is in `set`.
#pragma once

#include <cstdint>

#include "touchstone/pdu/framer.hpp"
#include "touchstone/pdu/pdu.hpp"
#include "touchstone/pdu/text.hpp"
#include "touchstone/scsi/command.hpp"
#include "touchstone/scsi/device_server.hpp"
#include "touchstone/scsi/nexus.hpp"
#include "touchstone/target/mutant.hpp"

namespace touchstone::target {

// The keys a Login Response answers to `offers` (declarative-key-echoed,
// digest-answered-with-list, obsolete-key-not-understood).
void mutate_login_keys(const mutant_set& set, const pdu::text_pairs& offers, pdu::text_pairs& answers);
// A Login Response's header (login-continue-with-transit,
// login-nsg-beyond-request, login-version-changes).
void mutate_login_response(const mutant_set& set, pdu::pdu& response);

// partial-pdu-zero-filled (mutant_framing.cpp): whether a read that left
// the framer at `step` ends inside a PDU the mutant completes, and the
// completion (the framer fed zeros until the PDU is done).
bool zero_fill_due(const mutant_set& set, const pdu::frame_step& step);
pdu::frame_step complete_with_zeros(pdu::framer& framer);

// A status PDU's ExpCmdSN (status-before-acknowledgment).
void mutate_status_numbers(const mutant_set& set, pdu::pdu& p);
// Whether cmdsn-plain-arithmetic ignores `cmd_sn` (outside [exp, max] by
// plain unsigned comparison).
bool outside_plain_window(const mutant_set& set, std::uint32_t exp_cmd_sn, std::uint32_t max_cmd_sn,
                          std::uint32_t cmd_sn);
// Whether exp-stat-sn-lag-rejected rejects a command acknowledging statuses
// up to `exp_stat_sn` when `next_stat_sn` is the next to send.
bool exp_stat_sn_lag_refused(const mutant_set& set, const pdu::pdu& p, std::uint32_t next_stat_sn);

// The response code of a TMF Response about to go out for `request`
// (abort-task-set-empty-rejected), and the unit attentions of
// lun-reset-unit-attention-everywhere.
std::uint8_t mutate_tmf_response(const mutant_set& set, const pdu::pdu& request, std::uint8_t response,
                                 bool tasks_open, scsi::device_server* devices);
// status-after-abort: the status of the task ABORT TASK `request` aborted.
pdu::pdu status_after_abort(const pdu::pdu& request, std::uint32_t stat_sn, std::uint32_t exp_cmd_sn,
                            std::uint32_t max_cmd_sn);

// The nexus, CDB and parameter data of a command before the device server
// runs it (reservation-state-per-target, register-ignore-key-checked,
// ptpl-a-stuck).
void mutate_reservation_command(const mutant_set& set, scsi::byte_buffer& cdb, scsi::byte_buffer& data_out,
                                scsi::nexus& nexus);
// The device server's answer to a PERSISTENT RESERVE command (ptpl-a-stuck,
// report-capabilities-length-wrong, pr-generation-bumped-by-reserve).
void mutate_reservation_answer(const mutant_set& set, scsi::bytes_view cdb, scsi::response& r);

}  // namespace touchstone::target
