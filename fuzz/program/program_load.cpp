// Reads a program from JSON. Only the raw hex of each PDU is read; the names
// and field values beside it are for people. Every refusal names the path of
// the bad field; nothing throws out (nlohmann's parse errors are caught here).
#include <algorithm>
#include <array>
#include <cstdlib>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "hex.hpp"
#include "json_nesting.hpp"
#include "touchstone/fuzz/program_json.hpp"

namespace touchstone::fuzz {
namespace {

using json = nlohmann::json;
using load_result = result<program, load_error>;

// The first problem found wins; later reads are skipped once one is set.
struct reader {
  std::optional<std::string> error;

  bool fail(const std::string& path, const std::string& what) {
    if (!error) error = path + ": " + what;
    return false;
  }
  const json* member(const json& obj, const std::string& path, const char* key, bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) fail(path, std::string("missing \"") + key + "\"");
      return nullptr;
    }
    return &*it;
  }
  template <class T>
  void unsigned_field(const json& obj, const std::string& path, const char* key, T& out,
                      std::uint64_t max) {
    const json* v = member(obj, path, key, false);
    if (!v) return;
    if (!v->is_number_unsigned() || v->get<std::uint64_t>() > max) {
      fail(path + "." + key, "expected an integer from 0 to " + std::to_string(max));
      return;
    }
    out = static_cast<T>(v->get<std::uint64_t>());
  }
  void bool_field(const json& obj, const std::string& path, const char* key, bool& out) {
    const json* v = member(obj, path, key, false);
    if (!v) return;
    if (!v->is_boolean()) fail(path + "." + key, "expected true or false");
    else out = v->get<bool>();
  }
  const std::string* string_field(const json& obj, const std::string& path, const char* key,
                                  bool required) {
    const json* v = member(obj, path, key, required);
    if (!v) return nullptr;
    if (!v->is_string()) {
      fail(path + "." + key, "expected a string");
      return nullptr;
    }
    return v->get_ptr<const std::string*>();
  }
  // Hex of exactly `exact` bytes, or of at most `max` bytes when exact is 0.
  std::optional<pdu::byte_buffer> hex_field(const json& obj, const std::string& path,
                                            const char* key, std::size_t exact, std::size_t max) {
    const std::string* s = string_field(obj, path, key, exact != 0);
    if (!s) return exact ? std::nullopt : std::optional<pdu::byte_buffer>(pdu::byte_buffer{});
    auto bytes = hex::decode(*s);
    const bool size_ok = bytes && (exact ? bytes->size() == exact : bytes->size() <= max);
    if (size_ok) return bytes;
    fail(path + "." + key, exact ? "expected " + std::to_string(exact * 2) + " hex digits"
                                 : "expected an even number of hex digits, at most " +
                                       std::to_string(max * 2));
    return std::nullopt;
  }
};

}  // namespace

// Checked before parsing: nlohmann's parser would follow any depth.
bool nesting_within(std::string_view text, std::size_t bound) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > bound) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

