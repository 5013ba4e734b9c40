// The framer: turns one direction of an iSCSI byte stream into PDUs,
// incrementally. Feed it any split of the stream; it consumes at most up to
// the end of the PDU in progress and says need_more, done or error.
//
// It trusts no length before the header digest (when negotiated) has been
// verified, and never allocates more than MaxRecvDataSegmentLength for data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "touchstone/pdu/pdu.hpp"

namespace touchstone::pdu {

struct framer_limits {
  digest_config digests;
  //= rfc7143#section-6.3
  //# The default MaxRecvDataSegmentLength is used during login.
  std::uint32_t max_recv_data_segment_length = 8192;
  friend bool operator==(const framer_limits&, const framer_limits&) = default;
};

enum class frame_status : std::uint8_t { need_more, done, error };

enum class frame_error : std::uint8_t {
  none,
  header_digest,          // fatal: the lengths cannot be trusted (section 7.8)
  data_digest,            // the PDU is complete and its header is sound (section 7.8)
  data_segment_too_long,  // DataSegmentLength > our MaxRecvDataSegmentLength: fatal
  stream_failed,          // an earlier fatal error stopped this framer
};

std::string_view name(frame_error e);
// The error for a message: a too-long data segment gives both sizes
// (DataSegmentLength of `partial`, the header as far as it was read, and
// the limit), the others their name.
std::string describe(frame_error e, const pdu& partial, const framer_limits& limits);

struct frame_step {
  frame_status status = frame_status::need_more;
  std::size_t consumed = 0;
  frame_error error = frame_error::none;
};

class framer {
 public:
  explicit framer(framer_limits limits = {}) : limits_(limits), next_limits_(limits) {}

  // New limits (after negotiation) apply from the next PDU boundary.
  void set_limits(framer_limits limits);
  const framer_limits& limits() const { return limits_; }

  // Consume bytes of input, at most up to the end of one PDU. On done, and on
  // a data_digest error, take() gives the PDU; take it before decoding more. On a fatal error the framer stays failed; take() then gives the
  // header as far as it was read (for the log and the Reject).
  frame_step decode(bytes_view input);
  pdu take();

  bool failed() const { return stage_ == stage::failed; }
  // Bytes consumed since construction: the stream offset for error messages.
  std::uint64_t stream_offset() const { return offset_; }
  // Stream offset at which the PDU in progress (or just completed) starts.
  std::uint64_t pdu_offset() const { return pdu_start_; }

 private:
  enum class stage : std::uint8_t { bhs, ahs, header_digest, data, data_digest, failed };

  std::size_t fill(std::uint8_t* dst, std::size_t want, bytes_view& in);
  frame_step after_bhs();
  frame_step after_header();
  frame_step after_data();
  frame_step finish();
  frame_step fail(frame_error e);
  void begin_pdu();

  framer_limits limits_;
  framer_limits next_limits_;
  stage stage_ = stage::bhs;
  pdu current_;
  std::size_t have_ = 0;  // bytes of the current stage already filled
  std::uint8_t digest_[4] = {};
  std::uint64_t offset_ = 0;
  std::uint64_t pdu_start_ = 0;
};

}  // namespace touchstone::pdu
