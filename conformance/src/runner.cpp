// The runner: needs, isolation, timing, probes.
#include "touchstone/conformance/runner.hpp"

#include <signal.h>

#include <algorithm>
#include <thread>

#include "isolation.hpp"
#include "touchstone/conformance/context.hpp"
#include "touchstone/conformance/pcap_writer.hpp"
#include "touchstone/conformance/requests.hpp"

namespace touchstone::conformance {

namespace {

std::optional<verdict> unmet_needs(const registered_case& c, const target_config& target) {
  for (const auto n : c.info.needs)
    if (!has(target, n)) return verdict::skip(missing_reason(target, n));
  return std::nullopt;
}

timing times_for(const run_options& o) {
  timing t;
  t.wait = o.wait;
  t.silence = o.silence;
  t.hard = clock::now() + o.timeout;
  return t;
}

bool wants_capture(const case_result& r, const run_options& o) {
  if (o.pcap_dir.empty()) return false;
  return o.pcap_all || r.outcome.kind == verdict_kind::fail || r.outcome.kind == verdict_kind::error;
}

// The case's connections as one pcap, written where the case ran (the
// traffic lives in that process); a problem writing it joins the message.
void write_capture(case_result& r, const case_context& ctx, const run_options& o) {
  pcap_capture capture;
  const auto addresses = capture_addresses(ctx.target().portal.host);
  for (const auto& s : ctx.sessions())
    capture.add_connection(s->wire().traffic(), s->wire().local_port(), s->wire().remote_port(), addresses);
  if (capture.connections() == 0) return;
  std::string file(r.which->info.id);
  for (auto& ch : file)
    if (ch == '/' || ch == '\\') ch = '_';
  const auto path = o.pcap_dir + "/" + file + ".pcap";
  std::string why;
  if (capture.write(path, why)) r.capture = path;
  else r.outcome.message += " (no capture: " + why + ")";
}

// The case itself, in whatever process runs it.
case_result run_body(const registered_case& c, const target_config& target,
                     const run_options& options) {
  case_result r;
  r.which = &c;
  case_context ctx(target, times_for(options));
  r.outcome = c.run(ctx);
  if (clock::now() >= ctx.times().hard && r.outcome.kind != verdict_kind::pass)
    r.outcome = verdict::error("the case reached its timeout; " + r.outcome.message);
  for (const auto& v : ctx.violations())
    r.target_violations.push_back("[" + std::string(pdu::name(v.rule.level)) + "] " +
                                  std::string(v.rule.requirement) + ": " +
                                  std::string(v.rule.summary) + " in " + v.pdu);
  if (wants_capture(r, options)) write_capture(r, ctx, options);
  if (options.record) r.record_note = options.record(c, ctx);
  return r;
}

double seconds_since(clock::time_point start) {
  return std::chrono::duration<double>(clock::now() - start).count();
}

// A second probe after a pause: a target busy cleaning up gets a chance.
bool target_answers_after_pause(const target_config& target, const run_options& options,
                                std::string& why) {
  std::this_thread::sleep_for(std::chrono::seconds(2));
  return target_answers(target, options, why);
}

}  // namespace

void note_stop(run_summary& summary, const std::vector<const registered_case*>& cases, std::size_t at,
               const std::vector<std::size_t>& beside, std::size_t first_unstarted, const std::string& why) {
  auto text = "the target stopped answering after " + std::string(cases[at]->info.id) + " (running when it went away";
  for (const auto i : beside) text += ", with " + std::string(cases[i]->info.id);
  text += at > 0 ? "; the case before it: " + std::string(cases[at - 1]->info.id) : "; the first case";
  summary.stopped = text + "): " + why;
  summary.not_run.assign(cases.begin() + static_cast<std::ptrdiff_t>(std::min(first_unstarted, cases.size())),
                         cases.end());
}

case_result run_case(const registered_case& c, const target_config& target,
                     const run_options& options) {
  const auto start = clock::now();
  // A CHAP case the target under test has no credentials for goes to its
  // CHAP stand-in when there is one.
  const auto chosen = target_for(target, c.info.needs);
  if (auto skipped = unmet_needs(c, chosen)) return {&c, *skipped, 0, {}, {}, {}};
  case_result r;
  if (options.isolate) {
    // The child gets a little longer than the case's own deadline, so that a
    // case cut by its deadline still reports what it saw.
    r = run_isolated([&] { return run_body(c, chosen, options); }, options.timeout + milliseconds{2000});
  } else {
    r = run_body(c, chosen, options);
  }
  r.which = &c;
  r.seconds = seconds_since(start);
  return r;
}

bool target_answers(const target_config& target, const run_options& options, std::string& why) {
  case_context ctx(target, times_for(options));
  auto* s = ctx.logged_in();
  if (!s) {
    why = ctx.setup_error().message;
    return false;
  }
  const auto ping = ping_request(*s);
  (void)s->send(ping);
  const auto seen = await_itt(*s, ping.header().initiator_task_tag());
  if (!seen.is(pdu::opcode::nop_in)) {
    why = "a fresh session's ping got " + seen.describe();
    return false;
  }
  // The ping's answer is the verdict; the close after Logout is not waited
  // for (a target that never sends it cost a broken target's run 225 of
  // its 366 s, one full answer wait after every error).
  (void)logout(*s, pdu::logout_reason::close_session, after_logout::leave);
  return true;
}

run_summary run_cases(const std::vector<const registered_case*>& cases, const target_config& target,
                      const run_options& options, const run_events& events) {
  ::signal(SIGPIPE, SIG_IGN);
  if (options.jobs > 1 && options.isolate) return run_cases_parallel(cases, target, options, events);
  run_summary summary;
  const auto start = clock::now();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (events.started) events.started(*cases[i], i, cases.size());
    auto r = run_case(*cases[i], target, options);
    if (events.finished) events.finished(r, i, cases.size());
    const bool errored = r.outcome.kind == verdict_kind::error;
    summary.results.push_back(std::move(r));
    std::string why;
    if (errored && options.probe_after_error && !target_answers(target, options, why) &&
        !target_answers_after_pause(target, options, why)) {
      note_stop(summary, cases, i, {}, i + 1, why);
      break;
    }
  }
  summary.seconds = seconds_since(start);
  return summary;
}

}  // namespace touchstone::conformance
