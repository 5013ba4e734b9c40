// Writes a program as annotated JSON: names and field values for people, the
// raw hex (bhs, ahs, data, padding) for the loader.
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "hex.hpp"
#include "touchstone/fuzz/bhs_fields.hpp"
#include "touchstone/fuzz/program_json.hpp"
#include "touchstone/pdu/opcode.hpp"
#include "touchstone/pdu/text.hpp"

namespace touchstone::fuzz {
namespace {

using ojson = nlohmann::ordered_json;

std::string hex_number(std::uint64_t v, int digits) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(v));
  return buf;
}

std::string opcode_label(std::uint8_t code) {
  return std::string(pdu::code_name(code)) + " (" + hex_number(code, 2) + ")";
}

// Every named field; reserved areas only when something is set in them.
ojson field_values(const pdu::bhs_bytes& bhs) {
  ojson out = ojson::object();
  for (const auto& f : fields_of(bhs[0] & pdu::opcode_mask)) {
    const auto v = get_field(bhs, f);
    if (f.reserved && v == 0) continue;
    if (f.width > 32)
      out[std::string(f.name)] = hex_number(v, (f.width + 3) / 4);
    else
      out[std::string(f.name)] = v;
  }
  return out;
}

// Login and Text data as key=value lines, when it parses as text.
void add_text(ojson& out, const pdu::pdu& p) {
  const auto op = p.op();
  if (op != pdu::opcode::login_request && op != pdu::opcode::text_request) return;
  if (p.data.empty()) return;
  auto pairs = pdu::parse_text(pdu::bytes_view{p.data});
  if (!pairs) return;
  ojson lines = ojson::array();
  for (const auto& kv : *pairs) lines.push_back(kv.key + "=" + kv.value);
  out["text"] = std::move(lines);
}

ojson pdu_json(const pdu::pdu& p) {
  ojson out = ojson::object();
  out["opcode"] = opcode_label(p.bhs[0] & pdu::opcode_mask);
  out["fields"] = field_values(p.bhs);
  add_text(out, p);
  out["bhs"] = hex::encode(p.bhs);
  out["ahs"] = hex::encode(p.ahs);
  out["data"] = hex::encode(p.data);
  out["padding"] = hex::encode(p.padding);
  return out;
}

ojson send_json(const send_plan& s) {
  ojson out = ojson::object();
  out["digests"] = name(s.digests);
  out["splits"] = s.splits;
  out["delay_ms"] = s.delay_ms;
  out["numbering"] = name(s.numbers);
  out["wait_answer"] = s.wait_answer;
  return out;
}

ojson login_json(const login_plan& l) {
  ojson out = ojson::object();
  out["kind"] = name(l.kind);
  out["chap"] = l.chap;
  out["isid"] = hex_number(l.isid, 12);
  out["tsih"] = l.tsih;
  out["cid"] = l.cid;
  ojson offers = ojson::array();
  for (const auto& kv : l.offers) offers.push_back(ojson{{"key", kv.key}, {"value", kv.value}});
  out["offers"] = std::move(offers);
  return out;
}

}  // namespace

std::string save_json(const program& p) {
  ojson doc = ojson::object();
  doc["format"] = program_format;
  doc["login"] = login_json(p.login);
  ojson steps = ojson::array();
  for (const auto& s : p.steps) steps.push_back(ojson{{"pdu", pdu_json(s.pdu)}, {"send", send_json(s.send)}});
  doc["steps"] = std::move(steps);
  // replace: a key or value that is not UTF-8 must not throw (the generator
  // writes ASCII; a hand-made program may not).
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace touchstone::fuzz
