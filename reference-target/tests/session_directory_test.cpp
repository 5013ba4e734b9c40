// The session directory asks a live session to end (reinstatement, TARGET
// COLD RESET, connection reinstatement) by its flag, and wakes the
// connection holding it so the end takes effect at once, not at its next tick.
#include <catch2/catch.hpp>

#include "touchstone/target/session_directory.hpp"

using namespace touchstone::target;

namespace {

struct wakes {
  int count = 0;
  session_directory::waker waker() {
    return [this] { ++count; };
  }
};

}  // namespace

TEST_CASE("session directory: session reinstatement ends and wakes the old session only",
          "[target][reinstatement]") {
  session_directory d;
  wakes old_one, other, new_one;
  const auto key = session_key("iqn.i", 0x1234, "iqn.t", 1);
  const auto old_flag = d.enroll(1, key, {}, old_one.waker());
  const auto other_flag = d.enroll(2, session_key("iqn.i", 0x9999, "iqn.t", 1), {}, other.waker());
  //= rfc7143#section-6.3.5
  //# Session reinstatement causes all the tasks that were active on the old
  //# session to be immediately terminated by the target without further
  //# notice to the initiator.
  REQUIRE(d.reinstate(key, 3));
  CHECK(old_flag->load() == termination::reinstated);
  CHECK(old_one.count == 1);
  CHECK(other_flag->load() == termination::none);
  CHECK(other.count == 0);
  d.enroll(3, key, {}, new_one.waker());
  CHECK(new_one.count == 0);
  CHECK(d.size() == 2);
}

TEST_CASE("session directory: connection reinstatement wakes the old connection, the new one takes over",
          "[target][reinstatement]") {
  session_directory d;
  wakes first, second;
  const auto old_flag = d.enroll(7, session_key("iqn.i", 1, "iqn.t", 1), {}, first.waker());
  const auto new_flag = d.replace_connection(7, 0, second.waker());
  REQUIRE(new_flag);
  CHECK(old_flag->load() == termination::connection_reinstated);
  CHECK(first.count == 1);
  CHECK(second.count == 0);
  // A TARGET COLD RESET from another session now wakes the new connection.
  CHECK(d.terminate_all_except(8) == 1);
  CHECK(new_flag->load() == termination::target_reset);
  CHECK(second.count == 1);
  CHECK(first.count == 1);
}

TEST_CASE("session directory: a session enrolled without a waker is still ended by its flag",
          "[target][reinstatement]") {
  session_directory d;
  const auto key = session_key("iqn.i", 5, "iqn.t", 1);
  const auto flag = d.enroll(1, key, {});
  CHECK(d.reinstate(key, 2));
  CHECK(flag->load() == termination::reinstated);
}

TEST_CASE("session directory: a multi-task TMF's aborts reach and wake every other Normal session, once each",
          "[target][tmf]") {
  session_directory d;
  wakes issuing, third, discovery;
  live_session normal;
  normal.params.session_type = touchstone::pdu::session_kind::normal;
  live_session discovering;
  discovering.params.session_type = touchstone::pdu::session_kind::discovery;
  d.enroll(1, session_key("iqn.i", 1, "iqn.t", 1), normal, issuing.waker());
  d.enroll(2, session_key("iqn.i", 2, "iqn.t", 1), normal, third.waker());
  d.enroll(3, session_key("iqn.i", 3, "iqn.t", 1), discovering, discovery.waker());
  CHECK(d.abort_tasks_except(1, task_abort{0, false}) == 1);
  CHECK(d.abort_tasks_except(1, task_abort{0, false}) == 1);  // the same abort again
  CHECK(d.abort_tasks_except(1, task_abort{1, true}) == 1);
  CHECK(third.count == 3);
  CHECK(issuing.count == 0);
  CHECK(discovery.count == 0);
  const auto notice = d.notice(2);
  REQUIRE(notice);
  const auto taken = notice->take();
  REQUIRE(taken.size() == 2);
  CHECK(taken[0] == task_abort{0, false});
  CHECK(taken[1] == task_abort{1, true});
  CHECK(notice->take().empty());
  CHECK(d.notice(1)->take().empty());
  // A replaced connection gets a notice of its own: the old one's aborts are not its.
  d.abort_tasks_except(1, task_abort{0, false});
  REQUIRE(d.replace_connection(2, 0, third.waker()));
  CHECK(d.notice(2)->take().empty());
  CHECK_FALSE(d.notice(9));
}
