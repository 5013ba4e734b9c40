// The numbered responses kept for Status SNACK (status_retention.hpp).
#include "touchstone/target/status_retention.hpp"

namespace touchstone::target {
namespace {

// Serial number arithmetic (RFC 1982) over 32 bits, as StatSN is compared.
bool before(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }

}  // namespace

void status_retention::retain(std::uint32_t stat_sn, const pdu::pdu& p) {
  if (!entries_.empty() && !before(entries_.back().stat_sn, stat_sn)) return;
  if (max_count_ == 0) return;
  bytes_ += weight(p);
  entries_.push_back({stat_sn, p});
  while (entries_.size() > max_count_ || (bytes_ > max_bytes_ && entries_.size() > 1)) drop_oldest();
}

void status_retention::acknowledge(std::uint32_t exp_stat_sn) {
  while (!entries_.empty() && before(entries_.front().stat_sn, exp_stat_sn)) drop_oldest();
}

void status_retention::drop_oldest() {
  bytes_ -= weight(entries_.front().response);
  entries_.pop_front();
}

std::vector<const pdu::pdu*> status_retention::run(std::uint32_t first, std::uint32_t count) const {
  std::vector<const pdu::pdu*> out;
  if (count == 0 || count > entries_.size()) return out;
  std::size_t at = 0;
  while (at < entries_.size() && entries_[at].stat_sn != first) ++at;
  if (entries_.size() - at < count) return out;
  out.reserve(count);
  // Consecutive StatSNs only: a gap (a response not kept) refuses the run.
  for (std::uint32_t i = 0; i < count; ++i) {
    if (entries_[at + i].stat_sn != first + i) return {};
    out.push_back(&entries_[at + i].response);
  }
  return out;
}

}  // namespace touchstone::target
