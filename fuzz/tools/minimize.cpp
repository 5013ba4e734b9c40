// Findings minimised at once in a campaign, and --minimize FILE.
#include "minimize.hpp"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "corpus.hpp"
#include "fuzz_options.hpp"
#include "touchstone/fuzz/net/group_executor.hpp"
#include "touchstone/fuzz/program_group.hpp"
#include "touchstone/fuzz/program_json.hpp"

namespace touchstone::fuzz::tool {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

ojson minimisation_json(const net::finding_minimisation& m, const std::string& program_file) {
  return {{"reproduced", m.reproduced},
          {"confirmed", m.confirmed},
          {"steps_before", m.steps_before},
          {"steps_after", m.steps_after},
          {"oracle_calls", m.oracle_calls},
          {"runs", m.runs},
          {"restarts", m.restarts},
          {"seconds", m.seconds},
          {"note", m.note},
          {"program", program_file}};
}

// finding.json in `dir` gains `key` (nothing when there is none).
void note_in_finding(const fs::path& dir, const ojson& value, const char* key = "minimised") {
  const auto file = dir / "finding.json";
  std::ifstream in(file, std::ios::binary);
  if (!in) return;
  auto doc = ojson::parse(in, nullptr, false);
  in.close();
  if (doc.is_discarded() || !doc.is_object()) return;
  doc[key] = value;
  std::ofstream(file, std::ios::binary | std::ios::trunc) << doc.dump(2) << "\n";
}

// A minimisation of a program or a group: what it did, the smallest as
// JSON, and for a group the sessions before and after.
struct minimised_any {
  net::finding_minimisation m;
  std::string smallest;
  std::optional<std::pair<std::size_t, std::size_t>> sessions;
};

minimised_any minimise_any(const program_group& g, const net::run_target& target, const net::signature& wanted,
                           const minimise_settings& s, bool down) {
  minimised_any out;
  if (g.sessions.size() == 1) {
    out.m = net::minimise_finding(g.sessions.front(), target, wanted, s.options, s.restart, down);
    out.smallest = save_json(out.m.smallest);
    return out;
  }
  auto gm = net::minimise_group_finding(g, target, wanted, s.options, s.restart, down);
  out.m = std::move(gm.m);
  out.smallest = save_json(gm.smallest);
  out.sessions = std::pair{gm.sessions_before, gm.sessions_after};
  return out;
}

ojson minimisation_json(const minimised_any& a, const std::string& program_file) {
  auto doc = minimisation_json(a.m, program_file);
  if (a.sessions) {
    doc["sessions_before"] = a.sessions->first;
    doc["sessions_after"] = a.sessions->second;
  }
  return doc;
}

bool write_program(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return static_cast<bool>(out);
}

std::string summary(const net::finding_minimisation& m) {
  char text[160];
  std::snprintf(
      text, sizeof text, "steps %zu -> %zu (%zu oracle calls, %llu runs, %llu restarts, %.1f s)",
      m.steps_before, m.steps_after, m.oracle_calls, static_cast<unsigned long long>(m.runs),
      static_cast<unsigned long long>(m.restarts), m.seconds);
  return m.note.empty() ? text : std::string(text) + "; " + m.note;
}

std::string summary(const minimised_any& a) {
  if (!a.sessions) return summary(a.m);
  return "sessions " + std::to_string(a.sessions->first) + " -> " + std::to_string(a.sessions->second) + ", " +
         summary(a.m);
}

// The finding finding.json names: its kind and requirement id (what
// same_finding compares), or nothing.
std::optional<net::signature> signature_in(const fs::path& finding_json) {
  std::ifstream in(finding_json, std::ios::binary);
  if (!in) return std::nullopt;
  const auto doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("kind") || !doc["kind"].is_string())
    return std::nullopt;
  for (const auto k : {net::finding_kind::crash, net::finding_kind::hang, net::finding_kind::stall,
                       net::finding_kind::protocol, net::finding_kind::integrity}) {
    if (doc["kind"] != net::name(k)) continue;
    net::signature s;
    s.kind = k;
    if (doc.contains("requirement") && doc["requirement"].is_string())
      s.requirement = doc["requirement"];
    return s;
  }
  return std::nullopt;
}

// Without finding.json: the finding one run gives, and whether that run
// left the target down. Liveness is judged after the run whatever its end,
// as --replay does (a target may die as the connection closes); its verdict
// (crash, hang, stall) comes before a protocol departure of the same run: a
// program that kills the target is minimised for that.
std::optional<net::signature> first_finding(const program_group& g, const net::run_target& target,
                                            const net::reproduce_options& o, bool& down) {
  net::state_graph scratch;
  const auto r = g.sessions.size() == 1 ? net::run_program(g.sessions.front(), target, scratch, o.run)
                                        : net::run_group(g, target, scratch, o.run).summary;
  const auto live = net::judge_liveness(target.config, net::judged_end(r), o.live);
  const auto found = net::signatures_of(r, &live);
  down = live.outcome == net::verdict::crash || live.outcome == net::verdict::hang;
  if (found.empty()) return std::nullopt;
  return found.back().kind == net::finding_kind::protocol ? found.front() : found.back();
}

