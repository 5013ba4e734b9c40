// The core: dispatch order, lookup errors, unit attentions, access hooks,
// write protection, data-in truncation.
#include "support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

response fake_data(command_context& ctx) { return ctx.data_in(byte_buffer(100, 0xAB), ctx.cdb()[4]); }
response fake_good(command_context& ctx) { return ctx.good(); }

command_table fake_table() {
  command_table t;
  t.add({.opcode = 0x12, .name = "INQ", .cdb_length = 6,
         .flags = cmd_flag::runs_without_lu | cmd_flag::ua_exempt, .access = reservation_access::allowed,
         .run = fake_data});
  t.add({.opcode = 0x00, .name = "TUR", .cdb_length = 6, .flags = cmd_flag::medium_access,
         .access = reservation_access::allowed, .run = fake_good});
  t.add({.opcode = 0x2A, .name = "W", .cdb_length = 10, .flags = cmd_flag::writes_medium, .run = fake_good});
  t.add({.opcode = 0x9E, .service_action = 0x10, .name = "RC16", .cdb_length = 16, .run = fake_good});
  t.add({.opcode = 0x7F, .service_action = 0x0009, .name = "V", .cdb_length = 32, .run = fake_good});
  return t;
}

struct conflict_everything final : lu_extension {
  access_decision check_access(const command_context& ctx) const override {
    return ctx.entry.access == reservation_access::allowed ? access_decision::allowed
                                                            : access_decision::reservation_conflict;
  }
};

struct server_fixture {
  std::shared_ptr<logical_unit> lu =
      std::make_shared<logical_unit>(lu_config{}, make_memory_store(512, 64));
  device_server server{fake_table()};
  nexus nx = nexus_of(initiator_a());
  server_fixture() { REQUIRE(server.add_lu(lu)); }
  response run(const byte_buffer& cdb, std::uint32_t expected = 255, const nexus* n = nullptr) {
    request r;
    r.cdb = cdb;
    r.expected_data_in_length = expected;
    return server.execute(n ? *n : nx, r);
  }
};

}  // namespace

TEST_CASE("the builtin table has no conflicting registrations", "[scsi][core]") {
  auto t = builtin_command_table();
  CHECK(t.conflicts().empty());
  CHECK_FALSE(t.entries().empty());
}

TEST_CASE("a duplicate registration is kept out and reported", "[scsi][core]") {
  command_table t = fake_table();
  t.add({.opcode = 0x00, .name = "TUR again", .run = fake_good});
  t.add({.opcode = 0x9E, .name = "all of 9E", .run = fake_good});
  REQUIRE(t.conflicts().size() == 2);
  CHECK(t.find(0x00, std::nullopt)->name == "TUR");
}

TEST_CASE("first command of a new nexus reports POWER ON, RESET", "[scsi][core][ua]") {
  server_fixture f;
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::unit_attention, asc::power_on_reset_or_bus_device_reset);
  CHECK(f.run(cdb6(0x00, 0, 0)).status == status::good);
}

TEST_CASE("unknown opcode: ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE", "[scsi][core]") {
  server_fixture f;
  f.lu->touch(f.nx.it);
  (void)f.lu->pop_ua(f.nx.it);
  auto r = f.run(cdb10(0xEE, 0, 0));
  require_sense(r, sense_key::illegal_request, asc::invalid_command_operation_code);
  CHECK(r.sense.size() == fixed_sense_length);
  CHECK(r.sense[15] == 0);  // no sense-key specific data
}

TEST_CASE("unknown service action points at the service action field", "[scsi][core]") {
  server_fixture f;
  (void)f.run(cdb6(0x00, 0, 0));  // consume POWER ON
  auto c = cdb16(0x9E, 0, 0, 0x11);
  require_invalid_cdb_field(f.run(c), 1, 4);
  c[1] = 0x10;
  CHECK(f.run(c).status == status::good);

  byte_buffer v(32, 0);
  v[0] = 0x7F;
  v[9] = 0x0A;
  require_invalid_cdb_field(f.run(v), 8, 7);
  v[9] = 0x09;
  CHECK(f.run(v).status == status::good);
}

