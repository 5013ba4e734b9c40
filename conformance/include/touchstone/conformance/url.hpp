// libiscsi's URL form for a target:
//   iscsi://[user[%secret]@]host[:port]/target-iqn[/lun]
// with an optional ?target_user=U&target_password=P for mutual CHAP.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "touchstone/pdu/result.hpp"

namespace touchstone::conformance {

struct target_url {
  std::string user;
  std::string secret;
  std::string host;
  std::uint16_t port = 3260;
  std::string target_name;
  std::uint16_t lun = 0;
  std::string target_user;      // mutual CHAP
  std::string target_password;  // mutual CHAP
  friend bool operator==(const target_url&, const target_url&) = default;
};

// Errors are one-line messages naming the part that is wrong.
result<target_url, std::string> parse_target_url(std::string_view text);

// The URL without any secret, for reports.
std::string display(const target_url& u);

}  // namespace touchstone::conformance
