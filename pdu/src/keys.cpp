// Questions asked of the key table: who may send a key, when, and with what value.
#include "touchstone/pdu/keys.hpp"

#include <algorithm>
#include <array>

#include "touchstone/pdu/iscsi_name.hpp"

namespace touchstone::pdu {

bool is_private_extension_key(std::string_view key) { return key.starts_with("X-"); }

key_senders senders(const key_spec& spec) {
  const bool initiator = spec.initiator_use != key_use::never;
  const bool target = spec.target_use != key_use::never;
  return initiator && target ? key_senders::both
         : initiator         ? key_senders::initiator
                             : key_senders::target;
}

key_use use_for(const key_spec& spec, role sender) {
  return sender == role::initiator ? spec.initiator_use : spec.target_use;
}

bool leading_only(const key_spec& spec, role sender) { return use_for(spec, sender) == key_use::lo; }

bool allowed_in_phase(const key_spec& spec, role sender, negotiation_phase phase) {
  const auto use = use_for(spec, sender);
  const bool login_use = use == key_use::io || use == key_use::lo || use == key_use::all;
  switch (phase) {
    //= rfc7143#section-12
    //# Only the following keys are used during the SecurityNegotiation stage ...
    //# Other keys MUST NOT be used.
    case negotiation_phase::security: return use == key_use::security || (spec.any_stage && login_use);
    //= rfc7143#section-6.3
    //# Sending a key that is not allowed in the current stage is considered a protocol error.
    case negotiation_phase::operational: return login_use;
    //= rfc7143#section-13
    //# Keys that can only be used during login have the "use: IO" ... those that can be
    //# used in both the Login Phase and Full Feature Phase have the "use: ALL".
    case negotiation_phase::full_feature: return use == key_use::all || use == key_use::ffpo;
  }
  return false;
}

namespace {

result<void, value_error> check_list(const key_spec& spec, std::string_view value) {
  if (value.size() > spec.max_length) return fail(value_error::too_long);
  auto items = split_list(value);
  if (!items) return fail(items.error());
  for (const auto item : *items) {
    //= rfc7143#section-6.2
    //# Violation of this rule is a protocol error (in particular, the use of
    //# "Reject", "Irrelevant", and "NotUnderstood" as proposed values).
    if (is_answer_constant(item)) return fail(value_error::reserved_constant);
    if (auto checked = check_text_value(item); !checked) return checked;
  }
  return ok;
}

result<void, value_error> check_number_list(const key_spec& spec, std::string_view value) {
  auto items = split_list(value);
  if (!items) return fail(items.error());
  for (const auto item : *items) {
    if (auto n = parse_number_in(item, spec.min, spec.max); !n) return fail(n.error());
  }
  return ok;
}

result<void, value_error> check_port_or_tag(std::string_view digits) {
  if (auto n = parse_number_in(digits, 0, 65535); !n) return fail(value_error::bad_address);
  return ok;
}

// rfc7143 section 13.8, in our words:
// TargetAddress=domainname[:port][,portal-group-tag] The domainname can be
// specified as either a DNS host name, a dotted-decimal IPv4 address, or a
// bracketed IPv6 address
result<void, value_error> check_address(std::string_view value) {
  if (value.empty()) return fail(value_error::bad_address);
  if (value.size() > max_simple_value_length) return fail(value_error::too_long);
  const auto comma = value.find(',');
  if (comma != std::string_view::npos) {
    if (auto tag = check_port_or_tag(value.substr(comma + 1)); !tag) return tag;
    value = value.substr(0, comma);
  }
  const auto host_end = value.starts_with('[') ? value.find(']') + 1 : value.find(':');
  if (host_end == 0) return fail(value_error::bad_address);  // '[' without ']'
  const auto host = value.substr(0, host_end);
  if (host.empty() || !check_text_value(host)) return fail(value_error::bad_address);
  if (host_end >= value.size()) return ok;
  if (value[host_end] != ':') return fail(value_error::bad_address);
  return check_port_or_tag(value.substr(host_end + 1));
}

// rfc7143 appendix C, in our words:
// SendTargets=All ... SendTargets=<iSCSI-target-name> ... SendTargets=<nothing>
result<void, value_error> check_send_targets(std::string_view value) {
  if (value.empty() || value == "All") return ok;
  if (!validate_iscsi_name(value)) return fail(value_error::bad_iscsi_name);
  return ok;
}

result<void, value_error> check_enumerated(const key_spec& spec, std::string_view value) {
  const auto& allowed = spec.allowed_values;
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
    return fail(value_error::not_in_list);
  }
  return ok;
}

result<void, value_error> check_range(const key_spec& spec, std::string_view value) {
  auto range = parse_range(value);
  if (!range) return fail(range.error());
  if (range->low < spec.min || range->high > spec.max) return fail(value_error::out_of_range);
  return ok;
}

}  // namespace

result<void, value_error> check_value(const key_spec& spec, std::string_view value) {
  switch (spec.kind) {
    case value_kind::list: return check_list(spec, value);
    case value_kind::number: {
      auto n = parse_number_in(value, spec.min, spec.max);
      if (!n) return fail(n.error());
      return ok;
    }
    case value_kind::boolean: {
      auto b = parse_boolean(value);
      if (!b) return fail(b.error());
      return ok;
    }
    case value_kind::iscsi_name:
      if (!validate_iscsi_name(value)) return fail(value_error::bad_iscsi_name);
      return ok;
    case value_kind::local_name: return check_local_name(value, spec.max_length);
    case value_kind::text: return check_text_value(value, spec.max_length);
    case value_kind::address: return check_address(value);
    case value_kind::number_list: return check_number_list(spec, value);
    case value_kind::binary: {
      auto bytes = parse_binary(value, spec.max_length);
      if (!bytes) return fail(bytes.error());
      return ok;
    }
    case value_kind::send_targets: return check_send_targets(value);
    case value_kind::enumerated: return check_enumerated(spec, value);
    case value_kind::range: return check_range(spec, value);
  }
  return fail(value_error::bad_character);
}

std::string_view name(value_kind k) {
  constexpr std::array<std::string_view, 12> names = {
      "list",    "number",      "boolean", "iscsi_name",   "local_name", "text",
      "address", "number_list", "binary",  "send_targets", "enumerated", "range"};
  return names.at(static_cast<std::size_t>(k));
}

std::string_view name(result_function f) {
  constexpr std::array<std::string_view, 9> names = {
      "list_first", "minimum", "maximum", "boolean_and", "boolean_or",
      "declarative", "authentication", "request", "obsolete"};
  return names.at(static_cast<std::size_t>(f));
}

std::string_view name(key_use u) {
  constexpr std::array<std::string_view, 6> names = {"IO", "LO", "FFPO", "ALL", "security", "never"};
  return names.at(static_cast<std::size_t>(u));
}

std::string_view name(role r) { return r == role::initiator ? "initiator" : "target"; }

std::string_view name(negotiation_phase p) {
  constexpr std::array<std::string_view, 3> names = {"security", "operational", "full_feature"};
  return names.at(static_cast<std::size_t>(p));
}

}  // namespace touchstone::pdu
