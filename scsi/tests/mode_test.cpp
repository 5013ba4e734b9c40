// MODE SENSE(6)/(10) and MODE SELECT(6)/(10).
#include "support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

byte_buffer sense6(std::uint8_t page, std::uint8_t pc = 0, bool dbd = false, std::uint8_t subpage = 0,
                   std::uint8_t allocation = 255) {
  byte_buffer c(6, 0);
  c[0] = 0x1A;
  c[1] = dbd ? 0x08 : 0x00;
  c[2] = static_cast<std::uint8_t>((pc << 6) | page);
  c[3] = subpage;
  c[4] = allocation;
  return c;
}

byte_buffer sense10(std::uint8_t page, bool llbaa = false, bool dbd = false, std::uint16_t allocation = 4096) {
  byte_buffer c(10, 0);
  c[0] = 0x5A;
  c[1] = static_cast<std::uint8_t>((llbaa ? 0x10 : 0) | (dbd ? 0x08 : 0));
  c[2] = page;
  put_be16(&c[7], allocation);
  return c;
}

byte_buffer select6(std::uint8_t length, std::uint8_t b1 = 0x10) { return cdb6(0x15, 0, length, b1); }

byte_buffer select10(std::uint16_t length, std::uint8_t b1 = 0x10) {
  byte_buffer c(10, 0);
  c[0] = 0x55;
  c[1] = b1;
  put_be16(&c[7], length);
  return c;
}

// A MODE SELECT(6) list: header without block descriptor, then the page.
byte_buffer list6(const byte_buffer& page) {
  byte_buffer l(4, 0);
  l.insert(l.end(), page.begin(), page.end());
  return l;
}

byte_buffer current_page(fixture& f, std::uint8_t code) {
  auto p = f.lu->pages().find(code)->current;
  p[0] &= 0x3F;
  return p;
}

void require_invalid_list_field(const response& r, std::uint16_t byte, std::optional<std::uint8_t> bit) {
  require_sense(r, sense_key::illegal_request, asc::invalid_field_in_parameter_list,
                field_pointer{false, byte, bit});
}

}  // namespace

TEST_CASE("MODE SENSE(6) all pages with a block descriptor", "[scsi][mode]") {
  fixture f;
  auto r = f.run(sense6(0x3F));
  REQUIRE(r.status == status::good);
  REQUIRE(r.data_in.size() == 4 + 8 + 20 + 12 + 12);
  CHECK(r.data_in[0] == r.data_in.size() - 1);
  CHECK(r.data_in[1] == 0);
  CHECK(r.data_in[2] == 0x10);  // DPOFUA, not write protected
  CHECK(r.data_in[3] == 8);
  CHECK(get_be32(&r.data_in[4]) == 2048);
  CHECK(get_be24(&r.data_in[9]) == 512);
  CHECK(r.data_in[12] == 0x08);  // caching
  CHECK(r.data_in[14] == 0x04);  // WCE
  CHECK(r.data_in[32] == 0x0A);  // control
  CHECK(r.data_in[44] == 0x1C);  // informational exceptions
}

TEST_CASE("MODE SENSE: DBD, one page, subpages", "[scsi][mode]") {
  fixture f;
  auto r = f.run(sense6(0x0A, 0, true));
  REQUIRE(r.status == status::good);
  CHECK(r.data_in.size() == 4 + 12);
  CHECK(r.data_in[3] == 0);
  CHECK(r.data_in[4] == 0x0A);
  CHECK(f.run(sense6(0x3F, 0, true, 0xFF)).data_in.size() == 4 + 44);
  CHECK(f.run(sense6(0x08, 0, true, 0xFF)).data_in.size() == 4 + 20);
  require_invalid_cdb_field(f.run(sense6(0x08, 0, true, 0x01)), 3);
  require_invalid_cdb_field(f.run(sense6(0x3F, 0, true, 0x01)), 3);
  require_invalid_cdb_field(f.run(sense6(0x19)), 2, 5);
}

TEST_CASE("MODE SENSE page control: changeable, default, saved", "[scsi][mode]") {
  fixture f;
  auto r = f.run(sense6(0x0A, 1, true));
  REQUIRE(r.status == status::good);
  CHECK(r.data_in[4 + 2] == 0x04);  // D_SENSE changeable
  CHECK(r.data_in[4 + 4] == 0x08);  // SWP changeable
  f.lu->pages().find(mode_page_code::control)->current[2] |= 0x04;
  r = f.run(sense6(0x0A, 2, true));
  CHECK(r.data_in[4 + 2] == 0x00);  // default D_SENSE
  require_sense(f.run(sense6(0x0A, 3)), sense_key::illegal_request, asc::saving_parameters_not_supported);
}

