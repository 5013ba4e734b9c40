// Fuzz the framer and the validator with arbitrary stream bytes.
//
// Input: byte 0 chooses the digests (bit 0 header, bit 1 data), bytes 1-2 the
// MaxRecvDataSegmentLength (512 + value, at most 66047), bytes 3.. the
// stream. Oracles:
//  - round trip: every decoded PDU re-encodes to exactly the bytes it came from;
//  - differential: the stream fed whole and fed in chunks sized by the data
//    itself yields the same PDUs and the same error at the same offset;
//  - the validator runs on every PDU without crashing.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "touchstone/pdu/framer.hpp"
#include "touchstone/pdu/validate.hpp"

using namespace touchstone::pdu;

namespace {

struct outcome {
  std::vector<pdu> pdus;
  frame_error error = frame_error::none;
  std::uint64_t error_offset = 0;
};

void oracle(bool ok) {
  if (!ok) std::abort();
}

// Decode the stream, taking chunks of chunk_size (0 = all at once).
outcome run(bytes_view stream, framer_limits limits, std::size_t chunk_size) {
  outcome out;
  framer f{limits};
  bytes_view rest = stream;
  while (!rest.empty()) {
    const std::size_t n = chunk_size == 0 ? rest.size() : std::min(chunk_size, rest.size());
    bytes_view piece = rest.first(n);
    rest = rest.subspan(n);
    while (!piece.empty()) {
      const auto step = f.decode(piece);
      // decode() consumes at most one PDU, so this is where it began.
      const std::uint64_t pdu_start = f.pdu_offset();
      piece = piece.subspan(step.consumed);
      if (step.status == frame_status::need_more) continue;
      if (step.status == frame_status::done || step.error == frame_error::data_digest) {
        auto p = f.take();
        const auto end = f.stream_offset();
        // Round trip: re-encoding gives back exactly the consumed bytes.
        const auto again = encode(p, limits.digests);
        oracle(again.size() == end - pdu_start);
        if (step.status == frame_status::done)
          oracle(std::memcmp(again.data(), stream.data() + pdu_start, again.size()) == 0);
        (void)validate(p);
        out.pdus.push_back(std::move(p));
        if (step.status == frame_status::error) {
          out.error = step.error;
          out.error_offset = end;
        }
        continue;
      }
      out.error = step.error;
      out.error_offset = f.stream_offset();
      (void)validate(f.take());
      return out;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  framer_limits limits;
  limits.digests.header = (data[0] & 1) != 0;
  limits.digests.data = (data[0] & 2) != 0;
  limits.max_recv_data_segment_length = 512u + ((std::uint32_t{data[1]} << 8) | data[2]);
  const bytes_view stream{data + 3, size - 3};

  const auto whole = run(stream, limits, 0);
  const std::size_t chunk = 1 + (data[1] ^ data[2]) % 97;
  const auto split = run(stream, limits, chunk);
  oracle(whole.pdus == split.pdus);
  oracle(whole.error == split.error);
  oracle(whole.error_offset == split.error_offset);
  return 0;
}
