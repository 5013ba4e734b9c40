// The connection core: inputs, outputs and the bookkeeping they share.
#include "touchstone/target/connection.hpp"

#include <fmt/format.h>

#include "touchstone/pdu/login_request.hpp"
#include "touchstone/pdu/reject.hpp"
#include "touchstone/scsi/nexus.hpp"
#include "mutant_hooks.hpp"
#include "mutant_wire.hpp"

namespace touchstone::target {

std::string_view name(phase p) {
  switch (p) {
    case phase::awaiting_login: return "awaiting-login";
    case phase::login: return "login";
    case phase::ffp_normal: return "full-feature(normal)";
    case phase::ffp_discovery: return "full-feature(discovery)";
    case phase::closing: return "closing";
  }
  return "?";
}

connection::connection(std::shared_ptr<target_node> node, connection_info info,
                       clock::time_point now)
    : node_(std::move(node)), info_(std::move(info)),
      log_(info_.remote, node_->peer_log_budget, now),
      stat_sn_(info_.initial_stat_sn), last_heard_(now) {
  login_.emplace(now + node_->config.limits.login_timeout);
  // NOP-In pings as configured (limits.nop_in_interval, 0: none); the
  // transport's tick drives them (nop_ping.cpp).
  set_nop_ping(node_->config.limits.nop_in_interval, node_->config.limits.nop_in_timeout);
}

connection::~connection() { on_transport_closed(); }

void connection::on_pdu(pdu::pdu p, clock::time_point now) {
  if (phase_ == phase::closing) return;
  on_tick(now);
  last_heard_ = now;
  if (phase_ == phase::closing) return;
  // Every initiator PDU carries ExpStatSN at byte 28 (11.3, 11.5, 11.7,
  // 11.10, 11.14, 11.16, 11.18): the highest (serial arithmetic) is what a
  // pending TMF waits for (tmf.cpp); an older one acknowledges nothing new.
  if (phase_ == phase::ffp_normal || phase_ == phase::ffp_discovery) {
    const auto exp_stat_sn = p.header().u32(28);
    if (static_cast<std::int32_t>(exp_stat_sn - acked_stat_sn_) > 0) acked_stat_sn_ = exp_stat_sn;
    if (!retained_status_.empty()) retained_status_.acknowledge(acked_stat_sn_);
  }
  dispatch(p);
  announce_window();
}

void connection::on_frame_error(pdu::frame_error e, pdu::pdu partial) {
  if (phase_ == phase::closing) return;
  if (e == pdu::frame_error::data_digest && phase_ != phase::login &&
      phase_ != phase::awaiting_login) {
    //= rfc7143#section-7.8
    //# When a target receives any iSCSI PDU with a payload digest error, it
    //# MUST answer with a Reject PDU with a reason code of Data-Digest-Error
    //# and discard the PDU.
    // Mutant data-digest-error-silent breaks it: discarded, no Reject.
    if (mutated(m::data_digest_error_silent)) return announce_window();
    send_reject(partial, pdu::reject_reason::data_digest_error, "rfc7143#section-7.8");
    if (partial.op() == pdu::opcode::data_out && phase_ == phase::ffp_normal)
      account_data_out(partial, false);
    return announce_window();
  }
  //= rfc7143#section-7.8
  //# When a target or an initiator receives any iSCSI PDU with a header digest
  //# error, it MUST either discard the header and all data up to the beginning
  //# of a later PDU or close the connection.
  // Mutant header-digest-error-answered breaks it: the header is taken as
  // read and answered (the framer has stopped: the transport closes the
  // connection once the answer is out).
  if (e == pdu::frame_error::header_digest && mutated(m::header_digest_error_answered) &&
      (phase_ == phase::ffp_normal || phase_ == phase::ffp_discovery)) {
    dispatch(partial);
    return announce_window();
  }
  const auto what = pdu::describe(e, partial, receive_limits());
  note("rfc7143#section-7.8", what);
  close(what);
}

void connection::on_tick(clock::time_point now) {
  log_.advance(now);
  if (session_ && session_->directory().terminate &&
      session_->directory().terminate->load() != termination::none)
    return end_terminated_session();
  take_third_party_aborts();
  if (login_ && (phase_ == phase::awaiting_login || phase_ == phase::login) && now >= login_->deadline) {
    close("login timeout");
  }
  ping_tick(now);
  logout_tick(now);
}

void connection::on_transport_closed() {
  if (session_ && session_->tsih() != 0) leave_session();
  phase_ = phase::closing;
  log_.close();
}

// This connection leaves its session; as the session's last connection it
// ends the session, unless a connection reinstatement replaced it: then the
// session goes on on the new connection. With other connections left the
// session lives on, less this connection's tasks (leave_live_session).
void connection::leave_session() {
  auto& s = *session_;
  auto& links = s.directory();
  if (s.find_connection(cid_) != this) return;  // left already
  const bool last = s.leave(cid_) == 0;
  if (!last) return leave_live_session();
  //= rfc7143#section-7.14
  //# On connection failure, the initiator and target MUST do one of the following: ... c) Perform
  //# session recovery (Session Recovery).
  //= rfc7143#section-7.14
  //# Either side may choose to escalate to session recovery (via the initiator dropping all the
  //# connections or via an Async Message that announces the similar intent from a target), and the
  //# other side MUST give it precedence.
  // At ErrorRecoveryLevel 0 a session ends with its last connection: the
  // initiator that dropped it recovers with a new session.
  if (!replaced_) {
    node_->sessions.release(s.tsih());
    if (links.terminate) node_->directory.leave(s.tsih(), links.terminate);
    forget_session_object();
    //= rfc7143#section-6.3.5.1
    //# The iSCSI layer provides the SCSI layer with the "I_T nexus loss"
    //# notification when any one of the following events happens: ... session closure event
    if (node_->devices && phase_ != phase::ffp_discovery && !links.reinstated)
      node_->devices->it_nexus_lost(make_nexus(0).it);
  }
  //= rfc7143#section-7.14
  //# On a connection failure, a target MUST terminate and/or discard all of the active immediate
  //# commands, regardless of which of the above options is used
  // A job the transport dropped with the connection (never started) would
  // stay in the LU's task set, where maybe_execute entered it.
  if (node_->devices)
    for (const auto& [itt, t] : s.tasks())
      if (t.executing) node_->devices->forget_task(make_nexus(t.lun_field), itt);
  s.tasks().clear();
  s.waiting_tmf().reset();
  links.terminate.reset();
  links.aborts.reset();
  s.set_tsih(0);
}

pdu::session_parameters connection::parameters() const {
  if (!session_) return login_ ? login_->params : pdu::session_parameters{};
  auto p = session_->params();
  p.header_digest = keys_.header_digest;
  p.data_digest = keys_.data_digest;
  p.max_recv_data_segment_length = keys_.max_recv_data_segment_length;
  p.max_send_data_segment_length = keys_.max_send_data_segment_length;
  return p;
}

std::uint64_t connection::isid() const {
  if (session_) return session_->isid();
  return login_ ? pdu::login_request_view(login_->first_request).isid() : 0;
}

std::vector<action> connection::take_actions() {
  std::vector<action> out;
  out.swap(actions_);
  return out;
}

pdu::framer_limits connection::receive_limits() const {
  pdu::framer_limits l;
  if (digests_on_) {
    l.digests.header = keys_.header_digest == pdu::digest_type::crc32c;
    l.digests.data = keys_.data_digest == pdu::digest_type::crc32c;
    l.max_recv_data_segment_length = keys_.max_recv_data_segment_length;
  }
  return l;
}

pdu::digest_config connection::send_digests() const {
  pdu::digest_config d;
  //= rfc7143#section-13.1
  //# When the initiator and target agree on a digest, this digest MUST be used
  //# for every PDU in the Full Feature Phase.
  if (digests_on_) {
    d.header = keys_.header_digest == pdu::digest_type::crc32c;
    d.data = keys_.data_digest == pdu::digest_type::crc32c;
  }
  return d;
}

void connection::send(pdu::pdu p) {
  auto d = send_digests();
  // Every target PDU of the Full Feature Phase carries MaxCmdSN at byte 32.
  const bool from_target = pdu::is_target_code(p.header().raw_opcode());
  if (from_target) advertised_max_cmd_sn_ = p.header().u32(32);
  //= rfc7143#section-4.2.2.1
  //# The target MUST NOT transmit a MaxCmdSN that is less than
  //# ExpCmdSN - 1.
  // Mutant maxcmdsn-below-expcmdsn breaks it (after the line above, so the
  // window updates still see the true MaxCmdSN): ExpCmdSN (byte 28) - 2.
  if (mutated(m::maxcmdsn_below_expcmdsn) && from_target && phase_ == phase::ffp_normal)
    pdu::store_be32(&p.bhs[32], p.header().u32(28) - 2);
  if (mutants_compiled_in) mutate_status_numbers(node_->config.mutants, p);  // status-before-acknowledgment
  // digest-byte-order-swapped, ... (mutant_wire.cpp); nothing without mutants.
  if constexpr (mutants_compiled_in) mutate_digests(node_->config.mutants, p, d, digests_on_);
  if (retains_status()) retain_status(p);
  actions_.push_back(send_pdu{std::move(p), d});
}

void connection::send_completion(streamed_completion done) {
  // At ErrorRecoveryLevel 1 each PDU goes through send(): a status carried
  // in the last Data-In is kept for Status SNACK (snack_status.cpp).
  if (!stream_data_in_ || done.data.count() <= 1 || retains_status()) {
    while (!done.data.done()) send(done.data.next());
  } else {
    // The first goes through send() (its MaxCmdSN noted, a mutant's change
    // made); the rest carry the same numbers, so they carry what it carries.
    send(done.data.next());
    done.data.set_max_cmd_sn(std::get<send_pdu>(actions_.back()).pdu.header().u32(32));
    actions_.push_back(send_data_in{std::make_shared<data_in_stream>(std::move(done.data)), send_digests()});
  }
  if (done.response) send(std::move(*done.response));
}

//= rfc7143#section-11.17.3
//# These fields carry their usual values and are not related to the rejected
//# command.  The StatSN is advanced after a Reject.
void connection::send_reject(const pdu::pdu& bad, pdu::reject_reason reason,
                             std::string_view requirement) {
  note(requirement, "Reject reason 0x" + fmt::format("{:02x}", static_cast<unsigned>(reason)) +
                        " for " + std::string(pdu::code_name(bad.header().raw_opcode())));
  send(make_reject(bad, reason));
}

pdu::pdu connection::make_reject(const pdu::pdu& bad, pdu::reject_reason reason) {
  pdu::reject_builder b;
  b.reason(reason)
      .stat_sn(take_stat_sn())
      .exp_cmd_sn(exp_cmd_sn())
      .max_cmd_sn(max_cmd_sn())
      //= rfc7143#section-11.17.4
      //# The target returns the header (not including the digest) of the PDU in
      //# error as the data of the response.
      .rejected_pdu(bad);
  auto reject = b.build();
  // A header with a long AHS can be longer than the initiator accepts. The
  // receiver's limit wins (it cannot take more); the BHS, which names the
  // rejected PDU, always fits (the limit is at least 512).
  //= rfc7143#section-13.12
  //# The transmitter (initiator or target) is required to send PDUs with a
  //# data segment that does not exceed MaxRecvDataSegmentLength of the
  //# receiver.
  const std::size_t limit = keys_.max_send_data_segment_length;
  if (reject.data.size() > limit) reject = b.data(pdu::bytes_view(reject.data).first(limit)).build();
  // Mutant reject-without-header breaks section 11.17.4 (above): no data.
  if (mutated(m::reject_without_header)) reject = b.data(pdu::bytes_view{}).build();
  return reject;
}

void connection::close(std::string reason) {
  if (phase_ == phase::closing) return;
  log_.once(peer_log::level::info, "closing connection: " + reason);
  actions_.push_back(close_connection{std::move(reason)});
  on_transport_closed();
}

void connection::note(std::string_view requirement, std::string detail) {
  // The first line of each requirement id per interval on this
  // connection is logged in full, the repeats are counted (peer_log); the
  // counters below stay exact for session.list.
  // Formatted only when it can be printed (the fuzz harnesses log nothing).
  constexpr auto l = peer_log::level::warn;
  log_.line(l, requirement, peer_log::prints(l) ? fmt::format("{}: {}", requirement, detail) : std::string());
  ++violations_.total;
  if (const auto it = violations_.by_requirement.find(requirement); it != violations_.by_requirement.end())
    ++it->second;
  else
    violations_.by_requirement.emplace(std::string(requirement), 1);
}

scsi::nexus connection::make_nexus(std::uint64_t lun_field) const {
  //= rfc7143#section-4.4.2
  //# The SCSI device name is defined to be the iSCSI name of the node and MUST be used in the iSCSI
  //# protocol.
  //= rfc7143#section-4.4.2
  //# iSCSI Initiator Name + ",i,0x" + ISID in text format, iSCSI Target Name + ",t,0x" + ...
  //= rfc7143#section-4.4.2
  //# The SCSI port name MUST be used in iSCSI. When used in SCSI parameter data, the SCSI port name
  //# MUST be encoded as: 1) the iSCSI name in UTF-8 format, followed by 2) a comma separator (1
  //# byte), followed by 3) the ASCII character 'i' (for SCSI initiator port) or the ASCII character
  //# 't' (for SCSI target port) (1 byte), followed by 4) a comma separator (1 byte), followed by 5)
  //# a text encoding as a hex-constant (see Section 6.1) of the ISID (for SCSI initiator port) or
  //# the Target Portal Group Tag (for SCSI target port)
  scsi::nexus n;
  n.it.initiator_port = session_params().initiator_name + fmt::format(",i,0x{:012x}", session_->isid());
  n.it.target_port = node_->config.iqn + fmt::format(",t,0x{:04x}", node_->config.portal_group_tag);
  // Mutant device-name-not-target-name breaks it: the names SCSI reports
  // (VPD page 83h) are not the iSCSI target name.
  if (mutated(m::device_name_not_target_name))
    n.it.target_port = node_->config.iqn + fmt::format(".mutant,t,0x{:04x}", node_->config.portal_group_tag);
  n.lun = scsi::decode_lun(lun_field);
  n.transport_version_descriptor = static_cast<std::uint16_t>(0x0960 + session_params().protocol_level);
  return n;
}

}  // namespace touchstone::target