namespace {

template <class E, std::size_t N>
bool enum_field(reader& r, const json& obj, const std::string& path, const char* key, E& out,
                const std::array<E, N>& values) {
  const std::string* s = r.string_field(obj, path, key, false);
  if (!s) return !r.error;
  std::string allowed;
  for (E v : values) {
    if (*s == name(v)) {
      out = v;
      return true;
    }
    allowed += (allowed.empty() ? "" : ", ") + std::string(name(v));
  }
  return r.fail(path + "." + key, "expected one of " + allowed);
}

void read_offers(reader& r, const json& login, login_plan& out) {
  const json* offers = r.member(login, "login", "offers", false);
  if (!offers) return;
  if (!offers->is_array() || offers->size() > max_offers) {
    r.fail("login.offers", "expected an array of at most " + std::to_string(max_offers));
    return;
  }
  for (std::size_t i = 0; i < offers->size() && !r.error; ++i) {
    const std::string at = "login.offers[" + std::to_string(i) + "]";
    const json& o = (*offers)[i];
    if (!o.is_object()) {
      r.fail(at, "expected an object with key and value");
      return;
    }
    const std::string* key = r.string_field(o, at, "key", true);
    const std::string* value = r.string_field(o, at, "value", true);
    if (!key || !value) return;
    if (key->size() > max_offer_key_bytes || value->size() > max_offer_value_bytes) {
      r.fail(at, "key or value too long");
      return;
    }
    out.offers.push_back({*key, *value});
  }
}

void read_login(reader& r, const json& doc, login_plan& out) {
  const json* login = r.member(doc, "", "login", false);
  if (!login) return;
  if (!login->is_object()) {
    r.fail("login", "expected an object");
    return;
  }
  enum_field(r, *login, "login", "kind", out.kind,
             std::array{login_kind::none, login_kind::normal, login_kind::discovery,
                        login_kind::scripted});
  r.bool_field(*login, "login", "chap", out.chap);
  if (const std::string* isid = r.string_field(*login, "login", "isid", false)) {
    char* end = nullptr;
    const auto v = std::strtoull(isid->c_str(), &end, 16);
    if (isid->size() < 3 || isid->substr(0, 2) != "0x" || *end != '\0' || v > max_isid)
      r.fail("login.isid", "expected 0x and at most 12 hex digits");
    else
      out.isid = v;
  }
  r.unsigned_field(*login, "login", "tsih", out.tsih, 0xffff);
  r.unsigned_field(*login, "login", "cid", out.cid, 0xffff);
  read_offers(r, *login, out);
}

void read_splits(reader& r, const json& send, const std::string& path, send_plan& out) {
  const json* splits = r.member(send, path, "splits", false);
  if (!splits) return;
  if (!splits->is_array() || splits->size() > max_splits) {
    r.fail(path + ".splits", "expected an array of at most " + std::to_string(max_splits));
    return;
  }
  for (const auto& v : *splits) {
    const bool in_range = v.is_number_unsigned() && v.get<std::uint64_t>() >= 1 &&
                          v.get<std::uint64_t>() < max_encoded_pdu;
    if (!in_range || (!out.splits.empty() && v.get<std::uint64_t>() <= out.splits.back())) {
      r.fail(path + ".splits", "expected increasing offsets from 1 to " +
                                   std::to_string(max_encoded_pdu - 1));
      return;
    }
    out.splits.push_back(static_cast<std::uint32_t>(v.get<std::uint64_t>()));
  }
}

void read_send(reader& r, const json& step, const std::string& at, send_plan& out) {
  const std::string path = at + ".send";
  const json* send = r.member(step, at, "send", false);
  if (!send) return;
  if (!send->is_object()) {
    r.fail(path, "expected an object");
    return;
  }
  enum_field(r, *send, path, "digests", out.digests,
             std::array{digest_mode::negotiated, digest_mode::header_wrong,
                        digest_mode::data_wrong});
  read_splits(r, *send, path, out);
  r.unsigned_field(*send, path, "delay_ms", out.delay_ms, max_delay_ms);
  enum_field(r, *send, path, "numbering", out.numbers,
             std::array{numbering::follow, numbering::as_written});
  r.bool_field(*send, path, "wait_answer", out.wait_answer);
}

void read_pdu(reader& r, const json& step, const std::string& at, pdu::pdu& out) {
  const std::string path = at + ".pdu";
  const json* p = r.member(step, at, "pdu", true);
  if (!p) return;
  if (!p->is_object()) {
    r.fail(path, "expected an object");
    return;
  }
  if (auto bhs = r.hex_field(*p, path, "bhs", pdu::bhs_size, 0))
    std::copy(bhs->begin(), bhs->end(), out.bhs.begin());
  if (auto ahs = r.hex_field(*p, path, "ahs", 0, max_ahs_bytes)) out.ahs = std::move(*ahs);
  if (auto data = r.hex_field(*p, path, "data", 0, max_data_segment)) out.data = std::move(*data);
  if (r.member(*p, path, "padding", false)) {
    if (auto pad = r.hex_field(*p, path, "padding", 3, 0))
      std::copy(pad->begin(), pad->end(), out.padding.begin());
  }
}

void read_steps(reader& r, const json& doc, program& out) {
  const json* steps = r.member(doc, "", "steps", true);
  if (!steps) return;
  if (!steps->is_array() || steps->size() > max_steps) {
    r.fail("steps", "expected an array of at most " + std::to_string(max_steps) + " steps");
    return;
  }
  for (std::size_t i = 0; i < steps->size() && !r.error; ++i) {
    const std::string at = "steps[" + std::to_string(i) + "]";
    const json& s = (*steps)[i];
    if (!s.is_object()) {
      r.fail(at, "expected an object");
      return;
    }
    step st;
    read_pdu(r, s, at, st.pdu);
    read_send(r, s, at, st.send);
    out.steps.push_back(std::move(st));
  }
}

load_result failed(std::string message) { return fail(load_error{std::move(message)}); }

}  // namespace

load_result load_json(std::string_view text) {
  if (text.size() > max_program_json_bytes)
    return failed("(document): " + std::to_string(text.size()) + " bytes, at most " +
                  std::to_string(max_program_json_bytes));
  if (!nesting_within(text, max_program_json_depth))
    return failed("(document): nested deeper than " + std::to_string(max_program_json_depth));
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return failed("(document): not JSON");
  if (!doc.is_object()) return failed("(document): expected an object");
  reader r;
  const std::string* format = r.string_field(doc, "", "format", true);
  if (format && *format != program_format)
    r.fail("format", "expected \"" + std::string(program_format) + "\"");
  program p;
  if (!r.error) read_login(r, doc, p.login);
  if (!r.error) read_steps(r, doc, p);
  if (r.error) return failed(r.error->front() == ':' ? "(document)" + *r.error : *r.error);
  return p;
}

}  // namespace touchstone::fuzz
