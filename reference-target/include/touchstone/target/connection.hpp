// The sans-I/O core of one iSCSI connection on the target side. It consumes
// decoded PDUs (from pdu::framer), frame errors, SCSI completions and clock
// ticks, and produces actions (send a PDU, run a SCSI job, close). No sockets,
// no Asio: Catch2 tests and fuzz harnesses drive it directly.
//
//   connection c(node, info, now);
//   c.on_pdu(std::move(p), now);            // for each framed PDU
//   for (auto& a : c.take_actions()) ...   // send / execute / close
//   c.on_scsi_done(job, response);          // when a job finishes
//   framer.set_limits(c.receive_limits());  // digests and MRDSL after login
//
// What only the Login Phase needs is a login_context (login_context.hpp),
// discarded when the connection enters the Full Feature Phase; what belongs
// to the session (its tasks, the command window, TSIH/ISID, the session-wide
// values) is a session (session.hpp) its connections share.
//
// Dispatch is one table, {phase, opcode} -> handler (phase_table.cpp); a PDU
// the table has no row for is refused there, citing the clause. The Login
// Phase is a second table, {login stage, CSG} -> stage handler (login_table.cpp).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "touchstone/pdu/framer.hpp"
#include "touchstone/pdu/login_request.hpp"
#include "touchstone/pdu/login_response.hpp"
#include "touchstone/pdu/negotiation.hpp"
#include "touchstone/pdu/reject.hpp"
#include "touchstone/pdu/scsi_command.hpp"
#include "touchstone/pdu/session_parameters.hpp"
#include "touchstone/pdu/text.hpp"
#include "touchstone/target/actions.hpp"
#include "touchstone/target/chap_authenticator.hpp"
#include "touchstone/target/cmdsn_window.hpp"
#include "touchstone/target/config.hpp"
#include "touchstone/target/connection_types.hpp"
#include "touchstone/target/login_context.hpp"
#include "touchstone/target/peer_log.hpp"
#include "touchstone/target/session.hpp"
#include "touchstone/target/session_directory.hpp"
#include "touchstone/target/status_retention.hpp"
#include "touchstone/target/task.hpp"

namespace touchstone::target {

using clock = std::chrono::steady_clock;

class connection {
 public:
  connection(std::shared_ptr<target_node> node, connection_info info, clock::time_point now);
  ~connection();
  // A copy of `from`, a connection in the Full Feature Phase of a session it
  // leads (not one it joined by connection reinstatement), on `node`: a node
  // configured as from's and holding no session yet. What belongs to the
  // node is node's: the copy takes its TSIH from node's registry (from's own
  // when node is as fresh as from's was), enrolls a Normal session in node's
  // directory with `wake`, and logs to and remembers its CHAP challenge in
  // node's. For a fuzz harness's post-login snapshot
  // (fuzz/inproc/login_snapshot.hpp); connection_copy.cpp.
  connection(const connection& from, std::shared_ptr<target_node> node, session_directory::waker wake);
  connection& operator=(const connection&) = delete;

  void on_pdu(pdu::pdu p, clock::time_point now);
  // A framer error; a data digest error still carries the complete PDU.
  void on_frame_error(pdu::frame_error e, pdu::pdu partial);
  void on_scsi_done(std::uint64_t job, scsi::response r);
  void on_tick(clock::time_point now);
  // How another connection's thread gets on_tick run here soon (the
  // transport posts it): the session directory calls it when it ends this
  // session (reinstatement, TARGET COLD RESET) or replaces its connection.
  void set_waker(session_directory::waker wake) { waker_ = std::move(wake); }
  // A read's Data-In PDUs as one send_data_in action, built as the
  // transport writes them (default: every PDU its own send_pdu).
  void stream_data_in(bool on) { stream_data_in_ = on; }
  // The transport saw the peer close (or an I/O error): release the session.
  void on_transport_closed();

  std::vector<action> take_actions();

  // NOP-In pings (nop_ping.cpp): after `interval` without a PDU from the
  // initiator, a NOP-In with a valid TTT; no NOP-Out echo within `timeout`
  // drops the connection. An interval of 0 sends none.
  void set_nop_ping(std::chrono::milliseconds interval, std::chrono::milliseconds timeout);

