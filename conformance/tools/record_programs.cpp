// --record: the traffic of a case's first connection through
// touchstone::fuzz::program_from_traffic into a JSON file per case.
#include "record_programs.hpp"

#include <fstream>

#include "touchstone/conformance/context.hpp"
#include "touchstone/fuzz/from_traffic.hpp"
#include "touchstone/fuzz/program_json.hpp"

namespace touchstone::conformance {
namespace {

std::string file_name(std::string_view id) {
  std::string file(id);
  for (auto& ch : file)
    if (ch == '/' || ch == '\\') ch = '_';
  return file + ".json";
}

std::string record_case(const std::string& dir, const registered_case& c, const case_context& ctx) {
  if (ctx.sessions().empty()) return {};
  const auto& wire = ctx.sessions().front()->wire();
  if (wire.traffic().empty()) return {};
  std::vector<fuzz::traffic_write> traffic;
  traffic.reserve(wire.traffic().size());
  for (const auto& chunk : wire.traffic()) traffic.push_back({chunk.from_initiator, pdu::bytes_view{chunk.bytes}});
  const auto recorded = fuzz::program_from_traffic(traffic, {ctx.target().target_name});
  const auto path = dir + "/" + file_name(c.info.id);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << fuzz::save_json(recorded.prog);
  out.close();
  if (!out) return "no program written to " + path;
  std::string note;
  for (const auto& n : recorded.notes) note += (note.empty() ? "" : "; ") + n;
  return note.empty() ? note : path + ": " + note;
}

}  // namespace

std::function<std::string(const registered_case&, const case_context&)> program_recorder(std::string dir) {
  return [dir = std::move(dir)](const registered_case& c, const case_context& ctx) { return record_case(dir, c, ctx); };
}

}  // namespace touchstone::conformance
