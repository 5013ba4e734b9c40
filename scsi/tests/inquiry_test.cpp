// INQUIRY: standard data, version descriptors, VPD pages, CDB errors,
// allocation length.
#include <string>

#include "support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

byte_buffer inquiry_cdb(bool evpd, std::uint8_t page, std::uint16_t allocation) {
  byte_buffer c(6, 0);
  c[0] = 0x12;
  c[1] = evpd ? 0x01 : 0x00;
  c[2] = page;
  put_be16(&c[3], allocation);
  return c;
}

std::string text(const byte_buffer& b, std::size_t at, std::size_t n) {
  return std::string(b.begin() + static_cast<long>(at), b.begin() + static_cast<long>(at + n));
}

// Designators of a VPD 83h page as (byte 1, value) pairs.
std::vector<std::pair<std::uint8_t, byte_buffer>> designators(const byte_buffer& page) {
  std::vector<std::pair<std::uint8_t, byte_buffer>> out;
  for (std::size_t at = 4; at + 4 <= page.size();) {
    const std::size_t len = page[at + 3];
    REQUIRE(at + 4 + len <= page.size());
    out.emplace_back(page[at + 1],
                     byte_buffer(page.begin() + static_cast<long>(at + 4),
                                 page.begin() + static_cast<long>(at + 4 + len)));
    at += 4 + len;
  }
  return out;
}

}  // namespace

TEST_CASE("standard INQUIRY data of an LU", "[scsi][inquiry]") {
  fixture f;
  f.nx.transport_version_descriptor = 0x0962;  // iSCSIProtocolLevel=2
  auto r = f.run(inquiry_cdb(false, 0, 255));
  REQUIRE(r.status == status::good);
  REQUIRE(r.data_in.size() == 96);
  CHECK(r.data_in[0] == 0x00);             // qualifier 000b, direct access
  CHECK(r.data_in[1] == 0x00);             // RMB=0
  CHECK(r.data_in[2] == 0x06);             // SPC-4
  CHECK(r.data_in[3] == 0x12);             // HISUP, response data format 2
  CHECK(r.data_in[4] == 96 - 5);           // additional length
  CHECK(r.data_in[5] == 0x00);             // no TPGS, no 3PC
  CHECK(r.data_in[7] == 0x02);             // CMDQUE
  CHECK(text(r.data_in, 8, 8) == "TOUCHSTN");
  CHECK(text(r.data_in, 16, 16) == "VIRTUAL-DISK    ");
  CHECK(text(r.data_in, 32, 4) == "0001");
  CHECK(get_be16(&r.data_in[58]) == 0x00A0);  // SAM-5
  CHECK(get_be16(&r.data_in[60]) == 0x0460);  // SPC-4
  CHECK(get_be16(&r.data_in[62]) == 0x04C0);  // SBC-3
  CHECK(get_be16(&r.data_in[64]) == 0x0962);  // iSCSI 0960h + level 2
  CHECK(get_be16(&r.data_in[66]) == 0);
}

TEST_CASE("INQUIRY identity comes from the LU config, ASCII only", "[scsi][inquiry]") {
  lu_config c;
  c.vendor = "ACME";
  c.product = "DISK\x01";
  c.revision = "12";
  fixture f(make_memory_store(512, 64), c);
  auto r = f.run(inquiry_cdb(false, 0, 96));
  REQUIRE(r.status == status::good);
  CHECK(text(r.data_in, 8, 8) == "ACME    ");
  CHECK(text(r.data_in, 16, 16) == "DISK            ");
  CHECK(text(r.data_in, 32, 4) == "12  ");
  CHECK(get_be16(&r.data_in[64]) == 0);  // no transport descriptor in the nexus
}

