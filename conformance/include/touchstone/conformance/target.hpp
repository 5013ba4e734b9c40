// What the runner knows about the target under test: where it listens, its
// name, the LUN to use, credentials, and the optional capabilities cases need.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "touchstone/conformance/case.hpp"
#include "touchstone/conformance/connection.hpp"
#include "touchstone/conformance/login.hpp"

namespace touchstone::conformance {

// A target that requires CHAP, for the cases that need CHAP when the target
// under test has no credentials configured: the embedded default serves one
// on a second portal (its Normal and Discovery sessions both require CHAP,
// one account that may also ask for mutual CHAP), so that CHAP cases run
// there while every other case keeps AuthMethod=None.
struct chap_stand_in {
  endpoint portal;
  std::string target_name;
  chap_credentials chap;            // with the target's own name and secret
  chap_credentials discovery_chap;  // the same for Discovery sessions
};

// What the target negotiated when the runner offered ErrorRecoveryLevel=2
// and MaxConnections=4 (probe_recovery): the need::erl1, erl2 and mcs
// cases run only where it is enough.
struct recovery_capability {
  bool probed = false;  // a probe login succeeded
  std::uint8_t error_recovery_level = 0;
  std::uint32_t max_connections = 1;
  std::string problem;  // why the probe failed, when it did
};
inline constexpr std::uint8_t probe_erl = 2;
inline constexpr std::uint32_t probe_max_connections = 4;

struct target_config {
  endpoint portal;
  std::string target_name;
  std::uint16_t lun = 0;
  std::string initiator_name = "iqn.2024-01.org.touchstone:conform";
  std::optional<chap_credentials> chap;
  // Discovery sessions log in with these (--discovery-chap USER%SECRET).
  std::optional<chap_credentials> discovery_chap;
  std::optional<chap_stand_in> chap_target;
  std::optional<std::uint16_t> second_lun;
  bool writable = false;
  bool destructive = false;  // cases may end every session (--destructive)
  // Set by probe_recovery before the cases run; unset: not probed.
  std::optional<recovery_capability> recovery;
};

// Whether the target offers what `n` needs; the reason when it does not.
bool has(const target_config& t, need n);
std::string missing_reason(need n);
// The reason with what the target negotiated ("the target negotiated
// MaxConnections=1 (offered 4)") for the recovery needs; missing_reason(n)
// for the others.
std::string missing_reason(const target_config& t, need n);
// Whether any of `needs` is one the recovery probe decides.
bool needs_recovery_probe(const std::vector<need>& needs);

// The target a case runs against: `t` itself, or, for a case whose CHAP needs
// `t` lacks, its chap_target (the same LUN, none of the optional extras).
target_config target_for(const target_config& t, const std::vector<need>& needs);

}  // namespace touchstone::conformance
