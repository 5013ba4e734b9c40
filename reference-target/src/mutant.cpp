// The mutant table (mutant.hpp): name -> the rule it breaks and what the
// target does instead. The hooks are in the code paths they break; each
// cites the rule there.
#include "touchstone/target/mutant.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace touchstone::target {

std::span<const mutant> mutant_table() {
  static constexpr std::array rows{
      mutant{m::statsn_skip, "statsn-skip", "rfc7143#section-11.4.9",
             "every response skips a StatSN: StatSN advances by 2, not 1"},
      mutant{m::maxcmdsn_below_expcmdsn, "maxcmdsn-below-expcmdsn", "rfc7143#section-4.2.2.1",
             "Full Feature Phase PDUs carry MaxCmdSN = ExpCmdSN - 2 (below ExpCmdSN - 1)"},
      mutant{m::r2t_ttt_reserved, "r2t-ttt-reserved", "rfc7143#section-11.8.5",
             "R2Ts carry the reserved Target Transfer Tag 0xffffffff"},
      mutant{m::login_tsih_early, "login-tsih-early", "rfc7143#section-11.13.3",
             "a new session's TSIH is returned in every Login Response, not only the final one"},
      mutant{m::login_tpgt_missing, "login-tpgt-missing", "rfc7143#section-6.3.1",
             "the TargetPortalGroupTag key is never returned during the Login Phase"},
      mutant{m::nop_echo_unbounded, "nop-echo-unbounded", "rfc7143#section-11.19",
             "a NOP-In echoes all the ping data, not cut to the initiator's MaxRecvDataSegmentLength"},
      mutant{m::chap_accept_any_response, "chap-accept-any-response", "rfc7143#section-12.1.3",
             "any CHAP_R (with the right CHAP_N) authenticates the initiator"},
      mutant{m::reject_instead_of_ignore_reserved, "reject-instead-of-ignore-reserved", "rfc7143#section-11",
             "a request with non-zero reserved bytes 2-3 (a Text Request: or 32-47) is rejected "
             "(protocol error) instead of answered"},
      mutant{m::immediate_data_and_ignored, "immediate-data-and-ignored", "rfc7143#section-13.11",
             "an offer of ImmediateData=No is answered Yes (the AND result is No); the target itself keeps No"},
      mutant{m::login_isid_wrong, "login-isid-wrong", "rfc7143#section-4.2.4",
             "Login Responses carry an ISID one off the request's (its last bit flipped)"},
      mutant{m::statsn_frozen, "statsn-frozen", "rfc7143#section-11.4.9",
             "StatSN never advances in the Full Feature Phase: every response carries the same one"},
      mutant{m::scsi_status_reserved, "scsi-status-reserved", "rfc7143#section-11.4.2",
             "TEST UNIT READY completes with the reserved SCSI status 06h instead of GOOD"},
      mutant{m::nop_echo_corrupt, "nop-echo-corrupt", "rfc7143#section-11.18.3",
             "a NOP-In echoes the ping data with its first byte inverted"},
      mutant{m::login_tsih_zero, "login-tsih-zero", "rfc7143#section-11.13.3",
             "a new session's Login Final-Response carries TSIH 0 (reserved)"},
      mutant{m::nop_stalls_next_command, "nop-stalls-next-command", "rfc7143#section-4.2.2.1",
             "after answering a non-immediate NOP-Out ping, the next non-immediate command is silently dropped"},
      mutant{m::datasn_restart, "datasn-restart", "rfc7143#section-11.7.5",
             "a READ answered in 2 or more Data-In PDUs numbers its second half from DataSN 0 again"},
      mutant{m::residual_count_off_by_one, "residual-count-off-by-one", "rfc7143#section-11.4.5",
             "a status with the U or O bit set carries a Residual Count one more than the bytes not transferred"},
      mutant{m::data_in_final_missing, "data-in-final-missing", "rfc7143#section-11.7.1",
             "a READ's last Data-In PDU goes out with F=0 (with or without the status in it)"},
      mutant{m::pr_type_ignored, "pr-type-ignored", "spc4#5.13.1",
             "PERSISTENT RESERVE OUT's TYPE is ignored: every RESERVE, RELEASE and PREEMPT acts as Write Exclusive"},
      mutant{m::sense_data_missing, "sense-data-missing", "rfc7143#section-11.4.7",
             "a SCSI Response with status CHECK CONDITION carries no sense data"},
      mutant{m::logout_keeps_connection, "logout-keeps-connection", "rfc7143#section-11.14",
             "after a successful Logout Response the connection stays open (no FIN)"},
      mutant{m::unknown_key_ignored, "unknown-key-ignored", "rfc7143#section-6.2",
             "a login key the target does not understand is left unanswered, not answered NotUnderstood"},
      mutant{m::login_transit_unasked, "login-transit-unasked", "rfc7143#section-11.13.6",
             "a Login Request with T=0 is answered with T=1 (the stage does not change)"},
      mutant{m::send_targets_no_tpgt, "send-targets-no-tpgt", "rfc7143#section-13.8",
             "SendTargets answers TargetAddress=address without the ,portal-group-tag"},
      mutant{m::nop_ttt_not_reserved, "nop-ttt-not-reserved", "rfc7143#section-11.19.1",
             "a NOP-In answering a ping carries Target Transfer Tag 0 instead of 0xffffffff"},
      mutant{m::negotiation_result_ignored, "negotiation-result-ignored", "rfc7143#section-6.2.2",
             "login keys are answered with the target's own preference, not the result function "
             "(FirstBurstLength 65536, DefaultTime2Wait 2, DefaultTime2Retain 20, InitialR2T No, ...)"},
      mutant{m::chap_mutual_response_wrong, "chap-mutual-response-wrong", "rfc7143#section-12.1.3",
             "the target's mutual CHAP_R is computed with the wrong identifier (CHAP_I + 1)"},
      mutant{m::data_digest_error_silent, "data-digest-error-silent", "rfc7143#section-7.8",
             "a PDU with a data digest error is discarded silently, without the Reject"},
      mutant{m::reservation_conflict_as_check_condition, "reservation-conflict-as-check-condition", "spc4#5.13.1",
             "a command refused for a reservation completes CHECK CONDITION (ILLEGAL REQUEST), "
             "not RESERVATION CONFLICT"},
      mutant{m::read_keys_first_only, "read-keys-first-only", "spc4#6.15.2",
             "PERSISTENT RESERVE IN READ KEYS lists the first registered key only (ADDITIONAL LENGTH 8)"},
      mutant{m::report_luns_one_short, "report-luns-one-short", "spc4#6.33",
             "REPORT LUNS leaves out its last LUN (LUN LIST LENGTH 8 fewer) when it has two or more"},
      mutant{m::read_capacity_block_count, "read-capacity-block-count", "sbc3#5.15.2",
             "READ CAPACITY(10) and (16) return the block count, not the last LBA (one block too many)"},
      mutant{m::inquiry_additional_length_wrong, "inquiry-additional-length-wrong", "spc4#6.4.2",
             "standard INQUIRY data's ADDITIONAL LENGTH claims 16 bytes more than the data has"},
      mutant{m::residual_flag_on_exact, "residual-flag-on-exact", "rfc7143#section-11.4.5.2",
             "a status whose transfer matched EDTL (neither U nor O) carries the U bit, Residual Count 0"},
      mutant{m::residual_count_without_flags, "residual-count-without-flags", "rfc7143#section-11.4.5.1",
             "a status with neither U nor O set carries a Residual Count of 512, not 0"},
      mutant{m::inadmissible_offer_echoed, "inadmissible-offer-echoed", "rfc7143#section-6.2.2",
             "a login key offered with an inadmissible value is answered with that value, not Reject"},
      mutant{m::immediate_acknowledged, "immediate-acknowledged", "rfc7143#section-4.2.2.1",
             "an immediate command carrying CmdSN = ExpCmdSN advances ExpCmdSN, as a non-immediate one would"},
      mutant{m::r2tsn_from_one, "r2tsn-from-one", "rfc7143#section-11.8.2",
             "a command's R2Ts are numbered from R2TSN 1, not 0"},
      mutant{m::send_targets_name_ignored, "send-targets-name-ignored", "rfc7143#appendix-C",
             "SendTargets=<iSCSI name> in a Discovery session is answered as SendTargets=All"},
      mutant{m::chap_challenge_oversized, "chap-challenge-oversized", "rfc7143#section-12.1.3",
             "the target's CHAP_C is 1025 bytes long (at most 1024)"},
      mutant{m::chap_algorithm_not_offered, "chap-algorithm-not-offered", "rfc7143#section-12.1.3",
             "the target answers CHAP_A=6 whatever the initiator offered"},
      // wave 5B
      mutant{m::login_continue_with_transit, "login-continue-with-transit", "rfc7143#section-11.13.7",
             "a Login Response with T=1 carries C=1 too"},
      mutant{m::login_nsg_beyond_request, "login-nsg-beyond-request", "rfc7143#section-6.3",
             "a Login Request asking for NSG 1 (LoginOperationalNegotiation) is answered T=1 with NSG 3 "
             "(FullFeaturePhase)"},
      mutant{m::login_version_changes, "login-version-changes", "rfc7143#section-11.13.1",
             "the Login Final-Response carries Version-max 0x01, the responses before it 0x00"},
      mutant{m::declarative_key_echoed, "declarative-key-echoed", "rfc7143#section-6",
             "the initiator's declarative InitiatorAlias is echoed back (a key only an initiator declares)"},
      mutant{m::digest_answered_with_list, "digest-answered-with-list", "rfc7143#section-6.2.1",
             "HeaderDigest and DataDigest are answered with the list CRC32C,None, not one value of the offer"},
      mutant{m::obsolete_key_not_understood, "obsolete-key-not-understood", "rfc7143#section-13.25",
             "IFMarker and OFMarker are answered NotUnderstood"},
      mutant{m::pdu_before_login_answered, "pdu-before-login-answered", "rfc7143#section-4.2.4",
             "a PDU other than a Login Request before the Login Phase is answered with a Login reject "
             "(0x020b) before the close"},
      mutant{m::session_reinstatement_skipped, "session-reinstatement-skipped", "rfc7143#section-6.3.5",
             "a new session with a live session's InitiatorName, ISID and TargetName leaves the old one running"},
      mutant{m::session_isid_ignored, "session-isid-ignored", "rfc7143#section-4.4.3",
             "sessions are told apart by InitiatorName and TargetName only: a new session with another ISID "
             "reinstates (ends) the older one"},
      mutant{m::connection_reinstatement_refused, "connection-reinstatement-refused", "rfc7143#section-6.3.4",
             "a login with a live session's ISID, TSIH and CID is refused (0x020a, session does not exist)"},
      mutant{m::lun_reset_unit_attention_everywhere, "lun-reset-unit-attention-everywhere", "rfc7143#section-11.5.1",
             "a LOGICAL UNIT RESET establishes its unit attention (29h/03h) on every LU, not only the one reset"},
      mutant{m::reservation_state_per_target, "reservation-state-per-target", "spc4#5.13.1",
             "PERSISTENT RESERVE IN and OUT act on LUN 0's reservation state whatever LUN they address"},
      mutant{m::partial_pdu_zero_filled, "partial-pdu-zero-filled", "rfc7143#section-11.2.1.6",
             "a read that ends inside a PDU completes it with zero bytes: a PDU cut short is answered"},
      mutant{m::target_opcode_as_initiator, "target-opcode-as-initiator", "rfc7143#section-11.2.1.2",
             "the opcode is read from its low five bits: a NOP-In (0x20) sent to the target is answered as a ping"},
      mutant{m::snack_wedges_connection, "snack-wedges-connection", "rfc7143#section-7.8",
             "a SNACK is neither answered nor rejected, and the connection stops answering (it stays open)"},
      mutant{m::tmf_unassigned_function_complete, "tmf-unassigned-function-complete", "rfc7143#section-11.6.1",
             "a TMF Request with an unassigned function is answered Function complete (0), not 5"},
      mutant{m::rejected_command_acknowledged, "rejected-command-acknowledged", "rfc7143#section-7.3",
             "a non-immediate SCSI Command rejected for its ITT is taken as received: the Reject's ExpCmdSN "
             "acknowledges it"},
      mutant{m::status_before_acknowledgment, "status-before-acknowledgment", "rfc7143#section-4.2.2.1",
             "a status (SCSI Response, or Data-In with S=1) carries ExpCmdSN one less: it precedes its "
             "command's acknowledgment"},
      mutant{m::cmdsn_plain_arithmetic, "cmdsn-plain-arithmetic", "rfc7143#section-4.2.2.1",
             "the CmdSN window is checked with plain unsigned comparisons, not serial number arithmetic: "
             "commands across the wrap are ignored"},
      mutant{m::exp_stat_sn_lag_rejected, "exp-stat-sn-lag-rejected", "rfc7143#section-4.2.2.2",
             "a command whose ExpStatSN leaves 3 or more statuses unacknowledged is rejected (protocol error)"},
      mutant{m::immediate_command_refused, "immediate-command-refused", "rfc7143#section-4.2.2.1",
             "every immediate SCSI Command is rejected (0x06, too many immediate commands)"},
      mutant{m::ptpl_a_stuck, "ptpl-a-stuck", "spc4#6.15.4",
             "REPORT CAPABILITIES says PTPL_C=1 and PTPL_A=1 whatever the last REGISTER's APTPL (a REGISTER's "
             "APTPL bit is ignored)"},
      mutant{m::report_capabilities_length_wrong, "report-capabilities-length-wrong", "spc4#6.15.4",
             "REPORT CAPABILITIES' LENGTH field says 6 (the bytes after it), not 8"},
      mutant{m::pr_generation_bumped_by_reserve, "pr-generation-bumped-by-reserve", "spc4#6.15.2",
             "PRgeneration (READ KEYS, READ RESERVATION) counts the RESERVE and RELEASE commands completed too"},
      mutant{m::register_ignore_key_checked, "register-ignore-key-checked", "spc4#5.13.7",
             "REGISTER AND IGNORE EXISTING KEY acts as REGISTER: a RESERVATION KEY that is not the registered "
             "key conflicts"},
      mutant{m::abort_task_set_empty_rejected, "abort-task-set-empty-rejected", "rfc7143#section-11.5.1",
             "ABORT TASK SET on a connection with no task open is answered Function rejected (255)"},
      mutant{m::status_after_abort, "status-after-abort", "rfc7143#section-11.5.1",
             "after ABORT TASK's Function complete, the aborted task's status (CHECK CONDITION, ABORTED "
             "COMMAND) is sent too"},
      mutant{m::cold_reset_spares_other_sessions, "cold-reset-spares-other-sessions", "rfc7143#section-11.6.1",
             "TARGET COLD RESET closes the connection that asked for it only; other sessions go on"},
      mutant{m::invalid_field_as_invalid_opcode, "invalid-field-as-invalid-opcode", "spc4#6.4.1",
             "an invalid field in a CDB is answered ILLEGAL REQUEST with INVALID COMMAND OPERATION CODE (20h/00h), "
             "not INVALID FIELD IN CDB (24h/00h)"},
      // wave 5A
      mutant{m::chap_challenge_unprefixed, "chap-challenge-unprefixed", "rfc7143#section-6.1",
             "CHAP_C goes out as bare hex digits, without the 0x of a hex-constant"},
      mutant{m::chap_identifier_out_of_range, "chap-identifier-out-of-range", "rfc7143#section-12.1.3",
             "CHAP_I goes out 256 higher than the identifier used (a number above 255, not one octet)"},
      mutant{m::chap_expected_response_wrong, "chap-expected-response-wrong", "rfc7143#section-12.1.3",
             "the target expects a CHAP_R computed over CHAP_I + 1, so it refuses the right response"},
      mutant{m::chap_hex_lower_case_only, "chap-hex-lower-case-only", "rfc7143#section-6.1",
             "a CHAP_R written 0X or with upper-case hex digits is refused (Authentication Failure)"},
      mutant{m::data_in_over_mrdsl, "data-in-over-mrdsl", "rfc7143#section-13.12",
             "Data-In segments are twice the initiator's MaxRecvDataSegmentLength"},
      mutant{m::data_in_ack_at_erl0, "data-in-ack-at-erl0", "rfc7143#section-11.7.2",
             "a READ's last Data-In PDU carries the A bit at ErrorRecoveryLevel 0"},
      mutant{m::status_before_unsolicited_data, "status-before-unsolicited-data", "rfc7143#section-11.4.2",
             "a WRITE that announces unsolicited Data-Out (F=0) executes at once: its status comes before "
             "the Data-Out with the F bit"},
      mutant{m::immediate_data_refused, "immediate-data-refused", "rfc7143#section-13.11",
             "with ImmediateData=Yes negotiated, a command carrying data ends in CHECK CONDITION "
             "(unexpected unsolicited data)"},
      mutant{m::r2t_beyond_max_burst, "r2t-beyond-max-burst", "rfc7143#section-11.8.4",
             "R2Ts ask for up to twice MaxBurstLength"},
      mutant{m::r2t_max_outstanding_ignored, "r2t-max-outstanding-ignored", "rfc7143#section-13.17",
             "up to 4 R2Ts per task are outstanding whatever MaxOutstandingR2T says"},
      mutant{m::r2t_sequence_reversed, "r2t-sequence-reversed", "rfc7143#section-11.8",
             "a WRITE's R2Ts ask for its bursts last first (DataSequenceInOrder=Yes)"},
      mutant{m::r2t_last_burst_full, "r2t-last-burst-full", "rfc7143#section-11.7.6",
             "a WRITE's last R2T asks for a whole MaxBurstLength, beyond the EDTL"},
      mutant{m::unsolicited_datasn_not_counted, "unsolicited-datasn-not-counted", "rfc7143#section-11.7.5",
             "unsolicited Data-Out is expected with DataSN 0 each time: a second PDU (DataSN 1) fails the WRITE"},
      mutant{m::digest_byte_order_swapped, "digest-byte-order-swapped", "rfc7143#section-13.1",
             "the target's header and data digests go out with their 4 bytes reversed"},
      mutant{m::data_digest_excludes_padding, "data-digest-excludes-padding", "rfc7143#section-11.2.3",
             "the target's data digest leaves out the padding bytes"},
      mutant{m::data_digest_on_empty_segment, "data-digest-on-empty-segment", "rfc7143#section-11.2.3",
             "with DataDigest=CRC32C, a PDU without data still carries a 4-byte data digest"},
      mutant{m::header_digest_error_answered, "header-digest-error-answered", "rfc7143#section-7.8",
             "a PDU with a header digest error is answered as read (then the connection closes)"},
      mutant{m::header_digest_without_negotiation, "header-digest-without-negotiation", "rfc7143#section-13.1",
             "with HeaderDigest=None, the target's Full Feature Phase PDUs carry a CRC32C header digest"},
      mutant{m::discovery_chap_not_required, "discovery-chap-not-required", "rfc7143#section-6.3.1",
             "a Discovery login with AuthMethod=None gets through though discovery CHAP is configured"},
      mutant{m::discovery_max_connections_relevant, "discovery-max-connections-relevant", "rfc7143#section-13.21",
             "MaxConnections in a Discovery session is answered 4, not Irrelevant (it is 1 there)"},
      mutant{m::discovery_scsi_command_answered, "discovery-scsi-command-answered", "rfc7143#section-13.21",
             "a SCSI Command in a Discovery session is answered GOOD, not rejected"},
      mutant{m::send_targets_all_empty, "send-targets-all-empty", "rfc7143#appendix-C",
             "SendTargets=All in a Discovery session returns no target record"},
      mutant{m::send_targets_name_unanswered, "send-targets-name-unanswered", "rfc7143#appendix-C",
             "SendTargets=<iSCSI name> in a Discovery session returns no target record"},
      mutant{m::send_targets_extra_key, "send-targets-extra-key", "rfc7143#appendix-C",
             "each SendTargets record carries a TargetAlias key after its addresses"},
      mutant{m::nop_empty_echo_padded, "nop-empty-echo-padded", "rfc7143#section-11.18.3",
             "a ping without data is answered by a NOP-In with 4 zero bytes of data"},
      mutant{m::bidi_residual_count_without_flags, "bidi-residual-count-without-flags", "rfc7143#section-11.4.6",
             "a SCSI Response with neither o nor u set carries a Bidirectional Read Residual Count of 512"},
      mutant{m::reject_without_header, "reject-without-header", "rfc7143#section-11.17.4",
             "a Reject carries no data: the rejected PDU's header is not returned"},
      mutant{m::bidi_read_residual_missing, "bidi-read-residual-missing", "rfc7143#section-11.4.5.2",
             "a bidirectional command's read underflow goes unsignalled (u bit clear, count 0)"},
      mutant{m::error_status_in_data_in, "error-status-in-data-in", "rfc7143#section-11.7.3",
             "a READ ending in CHECK CONDITION without data gets its status in a Data-In PDU (S=1), "
             "sense data dropped"},
      // end of wave 5A
      mutant{m::login_outstanding_answered, "login-outstanding-answered", "rfc7143#section-6.3",
             "a Login Request sent before the last Login Response was acknowledged is answered as usual"},
      mutant{m::device_name_not_target_name, "device-name-not-target-name", "rfc7143#section-4.4.2",
             "the SCSI target device and port names carry \".mutant\" after the iSCSI target name"},
  };
  static_assert(rows.size() == static_cast<std::size_t>(mutant_id::count), "a row for every mutant_id");
  return rows;
}

