// Mutants: named, deliberate departures of the reference target from what
// RFC 7143 asks of what it SENDS or DOES, for checking the conformance suite
// itself (ci/mutants, docs/mutants.md): a mutant no case fails is a hole in
// the suite. Not leniencies (leniency.hpp): those relax what the target
// accepts from initiators and are part of the product; mutants break the
// target and exist only in builds configured with TOUCHSTONE_MUTANTS=ON (the
// dev and asan presets). `touchstone-target --mutant NAME` (repeatable) or
// `touchstone-conform --mutant NAME` turns one on for one instance: the set
// lives in the target's config, never in a global.
//
// Each hook is one cheap check in the code path the mutant breaks:
//   if (mutated(m::statsn_skip)) ...
// With TOUCHSTONE_MUTANTS off, mutated() is constexpr false and the compiler
// drops the branch (TOUCHSTONE_MUTANTS is a PUBLIC compile definition of
// touchstone::target, so every translation unit agrees on it).
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "touchstone/pdu/result.hpp"

namespace touchstone::target {

enum class mutant_id : std::uint8_t {
  statsn_skip,
  maxcmdsn_below_expcmdsn,
  r2t_ttt_reserved,
  login_tsih_early,
  login_tpgt_missing,
  nop_echo_unbounded,
  chap_accept_any_response,
  reject_instead_of_ignore_reserved,
  immediate_data_and_ignored,
  login_isid_wrong,
  statsn_frozen,
  scsi_status_reserved,
  nop_echo_corrupt,
  login_tsih_zero,
  nop_stalls_next_command,
  datasn_restart,
  residual_count_off_by_one,
  data_in_final_missing,
  pr_type_ignored,
  sense_data_missing,
  logout_keeps_connection,
  unknown_key_ignored,
  login_transit_unasked,
  send_targets_no_tpgt,
  nop_ttt_not_reserved,
  negotiation_result_ignored,
  chap_mutual_response_wrong,
  data_digest_error_silent,
  reservation_conflict_as_check_condition,
  read_keys_first_only,
  report_luns_one_short,
  read_capacity_block_count,
  inquiry_additional_length_wrong,
  residual_flag_on_exact,
  residual_count_without_flags,
  inadmissible_offer_echoed,
  immediate_acknowledged,
  r2tsn_from_one,
  send_targets_name_ignored,
  chap_challenge_oversized,
  chap_algorithm_not_offered,
  // wave 5B
  login_continue_with_transit,
  login_nsg_beyond_request,
  login_version_changes,
  declarative_key_echoed,
  digest_answered_with_list,
  obsolete_key_not_understood,
  pdu_before_login_answered,
  session_reinstatement_skipped,
  session_isid_ignored,
  connection_reinstatement_refused,
  lun_reset_unit_attention_everywhere,
  reservation_state_per_target,
  partial_pdu_zero_filled,
  target_opcode_as_initiator,
  snack_wedges_connection,
  tmf_unassigned_function_complete,
  rejected_command_acknowledged,
  status_before_acknowledgment,
  cmdsn_plain_arithmetic,
  exp_stat_sn_lag_rejected,
  immediate_command_refused,
  ptpl_a_stuck,
  report_capabilities_length_wrong,
  pr_generation_bumped_by_reserve,
  register_ignore_key_checked,
  abort_task_set_empty_rejected,
  status_after_abort,
  cold_reset_spares_other_sessions,
  invalid_field_as_invalid_opcode,
  // wave 5A
  chap_challenge_unprefixed,
  chap_identifier_out_of_range,
  chap_expected_response_wrong,
  chap_hex_lower_case_only,
  data_in_over_mrdsl,
  data_in_ack_at_erl0,
  status_before_unsolicited_data,
  immediate_data_refused,
  r2t_beyond_max_burst,
  r2t_max_outstanding_ignored,
  r2t_sequence_reversed,
  r2t_last_burst_full,
  unsolicited_datasn_not_counted,
  digest_byte_order_swapped,
  data_digest_excludes_padding,
  data_digest_on_empty_segment,
  header_digest_error_answered,
  header_digest_without_negotiation,
  discovery_chap_not_required,
  discovery_max_connections_relevant,
  discovery_scsi_command_answered,
  send_targets_all_empty,
  send_targets_name_unanswered,
  send_targets_extra_key,
  nop_empty_echo_padded,
  bidi_residual_count_without_flags,
  reject_without_header,
  bidi_read_residual_missing,
  error_status_in_data_in,
  // end of wave 5A
  login_outstanding_answered,
  device_name_not_target_name,
  count,  // not a mutant: the number of them
};
// The short spelling of the hooks: mutated(m::statsn_skip).
using m = mutant_id;

struct mutant {
  mutant_id id;
  std::string_view name;      // --mutant NAME
  std::string_view breaks;    // the rule it breaks, "rfc7143#section-..." or "spc4#..."
  std::string_view departs;   // what the target does instead, for --list-mutants and docs
};

using mutant_set = std::bitset<static_cast<std::size_t>(mutant_id::count)>;

// Every mutant, in the order --list-mutants lists them (whether or not the
// build compiled the hooks in).
std::span<const mutant> mutant_table();
// The mutant of that name, or nullptr.
const mutant* find_mutant(std::string_view name);
// --mutant NAME...: the set, or the message of a usage error (an unknown
// name; any name when the build has no mutants compiled in).
result<mutant_set, std::string> parse_mutants(const std::vector<std::string>& names);
// --list-mutants: "NAME  RULE  what it does" lines, or one line saying
// that this build has none compiled in.
std::string mutant_listing();

#ifdef TOUCHSTONE_MUTANTS
inline constexpr bool mutants_compiled_in = true;
inline bool mutated(const mutant_set& active, mutant_id id) { return active.test(static_cast<std::size_t>(id)); }
#else
inline constexpr bool mutants_compiled_in = false;
constexpr bool mutated(const mutant_set&, mutant_id) { return false; }
#endif

}  // namespace touchstone::target
