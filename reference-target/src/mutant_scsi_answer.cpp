// The mutants of the device server's answer (mutant_completion.hpp): each
// rewrites the scsi::response a command got, before the transport builds its
// PDUs, so scsi/ stays as the standards ask and knows nothing of mutants.
// Each names the clause it breaks (SPC-4, SBC-3: checked for form only, the
// texts are not redistributable; the quotes below are from memory).
#include <algorithm>

#include "mutant_completion.hpp"
#include "mutant_hooks.hpp"
#include "touchstone/scsi/sense.hpp"

namespace touchstone::target {

namespace {

constexpr std::uint8_t op_inquiry = 0x12;
constexpr std::uint8_t op_read_capacity10 = 0x25;
constexpr std::uint8_t op_pr_in = 0x5e;
constexpr std::uint8_t op_report_luns = 0xa0;
constexpr std::uint8_t op_service_action_in16 = 0x9e;
constexpr std::uint8_t sa_read_capacity16 = 0x10;
constexpr std::uint8_t sa_read_keys = 0x00;

// Cuts the parameter data to `n` bytes (what a shorter answer would be).
void cut_data(scsi::response& r, std::size_t n) {
  if (r.data_in.size() > n) r.data_in.resize(n);
  r.data_in_length = std::min<std::uint64_t>(r.data_in_length, n);
}

// spc4#5.13.1 (from memory): a command a persistent reservation refuses
// completes with RESERVATION CONFLICT status. Mutant
// reservation-conflict-as-check-condition breaks it: CHECK CONDITION,
// ILLEGAL REQUEST with no additional sense, as some targets answer.
void conflict_as_check_condition(scsi::response& r) {
  if (r.status != scsi::status::reservation_conflict) return;
  r.status = scsi::status::check_condition;
  r.sense = scsi::encode_sense(scsi::make_sense(scsi::sense_key::illegal_request, scsi::asc::no_additional_sense),
                               scsi::sense_format::fixed);
}

// spc4#6.15.2 (from memory): READ KEYS returns PRGENERATION, ADDITIONAL
// LENGTH and a reservation key for each registered I_T nexus. Mutant
// read-keys-first-only breaks it: the first key only.
void first_key_only(scsi::bytes_view cdb, scsi::response& r) {
  if (cdb.size() < 2 || cdb[0] != op_pr_in || (cdb[1] & 0x1f) != sa_read_keys || r.data_in.size() < 8) return;
  if (scsi::get_be32(&r.data_in[4]) <= 8) return;
  scsi::put_be32(&r.data_in[4], 8);
  cut_data(r, 16);
}

// spc4#6.33 (from memory): LUN LIST LENGTH is the length of the LUN list,
// eight bytes per LUN. Mutant report-luns-one-short breaks it: the last
// LUN is left out.
void drop_last_lun(scsi::bytes_view cdb, scsi::response& r) {
  if (cdb.empty() || cdb[0] != op_report_luns || r.data_in.size() < 8) return;
  const auto listed = scsi::get_be32(&r.data_in[0]);
  if (listed < 16) return;
  scsi::put_be32(&r.data_in[0], listed - 8);
  cut_data(r, 8 + std::size_t{listed - 8});
}

// sbc3#5.15.2 (from memory): RETURNED LOGICAL BLOCK ADDRESS is the LBA of
// the last logical block (sbc3#5.16.2 the same for READ CAPACITY(16)).
// Mutant read-capacity-block-count breaks it: the block count instead.
void capacity_plus_one(scsi::bytes_view cdb, scsi::response& r) {
  if (cdb.empty()) return;
  if (cdb[0] == op_read_capacity10 && r.data_in.size() >= 4) {
    const auto last = scsi::get_be32(&r.data_in[0]);
    if (last != 0xffffffffU) scsi::put_be32(&r.data_in[0], last + 1);
  } else if (cdb[0] == op_service_action_in16 && cdb.size() > 1 && (cdb[1] & 0x1f) == sa_read_capacity16 &&
             r.data_in.size() >= 8) {
    scsi::put_be64(&r.data_in[0], scsi::get_be64(&r.data_in[0]) + 1);
  }
}

// spc4#6.4.2 (from memory): ADDITIONAL LENGTH is the length in bytes of
// the rest of the standard INQUIRY data. Mutant
// inquiry-additional-length-wrong breaks it: 16 more than there is.
void inquiry_length_plus_16(scsi::bytes_view cdb, scsi::response& r) {
  if (cdb.size() < 2 || cdb[0] != op_inquiry || (cdb[1] & 0x01) != 0 || r.data_in.size() < 5) return;
  r.data_in[4] = static_cast<std::uint8_t>(r.data_in[4] + 16);
}

//= spc4#6.4.1
// (from memory) an INQUIRY with EVPD zero and a PAGE CODE other than zero
// ends in CHECK CONDITION, ILLEGAL REQUEST, INVALID FIELD IN CDB (24h/00h),
// as does any CDB field the device server does not accept. Mutant
// invalid-field-as-invalid-opcode breaks it: 20h/00h, INVALID COMMAND
// OPERATION CODE, in the sense data's own format.
void invalid_field_as_invalid_opcode(scsi::response& r) {
  if (r.status != scsi::status::check_condition) return;
  auto sense = scsi::decode_sense(r.sense);
  if (!sense || sense->code != scsi::asc::invalid_field_in_cdb) return;
  const bool descriptor = !r.sense.empty() && (r.sense[0] & 0x7f) >= 0x72;
  sense->code = scsi::asc::invalid_command_operation_code;
  sense->field.reset();
  r.sense = scsi::encode_sense(*sense, descriptor ? scsi::sense_format::descriptor : scsi::sense_format::fixed);
}

}  // namespace

void mutate_response([[maybe_unused]] const mutant_set& set, [[maybe_unused]] scsi::bytes_view cdb,
                     [[maybe_unused]] scsi::response& r) {
  //= rfc7143#section-11.4.7
  //# If Status is CHECK
  //# CONDITION (0x02), then the data segment MUST contain sense data for
  //# the failed command.
  // Mutant sense-data-missing breaks it: the sense data is dropped.
  if (mutated(set, m::reservation_conflict_as_check_condition)) conflict_as_check_condition(r);
  if (mutated(set, m::invalid_field_as_invalid_opcode)) invalid_field_as_invalid_opcode(r);
  if (mutated(set, m::sense_data_missing) && r.status == scsi::status::check_condition) r.sense.clear();
  if (r.status != scsi::status::good) return;
  if (mutated(set, m::read_keys_first_only)) first_key_only(cdb, r);
  if (mutated(set, m::report_luns_one_short)) drop_last_lun(cdb, r);
  if (mutated(set, m::read_capacity_block_count)) capacity_plus_one(cdb, r);
  if (mutated(set, m::inquiry_additional_length_wrong)) inquiry_length_plus_16(cdb, r);
  mutate_reservation_answer(set, cdb, r);  // ptpl-a-stuck, ... (mutant_reservations.cpp)
}

}  // namespace touchstone::target
