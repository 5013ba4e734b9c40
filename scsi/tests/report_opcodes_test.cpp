// REPORT SUPPORTED OPERATION CODES: all commands (from the table itself), one
// command with and without service action, timeouts descriptors, errors.
#include "support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

byte_buffer rsoc(std::uint8_t options, std::uint8_t opcode = 0, std::uint16_t sa = 0,
                 std::uint32_t allocation = 65535, bool rctd = false) {
  byte_buffer c(12, 0);
  c[0] = 0xA3;
  c[1] = 0x0C;
  c[2] = static_cast<std::uint8_t>((rctd ? 0x80 : 0x00) | options);
  c[3] = opcode;
  put_be16(&c[4], sa);
  put_be32(&c[6], allocation);
  return c;
}

}  // namespace

TEST_CASE("reporting options 000b lists every command of the table", "[scsi][report_opcodes]") {
  fixture f;
  auto r = f.run(rsoc(0));
  REQUIRE(r.status == status::good);
  const auto entries = f.server.commands().entries();
  REQUIRE(r.data_in.size() == 4 + 8 * entries.size());
  CHECK(get_be32(&r.data_in[0]) == 8 * entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::uint8_t* d = &r.data_in[4 + 8 * i];
    CHECK(d[0] == entries[i]->opcode);
    CHECK(get_be16(&d[2]) == entries[i]->service_action.value_or(0));
    CHECK(d[5] == (entries[i]->service_action ? 0x01 : 0x00));
    CHECK(get_be16(&d[6]) == entries[i]->cdb_length);
  }
}

TEST_CASE("RCTD adds a timeouts descriptor to each command", "[scsi][report_opcodes]") {
  fixture f;
  auto r = f.run(rsoc(0, 0, 0, 65535, true));
  REQUIRE(r.status == status::good);
  const auto n = f.server.commands().entries().size();
  REQUIRE(r.data_in.size() == 4 + 20 * n);
  CHECK(r.data_in[4 + 5] == 0x02);           // CTDP, TEST UNIT READY has no service action
  CHECK(get_be16(&r.data_in[4 + 8]) == 0x0A);  // descriptor length
  r = f.run(rsoc(1, 0x12, 0, 65535, true));
  REQUIRE(r.data_in.size() == 4 + 6 + 12);
  CHECK(r.data_in[1] == 0x83);
  CHECK(get_be16(&r.data_in[10]) == 0x0A);
}

TEST_CASE("reporting options 001b: one command without service actions", "[scsi][report_opcodes]") {
  fixture f;
  auto r = f.run(rsoc(1, 0x12));
  REQUIRE(r.status == status::good);
  CHECK(r.data_in == byte_buffer{0x00, 0x03, 0x00, 0x06, 0x12, 0x01, 0xFF, 0xFF, 0xFF, 0x00});
  SECTION("an opcode with no entry: SUPPORT 001b") {
    r = f.run(rsoc(1, 0xEE));
    REQUIRE(r.status == status::good);
    CHECK(r.data_in == byte_buffer{0x00, 0x01, 0x00, 0x00});
  }
  SECTION("an opcode with service actions: INVALID FIELD IN CDB") {
    require_invalid_cdb_field(f.run(rsoc(1, 0xA3)), 3);
  }
  SECTION("an entry without a usage map reports every bit") {
    r = f.run(rsoc(1, 0x00));
    REQUIRE(r.status == status::good);
    const auto* e = f.server.commands().find(0x00, std::nullopt);
    if (e->usage == std::array<std::uint8_t, 16>{}) {
      CHECK(r.data_in == byte_buffer{0x00, 0x03, 0x00, 0x06, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
    }
  }
}

TEST_CASE("reporting options 010b: one command with a service action", "[scsi][report_opcodes]") {
  fixture f;
  auto r = f.run(rsoc(2, 0xA3, 0x0C));
  REQUIRE(r.status == status::good);
  REQUIRE(r.data_in.size() == 4 + 12);
  CHECK(r.data_in[1] == 0x03);
  CHECK(get_be16(&r.data_in[2]) == 12);
  CHECK(r.data_in[4] == 0xA3);
  CHECK((r.data_in[5] & 0x1F) == 0x0C);  // the service action in its field
  r = f.run(rsoc(2, 0xA3, 0x1F));
  CHECK(r.data_in == byte_buffer{0x00, 0x01, 0x00, 0x00});
  require_invalid_cdb_field(f.run(rsoc(2, 0x12)), 3);
}

TEST_CASE("reporting options 011b: with or without a service action", "[scsi][report_opcodes]") {
  fixture f;
  CHECK(f.run(rsoc(3, 0x12)).data_in[1] == 0x03);
  CHECK(f.run(rsoc(3, 0x12, 5)).data_in[1] == 0x01);
  CHECK(f.run(rsoc(3, 0xA3, 0x0C)).data_in[1] == 0x03);
  CHECK(f.run(rsoc(3, 0xA3, 0x0D)).data_in[1] == 0x01);
}

TEST_CASE("every listed command reads back through 001b or 010b", "[scsi][report_opcodes]") {
  fixture f;
  for (const command_entry* e : f.server.commands().entries()) {
    auto r = e->service_action ? f.run(rsoc(2, e->opcode, *e->service_action)) : f.run(rsoc(1, e->opcode));
    REQUIRE(r.status == status::good);
    CHECK(r.data_in[1] == 0x03);
    CHECK(get_be16(&r.data_in[2]) == e->cdb_length);
    CHECK(r.data_in[4] == e->opcode);
  }
}

TEST_CASE("reserved reporting options: INVALID FIELD IN CDB", "[scsi][report_opcodes]") {
  fixture f;
  for (std::uint8_t o : {4, 5, 6, 7}) require_invalid_cdb_field(f.run(rsoc(o)), 2, 2);
}

TEST_CASE("REPORT SUPPORTED OPERATION CODES truncates to the allocation length", "[scsi][report_opcodes]") {
  fixture f;
  auto full = f.run(rsoc(0));
  auto r = f.run(rsoc(0, 0, 0, 10));
  REQUIRE(r.status == status::good);
  CHECK(r.data_in == byte_buffer(full.data_in.begin(), full.data_in.begin() + 10));
  CHECK(f.run(rsoc(1, 0x12, 0, 0)).data_in.empty());
}
