// PERSISTENT RESERVE IN (5Eh) and OUT (5Fh): CDBs, parameter lists and the
// parsers of what PR IN returns (spc4#6.15, spc4#6.16), built without the
// scsi/ library so the suite stays a plain initiator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "touchstone/pdu/wire.hpp"

namespace touchstone::conformance::cdb {

//= spc4#6.15.1 table 199
//# PERSISTENT RESERVE IN service action codes
enum class pr_in_action : std::uint8_t {
  read_keys = 0x0,
  read_reservation = 0x1,
  report_capabilities = 0x2,
  read_full_status = 0x3,
};

//= spc4#6.16.2 table 210
//# PERSISTENT RESERVE OUT service action codes
enum class pr_out_action : std::uint8_t {
  register_key = 0x0,
  reserve = 0x1,
  release = 0x2,
  clear = 0x3,
  preempt = 0x4,
  preempt_and_abort = 0x5,
  register_and_ignore = 0x6,
  register_and_move = 0x7,
};

//= spc4#6.16.3 table 211
//# persistent reservation TYPE codes
enum class pr_type : std::uint8_t {
  none = 0x0,
  write_exclusive = 0x1,
  exclusive_access = 0x3,
  write_exclusive_registrants_only = 0x5,
  exclusive_access_registrants_only = 0x6,
  write_exclusive_all_registrants = 0x7,
  exclusive_access_all_registrants = 0x8,
};
const char* name(pr_type t);

// PERSISTENT RESERVE IN: service action, allocation length (bytes 7-8).
pdu::byte_buffer pr_in(pr_in_action action, std::uint16_t allocation_length);

// PERSISTENT RESERVE OUT: service action, SCOPE (LU_SCOPE: 0) and TYPE,
// PARAMETER LIST LENGTH (bytes 5-8).
pdu::byte_buffer pr_out(pr_out_action action, pr_type type, std::uint32_t parameter_list_length);

// The basic PR OUT parameter list (24 bytes, spc4#6.16.4).
struct pr_out_parameters {
  std::uint64_t key = 0;                 // RESERVATION KEY
  std::uint64_t service_action_key = 0;  // SERVICE ACTION RESERVATION KEY
  bool spec_i_pt = false;
  bool all_tg_pt = false;
  bool aptpl = false;
};
pdu::byte_buffer pr_out_list(const pr_out_parameters& p);

// An iSCSI TransportID, format 01b (port name: "name,i,0x<ISID>"),
// NUL-terminated and padded to a multiple of four (spc4#7.6.4.6).
pdu::byte_buffer iscsi_transport_id(const std::string& initiator_name, std::uint64_t isid);

// The REGISTER AND MOVE parameter list (spc4#6.16.5).
struct register_and_move_parameters {
  std::uint64_t key = 0;
  std::uint64_t service_action_key = 0;
  bool unreg = false;
  bool aptpl = false;
  std::uint16_t relative_target_port = 0;
  pdu::byte_buffer transport_id;
};
pdu::byte_buffer register_and_move_list(const register_and_move_parameters& p);

// READ KEYS parameter data (spc4#6.15.2).
struct pr_keys {
  std::uint32_t generation = 0;
  std::vector<std::uint64_t> keys;
};
std::optional<pr_keys> parse_read_keys(pdu::bytes_view data);

// READ RESERVATION parameter data (spc4#6.15.3): no reservation when absent.
struct pr_reservation {
  std::uint32_t generation = 0;
  bool reserved = false;
  std::uint64_t key = 0;
  std::uint8_t scope = 0;
  pr_type type = pr_type::none;
};
std::optional<pr_reservation> parse_read_reservation(pdu::bytes_view data);

// REPORT CAPABILITIES parameter data (spc4#6.15.4).
struct pr_capabilities {
  bool ptpl_c = false;   // persist through power loss capable
  bool ptpl_a = false;   // persist through power loss activated
  bool atp_c = false;    // all target ports capable
  bool sip_c = false;    // specify initiator ports capable
  bool tmv = false;      // the type mask is valid
  std::uint16_t type_mask = 0;  // bytes 4-5 as read
  bool supports(pr_type t) const;
};
std::optional<pr_capabilities> parse_report_capabilities(pdu::bytes_view data);

// READ FULL STATUS parameter data (spc4#6.15.5).
struct pr_status_descriptor {
  std::uint64_t key = 0;
  bool all_tg_pt = false;
  bool holder = false;
  std::uint8_t scope = 0;
  pr_type type = pr_type::none;
  std::uint16_t relative_target_port = 0;
  pdu::byte_buffer transport_id;
  // The iSCSI name in the TransportID ("name" or "name,i,0x<isid>").
  std::string port_name() const;
};
struct pr_full_status {
  std::uint32_t generation = 0;
  std::vector<pr_status_descriptor> descriptors;
};
std::optional<pr_full_status> parse_read_full_status(pdu::bytes_view data);

}  // namespace touchstone::conformance::cdb
