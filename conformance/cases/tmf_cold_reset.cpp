// TARGET COLD RESET: every session on the target ends (RFC 7143 sections
// 11.5.1, 11.6.1). Destructive: it runs only with --destructive.
#include "tmf_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

//= rfc7143#section-11.5.1 type=test
//# Additionally, the target MUST treat the TARGET COLD RESET function as
//# a power-on event, thus terminating all of its TCP connections to all
//# initiators (all sessions are terminated).
//= rfc7143#section-11.6.1 type=test
//# For the TARGET COLD RESET function, the target MUST then
//# close all of its TCP connections to all initiators (terminates all
//# sessions).
TOUCHSTONE_CASE({.id = "tmf.target-cold-reset.drops-all-sessions",
                 .title = "TARGET COLD RESET from one session closes its connection and another session's too",
                 .citations = {"rfc7143#section-11.5.1", "rfc7143#section-11.6.1"},
                 .level = requirement_level::must,
                 .tags = {"tmf", "reset"},
                 .needs = {need::destructive},
                 .serial = true}) {
  auto* other = ctx.logged_in();
  if (!other) return ctx.setup_error();
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto tmf = tmf_request(ctx, *s, pdu::tmf_function::target_cold_reset).build();
  const auto seen = send_tmf(*s, tmf);
  if (seen.is(opcode::task_mgmt_response)) {
    const auto code = pdu::task_mgmt_response_view(seen.received).raw_response();
    if (code == 5 || code == 6) return verdict::skip("TARGET COLD RESET (OPTIONAL) is not available here (response " + std::to_string(code) + ")");
    if (code != 0) return verdict::fail("TARGET COLD RESET got TMF response " + std::to_string(code));
    if (const auto after = s->expect_close(s->times().wait); !after.connection_lost())
      return verdict::fail("the connection that asked for the reset stays open: " + after.describe());
  } else if (!seen.connection_lost()) {
    return unexpected(seen, "a TMF Response or the close");
  }
  if (const auto gone = other->expect_close(other->times().wait); !gone.connection_lost())
    return verdict::fail("another session's connection stays open after TARGET COLD RESET: " + gone.describe());
  return survives(ctx, "TARGET COLD RESET");
}

}  // namespace
}  // namespace touchstone::conformance::cases
