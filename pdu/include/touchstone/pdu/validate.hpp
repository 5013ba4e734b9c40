// The strict validator: checks one decoded PDU against RFC 7143 section 11 and
// returns every violation, each naming the requirement it breaks.
//
// Two sides of section 11 meet here: a sender MUST zero reserved fields, but a
// receiver MUST ignore them. A set reserved field is therefore reported with
// severity::reserved_field (a sender violation to log), never as a reason to
// reject; only reserved *code values* and broken MUSTs are protocol errors.
#pragma once

#include <string_view>
#include <vector>

#include "touchstone/pdu/pdu.hpp"

namespace touchstone::pdu {

enum class severity : std::uint8_t {
  protocol_error,  // a MUST broken: the receiver answers as the RFC prescribes
  reserved_field,  // a reserved field set: log it, the receiver ignores it
  should,          // a SHOULD broken: report only
};

// Which side sent (and so broke) the PDU: derived from the opcode class.
enum class sender : std::uint8_t { initiator, target };

struct violation {
  std::string_view requirement;  // "rfc7143#section-11.18.1/itt-reserved-needs-i-bit"
  severity level;
  std::string_view summary;  // one line, for logs and reports
  friend bool operator==(const violation&, const violation&) = default;
};

using violations = std::vector<violation>;

// Every violation of p, in field order. Never fails, never throws.
violations validate(const pdu& p);
// The same, appended to out: a hot path reuses one vector and never allocates
// for a clean PDU.
void validate_into(const pdu& p, violations& out);

std::string_view name(severity s);

// Helpers the per-opcode validators share.
namespace check {
// Adds a violation when condition is false.
inline void require(violations& out, bool condition, std::string_view requirement,
                    severity level, std::string_view summary) {
  if (!condition) out.push_back({requirement, level, summary});
}
// Reserved bytes [first, last) must be zero (a sender rule only).
inline void reserved_bytes(violations& out, const pdu& p, std::size_t first, std::size_t last,
                           std::string_view requirement, std::string_view summary) {
  require(out, p.header().zero(first, last), requirement, severity::reserved_field, summary);
}
// Reserved bits under mask of byte off must be zero.
inline void reserved_bits(violations& out, const pdu& p, std::size_t off, std::uint8_t mask,
                          std::string_view requirement, std::string_view summary) {
  require(out, (p.bhs[off] & mask) == 0, requirement, severity::reserved_field, summary);
}
}  // namespace check

}  // namespace touchstone::pdu
