// Big-endian writing and bounded reading for the binary program forms
// (program_binary.cpp: TSP1, program_group_binary.cpp: TSG1). Internal.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace touchstone::fuzz::binary_io {

inline void put(std::vector<std::uint8_t>& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

template <class Range>
void put_bytes(std::vector<std::uint8_t>& out, const Range& r) {
  out.insert(out.end(), r.begin(), r.end());
}

// Reads in order; the first short read or bad value sets `error` and every
// later read returns zeros, so the caller checks once at the end.
struct reader {
  std::span<const std::uint8_t> in;
  std::optional<std::string> error;

  bool take(std::size_t n, const char* what) {
    if (error) return false;
    if (in.size() < n) {
      error = std::string(what) + ": input ends early";
      return false;
    }
    return true;
  }
  std::uint64_t num(int bytes, const char* what) {
    if (!take(static_cast<std::size_t>(bytes), what)) return 0;
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | in[static_cast<std::size_t>(i)];
    in = in.subspan(static_cast<std::size_t>(bytes));
    return v;
  }
  template <class Out>
  void bytes(std::size_t n, Out& out, const char* what) {
    if (!take(n, what)) return;
    out.assign(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
    in = in.subspan(n);
  }
  template <class E>
  E enum_value(std::uint64_t max, const char* what) {
    const auto v = num(1, what);
    if (v > max && !error) error = std::string(what) + ": unknown value " + std::to_string(v);
    return static_cast<E>(v);
  }
  // The next n bytes as a view (empty after an error).
  std::span<const std::uint8_t> view(std::size_t n, const char* what) {
    if (!take(n, what)) return {};
    auto out = in.first(n);
    in = in.subspan(n);
    return out;
  }
  void fail(const std::string& what) {
    if (!error) error = what;
  }
};

}  // namespace touchstone::fuzz::binary_io
