// The negotiated operational values of a session and connection, starting at
// the RFC 7143 section 13 defaults, filled in from a negotiation's results.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "touchstone/pdu/keys.hpp"
#include "touchstone/pdu/result.hpp"
#include "touchstone/pdu/text_values.hpp"

namespace touchstone::pdu {

enum class digest_type : std::uint8_t { none, crc32c };
enum class task_reporting_mode : std::uint8_t { rfc3720, response_fence, fast_abort };

struct session_parameters {
  digest_type header_digest = digest_type::none;         // 13.1
  digest_type data_digest = digest_type::none;           // 13.1
  std::uint32_t max_connections = 1;                     // 13.2
  bool initial_r2t = true;                               // 13.10
  bool immediate_data = true;                            // 13.11
  // 13.12 is declared per direction: what this side accepts, and what the
  // peer accepts (the bound on the data segments this side sends).
  std::uint32_t max_recv_data_segment_length = 8192;
  std::uint32_t max_send_data_segment_length = 8192;
  std::uint32_t max_burst_length = 262144;               // 13.13
  std::uint32_t first_burst_length = 65536;              // 13.14
  std::uint32_t default_time2wait = 2;                   // 13.15
  std::uint32_t default_time2retain = 20;                // 13.16
  std::uint32_t max_outstanding_r2t = 1;                 // 13.17
  bool data_pdu_in_order = true;                         // 13.18
  bool data_sequence_in_order = true;                    // 13.19
  std::uint8_t error_recovery_level = 0;                 // 13.20
  session_kind session_type = session_kind::normal;      // 13.21
  task_reporting_mode task_reporting = task_reporting_mode::rfc3720;  // 13.23
  std::uint8_t protocol_level = 1;                       // 13.24, RFC 7144
  std::string auth_method = "None";                      // 12.1
  std::string initiator_name;                            // 13.5
  std::string target_name;                               // 13.4
  std::string initiator_alias;                           // 13.7
  std::string target_alias;                              // 13.6
  std::optional<std::uint16_t> target_portal_group_tag;  // 13.9

  friend bool operator==(const session_parameters&, const session_parameters&) = default;
};

// Stores one agreed key=value in the parameters. Keys with no field (the
// CHAP exchange, SendTargets, TargetAddress, X#NodeArchitecture) are ignored.
// MaxRecvDataSegmentLength sets max_recv_data_segment_length: the caller
// routes the peer's declaration to max_send_data_segment_length.
result<void, value_error> apply_key(session_parameters& params, std::string_view key,
                                    std::string_view value);

}  // namespace touchstone::pdu
