// The config file, read like its schema (docs/target.md has a full example):
//
//   { "portals": ["127.0.0.1:3260", "[::1]:3260"],
//     "discovery": { "chap": {...}, "mutual_chap": {...},
//                    "limits": { "header_digest": .., "data_digest": ..,
//                                "max_recv_data_segment_length": .., "login_timeout": ..,
//                                "nop_in_interval": .., "nop_in_timeout": .. } },
//     "logging": { "interval": 10, "lines_per_second": 20, "burst": 200 },
//     "limits": { ...defaults for every target..., "max_connections": 1024,
//                 "max_connections_per_address": 256, "max_login_connections": 256 },
//     "strict": true, "allow": ["leniency-name", ...],
//     "targets": [ { "iqn": ..., "alias": ..., "portal_group_tag": 1,
//                    "chap": {"user": .., "secret": ..}, "mutual_chap": {...},
//                    "initiators": [IQN, ...], "limits": {...},
//                    "redirect": {"to": ["host:port", ...], "permanent": false,
//                                 "when": "login" | "after-security"},
//                    "luns": [ {"lun": 0, "store": "mem", "size": "64MiB",
//                               "block_size": 512, "path": .., "read_only": false} ] } ] }
#include <set>

#include "config_reader.hpp"
#include "touchstone/target/leniency.hpp"

