// RFC 1982 serial number arithmetic with SERIAL_BITS = 32, for CmdSN,
// ExpCmdSN, MaxCmdSN, StatSN, DataSN and R2TSN.
//= rfc7143#section-4.2.2.1
//# Comparisons and arithmetic on CmdSNs use Serial Number Arithmetic as defined in [RFC1982]
//# where SERIAL_BITS = 32.
//= rfc7143#section-4.2.2.1
//# Comparisons and arithmetic on the ExpCmdSN and MaxCmdSN MUST use Serial Number Arithmetic as
//# defined in [RFC1982] where SERIAL_BITS = 32.
#pragma once

#include <cstdint>

namespace touchstone::pdu {

class serial {
 public:
  constexpr serial() = default;
  constexpr explicit serial(std::uint32_t v) : v_(v) {}
  constexpr std::uint32_t value() const { return v_; }

  //= rfc1982#section-3.1
  //# Serial numbers may be incremented by the addition of a positive integer n, where n is
  //# taken from the range of integers [0 .. (2^(SERIAL_BITS - 1) - 1)].
  // Larger n are not defined by RFC 1982; callers add small counts only.
  constexpr serial operator+(std::uint32_t n) const { return serial{v_ + n}; }
  constexpr serial operator-(std::uint32_t n) const { return serial{v_ - n}; }
  constexpr serial& operator++() { ++v_; return *this; }

  constexpr friend bool operator==(serial a, serial b) { return a.v_ == b.v_; }

  //= rfc1982#section-3.2
  //# s1 is said to be less than s2 if, and only if, s1 is not equal to s2, and
  //# (i1 < i2 and i2 - i1 < 2^(SERIAL_BITS - 1)) or (i1 > i2 and i1 - i2 > 2^(SERIAL_BITS - 1))
  // Pairs exactly 2^31 apart are undefined: neither less nor greater.
  constexpr friend bool operator<(serial a, serial b) {
    constexpr std::uint32_t half = 0x80000000u;
    return (a.v_ < b.v_ && b.v_ - a.v_ < half) || (a.v_ > b.v_ && a.v_ - b.v_ > half);
  }
  constexpr friend bool operator>(serial a, serial b) { return b < a; }
  constexpr friend bool operator<=(serial a, serial b) { return a == b || a < b; }
  constexpr friend bool operator>=(serial a, serial b) { return a == b || a > b; }

  // The signed distance b - a when it is defined (|d| < 2^31).
  constexpr friend std::int64_t distance(serial a, serial b) {
    return static_cast<std::int32_t>(b.v_ - a.v_);
  }

 private:
  std::uint32_t v_ = 0;
};

//= rfc7143#section-4.2.2.1
//# For non-immediate commands, the CmdSN field can take any value from the ExpCmdSN to the
//# MaxCmdSN inclusive.
constexpr bool in_window(serial cmd_sn, serial exp_cmd_sn, serial max_cmd_sn) {
  return exp_cmd_sn <= cmd_sn && cmd_sn <= max_cmd_sn;
}

//= rfc7143#section-4.2.2.1
//# The target MUST NOT transmit a MaxCmdSN that is less than ExpCmdSN - 1.
constexpr bool window_legal(serial exp_cmd_sn, serial max_cmd_sn) {
  return max_cmd_sn >= exp_cmd_sn - 1;
}

// An empty window (MaxCmdSN == ExpCmdSN - 1): the target accepts no new commands.
constexpr bool window_closed(serial exp_cmd_sn, serial max_cmd_sn) {
  return max_cmd_sn == exp_cmd_sn - 1;
}

}  // namespace touchstone::pdu