TEST_CASE("a CDB shorter than the command's length is an invalid field", "[scsi][core]") {
  server_fixture f;
  (void)f.run(cdb6(0x00, 0, 0));
  byte_buffer c = {0x2A, 0, 0, 0, 0, 0};
  require_invalid_cdb_field(f.run(c), 0);
}

TEST_CASE("a LUN without an LU: LOGICAL UNIT NOT SUPPORTED, INQUIRY still runs", "[scsi][core]") {
  server_fixture f;
  nexus other = nexus_of(initiator_a(), 7);
  require_sense(f.run(cdb6(0x00, 0, 0), 255, &other), sense_key::illegal_request,
                asc::logical_unit_not_supported);
  auto r = f.run(cdb6(0x12, 0, 36), 255, &other);
  CHECK(r.status == status::good);
  CHECK(r.data_in.size() == 36);
}

TEST_CASE("UA-exempt commands run with a unit attention pending, others clear it", "[scsi][core][ua]") {
  server_fixture f;
  CHECK(f.run(cdb6(0x12, 0, 36)).status == status::good);
  CHECK(f.lu->peek_ua(f.nx.it) == unit_attention::power_on_reset);
  require_sense(f.run(cdb10(0xEE, 0, 0)), sense_key::unit_attention, asc::power_on_reset_or_bus_device_reset);
  require_sense(f.run(cdb10(0xEE, 0, 0)), sense_key::illegal_request, asc::invalid_command_operation_code);
}

TEST_CASE("unit attentions come out in SPC-4 precedence order", "[scsi][core][ua]") {
  server_fixture f;
  f.lu->touch(f.nx.it);
  (void)f.lu->pop_ua(f.nx.it);
  f.lu->establish_ua(f.nx.it, unit_attention::power_on);
  f.lu->establish_ua(f.nx.it, unit_attention::it_nexus_loss);
  f.lu->establish_ua(f.nx.it, unit_attention::mode_parameters_changed);
  f.lu->establish_ua(f.nx.it, unit_attention::capacity_data_changed);
  f.lu->establish_ua(f.nx.it, unit_attention::commands_cleared_by_protocol_event);
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::unit_attention, asc::power_on_occurred);
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::unit_attention, asc::i_t_nexus_loss_occurred);
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::unit_attention, asc::mode_parameters_changed);
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::unit_attention, asc::capacity_data_has_changed);
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::unit_attention, asc::commands_cleared_by_iscsi_protocol_event);
  CHECK(f.run(cdb6(0x00, 0, 0)).status == status::good);
}

TEST_CASE("a reset condition clears the stale conditions below it", "[scsi][core][ua]") {
  unit_attention_queue q(false);
  it_nexus a = initiator_a();
  q.establish(a, unit_attention::reservations_released);
  q.establish(a, unit_attention::it_nexus_loss);
  q.establish(a, unit_attention::bus_device_reset);
  q.establish(a, unit_attention::bus_device_reset);  // no duplicates
  q.establish(a, unit_attention::reported_luns_changed);
  CHECK(q.pending(a) ==
        std::vector<unit_attention>{unit_attention::bus_device_reset, unit_attention::reported_luns_changed});
}

TEST_CASE("UAs are per I_T nexus", "[scsi][core][ua]") {
  server_fixture f;
  nexus b = nexus_of(initiator_b());
  (void)f.run(cdb6(0x00, 0, 0));
  (void)f.run(cdb6(0x00, 0, 0), 255, &b);
  f.lu->establish_ua_all(unit_attention::mode_parameters_changed, &f.nx.it);
  CHECK(f.run(cdb6(0x00, 0, 0)).status == status::good);
  require_sense(f.run(cdb6(0x00, 0, 0), 255, &b), sense_key::unit_attention, asc::mode_parameters_changed);
}

TEST_CASE("adding an LU raises REPORTED LUNS DATA HAS CHANGED", "[scsi][core][ua]") {
  server_fixture f;
  (void)f.run(cdb6(0x00, 0, 0));
  lu_config c;
  c.lun = 1;
  REQUIRE(f.server.add_lu(std::make_shared<logical_unit>(c, make_memory_store(512, 8))));
  CHECK_FALSE(f.server.add_lu(std::make_shared<logical_unit>(c, make_memory_store(512, 8))));
  CHECK(f.server.luns() == std::vector<lun_t>{0, 1});
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::unit_attention, asc::reported_luns_data_has_changed);
  REQUIRE(f.server.remove_lu(1));
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::unit_attention, asc::reported_luns_data_has_changed);
  CHECK_FALSE(f.server.remove_lu(1));
}

