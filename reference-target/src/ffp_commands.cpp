// SCSI Command PDUs in the Full Feature Phase: a task per command, immediate
// data, execution through the device server, and the completion PDUs.
#include <algorithm>

#include <fmt/format.h>

#include "touchstone/pdu/scsi_command.hpp"
#include "touchstone/scsi/sense.hpp"
#include "touchstone/target/connection.hpp"
#include "touchstone/target/data_in.hpp"
#include "touchstone/target/iscsi_conditions.hpp"
#include "mutant_completion.hpp"
#include "mutant_hooks.hpp"

namespace touchstone::target {

namespace {

// Writes larger than this are refused before any buffer is allocated.
constexpr std::uint32_t max_task_bytes = 256u << 20;

scsi::task_attribute to_scsi(pdu::task_attribute a) {
  switch (a) {
    case pdu::task_attribute::ordered: return scsi::task_attribute::ordered;
    case pdu::task_attribute::head_of_queue: return scsi::task_attribute::head_of_queue;
    case pdu::task_attribute::aca: return scsi::task_attribute::aca;
    case pdu::task_attribute::untagged:
    case pdu::task_attribute::simple: break;
  }
  return scsi::task_attribute::simple;
}

}  // namespace

void connection::on_scsi_command(const pdu::pdu& p) {
  const pdu::scsi_command_view v(p);
  const auto itt = v.initiator_task_tag();
  auto cdb = v.full_cdb();
  if (!cdb || tasks().contains(itt)) {
    // admit_command took the CmdSN; a rejected command gives it back
    // (cmdsn_window::give_back, section 7.3). Mutant
    // rejected-command-acknowledged keeps it: the Reject acknowledges it.
    if (!v.immediate() && !mutated(m::rejected_command_acknowledged)) window().give_back(v.cmd_sn());
    //= rfc7143#section-11.17.1
    //# A target should use this reason code for all invalid values of PDU
    //# fields that are meant to describe a task
    return send_reject(p, pdu::reject_reason::invalid_pdu_field,
                       cdb ? "rfc7143#section-11.2.1.8/itt-in-use" : "rfc7143#section-11.2.2");
  }
  const bool immediate_open =
      std::any_of(tasks().begin(), tasks().end(), [](const auto& kv) { return kv.second.immediate; });
  // Mutant immediate-command-refused breaks the rule below: no immediate
  // SCSI command is taken at all.
  if (v.immediate() && (immediate_open || mutated(m::immediate_command_refused))) {
    //= rfc7143#section-4.2.2.1
    //# An iSCSI target MAY reject immediate commands, e.g., due to lack of
    //# resources to accommodate additional commands.  An iSCSI target MUST be
    //# able to handle at least one immediate task management command and one
    //# immediate non-task-management iSCSI command per connection at any time.
    // This target holds exactly that minimum: a second immediate SCSI command
    // while the first is open is refused (the initiator may resend it).
    //= rfc7143#section-11.17.1
    //# | 0x06 | Immediate command reject - too many    | yes            |
    //# |      | immediate commands                     |                |
    log_.line(peer_log::level::info, "immediate-command-reject",
              fmt::format("a second immediate SCSI command (ITT {:#x}) refused", itt));
    return send(make_reject(p, pdu::reject_reason::immediate_command_reject));
  }
  task t = new_task(v, std::move(*cdb));
  open_transfer(t, p);
  // A non-immediate command holds a slot of the window until its task ends
  // (session.cpp).
  auto& stored = session_->add_task(std::move(t));
  //= rfc7143#section-4.2.3.3
  //# b) MUST wait ... for all commands of the affected tasks to be received based on the CmdSN ordering.
  if (waiting_tmf() && affected_by(stored, *waiting_tmf())) stored.aborting = true;
  issue_r2ts(stored);
  maybe_execute(stored);
}

// The task of a SCSI Command: what it asks for, its EDTL (0 for a write
// beyond max_task_bytes, refused with CHECK CONDITION).
task connection::new_task(const pdu::scsi_command_view& v, scsi::byte_buffer cdb) {
  task t;
  t.itt = v.initiator_task_tag();
  t.cid = cid_;
  t.lun_field = v.lun();
  t.cdb = std::move(cdb);
  t.read = v.read();
  t.write = v.write();
  t.attribute = to_scsi(v.attribute());
  t.edtl = v.expected_data_transfer_length();
  t.cmd_sn = v.cmd_sn();
  t.immediate = v.immediate();
  t.read_length = t.read && !t.write ? t.edtl : 0;
  if (t.read && t.write) {
    const auto bidi = v.bidirectional_read_length();
    t.read_length = bidi && *bidi ? **bidi : 0;
  }
  if (!t.write) t.edtl = t.read ? t.edtl : 0;
  if (t.write && t.edtl > max_task_bytes) {
    const auto sense = scsi::encode_sense(scsi::invalid_field_in_cdb(0), scsi::sense_format::fixed);
    note("target/max-task-bytes", fmt::format("EDTL {} refused", t.edtl));
    t.failure_sense = sense;
    t.edtl = 0;
  }
  return t;
}

// A command's data so far (its immediate data) and, for a write, its
// transfer: the unsolicited burst and the R2Ts to come.
void connection::open_transfer(task& t, const pdu::pdu& p) {
  const pdu::scsi_command_view v(p);
  // The write buffer grows as data arrives (accept_immediate_data,
  // account_data_out) and takes its full EDTL only when the task executes:
  // a command alone never makes the target allocate (and zero) EDTL bytes,
  // up to max_task_bytes per task, for data that may never come.
  if (auto failure = accept_immediate_data(t, p)) t.failure_sense = std::move(failure);
  //= rfc7143#section-11.3.1
  //# bit 0 (F) is set to 1 when no unsolicited SCSI Data-Out PDUs follow this PDU.
  const bool unsolicited = t.write && !v.final_bit();
  //= rfc7143#section-11.8
  //# In order to allow write operations without an explicit initial R2T, the
  //# initiator and target MUST have negotiated the key InitialR2T to No during
  //# login.
  if (unsolicited && session_params().initial_r2t &&
      !relaxed("rfc7143#section-13.10/initial-r2t", "unsolicited Data-Out announced with InitialR2T=Yes")) {
    //= rfc7143#section-11.4.7.2
    //# | Unexpected unsolicited   |Aborted    | ASC = 0x0c ASCQ = 0x0c    |
    //# | data                     |Command-0B | Write Error               |
    //= rfc7143#section-13.10
    //# The default action is that R2T is required, unless both the initiator
    //# and the target send this key-pair attribute specifying InitialR2T=No.
    note("rfc7143#section-13.10/initial-r2t", "unsolicited Data-Out announced with InitialR2T=Yes");
    t.failure_sense = unexpected_unsolicited_data_sense();
  }
  // The unsolicited burst and the R2Ts to come (task_transfer.cpp); the
  // buffer holds the immediate data accepted.
  if (t.write)
    t.transfer.start_write(t.edtl, static_cast<std::uint32_t>(t.data.size()), unsolicited,
                           session_params().first_burst_length);
}

std::optional<scsi::byte_buffer> connection::accept_immediate_data(task& t, const pdu::pdu& p) {
  if (p.data.empty()) return std::nullopt;
  //= rfc7143#section-13.11
  //# ImmediateData can be turned on if both the initiator and target have ImmediateData=Yes.
  //= rfc7143#section-13.11
  //# If ImmediateData is set to No and InitialR2T is set to Yes, then the
  //# initiator MUST NOT send unsolicited data and the target MUST reject
  //# unsolicited data with the corresponding response code.
  // Mutant immediate-data-refused breaks the first rule: the data of a
  // WRITE is refused though ImmediateData=Yes was negotiated.
  if (!t.write || !session_params().immediate_data || mutated(m::immediate_data_refused)) {
    constexpr std::string_view id = "rfc7143#section-13.11/immediate-data";
    constexpr std::string_view detail = "data with a command that may not carry it";
    if (!relaxed(id, detail)) {
      note(id, std::string(detail));
      return unexpected_unsolicited_data_sense();
    }
    if (!t.write) return std::nullopt;  // allowed: nothing to write it to, dropped
  }
  //= rfc7143#section-11.7.1
  //# the total of all the DataSegmentLength of all PDUs in a sequence MUST NOT
  //# exceed MaxBurstLength (or FirstBurstLength for unsolicited data)
  const bool beyond_edtl = p.data.size() > t.edtl;
  if (beyond_edtl || p.data.size() > session_params().first_burst_length) {
    constexpr std::string_view id = "rfc7143#section-11.7.1/first-burst";
    constexpr std::string_view detail = "immediate data beyond EDTL or FirstBurstLength";
    // Data beyond EDTL has nowhere to go: never relaxed.
    if (beyond_edtl || !relaxed(id, detail)) {
      note(id, std::string(detail));
      return incorrect_amount_of_data_sense();
    }
  }
  t.data.assign(p.data.begin(), p.data.end());
  return std::nullopt;
}

void connection::maybe_execute(task& t) {
  if (t.executing) return;
  //= rfc7143#section-11.4.2
  //# If a SCSI device error is detected while data from the initiator is
  //# still expected (the command PDU did not contain all the data and the
  //# target has not received a data PDU with the Final bit set), the target
  //# MUST wait until it receives a data PDU with the F bit set in the last
  //# expected sequence before sending the Response PDU.
  // Mutant status-before-unsolicited-data breaks it: the unsolicited data
  // still due is not waited for (the command executes, its status goes out).
  const bool unsolicited_due = t.transfer.unsolicited_open() && !mutated(m::status_before_unsolicited_data);
  const bool data_pending = t.write && (unsolicited_due || t.transfer.r2ts_open() || !t.transfer.all_asked());
  if (data_pending) return;
  if (t.aborting && t.report_aborted) {
    // A third-party task aborted with TAS=1 (tmf_third_party.cpp): TASK
    // ABORTED, as the SCSI layer answers the ones it held.
    t.aborting = false;
    scsi::response r;
    r.aborted = true;
    r.status = scsi::status::task_aborted;
    return finish_task(t, std::move(r));
  }
  if (t.aborting) {
    //= rfc7143#section-11.5.1
    //# The iSCSI target MUST ensure that no responses for the tasks covered by a
    //# task management function are delivered to the iSCSI initiator after the
    //# task management response
    return drop_task(t.itt);
  }
  if (t.failure_sense) {
    //= rfc7143#section-11.4.2
    //# If a SCSI device error is detected while data from the initiator is
    //# still expected (the command PDU did not contain all the data and the
    //# target has not received a data PDU with the Final bit set), the target
    //# MUST wait until it receives a data PDU with the F bit set in the last
    //# expected sequence before sending the Response PDU.
    //= rfc7143#section-11.17.1
    //# the target MUST wait until it receives the last expected Data-Out PDUs
    //# with the F bit set to 1 before sending the Response PDU.
    const auto sense = std::move(*t.failure_sense);
    const auto itt = t.itt;
    const auto lun_field = t.lun_field;
    end_task(itt);  // the response carries the MaxCmdSN its slot opens
    task_numbers n{itt, lun_field, take_stat_sn(), window().exp_cmd_sn(), window().max_cmd_sn()};
    //= rfc7143#section-11.4.7
    //# If Status is CHECK
    //# CONDITION (0x02), then the data segment MUST contain sense data for
    //# the failed command.
    // Mutant sense-data-missing breaks it here too: no sense data.
    send(check_condition_response(mutated(m::sense_data_missing) ? scsi::byte_buffer{} : sense, n));
    return;
  }
  t.executing = true;
  t.job = session_->next_job();
  execute_scsi job;
  job.job = t.job;
  job.nexus = make_nexus(t.lun_field);
  // In the LU's task set from now (under the instance lock), not only once
  // the device server starts it (without the lock): a TMF of another session
  // run in between aborts it there (start answers `aborted`) instead of
  // missing it, and it never takes that TMF's unit attention.
  if (node_->devices) node_->devices->enter_task(job.nexus, t.itt, t.attribute);
  job.cdb = t.cdb;
  mutate_cdb(node_->config.mutants, job.cdb);  // pr-type-ignored (mutant_completion.hpp)
  if (t.write) t.data.resize(t.edtl);  // zeros where no data came, as before
  job.data_out = std::move(t.data);
  mutate_reservation_command(node_->config.mutants, job.cdb, job.data_out, job.nexus);  // mutant_reservations.cpp
  job.expected_data_in_length = t.read_length;
  job.attribute = t.attribute;
  job.tag = t.itt;
  actions_.push_back(std::move(job));
}

void connection::on_scsi_done(std::uint64_t job, scsi::response r) {
  // The task may be gone: terminated by a logout or a closed connection.
  if (phase_ == phase::closing || !session_) return;
  task* t = session_->find_task_by_job(job);
  if (t == nullptr) return;
  take_third_party_aborts();  // they may end tasks, never this executing one
  finish_task(*t, std::move(r));
  advance_tmf();  // a multi-task TMF may have waited for this one
  announce_window();
}

void connection::finish_task(task& t, scsi::response r) {
  const auto itt = t.itt;
  //= rfc7143#section-11.4.2
  //# The Status field is used to report the SCSI status of the command (as
  //# specified in [SAM2])
  //= sam5#5.3.1
  //# status codes
  // (GOOD 00h, CHECK CONDITION 02h, ...; 06h is reserved.) Mutant
  // scsi-status-reserved breaks it: TEST UNIT READY's GOOD goes out as 06h.
  if (mutated(m::scsi_status_reserved) && r.status == scsi::status::good && !t.cdb.empty() && t.cdb[0] == 0x00)
    r.status = static_cast<scsi::status>(0x06);
  mutate_response(node_->config.mutants, t.cdb, r);  // sense-data-missing, ... (mutant_scsi_answer.cpp)
  if (t.aborting || (r.aborted && r.status != scsi::status::task_aborted)) {
    const auto waiting = std::move(t.abort_requests);
    end_task(itt);
    answer_abort_requests(waiting);
    return;
  }
  std::optional<residual> write_residual;
  if (t.write) write_residual = compute_residual(t.edtl, r.data_out_length);
  //= rfc7143#section-11.4.5.2
  //# If SPDTL > EDTL for a task, iSCSI Overflow MUST be signaled in the SCSI Response PDU
  // With neither R nor W the initiator expects no data (EDTL 0), so whatever
  // the command would have moved is overflow.
  if (!t.read && !t.write)
    write_residual = compute_residual(0, std::max<std::uint64_t>(r.data_in_length, r.data_out_length));
  //= rfc7143#section-13.12
  //# The transmitter (initiator or target) is required to send PDUs with a
  //# data segment that does not exceed MaxRecvDataSegmentLength of the
  //# receiver.
  // Mutant data-in-over-mrdsl breaks it: Data-In segments twice as long.
  const std::uint32_t segment = keys_.max_send_data_segment_length * (mutated(m::data_in_over_mrdsl) ? 2U : 1U);
  const data_in_limits limits{segment, session_params().max_burst_length};
  const bool read = t.read;
  const auto read_length = t.read_length;
  const auto lun_field = t.lun_field;
  end_task(itt);  // the status carries the MaxCmdSN its slot opens
  //= rfc7143#section-4.2.2.1
  //# A target command response or Data-In PDU with status MUST NOT precede the command
  //# acknowledgment.
  const task_numbers n{itt, lun_field, take_stat_sn(), window().exp_cmd_sn(),
                       window().max_cmd_sn()};
  if (mutates_completion(node_->config.mutants)) {
    // The completion mutants rewrite the built PDUs, so they are built at once.
    auto done = complete_command(std::move(r), read, read_length, write_residual, limits, n);
    mutate_completion(node_->config.mutants, done.pdus);  // datasn-restart, residual-count-off-by-one, ...
    for (auto& p : done.pdus) send(std::move(p));
    return;
  }
  send_completion(complete_command_streamed(std::move(r), read, read_length, write_residual, limits, n));
}

}  // namespace touchstone::target
