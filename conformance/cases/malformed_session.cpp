// A format error on one connection of a two-connection session: the target
// MUST terminate every connection of the session (RFC 7143 sections 7.7,
// 6.3.1 for adding the connection).
#include "malformed_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// A session of two connections (CID 0 and 1); skip when the target keeps
// MaxConnections at 1 or refuses the second.
struct two_connections {
  session* first = nullptr;
  session* second = nullptr;
  verdict problem = verdict::pass();
};

two_connections open_two(case_context& ctx) {
  two_connections t;
  auto o = ctx.normal_login();
  o.operational = {{"MaxConnections", "2"}};
  t.first = ctx.logged_in(o);
  if (!t.first) {
    t.problem = ctx.setup_error();
    return t;
  }
  if (t.first->params().max_connections < 2) {
    t.problem = verdict::skip("the target negotiated MaxConnections=" + std::to_string(t.first->params().max_connections));
    return t;
  }
  //= rfc7143#section-6.3.1 type=test
  //# |existing| non-zero    | new    |   add a new connection to      |
  //# |        | existing    |        |   the session                  |
  auto* s = ctx.connect();
  if (!s) {
    t.problem = ctx.setup_error();
    return t;
  }
  o.operational.clear();
  o.tsih = t.first->tsih();
  o.cid = 1;
  o.cmd_sn = t.first->cmd_sn();
  if (const auto out = login(*s, o); !out.ok()) {
    t.problem = verdict::skip("a second connection was not accepted: " + out.summary());
    return t;
  }
  s->set_cmd_sn(t.first->cmd_sn());
  t.second = s;
  return t;
}

//= rfc7143#section-7.7 type=test
//# When a target or an initiator receives an iSCSI PDU with a format
//# error, it MUST immediately terminate all transport connections in the
//# session with either a connection close or a connection reset, and
//# escalate the format error to session recovery (see Section 7.1.4.4).
TOUCHSTONE_CASE({.id = "malformed.format-error.ends-all-connections",
                 .title = "a format error (TMF Request with data) on connection 2 of a session closes connection 1 too",
                 .citations = {"rfc7143#section-7.7", "rfc7143#section-11.5.2", "rfc7143#section-6.3.1"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "format-error", "survival"}}) {
  auto t = open_two(ctx);
  if (!t.second) return t.problem;
  const auto bad = tmf_request(ctx, *t.second, pdu::tmf_function::abort_task_set).data(pattern(8)).build();
  if (t.second->send(bad)) return ctx.error_after("sending", *t.second);
  const auto here = t.second->expect_close(t.second->times().wait);
  if (!here.connection_lost())
    return verdict::fail("the connection that carried the format error stays open: " + here.describe());
  const auto other = t.first->expect_close(t.first->times().wait);
  if (!other.connection_lost())
    return verdict::fail("the session's other connection stays open after the format error: " + other.describe());
  return survives(ctx, "a format error in a two-connection session");
}

}  // namespace
}  // namespace touchstone::conformance::cases
