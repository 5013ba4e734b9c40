// The mutants of persistent reservations (mutant_hooks.hpp): each bends a
// PERSISTENT RESERVE command before the device server runs it, or its answer
// after, so scsi/ stays as SPC-4 asks and knows nothing of mutants. The
// clauses are cited for form only (SPC-4 is not redistributable; the `//`
// lines say them from memory).
#include <atomic>

#include "mutant_hooks.hpp"

namespace touchstone::target {

namespace {

constexpr std::uint8_t op_pr_in = 0x5e;
constexpr std::uint8_t op_pr_out = 0x5f;
constexpr std::uint8_t sa_read_keys = 0x00;
constexpr std::uint8_t sa_read_reservation = 0x01;
constexpr std::uint8_t sa_report_capabilities = 0x02;
constexpr std::uint8_t sa_register = 0x00;
constexpr std::uint8_t sa_reserve = 0x01;
constexpr std::uint8_t sa_release = 0x02;
constexpr std::uint8_t sa_register_and_ignore = 0x06;
constexpr std::size_t aptpl_byte = 20;  // PERSISTENT RESERVE OUT parameter list: APTPL is bit 0

bool is_pr(scsi::bytes_view cdb, std::uint8_t op) { return cdb.size() >= 2 && cdb[0] == op; }
std::uint8_t action(scsi::bytes_view cdb) { return cdb[1] & 0x1f; }

// pr-generation-bumped-by-reserve: the RESERVE and RELEASE commands the
// target completed. The answer rewriting keeps no per-LU state, so this
// one counter serves the process (a mutant run has one target per process).
std::atomic<std::uint32_t> reserves_and_releases{0};

}  // namespace

void mutate_reservation_command([[maybe_unused]] const mutant_set& set, [[maybe_unused]] scsi::byte_buffer& cdb,
                                [[maybe_unused]] scsi::byte_buffer& data_out, [[maybe_unused]] scsi::nexus& nexus) {
  const bool in = is_pr(cdb, op_pr_in), out = is_pr(cdb, op_pr_out);
  if (!in && !out) return;
  //= spc4#5.13.1
  // (from memory) persistent reservations are established and kept per
  // logical unit. Mutant reservation-state-per-target breaks it: every
  // PERSISTENT RESERVE command acts on LUN 0's state.
  if (mutated(set, m::reservation_state_per_target)) nexus.lun = 0;
  //= spc4#5.13.7
  // (from memory) REGISTER AND IGNORE EXISTING KEY ignores the RESERVATION
  // KEY field. Mutant register-ignore-key-checked breaks it: it runs as
  // REGISTER, which checks that key.
  if (mutated(set, m::register_ignore_key_checked) && out && action(cdb) == sa_register_and_ignore)
    cdb[1] = static_cast<std::uint8_t>((cdb[1] & 0xe0) | sa_register);
  // Mutant ptpl-a-stuck claims persistence it lacks: a REGISTER's APTPL
  // bit is dropped here (so APTPL=1 is not refused), and REPORT
  // CAPABILITIES says PTPL_A=1 whatever came (mutate_reservation_answer).
  const bool registers = out && (action(cdb) == sa_register || action(cdb) == sa_register_and_ignore);
  if (mutated(set, m::ptpl_a_stuck) && registers && data_out.size() > aptpl_byte)
    data_out[aptpl_byte] = static_cast<std::uint8_t>(data_out[aptpl_byte] & ~0x01);
}

void mutate_reservation_answer([[maybe_unused]] const mutant_set& set, [[maybe_unused]] scsi::bytes_view cdb,
                               [[maybe_unused]] scsi::response& r) {
  if (r.status != scsi::status::good) return;
  //= spc4#6.15.2
  // (from memory) PRgeneration is incremented by a PERSISTENT RESERVE OUT
  // that completes a REGISTER, CLEAR, PREEMPT, PREEMPT AND ABORT or REGISTER
  // AND MOVE; not by RESERVE or RELEASE. Mutant
  // pr-generation-bumped-by-reserve breaks it: they count too.
  if (mutated(set, m::pr_generation_bumped_by_reserve)) {
    if (is_pr(cdb, op_pr_out) && (action(cdb) == sa_reserve || action(cdb) == sa_release)) ++reserves_and_releases;
    const bool generation = is_pr(cdb, op_pr_in) &&
                            (action(cdb) == sa_read_keys || action(cdb) == sa_read_reservation);
    if (generation && r.data_in.size() >= 4)
      scsi::put_be32(&r.data_in[0], scsi::get_be32(&r.data_in[0]) + reserves_and_releases.load());
  }
  if (!is_pr(cdb, op_pr_in) || action(cdb) != sa_report_capabilities || r.data_in.size() < 4) return;
  //= spc4#6.15.4
  // (from memory) REPORT CAPABILITIES: LENGTH (bytes 0-1) is 8; PTPL_C
  // (byte 2 bit 0) says the device server can persist through power loss,
  // PTPL_A (byte 3 bit 0) that the last REGISTER asked it to (APTPL=1).
  // Mutant report-capabilities-length-wrong breaks LENGTH: 6. Mutant
  // ptpl-a-stuck breaks PTPL_A: always 1 (and PTPL_C 1, claimed).
  if (mutated(set, m::report_capabilities_length_wrong)) scsi::put_be16(&r.data_in[0], 6);
  if (mutated(set, m::ptpl_a_stuck)) {
    r.data_in[2] = static_cast<std::uint8_t>(r.data_in[2] | 0x01);
    r.data_in[3] = static_cast<std::uint8_t>(r.data_in[3] | 0x01);
  }
}

}  // namespace touchstone::target