TEST_CASE("INQUIRY on a LUN without an LU: qualifier 011b, type 1Fh", "[scsi][inquiry]") {
  fixture f;
  nexus other = nexus_of(initiator_a(), 5);
  auto r = f.run_on(other, inquiry_cdb(false, 0, 255));
  REQUIRE(r.status == status::good);
  CHECK(r.data_in[0] == 0x7F);
  CHECK(get_be16(&r.data_in[62]) == 0);  // no SBC-3 claim without an LU
  r = f.run_on(other, inquiry_cdb(true, 0x00, 255));
  REQUIRE(r.status == status::good);
  CHECK(r.data_in == byte_buffer{0x7F, 0x00, 0x00, 0x01, 0x00});
  require_invalid_cdb_field(f.run_on(other, inquiry_cdb(true, 0x83, 255)), 2);
}

TEST_CASE("INQUIRY runs with a unit attention pending and leaves it", "[scsi][inquiry]") {
  fixture f;
  f.lu->establish_ua(f.nx.it, unit_attention::mode_parameters_changed);
  CHECK(f.run(inquiry_cdb(false, 0, 36)).status == status::good);
  CHECK(f.lu->peek_ua(f.nx.it) == unit_attention::mode_parameters_changed);
}

TEST_CASE("INQUIRY CDB errors", "[scsi][inquiry]") {
  fixture f;
  SECTION("EVPD=0 with a page code") { require_invalid_cdb_field(f.run(inquiry_cdb(false, 0x80, 255)), 2); }
  SECTION("an unsupported VPD page") { require_invalid_cdb_field(f.run(inquiry_cdb(true, 0xC0, 255)), 2); }
  SECTION("CMDDT") {
    auto c = inquiry_cdb(false, 0, 255);
    c[1] = 0x02;
    require_invalid_cdb_field(f.run(c), 1, 1);
  }
  SECTION("descriptor sense with D_SENSE=1") {
    f.lu->pages().find(mode_page_code::control)->current[2] |= 0x04;
    auto r = f.run(inquiry_cdb(true, 0x01, 255));
    CHECK(r.sense[0] == 0x72);
    require_invalid_cdb_field(r, 2);
  }
}

TEST_CASE("INQUIRY allocation length truncates, zero returns nothing", "[scsi][inquiry]") {
  fixture f;
  for (std::uint16_t n : {0, 1, 5, 36, 95, 96, 97, 4096}) {
    auto r = f.run(inquiry_cdb(false, 0, n));
    REQUIRE(r.status == status::good);
    CHECK(r.data_in.size() == std::min<std::size_t>(n, 96));
  }
  for (std::uint8_t page : {0x00, 0x80, 0x83, 0x86, 0xB0, 0xB1, 0xB2}) {
    auto full = f.run(inquiry_cdb(true, page, 0xFFFF));
    REQUIRE(full.status == status::good);
    CHECK(full.data_in.size() == std::size_t{get_be16(&full.data_in[2])} + 4);
    auto cut = f.run(inquiry_cdb(true, page, 3));
    CHECK(cut.data_in == byte_buffer(full.data_in.begin(), full.data_in.begin() + 3));
    CHECK(f.run(inquiry_cdb(true, page, 0)).data_in.empty());
  }
}

TEST_CASE("VPD 00h lists the supported pages in order", "[scsi][inquiry]") {
  fixture f;
  auto r = f.run(inquiry_cdb(true, 0x00, 255));
  REQUIRE(r.status == status::good);
  CHECK(r.data_in == byte_buffer{0x00, 0x00, 0x00, 0x07, 0x00, 0x80, 0x83, 0x86, 0xB0, 0xB1, 0xB2});
}

TEST_CASE("VPD 80h: the configured serial, or one derived from the NAA", "[scsi][inquiry]") {
  lu_config c;
  c.serial = "SN-42";
  fixture f(make_memory_store(512, 64), c);
  auto r = f.run(inquiry_cdb(true, 0x80, 255));
  REQUIRE(r.status == status::good);
  CHECK(r.data_in[1] == 0x80);
  CHECK(text(r.data_in, 4, r.data_in.size() - 4) == "SN-42");
  fixture g;
  r = g.run(inquiry_cdb(true, 0x80, 255));
  CHECK(r.data_in.size() == 4 + 16);
}

