// The configuration of one touchstone-target instance: what the JSON config
// file (--config) and the command-line options (--lun, --iqn, ...) both build.
// Parsing never throws: a bad file is refused with the JSON path of the first
// problem ("targets[0].luns[2].size: expected a size like 64MiB").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "touchstone/pdu/result.hpp"
#include "touchstone/target/config.hpp"
#include "touchstone/target/connection_admission.hpp"
#include "touchstone/target/server.hpp"

namespace touchstone::target {

using json = nlohmann::json;

enum class store_kind : std::uint8_t { memory, file, null };
std::string_view name(store_kind k);  // "mem", "file", "null"

// One LUN and the store behind it.
struct lun_definition {
  std::uint64_t lun = 0;
  store_kind store = store_kind::memory;
  std::string path;        // file stores
  std::uint64_t size = 0;  // bytes; 0 for a file store: the file's size
  std::uint32_t block_size = 512;
  bool read_only = false;
  // Where the persistent reservation state is kept for APTPL (spc4#5.13.5):
  // restored when the LU is created, saved while the last APTPL bit was one.
  // Empty: no such file, PTPL_C=0 and APTPL=1 refused.
  std::string aptpl;
  friend bool operator==(const lun_definition&, const lun_definition&) = default;
};

// One target node: its settings (shared with the connection core) and LUNs.
struct target_definition {
  target_config settings;  // iqn, alias, CHAP, allow-list, limits, leniencies
  std::vector<lun_definition> luns;
};

// Discovery sessions: the instance's own settings, never a target's (a
// discovery session lists every target, so no one target's policy applies).
struct discovery_settings {
  // CHAP accounts (authenticated discovery when set).
  std::optional<chap_account> chap;
  std::optional<chap_account> mutual_chap;
  // Of these limits a discovery session uses the digests, the data segment
  // length it accepts, the login timeout and the NOP-In pings; the config's
  // "discovery.limits" sets them (the top-level "limits" are the targets').
  target_limits limits;
};

struct instance_config {
  std::vector<endpoint_text> portals{{"127.0.0.1", 3260}};
  discovery_settings discovery;
  // From the top-level "limits": counted before a connection has a target.
  connection_limits connections;
  log_limits logging;  // lines about initiators (log_throttle.hpp)
  std::vector<target_definition> targets;
};

// Where a value was wrong, and why.
struct config_error {
  std::string path;  // "targets[0].luns[2].size", "config" for the whole document
  std::string message;
  std::string text() const { return path + ": " + message; }
};

template <class T>
using config_result = result<T, config_error>;

// The whole document.
config_result<instance_config> parse_config(std::string_view json_text);
// Parts, for the management methods (params of target.create and lun.add);
// `path` prefixes the error paths. `defaults` are the limits a target starts from.
config_result<target_definition> parse_target(const json& j, const std::string& path,
                                              const target_limits& defaults = {});
config_result<lun_definition> parse_lun(const json& j, const std::string& path,
                                        std::uint64_t default_number);

// Values shared by the file and the command line.
std::optional<std::uint64_t> parse_size(std::string_view text);  // "64MiB", "1G", "4096"
// --lun: "mem:SIZE", "null:SIZE", "file:PATH[,size=SIZE][,ro][,bs=4096][,aptpl=STATE]".
config_result<lun_definition> parse_lun_option(std::string_view text, std::uint64_t number);
// --chap: "USER:SECRET".
std::optional<chap_account> parse_account_option(std::string_view text);

// Checks that do not depend on the syntax: names, duplicates, ranges.
std::optional<config_error> check_target(const target_definition& t, const std::string& path);
// Why `address` cannot be a redirect's TargetAddress (HOST[:PORT], no tag).
std::optional<std::string> redirect_address_error(std::string_view address);
std::optional<config_error> check_lun(const lun_definition& l, const std::string& path);

// Secrets shorter than 96 bits are legal but weak (rfc7143#section-9.2.1):
// one warning line per account, for the caller to log.
std::vector<std::string> weak_secret_warnings(const instance_config& c);

}  // namespace touchstone::target