  // Shutdown (async_logout.cpp): an Async Message asking the initiator to
  // log out within `within`; past it, a connection-drop Async Message and close.
  void request_logout(clock::time_point now, std::chrono::seconds within);

  // Limits the transport's framer must apply from the next PDU on.
  pdu::framer_limits receive_limits() const;
  enum phase current_phase() const { return phase_; }
  // The values this connection runs with: the session's session-wide ones
  // and its own connection-only keys (during login: those agreed so far).
  pdu::session_parameters parameters() const;
  // 0 before the session starts and once it has ended.
  std::uint16_t tsih() const { return session_ ? session_->tsih() : 0; }
  // For management (session.list): the session's ISID and this connection's CID.
  std::uint64_t isid() const;
  std::uint16_t cid() const { return cid_; }
  std::uint32_t exp_cmd_sn() const { return session_ ? session_->window().exp_cmd_sn() : 0; }
  std::uint32_t max_cmd_sn() const { return session_ ? session_->window().max_cmd_sn() : 0; }
  std::uint32_t next_stat_sn() const { return stat_sn_; }
  const violation_counts& violations() const { return violations_; }
  // For the fuzz harness's bound on task memory (fuzz/target_session.cpp).
  std::size_t task_count() const { return session_ ? session_->tasks().size() : 0; }
  std::size_t queued_command_count() const { return session_ ? session_->window().queued_count() : 0; }
  std::uint32_t queue_depth() const { return session_ ? session_->window().depth() : 1; }

 private:
  using handler = void (connection::*)(const pdu::pdu&);
  struct phase_row {
    enum phase phase;
    pdu::opcode op;
    handler run;
    bool numbered;  // carries a CmdSN: goes through the command window first
  };
  static std::span<const phase_row> phase_table();
  // Every member as it is, the node's pointers included: only the copy onto
  // a node above may use it.
  connection(const connection&) = default;

  // A login stage handler: the answers to one complete request text, and
  // whether the stage may end now.
  struct stage_answer {
    pdu::text_pairs pairs;
    bool stage_complete = false;
  };
  struct login_failure {
    pdu::login_status status;
    std::string_view requirement;
  };
  using stage_result = result<stage_answer, login_failure>;
  using stage_handler = stage_result (connection::*)(const pdu::text_pairs&, bool transit);
  struct login_row {
    login_state state;
    pdu::login_stage csg;
    login_state becomes;  // the state while this stage runs
    stage_handler run;
  };
  static std::span<const login_row> login_table();

  // One row of the TMF table (tmf.cpp).
  enum class tmf_scope : std::uint8_t { task, lu, lu_all_sessions, target, nexus, query };
  using tmf_handler = std::uint8_t (connection::*)(const pdu::pdu&);
  struct tmf_row {
    std::uint8_t function;
    tmf_handler run;
    tmf_scope scope;
    std::uint8_t protocol_level;  // iSCSIProtocolLevel it needs (RFC 7144: 2)
  };
  static std::span<const tmf_row> tmf_table();
  // A handler's answer when the response waits (an unassigned response code).
  static constexpr std::uint8_t pending_response = 0xfe;

  // Dispatch (phase_table.cpp).
  void dispatch(const pdu::pdu& p);
  bool screen(const pdu::pdu& p);
  bool answered_by_mutant(const pdu::pdu& p);  // phase_table.cpp: mutants that come before screen()
  void refuse(const pdu::pdu& p);
  bool admit_command(const pdu::pdu& p);
  void run_queued_commands();
  // cross_connection_delivery.cpp: a queued command runs on its own connection.
  void note_queued_here(std::uint32_t cmd_sn);
  void run_delivered(const pdu::pdu& queued);