TEST_CASE("VPD 83h: NAA, T10 vendor id, name strings, port and group", "[scsi][inquiry]") {
  lu_config c;
  c.naa = 0x6001405123456789ULL;
  fixture f(make_memory_store(512, 64), c);
  f.nx.relative_target_port = 3;
  f.nx.it.target_port = "iqn.2024-01.test:t,t,0x0001";  // an iSCSI target port name (RFC 7143 4.4.2)
  auto r = f.run(inquiry_cdb(true, 0x83, 1024));
  REQUIRE(r.status == status::good);
  CHECK(r.data_in[1] == 0x83);
  auto d = designators(r.data_in);
  REQUIRE(d.size() == 7);
  CHECK(d[0].first == 0x03);  // LU, NAA
  CHECK(get_be64(d[0].second.data()) == 0x6001405123456789ULL);
  CHECK(d[1].first == 0x01);  // LU, T10 vendor id
  CHECK(text(d[1].second, 0, 8) == "TOUCHSTN");
  CHECK(d[2].first == 0x08);  // LU, SCSI name string
  CHECK(std::string(reinterpret_cast<const char*>(d[2].second.data())) == "naa.6001405123456789");
  CHECK(d[2].second.size() % 4 == 0);
  CHECK(d[3].first == 0x14);  // target port, relative target port
  CHECK(get_be16(&d[3].second[2]) == 3);
  CHECK(d[4].first == 0x15);  // target port, target port group
  CHECK(d[5].first == 0x18);  // target port, SCSI name string
  CHECK(std::string(reinterpret_cast<const char*>(d[5].second.data())) == f.nx.it.target_port);
  CHECK(d[5].second.size() % 4 == 0);
  CHECK(d[6].first == 0x28);  // target device, SCSI name string: the port name before ",t,0x"
  CHECK(std::string(reinterpret_cast<const char*>(d[6].second.data())) == "iqn.2024-01.test:t");
  CHECK((r.data_in[4] & 0x0F) == 1);   // binary code set
  CHECK((r.data_in[16] & 0x0F) == 2);  // ASCII code set for the T10 vendor id
}

TEST_CASE("VPD 83h: a derived NAA is locally assigned and differs per LU", "[scsi][inquiry]") {
  fixture f;
  lu_config c;
  c.lun = 1;
  REQUIRE(f.server.add_lu(std::make_shared<logical_unit>(c, make_memory_store(512, 8))));
  auto a = designators(f.run(inquiry_cdb(true, 0x83, 1024)).data_in);
  f.clear_uas();
  nexus one = nexus_of(initiator_a(), 1);
  f.run_on(one, cdb6(0x00, 0, 0));  // POWER ON for the new LU
  auto b = designators(f.run_on(one, inquiry_cdb(true, 0x83, 1024)).data_in);
  CHECK(a[0].second[0] >> 4 == 0x3);
  CHECK(a[0].second != b[0].second);
}

TEST_CASE("VPD 86h: task attributes, V_SUP, LUICLR", "[scsi][inquiry]") {
  fixture f;
  auto r = f.run(inquiry_cdb(true, 0x86, 255));
  REQUIRE(r.data_in.size() == 64);
  CHECK(get_be16(&r.data_in[2]) == 0x003C);
  CHECK(r.data_in[5] == 0x07);
  CHECK(r.data_in[6] == 0x01);
  CHECK(r.data_in[7] == 0x01);
}

