// Reads one JSON object of the config file field by field, with checked
// access only (no throwing nlohmann calls). The first problem is kept with
// its JSON path; later reads are no-ops, so a parser reads like the schema:
//
//   object_reader r(j, "targets[0]");
//   r.text("iqn", t.iqn, required);
//   r.number("queue_depth", l.queue_depth, 1, 4096);
//   if (auto e = r.finish()) return fail(*e);   // also refuses unknown keys
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "touchstone/target/config_file.hpp"

namespace touchstone::target::detail {

inline constexpr bool required = true;

std::string describe(const json& j);  // "a string", "an array", ...
std::string child(const std::string& path, std::string_view key);
std::string element(const std::string& path, std::size_t index);

class object_reader {
 public:
  object_reader(const json& j, std::string path);

  bool ok() const { return !error_; }
  bool has(std::string_view key) const;
  const std::string& path() const { return path_; }

  void text(std::string_view key, std::string& out, bool must = false);
  void boolean(std::string_view key, bool& out);
  void number(std::string_view key, std::uint32_t& out, std::uint32_t min, std::uint32_t max);
  void number(std::string_view key, std::uint64_t& out, std::uint64_t min, std::uint64_t max);
  void seconds(std::string_view key, std::chrono::seconds& out, std::uint32_t max);
  // "64MiB" or a number of bytes.
  void size(std::string_view key, std::uint64_t& out, bool must = false);
  void texts(std::string_view key, std::vector<std::string>& out);
  void account(std::string_view key, std::optional<chap_account>& out);
  // One of `choices`; `out` gets its index.
  void choice(std::string_view key, const std::vector<std::string_view>& choices, std::size_t& out);
  // A nested object or array: `read` gets the value and its path.
  void nested(std::string_view key, const std::function<std::optional<config_error>(
                                        const json&, const std::string&)>& read);

  void set_error(config_error e);
  // The first error; else the first key nobody read ("unknown key").
  std::optional<config_error> finish();

 private:
  const json* find(std::string_view key);
  void expected(std::string_view key, std::string what);

  const json& j_;
  std::string path_;
  std::set<std::string, std::less<>> read_;
  std::optional<config_error> error_;
};

}  // namespace touchstone::target::detail
