// The executor's steps: each step's PDU numbered, encoded, corrupted, split
// and delayed as its send plan says; its answers read until the step's task
// is answered or the short deadline passes; a silent end checked with a ping.
#include "touchstone/fuzz/net/executor.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <thread>

#include "executor_run.hpp"
#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/serial.hpp"

namespace touchstone::fuzz::net {
namespace detail {

using conformance::clock;
using conformance::observation;
using conformance::observed;

// Observation lines kept per run (requests are bounded by the program).
constexpr std::size_t max_answer_lines = 4096;
run_state::run_state(const program& p, const run_target& t, state_graph& g, const run_options& o)
    : prog(p), target(t), graph(g), options(o), cap(clock::now() + o.cap),
      times{o.login_wait, o.answer_wait, cap}, s(t.config.portal, times), numbers(p.steps.size()) {
  s.validate = false;  // the answer oracle runs the validator
  // Over every PDU, the target's pings (which the session answers) too.
  s.show_answered_pings = true;
  // Each PDU is looked at as it comes (observe): the session need not keep
  // them, nor the connection its bytes unless the run keeps its traffic.
  s.keep_history = false;
  s.wire().set_record_traffic(o.keep_traffic);
}

conformance::deadline run_state::within(milliseconds d) const { return std::min(clock::now() + d, cap); }

void run_state::observe(phase from, const pdu::pdu& request, const observation& seen) {
  if (seen.what == observed::pdu || seen.what == observed::data_digest_error) {
    ++r.pdus_received;
    oracle.check(seen.received);
    numbers.on_answer(seen.received);
    follow_numbering::plug_gap(seen.received, s);
    if (options.keep_read_data) r.tasks.on_answer(seen.received);
    // A plan `none` whose steps log in (a mutated scripted program) enters
    // the Full Feature Phase as a scripted one does.
    if (prog.login.kind != login_kind::normal && prog.login.kind != login_kind::discovery && !r.logged_in)
      on_scripted_login_answer(*this, seen.received);
  }
  const auto t = make_transition(from, request, seen);
  if (reached_keys.insert(t.key()).second) r.reached.push_back(t);
  if (graph.record(t) == recorded::new_transition) r.fresh.push_back(t);
  r.last_phase = from;
  r.last_request = request_of(request);
  r.last_answer = t.to;
  if (r.answers.size() < max_answer_lines) r.answers.push_back(seen.describe());
}

}  // namespace detail

namespace {

using conformance::clock;
using conformance::observation;
using conformance::observed;
using detail::run_state;
using pdu::opcode;

// A step that expects no answer still collects what already arrived.
constexpr milliseconds drain_wait{1};
constexpr std::size_t max_timed_answers = 1024;

std::uint32_t itt_of(const pdu::pdu& p) { return pdu::load_be32(&p.bhs[pdu::bhs_offset::initiator_task_tag]); }

// The BHS length fields agree with the bytes that follow: otherwise the
// target is right to wait for bytes that never come.
bool framed_as_sent(const pdu::pdu& p) {
  return pdu::load_be24(&p.bhs[pdu::bhs_offset::data_segment_length]) == p.data.size() &&
         std::size_t{p.bhs[pdu::bhs_offset::total_ahs_length]} * 4 == p.ahs.size();
}

// Whether the target owes an answer to p.
bool expects_answer(const pdu::pdu& p) {
  //= rfc7143#section-11.18.1
  //# Otherwise, the Initiator Task
  //# Tag MUST be set to 0xffffffff.
  if (p.op() == opcode::nop_out) return itt_of(p) != pdu::reserved_tag;
  // A length field promising bytes that never come: the target waits for them.
  if (!framed_as_sent(p)) return false;
  // A Data-Out without F is answered by nothing (the sequence goes on), and
  // a SCSI Command without F announces unsolicited Data-Out still to come.
  //= rfc7143#section-11.3.1
  //# bit 0    (F) is set to 1 when no unsolicited SCSI Data-Out PDUs
  //# follow this PDU.
  const bool final = (p.bhs[pdu::bhs_offset::flags] & pdu::final_bit_mask) != 0;
  if (p.op() == opcode::data_out || p.op() == opcode::scsi_command) return final;
  return true;
}

// A non-immediate command outside the window the target last gave gets no
// answer, so none is waited for (a mutated or as-written CmdSN, or a
// window the program used up).
bool outside_window(const pdu::pdu& p, const run_state& st) {
  if (!st.r.logged_in || !follow_numbering::takes_cmd_sn(p)) return false;
  //= rfc7143#section-4.2.2.1
  //# The target
  //# MUST silently ignore any non-immediate command outside of this range
  const pdu::serial sn{pdu::load_be32(&p.bhs[24])};
  return sn < pdu::serial{st.s.exp_cmd_sn()} || sn > pdu::serial{st.s.max_cmd_sn()};
}

// Whether `a` ends the wait for the answer to `sent`.
bool answers(const pdu::pdu& sent, const pdu::pdu& a) {
  if (a.op() == opcode::reject) return true;
  if (a.op() == opcode::async_message || itt_of(a) != itt_of(sent)) return false;
  // A Data-In ends the task only with its S bit (status).
  if (a.op() == opcode::data_in) return (a.bhs[pdu::bhs_offset::flags] & 0x01) != 0;
  return true;
}

void corrupt(pdu::byte_buffer& bytes, const pdu::pdu& p, digest_mode m, pdu::digest_config d) {
  const std::size_t header_digest_at = pdu::bhs_size + p.ahs.size();
  if (m == digest_mode::header_wrong && d.header && bytes.size() >= header_digest_at + 4)
    bytes[header_digest_at] ^= 0x01;
  if (m == digest_mode::data_wrong && d.data && !p.data.empty()) bytes.back() ^= 0x01;
}

std::error_code write_split(run_state& st, const pdu::byte_buffer& bytes, const std::vector<std::uint32_t>& splits) {
  std::size_t from = 0;
  auto& wire = st.s.wire();
  for (const auto at : splits) {
    if (at <= from || at >= bytes.size()) continue;
    if (auto ec = wire.send_bytes(pdu::bytes_view{bytes.data() + from, at - from}, st.within(st.options.login_wait)))
      return ec;
    from = at;
  }
  return wire.send_bytes(pdu::bytes_view{bytes.data() + from, bytes.size() - from}, st.within(st.options.login_wait));
}

std::error_code send_step(run_state& st, const pdu::pdu& p, const send_plan& plan) {
  if (plan.delay_ms > 0 && st.options.max_delay.count() > 0) {
    const auto until = clock::now() + std::min(milliseconds{plan.delay_ms}, st.options.max_delay);
    if (until >= st.cap) st.r.silence_is_targets = false;
    std::this_thread::sleep_until(std::min(until, st.cap));
  }
  auto bytes = st.s.wire().encode(p);
  corrupt(bytes, p, plan.digests, st.s.wire().send_digests());
  if (!framed_as_sent(p)) st.r.silence_is_targets = false;
  const auto ec = write_split(st, bytes, plan.splits);
  ++st.r.pdus_sent;
  st.r.requests.push_back(std::move(bytes));
  return ec;
}

// Reads answers to `sent` until it is answered, the deadline passes, the
// connection goes or the per-step bound is reached; the last observation.
// `expect`: an answer is owed (its silence is counted); `dropped`: the
// target ignores the PDU (its silence is the transition, without a wait).
// `wait`: how long an owed answer is waited for (0: answer_wait).
observation wait_answers(run_state& st, phase from, const pdu::pdu& sent, bool expect, bool dropped = false,
                         milliseconds wait = milliseconds{0}) {
  const auto started = clock::now();
  const auto owed = wait.count() > 0 ? wait : st.options.answer_wait;
  auto until = st.within(expect ? owed : drain_wait);
  for (std::size_t got = 0;; ++got) {
    auto seen = st.s.next(until);
    if (seen.what == observed::timeout) {
      if (got == 0 && (expect || dropped)) st.observe(from, sent, seen);
      if (expect) ++st.r.silences;  // silence where an answer was owed
      return seen;
    }
    st.observe(from, sent, seen);
    if (seen.connection_lost() || got + 1 >= st.options.max_answers_per_step) return seen;
    // A target still sending (a long Data-In) is not silent: the deadline
    // counts from its latest PDU.
    if (expect) until = st.within(owed);
    if (seen.what == observed::pdu && answers(sent, seen.received)) {
      if (expect && st.r.answer_micros.size() < max_timed_answers)
        st.r.answer_micros.push_back(static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - started).count()));
      return seen;
    }
  }
}

