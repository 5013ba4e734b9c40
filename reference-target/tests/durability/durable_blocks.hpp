// The blocks of the kill -9 tests and their ledger. A block carries a magic,
// its sequence number, its LBA and a CRC32C of the rest (filled from the
// sequence number), so a read-back block is recognised as intact, torn or
// foreign. The ledger keeps, per LBA, the latest sequence number a writer
// saw acknowledged and the latest it sent; judge() says whether what a
// restarted target returns is one of them.
#pragma once

#include <algorithm>
#include <cstdint>

#include "touchstone/pdu/digest.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::target::test {

inline constexpr std::uint32_t durable_block_size = 4096;
inline constexpr std::uint64_t durable_magic = 0x5453'4455'5241'424cULL;  // "TSDURABL"

// magic (8 bytes), sequence (8), LBA (4), CRC32C of bytes 24.. (4), filler.
inline pdu::byte_buffer make_block(std::uint64_t seq, std::uint32_t lba) {
  pdu::byte_buffer b(durable_block_size);
  std::uint64_t x = seq * 0x9E3779B97F4A7C15ULL + lba + 1;
  for (std::size_t i = 24; i < b.size(); ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    b[i] = static_cast<std::uint8_t>(x);
  }
  pdu::store_be64(&b[0], durable_magic);
  pdu::store_be64(&b[8], seq);
  pdu::store_be32(&b[16], lba);
  pdu::store_be32(&b[20], pdu::crc32c(pdu::bytes_view(b).subspan(24)));
  return b;
}

struct block_reading {
  enum class kind : std::uint8_t { zeros, intact, corrupt } state = kind::corrupt;
  std::uint64_t seq = 0;  // intact: its sequence number
};

// What a block read back from `lba` holds.
inline block_reading inspect(pdu::bytes_view b, std::uint32_t lba) {
  if (b.size() != durable_block_size) return {};
  if (std::all_of(b.begin(), b.end(), [](std::uint8_t v) { return v == 0; }))
    return {block_reading::kind::zeros, 0};
  const std::uint64_t seq = pdu::load_be64(&b[8]);
  const bool intact = pdu::load_be64(&b[0]) == durable_magic && pdu::load_be32(&b[16]) == lba &&
                      pdu::load_be32(&b[20]) == pdu::crc32c(b.subspan(24)) &&
                      std::equal(b.begin(), b.end(), make_block(seq, lba).begin());
  return {intact ? block_reading::kind::intact : block_reading::kind::corrupt, seq};
}

// One LBA's history as its (single) writer saw it.
struct slot_ledger {
  std::uint64_t acked = 0;  // the latest version acknowledged durable (0: none yet)
  std::uint64_t sent = 0;   // the latest version sent (acknowledged or not)
};

struct durability_tally {
  unsigned checked = 0;  // blocks with an acknowledged version
  unsigned lost = 0;     // an acknowledged version replaced by an older one (or zeros)
  unsigned corrupt = 0;  // neither zeros nor an intact version this writer sent
  // At the kill, of the blocks whose last version was acknowledged durable:
  unsigned probed = 0;    // those whose page-cache state could be asked
  unsigned unsynced = 0;  // those still dirty there (a power loss would lose them)
};

// The block must hold the acknowledged version or one sent after it (an
// unacknowledged write may or may not have landed); a block never
// acknowledged may also hold zeros. Older is lost; a version never sent, or
// a block that is not intact, is corrupt.
inline void judge(const slot_ledger& slot, const block_reading& got, durability_tally& t) {
  if (slot.sent == 0) return;  // never written
  if (slot.acked != 0) ++t.checked;
  using kind = block_reading::kind;
  if (got.state == kind::zeros) {
    if (slot.acked != 0) ++t.lost;
  } else if (got.state == kind::corrupt || got.seq > slot.sent) {
    ++t.corrupt;
  } else if (got.seq < slot.acked) {
    ++t.lost;
  }
}

}  // namespace touchstone::target::test