TEST_CASE("an extension's access check yields RESERVATION CONFLICT", "[scsi][core][access]") {
  server_fixture f;
  (void)f.run(cdb6(0x00, 0, 0));
  {
    auto lock = f.lu->lock_execution();
    (void)f.lu->extension<conflict_everything>();
    CHECK(f.lu->find_extension<conflict_everything>() != nullptr);
  }
  auto r = f.run(cdb10(0x2A, 0, 0));
  CHECK(r.status == status::reservation_conflict);
  CHECK(r.sense.empty());
  CHECK(f.run(cdb6(0x00, 0, 0)).status == status::good);
}

TEST_CASE("writes to a read-only LU or with SWP=1 are WRITE PROTECTED", "[scsi][core]") {
  SECTION("read-only LU") {
    lu_config c;
    c.read_only = true;
    server_fixture f;
    f.lu = std::make_shared<logical_unit>(c, make_memory_store(512, 64));
    REQUIRE(f.server.remove_lu(0));
    REQUIRE(f.server.add_lu(f.lu));
    (void)f.run(cdb6(0x00, 0, 0));
    require_sense(f.run(cdb10(0x2A, 0, 1)), sense_key::data_protect, asc::write_protected);
  }
  SECTION("SWP") {
    server_fixture f;
    (void)f.run(cdb6(0x00, 0, 0));
    f.lu->pages().find(mode_page_code::control)->current[4] |= 0x08;
    require_sense(f.run(cdb10(0x2A, 0, 1)), sense_key::data_protect, asc::software_write_protected);
    CHECK(f.run(cdb6(0x00, 0, 0)).status == status::good);
  }
}

TEST_CASE("a stopped LU answers medium access with NOT READY", "[scsi][core]") {
  server_fixture f;
  (void)f.run(cdb6(0x00, 0, 0));
  f.lu->set_stopped(true);
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::not_ready, asc::not_ready_initializing_command_required);
  CHECK(f.run(cdb6(0x12, 0, 36)).status == status::good);
}

TEST_CASE("D_SENSE=1 switches to descriptor sense", "[scsi][core]") {
  server_fixture f;
  (void)f.run(cdb6(0x00, 0, 0));
  f.lu->pages().find(mode_page_code::control)->current[2] |= 0x04;
  auto r = f.run(cdb16(0x9E, 0, 0, 0x11));
  REQUIRE(r.sense.size() >= 8);
  CHECK(r.sense[0] == 0x72);
  require_invalid_cdb_field(r, 1, 4);
}

TEST_CASE("data-in is cut to the allocation length, then to the expected length", "[scsi][core]") {
  server_fixture f;
  auto r = f.run(cdb6(0x12, 0, 60), 255);
  CHECK(r.data_in.size() == 60);
  CHECK(r.data_in_length == 60);
  r = f.run(cdb6(0x12, 0, 60), 20);
  CHECK(r.data_in.size() == 20);
  CHECK(r.data_in_length == 60);  // overflow of 40 for the transport
}

TEST_CASE("mode pages: defaults, WCE from config, revert to saved", "[scsi][core][mode]") {
  mode_pages p;
  CHECK(p.wce());
  CHECK_FALSE(p.d_sense());
  CHECK_FALSE(p.swp());
  CHECK(p.qerr() == 0);
  REQUIRE(p.find(mode_page_code::caching)->current.size() == 20);
  REQUIRE(p.find(mode_page_code::control)->current.size() == 12);
  REQUIRE(p.find(mode_page_code::informational_exceptions)->current.size() == 12);
  p.find(mode_page_code::control)->current[2] |= 0x04;
  CHECK(p.d_sense());
  p.revert_to_saved();
  CHECK_FALSE(p.d_sense());
  p.set_wce(false);
  CHECK_FALSE(p.wce());
  lu_config c;
  c.write_cache = false;
  logical_unit lu(c, make_null_store(512, 8));
  CHECK_FALSE(lu.pages().wce());
}
