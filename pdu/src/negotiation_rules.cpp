#include "negotiation_rules.hpp"

#include <algorithm>
#include <array>

#include "touchstone/pdu/text_values.hpp"

namespace touchstone::pdu::rules {

namespace {

using selector = std::string (*)(const key_spec&, std::string_view, std::string_view);
using checker = bool (*)(const key_spec&, std::string_view, std::string_view);

const std::string reject{value_reject};

bool contains(const std::vector<std::string_view>& items, std::string_view value) {
  return std::find(items.begin(), items.end(), value) != items.end();
}

//= rfc7143#section-6.2.1
//# The responding party MUST respond with the same key and the first value that
//# it supports (and is allowed to use for the specific originator) selected
//# from the originator list.
//= rfc7143#section-6.3.2
//# The target MUST reply with the first option in the list it supports and is allowed to use for
//# the specific initiator, unless it does not support any, in which case it MUST answer with
//# "Reject" (see Section 6.2).
std::string select_first(const key_spec& spec, std::string_view offered, std::string_view local) {
  auto proposed = split_list(offered);
  auto supported = split_list(local);
  if (!proposed || !supported || !check_value(spec, offered)) return reject;
  //= rfc7143#section-6.2.1
  //# If an acceptor does not understand any particular value in a list, it MUST ignore it.
  for (const auto item : *proposed) {
    if (contains(*supported, item)) return std::string(item);
  }
  //= rfc7143#section-6.2.1
  //# If an acceptor does not support, does not understand, or is not allowed to
  //# use any of the proposed options with a specific originator, it may use the
  //# constant "Reject"
  return reject;
}

//= rfc7143#section-6.2.1
//# The selection of a value not proposed MUST be handled by the originator as a
//# protocol error.
bool admissible_first(const key_spec&, std::string_view offered, std::string_view answer) {
  auto proposed = split_list(offered);
  return proposed && contains(*proposed, answer);
}

// Parses offered and local numbers; nullopt-like failure means Reject.
struct number_pair {
  bool valid;
  std::uint64_t offered;
  std::uint64_t local;
};

number_pair parse_numbers(const key_spec& spec, std::string_view offered, std::string_view local) {
  //= rfc7143#section-6.2.2
  //# Proposing a value not admissible (e.g., not within the specified bounds) MAY
  //# be answered with the constant "Reject"
  auto o = parse_number_in(offered, spec.min, spec.max);
  auto l = parse_number_in(local, spec.min, spec.max);
  if (!o || !l) return {false, 0, 0};
  return {true, *o, *l};
}

//= rfc7143#section-13
//# "Minimum" means that the selected value cannot exceed the offered value.
std::string select_minimum(const key_spec& spec, std::string_view offered, std::string_view local) {
  const auto n = parse_numbers(spec, offered, local);
  return n.valid ? encode_number(std::min(n.offered, n.local)) : reject;
}

std::string select_maximum(const key_spec& spec, std::string_view offered, std::string_view local) {
  const auto n = parse_numbers(spec, offered, local);
  return n.valid ? encode_number(std::max(n.offered, n.local)) : reject;
}

//= rfc7143#section-13
//# "Maximum" means that the selected value cannot be lower than the offered value.
bool admissible_numeric(const key_spec& spec, std::string_view offered, std::string_view answer,
                        bool minimum) {
  auto o = parse_number(offered);
  auto a = parse_number_in(answer, spec.min, spec.max);
  if (!o || !a) return false;
  return minimum ? *a <= *o : *a >= *o;
}

//= rfc7143#section-6.2.2
//# For Boolean negotiations (i.e., keys taking the values "Yes" or "No"), the accepting party MUST
//# answer with the same key and the result of the negotiation when the received value does not
//# determine that result by itself.
std::string select_boolean(std::string_view offered, std::string_view local, bool is_and) {
  auto o = parse_boolean(offered);
  auto l = parse_boolean(local);
  if (!o || !l) return reject;
  return std::string(encode_boolean(is_and ? (*o && *l) : (*o || *l)));
}

//= rfc7143#section-13
//# "AND" means that the selected value must be a possible result of a Boolean
//# "and" function with an arbitrary Boolean value ... "OR" means that the
//# selected value must be a possible result of a Boolean "or" function
bool admissible_boolean(std::string_view offered, std::string_view answer, bool is_and) {
  auto o = parse_boolean(offered);
  auto a = parse_boolean(answer);
  if (!o || !a) return false;
  return is_and ? (*o || !*a) : (!*o || *a);
}

std::string select_none(const key_spec&, std::string_view, std::string_view) { return reject; }
bool admissible_never(const key_spec&, std::string_view, std::string_view) { return false; }

struct rule_row {
  selector select;
  checker admissible;
};

// Indexed by result_function.
constexpr std::array<rule_row, 9> rule_table = {{
    {select_first, admissible_first},
    {select_minimum,
     [](const key_spec& s, std::string_view o, std::string_view a) {
       return admissible_numeric(s, o, a, true);
     }},
    {select_maximum,
     [](const key_spec& s, std::string_view o, std::string_view a) {
       return admissible_numeric(s, o, a, false);
     }},
    {[](const key_spec&, std::string_view o, std::string_view l) { return select_boolean(o, l, true); },
     [](const key_spec&, std::string_view o, std::string_view a) {
       return admissible_boolean(o, a, true);
     }},
    {[](const key_spec&, std::string_view o, std::string_view l) { return select_boolean(o, l, false); },
     [](const key_spec&, std::string_view o, std::string_view a) {
       return admissible_boolean(o, a, false);
     }},
    {select_none, admissible_never},  // declarative
    {select_none, admissible_never},  // authentication
    {select_none, admissible_never},  // request
    {select_none, admissible_never},  // obsolete
}};

const rule_row& row(const key_spec& spec) {
  return rule_table[static_cast<std::size_t>(spec.function)];
}

}  // namespace

std::string select(const key_spec& spec, std::string_view offered, std::string_view local) {
  return row(spec).select(spec, offered, local);
}

bool admissible(const key_spec& spec, std::string_view offered, std::string_view answer) {
  return row(spec).admissible(spec, offered, answer);
}

//= rfc7143#section-6.2.2
//# The Boolean function is "AND" and the value "No" is received. ... The Boolean
//# function is "OR" and the value "Yes" is received.
bool offer_decides(const key_spec& spec, std::string_view offered) {
  return (spec.function == result_function::boolean_and && offered == "No") ||
         (spec.function == result_function::boolean_or && offered == "Yes");
}

bool is_negotiated(const key_spec& spec) {
  switch (spec.function) {
    case result_function::list_first:
    case result_function::minimum:
    case result_function::maximum:
    case result_function::boolean_and:
    case result_function::boolean_or: return true;
    default: return false;
  }
}

}  // namespace touchstone::pdu::rules
