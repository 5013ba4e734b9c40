// SCSI opcodes and field offsets from memory of SPC-4 (TEST UNIT READY,
// INQUIRY, MODE SENSE, REPORT LUNS, PERSISTENT RESERVE IN/OUT) and SBC-3
// (READ CAPACITY, READ/WRITE, SYNCHRONIZE CACHE): spc4#section-6 and
// sbc3#section-5 (section numbers from memory, not checked against the text).
#include "cdb_grammar.hpp"

#include <algorithm>
#include <array>

namespace touchstone::fuzz {
namespace {

// A field value: a sane one (small, within a tiny LU) or a boundary value.
std::uint64_t field(rng& r, const program_mix& mix, unsigned bits, std::uint64_t sane_max) {
  if (chance(r, mix.boundary_field_pct)) return boundary_value(r, bits);
  return uniform(r, 0, sane_max);
}

void put(pdu::byte_buffer& cdb, std::size_t off, unsigned bytes, std::uint64_t v) {
  for (unsigned i = 0; i < bytes; ++i)
    cdb[off + i] = static_cast<std::uint8_t>(v >> (8 * (bytes - 1 - i)));
}

cdb_choice read_write(rng& r, const program_mix& mix, bool write, unsigned size) {
  cdb_choice c;
  c.cdb.assign(size, 0);
  c.write = write;
  c.read = !write;
  std::uint64_t blocks = 0;
  if (size == 6) {
    c.cdb[0] = write ? 0x0a : 0x08;
    const auto lba = field(r, mix, 21, 64);
    put(c.cdb, 1, 3, lba & 0x1fffff);
    blocks = field(r, mix, 8, 16);
    c.cdb[4] = static_cast<std::uint8_t>(blocks);
    if (blocks == 0) blocks = 256;  // sbc3: 0 means 256 blocks in the 6-byte CDBs
  } else if (size == 10) {
    c.cdb[0] = write ? 0x2a : 0x28;
    put(c.cdb, 2, 4, field(r, mix, 32, 64));
    blocks = field(r, mix, 16, 16);
    put(c.cdb, 7, 2, blocks);
  } else {
    c.cdb[0] = write ? 0x8a : 0x88;
    put(c.cdb, 2, 8, field(r, mix, 64, 64));
    blocks = field(r, mix, 32, 16);
    put(c.cdb, 10, 4, blocks);
  }
  c.transfer_bytes = static_cast<std::uint32_t>(std::min<std::uint64_t>(blocks * assumed_block_size, 0xffffffffu));
  return c;
}

// A command that returns up to an allocation length.
cdb_choice data_in(rng& r, const program_mix& mix, std::uint8_t op, unsigned size,
                   std::size_t alloc_off, unsigned alloc_bytes) {
  cdb_choice c;
  c.cdb.assign(size, 0);
  c.cdb[0] = op;
  c.read = true;
  const auto alloc = field(r, mix, alloc_bytes * 8, 255);
  put(c.cdb, alloc_off, alloc_bytes, alloc);
  c.transfer_bytes = static_cast<std::uint32_t>(alloc);
  return c;
}

cdb_choice persistent_reserve_out(rng& r, const program_mix& mix) {
  cdb_choice c;
  c.cdb.assign(10, 0);
  c.cdb[0] = 0x5f;
  c.cdb[1] = static_cast<std::uint8_t>(field(r, mix, 5, 7));  // service action
  c.cdb[2] = static_cast<std::uint8_t>(field(r, mix, 8, 8));  // scope, type
  const auto len = chance(r, 80) ? 24 : field(r, mix, 32, 64);
  put(c.cdb, 5, 4, len);
  c.write = true;
  c.transfer_bytes = static_cast<std::uint32_t>(len);
  return c;
}

cdb_choice unknown_cdb(rng& r) {
  static constexpr std::array known = {0x00, 0x08, 0x0a, 0x12, 0x1a, 0x25, 0x28, 0x2a, 0x35,
                                       0x5a, 0x5e, 0x5f, 0x88, 0x8a, 0x91, 0x9e, 0xa0};
  cdb_choice c;
  static constexpr std::array sizes = {6, 10, 12, 16, 32};
  c.cdb.assign(sizes[uniform(r, 0, sizes.size() - 1)], 0);
  for (auto& b : c.cdb) b = static_cast<std::uint8_t>(chance(r, 70) ? 0 : r());
  do {
    c.cdb[0] = static_cast<std::uint8_t>(r());
  } while (std::find(known.begin(), known.end(), c.cdb[0]) != known.end());
  return c;
}

}  // namespace

cdb_choice pick_write_cdb(rng& r, const program_mix& mix) {
  switch (uniform(r, 0, 3)) {
    case 0: return read_write(r, mix, true, 6);
    case 1: return read_write(r, mix, true, 10);
    case 2: return read_write(r, mix, true, 16);
    default: return persistent_reserve_out(r, mix);
  }
}

cdb_choice pick_cdb(rng& r, const program_mix& mix) {
  if (chance(r, mix.unknown_cdb_pct)) return unknown_cdb(r);
  switch (uniform(r, 0, 15)) {
    case 0: return cdb_choice{pdu::byte_buffer(6, 0), false, false, 0};  // TEST UNIT READY
    case 1: {
      auto c = data_in(r, mix, 0x12, 6, 3, 2);  // INQUIRY
      if (chance(r, 30)) {  // EVPD and a page code
        c.cdb[1] = 1;
        c.cdb[2] = static_cast<std::uint8_t>(field(r, mix, 8, 0x83));
      }
      return c;
    }
    case 2: {
      cdb_choice c{pdu::byte_buffer(10, 0), true, false, 8};  // READ CAPACITY (10)
      c.cdb[0] = 0x25;
      return c;
    }
    case 3: {
      auto c = data_in(r, mix, 0x9e, 16, 10, 4);  // READ CAPACITY (16)
      c.cdb[1] = 0x10;
      return c;
    }
    case 4: return data_in(r, mix, 0x1a, 6, 4, 1);   // MODE SENSE (6)
    case 5: return data_in(r, mix, 0x5a, 10, 7, 2);  // MODE SENSE (10)
    case 6: return data_in(r, mix, 0xa0, 12, 6, 4);  // REPORT LUNS
    case 7: {
      auto c = data_in(r, mix, 0x5e, 10, 7, 2);  // PERSISTENT RESERVE IN
      c.cdb[1] = static_cast<std::uint8_t>(field(r, mix, 5, 3));
      return c;
    }
    case 8: return persistent_reserve_out(r, mix);
    case 9: {
      cdb_choice c{pdu::byte_buffer(chance(r, 50) ? 10 : 16, 0), false, false, 0};
      c.cdb[0] = c.cdb.size() == 10 ? 0x35 : 0x91;  // SYNCHRONIZE CACHE (10)/(16)
      return c;
    }
    case 10: case 11: return read_write(r, mix, false, 10);
    case 12: return read_write(r, mix, false, chance(r, 50) ? 6 : 16);
    case 13: return read_write(r, mix, true, 10);
    default: return read_write(r, mix, true, chance(r, 50) ? 6 : 16);
  }
}

}  // namespace touchstone::fuzz
