#include "describe.hpp"

#include <fmt/format.h>

#include <bit>

#include "field_tables.hpp"
#include "touchstone/pdu/all.hpp"

namespace touchstone::pdu_tool {
namespace {

using namespace touchstone::pdu;

std::uint64_t load(const bhs_view& h, const field_spec& f) {
  if (f.width == 0) return (h.u8(f.offset) & f.mask) >> std::countr_zero(f.mask);
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < f.width; ++i) v = (v << 8) | h.u8(f.offset + i);
  return v;
}

unsigned hex_digits(const field_spec& f) {
  return f.width == 0 ? 2u : 2u * f.width;
}

field_value decode(const bhs_view& h, const field_spec& f) {
  field_value out{std::string(f.name), load(h, f), f.style, hex_digits(f), {}};
  if (f.namer) out.meaning = std::string(f.namer(out.value));
  return out;
}

void add_ahs(const pdu::pdu& p, std::vector<detail>& out) {
  if (p.ahs.empty()) return;
  const auto segments = parse_ahs(p.ahs);
  if (!segments) {
    out.push_back({"AHS", fmt::format("malformed ({}): {}", name(segments.error()), hex_bytes(p.ahs))});
    return;
  }
  std::size_t i = 0;
  for (const auto& s : *segments) {
    const auto type = ahs_type_name(s.code());
    out.push_back({fmt::format("AHS[{}]", i++),
                   fmt::format("AHSType {}{}{} AHSLength {} body {}", s.raw_type,
                               type.empty() ? "" : " ", type, s.length, hex_bytes(s.body))});
  }
}

void add_cdb(const pdu::pdu& p, std::vector<detail>& out) {
  const scsi_command_view v{p};
  if (const auto cdb = v.full_cdb()) out.push_back({"CDB", hex_bytes(*cdb)});
  const auto bidi = v.bidirectional_read_length();
  if (bidi && bidi->has_value())
    out.push_back({"BidiReadExpectedDataTransferLength", std::to_string(**bidi)});
}

// SCSI Response and Async Message: SenseLength, sense, then trailing data.
void add_sense(const pdu::pdu& p, std::string_view trailing_name, std::vector<detail>& out) {
  if (p.data.empty()) return;
  const auto s = parse_sense_segment(p.data);
  if (!s) {
    out.push_back({"SenseSegment", fmt::format("malformed ({})", name(s.error()))});
    return;
  }
  out.push_back({"SenseLength", std::to_string(s->sense.size())});
  if (!s->sense.empty()) out.push_back({"SenseData", hex_bytes(s->sense)});
  if (!s->trailing.empty()) out.push_back({std::string(trailing_name), hex_bytes(s->trailing)});
}

void add_rejected_header(const pdu::pdu& p, std::vector<detail>& out) {
  const reject_view v{p};
  const auto h = v.rejected_header();
  if (!h) {
    out.push_back({"RejectedHeader", fmt::format("absent ({} data bytes, a BHS needs 48)", p.data.size())});
    return;
  }
  out.push_back({"RejectedHeader",
                 fmt::format("{} (0x{:02x}) ITT 0x{:08x} TotalAHSLength {}{}", code_name(h->raw_opcode()),
                             h->raw_opcode(), h->initiator_task_tag(), h->total_ahs_length(),
                             v.holds_complete_header() ? "" : " (AHS incomplete)")});
}

bool carries_text(std::uint8_t code) {
  const auto op = static_cast<opcode>(code);
  return op == opcode::login_request || op == opcode::login_response ||
         op == opcode::text_request || op == opcode::text_response;
}

void add_data(const pdu::pdu& p, std::vector<detail>& out) {
  const auto code = p.header().raw_opcode();
  switch (static_cast<opcode>(code)) {
    case opcode::scsi_command: add_cdb(p, out); break;
    case opcode::scsi_response: add_sense(p, "ResponseData", out); return;
    case opcode::async_message: add_sense(p, "EventData", out); return;
    case opcode::reject: add_rejected_header(p, out); return;
    default: break;
  }
  if (!p.data.empty() && !carries_text(code)) out.push_back({"Data", hex_bytes(p.data, 32)});
}

void add_padding(const pdu::pdu& p, std::vector<detail>& out) {
  const auto pad = bytes_view{p.padding}.first(padding_of(p.data.size()));
  if (!pad.empty()) out.push_back({"Padding", hex_bytes(pad)});
}

}  // namespace

std::vector<field_value> describe_fields(const pdu::pdu& p) {
  const auto h = p.header();
  std::vector<field_value> out;
  for (const auto& f : common_fields()) out.push_back(decode(h, f));
  out.front().meaning = std::string(code_name(h.raw_opcode()));
  for (const auto& f : opcode_fields(h.raw_opcode())) out.push_back(decode(h, f));
  return out;
}

std::vector<detail> describe_details(const pdu::pdu& p) {
  std::vector<detail> out;
  add_ahs(p, out);
  add_data(p, out);
  add_padding(p, out);
  return out;
}

std::string render_value(const field_value& f) {
  switch (f.style) {
    case value_style::hex: return fmt::format("0x{:0{}x}", f.value, f.hex_digits);
    case value_style::bit:
    case value_style::decimal: break;
  }
  return std::to_string(f.value);
}

std::string hex_bytes(pdu::bytes_view bytes, std::size_t max) {
  std::string out;
  const std::size_t n = std::min(bytes.size(), max);
  for (std::size_t i = 0; i < n; ++i) fmt::format_to(std::back_inserter(out), "{}{:02x}", i ? " " : "", bytes[i]);
  if (n < bytes.size()) fmt::format_to(std::back_inserter(out), " ... ({} bytes)", bytes.size());
  return out;
}

}  // namespace touchstone::pdu_tool
