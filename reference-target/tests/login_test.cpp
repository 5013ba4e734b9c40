#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using pdu::login_stage;
using pdu::login_status;

TEST_CASE("login: a Normal session straight to the Full Feature Phase", "[target][login]") {
  driver d;
  auto s = login_normal(d);
  REQUIRE(s.sent.size() == 1);
  const pdu::login_response_view r(s.sent[0]);
  CHECK(r.status() == login_status::success);
  CHECK(r.is_final_response());
  CHECK(r.tsih() != 0);
  CHECK(r.stat_sn() == 100);
  CHECK(r.exp_cmd_sn() == 10);
  CHECK(find_key(parse(s.sent[0]), "TargetPortalGroupTag") != nullptr);
  CHECK(d.core().current_phase() == phase::ffp_normal);
}
