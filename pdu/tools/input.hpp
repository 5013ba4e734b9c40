// Input for touchstone-pdu: the bytes of a file or stdin, raw or as hex text.
#pragma once

#include <string>
#include <string_view>

#include "touchstone/pdu/result.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::pdu_tool {

struct input_error {
  std::string message;
};

// Reads the whole of path ("-" or "" for stdin).
result<pdu::byte_buffer, input_error> read_all(const std::string& path);

// Hex text to bytes: whitespace (newlines included) is ignored anywhere; any
// other non-hex character, or an odd number of digits, is an error naming its
// offset in the text.
result<pdu::byte_buffer, input_error> parse_hex(std::string_view text);

}  // namespace touchstone::pdu_tool
