// Agreed key values into typed session parameters, through a small setter table.
#include "touchstone/pdu/session_parameters.hpp"

#include <array>

namespace touchstone::pdu {

namespace {

using setter = result<void, value_error> (*)(session_parameters&, std::string_view);

template <class T>
result<void, value_error> store_number(T& field, std::string_view value) {
  auto n = parse_number(value);
  if (!n) return fail(n.error());
  field = static_cast<T>(*n);
  return ok;
}

result<void, value_error> store_boolean(bool& field, std::string_view value) {
  auto b = parse_boolean(value);
  if (!b) return fail(b.error());
  field = *b;
  return ok;
}

result<void, value_error> store_digest(digest_type& field, std::string_view value) {
  if (value == "CRC32C") field = digest_type::crc32c;
  else if (value == value_none) field = digest_type::none;
  else return fail(value_error::not_in_list);
  return ok;
}

result<void, value_error> store_session_type(session_kind& field, std::string_view value) {
  if (value == "Discovery") field = session_kind::discovery;
  else if (value == "Normal") field = session_kind::normal;
  else return fail(value_error::not_in_list);
  return ok;
}

result<void, value_error> store_task_reporting(task_reporting_mode& field, std::string_view value) {
  if (value == "RFC3720") field = task_reporting_mode::rfc3720;
  else if (value == "ResponseFence") field = task_reporting_mode::response_fence;
  else if (value == "FastAbort") field = task_reporting_mode::fast_abort;
  else return fail(value_error::not_in_list);
  return ok;
}

result<void, value_error> store_tag(std::optional<std::uint16_t>& field, std::string_view value) {
  auto n = parse_number_in(value, 0, 65535);
  if (!n) return fail(n.error());
  field = static_cast<std::uint16_t>(*n);
  return ok;
}

struct field_setter {
  std::string_view key;
  setter set;
};

using P = session_parameters&;
using V = std::string_view;

constexpr std::array setters = {
    field_setter{"HeaderDigest", [](P p, V v) { return store_digest(p.header_digest, v); }},
    field_setter{"DataDigest", [](P p, V v) { return store_digest(p.data_digest, v); }},
    field_setter{"MaxConnections", [](P p, V v) { return store_number(p.max_connections, v); }},
    field_setter{"InitialR2T", [](P p, V v) { return store_boolean(p.initial_r2t, v); }},
    field_setter{"ImmediateData", [](P p, V v) { return store_boolean(p.immediate_data, v); }},
    field_setter{"MaxRecvDataSegmentLength",
                 [](P p, V v) { return store_number(p.max_recv_data_segment_length, v); }},
    field_setter{"MaxBurstLength", [](P p, V v) { return store_number(p.max_burst_length, v); }},
    field_setter{"FirstBurstLength",
                 [](P p, V v) { return store_number(p.first_burst_length, v); }},
    field_setter{"DefaultTime2Wait", [](P p, V v) { return store_number(p.default_time2wait, v); }},
    field_setter{"DefaultTime2Retain",
                 [](P p, V v) { return store_number(p.default_time2retain, v); }},
    field_setter{"MaxOutstandingR2T",
                 [](P p, V v) { return store_number(p.max_outstanding_r2t, v); }},
    field_setter{"DataPDUInOrder", [](P p, V v) { return store_boolean(p.data_pdu_in_order, v); }},
    field_setter{"DataSequenceInOrder",
                 [](P p, V v) { return store_boolean(p.data_sequence_in_order, v); }},
    field_setter{"ErrorRecoveryLevel",
                 [](P p, V v) { return store_number(p.error_recovery_level, v); }},
    field_setter{"SessionType", [](P p, V v) { return store_session_type(p.session_type, v); }},
    field_setter{"TaskReporting",
                 [](P p, V v) { return store_task_reporting(p.task_reporting, v); }},
    field_setter{"iSCSIProtocolLevel", [](P p, V v) { return store_number(p.protocol_level, v); }},
    field_setter{"AuthMethod", [](P p, V v) -> result<void, value_error> {
                   p.auth_method = std::string(v);
                   return ok;
                 }},
    field_setter{"InitiatorName", [](P p, V v) -> result<void, value_error> {
                   p.initiator_name = std::string(v);
                   return ok;
                 }},
    field_setter{"TargetName", [](P p, V v) -> result<void, value_error> {
                   p.target_name = std::string(v);
                   return ok;
                 }},
    field_setter{"InitiatorAlias", [](P p, V v) -> result<void, value_error> {
                   p.initiator_alias = std::string(v);
                   return ok;
                 }},
    field_setter{"TargetAlias", [](P p, V v) -> result<void, value_error> {
                   p.target_alias = std::string(v);
                   return ok;
                 }},
    field_setter{"TargetPortalGroupTag",
                 [](P p, V v) { return store_tag(p.target_portal_group_tag, v); }},
};

}  // namespace

result<void, value_error> apply_key(session_parameters& params, std::string_view key,
                                    std::string_view value) {
  for (const auto& [name, set] : setters) {
    if (name == key) return set(params, value);
  }
  return ok;
}

}  // namespace touchstone::pdu
