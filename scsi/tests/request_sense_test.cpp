// REQUEST SENSE: UA reporting and clearing, NO SENSE, formats, allocation length.
#include "support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

byte_buffer request_sense_cdb(bool desc, std::uint8_t allocation) {
  return cdb6(0x03, 0, allocation, desc ? 0x01 : 0x00);
}

sense parse(const response& r) {
  REQUIRE(r.status == status::good);
  REQUIRE(r.sense.empty());
  auto s = decode_sense(r.data_in);
  REQUIRE(s.has_value());
  return *s;
}

}  // namespace

TEST_CASE("REQUEST SENSE with nothing pending: NO SENSE, fixed format", "[scsi][request_sense]") {
  fixture f;
  auto r = f.run(request_sense_cdb(false, 252));
  REQUIRE(r.data_in.size() == fixed_sense_length);
  CHECK(r.data_in[0] == 0x70);
  auto s = parse(r);
  CHECK(s.key == sense_key::no_sense);
  CHECK(s.code == asc::no_additional_sense);
}

TEST_CASE("REQUEST SENSE reports and clears a unit attention", "[scsi][request_sense]") {
  fixture f;
  f.lu->establish_ua(f.nx.it, unit_attention::capacity_data_changed);
  f.lu->establish_ua(f.nx.it, unit_attention::mode_parameters_changed);
  auto s = parse(f.run(request_sense_cdb(false, 18)));
  CHECK(s.key == sense_key::unit_attention);
  CHECK(s.code == asc::capacity_data_has_changed);
  s = parse(f.run(request_sense_cdb(false, 18)));
  CHECK(s.code == asc::mode_parameters_changed);
  s = parse(f.run(request_sense_cdb(false, 18)));
  CHECK(s.key == sense_key::no_sense);
  CHECK(f.run(cdb6(0x00, 0, 0)).status == status::good);
}

TEST_CASE("REQUEST SENSE reports POWER ON to a new nexus", "[scsi][request_sense]") {
  fixture f;
  nexus b = nexus_of(initiator_b());
  auto s = parse(f.run_on(b, request_sense_cdb(false, 18)));
  CHECK(s.key == sense_key::unit_attention);
  CHECK(s.code == asc::power_on_reset_or_bus_device_reset);
  CHECK(f.run_on(b, cdb6(0x00, 0, 0)).status == status::good);
}

TEST_CASE("REQUEST SENSE DESC=1: descriptor format", "[scsi][request_sense]") {
  fixture f;
  f.lu->establish_ua(f.nx.it, unit_attention::reported_luns_changed);
  auto r = f.run(request_sense_cdb(true, 252));
  REQUIRE(r.data_in.size() == 8);
  CHECK(r.data_in[0] == 0x72);
  CHECK(r.data_in[1] == 0x06);
  CHECK(r.data_in[2] == 0x3F);
  CHECK(r.data_in[3] == 0x0E);
  CHECK(r.data_in[7] == 0);
}

TEST_CASE("REQUEST SENSE: DESC, not D_SENSE, picks the format", "[scsi][request_sense]") {
  fixture f;
  f.lu->pages().find(mode_page_code::control)->current[2] |= 0x04;
  CHECK(f.run(request_sense_cdb(false, 252)).data_in[0] == 0x70);
}

TEST_CASE("REQUEST SENSE truncates to the allocation length, still clears", "[scsi][request_sense]") {
  fixture f;
  f.lu->establish_ua(f.nx.it, unit_attention::mode_parameters_changed);
  auto r = f.run(request_sense_cdb(false, 8));
  REQUIRE(r.status == status::good);
  CHECK(r.data_in.size() == 8);
  CHECK(r.data_in[2] == 0x06);
  CHECK(f.lu->pending_uas(f.nx.it).empty());
  CHECK(f.run(request_sense_cdb(false, 0)).data_in.empty());
}

TEST_CASE("REQUEST SENSE on a LUN without an LU: LOGICAL UNIT NOT SUPPORTED", "[scsi][request_sense]") {
  fixture f;
  auto s = parse(f.run_on(nexus_of(initiator_a(), 3), request_sense_cdb(false, 18)));
  CHECK(s.key == sense_key::illegal_request);
  CHECK(s.code == asc::logical_unit_not_supported);
}

TEST_CASE("REQUEST SENSE on a stopped LU: NOT READY", "[scsi][request_sense]") {
  fixture f;
  f.lu->set_stopped(true);
  auto s = parse(f.run(request_sense_cdb(false, 18)));
  CHECK(s.key == sense_key::not_ready);
  CHECK(s.code == asc::not_ready_initializing_command_required);
}