pdu::pdu prepared(run_state& st, std::size_t index) {
  const auto& step = st.prog.steps[index];
  auto p = step.pdu;
  if (p.op() == opcode::login_request) {
    const auto before = p.data.size();
    p.data = with_target_name(p.data, st.target.config.target_name);
    if (pdu::load_be24(&p.bhs[pdu::bhs_offset::data_segment_length]) == before)
      pdu::store_be24(&p.bhs[pdu::bhs_offset::data_segment_length], static_cast<std::uint32_t>(p.data.size()));
  }
  if (step.send.numbers == numbering::follow) st.numbers.apply(p, index, st.s);
  return p;
}

// A Logout dropped (outside the window), refused (CID not found, recovery
// not supported), rejected or not answered leaves the connection where it
// was: a ping after it is still owed an answer.
bool logged_out(const observation& seen) {
  if (seen.connection_lost()) return true;
  return seen.is(opcode::logout_response) &&
         pdu::logout_response_view(seen.received).response() == pdu::logout_response_code::closed_successfully;
}

}  // namespace

namespace detail {

bool run_step(run_state& st, std::size_t i, std::optional<observation>& ending) {
  if (st.capped()) {
    st.r.silence_is_targets = false;
    st.r.detail = "the run's cap was reached at step " + std::to_string(i);
    return false;
  }
  const auto p = prepared(st, i);
  const bool dropped = outside_window(p, st);
  // A follow command the target will drop (the window is used up) gives
  // its CmdSN back: the target never counts it.
  if (dropped && st.prog.steps[i].send.numbers == numbering::follow)
    st.s.set_cmd_sn(pdu::load_be32(&p.bhs[24]));
  const auto from = p.op() == opcode::login_request ? login_phase(p) : st.at;
  if (st.options.keep_read_data) st.r.tasks.step_itts.push_back(itt_of(p));
  if (st.prog.login.kind != login_kind::normal && st.prog.login.kind != login_kind::discovery && !st.r.logged_in)
    detail::on_scripted_login_request(st, p);
  if (const auto ec = send_step(st, p, st.prog.steps[i].send)) {
    ending = observation{observed::closed, {}, "step " + std::to_string(i) + " not sent: " + ec.message()};
    st.observe(from, p, *ending);
    return false;
  }
  const auto before = st.at;
  if (p.op() == opcode::logout_request) st.at = phase::logout;
  if (p.op() == opcode::snack) st.oracle.restart_stat_sn();
  const bool expect = st.prog.steps[i].send.wait_answer && expects_answer(p) && !dropped;
  if (expect) {
    st.last_owed = p;
    st.last_owed_phase = from;
  }
  const auto seen = wait_answers(st, from, p, expect, dropped);
  if (p.op() == opcode::logout_request && !logged_out(seen)) st.at = before;
  if (expect || seen.connection_lost()) ending = seen;
  return !seen.connection_lost();
}

}  // namespace detail

