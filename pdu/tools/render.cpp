#include "render.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "touchstone/pdu/opcode.hpp"

namespace touchstone::pdu_tool {
namespace {

constexpr int name_width = 28;

std::string field_line(const field_value& f) {
  auto line = fmt::format("  {:<{}} {}", f.name, name_width, render_value(f));
  if (!f.meaning.empty()) line += fmt::format(" ({})", f.meaning);
  return line;
}

void print_violations(const pdu::violations& vs, std::FILE* out) {
  if (vs.empty()) {
    fmt::print(out, "  violations: none\n");
    return;
  }
  fmt::print(out, "  violations: {}\n", vs.size());
  for (const auto& v : vs) fmt::print(out, "    [{}] {}: {}\n", pdu::name(v.level), v.requirement, v.summary);
}

void print_pdu(std::size_t index, const pdu_report& p, std::FILE* out) {
  const auto& opcode = p.fields.front();
  fmt::print(out, "PDU {} at offset {} ({} bytes): {} (0x{:02x})\n", index, p.offset, p.wire_size,
             opcode.meaning, opcode.value);
  for (const auto& f : p.fields) fmt::print(out, "{}\n", field_line(f));
  for (const auto& d : p.details) fmt::print(out, "  {:<{}} {}\n", d.name, name_width, d.text);
  if (p.pairs) {
    fmt::print(out, "  key=value pairs: {}\n", p.pairs->size());
    for (const auto& kv : *p.pairs) fmt::print(out, "    {}={}\n", kv.key, kv.value);
  }
  if (!p.text_note.empty()) fmt::print(out, "  {}\n", p.text_note);
  print_violations(p.violations, out);
}

nlohmann::json field_json(const field_value& f) {
  nlohmann::json j{{"name", f.name}, {"value", f.value}};
  if (f.style == value_style::hex) j["hex"] = render_value(f);
  if (!f.meaning.empty()) j["meaning"] = f.meaning;
  return j;
}

nlohmann::json pdu_json(const pdu_report& p) {
  nlohmann::json j{{"offset", p.offset},
                   {"wire_size", p.wire_size},
                   {"opcode", p.fields.front().value},
                   {"opcode_name", p.fields.front().meaning}};
  auto& fields = j["fields"] = nlohmann::json::array();
  for (const auto& f : p.fields) fields.push_back(field_json(f));
  auto& details = j["details"] = nlohmann::json::object();
  for (const auto& d : p.details) details[d.name] = d.text;
  if (p.pairs) {
    auto& pairs = j["key_values"] = nlohmann::json::array();
    for (const auto& kv : *p.pairs) pairs.push_back({{"key", kv.key}, {"value", kv.value}});
  }
  if (!p.text_note.empty()) j["text_note"] = p.text_note;
  auto& vs = j["violations"] = nlohmann::json::array();
  for (const auto& v : p.violations)
    vs.push_back({{"requirement", v.requirement}, {"severity", pdu::name(v.level)}, {"summary", v.summary}});
  return j;
}

}  // namespace

void print_text(const stream_report& r, std::FILE* out, std::FILE* err) {
  for (std::size_t i = 0; i < r.pdus.size(); ++i) print_pdu(i, r.pdus[i], out);
  fmt::print(out, "{} PDU(s), {} bytes\n", r.pdus.size(), r.input_size);
  if (r.error) fmt::print(err, "touchstone-pdu: error: {}\n", r.error->message);
}

void print_json(const stream_report& r, std::FILE* out) {
  nlohmann::json doc{{"input_size", r.input_size}, {"pdus", nlohmann::json::array()}, {"error", nullptr}};
  for (const auto& p : r.pdus) doc["pdus"].push_back(pdu_json(p));
  if (r.error)
    doc["error"] = {{"kind", r.error->kind},
                    {"offset", r.error->offset},
                    {"pdu_offset", r.error->pdu_offset},
                    {"message", r.error->message}};
  // Key=value text off the wire need not be UTF-8: replace, never throw.
  fmt::print(out, "{}\n", doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace touchstone::pdu_tool
