// Connections joining a session (RFC 7143 sections 6.3.1, 11.12.6,
// 11.13.3, 11.13.5, 13.2): with the session's ISID and TSIH and a new CID a
// connection is added and works; beyond the negotiated MaxConnections it
// is refused; a TSIH the ISID's session does not have is refused.
#include "mcs_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

//= rfc7143#section-6.3.1 type=test
//# |existing| non-zero    | new    |   add a new connection to      |
//# |        | existing    |        |   the session                  |
//= rfc7143#section-11.12.6 type=test
//# The TSIH
//# identifies to the target the associated existing session for this new
//# connection.
TOUCHSTONE_CASE({.id = "mcs.join.second-connection-works",
                 .title = "a second connection (the session's ISID and TSIH, CID 1) joins and carries a ping and a command",
                 .citations = {"rfc7143#section-6.3.1", "rfc7143#section-11.12.6", "rfc7143#section-13.2"},
                 .level = requirement_level::must,
                 .tags = {"mcs", "login"},
                 .needs = {need::mcs}}) {
  auto g = ctx.group();
  const auto led = g.lead(with_recovery(ctx.normal_login(), 0, 2));
  if (!led.ok()) return verdict::error("the leading login: " + led.summary());
  if (g.negotiated().max_connections < 2)
    return verdict::skip("the session negotiated MaxConnections=" + std::to_string(g.negotiated().max_connections));
  const auto joined = g.add();
  if (!joined.ok())
    return verdict::fail("the second connection of a session with MaxConnections=" +
                         std::to_string(g.negotiated().max_connections) + " was not added: " + joined.summary());
  auto& second = g.at(1);
  const auto ping = ping_request(second);
  if (second.send(ping)) return ctx.error_after("sending a ping on the second connection", second);
  const auto echo = await_itt(second, itt_of(ping));
  if (!echo.is(opcode::nop_in)) return unexpected(echo, "a NOP-In on the second connection");
  (void)clear_unit_attentions(second, ctx.target().lun);
  const auto out = run_scsi(second, unit_ready_request(ctx));
  if (!out.good()) return verdict::fail("TEST UNIT READY on the second connection: " + out.summary());
  return verdict::pass();
}

//= rfc7143#section-11.13.3 type=test
//# With the exception of the
//# Login Final-Response in a new session, this field should be set to the TSIH
//# provided by the initiator in the Login Request.
TOUCHSTONE_CASE({.id = "mcs.join.tsih-echoed",
                 .title = "every Login Response to a joining connection carries the session's TSIH",
                 .citations = {"rfc7143#section-11.13.3"},
                 .level = requirement_level::should,
                 .tags = {"mcs", "login", "tsih"},
                 .needs = {need::mcs}}) {
  auto g = connected_group(ctx, 1, 2);
  if (!g.ok()) return g.problem;
  if (g.group.negotiated().max_connections < 2) return verdict::skip("the session negotiated MaxConnections=1");
  const auto joined = g.group.add();
  if (joined.responses.empty()) return verdict::error("the joining login: " + joined.summary());
  for (std::size_t i = 0; i < joined.responses.size(); ++i) {
    const auto tsih = pdu::login_response_view(joined.responses[i]).tsih();
    if (tsih != g.group.tsih())
      return verdict::fail("Login Response " + std::to_string(i + 1) + " to the joining connection carries TSIH " +
                           hex16(tsih) + ", the session's is " + hex16(g.group.tsih()));
  }
  return verdict::pass(std::to_string(joined.responses.size()) + " Login Responses checked");
}

// A session offered MaxConnections=2, filled to what it negotiated (1 or 2),
// and one connection more: its login's outcome. Runs on any target.
struct beyond_max {
  verdict problem = verdict::pass();
  std::uint32_t agreed = 0;
  login_outcome extra;
};

beyond_max login_beyond_max(case_context& ctx) {
  beyond_max b;
  auto g = ctx.group();
  const auto led = g.lead(with_recovery(ctx.normal_login(), 0, 2));
  if (!led.ok()) return {verdict::error("the leading login: " + led.summary()), 0, {}};
  b.agreed = g.negotiated().max_connections;
  if (b.agreed > 2) return {verdict::fail("MaxConnections=2 was answered " + std::to_string(b.agreed)), b.agreed, {}};
  if (g.tsih() == 0)
    return {verdict::error("the leading Login Final-Response carried TSIH 0 (reserved, rfc7143#section-11.13.3)"),
            b.agreed, {}};
  while (g.size() < b.agreed) {
    const auto joined = g.add();
    if (!joined.ok())
      return {verdict::error("connection " + std::to_string(g.size() + 1) + " of MaxConnections=" +
                             std::to_string(b.agreed) + " was not added: " + joined.summary()),
              b.agreed, {}};
  }
  b.extra = g.add();
  return b;
}

