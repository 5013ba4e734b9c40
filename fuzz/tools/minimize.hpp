// Findings minimised, at once in a campaign and afterwards on a file.
//
// A campaign minimises every new distinct finding at once when its kind
// allows (net::minimise_at_once: protocol and stall always, crash and hang
// when the target can be restarted) and --minimize-budget is above 0. The
// finding's folder then holds program.json (as found), minimized.json (the
// smallest program that still reproduces it, confirmed 2 of 3 runs; not
// written when nothing smaller was confirmed), and finding.json gains a
// "minimised" object: reproduced, confirmed, steps_before, steps_after,
// oracle_calls, runs, restarts, seconds, note, program.
//
// --minimize FILE [--out FILE] does the same on a program file afterwards.
// The finding it stands for comes from the finding.json beside FILE (kind
// and requirement id); without one it is the finding one run of FILE
// gives, liveness judged after it (a crash, hang or stall before a
// departure of the same run). Exit status: 0 minimised (steps before and after printed), 1 it
// did not reproduce, 2 a set-up error (FILE not a program, a crash or hang
// finding with a target that cannot be restarted, OUT not writable).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "touchstone/fuzz/net/findings.hpp"
#include "touchstone/fuzz/net/reproduce.hpp"

namespace touchstone::fuzz::tool {

struct minimise_settings {
  net::minimise_finding_options options;  // budget 0: no minimisation in a campaign
  std::function<bool()> restart;          // empty: the target cannot be restarted
};

// Minimises a finding just written to `where` (program p gave it), when its
// kind allows; what it did, or nothing when it was not tried.
std::optional<net::finding_minimisation> minimise_new_finding(
    const program& p, const net::finding& f, const std::filesystem::path& where,
    const net::run_target& target, const minimise_settings& s, std::ostream& out);

// The same for a finding a program group gave (sessions dropped first);
// minimized.json holds the smallest group (a program when one session is
// left), and "minimised" gains sessions_before and sessions_after.
std::optional<net::finding_minimisation> minimise_new_finding(
    const program_group& g, const net::finding& f, const std::filesystem::path& where,
    const net::run_target& target, const minimise_settings& s, std::ostream& out);

// A stall is judged by deadlines, and a loaded machine (the fuzzer's jobs,
// the target and anything else on its cores) can miss one without any fault
// of the target's. So a stall counts as a finding only when a replay shows
// it again (reproduce_options: needed of runs); otherwise the campaign
// reports it as unconfirmed.
bool needs_confirmation(net::finding_kind k);
// Whether `f` shows again: the at-once minimisation's answer when it ran
// (m), else the replays of the reproducer alone. finding.json in `where`
// gains "confirmed".
bool confirm_new_finding(const program_group& g, const net::finding& f, const std::filesystem::path& where,
                         const std::optional<net::finding_minimisation>& m, const net::run_target& target,
                         const minimise_settings& s);

// --minimize-trace: one line per run of the reproducer on `out`.
std::function<void(const net::run_note&)> print_run_note(std::ostream& out);

// --minimize FILE (a program or a group file): the exit status above.
int minimize_file(const std::string& file, const std::string& out_file,
                  const net::run_target& target, const minimise_settings& s, std::ostream& out);

}  // namespace touchstone::fuzz::tool
