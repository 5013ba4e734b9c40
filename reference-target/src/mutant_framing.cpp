// The mutant of PDU framing (mutant_hooks.hpp): partial-pdu-zero-filled, a
// target that takes a short read for the whole PDU.
#include <array>

#include "mutant_hooks.hpp"

namespace touchstone::target {

bool zero_fill_due([[maybe_unused]] const mutant_set& set, [[maybe_unused]] const pdu::frame_step& step) {
  return mutated(set, m::partial_pdu_zero_filled) && step.status == pdu::frame_status::need_more;
}

//= rfc7143#section-11.2.1.6
//# This is the data segment payload length in bytes (excluding padding).
// Mutant partial-pdu-zero-filled breaks it: when a read ends inside a PDU,
// the bytes its header announces and that have not come are taken as
// zeros, and the PDU is answered at once.
pdu::frame_step complete_with_zeros(pdu::framer& framer) {
  static constexpr std::array<std::uint8_t, 4096> zeros{};
  // 2**24 bytes of data segment (its largest), plus header, AHS and digests.
  constexpr int most_reads = static_cast<int>((std::size_t{1} << 24) / zeros.size()) + 4;
  pdu::frame_step step;
  for (int i = 0; i < most_reads; ++i) {
    step = framer.decode(pdu::bytes_view(zeros.data(), zeros.size()));
    if (step.status != pdu::frame_status::need_more) break;
  }
  return step;
}

}  // namespace touchstone::target