TEST_CASE("MODE SENSE(10): long LBA descriptor with LLBAA", "[scsi][mode]") {
  fixture f;
  auto r = f.run(sense10(0x08, true));
  REQUIRE(r.status == status::good);
  REQUIRE(r.data_in.size() == 8 + 16 + 20);
  CHECK(get_be16(&r.data_in[0]) == r.data_in.size() - 2);
  CHECK(r.data_in[3] == 0x10);
  CHECK(r.data_in[4] == 0x01);  // LONGLBA
  CHECK(get_be16(&r.data_in[6]) == 16);
  CHECK(get_be64(&r.data_in[8]) == 2048);
  CHECK(get_be32(&r.data_in[20]) == 512);
  r = f.run(sense10(0x08, false));
  CHECK(r.data_in[4] == 0x00);
  CHECK(get_be16(&r.data_in[6]) == 8);
  r = f.run(sense10(0x08, true, true));
  CHECK(r.data_in[4] == 0x00);
  CHECK(get_be16(&r.data_in[6]) == 0);
}

TEST_CASE("MODE SENSE: WP for a read-only LU and for SWP=1", "[scsi][mode]") {
  lu_config c;
  c.read_only = true;
  fixture ro(make_memory_store(512, 64), c);
  CHECK(ro.run(sense6(0x3F)).data_in[2] == 0x90);
  fixture f;
  f.lu->pages().find(mode_page_code::control)->current[4] |= 0x08;
  CHECK(f.run(sense10(0x3F)).data_in[3] == 0x90);
}

TEST_CASE("MODE SENSE truncates to the allocation length", "[scsi][mode]") {
  fixture f;
  auto r = f.run(sense6(0x3F, 0, false, 0, 10));
  REQUIRE(r.data_in.size() == 10);
  CHECK(r.data_in[0] == 4 + 8 + 44 - 1);  // the full length still
  CHECK(f.run(sense6(0x3F, 0, false, 0, 0)).data_in.empty());
  CHECK(f.run(sense10(0x3F, false, false, 3)).data_in.size() == 3);
}

TEST_CASE("MODE SELECT changes changeable bits and tells the other nexuses", "[scsi][mode]") {
  fixture f;
  nexus b = nexus_of(initiator_b());
  f.clear_uas(initiator_b());
  auto page = current_page(f, mode_page_code::caching);
  page[2] &= static_cast<std::uint8_t>(~0x04);  // WCE=0
  auto list = list6(page);
  auto r = f.run(select6(static_cast<std::uint8_t>(list.size())), list);
  REQUIRE(r.status == status::good);
  CHECK_FALSE(f.lu->pages().wce());
  CHECK(f.lu->pending_uas(f.nx.it).empty());
  require_sense(f.run_on(b, cdb6(0x00, 0, 0)), sense_key::unit_attention, asc::mode_parameters_changed);
  SECTION("the same values again change nothing: no unit attention") {
    REQUIRE(f.run(select6(static_cast<std::uint8_t>(list.size())), list).status == status::good);
    CHECK(f.run_on(b, cdb6(0x00, 0, 0)).status == status::good);
  }
}

TEST_CASE("MODE SELECT(10) with a block descriptor sets D_SENSE, SWP, QERR", "[scsi][mode]") {
  fixture f;
  auto page = current_page(f, mode_page_code::control);
  page[2] |= 0x04;
  page[3] = static_cast<std::uint8_t>((page[3] & ~0x06) | 0x02);  // QERR=01b
  page[4] |= 0x08;
  byte_buffer list(8, 0);
  list[7] = 8;
  byte_buffer bd(8, 0);
  put_be24(&bd[5], 512);
  list.insert(list.end(), bd.begin(), bd.end());
  list.insert(list.end(), page.begin(), page.end());
  auto r = f.run(select10(static_cast<std::uint16_t>(list.size())), list);
  REQUIRE(r.status == status::good);
  CHECK(f.lu->pages().d_sense());
  CHECK(f.lu->pages().swp());
  CHECK(f.lu->pages().qerr() == 1);
  CHECK(f.run(cdb6(0x03, 0, 252)).data_in[0] == 0x70);  // REQUEST SENSE follows DESC only
}

