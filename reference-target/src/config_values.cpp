// The values the config file and the command line share (sizes, LUN specs,
// CHAP accounts) and the checks that do not depend on syntax.
#include <fmt/format.h>
#include <set>

#include "touchstone/pdu/chap.hpp"
#include "touchstone/pdu/iscsi_name.hpp"
#include "touchstone/pdu/keys.hpp"
#include "touchstone/target/config_file.hpp"

namespace touchstone::target {

std::string_view name(store_kind k) {
  switch (k) {
    case store_kind::memory: return "mem";
    case store_kind::file: return "file";
    case store_kind::null: return "null";
  }
  return "?";
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t value = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (value > (UINT64_MAX - 9) / 10) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
  }
  if (i == 0) return std::nullopt;
  const auto unit = text.substr(i);
  static constexpr std::pair<std::string_view, int> units[] = {
      {"", 0},   {"B", 0},    {"K", 10}, {"KiB", 10}, {"M", 20},
      {"MiB", 20}, {"G", 30}, {"GiB", 30}, {"T", 40},  {"TiB", 40}};
  for (const auto& [unit_name, shift] : units) {
    if (unit != unit_name) continue;
    if (shift > 0 && value > (UINT64_MAX >> shift)) return std::nullopt;
    return value << shift;
  }
  return std::nullopt;
}

namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t at; (at = text.find(separator)) != std::string_view::npos;) {
    parts.push_back(text.substr(0, at));
    text = text.substr(at + 1);
  }
  parts.push_back(text);
  return parts;
}

config_error lun_option_error(std::string_view text, std::string message) {
  return config_error{"--lun " + std::string(text), std::move(message)};
}

// One ",option" of --lun; false when it is not one.
bool apply_lun_option(std::string_view option, lun_definition& l) {
  if (option == "ro") {
    l.read_only = true;
    return true;
  }
  if (option.starts_with("size=")) {
    const auto size = parse_size(option.substr(5));
    if (size) l.size = *size;
    return size.has_value();
  }
  if (option.starts_with("aptpl=")) {
    l.aptpl = std::string(option.substr(6));
    return !l.aptpl.empty();
  }
  if (option.starts_with("bs=")) {
    const auto size = parse_size(option.substr(3));
    if (size && *size <= UINT32_MAX) l.block_size = static_cast<std::uint32_t>(*size);
    return size.has_value();
  }
  return false;
}

}  // namespace

config_result<lun_definition> parse_lun_option(std::string_view text, std::uint64_t number) {
  constexpr std::string_view usage = "expected mem:SIZE, null:SIZE or file:PATH[,size=SIZE][,ro][,bs=512|4096][,aptpl=STATE]";
  lun_definition l;
  l.lun = number;
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return fail(lun_option_error(text, std::string(usage)));
  const auto kind = text.substr(0, colon);
  const auto parts = split(text.substr(colon + 1), ',');
  if (kind == "mem" || kind == "null") {
    l.store = kind == "mem" ? store_kind::memory : store_kind::null;
    const auto size = parse_size(parts[0]);
    if (!size) return fail(lun_option_error(text, "expected a size like 64MiB"));
    l.size = *size;
  } else if (kind == "file") {
    l.store = store_kind::file;
    l.path = std::string(parts[0]);
  } else {
    return fail(lun_option_error(text, std::string(usage)));
  }
  for (std::size_t i = 1; i < parts.size(); ++i)
    if (!apply_lun_option(parts[i], l))
      return fail(lun_option_error(text, "unknown option '" + std::string(parts[i]) + "'"));
  if (auto bad = check_lun(l, "--lun " + std::string(text))) return fail(*bad);
  return l;
}

