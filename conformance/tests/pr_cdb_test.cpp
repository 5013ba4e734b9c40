// PERSISTENT RESERVE IN/OUT builders and parsers of the conformance suite.
#include <catch2/catch.hpp>

#include "touchstone/conformance/pr_cdb.hpp"

using namespace touchstone;
using namespace touchstone::conformance::cdb;

TEST_CASE("PR IN CDB carries the service action and allocation length", "[conformance][reservations]") {
  const auto c = pr_in(pr_in_action::read_full_status, 0x1234);
  REQUIRE(c.size() == 10);
  CHECK(c[0] == 0x5e);
  CHECK(c[1] == 0x03);
  CHECK(c[7] == 0x12);
  CHECK(c[8] == 0x34);
  CHECK(c[9] == 0);
}

TEST_CASE("PR OUT CDB carries service action, LU scope, type and list length", "[conformance][reservations]") {
  const auto c = pr_out(pr_out_action::preempt_and_abort, pr_type::exclusive_access_registrants_only, 24);
  REQUIRE(c.size() == 10);
  CHECK(c[0] == 0x5f);
  CHECK(c[1] == 0x05);
  CHECK(c[2] == 0x06);  // SCOPE 0 (LU_SCOPE), TYPE 6h
  CHECK(pdu::load_be32(&c[5]) == 24);
}

TEST_CASE("PR OUT parameter list places keys and flag bits", "[conformance][reservations]") {
  const auto b = pr_out_list({.key = 0x0102030405060708, .service_action_key = 0xa1a2a3a4a5a6a7a8,
                              .all_tg_pt = true, .aptpl = true});
  REQUIRE(b.size() == 24);
  CHECK(pdu::load_be64(&b[0]) == 0x0102030405060708);
  CHECK(pdu::load_be64(&b[8]) == 0xa1a2a3a4a5a6a7a8);
  CHECK(b[20] == 0x05);
  CHECK(pr_out_list({.spec_i_pt = true})[20] == 0x08);
}