  // Login (login_table.cpp, login_checks.cpp, security_negotiation.cpp).
  void on_login_request(const pdu::pdu& p);
  std::optional<login_failure> check_login_header(const pdu::pdu& p);
  static pdu::login_status login_status_for(const pdu::pdu& p, std::string_view requirement);
  std::optional<login_failure> check_first_text(const pdu::text_pairs& pairs);
  // Connection reinstatement (section 6.3.4): a first request with a TSIH.
  std::optional<login_failure> check_joined_session(const pdu::login_request_view& req);
  std::optional<login_failure> check_joined_names(std::string_view initiator,
                                                  const std::string* target) const;
  std::optional<login_failure> check_session_limit() const;
  std::optional<login_failure> check_required_digests(const pdu::text_pairs& received,
                                                      pdu::text_pairs& answers);
  bool enter_joined_session();
  // Session continuation (session_continuation.cpp): a new CID joins a live session.
  std::optional<login_failure> check_added_connection(const pdu::login_request_view& req);
  bool enter_added_connection();
  std::shared_ptr<session> session_object(std::uint16_t tsih) const;
  pdu::text_pairs joined_keys(const pdu::text_pairs& pairs);
  stage_result security_stage(const pdu::text_pairs& pairs, bool transit);
  stage_result operational_stage(const pdu::text_pairs& pairs, bool transit);
  void login_respond(const pdu::pdu& request, pdu::text_pairs pairs, bool transit);
  std::uint16_t early_tsih(std::uint16_t requested) const;
  void login_reject(login_failure f);
  pdu::pdu login_failure_response(pdu::login_status status, pdu::byte_buffer text) const;
  // Status class 01 (login_redirect.cpp).
  bool redirect_due(pdu::login_stage csg) const;
  bool hold_for_redirect() const;
  bool redirects_this_session() const;
  void login_redirect();
  void login_reject_invalid(const pdu::pdu& p);
  // The Final-Response's request: the session starts (or is joined) and the
  // login context is discarded.
  void enter_full_feature(const pdu::pdu& request);
  bool start_session();
  void start_new_session(std::uint16_t tsih);
  pdu::local_settings negotiation_settings() const;

  // Full Feature Phase (ffp_commands.cpp, data_out.cpp, ffp_control.cpp).
  void on_scsi_command(const pdu::pdu& p);
  task new_task(const pdu::scsi_command_view& v, scsi::byte_buffer cdb);
  void open_transfer(task& t, const pdu::pdu& p);
  void on_data_out(const pdu::pdu& p);
  // digest_ok false: the payload failed its digest and is discarded (7.8).
  static constexpr std::string_view unsolicited_order_id = "rfc7143#section-4.2.5.2/unsolicited-order";
  bool unsolicited_out_of_order(const task& t);
  // One Data-Out into its burst (data_out.cpp): the unsolicited burst and
  // each R2T's are the same cursor (task_transfer.hpp).
  void account_data_out(const pdu::pdu& p, bool digest_ok);
  bool data_sn_gap(burst_cursor& b, std::uint32_t data_sn);
  void store_data_out(task& t, const pdu::pdu& p, std::uint32_t offset, const data_out_fit& fit, bool digest_ok);
  void on_nop_out(const pdu::pdu& p);
  void on_text_request(const pdu::pdu& p);
  void on_logout_request(const pdu::pdu& p);

  void on_snack(const pdu::pdu& p);
  // ErrorRecoveryLevel 1 (snack_status.cpp): numbered responses kept until
  // acknowledged, and the Status SNACK that asks for them again.
  bool retains_status() const;
  void retain_status(const pdu::pdu& p);
  void answer_status_snack(const pdu::pdu& p);
  status_retention retained_status_;

