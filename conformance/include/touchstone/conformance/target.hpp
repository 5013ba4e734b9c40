// What the runner knows about the target under test: where it listens, its
// name, the LUN to use, credentials, and the optional capabilities cases need.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "touchstone/conformance/case.hpp"
#include "touchstone/conformance/connection.hpp"
#include "touchstone/conformance/login.hpp"

namespace touchstone::conformance {

struct target_config {
  endpoint portal;
  std::string target_name;
  std::uint16_t lun = 0;
  std::string initiator_name = "iqn.2024-01.org.touchstone:conform";
  std::optional<chap_credentials> chap;
  std::optional<std::uint16_t> second_lun;
  bool writable = false;
  bool erl1 = false;
};

// Whether the target offers what `n` needs; the reason when it does not.
bool has(const target_config& t, need n);
std::string missing_reason(need n);

}  // namespace touchstone::conformance