TEST_CASE("iSCSI TransportID is format 01b with the port name, NUL, padded", "[conformance][reservations]") {
  const auto t = iscsi_transport_id("iqn.x:y", 0x80'1234'5600'01);
  // "iqn.x:y,i,0x801234560001" is 24 characters: 25 with the NUL, padded to 28.
  REQUIRE(t.size() == 4 + 28);
  CHECK(t[0] == 0x45);
  CHECK(pdu::load_be16(&t[2]) == 28);
  CHECK(std::string(t.begin() + 4, t.begin() + 28) == "iqn.x:y,i,0x801234560001");
  CHECK(t[28] == 0);
  CHECK(t[31] == 0);
  const auto longer = iscsi_transport_id("iqn.x:yz", 1);
  CHECK((longer.size() - 4) % 4 == 0);
  CHECK(longer.back() == 0);
}

TEST_CASE("REGISTER AND MOVE list: UNREG, port, TransportID length", "[conformance][reservations]") {
  const auto tid = iscsi_transport_id("iqn.x:y", 2);
  const auto b = register_and_move_list({.key = 7, .service_action_key = 9, .unreg = true,
                                         .relative_target_port = 3, .transport_id = tid});
  REQUIRE(b.size() == 24 + tid.size());
  CHECK(pdu::load_be64(&b[0]) == 7);
  CHECK(pdu::load_be64(&b[8]) == 9);
  CHECK(b[17] == 0x02);
  CHECK(pdu::load_be16(&b[18]) == 3);
  CHECK(pdu::load_be32(&b[20]) == tid.size());
  CHECK(std::equal(tid.begin(), tid.end(), b.begin() + 24));
}

TEST_CASE("READ KEYS parse: generation and keys, cut to what arrived", "[conformance][reservations]") {
  pdu::byte_buffer d(8 + 16, 0);
  pdu::store_be32(&d[0], 5);
  pdu::store_be32(&d[4], 16);
  pdu::store_be64(&d[8], 0x11);
  pdu::store_be64(&d[16], 0x22);
  auto k = parse_read_keys(d);
  REQUIRE(k);
  CHECK(k->generation == 5);
  CHECK(k->keys == std::vector<std::uint64_t>{0x11, 0x22});
  // ADDITIONAL LENGTH beyond the allocation length: only whole keys that came.
  d.resize(8 + 12);
  k = parse_read_keys(d);
  REQUIRE(k);
  CHECK(k->keys == std::vector<std::uint64_t>{0x11});
  CHECK_FALSE(parse_read_keys(pdu::byte_buffer(7, 0)));
}

TEST_CASE("READ RESERVATION parse: none, and a descriptor's key/scope/type", "[conformance][reservations]") {
  pdu::byte_buffer none(8, 0);
  pdu::store_be32(&none[0], 9);
  auto r = parse_read_reservation(none);
  REQUIRE(r);
  CHECK(r->generation == 9);
  CHECK_FALSE(r->reserved);

  pdu::byte_buffer held(24, 0);
  pdu::store_be32(&held[4], 16);
  pdu::store_be64(&held[8], 0xabc);
  held[21] = 0x05;
  r = parse_read_reservation(held);
  REQUIRE(r);
  CHECK(r->reserved);
  CHECK(r->key == 0xabc);
  CHECK(r->scope == 0);
  CHECK(r->type == pr_type::write_exclusive_registrants_only);
  held.resize(20);
  CHECK_FALSE(parse_read_reservation(held));
}

TEST_CASE("REPORT CAPABILITIES parse: PTPL_C, PTPL_A, TMV and the type mask", "[conformance][reservations]") {
  const pdu::byte_buffer d{0x00, 0x08, 0x11, 0x81, 0xea, 0x01, 0x00, 0x00};
  const auto c = parse_report_capabilities(d);
  REQUIRE(c);
  CHECK(c->ptpl_c);
  CHECK(c->ptpl_a);
  CHECK(c->tmv);
  CHECK_FALSE(c->atp_c);
  for (auto t : {pr_type::write_exclusive, pr_type::exclusive_access, pr_type::write_exclusive_registrants_only,
                 pr_type::exclusive_access_registrants_only, pr_type::write_exclusive_all_registrants,
                 pr_type::exclusive_access_all_registrants})
    CHECK(c->supports(t));
  const pdu::byte_buffer only_we{0x00, 0x08, 0x00, 0x80, 0x02, 0x00, 0x00, 0x00};
  const auto w = parse_report_capabilities(only_we);
  REQUIRE(w);
  CHECK_FALSE(w->ptpl_c);
  CHECK(w->supports(pr_type::write_exclusive));
  CHECK_FALSE(w->supports(pr_type::exclusive_access));
  CHECK_FALSE(w->supports(pr_type::exclusive_access_all_registrants));
}

TEST_CASE("READ FULL STATUS parse: descriptors with holder bit and TransportID", "[conformance][reservations]") {
  const auto tid = iscsi_transport_id("iqn.x:a", 1);
  pdu::byte_buffer d(8, 0);
  pdu::store_be32(&d[0], 3);
  for (int i = 0; i < 2; ++i) {
    pdu::byte_buffer desc(24, 0);
    pdu::store_be64(&desc[0], 0x100 + static_cast<unsigned>(i));
    desc[12] = i == 0 ? 0x01 : 0x00;
    desc[13] = i == 0 ? 0x03 : 0x00;
    pdu::store_be16(&desc[18], 1);
    pdu::store_be32(&desc[20], static_cast<std::uint32_t>(tid.size()));
    desc.insert(desc.end(), tid.begin(), tid.end());
    d.insert(d.end(), desc.begin(), desc.end());
  }
  pdu::store_be32(&d[4], static_cast<std::uint32_t>(d.size() - 8));
  auto s = parse_read_full_status(d);
  REQUIRE(s);
  CHECK(s->generation == 3);
  REQUIRE(s->descriptors.size() == 2);
  CHECK(s->descriptors[0].key == 0x100);
  CHECK(s->descriptors[0].holder);
  CHECK(s->descriptors[0].type == pr_type::exclusive_access);
  CHECK(s->descriptors[0].relative_target_port == 1);
  CHECK(s->descriptors[0].port_name() == "iqn.x:a,i,0x000000000001");
  CHECK_FALSE(s->descriptors[1].holder);
  // A TransportID length that runs past the data is refused.
  pdu::store_be32(&d[8 + 20], 4096);
  CHECK_FALSE(parse_read_full_status(d));
}
