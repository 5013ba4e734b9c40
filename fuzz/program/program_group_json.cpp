// A program group as JSON: {"format": "touchstone-session-group/1",
// "schedule": [...], "sessions": [<program>, ...]}, each session the very
// JSON of a program file. A group of one is written as its program, and a
// program file is read as a group of one, so single-session files load and
// save unchanged.
#include <nlohmann/json.hpp>

#include "json_nesting.hpp"
#include "touchstone/fuzz/program_group.hpp"

namespace touchstone::fuzz {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;
using group_result = result<program_group, load_error>;

group_result failed(std::string message) { return fail(load_error{std::move(message)}); }

std::optional<std::string> read_schedule(const json& doc, std::size_t sessions, std::vector<std::uint8_t>& out) {
  const auto it = doc.find("schedule");
  if (it == doc.end()) return std::string("schedule: missing");
  if (!it->is_array() || it->size() > max_schedule)
    return "schedule: expected an array of at most " + std::to_string(max_schedule) + " session indexes";
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& v = (*it)[i];
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() >= sessions)
      return "schedule[" + std::to_string(i) + "]: expected a session index from 0 to " +
             std::to_string(sessions - 1);
    out.push_back(static_cast<std::uint8_t>(v.get<std::uint64_t>()));
  }
  return std::nullopt;
}

std::optional<std::string> read_tsih_from(const json& doc, std::size_t sessions, std::vector<std::int8_t>& out) {
  const auto it = doc.find("tsih_from");
  if (it == doc.end()) return std::nullopt;
  if (!it->is_array() || it->size() != sessions)
    return "tsih_from: expected an array of " + std::to_string(sessions) + " entries";
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& v = (*it)[i];
    if (!v.is_number_integer() || v.get<std::int64_t>() < -1 || v.get<std::int64_t>() >= static_cast<std::int64_t>(i))
      return "tsih_from[" + std::to_string(i) + "]: expected -1 or an earlier session's index";
    out.push_back(static_cast<std::int8_t>(v.get<std::int64_t>()));
  }
  return std::nullopt;
}

group_result read_group(const json& doc) {
  const auto sessions = doc.find("sessions");
  if (sessions == doc.end()) return failed("sessions: missing");
  if (!sessions->is_array() || sessions->size() < 2 || sessions->size() > max_group_sessions)
    return failed("sessions: expected an array of 2 to " + std::to_string(max_group_sessions) + " programs");
  program_group g;
  for (std::size_t i = 0; i < sessions->size(); ++i) {
    auto p = load_json((*sessions)[i].dump());
    if (!p) return failed("sessions[" + std::to_string(i) + "]." + p.error().message);
    g.sessions.push_back(std::move(*p));
  }
  if (auto problem = read_schedule(doc, g.sessions.size(), g.schedule)) return failed(*problem);
  if (auto problem = read_tsih_from(doc, g.sessions.size(), g.tsih_from)) return failed(*problem);
  return g;
}

}  // namespace

std::string save_json(const program_group& g) {
  if (g.sessions.size() == 1) return save_json(g.sessions.front());
  ojson doc = ojson::object();
  doc["format"] = group_format;
  doc["schedule"] = g.schedule;
  if (!g.tsih_from.empty()) doc["tsih_from"] = g.tsih_from;
  doc["sessions"] = ojson::array();
  for (const auto& p : g.sessions) doc["sessions"].push_back(ojson::parse(save_json(p)));
  return doc.dump(2) + "\n";
}

group_result load_group_json(std::string_view text) {
  if (text.size() > max_program_json_bytes)
    return failed("(document): " + std::to_string(text.size()) + " bytes, at most " +
                  std::to_string(max_program_json_bytes));
  // A program file goes to the program loader as it is.
  if (text.find(group_format) == std::string_view::npos) {
    auto p = load_json(text);
    if (!p) return fail(p.error());
    return program_group{{std::move(*p)}, {}, {}};
  }
  // A group nests two levels deeper than its programs.
  if (!nesting_within(text, max_program_json_depth + 2))
    return failed("(document): nested deeper than " + std::to_string(max_program_json_depth + 2));
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("format") || doc["format"] != group_format) {
    auto p = load_json(text);
    if (!p) return fail(p.error());
    return program_group{{std::move(*p)}, {}, {}};
  }
  return read_group(doc);
}

}  // namespace touchstone::fuzz