TEST_CASE("MODE SELECT errors", "[scsi][mode]") {
  fixture f;
  auto caching = current_page(f, mode_page_code::caching);
  auto list = list6(caching);
  const auto n = static_cast<std::uint8_t>(list.size());
  SECTION("SP=1") { require_invalid_cdb_field(f.run(select6(n, 0x11), list), 1, 0); }
  SECTION("a list shorter than its header") {
    require_sense(f.run(select6(3), list), sense_key::illegal_request, asc::parameter_list_length_error);
  }
  SECTION("less data than the parameter list length") {
    require_sense(f.run(select6(n), bytes_view(list).first(10)), sense_key::illegal_request,
                  asc::parameter_list_length_error);
  }
  SECTION("a page cut short") {
    require_sense(f.run(select6(10), list), sense_key::illegal_request, asc::parameter_list_length_error);
  }
  SECTION("an unknown page") {
    list[4] = 0x19;
    require_invalid_list_field(f.run(select6(n), list), 4, 5);
  }
  SECTION("a wrong page length") {
    list[5] = 0x11;
    require_invalid_list_field(f.run(select6(n), list), 5, std::nullopt);
  }
  SECTION("a bad block descriptor length") {
    list[3] = 4;
    require_invalid_list_field(f.run(select6(n), list), 3, std::nullopt);
  }
  SECTION("a block descriptor with another block length") {
    byte_buffer l(4, 0);
    l[3] = 8;
    byte_buffer bd(8, 0);
    put_be24(&bd[5], 4096);
    l.insert(l.end(), bd.begin(), bd.end());
    require_invalid_list_field(f.run(select6(static_cast<std::uint8_t>(l.size())), l), 9, std::nullopt);
    put_be24(&l[9], 512);
    put_be32(&l[4], 7);
    require_invalid_list_field(f.run(select6(static_cast<std::uint8_t>(l.size())), l), 4, std::nullopt);
    put_be32(&l[4], 2048);
    CHECK(f.run(select6(static_cast<std::uint8_t>(l.size())), l).status == status::good);
  }
  SECTION("a field that is not changeable") {
    list[4 + 2] |= 0x01;  // RCD
    require_invalid_list_field(f.run(select6(n), list), 6, 0);
    list[4 + 2] &= static_cast<std::uint8_t>(~0x01);
    list[4 + 12] = 0x80;  // FSW
    require_invalid_list_field(f.run(select6(n), list), 16, 7);
  }
  SECTION("QERR 10b is reserved") {
    auto control = list6(current_page(f, mode_page_code::control));
    control[4 + 3] = static_cast<std::uint8_t>((control[4 + 3] & ~0x06) | 0x04);
    require_invalid_list_field(f.run(select6(static_cast<std::uint8_t>(control.size())), control), 7, 2);
  }
  SECTION("MRIE 7h is reserved") {
    auto ie = list6(current_page(f, mode_page_code::informational_exceptions));
    ie[4 + 3] = 0x07;
    require_invalid_list_field(f.run(select6(static_cast<std::uint8_t>(ie.size())), ie), 7, 3);
  }
  SECTION("sub_page format for a page_0 page") {
    byte_buffer l = {0, 0, 0, 0, 0x48, 0x00, 0x00, 0x12};
    l.resize(4 + 4 + 0x12, 0);
    require_invalid_list_field(f.run(select6(static_cast<std::uint8_t>(l.size())), l), 4, 6);
  }
  SECTION("nothing changes when a later page fails") {
    auto page = caching;
    page[2] &= static_cast<std::uint8_t>(~0x04);
    auto two = list6(page);
    auto bad = current_page(f, mode_page_code::control);
    bad[5] ^= 0x01;  // not changeable
    two.insert(two.end(), bad.begin(), bad.end());
    require_invalid_list_field(f.run(select6(static_cast<std::uint8_t>(two.size())), two), 24 + 5, 0);
    CHECK(f.lu->pages().wce());
  }
  CHECK(f.lu->pages().wce());
}

TEST_CASE("MODE SELECT with a zero parameter list length does nothing", "[scsi][mode]") {
  fixture f;
  CHECK(f.run(select6(0)).status == status::good);
  CHECK(f.run(select10(0)).status == status::good);
}

TEST_CASE("LOGICAL UNIT RESET restores the saved mode values", "[scsi][mode]") {
  fixture f;
  auto page = current_page(f, mode_page_code::caching);
  page[2] &= static_cast<std::uint8_t>(~0x04);
  auto list = list6(page);
  REQUIRE(f.run(select6(static_cast<std::uint8_t>(list.size())), list).status == status::good);
  (void)f.server.task_management(f.nx, tmf_function::logical_unit_reset);
  CHECK(f.lu->pages().wce());
}
