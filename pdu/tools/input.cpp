#include "input.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace touchstone::pdu_tool {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// "line L, column C" of offset in text, both from 1.
std::string position(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    column = text[i] == '\n' ? 1 : column + 1;
    line += text[i] == '\n' ? 1 : 0;
  }
  return fmt::format("line {}, column {}", line, column);
}

std::string printable(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x7f ? fmt::format("'{}'", c) : fmt::format("byte 0x{:02x}", u);
}

}  // namespace

result<pdu::byte_buffer, input_error> read_all(const std::string& path) {
  const bool use_stdin = path.empty() || path == "-";
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(use_stdin ? nullptr : std::fopen(path.c_str(), "rb"),
                                                         [](std::FILE* f) { return f ? std::fclose(f) : 0; });
  std::FILE* f = use_stdin ? stdin : owned.get();
  if (!f) return fail(input_error{fmt::format("cannot open {}: {}", path, std::strerror(errno))});
  pdu::byte_buffer out;
  std::uint8_t chunk[65536];
  while (const std::size_t n = std::fread(chunk, 1, sizeof chunk, f)) out.insert(out.end(), chunk, chunk + n);
  if (std::ferror(f))
    return fail(input_error{fmt::format("cannot read {}: {}", use_stdin ? "stdin" : path, std::strerror(errno))});
  return out;
}

result<pdu::byte_buffer, input_error> parse_hex(std::string_view text) {
  pdu::byte_buffer out;
  int high = -1;
  std::size_t high_at = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_space(text[i])) continue;
    const int v = hex_value(text[i]);
    if (v < 0)
      return fail(input_error{fmt::format("bad hex character {} at text offset {} ({})", printable(text[i]), i,
                                          position(text, i))});
    if (high < 0) {
      high = v;
      high_at = i;
    } else {
      out.push_back(static_cast<std::uint8_t>((high << 4) | v));
      high = -1;
    }
  }
  if (high >= 0)
    return fail(input_error{fmt::format("odd number of hex digits: the digit at text offset {} ({}) has no partner",
                                        high_at, position(text, high_at))});
  return out;
}

}  // namespace touchstone::pdu_tool