  // Task management (tmf.cpp).
  void on_task_mgmt_request(const pdu::pdu& p);
  bool affected_by(const task& t, const pending_tmf& tmf) const;
  std::uint8_t abort_when_stored(task& t, const pdu::pdu& p);
  void answer_abort_requests(const std::vector<pdu::pdu>& requests);
  void mark_affected(pending_tmf& tmf);
  void advance_tmf();
  void send_tmf_response(const pdu::pdu& request, std::uint8_t response);
  std::uint8_t tmf_abort_task(const pdu::pdu& p);
  std::uint8_t tmf_multi_task(const pdu::pdu& p);
  std::uint8_t tmf_not_supported(const pdu::pdu& p);
  std::uint8_t tmf_reassign(const pdu::pdu& p);
  std::uint8_t tmf_query_task(const pdu::pdu& p);
  std::uint8_t tmf_query_task_set(const pdu::pdu& p);
  std::uint8_t tmf_query_async_event(const pdu::pdu& p);
  std::uint8_t run_scsi_tmf(const pdu::pdu& p);
  // Other sessions' tasks a multi-task TMF aborted (tmf_third_party.cpp).
  void tell_third_parties(const pdu::pdu& request);
  void take_third_party_aborts();
  void abort_third_party(const task_abort& what);
  void drop_task(std::uint32_t itt);
  // Removes a task and frees its command-window slot (session.cpp).
  void end_task(std::uint32_t itt) { session_->end_task(itt); }
  void issue_r2ts(task& t);
  pdu::pdu r2t_pdu(const task& t, const burst_cursor& r);
  // An R2T's burst limit, offset and length (data_out.cpp; the r2t-* mutants bend them).
  std::uint32_t r2t_burst() const;
  std::uint32_t r2t_offset(const task& t, std::uint32_t length) const;
  std::uint32_t r2t_length(const task& t, std::uint32_t length) const;
  void maybe_execute(task& t);
  void finish_task(task& t, scsi::response r);
  std::optional<scsi::byte_buffer> accept_immediate_data(task& t, const pdu::pdu& p);
  pdu::text_pairs send_targets(std::string_view value) const;
  std::vector<target_listing> visible_targets() const;
  void add_target_record(pdu::text_pairs& out, const target_listing& t) const;
  pdu::text_pairs answer_text(const pdu::text_pairs& pairs) const;
  // Text continuation (text_continuation.cpp).
  void send_text_part(const pdu::pdu& request);

  // Output helpers (connection.cpp).
  void send(pdu::pdu p);
  // The digests our PDUs carry now.
  pdu::digest_config send_digests() const;
  // A read's Data-In stream, then its SCSI Response if any.
  void send_completion(streamed_completion done);
  void send_reject(const pdu::pdu& bad, pdu::reject_reason reason, std::string_view requirement);
  // A Reject of `bad` (StatSN taken), its data cut to the initiator's limit.
  pdu::pdu make_reject(const pdu::pdu& bad, pdu::reject_reason reason);
  void close(std::string reason);
  // Logs (throttled: peer_log) and counts an initiator's violation.
  void note(std::string_view requirement, std::string detail);
  // Strict mode (strict_mode.cpp): true when a leniency (--allow NAME, or
  // strict off) relaxes `requirement`: the violation is logged and counted as
  // allowed, and the caller processes the PDU. False: nothing logged yet; the
  // caller answers per the RFC (and notes the violation).
  bool relaxed(std::string_view requirement, std::string_view detail);
  std::uint32_t take_stat_sn() {
    //= rfc7143#section-4.2.2.2
    //# Initiators and targets MUST support the response-numbering scheme.
    //= rfc7143#section-11.4.9
    //# The StatSN is incremented by 1 for every
    //# response/status sent on a connection
    // Mutant statsn-skip breaks it: one StatSN is skipped before each.
    if (mutated(m::statsn_skip)) ++stat_sn_;
    // Mutant statsn-frozen breaks it too: in the Full Feature Phase every
    // response carries the same StatSN.
    if (mutated(m::statsn_frozen) && phase_ == phase::ffp_normal) return stat_sn_;
    return stat_sn_++;
  }
  // A mutant of this target's config is on (mutant.hpp); constexpr false
  // without TOUCHSTONE_MUTANTS.
#ifdef TOUCHSTONE_MUTANTS
  bool mutated(mutant_id id) const { return target::mutated(node_->config.mutants, id); }
#else
  static constexpr bool mutated(mutant_id) { return false; }
#endif
  scsi::nexus make_nexus(std::uint64_t lun_field) const;

  std::shared_ptr<target_node> node_;
  connection_info info_;
  enum phase phase_ = phase::awaiting_login;
  bool stall_next_command_ = false;  // mutant nop-stalls-next-command only
  std::vector<action> actions_;
  violation_counts violations_;
  peer_log log_;  // every line about the initiator
  std::uint32_t stat_sn_ = 1;
  connection_keys keys_;
  bool digests_on_ = false;
  bool stream_data_in_ = false;  // stream_data_in

