// The disturbance rule (disturbance.hpp). Opcode values from SPC-4 and
// SBC-3's command tables (from memory; sbc3#section-5 lists the commands).
#include "touchstone/fuzz/net/disturbance.hpp"

#include <algorithm>
#include <optional>

#include "touchstone/pdu/wire.hpp"

namespace touchstone::fuzz::net {
namespace {

// Commands that change no block's data (they may change state a probe
// must cope with: a reservation, a unit attention; the probe skips those).
// START STOP UNIT, MODE SELECT, FORMAT UNIT, SANITIZE, WRITE BUFFER and the
// like are deliberately absent: they may make a read fail or change blocks.
constexpr std::uint8_t no_data_change[] = {
    0x00,  // TEST UNIT READY
    0x03,  // REQUEST SENSE
    0x08, 0x28, 0xa8, 0x88,  // READ(6/10/12/16)
    0x12,  // INQUIRY
    0x1a, 0x5a,  // MODE SENSE(6/10)
    0x16, 0x17, 0x56, 0x57,  // RESERVE/RELEASE(6/10)
    0x1e,  // PREVENT ALLOW MEDIUM REMOVAL
    0x25,  // READ CAPACITY(10)
    0x9e,  // SERVICE ACTION IN(16): READ CAPACITY(16), GET LBA STATUS
    0x2f, 0xaf, 0x8f,  // VERIFY(10/12/16)
    0x34, 0x90,  // PRE-FETCH(10/16)
    0x35, 0x91,  // SYNCHRONIZE CACHE(10/16)
    0x4d,  // LOG SENSE
    0x5e, 0x5f,  // PERSISTENT RESERVE IN/OUT
    0xa0,  // REPORT LUNS
    0xa3,  // MAINTENANCE IN (REPORT SUPPORTED OPCODES, ...)
};

struct range {
  std::uint64_t first = 0;
  std::uint64_t count = 0;  // 0: the range cannot be told (to the end, or in the data)
};

std::uint64_t be64(const std::uint8_t* p) {
  return std::uint64_t{pdu::load_be32(p)} << 32 | pdu::load_be32(p + 4);
}

// The blocks a known writing command names; nullopt: not a known writer.
std::optional<range> written_range(pdu::bytes_view c) {
  const auto be16 = [&](std::size_t at) { return std::uint64_t{c[at]} << 8 | c[at + 1]; };
  switch (c[0]) {
    case 0x0a: {  // WRITE(6): 0 blocks means 256
      const std::uint64_t n = c[4] ? c[4] : 256;
      return range{std::uint64_t{c[1] & 0x1fu} << 16 | be16(2), n};
    }
    // WRITE, WRITE AND VERIFY, XDWRITE, XPWRITE, XDWRITEREAD (10)
    case 0x2a: case 0x2e: case 0x50: case 0x51: case 0x53:
      return range{pdu::load_be32(&c[2]), be16(7) ? be16(7) : 1};
    case 0x41:  // WRITE SAME(10): 0 blocks is "to the last LBA"
      return range{pdu::load_be32(&c[2]), be16(7)};
    case 0xaa: case 0xae:  // WRITE(12), WRITE AND VERIFY(12)
      return range{pdu::load_be32(&c[2]), std::max<std::uint64_t>(1, pdu::load_be32(&c[6]))};
    case 0x8a: case 0x8e: case 0x8b:  // WRITE(16), WRITE AND VERIFY(16), ORWRITE(16)
      return range{be64(&c[2]), std::max<std::uint64_t>(1, pdu::load_be32(&c[10]))};
    case 0x93:  // WRITE SAME(16)
      return range{be64(&c[2]), pdu::load_be32(&c[10])};
    case 0x89:  // COMPARE AND WRITE
      return range{be64(&c[2]), std::max<std::uint64_t>(1, c[13])};
    default: return std::nullopt;
  }
}

bool meets(const range& r, const std::vector<std::uint64_t>& lbas) {
  if (r.count == 0 || lbas.empty()) return true;
  return std::any_of(lbas.begin(), lbas.end(), [&](std::uint64_t l) { return l >= r.first && l - r.first < r.count; });
}

}  // namespace

bool cdb_may_change(pdu::bytes_view cdb, const std::vector<std::uint64_t>& lbas) {
  if (cdb.size() < 16) return true;
  if (std::find(std::begin(no_data_change), std::end(no_data_change), cdb[0]) != std::end(no_data_change))
    return false;
  const auto r = written_range(cdb);
  return !r || meets(*r, lbas);  // UNMAP (its ranges are in the data), unknown opcodes: yes
}

bool program_may_change(const program& p, const std::vector<std::uint64_t>& lbas) {
  return std::any_of(p.steps.begin(), p.steps.end(), [&](const step& s) {
    return s.pdu.op() == pdu::opcode::scsi_command && cdb_may_change(pdu::bytes_view(&s.pdu.bhs[32], 16), lbas);
  });
}

bool disturbance_log::started(const program& p) {
  std::lock_guard held(lock_);
  if (!program_may_change(p, lbas_)) return false;
  ++epoch_;
  ++in_flight_;
  return true;
}

void disturbance_log::finished(bool disturbing) {
  std::lock_guard held(lock_);
  if (disturbing && in_flight_ > 0) --in_flight_;
}

void disturbance_log::unknown() {
  std::lock_guard held(lock_);
  ++epoch_;
  ++in_flight_;
}

disturbance_log::mark disturbance_log::now() const {
  std::lock_guard held(lock_);
  return {epoch_, in_flight_};
}

bool disturbance_log::quiet_since(const mark& m) const {
  std::lock_guard held(lock_);
  return m.in_flight == 0 && epoch_ == m.epoch;
}

void disturbance_log::set_canaries(std::vector<std::uint64_t> lbas) {
  std::lock_guard held(lock_);
  lbas_ = std::move(lbas);
}

std::vector<std::uint64_t> disturbance_log::canaries() const {
  std::lock_guard held(lock_);
  return lbas_;
}

}  // namespace touchstone::fuzz::net
