// Task management and teardown while a command's store I/O is in flight
// (device_server::submit): the command ends exactly once, as aborted when a
// TMF aborted it, and nothing outlives what it uses.
#include "async_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

constexpr std::uint8_t write10 = 0x2A;

}  // namespace

//= sam5#7.2 type=test
//# ABORT TASK of a task in the task set: the task is aborted
TEST_CASE("submit: ABORT TASK of a command whose I/O is in flight answers it aborted, once",
          "[scsi][async][task_management]") {
  auto store = std::make_shared<gate_store>(64);
  fixture f(store);
  store->close_gate();
  const task_tag tag = f.next_tag;
  auto w = submit(f, cdb10(write10, 3, 1), pattern(512, 1));
  REQUIRE(store->wait_for("w3"));
  auto tmf = f.server.task_management(f.nx, tmf_function::abort_task, tag);
  CHECK(tmf.task_found);
  CHECK_FALSE(w->answered());
  store->open_gate();
  auto r = w->wait();
  CHECK(r.aborted);
  CHECK(r.status == status::good);  // nothing to send: the transport drops it
  CHECK(w->completions == 1);
  // The task left the task set: a new command may reuse its tag.
  CHECK_FALSE(f.lu->tasks().present(f.nx.it, tag));
}

//= sam5#7.7 type=test
//# LOGICAL UNIT RESET: abort every task, reset the LU's state
TEST_CASE("submit: LOGICAL UNIT RESET aborts in-flight and queued commands, each once",
          "[scsi][async][task_management]") {
  auto store = std::make_shared<gate_store>(64);
  fixture f(store);
  store->close_gate();
  auto in_flight = submit(f, cdb10(write10, 3, 1), pattern(512, 1));
  REQUIRE(store->wait_for("w3"));
  auto queued = submit(f, cdb10(write10, 3, 1), pattern(512, 2));  // waits on the first's range
  const nexus other = nexus_of(initiator_b());
  (void)f.server.task_management(other, tmf_function::logical_unit_reset);
  store->open_gate();
  CHECK(in_flight->wait().aborted);
  CHECK(queued->wait().aborted);
  CHECK(in_flight->completions == 1);
  CHECK(queued->completions == 1);
  CHECK(f.lu->tasks().size() == 0);
}

TEST_CASE("submit: the device server waits for in-flight commands before it goes",
          "[scsi][async][task_management]") {
  auto store = std::make_shared<gate_store>(64);
  std::unique_ptr<submitted> w;
  std::thread opener;
  {
    fixture f(store);
    store->close_gate();
    w = submit(f, cdb10(write10, 7, 1), pattern(512, 3));
    REQUIRE(store->wait_for("w7"));
    opener = std::thread([&] {
      std::this_thread::sleep_for(50ms);
      store->open_gate();
    });
  }  // ~device_server waits: the completion has run by now
  CHECK(w->completions == 1);
  opener.join();
  CHECK(w->wait().status == status::good);
}