  // The Login Phase's state (login_context.hpp): from the TCP connection
  // to the Full Feature Phase, then empty.
  std::optional<login_context> login_;

  // The session (session.hpp), from the Full Feature Phase on: shared with
  // the session's other connections (none yet). Its members are reached
  // through the helpers below, one pointer away.
  std::shared_ptr<session> session_;
  cmdsn_window& window() { return session_->window(); }
  std::map<std::uint32_t, task>& tasks() { return session_->tasks(); }
  std::optional<pending_tmf>& waiting_tmf() { return session_->waiting_tmf(); }
  const pdu::session_parameters& session_params() const { return session_->params(); }
  void leave_session();
  // session_continuation.cpp: leaving a session other connections go on
  // with, and the end of the session's entry in node_->session_objects.
  void leave_live_session();
  void end_own_tasks();
  void end_by_other(std::string reason);
  // logout_connections.cpp: a Logout naming another connection, or the session.
  bool logout_other_connection(std::uint16_t cid);
  void logout_other_connections();
  void forget_session_object();
  std::uint16_t cid_ = 0;
  // The highest ExpStatSN of the initiator's PDUs in the Full Feature Phase.
  std::uint32_t acked_stat_sn_ = 0;
  bool tmf_awaits_acknowledgement(pending_tmf& tmf);
  session_directory::waker waker_;     // set_waker
  bool replaced_ = false;              // ended by a connection reinstatement: the session lives on
  // Session reinstatement (reinstatement.cpp).
  void reinstate_session();
  std::string directory_key() const;
  // Tasks ended by an iSCSI protocol event (a replaced connection): the unit
  // attention 47h/7Fh for each LU they addressed (reinstatement.cpp).
  void clear_tasks_by_protocol_event();
  void end_terminated_session();

  // A Text exchange spanning several PDUs either way (sections 11.10, 11.11).
  struct text_exchange {
    std::uint32_t itt = pdu::reserved_tag;
    std::uint32_t ttt = pdu::reserved_tag;
    pdu::text_assembler incoming{};
    pdu::byte_buffer outgoing;  // the answer not yet sent
    std::size_t sent = 0;
  };
  text_exchange text_exchange_;

  // One Text or Login exchange outstanding (outstanding_exchange.cpp): the
  // StatSN of the last Text or Login Response until ExpStatSN acknowledges it.
  static constexpr std::string_view text_outstanding_id = "rfc7143#section-6.2/outstanding";
  static constexpr std::string_view login_outstanding_id = "rfc7143#section-6.3/outstanding";
  void exchange_response_sent(std::uint32_t stat_sn);
  bool exchange_outstanding(std::uint32_t exp_stat_sn);
  bool second_text_outstanding(std::uint32_t exp_stat_sn);
  bool second_login_outstanding(std::uint32_t exp_stat_sn);
  std::optional<std::uint32_t> unacked_exchange_sn_;

  // NOP-In pings (nop_ping.cpp).
  struct outstanding_ping {
    std::uint32_t ttt = 0;
    clock::time_point sent_at;
  };
  void ping_tick(clock::time_point now);
  void send_ping(clock::time_point now);
  bool answer_to_ping(const pdu::pdu& nop_out);
  std::chrono::milliseconds ping_interval_{0};
  std::chrono::milliseconds ping_timeout_{0};
  clock::time_point last_heard_;
  std::optional<outstanding_ping> ping_;

  // MaxCmdSN updates (window_update.cpp): the MaxCmdSN of the last PDU sent,
  // and a NOP-In when the window moved with nothing going out to say so.
  void announce_window();
  std::optional<std::uint32_t> advertised_max_cmd_sn_;

  // A logout this target asked for (async_logout.cpp).
  void logout_tick(clock::time_point now);
  std::optional<clock::time_point> logout_deadline_;
  std::uint32_t next_ttt_ = 1;
};

}  // namespace touchstone::target