//= rfc7143#section-13.2 type=test
//# The initiator and target negotiate the maximum number of connections
//# requested/acceptable.
//= rfc7143#section-11.13.5 type=test
//# If the Status-Class is not 0, the initiator and target MUST close the
//# TCP connection.
// A target that negotiated MaxConnections=N and takes an N+1th connection
// into the Full Feature Phase fails. (login.status.too-many-connections
// does this at MaxConnections=1 offered; here the offer is 2, so a target
// doing MC/S is held to its own limit too.)
TOUCHSTONE_CASE({.id = "mcs.join.beyond-max-refused",
                 .title = "MaxConnections=2 offered: one connection more than negotiated is refused with a Login reject",
                 .citations = {"rfc7143#section-13.2", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"mcs", "login"}}) {
  const auto b = login_beyond_max(ctx);
  if (b.problem.kind != verdict_kind::pass) return b.problem;
  const auto which = "connection " + std::to_string(b.agreed + 1) + " of a session of MaxConnections=" +
                     std::to_string(b.agreed);
  if (b.extra.ok()) return verdict::fail(which + " was taken into the Full Feature Phase");
  if (b.extra.how != login_ending::status) return verdict::error(which + ": " + b.extra.summary());
  return verdict::pass(which + " refused: " + b.extra.summary());
}

//= rfc7143#section-11.13.5 type=test
//# Too many      | 0206 | Too many connections on this SSID.
//= rfc7143#section-11.13.5 type=test
//# If the target wishes to reject the Login Request for more than one
//# reason, it should return the primary reason for the rejection.
// The status table gives 0x0206 for this refusal; the RFC puts no MUST on
// the choice of code, hence a should (a target without MC/S may see 0x0208
// "can't include in session" as its reason: this case says so).
TOUCHSTONE_CASE({.id = "mcs.join.beyond-max-status-0206",
                 .title = "one connection more than the negotiated MaxConnections is refused with 0x0206 (too many connections)",
                 .citations = {"rfc7143#section-11.13.5", "rfc7143#section-13.2"},
                 .level = requirement_level::should,
                 .tags = {"mcs", "login", "status"}}) {
  const auto b = login_beyond_max(ctx);
  if (b.problem.kind != verdict_kind::pass) return b.problem;
  if (b.extra.ok()) return verdict::fail("the extra connection was accepted (mcs.join.beyond-max-refused judges it)");
  if (b.extra.how != login_ending::status) return verdict::error("the extra connection: " + b.extra.summary());
  if (b.extra.status != pdu::login_status::too_many_connections)
    return verdict::fail("connection " + std::to_string(b.agreed + 1) + " of MaxConnections=" +
                         std::to_string(b.agreed) + " was refused with " + status_text(b.extra.status) +
                         ", not 0x0206 (too many connections)");
  return verdict::pass();
}

//= rfc7143#section-6.3.1 type=test
//# |existing| non-zero    | any    |   fail the login               |
//# |        | new         |        |   ("session does not exist")   |
//= rfc7143#section-11.13.5 type=test
//# Session does  | 020a | Attempt to add a connection
//# not exist     |      | to a non-existent session.
// The ISID names a live session (logged in here); the TSIH is not that
// session's. login.tsih.unknown-session does the same with a new ISID.
TOUCHSTONE_CASE({.id = "mcs.join.wrong-tsih-for-isid",
                 .title = "a connection with a live session's ISID but another TSIH fails with 0x020a",
                 .citations = {"rfc7143#section-6.3.1", "rfc7143#section-11.13.5", "rfc7143#section-11.12.6"},
                 .level = requirement_level::must,
                 .tags = {"mcs", "login", "tsih"}}) {
  auto g = connected_group(ctx, 1, 2);
  if (!g.ok()) return g.problem;
  auto o = g.group.join_options(g.group.next_cid());
  o.tsih = static_cast<std::uint16_t>(g.group.tsih() ^ 0x5a5a);
  const auto out = g.group.add(o);
  const auto named = "ISID of the live session (TSIH " + hex16(g.group.tsih()) + ") with TSIH " + hex16(o.tsih);
  if (out.ok()) return verdict::fail("a login with the " + named + " was taken into the Full Feature Phase");
  if (out.how != login_ending::status) return unexpected(out.last, "a Login Response with status 0x020a");
  if (out.status != pdu::login_status::session_does_not_exist)
    return verdict::fail("a login with the " + named + " was refused with " + status_text(out.status) +
                         ", not 0x020a");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
