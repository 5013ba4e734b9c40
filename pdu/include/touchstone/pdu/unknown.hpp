// A view over a PDU whose opcode the codec does not define: vendor-specific
// (0x1c-0x1e, 0x3c-0x3e) or unassigned. It exposes the raw bytes only, since
// nothing beyond the common BHS fields has a meaning the codec knows.
#pragma once

#include <span>
#include <string_view>

#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

//= rfc7143#section-11.2.1.2
//# 0x1c-0x1e Vendor-specific codes ... 0x3c-0x3e Vendor-specific codes ...
//# All other Opcodes are unassigned.
class unknown_view : public bhs_view {
 public:
  // Keeps views of p's AHS and data as well: p must outlive the view.
  explicit unknown_view(const pdu& p) : bhs_view(p.bhs), ahs_(p.ahs), data_(p.data) {}
  explicit unknown_view(pdu&&) = delete;

  // True when no typed view applies to p.
  static bool applies_to(const pdu& p) { return !is_defined(p.header().raw_opcode()); }

  bool vendor_specific() const { return is_vendor_specific(raw_opcode()); }
  //= rfc7143#section-11.2.1.2
  //# Initiator Opcodes are in PDUs sent by the initiator (Request PDUs).
  bool from_initiator() const { return is_initiator_code(raw_opcode()); }
  std::string_view opcode_name() const { return code_name(raw_opcode()); }

  //= rfc7143#section-11.2.1
  //# 0|.|I| Opcode |F| Opcode-specific fields ... 20/ Opcode-specific fields
  // Bytes 1-3 (F included) and 20-47; bytes 8-15 are lun() or opcode-specific.
  std::span<const std::uint8_t, 3> opcode_specific_head() const { return bytes().subspan<1, 3>(); }
  std::span<const std::uint8_t, 28> opcode_specific_tail() const {
    return bytes().subspan<20, 28>();
  }
  bytes_view ahs() const { return ahs_; }
  bytes_view data() const { return data_; }

 private:
  bytes_view ahs_;
  bytes_view data_;
};

// Builds a PDU with any 6-bit opcode, defined or not; everything else through
// the raw setters of the base (set_u8, set_u32, ...).
class unknown_builder : public builder<unknown_builder> {
 public:
  explicit unknown_builder(std::uint8_t code) : builder(static_cast<opcode>(code & opcode_mask)) {}
};

}  // namespace touchstone::pdu