std::optional<chap_account> parse_account_option(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  return chap_account{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

std::optional<config_error> check_lun(const lun_definition& l, const std::string& path) {
  if (l.block_size != 512 && l.block_size != 4096)
    return config_error{path + ".block_size", "expected 512 or 4096"};
  if (l.store == store_kind::file && l.path.empty())
    return config_error{path + ".path", "a file store needs a path"};
  if (l.store != store_kind::file && l.size == 0)
    return config_error{path + ".size", "expected a size like 64MiB"};
  if (l.size % l.block_size != 0)
    return config_error{path + ".size",
                        fmt::format("{} is not a multiple of the block size {}", l.size, l.block_size)};
  // Flat space addressing (SAM-5 4.7.7) reaches LUNs 0..16383.
  if (l.lun > 16383) return config_error{path + ".lun", "expected a LUN from 0 to 16383"};
  return std::nullopt;
}

namespace {

std::optional<config_error> check_limits(const target_limits& l, const std::string& path) {
  //= rfc7143#section-13.14
  //# FirstBurstLength MUST NOT exceed MaxBurstLength.
  if (l.first_burst_length > l.max_burst_length)
    return config_error{path + ".first_burst_length", "must not exceed max_burst_length"};
  if (l.nop_in_interval.count() > 0 && l.nop_in_timeout.count() == 0)
    return config_error{path + ".nop_in_timeout", "must be positive when NOP-In pings are on"};
  return std::nullopt;
}

std::optional<config_error> check_redirect(const redirect_config& r, const std::string& path) {
  if (r.addresses.empty()) return config_error{path + ".to", "expected at least one address"};
  for (std::size_t i = 0; i < r.addresses.size(); ++i)
    if (auto bad = redirect_address_error(r.addresses[i]))
      return config_error{fmt::format("{}.to[{}]", path, i), *bad};
  return std::nullopt;
}

}  // namespace

std::optional<std::string> redirect_address_error(std::string_view address) {
  //= rfc7143#section-13.8
  //# If the TargetAddress is returned as the result of a redirect status in a
  //# Login Response, the comma and portal-group-tag MUST be omitted.
  if (address.find(',') != std::string_view::npos)
    return "'" + std::string(address) + "' has a portal group tag; a redirect must omit it";
  //= rfc7143#section-13.8
  //# TargetAddress=domainname[:port][,portal-group-tag]
  if (!pdu::check_value(*pdu::find_key("TargetAddress"), address))
    return "'" + std::string(address) + "' is not HOST[:PORT] or [IPV6][:PORT]";
  return std::nullopt;
}

std::optional<config_error> check_target(const target_definition& t, const std::string& path) {
  const auto& s = t.settings;
  if (!pdu::validate_iscsi_name(s.iqn))
    return config_error{path + ".iqn", "'" + s.iqn + "' is not a valid iSCSI name"};
  for (std::size_t i = 0; i < s.allowed_initiators.size(); ++i)
    if (!pdu::validate_iscsi_name(s.allowed_initiators[i]))
      return config_error{fmt::format("{}.initiators[{}]", path, i), "not a valid iSCSI name"};
  if (s.mutual_chap && !s.chap)
    return config_error{path + ".mutual_chap", "mutual CHAP needs chap (the initiator's account) too"};
  //= rfc7143#section-9.2.1
  //# Any CHAP secret used for initiator authentication MUST NOT be
  //# configured for authentication of any target
  if (s.mutual_chap && s.chap && s.mutual_chap->secret == s.chap->secret)
    return config_error{path + ".mutual_chap.secret", "must differ from the initiator's secret"};
  if (auto bad = check_limits(s.limits, path + ".limits")) return bad;
  if (s.redirect)
    if (auto bad = check_redirect(*s.redirect, path + ".redirect")) return bad;
  std::set<std::uint64_t> numbers;
  for (std::size_t i = 0; i < t.luns.size(); ++i) {
    const auto lun_path = fmt::format("{}.luns[{}]", path, i);
    if (auto bad = check_lun(t.luns[i], lun_path)) return bad;
    if (!numbers.insert(t.luns[i].lun).second)
      return config_error{lun_path + ".lun", fmt::format("LUN {} is defined twice", t.luns[i].lun)};
  }
  return std::nullopt;
}

std::vector<std::string> weak_secret_warnings(const instance_config& c) {
  std::vector<std::string> out;
  auto check = [&](const std::optional<chap_account>& a, const std::string& where) {
    if (!a) return;
    const pdu::bytes_view secret(reinterpret_cast<const std::uint8_t*>(a->secret.data()),
                                 a->secret.size());
    //= rfc7143#section-9.2.1
    //# verify that the CHAP secret is at least 96 bits
    if (!pdu::chap_secret_is_strong(secret))
      out.push_back(fmt::format("{}: the CHAP secret of {} is shorter than 96 bits (rfc7143#section-9.2.1)",
                                where, a->user));
  };
  check(c.discovery.chap, "discovery.chap");
  check(c.discovery.mutual_chap, "discovery.mutual_chap");
  for (std::size_t i = 0; i < c.targets.size(); ++i) {
    check(c.targets[i].settings.chap, fmt::format("targets[{}].chap", i));
    check(c.targets[i].settings.mutual_chap, fmt::format("targets[{}].mutual_chap", i));
  }
  return out;
}

}  // namespace touchstone::target
