// The key table: every text key of RFC 7143 sections 12 and 13 (and RFC 7144's
// iSCSIProtocolLevel), described once. The negotiation engine is driven by it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "touchstone/pdu/result.hpp"
#include "touchstone/pdu/text_values.hpp"

namespace touchstone::pdu {

// The syntax of a key's value.
enum class value_kind : std::uint8_t {
  list,          // list-of-values drawn from allowed_values (or any text-value)
  number,        // numerical-value in [min, max]
  boolean,       // Yes / No
  iscsi_name,    // iSCSI-name-value (section 4.2.7)
  local_name,    // iSCSI-local-name-value (UTF-8)
  text,          // text-value
  address,       // TargetAddress: domainname[:port][,portal-group-tag]
  number_list,   // CHAP_A: a list of numbers
  binary,        // CHAP_C / CHAP_R: hex or base64, at most max_length bytes
  send_targets,  // SendTargets=All | <iSCSI-name> | empty
  enumerated,    // exactly one of allowed_values (SessionType)
  range,         // numerical-range low~high within [min, max] (RFC 3720 markers)
};

// How the acceptor selects (section 13 "Result function").
enum class result_function : std::uint8_t {
  list_first,      // first value of the offerer's list the acceptor supports
  minimum,         // the selection cannot exceed the offer
  maximum,         // the selection cannot be lower than the offer
  boolean_and,
  boolean_or,
  declarative,     // no answer expected
  authentication,  // a step of the authentication exchange: the caller answers
  request,         // SendTargets: the target answers with its target list
  obsolete,        // RFC 3720 keys of section 13.25: answered with Reject
};

//= rfc7143#section-13
//# Key scope is indicated as session-wide (SW) or connection-only (CO).
enum class key_scope : std::uint8_t { session, connection };

//= rfc7143#section-13
//# "use: LO" (Leading Only) ... "use: IO" (Initialize Only) ... "use: ALL" ... FFPO
enum class key_use : std::uint8_t {
  io,        // login only, any connection
  lo,        // login of the leading connection only
  ffpo,      // full feature phase only
  all,       // login and full feature phase
  security,  // section 12: the SecurityNegotiation stage only
  never,     // not sent by this side at all
};

enum class key_senders : std::uint8_t { initiator, target, both };

// Which RFC defines the key: NotUnderstood for an RFC 7143 key is a protocol
// error; RFC 7144 allows it for iSCSIProtocolLevel; obsolete keys are RFC 3720.
enum class key_origin : std::uint8_t { rfc7143, rfc7144, rfc3720_obsolete };

enum class role : std::uint8_t { initiator, target };
enum class negotiation_phase : std::uint8_t { security, operational, full_feature };
enum class session_kind : std::uint8_t { normal, discovery };

struct key_spec {
  std::string_view name = {};
  value_kind kind = value_kind::text;
  result_function function = result_function::declarative;
  std::string_view default_value = {};  // empty when the RFC gives no default
  std::uint64_t min = 0;           // numeric bounds (number, number_list)
  std::uint64_t max = 0;
  std::size_t max_length = max_simple_value_length;  // bytes (decoded for binary)
  key_scope scope = key_scope::session;
  key_use initiator_use = key_use::never;
  key_use target_use = key_use::never;
  bool any_stage = false;                 // also allowed in SecurityNegotiation
  bool irrelevant_in_discovery = false;   // "Irrelevant when: SessionType=Discovery"
  bool repeatable = false;                // may be declared more than once
  key_origin origin = key_origin::rfc7143;
  std::span<const std::string_view> allowed_values = {};  // list keys; empty: any
  std::string_view section = {};  // "rfc7143#section-13.10"
};

// The whole table, in section order.
std::span<const key_spec> key_table();

// The entry of a key, or nullptr when this library does not know it.
const key_spec* find_key(std::string_view key);

//= rfc7143#section-13.22
//# X-reversed.vendor.dns_name.do_something=
bool is_private_extension_key(std::string_view key);

// Which side may send the key, and its use for that side.
key_senders senders(const key_spec& spec);
key_use use_for(const key_spec& spec, role sender);

// May `sender` send this key in `phase`? (Leading-only is checked apart.)
bool allowed_in_phase(const key_spec& spec, role sender, negotiation_phase phase);
// "use: LO" for that sender: only on the leading connection's login.
bool leading_only(const key_spec& spec, role sender);

// Checks a value against the key's syntax and bounds (sections 6.1 and 13).
// For list keys it checks the list syntax only: unknown items are ignored by
// the acceptor (section 6.2.1), not errors.
result<void, value_error> check_value(const key_spec& spec, std::string_view value);

std::string_view name(value_kind k);
std::string_view name(result_function f);
std::string_view name(key_use u);
std::string_view name(role r);
std::string_view name(negotiation_phase p);

}  // namespace touchstone::pdu