const mutant* find_mutant(std::string_view name) {
  const auto rows = mutant_table();
  const auto it = std::find_if(rows.begin(), rows.end(), [&](const mutant& x) { return x.name == name; });
  return it == rows.end() ? nullptr : &*it;
}

namespace {

constexpr std::string_view not_compiled_in =
    "mutants are not compiled in: this build has TOUCHSTONE_MUTANTS=OFF (the dev and asan presets have them)";

}  // namespace

result<mutant_set, std::string> parse_mutants(const std::vector<std::string>& names) {
  mutant_set set;
  if (names.empty()) return set;
  if (!mutants_compiled_in) return fail(std::string(not_compiled_in));
  for (const auto& name : names) {
    const auto* x = find_mutant(name);
    if (x == nullptr) return fail(fmt::format("unknown mutant '{}' (--list-mutants lists them)", name));
    set.set(static_cast<std::size_t>(x->id));
  }
  return set;
}

std::string mutant_listing() {
  if (!mutants_compiled_in) return std::string(not_compiled_in) + "\n";
  std::size_t name_width = 0, rule_width = 0;
  for (const auto& x : mutant_table()) {
    name_width = std::max(name_width, x.name.size());
    rule_width = std::max(rule_width, x.breaks.size());
  }
  std::string out;
  for (const auto& x : mutant_table())
    out += fmt::format("{:<{}}  {:<{}}  {}\n", x.name, name_width, x.breaks, rule_width, x.departs);
  return out;
}

}  // namespace touchstone::target