std::string wanted_text(const net::signature& s) {
  return std::string(net::name(s.kind)) + (s.requirement.empty() ? "" : " " + s.requirement);
}

}  // namespace

std::optional<net::finding_minimisation> minimise_new_finding(
    const program& p, const net::finding& f, const fs::path& where, const net::run_target& target,
    const minimise_settings& s, std::ostream& out) {
  return minimise_new_finding(program_group{{p}, {}, {}}, f, where, target, s, out);
}

std::optional<net::finding_minimisation> minimise_new_finding(
    const program_group& g, const net::finding& f, const fs::path& where, const net::run_target& target,
    const minimise_settings& s, std::ostream& out) {
  if (s.options.budget.count() <= 0 ||
      !net::minimise_at_once(f.sig.kind, static_cast<bool>(s.restart)))
    return std::nullopt;
  // A crash or hang just left the target down: restart before the first run.
  const auto a = minimise_any(g, target, f.sig, s, net::needs_restart(f.sig.kind));
  std::string file;
  if (a.m.reproduced && write_program(where / "minimized.json", a.smallest)) file = "minimized.json";
  note_in_finding(where, minimisation_json(a, file));
  out << (a.m.reproduced ? "  minimised: " : "  not minimised: ") << summary(a) << "\n";
  return a.m;
}

bool needs_confirmation(net::finding_kind k) { return k == net::finding_kind::stall; }

bool confirm_new_finding(const program_group& g, const net::finding& f, const fs::path& where,
                         const std::optional<net::finding_minimisation>& m, const net::run_target& target,
                         const minimise_settings& s) {
  bool shown = false;
  if (m) {
    shown = m->reproduced;
  } else {
    net::reproducer again(target, f.sig, s.options.reproduce, s.restart);
    shown = g.sessions.size() == 1 ? again.reproduces(g.sessions.front()) : again.reproduces(g);
  }
  note_in_finding(where, shown, "confirmed");
  return shown;
}

std::function<void(const net::run_note&)> print_run_note(std::ostream& out) {
  return [&out](const net::run_note& n) {
    char text[200];
    std::snprintf(text, sizeof text, "  run %llu: %zu steps, %s%s%s, %s (restart %.2f s, run %.2f s, probes %.2f s)",
                  static_cast<unsigned long long>(n.run), n.steps, n.end.c_str(), n.verdict.empty() ? "" : ", ",
                  n.verdict.c_str(), n.shown ? "shown" : "not shown", n.restart_seconds, n.run_seconds,
                  n.live_seconds);
    out << text << std::endl;
  };
}

int minimize_file(const std::string& file, const std::string& out_file,
                  const net::run_target& target, const minimise_settings& s, std::ostream& out) {
  program_group g;
  std::string why;
  if (!load_group(file, g, why)) {
    out << "touchstone-fuzz: " << why << "\n";
    return exit_usage;
  }
  const fs::path dir = fs::path(file).parent_path();
  auto wanted = signature_in(dir / "finding.json");
  bool down = false;
  if (!wanted) {
    wanted = first_finding(g, target, s.options.reproduce, down);
    down = down || (s.options.reproduce.fresh_target && s.restart);  // that run met the target
  }
  if (!wanted) {
    out << file << ": no finding in one run: it did not reproduce\n";
    return exit_findings;
  }
  if (net::needs_restart(wanted->kind) && !s.restart) {
    out << "touchstone-fuzz: " << file << " stands for a " << net::name(wanted->kind)
        << ": minimising it needs a target touchstone-fuzz can restart (the embedded reference "
           "target)\n";
    return exit_usage;
  }
  out << file << ": minimising " << wanted_text(*wanted) << "\n";
  const auto a = minimise_any(g, target, *wanted, s, down);
  if (!a.m.reproduced) {
    out << file << ": it did not reproduce: " << a.m.note << "\n";
    return exit_findings;
  }
  const fs::path written = out_file.empty() ? dir / "minimized.json" : fs::path(out_file);
  if (!write_program(written, a.smallest)) {
    out << "touchstone-fuzz: cannot write " << written.string() << "\n";
    return exit_usage;
  }
  if (out_file.empty() || written.parent_path() == dir)
    note_in_finding(dir, minimisation_json(a, written.filename().string()));
  out << "  " << summary(a) << "\n  -> " << written.string() << "\n";
  return exit_clean;
}

}  // namespace touchstone::fuzz::tool
