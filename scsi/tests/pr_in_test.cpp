// PERSISTENT RESERVE IN: READ KEYS, READ RESERVATION, REPORT CAPABILITIES,
// READ FULL STATUS, allocation length, unknown service actions.
#include <string>

#include "pr_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

TEST_CASE("READ KEYS: header, every key, ADDITIONAL LENGTH", "[scsi][persistent_reservations]") {
  pr_fixture f;
  auto empty = f.in(f.a, prsa::read_keys);
  require_good(empty);
  REQUIRE(empty.data_in.size() == 8);
  CHECK(get_be32(&empty.data_in[0]) == 0);
  CHECK(get_be32(&empty.data_in[4]) == 0);

  require_good(f.register_key(f.a, 0x1111));
  require_good(f.register_key(f.b, 0x2222));
  auto r = f.in(f.c, prsa::read_keys);
  require_good(r);
  REQUIRE(r.data_in.size() == 24);
  CHECK(get_be32(&r.data_in[0]) == 2);   // PRgeneration
  CHECK(get_be32(&r.data_in[4]) == 16);  // ADDITIONAL LENGTH
  CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0x1111, 0x2222});
}

TEST_CASE("READ KEYS: allocation length truncates, ADDITIONAL LENGTH stays whole",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0x1111));
  require_good(f.register_key(f.b, 0x2222));
  auto r = f.in(f.a, prsa::read_keys, 12);
  require_good(r);
  REQUIRE(r.data_in.size() == 12);
  CHECK(get_be32(&r.data_in[4]) == 16);
  auto none = f.in(f.a, prsa::read_keys, 0);
  require_good(none);
  CHECK(none.data_in.empty());
}

TEST_CASE("READ RESERVATION: none, a holder's key, zero for all registrants",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  auto r = f.in(f.a, prsa::read_reservation);
  require_good(r);
  REQUIRE(r.data_in.size() == 8);
  CHECK(get_be32(&r.data_in[4]) == 0);

  require_good(f.register_key(f.a, 0xAA));
  require_good(f.reserve(f.a, 0xAA, pr_type::exclusive_access));
  auto held = f.in(f.b, prsa::read_reservation);
  require_good(held);
  REQUIRE(held.data_in.size() == 24);
  CHECK(get_be32(&held.data_in[4]) == 16);
  CHECK(get_be64(&held.data_in[8]) == 0xAA);
  CHECK(int{held.data_in[21]} == 0x03);  // scope 0, type 3

  auto cut = f.in(f.b, prsa::read_reservation, 10);
  REQUIRE(cut.data_in.size() == 10);
  CHECK(get_be32(&cut.data_in[4]) == 16);

  require_good(f.release(f.a, 0xAA, pr_type::exclusive_access));
  require_good(f.reserve(f.a, 0xAA, pr_type::write_exclusive_all_registrants));
  auto all = f.reservation(f.b);
  REQUIRE(all);
  CHECK(all->key == 0);
  CHECK(all->type == pr_type::write_exclusive_all_registrants);
}

TEST_CASE("REPORT CAPABILITIES: CRH, ATP_C, TMV, ALLOW COMMANDS, the six types",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  auto r = f.in(f.a, prsa::report_capabilities);
  require_good(r);
  REQUIRE(r.data_in.size() == 8);
  CHECK(get_be16(&r.data_in[0]) == 8);
  CHECK(int{r.data_in[2]} == 0x14);  // CRH, ATP_C; SIP_C=0, PTPL_C=0
  CHECK(int{r.data_in[3]} == 0x90);  // TMV, ALLOW COMMANDS 001b, PTPL_A=0
  CHECK(int{r.data_in[4]} == 0xEA);  // WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX
  CHECK(int{r.data_in[5]} == 0x01);  // EX_AC_AR
  auto cut = f.in(f.a, prsa::report_capabilities, 4);
  CHECK(cut.data_in.size() == 4);
}

TEST_CASE("unknown PERSISTENT RESERVE IN service action: INVALID FIELD IN CDB at byte 1",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  for (std::uint8_t sa = 4; sa < 0x20; ++sa) {
    INFO("service action " << int{sa});
    require_invalid_cdb_field(f.in(f.a, sa), 1, 4);
  }
}

namespace {
std::string text_at(const byte_buffer& b, std::size_t at, std::size_t n) {
  std::string s(reinterpret_cast<const char*>(&b[at]), n);
  return s.substr(0, s.find('\0'));
}
}  // namespace

TEST_CASE("READ FULL STATUS: key, R_HOLDER, scope/type, port, iSCSI TransportID",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  nexus b2 = f.b;
  b2.relative_target_port = 7;
  require_good(f.register_key(f.a, 0xA1));
  require_good(f.register_key(b2, 0xB2, 0x04));  // ALL_TG_PT
  require_good(f.reserve(f.a, 0xA1, pr_type::write_exclusive));
  auto r = f.in(f.c, prsa::read_full_status);
  require_good(r);
  const std::string a_port = initiator_a().initiator_port;  // 35 chars + NUL = 36
  const std::size_t tid = 4 + 36;
  const std::size_t desc = 24 + tid;
  REQUIRE(r.data_in.size() == 8 + 2 * desc);
  CHECK(get_be32(&r.data_in[0]) == 2);
  CHECK(get_be32(&r.data_in[4]) == 2 * desc);
  const std::uint8_t* d = &r.data_in[8];
  CHECK(get_be64(d) == 0xA1);
  CHECK(int{d[12]} == 0x01);  // R_HOLDER
  CHECK(int{d[13]} == 0x01);  // LU_SCOPE, Write Exclusive
  CHECK(get_be16(d + 18) == 1);
  CHECK(get_be32(d + 20) == tid);
  //= spc4#7.6.4.6
  //# format 01b, protocol 5h; ADDITIONAL LENGTH a multiple of 4; "<name>,i,0x<ISID>"
  CHECK(int{d[24]} == 0x45);
  CHECK(get_be16(d + 26) == 36);
  CHECK(text_at(r.data_in, 8 + 28, 36) == a_port);
  const std::uint8_t* e = d + desc;
  CHECK(get_be64(e) == 0xB2);
  CHECK(int{e[12]} == 0x02);  // ALL_TG_PT, not a holder
  CHECK(int{e[13]} == 0x00);
  CHECK(get_be16(e + 18) == 7);
  CHECK(text_at(r.data_in, 8 + desc + 28, 36) == initiator_b().initiator_port);

  auto cut = f.in(f.c, prsa::read_full_status, 30);
  REQUIRE(cut.data_in.size() == 30);
  CHECK(get_be32(&cut.data_in[4]) == 2 * desc);
}

TEST_CASE("READ FULL STATUS: every registrant holds an all registrants reservation",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 1));
  require_good(f.register_key(f.b, 2));
  require_good(f.reserve(f.a, 1, pr_type::exclusive_access_all_registrants));
  auto r = f.in(f.c, prsa::read_full_status);
  require_good(r);
  const std::size_t desc = 24 + 40;
  REQUIRE(r.data_in.size() == 8 + 2 * desc);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(int{r.data_in[8 + i * desc + 12]} == 0x01);
    CHECK(int{r.data_in[8 + i * desc + 13]} == 0x08);
  }
}

TEST_CASE("PERSISTENT RESERVE IN is never blocked by a persistent reservation",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 1));
  require_good(f.reserve(f.a, 1, pr_type::exclusive_access));
  for (std::uint8_t sa = 0; sa < 4; ++sa) require_good(f.in(f.c, sa));
}