namespace touchstone::target {

using detail::object_reader;
using detail::required;

namespace {

constexpr std::uint32_t max_segment = 16777215;  // 2^24 - 1 (rfc7143#section-13.12 ..13.14)

// The keys of limits that a discovery session uses as well as a normal one.
void read_session_limits(object_reader& r, const std::string& path, target_limits& l) {
  static const std::vector<std::string_view> digest_modes{"optional", "required", "off"};
  static const std::string offers[] = {"None,CRC32C", "CRC32C", "None"};
  std::size_t header = 0, data = 0;
  const bool has_header = r.has("header_digest"), has_data = r.has("data_digest");
  r.choice("header_digest", digest_modes, header);
  r.choice("data_digest", digest_modes, data);
  if (has_header) l.header_digest = offers[header];
  if (has_data) l.data_digest = offers[data];
  r.seconds("nop_in_interval", l.nop_in_interval, 3600);
  r.seconds("nop_in_timeout", l.nop_in_timeout, 3600);
  r.seconds("login_timeout", l.login_timeout, 3600);
  if (r.ok() && l.login_timeout.count() == 0)
    r.set_error({detail::child(path, "login_timeout"), "must be at least 1 second"});
}

// The keys of a target's limits (those of the top level are every target's defaults).
void read_target_limits(object_reader& r, const std::string& path, target_limits& l) {
  r.number("max_sessions", l.max_sessions, 0, 65535);
  //= rfc7143#section-13.2
  //# MaxConnections=<numerical-value-from-1-to-65535>
  r.number("max_connections_per_session", l.max_connections_per_session, 1, 65535);
  r.number("max_tracked_nexuses", l.max_tracked_nexuses, 1, 1048576);
  r.number("max_erl", l.max_erl, 0, 1);  // ErrorRecoveryLevel 2 is not implemented yet
  r.number("queue_depth", l.queue_depth, 1, 65536);
  //= rfc7143#section-13.12
  //# MaxRecvDataSegmentLength=<numerical-value-512-to-(2**24 - 1)>
  r.number("max_recv_data_segment_length", l.max_recv_data_segment_length, 512, max_segment);
  r.number("max_burst_length", l.max_burst_length, 512, max_segment);
  r.number("first_burst_length", l.first_burst_length, 512, max_segment);
  r.number("max_outstanding_r2t", l.max_outstanding_r2t, 1, 65535);
  r.boolean("immediate_data", l.immediate_data);
  r.boolean("initial_r2t", l.initial_r2t);
  read_session_limits(r, path, l);
}

constexpr std::string_view connection_keys[] = {"max_connections", "max_connections_per_address",
                                                "max_login_connections"};

std::optional<config_error> read_limits(const json& j, const std::string& path, target_limits& l) {
  object_reader r(j, path);
  read_target_limits(r, path, l);
  for (auto key : connection_keys)
    if (r.ok() && r.has(key))
      r.set_error({detail::child(path, key),
                   "only in the top-level limits (a connection is counted before it names a target)"});
  return r.finish();
}

// The top-level limits: every target's defaults and the connection limits
// (connection_admission.hpp; 0: no limit).
std::optional<config_error> read_top_limits(const json& j, const std::string& path, target_limits& l,
                                            connection_limits& c) {
  constexpr std::uint32_t most = 1u << 20;
  object_reader r(j, path);
  read_target_limits(r, path, l);
  r.number(connection_keys[0], c.max_connections, 0, most);
  r.number(connection_keys[1], c.max_connections_per_address, 0, most);
  r.number(connection_keys[2], c.max_login_connections, 0, most);
  return r.finish();
}

std::optional<config_error> read_logging(const json& j, const std::string& path, log_limits& l) {
  object_reader r(j, path);
  r.seconds("interval", l.interval, 3600);
  r.number("lines_per_second", l.lines_per_second, 0, 1000000);
  r.number("burst", l.burst, 1, 1000000);
  return r.finish();
}

std::optional<config_error> read_luns(const json& j, const std::string& path,
                                      std::vector<lun_definition>& luns) {
  if (!j.is_array()) return config_error{path, "expected an array, got " + detail::describe(j)};
  std::uint64_t next = 0;
  for (std::size_t i = 0; i < j.size(); ++i) {
    auto lun = parse_lun(j[i], detail::element(path, i), next);
    if (!lun) return lun.error();
    next = lun->lun + 1;
    luns.push_back(std::move(*lun));
  }
  return std::nullopt;
}

std::optional<config_error> read_targets(const json& j, const std::string& path,
                                         const target_limits& defaults,
                                         std::vector<target_definition>& targets) {
  if (!j.is_array()) return config_error{path, "expected an array, got " + detail::describe(j)};
  std::set<std::string> names;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const auto at = detail::element(path, i);
    auto t = parse_target(j[i], at, defaults);
    if (!t) return t.error();
    if (!names.insert(t->settings.iqn).second)
      return config_error{at + ".iqn", "target " + t->settings.iqn + " is defined twice"};
    targets.push_back(std::move(*t));
  }
  return std::nullopt;
}

std::optional<config_error> read_portals(const json& j, const std::string& path,
                                         std::vector<endpoint_text>& portals) {
  if (!j.is_array() || j.empty())
    return config_error{path, "expected a non-empty array of \"HOST:PORT\" strings"};
  portals.clear();
  for (std::size_t i = 0; i < j.size(); ++i) {
    const auto at = detail::element(path, i);
    if (!j[i].is_string()) return config_error{at, "expected \"HOST:PORT\", got " + detail::describe(j[i])};
    auto e = parse_endpoint(*j[i].get_ptr<const std::string*>());
    if (!e) return config_error{at, e.error()};
    portals.push_back(*e);
  }
  return std::nullopt;
}

// A discovery session's limits: the digests it offers, what it accepts per
// PDU, its login timeout and pings (the bursts and R2Ts of SCSI data do not
// apply, nor the session count of a target).
std::optional<config_error> read_discovery_limits(const json& j, const std::string& path, target_limits& l) {
  object_reader r(j, path);
  r.number("max_recv_data_segment_length", l.max_recv_data_segment_length, 512, max_segment);
  read_session_limits(r, path, l);
  return r.finish();
}

std::optional<config_error> read_discovery(const json& j, const std::string& path,
                                           discovery_settings& d) {
  object_reader r(j, path);
  r.account("chap", d.chap);
  r.account("mutual_chap", d.mutual_chap);
  r.nested("limits", [&](const json& v, const std::string& p) { return read_discovery_limits(v, p, d.limits); });
  if (r.ok() && d.mutual_chap && !d.chap)
    r.set_error({path + ".mutual_chap", "mutual CHAP needs chap (the initiator's account) too"});
  if (r.ok() && d.mutual_chap && d.chap && d.mutual_chap->secret == d.chap->secret)
    r.set_error({path + ".mutual_chap.secret", "must differ from the initiator's secret"});
  return r.finish();
}

// Finds where a document stops being JSON: nlohmann's SAX interface reports
// the position without throwing when parse_error returns false.
struct syntax_error_locator {
  std::string found;
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(json::number_integer_t) { return true; }
  bool number_unsigned(json::number_unsigned_t) { return true; }
  bool number_float(json::number_float_t, const std::string&) { return true; }
  bool string(std::string&) { return true; }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) { return true; }
  bool key(std::string&) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    const std::string what = e.what();
    const auto at = what.find("parse error");
    found = at == std::string::npos ? what : what.substr(at);
    return false;
  }
};

std::string syntax_error(std::string_view text) {
  syntax_error_locator locator;
  (void)json::sax_parse(text, &locator);
  return locator.found.empty() ? "not valid JSON" : "not valid JSON: " + locator.found;
}

