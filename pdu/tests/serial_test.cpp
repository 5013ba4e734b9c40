#include <catch2/catch.hpp>

#include "touchstone/pdu/serial.hpp"

using touchstone::pdu::serial;

//= rfc1982#section-3.2 type=test
//# s1 is said to be less than s2 if ... (i1 < i2 and i2 - i1 < 2^(SERIAL_BITS - 1)) or
//# (i1 > i2 and i1 - i2 > 2^(SERIAL_BITS - 1))
//= rfc7143#section-4.2.2.1 type=test
//# Comparisons and arithmetic on the ExpCmdSN and MaxCmdSN MUST use Serial Number Arithmetic as
//# defined in [RFC1982] where SERIAL_BITS = 32.
TEST_CASE("serial comparison follows RFC 1982 across the wrap", "[pdu][serial]") {
  CHECK(serial{1} < serial{2});
  CHECK(serial{0xffffffff} < serial{0});  // wrap-around
  CHECK(serial{0xfffffff0} < serial{0x10});
  CHECK(serial{0x10} > serial{0xfffffff0});
  CHECK_FALSE(serial{5} < serial{5});
  CHECK(serial{5} <= serial{5});
  // 2^31 apart: undefined, so neither ordering holds.
  CHECK_FALSE(serial{0} < serial{0x80000000});
  CHECK_FALSE(serial{0} > serial{0x80000000});
  CHECK(serial{0} < serial{0x7fffffff});
  CHECK(serial{0} > serial{0x80000001});
}

// rfc1982 section 3.1, in our words:
// Addition of a positive integer n is performed modulo 2^SERIAL_BITS
TEST_CASE("serial addition wraps modulo 2^32", "[pdu][serial]") {
  CHECK((serial{0xffffffff} + 1).value() == 0);
  CHECK((serial{0} - 1).value() == 0xffffffff);
  serial s{0xfffffffe};
  ++s;
  ++s;
  CHECK(s.value() == 0);
  CHECK(distance(serial{0xfffffffe}, serial{3}) == 5);
  CHECK(distance(serial{3}, serial{0xfffffffe}) == -5);
}

//= rfc7143#section-4.2.2.1 type=test
//# For non-immediate commands, the CmdSN field can take any value from the ExpCmdSN to the
//# MaxCmdSN inclusive.
TEST_CASE("CmdSN window test includes both ends and wraps", "[pdu][serial]") {
  using touchstone::pdu::in_window;
  CHECK(in_window(serial{10}, serial{10}, serial{20}));
  CHECK(in_window(serial{20}, serial{10}, serial{20}));
  CHECK_FALSE(in_window(serial{9}, serial{10}, serial{20}));
  CHECK_FALSE(in_window(serial{21}, serial{10}, serial{20}));
  CHECK(in_window(serial{1}, serial{0xfffffff0}, serial{0x10}));
  CHECK_FALSE(in_window(serial{0x11}, serial{0xfffffff0}, serial{0x10}));
  // A closed window (MaxCmdSN = ExpCmdSN - 1) admits nothing.
  CHECK_FALSE(in_window(serial{10}, serial{10}, serial{9}));
}

//= rfc7143#section-4.2.2.1 type=test
//# The target MUST NOT transmit a MaxCmdSN that is less than ExpCmdSN - 1.
TEST_CASE("MaxCmdSN below ExpCmdSN - 1 is illegal", "[pdu][serial]") {
  using touchstone::pdu::window_closed;
  using touchstone::pdu::window_legal;
  CHECK(window_legal(serial{10}, serial{9}));
  CHECK(window_closed(serial{10}, serial{9}));
  CHECK_FALSE(window_legal(serial{10}, serial{8}));
  CHECK(window_legal(serial{0}, serial{0xffffffff}));
  CHECK_FALSE(window_legal(serial{0}, serial{0xfffffffe}));
}
