// MaxConnections and ErrorRecoveryLevel offered above 1 and 0: the answer
// is the Minimum of the offers (RFC 7143 sections 13, 13.2, 13.20), and the
// session goes on with it. They run on any target: a target that does
// neither MC/S nor recovery answers 1 and 0, which is legal.
#include "login_helpers.hpp"
#include "touchstone/pdu/text_values.hpp"

namespace touchstone::conformance::cases {
namespace {

struct minimum_offer {
  case_info info;
  std::string_view key;
  std::string_view offered;
  std::uint64_t lowest;  // the key's range starts here
};

const minimum_offer minimum_offers[] = {
    //= rfc7143#section-13.2 type=test
    //# Result function is Minimum.
    //= rfc7143#section-13 type=test
    //# "Minimum" means that the selected value cannot exceed the offered
    //# value.
    {.info = {.id = "mcs.negotiation.max-connections-4-minimum",
              .title = "MaxConnections=4 is answered with a value from 1 to 4 (Minimum)",
              .citations = {"rfc7143#section-13.2", "rfc7143#section-13"},
              .level = requirement_level::must,
              .tags = {"mcs", "login", "keys"}},
     .key = "MaxConnections", .offered = "4", .lowest = 1},
    //= rfc7143#section-13.2 type=test
    //# MaxConnections=<numerical-value-from-1-to-65535>
    {.info = {.id = "mcs.negotiation.max-connections-65535-minimum",
              .title = "MaxConnections=65535 (the range's top) is answered with a value from 1 to 65535",
              .citations = {"rfc7143#section-13.2", "rfc7143#section-13"},
              .level = requirement_level::must,
              .tags = {"mcs", "login", "keys"}},
     .key = "MaxConnections", .offered = "65535", .lowest = 1},
    //= rfc7143#section-13.20 type=test
    //# Result function is Minimum.
    {.info = {.id = "recovery.negotiation.erl-2-minimum",
              .title = "ErrorRecoveryLevel=2 is answered with 0, 1 or 2 (Minimum)",
              .citations = {"rfc7143#section-13.20", "rfc7143#section-13"},
              .level = requirement_level::must,
              .tags = {"recovery", "erl2", "login", "keys"}},
     .key = "ErrorRecoveryLevel", .offered = "2", .lowest = 0},
    //= rfc7143#section-13.20 type=test
    //# Result function is Minimum.
    {.info = {.id = "recovery.negotiation.erl-1-minimum",
              .title = "ErrorRecoveryLevel=1 is answered with 0 or 1 (Minimum)",
              .citations = {"rfc7143#section-13.20", "rfc7143#section-13"},
              .level = requirement_level::must,
              .tags = {"recovery", "erl1", "login", "keys"}},
     .key = "ErrorRecoveryLevel", .offered = "1", .lowest = 0},
};

// Fails on an answer above the offer (a target answering MaxConnections=8
// to 4 would let the initiator open connections the target never agreed
// to) or outside the key's range, and on no answer (both keys are
// negotiated, not declared: section 6.2 wants a response to every offer).
verdict run_minimum_offer(case_context& ctx, const minimum_offer& row) {
  const auto out = login_offering(ctx, {{std::string(row.key), std::string(row.offered)}});
  if (out.how == login_ending::transport) return verdict::error("login: " + out.summary());
  if (!out.ok()) return verdict::fail("an admissible offer failed the login: " + out.summary());
  const auto answer = find_value(out.response_pairs(), row.key);
  if (!answer) return verdict::fail(std::string(row.key) + "=" + std::string(row.offered) + " was not answered");
  const auto offered = pdu::parse_number(row.offered);
  if (!offered || !pdu::parse_number_in(*answer, row.lowest, *offered))
    return verdict::fail(std::string(row.key) + "=" + std::string(row.offered) + " was answered " + *answer +
                         ", which Minimum rules out");
  return verdict::pass(std::string(row.key) + "=" + *answer);
}

TOUCHSTONE_CASE_TABLE(minimum_offers, run_minimum_offer);

}  // namespace
}  // namespace touchstone::conformance::cases