namespace {

// Runs every step; the observation that says how the session ended (none
// when no step waited for an answer and the connection stayed up).
std::optional<observation> run_steps(run_state& st) {
  std::optional<observation> ending;
  for (std::size_t i = 0; i < st.prog.steps.size(); ++i)
    if (!detail::run_step(st, i, ending)) break;
  return ending;
}

// A session left silent may only be ignoring one PDU (a command outside the
// window is dropped, 4.2.2.1): a ping it answers shows it is not stalled.
bool answers_ping(run_state& st) {
  if (!st.r.logged_in || st.at == phase::logout || st.capped() || !st.s.wire().is_open()) return false;
  auto ping = pdu::nop_out_builder{}.immediate().initiator_task_tag(st.s.next_itt())
                  .cmd_sn(st.s.cmd_sn()).exp_stat_sn(st.s.exp_stat_sn()).build();
  if (send_step(st, ping, send_plan{})) return false;
  // Late answers to earlier steps may come first, a Reject of an earlier
  // step among them: the ping's own answer (its NOP-In, or a Reject of it)
  // is what is waited for, until confirm_wait has passed since the target
  // last sent anything. A target still streaming an earlier answer (32 MiB
  // of Data-In queued before the ping's NOP-In) is answering, not stalled:
  // with a fixed deadline a loaded machine made that a stall of our own
  // reference target (a READ(10) of 65,280 blocks, reproduced 3 of 3).
  const auto wait = st.options.confirm_wait.count() > 0 ? st.options.confirm_wait : st.options.answer_wait;
  auto until = clock::now() + wait;
  for (std::size_t round = 0; round < st.options.max_answers_per_step && clock::now() < until; ++round) {
    const auto left = std::chrono::duration_cast<milliseconds>(until - clock::now()) + milliseconds{1};
    const auto seen = wait_answers(st, st.at, ping, true, false, left);
    if (!seen.is_pdu()) return false;
    until = std::min(clock::now() + wait, st.cap);
    if (seen.is(opcode::nop_in) && itt_of(seen.received) == itt_of(ping)) return true;
    if (seen.is(opcode::reject) && seen.received.data.size() >= pdu::bhs_size &&
        pdu::load_be32(&seen.received.data[pdu::bhs_offset::initiator_task_tag]) == itt_of(ping))
      return true;
  }
  return false;
}

// The last owed answer was waited for answer_wait only (a campaign's
// adaptive deadline may be short): before the session is called silent it
// gets confirm_wait in all. Whatever comes then ends the session.
bool answered_late(run_state& st) {
  const auto more = st.options.confirm_wait - st.options.answer_wait;
  if (more.count() <= 0 || st.capped() || !st.s.wire().is_open()) return false;
  const auto seen = wait_answers(st, st.last_owed_phase, st.last_owed, true, false, more);
  if (seen.what == observed::timeout) return false;
  st.r.end = end_of(seen);
  st.r.detail = "the last owed answer came late: " + seen.describe();
  return true;
}

// A silence the target is not to blame for (a PDU we sent promised bytes
// that never came, so the target rightly waits for them; or a delay ran into
// the cap) can be no stall: neither the late answer's top-up nor a ping
// (which the target would read as the promised bytes) could change that.
// What already arrived is still read: a close makes the session closed.
void drain_unconfirmed(run_state& st) {
  const auto seen = wait_answers(st, st.last_owed_phase, st.last_owed, false);
  if (seen.what == observed::timeout) return;
  st.r.end = end_of(seen);
  st.r.detail = "after the last owed answer's deadline: " + seen.describe();
}

void run_all(run_state& st) {
  if (const auto ec = st.s.connect()) {
    st.r.end = session_end::closed;
    st.r.detail = "connect: " + ec.message();
    return;
  }
  if (!detail::run_login(st)) return;
  detail::finish(st, run_steps(st));
}

}  // namespace

