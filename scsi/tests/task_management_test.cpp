// Task management at the device-server level.
#include "support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

TEST_CASE("ABORT TASK of a queued task: found, then execute answers aborted", "[scsi][tmf]") {
  fixture f;
  f.server.enter_task(f.nx, 42, task_attribute::simple);
  auto r = f.server.task_management(f.nx, tmf_function::abort_task, 42);
  CHECK(r.response == tmf_service_response::function_complete);
  CHECK(r.task_found);
  REQUIRE(r.aborted.size() == 1);
  CHECK(r.aborted[0].tag == 42);
  request q;
  auto c = cdb6(0x00, 0, 0);
  q.cdb = c;
  q.tag = 42;
  auto e = f.server.execute(f.nx, q);
  CHECK(e.aborted);
  CHECK(e.status == status::good);
  CHECK(f.lu->tasks().size() == 0);
}

TEST_CASE("ABORT TASK of an unknown task is FUNCTION COMPLETE, not found", "[scsi][tmf]") {
  fixture f;
  auto r = f.server.task_management(f.nx, tmf_function::abort_task, 7);
  CHECK(r.response == tmf_service_response::function_complete);
  CHECK_FALSE(r.task_found);
}

TEST_CASE("QUERY TASK: FUNCTION SUCCEEDED while the task is in the set", "[scsi][tmf]") {
  fixture f;
  f.server.enter_task(f.nx, 5, task_attribute::simple);
  CHECK(f.server.task_management(f.nx, tmf_function::query_task, 5).response ==
        tmf_service_response::function_succeeded);
  f.server.forget_task(f.nx, 5);
  CHECK(f.server.task_management(f.nx, tmf_function::query_task, 5).response ==
        tmf_service_response::function_complete);
}

TEST_CASE("TMF to a LUN without an LU: INCORRECT LUN", "[scsi][tmf]") {
  fixture f;
  CHECK(f.server.task_management(nexus_of(initiator_a(), 9), tmf_function::abort_task_set).response ==
        tmf_service_response::incorrect_lun);
}

TEST_CASE("ABORT TASK SET aborts only the caller's tasks", "[scsi][tmf]") {
  fixture f;
  nexus b = nexus_of(initiator_b());
  f.server.enter_task(f.nx, 1, task_attribute::simple);
  f.server.enter_task(b, 1, task_attribute::simple);
  auto r = f.server.task_management(f.nx, tmf_function::abort_task_set);
  REQUIRE(r.aborted.size() == 1);
  CHECK(r.aborted[0].it == f.nx.it);
  CHECK(f.lu->tasks().present(b.it, 1));
  CHECK(f.lu->pending_uas(b.it).empty());  // no unit attention for anyone
}

TEST_CASE("CLEAR TASK SET: COMMANDS CLEARED BY ANOTHER INITIATOR, or TASK ABORTED with TAS", "[scsi][tmf]") {
  fixture f;
  nexus b = nexus_of(initiator_b());
  f.clear_uas(b.it);
  SECTION("TAS=0") {
    f.server.enter_task(b, 3, task_attribute::simple);
    auto r = f.server.task_management(f.nx, tmf_function::clear_task_set);
    REQUIRE(r.aborted.size() == 1);
    CHECK_FALSE(r.aborted[0].report_task_aborted);
    require_sense(f.run_on(b, cdb6(0x00, 0, 0)), sense_key::unit_attention,
                  asc::commands_cleared_by_another_initiator);
  }
  SECTION("TAS=1") {
    f.lu->pages().find(mode_page_code::control)->current[5] |= 0x40;
    f.server.enter_task(b, 3, task_attribute::simple);
    auto r = f.server.task_management(f.nx, tmf_function::clear_task_set);
    REQUIRE(r.aborted.size() == 1);
    CHECK(r.aborted[0].report_task_aborted);
    request q;
    auto c = cdb6(0x00, 0, 0);
    q.cdb = c;
    q.tag = 3;
    auto e = f.server.execute(b, q);
    CHECK(e.aborted);
    CHECK(e.status == status::task_aborted);
    CHECK(f.run_on(b, cdb6(0x00, 0, 0)).status == status::good);
  }
}

