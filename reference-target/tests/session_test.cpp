// The session object without a connection core (session.hpp): its
// connections by CID within max_connections, its tasks and the command
// window slots they hold, and what it keeps of a login's negotiation.
#include <catch2/catch.hpp>

#include "touchstone/target/session.hpp"

using namespace touchstone;
using namespace touchstone::target;

namespace {

pdu::session_parameters negotiated() {
  pdu::session_parameters p;
  p.header_digest = pdu::digest_type::crc32c;
  p.data_digest = pdu::digest_type::crc32c;
  p.max_recv_data_segment_length = 65536;
  p.max_send_data_segment_length = 1024;
  p.max_burst_length = 131072;
  p.initial_r2t = false;
  p.initiator_name = "iqn.2026-12.org.example:initiator";
  return p;
}

task numbered_task(std::uint32_t itt, bool immediate = false) {
  task t;
  t.itt = itt;
  t.immediate = immediate;
  return t;
}

}  // namespace

TEST_CASE("session: keeps the session-wide values of a login, not its connection-only keys",
          "[target][session]") {
  const session s(7, 0x400001370000, negotiated(), cmdsn_window(10, 4));
  CHECK(s.tsih() == 7);
  CHECK(s.isid() == 0x400001370000);
  CHECK(s.params().max_burst_length == 131072);
  CHECK_FALSE(s.params().initial_r2t);
  CHECK(s.params().initiator_name == "iqn.2026-12.org.example:initiator");
  const pdu::session_parameters defaults;
  CHECK(s.params().header_digest == defaults.header_digest);
  CHECK(s.params().data_digest == defaults.data_digest);
  CHECK(s.params().max_recv_data_segment_length == defaults.max_recv_data_segment_length);
  CHECK(s.params().max_send_data_segment_length == defaults.max_send_data_segment_length);
}

TEST_CASE("session: connections by CID, at most max_connections, a CID once", "[target][session]") {
  session s(1, 1, negotiated(), cmdsn_window(1, 1));
  // The session only keeps the pointers (never follows them here): no
  // connection core is needed, any distinct addresses do.
  int cores[2] = {};
  auto* first = reinterpret_cast<connection*>(&cores[0]);
  auto* second = reinterpret_cast<connection*>(&cores[1]);
  REQUIRE(s.join(3, first));
  CHECK(s.find_connection(3) == first);
  CHECK_FALSE(s.join(3, second));  // the CID is taken
  if (s.max_connections() == 1) CHECK_FALSE(s.join(4, second));  // full
  CHECK(s.connection_count() == 1);
  CHECK(s.leave(9) == 1);  // not a member: nothing changes
  CHECK(s.leave(3) == 0);
  CHECK(s.find_connection(3) == nullptr);
  CHECK(s.join(4, second));
}

TEST_CASE("session: a non-immediate task holds a window slot from add_task to end_task",
          "[target][session]") {
  session s(1, 1, negotiated(), cmdsn_window(10, 2));
  CHECK(s.window().max_cmd_sn() == 11);
  s.add_task(numbered_task(0x10));
  CHECK(s.window().max_cmd_sn() == 10);  // one slot held
  s.add_task(numbered_task(0x11, true));
  CHECK(s.window().max_cmd_sn() == 10);  // an immediate task holds none
  CHECK(s.tasks().size() == 2);
  s.end_task(0x11);
  CHECK(s.window().max_cmd_sn() == 10);
  s.end_task(0x10);
  CHECK(s.window().max_cmd_sn() == 11);
  s.end_task(0x10);  // already gone: nothing changes
  CHECK(s.window().max_cmd_sn() == 11);
  CHECK(s.tasks().empty());
}

TEST_CASE("session: job numbers are the session's, and find their task", "[target][session]") {
  session s(1, 1, negotiated(), cmdsn_window(1, 8));
  auto& a = s.add_task(numbered_task(1));
  a.job = s.next_job();
  auto& b = s.add_task(numbered_task(2));
  b.job = s.next_job();
  CHECK(a.job != b.job);
  REQUIRE(s.find_task_by_job(b.job) != nullptr);
  CHECK(s.find_task_by_job(b.job)->itt == 2);
  CHECK(s.find_task_by_job(b.job + 100) == nullptr);
  CHECK(s.any_task([](const task& t) { return t.itt == 1; }));
}
