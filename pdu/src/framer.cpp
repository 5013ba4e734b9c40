#include "touchstone/pdu/framer.hpp"

#include <algorithm>
#include <cstring>

#include "touchstone/pdu/digest.hpp"

namespace touchstone::pdu {

std::string_view name(frame_error e) {
  switch (e) {
    case frame_error::none: return "none";
    case frame_error::header_digest: return "header digest mismatch";
    case frame_error::data_digest: return "data digest mismatch";
    case frame_error::data_segment_too_long: return "DataSegmentLength exceeds MaxRecvDataSegmentLength";
    case frame_error::stream_failed: return "stream already failed";
  }
  return "unknown";
}

std::string describe(frame_error e, const pdu& partial, const framer_limits& limits) {
  if (e != frame_error::data_segment_too_long) return std::string(name(e));
  return "DataSegmentLength " + std::to_string(partial.header().data_segment_length()) +
         " exceeds MaxRecvDataSegmentLength " + std::to_string(limits.max_recv_data_segment_length);
}

void framer::set_limits(framer_limits limits) {
  next_limits_ = limits;
  if (stage_ == stage::bhs && have_ == 0) limits_ = limits;
}

void framer::begin_pdu() {
  limits_ = next_limits_;
  current_ = pdu{};
  have_ = 0;
  stage_ = stage::bhs;
  pdu_start_ = offset_;
}

// Copies up to want - have_ bytes from in into dst + have_; true when full.
std::size_t framer::fill(std::uint8_t* dst, std::size_t want, bytes_view& in) {
  const std::size_t n = std::min(want - have_, in.size());
  if (n != 0) std::memcpy(dst + have_, in.data(), n);
  have_ += n;
  in = in.subspan(n);
  offset_ += n;
  return n;
}

frame_step framer::fail(frame_error e) {
  stage_ = stage::failed;
  return {frame_status::error, 0, e};
}

frame_step framer::decode(bytes_view input) {
  if (stage_ == stage::failed) return {frame_status::error, 0, frame_error::stream_failed};
  if (stage_ == stage::bhs && have_ == 0) begin_pdu();
  const std::size_t size = input.size();
  bytes_view in = input;
  frame_step step{frame_status::need_more, 0, frame_error::none};
  while (step.status == frame_status::need_more && !in.empty()) {
    switch (stage_) {
      case stage::bhs:
        fill(current_.bhs.data(), bhs_size, in);
        if (have_ == bhs_size) step = after_bhs();
        break;
      case stage::ahs:
        fill(current_.ahs.data(), current_.ahs.size(), in);
        if (have_ == current_.ahs.size()) step = after_header();
        break;
      case stage::header_digest:
        fill(digest_, digest_size, in);
        if (have_ == digest_size) step = after_header();
        break;
      case stage::data: {
        const std::size_t len = current_.data.size();
        const std::size_t pad = padding_of(len);
        // Data and padding are one stage: the data first, then the pad bytes.
        if (have_ < len) {
          fill(current_.data.data(), len, in);
        } else {
          std::size_t pad_have = have_ - len;
          const std::size_t n = std::min(pad - pad_have, in.size());
          std::memcpy(current_.padding.data() + pad_have, in.data(), n);
          in = in.subspan(n);
          have_ += n;
          offset_ += n;
        }
        if (have_ == len + pad) step = after_data();
        break;
      }
      case stage::data_digest:
        fill(digest_, digest_size, in);
        if (have_ == digest_size) step = finish();
        break;
      case stage::failed:
        return {frame_status::error, size - in.size(), frame_error::stream_failed};
    }
  }
  step.consumed = size - in.size();
  return step;
}

frame_step framer::after_bhs() {
  have_ = 0;
  const auto h = current_.header();
  if (h.total_ahs_length() != 0) {
    // Bounded by the 8-bit field: at most 1020 bytes, before any digest check.
    current_.ahs.resize(h.total_ahs_bytes());
    stage_ = stage::ahs;
    return {};
  }
  return after_header();
}

// Called once the AHS is complete, and again once the header digest is read.
frame_step framer::after_header() {
  if (limits_.digests.header && stage_ != stage::header_digest) {
    have_ = 0;
    stage_ = stage::header_digest;
    return {};
  }
  if (limits_.digests.header) {
    //= rfc7143#section-7.8
    //# When a target or an initiator receives any iSCSI PDU with a header digest error, it MUST
    //# either discard the header and all data up to the beginning of a later PDU or close the
    //# connection.
    // Without a Sync and Steering layer the next PDU cannot be located, so the
    // framer stops and the connection closes.
    std::uint32_t crc = crc32c(current_.bhs);
    crc = crc32c_extend(crc, current_.ahs);
    if (crc != digest_from_bytes(digest_)) return fail(frame_error::header_digest);
  }
  const std::uint32_t len = current_.header().data_segment_length();
  //= rfc7143#section-13.12
  //# The transmitter (initiator or target) is required to send PDUs with a data segment that
  //# does not exceed MaxRecvDataSegmentLength of the receiver.
  if (len > limits_.max_recv_data_segment_length) return fail(frame_error::data_segment_too_long);
  have_ = 0;
  //= rfc7143#section-11.7.7
  //# The sending of 0-length data segments should be avoided, but initiators
  //# and targets MUST be able to properly receive 0-length data segments.
  if (len == 0) return finish();
  current_.data.resize(len);
  stage_ = stage::data;
  return {};
}

frame_step framer::after_data() {
  if (!limits_.digests.data) return finish();
  have_ = 0;
  stage_ = stage::data_digest;
  return {};
}

frame_step framer::finish() {
  const bool check_data = limits_.digests.data && !current_.data.empty();
  stage_ = stage::bhs;
  have_ = 0;
  if (check_data) {
    //= rfc7143#section-13.1
    //# Padding bytes, when present in a segment covered by a CRC, ... are included in the CRC.
    const std::size_t pad = padding_of(current_.data.size());
    const std::uint32_t crc = crc32c_extend(crc32c(current_.data), bytes_view{current_.padding}.first(pad));
    if (crc != digest_from_bytes(digest_)) {
      //= rfc7143#section-7.8
      //# When a target receives any iSCSI PDU with a payload digest error, it MUST answer with
      //# a Reject PDU with a reason code of Data-Digest-Error and discard the PDU.
      // The header was sound, so the stream stays framed; the caller answers.
      return {frame_status::error, 0, frame_error::data_digest};
    }
  }
  return {frame_status::done, 0, frame_error::none};
}

pdu framer::take() {
  pdu out = std::move(current_);
  current_ = pdu{};
  return out;
}

}  // namespace touchstone::pdu