TEST_CASE("LOGICAL UNIT RESET: UA 29h/03h to every nexus, mode pages revert", "[scsi][tmf]") {
  fixture f;
  nexus b = nexus_of(initiator_b());
  f.clear_uas(b.it);
  f.lu->pages().find(mode_page_code::control)->current[2] |= 0x04;
  f.server.enter_task(b, 3, task_attribute::simple);
  auto r = f.server.task_management(f.nx, tmf_function::logical_unit_reset);
  CHECK(r.aborted.size() == 1);
  CHECK_FALSE(f.lu->pages().d_sense());
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::unit_attention, asc::bus_device_reset_function_occurred);
  require_sense(f.run_on(b, cdb6(0x00, 0, 0)), sense_key::unit_attention,
                asc::bus_device_reset_function_occurred);
  CHECK(f.run_on(b, cdb6(0x00, 0, 0)).status == status::good);
}

namespace {
struct spc2_like final : lu_extension {
  int resets = 0;
  int losses = 0;
  void on_event(logical_unit&, const lu_event& ev) override {
    (ev.kind == lu_event_kind::logical_unit_reset ? resets : losses)++;
  }
};
}  // namespace

TEST_CASE("I_T NEXUS RESET: 29h/07h to that nexus only, extensions told", "[scsi][tmf]") {
  fixture f;
  nexus b = nexus_of(initiator_b());
  f.clear_uas(b.it);
  spc2_like* ext = nullptr;
  {
    auto lock = f.lu->lock_execution();
    ext = &f.lu->extension<spc2_like>();
  }
  f.server.enter_task(f.nx, 1, task_attribute::simple);
  auto r = f.server.task_management(f.nx, tmf_function::it_nexus_reset);
  CHECK(r.aborted.size() == 1);
  CHECK(ext->losses == 1);
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::unit_attention, asc::i_t_nexus_loss_occurred);
  CHECK(f.run_on(b, cdb6(0x00, 0, 0)).status == status::good);
  (void)f.server.task_management(f.nx, tmf_function::logical_unit_reset);
  CHECK(ext->resets == 1);
}

TEST_CASE("protocol event clearing: 47h/7Fh for the nexus that lost tasks", "[scsi][tmf]") {
  fixture f;
  f.server.enter_task(f.nx, 1, task_attribute::simple);
  f.server.commands_cleared_by_protocol_event(f.nx.it);
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::unit_attention,
                asc::commands_cleared_by_iscsi_protocol_event);
}

TEST_CASE("task attributes: can_start honours ORDERED and HEAD OF QUEUE", "[scsi][tmf]") {
  task_set s;
  it_nexus a = initiator_a();
  REQUIRE(s.enter(a, 1, task_attribute::simple));
  REQUIRE(s.enter(a, 2, task_attribute::ordered));
  REQUIRE(s.enter(a, 3, task_attribute::simple));
  REQUIRE(s.enter(a, 4, task_attribute::head_of_queue));
  CHECK(s.can_start(a, 1));
  CHECK_FALSE(s.can_start(a, 2));  // waits for 1
  CHECK_FALSE(s.can_start(a, 3));  // waits for the ORDERED 2
  CHECK(s.can_start(a, 4));
  (void)s.finish(a, 1);
  CHECK(s.can_start(a, 2));
  CHECK_FALSE(s.can_start(a, 3));
  (void)s.finish(a, 2);
  CHECK(s.can_start(a, 3));
}

TEST_CASE("a tag reused while its task runs is an overlapped command", "[scsi][tmf]") {
  task_set s;
  it_nexus a = initiator_a();
  CHECK(s.start(a, 1, task_attribute::simple, nullptr) == task_set::start_outcome::started);
  CHECK(s.start(a, 1, task_attribute::simple, nullptr) == task_set::start_outcome::overlapped);
  CHECK_FALSE(s.enter(a, 1, task_attribute::simple));
}
