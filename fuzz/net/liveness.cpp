// The liveness classifier (a transition table over probe results) and the
// loop that probes a target until it decides.
#include <algorithm>
#include <thread>

#include "touchstone/fuzz/net/liveness.hpp"

namespace touchstone::fuzz::net {

std::string_view name(session_end e) {
  switch (e) {
    case session_end::answered: return "answered";
    case session_end::closed: return "closed";
    case session_end::silent: return "silent";
    case session_end::stream_error: return "stream error";
  }
  return "?";
}

std::string_view name(probe_result r) {
  switch (r) {
    case probe_result::served: return "served";
    case probe_result::refused: return "refused";
    case probe_result::dropped: return "dropped";
    case probe_result::stalled: return "stalled";
  }
  return "?";
}

std::string_view name(verdict v) {
  switch (v) {
    case verdict::pending: return "pending";
    case verdict::ok: return "ok";
    case verdict::crash: return "crash";
    case verdict::hang: return "hang";
    case verdict::stall: return "stall";
  }
  return "?";
}

session_end end_of(const conformance::observation& last) {
  using conformance::observed;
  switch (last.what) {
    case observed::pdu: return session_end::answered;
    case observed::timeout: return session_end::silent;
    case observed::closed: case observed::io_error: return session_end::closed;
    case observed::stream_error: case observed::data_digest_error: return session_end::stream_error;
  }
  return session_end::closed;
}

liveness_classifier::liveness_classifier(session_end fuzzed, liveness_options o)
    : fuzzed_(fuzzed), options_(o) {
  options_.probes = std::max(2, options_.probes);  // a span needs two probes
}

// Rows: the state; columns: served, refused, dropped, stalled. A served
// probe ends it; a stall, once seen, keeps the target from counting as
// crashed (something still accepts connections).
liveness_classifier::state liveness_classifier::next(state s, probe_result r) {
  static constexpr state table[4][4] = {
      /* fresh    */ {state::served, state::refusing, state::refusing, state::stalling},
      /* refusing */ {state::served, state::refusing, state::refusing, state::stalling},
      /* stalling */ {state::served, state::stalling, state::stalling, state::stalling},
      /* served   */ {state::served, state::served, state::served, state::served},
  };
  return table[static_cast<int>(s)][static_cast<int>(r)];
}

verdict liveness_classifier::on_probe(probe_result r, conformance::clock::time_point when) {
  if (verdict_ != verdict::pending) return verdict_;
  if (probes_++ == 0) first_ = when;
  state_ = next(state_, r);
  if (state_ == state::served)
    return verdict_ = fuzzed_ == session_end::silent ? verdict::stall : verdict::ok;
  if (probes_ < options_.probes || when - first_ < options_.span) return verdict_;
  return verdict_ = state_ == state::refusing ? verdict::crash : verdict::hang;
}

namespace {

// Until `until`, or less when o.gone says the target's process exited.
bool gone_before(conformance::clock::time_point until, const liveness_options& o) {
  if (!o.gone) {
    std::this_thread::sleep_until(until);
    return false;
  }
  constexpr milliseconds poll{20};
  for (;;) {
    if (o.gone()) return true;
    const auto now = conformance::clock::now();
    if (now >= until) return false;
    std::this_thread::sleep_for(std::min<conformance::clock::duration>(poll, until - now));
  }
}

}  // namespace

liveness_report judge_liveness(const conformance::target_config& target, session_end fuzzed,
                               const liveness_options& o) {
  liveness_classifier c(fuzzed, o);
  liveness_report report;
  const int n = std::max(2, o.probes);
  const auto first = conformance::clock::now();
  for (int i = 0; i < n && c.current() == verdict::pending; ++i) {
    const auto start = first + o.span * i / (n - 1);
    if (i > 0 && gone_before(start, o)) {
      report.outcome = verdict::crash;
      report.summary = liveness_summary(verdict::crash, fuzzed, report.probes) + "; the target process exited";
      return report;
    }
    const auto when = std::max(start, conformance::clock::now());
    report.probes.push_back(probe(target, o.step_deadline));
    c.on_probe(report.probes.back().result, when);
  }
  report.outcome = c.current();
  report.summary = liveness_summary(report.outcome, fuzzed, report.probes);
  return report;
}

std::string liveness_summary(verdict outcome, session_end fuzzed, const std::vector<probe_outcome>& probes) {
  auto summary = std::string(name(outcome)) + ": the session ended " + std::string(name(fuzzed)) + "; probes:";
  for (const auto& p : probes) summary += " " + std::string(name(p.result)) + " (" + p.step + ")";
  return summary;
}

}  // namespace touchstone::fuzz::net