// "expected one of the leniency names: a, b, ..." (leniency.cpp defines them).
std::string leniency_names_error() {
  std::string names;
  for (const auto& l : leniency_table()) names += (names.empty() ? "" : ", ") + std::string(l.name);
  return "expected one of the leniency names: " + names;
}

}  // namespace

config_result<lun_definition> parse_lun(const json& j, const std::string& path,
                                        std::uint64_t default_number) {
  lun_definition l;
  l.lun = default_number;
  object_reader r(j, path);
  r.number("lun", l.lun, 0, 16383);
  std::size_t kind = 0;
  if (r.ok() && !r.has("store")) r.set_error({detail::child(path, "store"), "missing (expected mem, file or null)"});
  r.choice("store", {"mem", "file", "null"}, kind);
  l.store = static_cast<store_kind>(kind);
  r.text("path", l.path, l.store == store_kind::file);
  if (r.ok() && l.store != store_kind::file && r.has("path"))
    r.set_error({detail::child(path, "path"), "only a file store has a path"});
  r.size("size", l.size, l.store != store_kind::file);
  r.number("block_size", l.block_size, 0, UINT32_MAX);
  r.boolean("read_only", l.read_only);
  r.text("aptpl", l.aptpl);
  if (auto e = r.finish()) return fail(*e);
  if (auto e = check_lun(l, path)) return fail(*e);
  return l;
}

std::optional<config_error> read_redirect(const json& j, const std::string& path,
                                          std::optional<redirect_config>& out) {
  redirect_config c;
  object_reader r(j, path);
  if (r.ok() && !r.has("to"))
    r.set_error({detail::child(path, "to"), "missing (the TargetAddress values to send logins to)"});
  r.texts("to", c.addresses);
  r.boolean("permanent", c.permanent);
  std::size_t when = 0;
  r.choice("when", {"login", "after-security"}, when);
  c.after_security = when == 1;
  if (auto e = r.finish()) return e;
  out = std::move(c);
  return std::nullopt;
}

config_result<target_definition> parse_target(const json& j, const std::string& path,
                                              const target_limits& defaults) {
  target_definition t;
  auto& s = t.settings;
  s.limits = defaults;
  object_reader r(j, path);
  //= rfc7143#section-4.2.7.1
  //# Each iSCSI node, whether it is an initiator, a target, or both, MUST have an iSCSI name.
  //= rfc7143#section-4.5
  //# However, in all scenarios, note that an iSCSI node MUST only have a single iSCSI name.
  r.text("iqn", s.iqn, required);
  r.text("alias", s.alias);
  std::uint32_t tag = s.portal_group_tag;
  r.number("portal_group_tag", tag, 1, 65535);
  s.portal_group_tag = static_cast<std::uint16_t>(tag);
  r.account("chap", s.chap);
  r.account("mutual_chap", s.mutual_chap);
  r.texts("initiators", s.allowed_initiators);
  r.nested("redirect", [&](const json& v, const std::string& p) { return read_redirect(v, p, s.redirect); });
  r.nested("limits", [&](const json& v, const std::string& p) { return read_limits(v, p, s.limits); });
  r.nested("luns", [&](const json& v, const std::string& p) { return read_luns(v, p, t.luns); });
  if (auto e = r.finish()) return fail(*e);
  if (auto e = check_target(t, path)) return fail(*e);
  return t;
}

config_result<instance_config> parse_config(std::string_view text) {
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return fail(config_error{"config", syntax_error(text)});
  instance_config c;
  target_limits defaults;
  bool strict = true;
  std::vector<std::string> allow;
  object_reader r(doc, "config");
  r.nested("portals", [&](const json& v, const std::string& p) { return read_portals(v, p, c.portals); });
  r.nested("discovery", [&](const json& v, const std::string& p) { return read_discovery(v, p, c.discovery); });
  r.nested("limits", [&](const json& v, const std::string& p) {
    return read_top_limits(v, p, defaults, c.connections);
  });
  r.nested("logging", [&](const json& v, const std::string& p) { return read_logging(v, p, c.logging); });
  r.boolean("strict", strict);
  r.texts("allow", allow);
  for (std::size_t i = 0; r.ok() && i < allow.size(); ++i)
    if (find_leniency(allow[i]) == nullptr)
      r.set_error({detail::element("allow", i), leniency_names_error()});
  r.nested("targets", [&](const json& v, const std::string& p) { return read_targets(v, p, defaults, c.targets); });
  if (auto e = r.finish()) return fail(*e);
  for (auto& t : c.targets) {
    t.settings.strict = strict;
    t.settings.leniencies.insert(allow.begin(), allow.end());
  }
  return c;
}

}  // namespace touchstone::target
