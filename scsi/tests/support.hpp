// Shared test helpers for scsi/ families: a device server with one memory
// LU, CDB builders, and sense assertions on the exact bytes.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "touchstone/scsi/device_server.hpp"

namespace touchstone::scsi::test {

inline it_nexus initiator_a() { return {"iqn.2024-01.test:a,i,0x000000000001", "iqn.2024-01.test:t,t,0x1"}; }
inline it_nexus initiator_b() { return {"iqn.2024-01.test:b,i,0x000000000002", "iqn.2024-01.test:t,t,0x1"}; }

inline nexus nexus_of(const it_nexus& it, lun_t lun = 0) {
  nexus n;
  n.it = it;
  n.lun = lun;
  return n;
}

// A device server with one LU (LUN 0) on a store of your choice (memory by
// default). The first command from a nexus sees POWER ON unless you call
// clear_uas() first, which every constructor does for initiator_a.
struct fixture {
  std::shared_ptr<block_store> store;
  std::shared_ptr<logical_unit> lu;
  device_server server;
  nexus nx = nexus_of(initiator_a());
  task_tag next_tag = 0x10000;  // clear of the small tags tests enter by hand

  explicit fixture(std::shared_ptr<block_store> s = make_memory_store(512, 2048),
                   lu_config config = {})
      : store(std::move(s)), lu(std::make_shared<logical_unit>(config, store)) {
    REQUIRE(server.add_lu(lu));
    clear_uas();
  }

  response run(const byte_buffer& cdb, bytes_view data_out = {},
               std::uint32_t expected_in = 1U << 24) {
    return run_on(nx, cdb, data_out, expected_in);
  }
  response run_on(const nexus& n, const byte_buffer& cdb, bytes_view data_out = {},
                  std::uint32_t expected_in = 1U << 24) {
    request r;
    r.cdb = cdb;
    r.tag = next_tag++;
    r.data_out = data_out;
    r.expected_data_in_length = expected_in;
    return server.execute(n, r);
  }
  void clear_uas(const it_nexus& it = initiator_a()) {
    lu->touch(it);
    while (lu->pop_ua(it)) {
    }
  }
};

inline byte_buffer cdb6(std::uint8_t op, std::uint32_t lba, std::uint8_t len, std::uint8_t b1 = 0) {
  byte_buffer c(6, 0);
  c[0] = op;
  c[1] = static_cast<std::uint8_t>(b1 | ((lba >> 16) & 0x1F));
  c[2] = static_cast<std::uint8_t>(lba >> 8);
  c[3] = static_cast<std::uint8_t>(lba);
  c[4] = len;
  return c;
}
inline byte_buffer cdb10(std::uint8_t op, std::uint32_t lba, std::uint16_t len, std::uint8_t b1 = 0) {
  byte_buffer c(10, 0);
  c[0] = op;
  c[1] = b1;
  put_be32(&c[2], lba);
  put_be16(&c[7], len);
  return c;
}
inline byte_buffer cdb12(std::uint8_t op, std::uint32_t lba, std::uint32_t len, std::uint8_t b1 = 0) {
  byte_buffer c(12, 0);
  c[0] = op;
  c[1] = b1;
  put_be32(&c[2], lba);
  put_be32(&c[6], len);
  return c;
}
inline byte_buffer cdb16(std::uint8_t op, std::uint64_t lba, std::uint32_t len, std::uint8_t b1 = 0) {
  byte_buffer c(16, 0);
  c[0] = op;
  c[1] = b1;
  put_be64(&c[2], lba);
  put_be32(&c[10], len);
  return c;
}

inline sense sense_of(const response& r) {
  REQUIRE(r.status == status::check_condition);
  auto s = decode_sense(r.sense);
  REQUIRE(s.has_value());
  return *s;
}

// CHECK CONDITION with exactly this key/ASC/ASCQ (and field pointer, when given).
inline void require_sense(const response& r, sense_key key, asc_ascq code,
                          std::optional<field_pointer> field = std::nullopt) {
  sense s = sense_of(r);
  CHECK(s.key == key);
  CHECK(int{s.code.asc} == int{code.asc});
  CHECK(int{s.code.ascq} == int{code.ascq});
  if (field) {
    REQUIRE(s.field.has_value());
    CHECK(s.field->in_cdb == field->in_cdb);
    CHECK(s.field->byte == field->byte);
    CHECK(s.field->bit == field->bit);
  }
}

inline void require_invalid_cdb_field(const response& r, std::uint16_t byte,
                                      std::optional<std::uint8_t> bit = std::nullopt) {
  require_sense(r, sense_key::illegal_request, asc::invalid_field_in_cdb,
                field_pointer{true, byte, bit});
}

inline byte_buffer pattern(std::size_t bytes, std::uint8_t seed) {
  byte_buffer b(bytes);
  for (std::size_t i = 0; i < bytes; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 7);
  return b;
}

}  // namespace touchstone::scsi::test
