// The compact binary form of a program group (program_group_binary.hpp).
#include "touchstone/fuzz/program_group_binary.hpp"

#include <algorithm>
#include <string>

#include "touchstone/fuzz/program_binary.hpp"

#include "binary_io.hpp"

namespace touchstone::fuzz {
namespace {

using binary_io::put;

bool has_magic(std::span<const std::uint8_t> bytes, const std::uint8_t (&magic)[4]) {
  return bytes.size() >= sizeof magic && std::equal(std::begin(magic), std::end(magic), bytes.begin());
}

result<program_group, load_error> refused(std::string what) { return fail(load_error{std::move(what)}); }

}  // namespace

std::vector<std::uint8_t> save_binary(const program_group& g) {
  if (g.sessions.size() == 1) return save_binary(g.sessions.front());
  std::vector<std::uint8_t> out(std::begin(group_binary_magic), std::end(group_binary_magic));
  put(out, g.sessions.size(), 1);
  put(out, g.schedule.size(), 2);
  out.insert(out.end(), g.schedule.begin(), g.schedule.end());
  put(out, g.tsih_from.size(), 1);
  for (const auto from : g.tsih_from) put(out, static_cast<std::uint8_t>(from), 1);
  for (const auto& p : g.sessions) {
    const auto member = save_binary(p);
    put(out, member.size(), 4);
    out.insert(out.end(), member.begin(), member.end());
  }
  return out;
}

result<program_group, load_error> load_group_binary(std::span<const std::uint8_t> bytes) {
  if (has_magic(bytes, program_binary_magic)) {
    auto p = load_binary(bytes);
    if (!p) return fail(p.error());
    return program_group{{std::move(*p)}, {}, {}};
  }
  if (!has_magic(bytes, group_binary_magic))
    return refused("not a binary session program or group (no TSP1 or TSG1 magic)");
  binary_io::reader c{bytes.subspan(sizeof group_binary_magic), {}};
  const auto sessions = c.num(1, "sessions");
  if (!c.error && (sessions < 2 || sessions > max_group_sessions))
    return refused("sessions: " + std::to_string(sessions) + ", from 2 to " + std::to_string(max_group_sessions));
  const auto turns = c.num(2, "schedule");
  if (!c.error && turns > max_schedule)
    return refused("schedule: " + std::to_string(turns) + " turns, at most " + std::to_string(max_schedule));
  const auto schedule = c.view(turns, "schedule");
  const auto froms = c.num(1, "tsih_from");
  if (!c.error && froms != 0 && froms != sessions)
    return refused("tsih_from: " + std::to_string(froms) + " entries, 0 or one per session");
  const auto tsih_from = c.view(froms, "tsih_from");
  if (c.error) return refused("group header: input ends early");
  program_group g;
  g.schedule.assign(schedule.begin(), schedule.end());
  for (const auto b : tsih_from) g.tsih_from.push_back(static_cast<std::int8_t>(b));
  for (std::uint64_t i = 0; i < sessions; ++i) {
    const auto member = c.view(c.num(4, "session length"), "session");
    if (c.error) return refused("sessions[" + std::to_string(i) + "]: input ends early");
    auto p = load_binary(member);
    if (!p) return refused("sessions[" + std::to_string(i) + "]: " + p.error().message);
    g.sessions.push_back(std::move(*p));
  }
  if (!c.in.empty()) return refused(std::to_string(c.in.size()) + " bytes after the last session");
  if (auto bad = bound_violation(g); !bad.empty()) return refused(bad);
  return g;
}

}  // namespace touchstone::fuzz