void detail::finish(run_state& st, const std::optional<observation>& ending) {
  st.r.end = ending ? end_of(*ending) : session_end::answered;
  if (st.r.detail.empty()) st.r.detail = ending ? ending->describe() : "every step sent, none owed an answer";
  if (st.r.end != session_end::silent) return;
  if (!st.r.silence_is_targets) return drain_unconfirmed(st);
  if (answered_late(st)) return;
  // The ping is the executor's own: the finding keeps the program's last step.
  const auto last_phase = st.r.last_phase;
  const auto last_request = st.r.last_request;
  const auto last_answer = st.r.last_answer;
  if (answers_ping(st)) {
    st.r.end = session_end::answered;
    st.r.detail = "a step went unanswered; the session answered a ping after it";
  }
  st.r.last_phase = last_phase;
  st.r.last_request = last_request;
  st.r.last_answer = last_answer;
}

run_result detail::collect(run_state& st) {
  st.r.departures = st.oracle.departures();
  if (st.options.keep_traffic) {
    st.r.traffic.traffic = st.s.wire().take_traffic();
    st.r.traffic.initiator_port = st.s.wire().local_port();
    st.r.traffic.target_port = st.s.wire().remote_port();
  }
  st.s.wire().close();
  return std::move(st.r);
}

pdu::byte_buffer with_target_name(const pdu::byte_buffer& data, std::string_view name) {
  constexpr std::string_view placeholder = "$TARGET";
  pdu::byte_buffer out;
  out.reserve(data.size());
  for (std::size_t i = 0; i < data.size();) {
    if (data.size() - i >= placeholder.size() &&
        std::equal(placeholder.begin(), placeholder.end(), data.begin() + static_cast<std::ptrdiff_t>(i))) {
      out.insert(out.end(), name.begin(), name.end());
      i += placeholder.size();
    } else {
      out.push_back(data[i++]);
    }
  }
  return out;
}

run_result run_program(const program& p, const run_target& target, state_graph& graph, const run_options& options) {
  try {
    run_state st(p, target, graph, options);
    run_all(st);
    return detail::collect(st);
  } catch (const std::exception& e) {  // allocation failure: the run ends, the fuzzer goes on
    run_result r;
    r.end = session_end::closed;
    r.silence_is_targets = false;
    r.detail = std::string("the executor failed: ") + e.what();
    return r;
  }
}

}  // namespace touchstone::fuzz::net
