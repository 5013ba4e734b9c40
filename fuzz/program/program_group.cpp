// A program group's bounds and the order its turns are taken in.
#include <algorithm>

#include "touchstone/fuzz/program_group.hpp"

namespace touchstone::fuzz {

std::vector<std::uint8_t> turn_order(const program_group& g) {
  const auto n = std::min(g.sessions.size(), max_group_sessions);
  std::vector<std::size_t> left(n);
  for (std::size_t i = 0; i < n; ++i) left[i] = std::max<std::size_t>(1, g.sessions[i].steps.size());
  std::vector<std::uint8_t> order;
  for (const auto s : g.schedule) {
    if (s >= n || left[s] == 0) continue;
    --left[s];
    order.push_back(s);
  }
  for (std::size_t i = 0; i < n; ++i)
    order.insert(order.end(), left[i], static_cast<std::uint8_t>(i));
  return order;
}

std::string bound_violation(const program_group& g) {
  if (g.sessions.empty() || g.sessions.size() > max_group_sessions)
    return "sessions: " + std::to_string(g.sessions.size()) + " sessions, from 1 to " +
           std::to_string(max_group_sessions);
  if (g.schedule.size() > max_schedule)
    return "schedule: " + std::to_string(g.schedule.size()) + " turns, at most " + std::to_string(max_schedule);
  for (std::size_t i = 0; i < g.schedule.size(); ++i)
    if (g.schedule[i] >= g.sessions.size())
      return "schedule[" + std::to_string(i) + "]: session " + std::to_string(g.schedule[i]) +
             ", the group has " + std::to_string(g.sessions.size());
  if (!g.tsih_from.empty() && g.tsih_from.size() != g.sessions.size())
    return "tsih_from: " + std::to_string(g.tsih_from.size()) + " entries, one per session";
  for (std::size_t i = 0; i < g.tsih_from.size(); ++i)
    if (g.tsih_from[i] < -1 || g.tsih_from[i] >= static_cast<int>(i))
      return "tsih_from[" + std::to_string(i) + "]: " + std::to_string(g.tsih_from[i]) +
             ", -1 or an earlier session";
  for (std::size_t i = 0; i < g.sessions.size(); ++i)
    if (auto v = bound_violation(g.sessions[i]); !v.empty()) return "sessions[" + std::to_string(i) + "]." + v;
  return {};
}

void clamp_to_bounds(program_group& g) {
  if (g.sessions.size() > max_group_sessions) g.sessions.resize(max_group_sessions);
  if (g.sessions.empty()) g.sessions.emplace_back();
  for (auto& p : g.sessions) clamp_to_bounds(p);
  const auto n = g.sessions.size();
  std::erase_if(g.schedule, [n](std::uint8_t s) { return s >= n; });
  if (g.schedule.size() > max_schedule) g.schedule.resize(max_schedule);
  if (!g.tsih_from.empty()) g.tsih_from.resize(n, -1);
  for (std::size_t i = 0; i < g.tsih_from.size(); ++i)
    if (g.tsih_from[i] < -1 || g.tsih_from[i] >= static_cast<int>(i)) g.tsih_from[i] = -1;
}

program all_steps(const program_group& g) {
  program all;
  if (!g.sessions.empty()) all.login = g.sessions.front().login;
  for (const auto& s : g.sessions) all.steps.insert(all.steps.end(), s.steps.begin(), s.steps.end());
  return all;
}

}  // namespace touchstone::fuzz
