// Checked, non-throwing field access for the config parser.
#include "config_reader.hpp"

#include <fmt/format.h>

namespace touchstone::target::detail {

std::string describe(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number with a fraction";
    default: return "an unexpected value";
  }
}

std::string child(const std::string& path, std::string_view key) {
  return path.empty() || path == "config" ? std::string(key) : path + "." + std::string(key);
}

std::string element(const std::string& path, std::size_t index) {
  return fmt::format("{}[{}]", path, index);
}

object_reader::object_reader(const json& j, std::string path) : j_(j), path_(std::move(path)) {
  if (!j_.is_object()) error_ = config_error{path_, "expected an object, got " + describe(j_)};
}

bool object_reader::has(std::string_view key) const {
  return j_.is_object() && j_.find(key) != j_.end();
}

const json* object_reader::find(std::string_view key) {
  if (error_ || !j_.is_object()) return nullptr;
  read_.emplace(key);
  const auto it = j_.find(key);
  return it == j_.end() ? nullptr : &*it;
}

void object_reader::set_error(config_error e) {
  if (!error_) error_ = std::move(e);
}

void object_reader::expected(std::string_view key, std::string what) {
  set_error(config_error{child(path_, key), std::move(what)});
}

void object_reader::text(std::string_view key, std::string& out, bool must) {
  const json* v = find(key);
  if (v == nullptr) {
    if (must && !error_) expected(key, "missing (expected a string)");
    return;
  }
  if (!v->is_string()) return expected(key, "expected a string, got " + describe(*v));
  const auto* s = v->get_ptr<const std::string*>();
  if (must && s->empty()) return expected(key, "must not be empty");
  out = *s;
}

void object_reader::boolean(std::string_view key, bool& out) {
  const json* v = find(key);
  if (v == nullptr) return;
  if (!v->is_boolean()) return expected(key, "expected true or false, got " + describe(*v));
  out = *v->get_ptr<const bool*>();
}

void object_reader::number(std::string_view key, std::uint64_t& out, std::uint64_t min,
                           std::uint64_t max) {
  const json* v = find(key);
  if (v == nullptr) return;
  const auto range = fmt::format("expected an integer from {} to {}", min, max);
  if (v->is_number_unsigned()) {
    const auto n = *v->get_ptr<const std::uint64_t*>();
    if (n < min || n > max) return expected(key, fmt::format("{}, got {}", range, n));
    out = n;
    return;
  }
  if (v->is_number_integer()) return expected(key, range + ", got " + v->dump());
  expected(key, range + ", got " + describe(*v));
}

void object_reader::number(std::string_view key, std::uint32_t& out, std::uint32_t min,
                           std::uint32_t max) {
  std::uint64_t wide = out;
  number(key, wide, min, max);
  out = static_cast<std::uint32_t>(wide);
}

void object_reader::seconds(std::string_view key, std::chrono::seconds& out, std::uint32_t max) {
  std::uint64_t n = static_cast<std::uint64_t>(out.count());
  number(key, n, 0, max);
  out = std::chrono::seconds(n);
}

void object_reader::size(std::string_view key, std::uint64_t& out, bool must) {
  const json* v = find(key);
  if (v == nullptr) {
    if (must && !error_) expected(key, "missing (expected a size like 64MiB)");
    return;
  }
  std::optional<std::uint64_t> parsed;
  if (v->is_number_unsigned()) parsed = *v->get_ptr<const std::uint64_t*>();
  if (v->is_string()) parsed = parse_size(*v->get_ptr<const std::string*>());
  if (!parsed) return expected(key, "expected a size like 64MiB");
  out = *parsed;
}

void object_reader::texts(std::string_view key, std::vector<std::string>& out) {
  const json* v = find(key);
  if (v == nullptr) return;
  if (!v->is_array()) return expected(key, "expected an array of strings, got " + describe(*v));
  std::vector<std::string> values;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const json& item = (*v)[i];
    if (!item.is_string())
      return set_error({element(child(path_, key), i), "expected a string, got " + describe(item)});
    values.push_back(*item.get_ptr<const std::string*>());
  }
  out = std::move(values);
}

void object_reader::account(std::string_view key, std::optional<chap_account>& out) {
  nested(key, [&](const json& j, const std::string& path) -> std::optional<config_error> {
    chap_account a;
    object_reader r(j, path);
    r.text("user", a.user, required);
    //= rfc7143#section-9.2.1
    //# CHAP secrets MUST be an integral number of bytes (octets).
    // A secret is a JSON string: its bytes, a whole number of them.
    r.text("secret", a.secret, required);
    if (auto e = r.finish()) return e;
    out = std::move(a);
    return std::nullopt;
  });
}

void object_reader::choice(std::string_view key, const std::vector<std::string_view>& choices,
                           std::size_t& out) {
  std::string value;
  const bool present = has(key);
  text(key, value);
  if (!present || error_) return;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (choices[i] == value) {
      out = i;
      return;
    }
  }
  expected(key, fmt::format("expected one of {}, got '{}'", fmt::join(choices, ", "), value));
}

void object_reader::nested(std::string_view key,
                           const std::function<std::optional<config_error>(const json&,
                                                                           const std::string&)>& read) {
  const json* v = find(key);
  if (v == nullptr) return;
  if (auto e = read(*v, child(path_, key))) set_error(std::move(*e));
}

std::optional<config_error> object_reader::finish() {
  if (error_) return error_;
  for (const auto& [key, value] : j_.items()) {
    (void)value;
    if (!read_.contains(key)) return config_error{child(path_, key), "unknown key"};
  }
  return std::nullopt;
}

}  // namespace touchstone::target::detail
