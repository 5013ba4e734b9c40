// Persistent reservation helpers (spc4#5.13, rfc7143#section-4.4.3.2): the
// parties of a case (each its own I_T nexus: a session with its own
// InitiatorName and/or ISID), PR IN / PR OUT through them, the judgements
// (GOOD, RESERVATION CONFLICT, a sense code, a unit attention), and the
// frame every reservation case runs in: skip when the target has no
// persistent reservations, and leave no registration or reservation behind
// (a fresh nexus registers, CLEARs everything and checks READ KEYS is empty),
// whatever the case's verdict.
#pragma once

#include <functional>
#include <memory>

#include "common.hpp"
#include "touchstone/conformance/pr_cdb.hpp"

namespace touchstone::conformance::cases {

using cdb::pr_in_action;
using cdb::pr_out_action;
using cdb::pr_type;

inline constexpr std::uint8_t status_check_condition = 0x02;
inline constexpr std::uint8_t status_reservation_conflict = 0x18;
inline constexpr std::uint8_t sense_illegal_request = 0x5;
inline constexpr std::uint8_t sense_unit_attention = 0x6;

// One I_T nexus taking part in a case, with the key it registers.
struct pr_party {
  std::string label;  // "A", "B", "C": in messages
  session* s = nullptr;
  std::string initiator_name;
  std::uint64_t isid = 0;
  std::uint64_t key = 0;
};

// What a case gets: its parties and the target's block length.
class pr_world {
 public:
  pr_world(case_context& ctx, std::uint64_t key_base) : ctx_(ctx), key_base_(key_base) {}

  case_context& ctx() { return ctx_; }
  // A new party on a new session. `own_name`: an InitiatorName of its own
  // (the configured name with a suffix; the configured one when the target
  // refuses it); otherwise the configured name with a fresh ISID. Its unit
  // attentions are consumed before it is returned; nullptr on failure.
  pr_party* join(bool own_name = true);
  // A new session for an existing party's I_T nexus (same name and ISID).
  session* reconnect(pr_party& p);
  // A key no party of this case holds.
  std::uint64_t spare_key(unsigned n = 0) const { return key_base_ | (0xf0u + n); }
  std::uint64_t key_base() const { return key_base_; }
  // The LUN's block length (READ CAPACITY at the first join; 512 if unknown).
  std::uint32_t block() const { return block_; }

 private:
  case_context& ctx_;
  std::uint64_t key_base_;
  std::uint32_t block_ = 0;
  std::vector<std::unique_ptr<pr_party>> parties_;
};

// --- Commands -----------------------------------------------------------------
scsi_outcome pr_out(pr_world& w, pr_party& p, pr_out_action a, pr_type t, const cdb::pr_out_parameters& list);
scsi_outcome pr_in(pr_world& w, pr_party& p, pr_in_action a);
// REGISTER from an unregistered nexus: key 0, SERVICE ACTION RESERVATION KEY p.key.
scsi_outcome register_key(pr_world& w, pr_party& p, bool aptpl = false);
// RESERVE / RELEASE with p.key.
scsi_outcome reserve(pr_world& w, pr_party& p, pr_type t);
scsi_outcome release(pr_world& w, pr_party& p, pr_type t);
// READ(10) / WRITE(10) of one block at a fixed LBA of the case's LUN.
scsi_outcome read_block(pr_world& w, pr_party& p);
scsi_outcome write_block(pr_world& w, pr_party& p);
// TEST UNIT READY.
scsi_outcome unit_ready(pr_world& w, pr_party& p);

// PR IN parameter data, parsed; nullopt (with `problem` set) when the
// command failed or the data does not parse.
struct pr_read {
  std::optional<cdb::pr_keys> keys;
  std::optional<cdb::pr_reservation> reservation;
  std::optional<cdb::pr_capabilities> capabilities;
  std::optional<cdb::pr_full_status> full_status;
  verdict problem = verdict::pass();
  bool ok() const { return problem.kind == verdict_kind::pass; }
};
pr_read read_keys(pr_world& w, pr_party& p);
pr_read read_reservation(pr_world& w, pr_party& p);
pr_read report_capabilities(pr_world& w, pr_party& p);
pr_read read_full_status(pr_world& w, pr_party& p);

// --- Judgements -------------------------------------------------------------------
inline bool bad(const verdict& v) { return v.kind != verdict_kind::pass; }
// fail unless GOOD / RESERVATION CONFLICT / CHECK CONDITION with the code.
verdict expect_good(const scsi_outcome& o, std::string_view what);
verdict expect_conflict(const scsi_outcome& o, std::string_view what);
verdict expect_sense(const scsi_outcome& o, std::string_view what, std::uint8_t key, std::uint8_t asc,
                     std::uint8_t ascq);
// A set-up step that must be GOOD for the case to go on: error otherwise.
verdict step(const scsi_outcome& o, std::string_view what);
// The party's next command (TEST UNIT READY) reports the unit attention.
verdict expect_unit_attention(pr_world& w, pr_party& p, std::uint8_t asc, std::uint8_t ascq,
                              std::string_view what);
// READ KEYS lists exactly these keys (any order).
verdict expect_keys(pr_world& w, pr_party& p, std::vector<std::uint64_t> keys, std::string_view what);
// READ RESERVATION shows this reservation (type none: no reservation).
verdict expect_reservation(pr_world& w, pr_party& p, pr_type t, std::uint64_t key, std::string_view what);
// Access allowed (GOOD) or RESERVATION CONFLICT, for READ, and for WRITE
// when the LUN may be written.
verdict expect_access(pr_world& w, pr_party& p, bool read_allowed, bool write_allowed, std::string_view who);

// --- The frame ------------------------------------------------------------------------
// Runs `body` with a world whose keys derive from `id` (distinct per case)
// and its first party joined (no key registered yet), skipping when
// PERSISTENT RESERVE IN is an unknown opcode, and always cleaning up after. A clean-up failure turns a pass into an error.
verdict pr_case(case_context& ctx, std::string_view id,
                const std::function<verdict(pr_world&, pr_party& first)>& body);

// Skip unless REPORT CAPABILITIES (when it has a valid type mask) lists `t`.
verdict require_type(pr_world& w, pr_party& p, pr_type t);

}  // namespace touchstone::conformance::cases