TEST_CASE("VPD B0h: block limits from the LU config", "[scsi][inquiry]") {
  lu_config c;
  c.max_transfer_length = 2048;
  c.optimal_transfer_length = 64;
  c.max_unmap_lba_count = 0x10000;
  c.max_unmap_descriptors = 16;
  c.unmap_granularity = 8;
  c.max_write_same_length = 0x1000;
  c.max_compare_and_write_length = 1;
  c.write_same_no_zero = true;
  fixture f(make_memory_store(512, 64), c);
  auto r = f.run(inquiry_cdb(true, 0xB0, 255));
  REQUIRE(r.data_in.size() == 64);
  CHECK(get_be16(&r.data_in[2]) == 0x003C);
  CHECK(r.data_in[4] == 0x01);
  CHECK(get_be32(&r.data_in[8]) == 2048);
  CHECK(get_be32(&r.data_in[12]) == 64);
  const bool unmap = f.server.commands().knows_opcode(0x42) && f.store->thin_provisioned();
  CHECK(get_be32(&r.data_in[20]) == (unmap ? 0x10000U : 0U));
  CHECK(get_be32(&r.data_in[24]) == (unmap ? 16U : 0U));
  CHECK(get_be32(&r.data_in[28]) == (unmap ? 8U : 0U));
  const bool ws = f.server.commands().knows_opcode(0x93) || f.server.commands().knows_opcode(0x41);
  CHECK(get_be64(&r.data_in[36]) == (ws ? 0x1000U : 0U));
  CHECK(r.data_in[5] == (f.server.commands().knows_opcode(0x89) ? 1 : 0));
}

TEST_CASE("VPD B0h: no UNMAP limits without UNMAP", "[scsi][inquiry]") {
  fixture f(make_null_store(512, 64));
  REQUIRE_FALSE(f.store->thin_provisioned());
  auto r = f.run(inquiry_cdb(true, 0xB0, 255));
  CHECK(get_be32(&r.data_in[20]) == 0);
  CHECK(get_be32(&r.data_in[24]) == 0);
}

TEST_CASE("VPD B1h: non-rotating medium", "[scsi][inquiry]") {
  fixture f;
  auto r = f.run(inquiry_cdb(true, 0xB1, 255));
  REQUIRE(r.data_in.size() == 64);
  CHECK(get_be16(&r.data_in[4]) == 0x0001);
}

TEST_CASE("VPD B2h: provisioning follows the store and the command table", "[scsi][inquiry]") {
  SECTION("thin store") {
    fixture f;
    REQUIRE(f.store->thin_provisioned());
    auto r = f.run(inquiry_cdb(true, 0xB2, 255));
    REQUIRE(r.data_in.size() == 8);
    CHECK(get_be16(&r.data_in[2]) == 4);
    const auto& t = f.server.commands();
    CHECK(((r.data_in[5] & 0x80) != 0) == t.knows_opcode(0x42));
    CHECK(((r.data_in[5] & 0x40) != 0) == t.knows_opcode(0x93));
    CHECK(((r.data_in[5] & 0x20) != 0) == t.knows_opcode(0x41));
    CHECK((r.data_in[5] & 0x04) != 0);  // LBPRZ
    CHECK(r.data_in[6] == 0x02);        // thin
  }
  SECTION("fully provisioned store") {
    fixture f(make_null_store(512, 64));
    auto r = f.run(inquiry_cdb(true, 0xB2, 255));
    CHECK(r.data_in[5] == 0);
    CHECK(r.data_in[6] == 0);
  }
}

TEST_CASE("VPD B0h defaults: UNMAP limits nonzero and at most 1 Mi", "[scsi][inquiry]") {
  fixture f;
  auto r = f.run(inquiry_cdb(true, 0xB0, 255));
  REQUIRE(r.status == status::good);
  if (get_be32(&r.data_in[20]) != 0) {
    CHECK(get_be32(&r.data_in[20]) <= 0x100000U);
    CHECK(get_be32(&r.data_in[24]) != 0);
    CHECK(get_be32(&r.data_in[24]) <= 0x100000U);
  }
}
