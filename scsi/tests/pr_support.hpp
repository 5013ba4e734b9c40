// Helpers for the persistent reservation tests: PERSISTENT RESERVE IN/OUT
// CDBs and parameter lists, and a fixture with three initiators.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "support.hpp"
#include "touchstone/scsi/persistent_reservations.hpp"

namespace touchstone::scsi::test {

inline it_nexus initiator_c() {
  return {"iqn.2024-01.test:c,i,0x000000000003", "iqn.2024-01.test:t,t,0x1"};
}

namespace prsa {
inline constexpr std::uint8_t read_keys = 0, read_reservation = 1, report_capabilities = 2,
                              read_full_status = 3;
inline constexpr std::uint8_t register_key = 0, reserve = 1, release = 2, clear = 3, preempt = 4,
                              preempt_and_abort = 5, register_ignore = 6, register_and_move = 7;
}  // namespace prsa

inline byte_buffer prin_cdb(std::uint8_t sa, std::uint16_t allocation = 0x2000) {
  byte_buffer c(10, 0);
  c[0] = 0x5E;
  c[1] = sa;
  put_be16(&c[7], allocation);
  return c;
}

inline byte_buffer prout_cdb(std::uint8_t sa, std::uint8_t scope_type, std::uint32_t length) {
  byte_buffer c(10, 0);
  c[0] = 0x5F;
  c[1] = sa;
  c[2] = scope_type;
  put_be32(&c[5], length);
  return c;
}

inline std::uint8_t code(pr_type t) { return static_cast<std::uint8_t>(t); }

// The basic parameter list; flags byte 20: SPEC_I_PT 08h, ALL_TG_PT 04h, APTPL 01h.
inline byte_buffer basic_list(std::uint64_t key, std::uint64_t sa_key, std::uint8_t flags = 0) {
  byte_buffer b(24, 0);
  put_be64(&b[0], key);
  put_be64(&b[8], sa_key);
  b[20] = flags;
  return b;
}

struct pr_fixture : fixture {
  nexus a = nexus_of(initiator_a());
  nexus b = nexus_of(initiator_b());
  nexus c = nexus_of(initiator_c());

  explicit pr_fixture(std::shared_ptr<block_store> s = make_memory_store(512, 2048))
      : fixture(std::move(s)) {
    clear_uas(b.it);
    clear_uas(c.it);
  }

  response out(const nexus& n, std::uint8_t sa, std::uint64_t key, std::uint64_t sa_key,
               pr_type type = pr_type::none, std::uint8_t flags = 0) {
    auto list = basic_list(key, sa_key, flags);
    return run_on(n, prout_cdb(sa, code(type), 24), list);
  }
  response register_key(const nexus& n, std::uint64_t key, std::uint8_t flags = 0) {
    return out(n, prsa::register_key, 0, key, pr_type::none, flags);
  }
  response unregister(const nexus& n, std::uint64_t key) {
    return out(n, prsa::register_key, key, 0);
  }
  response reserve(const nexus& n, std::uint64_t key, pr_type t) {
    return out(n, prsa::reserve, key, 0, t);
  }
  response release(const nexus& n, std::uint64_t key, pr_type t) {
    return out(n, prsa::release, key, 0, t);
  }
  response in(const nexus& n, std::uint8_t sa, std::uint16_t allocation = 0x2000) {
    return run_on(n, prin_cdb(sa, allocation));
  }

  std::vector<std::uint64_t> keys(const nexus& n) {
    auto r = in(n, prsa::read_keys);
    REQUIRE(r.status == status::good);
    std::vector<std::uint64_t> out;
    for (std::size_t at = 8; at + 8 <= r.data_in.size(); at += 8) out.push_back(get_be64(&r.data_in[at]));
    return out;
  }
  std::uint32_t generation(const nexus& n) {
    auto r = in(n, prsa::read_keys);
    REQUIRE(r.data_in.size() >= 8);
    return get_be32(&r.data_in[0]);
  }
  struct held_reservation {
    std::uint64_t key;
    pr_type type;
    std::uint8_t scope;
  };
  std::optional<held_reservation> reservation(const nexus& n) {
    auto r = in(n, prsa::read_reservation);
    REQUIRE(r.status == status::good);
    REQUIRE(r.data_in.size() >= 8);
    if (get_be32(&r.data_in[4]) == 0) return std::nullopt;
    REQUIRE(r.data_in.size() == 24);
    return held_reservation{get_be64(&r.data_in[8]), static_cast<pr_type>(r.data_in[21] & 0x0F),
                            static_cast<std::uint8_t>(r.data_in[21] >> 4)};
  }
  std::vector<unit_attention> uas(const nexus& n) { return lu->pending_uas(n.it); }
};

inline void require_conflict(const response& r) {
  CHECK(r.status == status::reservation_conflict);
  CHECK(r.sense.empty());
}

inline void require_good(const response& r) {
  INFO("sense: " << (r.sense.empty() ? std::string("none") : std::to_string(r.sense.size()) + " bytes"));
  REQUIRE(r.status == status::good);
}

inline void require_invalid_list_field(const response& r, std::uint16_t byte,
                                       std::optional<std::uint8_t> bit = std::nullopt) {
  require_sense(r, sense_key::illegal_request, asc::invalid_field_in_parameter_list,
                field_pointer{false, byte, bit});
}

}  // namespace touchstone::scsi::test
