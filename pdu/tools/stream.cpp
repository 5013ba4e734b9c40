#include "stream.hpp"

#include <fmt/format.h>

#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/digest.hpp"

namespace touchstone::pdu_tool {
namespace {

using namespace touchstone::pdu;

bool carries_text(opcode op) {
  return op == opcode::login_request || op == opcode::login_response ||
         op == opcode::text_request || op == opcode::text_response;
}

// rfc7143 section 11.12.2, in our words:
// C (Continue) bit: when set to 1, this bit indicates that the text is incomplete
bool continue_bit(const bhs_view& h) { return (h.flags() & login_flag::continue_) != 0; }

// Login and Text data: assembled across PDUs chained by the C bit.
void add_text(const pdu::pdu& p, text_assembler& texts, pdu_report& r) {
  if (!carries_text(p.op())) return;
  const auto added = texts.add(p.data, continue_bit(p.header()));
  if (!added) {
    r.text_note = fmt::format("text not assembled: {}", name(added.error()));
    texts.reset();
  } else if (*added == text_assembler::state::need_more) {
    r.text_note = "text continues in the next PDU (C=1)";
  } else if (auto pairs = texts.take()) {
    r.pairs = std::move(*pairs);
  } else {
    r.text_note = fmt::format("malformed key=value text: {}", name(pairs.error()));
  }
}

pdu_report describe(const pdu::pdu& p, std::uint64_t offset, std::uint64_t end, text_assembler& texts) {
  pdu_report r{offset, end - offset, describe_fields(p), describe_details(p), {}, {}, validate(p)};
  add_text(p, texts, r);
  return r;
}

// "SCSI Command PDU (opcode 0x01)" for messages.
std::string pdu_name(const bhs_view& h) {
  return fmt::format("{} PDU (opcode 0x{:02x})", code_name(h.raw_opcode()), h.raw_opcode());
}

std::string digest_text(std::uint32_t crc) {
  const auto b = digest_bytes(crc);
  return fmt::format("{:02x} {:02x} {:02x} {:02x}", b[0], b[1], b[2], b[3]);
}

// The PDU size the header announces, digests included.
std::uint64_t announced_size(const bhs_view& h, const framer_limits& limits) {
  const std::uint32_t len = h.data_segment_length();
  std::uint64_t n = bhs_size + h.total_ahs_bytes() + padded_length(len);
  if (limits.digests.header) n += digest_size;
  if (limits.digests.data && len != 0) n += digest_size;
  return n;
}

stream_error truncated(bytes_view bytes, std::uint64_t start, const framer_limits& limits) {
  const std::uint64_t have = bytes.size() - start;
  stream_error e{"truncated", bytes.size(), start, {}};
  if (have < bhs_size) {
    e.message = fmt::format("stream ends at offset {} inside the PDU that starts at offset {}: "
                            "{} of the 48 BHS bytes present",
                            bytes.size(), start, have);
    return e;
  }
  const bhs_view h{bytes.subspan(start).first<bhs_size>()};
  e.message = fmt::format("stream ends at offset {} inside the {} that starts at offset {}: "
                          "{} of its {} bytes present",
                          bytes.size(), pdu_name(h), start, have, announced_size(h, limits));
  return e;
}

stream_error header_digest_error(bytes_view bytes, const pdu::pdu& partial, std::uint64_t start,
                                 std::uint64_t end) {
  const std::uint64_t at = end - digest_size;
  const std::uint32_t computed = crc32c_extend(crc32c(partial.bhs), partial.ahs);
  const std::uint32_t got = digest_from_bytes(&bytes[at]);
  return {"header-digest", at, start,
          fmt::format("header digest mismatch at offset {} for the {} that starts at offset {}: "
                      "got {}, computed {} over BHS+AHS",
                      at, pdu_name(partial.header()), start, digest_text(got), digest_text(computed))};
}

stream_error data_digest_error(bytes_view bytes, const pdu::pdu& p, std::uint64_t start, std::uint64_t end) {
  const std::uint64_t at = end - digest_size;
  const auto pad = bytes_view{p.padding}.first(padding_of(p.data.size()));
  const std::uint32_t computed = crc32c_extend(crc32c(p.data), pad);
  return {"data-digest", at, start,
          fmt::format("data digest mismatch at offset {} for the {} that starts at offset {}: "
                      "got {}, computed {} over data+padding",
                      at, pdu_name(p.header()), start, digest_text(digest_from_bytes(&bytes[at])),
                      digest_text(computed))};
}

stream_error too_long_error(const pdu::pdu& partial, std::uint64_t start, const framer_limits& limits) {
  return {"data-segment-too-long", start + bhs_offset::data_segment_length, start,
          fmt::format("DataSegmentLength {} at offset {} (the {} that starts at offset {}) exceeds "
                      "MaxRecvDataSegmentLength {}; after login the receiver's declared "
                      "MaxRecvDataSegmentLength applies: pass it with --mrdsl",
                      partial.header().data_segment_length(), start + bhs_offset::data_segment_length,
                      pdu_name(partial.header()), start, limits.max_recv_data_segment_length)};
}

stream_error framing_error(frame_error e, bytes_view bytes, framer& f, const framer_limits& limits) {
  const auto partial = f.take();
  switch (e) {
    case frame_error::header_digest: return header_digest_error(bytes, partial, f.pdu_offset(), f.stream_offset());
    case frame_error::data_segment_too_long: return too_long_error(partial, f.pdu_offset(), limits);
    default: break;
  }
  return {"framing", f.stream_offset(), f.pdu_offset(),
          fmt::format("framing failed at offset {}: {}", f.stream_offset(), name(e))};
}

}  // namespace

stream_report decode_stream(bytes_view bytes, framer_limits limits) {
  stream_report out;
  out.input_size = bytes.size();
  framer f{limits};
  text_assembler texts;
  bytes_view in = bytes;
  std::uint64_t last_end = 0;
  while (!in.empty()) {
    const auto step = f.decode(in);
    in = in.subspan(step.consumed);
    if (step.status == frame_status::need_more) continue;
    if (step.status == frame_status::done || step.error == frame_error::data_digest) {
      const auto p = f.take();
      out.pdus.push_back(describe(p, f.pdu_offset(), f.stream_offset(), texts));
      last_end = f.stream_offset();
      if (step.status == frame_status::done) continue;
      out.error = data_digest_error(bytes, p, f.pdu_offset(), f.stream_offset());
      return out;
    }
    out.error = framing_error(step.error, bytes, f, limits);
    return out;
  }
  if (last_end != bytes.size()) out.error = truncated(bytes, last_end, limits);
  return out;
}

}  // namespace touchstone::pdu_tool
