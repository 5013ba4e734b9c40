// Describes one decoded PDU for the touchstone-pdu printer: every BHS field
// by name (from one table per opcode), then the parts that are not BHS
// fields (AHS segments, CDB, sense data, rejected header, data preview).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "touchstone/pdu/pdu.hpp"

namespace touchstone::pdu_tool {

enum class value_style : std::uint8_t { decimal, hex, bit };

// One BHS field as decoded: its number and how to show it.
struct field_value {
  std::string name;
  std::uint64_t value = 0;
  value_style style = value_style::decimal;
  unsigned hex_digits = 0;  // for hex: the field's width in hex digits
  std::string meaning;      // the value's name, when the RFC gives it one
};

// A labelled line that is not a BHS field (AHS segment, CDB, sense, ...).
struct detail {
  std::string name;
  std::string text;
};

// The BHS fields of p, the common ones first, in wire order.
std::vector<field_value> describe_fields(const pdu::pdu& p);

// The AHS segments, CDB, sense data, rejected header and a data preview.
std::vector<detail> describe_details(const pdu::pdu& p);

// "0x0000002a" for a 4-byte field, etc.
std::string render_value(const field_value& f);

// Space-separated hex of at most max bytes, with "..." when cut.
std::string hex_bytes(pdu::bytes_view bytes, std::size_t max = 64);

}  // namespace touchstone::pdu_tool
