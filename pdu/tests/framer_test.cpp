#include <catch2/catch.hpp>

#include <random>

#include "sample_pdus.hpp"
#include "touchstone/pdu/builder.hpp"
#include "touchstone/pdu/digest.hpp"
#include "touchstone/pdu/framer.hpp"

using namespace touchstone::pdu;

namespace {

// Any opcode, any fields: framing does not depend on the PDU type.
struct raw_builder : builder<raw_builder> {
  explicit raw_builder(std::uint8_t code) : builder(static_cast<opcode>(code)) {}
};

byte_buffer pattern(std::size_t n, std::uint8_t seed) {
  byte_buffer b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 7);
  return b;
}

// A stream with one legal PDU of every type (real builders), every padding
// length, AHS, a large segment and empty segments.
std::vector<pdu> mixed_pdus() {
  auto out = test::sample_pdus();
  for (std::uint8_t pad = 0; pad < 4; ++pad)
    out.push_back(raw_builder{0x24}.data(pattern(100 + pad, pad)).build());
  out.push_back(raw_builder{0x01}.ahs(pattern(20, 9)).data(pattern(4096, 1)).build());
  out.push_back(raw_builder{0x3d}.build());  // vendor-specific: framing does not care
  return out;
}

byte_buffer encode_all(const std::vector<pdu>& ps, digest_config d) {
  byte_buffer out;
  for (const auto& p : ps) encode_into(p, d, out);
  return out;
}

// Feeds the stream in chunks whose sizes come from rng; returns decoded PDUs.
template <class Rng>
std::vector<pdu> decode_split(const byte_buffer& stream, framer_limits limits, Rng& rng,
                              std::size_t max_chunk) {
  framer f{limits};
  std::vector<pdu> got;
  bytes_view in{stream};
  std::uniform_int_distribution<std::size_t> chunk(1, max_chunk);
  while (!in.empty()) {
    bytes_view piece = in.first(std::min(chunk(rng), in.size()));
    in = in.subspan(piece.size());
    while (!piece.empty()) {
      const auto s = f.decode(piece);
      REQUIRE(s.status != frame_status::error);
      piece = piece.subspan(s.consumed);
      if (s.status == frame_status::done) got.push_back(f.take());
    }
  }
  CHECK(f.decode({}).status == frame_status::need_more);
  return got;
}

}  // namespace

TEST_CASE("framer decodes one whole PDU and re-encodes it byte for byte", "[pdu][framer]") {
  const auto p = raw_builder{0x01}.ahs(pattern(8, 2)).data(pattern(13, 5)).build();
  const auto wire = encode(p);
  framer f;
  const auto s = f.decode(wire);
  REQUIRE(s.status == frame_status::done);
  CHECK(s.consumed == wire.size());
  const auto got = f.take();
  CHECK(got == p);
  CHECK(encode(got) == wire);
  CHECK(f.stream_offset() == wire.size());
}

TEST_CASE("framer stops at the end of one PDU", "[pdu][framer]") {
  const auto a = raw_builder{0x20}.data(pattern(5, 1)).build();
  const auto b = raw_builder{0x21}.build();
  auto wire = encode(a);
  const auto wb = encode(b);
  wire.insert(wire.end(), wb.begin(), wb.end());
  framer f;
  auto s = f.decode(wire);
  REQUIRE(s.status == frame_status::done);
  CHECK(s.consumed == 48 + 8);
  CHECK(f.take() == a);
  s = f.decode(bytes_view{wire}.subspan(s.consumed));
  REQUIRE(s.status == frame_status::done);
  CHECK(f.take() == b);
}

TEST_CASE("the same stream fed at random split points decodes identically", "[pdu][framer][split]") {
  const auto pdus = mixed_pdus();
  const auto digests = GENERATE(digest_config{false, false}, digest_config{true, false},
                                digest_config{false, true}, digest_config{true, true});
  const auto stream = encode_all(pdus, digests);
  const framer_limits limits{digests, 1u << 16};
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    std::mt19937 rng{seed};
    const std::size_t max_chunk = seed <= 10 ? 1 + seed : 64 * seed;
    const auto got = decode_split(stream, limits, rng, max_chunk);
    REQUIRE(got.size() == pdus.size());
    CHECK(got == pdus);
    CHECK(encode_all(got, digests) == stream);
  }
}

TEST_CASE("padding bytes are kept so a decoded PDU re-encodes to the same bytes", "[pdu][framer]") {
  const auto p = raw_builder{0x24}.data(pattern(5, 1)).padding({0xde, 0xad, 0xbe}).build();
  const auto wire = encode(p);
  REQUIRE(wire.size() == 48 + 8);
  framer f;
  REQUIRE(f.decode(wire).status == frame_status::done);
  const auto got = f.take();
  CHECK(got.padding == std::array<std::uint8_t, 3>{0xde, 0xad, 0xbe});
  CHECK(encode(got) == wire);
}

//= rfc7143#section-7.8 type=test
//# When a target or an initiator receives any iSCSI PDU with a header digest error, it MUST
//# either discard the header and all data up to the beginning of a later PDU or close the connection.
TEST_CASE("a header digest error stops the framer before any length is trusted", "[pdu][framer][digest]") {
  // A huge DataSegmentLength behind a bad digest must not be believed.
  auto p = raw_builder{0x01}.data_segment_length_override(0xffffff).build();
  auto wire = encode(p, {true, false});
  wire[48] ^= 0x01;  // corrupt the header digest
  framer f{{{true, false}, 8192}};
  const auto s = f.decode(wire);
  CHECK(s.status == frame_status::error);
  CHECK(s.error == frame_error::header_digest);
  CHECK(f.failed());
  CHECK(f.take().data.capacity() == 0);
  CHECK(f.decode(wire).error == frame_error::stream_failed);
}

//= rfc7143#section-7.8 type=test
//# When a target receives any iSCSI PDU with a payload digest error, it MUST answer with a Reject
TEST_CASE("a data digest error delivers the PDU and keeps the stream framed", "[pdu][framer][digest]") {
  const digest_config d{true, true};
  const auto a = raw_builder{0x05}.data(pattern(10, 4)).build();
  const auto b = raw_builder{0x00}.data(pattern(3, 8)).build();
  auto wire = encode(a, d);
  wire[48 + 4 + 2] ^= 0x80;  // corrupt a data byte of the first PDU
  const auto wb = encode(b, d);
  wire.insert(wire.end(), wb.begin(), wb.end());
  framer f{{d, 8192}};
  auto s = f.decode(wire);
  REQUIRE(s.status == frame_status::error);
  CHECK(s.error == frame_error::data_digest);
  CHECK(s.consumed == encode(a, d).size());
  CHECK(f.take().header().initiator_task_tag() == a.header().initiator_task_tag());
  s = f.decode(bytes_view{wire}.subspan(s.consumed));
  REQUIRE(s.status == frame_status::done);
  CHECK(f.take() == b);
}

//= rfc7143#section-13.1 type=test
//# Padding bytes, when present in a segment covered by a CRC, ... are included in the CRC.
TEST_CASE("the data digest covers the padding bytes", "[pdu][framer][digest]") {
  const digest_config d{false, true};
  const auto p = raw_builder{0x05}.data(pattern(5, 4)).build();
  auto wire = encode(p, d);
  REQUIRE(wire.size() == 48 + 8 + 4);
  wire[48 + 6] ^= 0x01;  // a pad byte
  framer f{{d, 8192}};
  CHECK(f.decode(wire).error == frame_error::data_digest);
}

//= rfc7143#section-11.2.3 type=test
//# A zero-length Data Segment also implies a zero-length Data-Digest.
TEST_CASE("an empty data segment carries no data digest", "[pdu][framer][digest]") {
  const digest_config d{true, true};
  const auto p = raw_builder{0x00}.build();
  const auto wire = encode(p, d);
  CHECK(wire.size() == 48 + 4);
  framer f{{d, 8192}};
  const auto s = f.decode(wire);
  CHECK(s.status == frame_status::done);
  CHECK(s.consumed == wire.size());
}

//= rfc7143#section-13.12 type=test
//# The transmitter ... is required to send PDUs with a data segment that does not exceed
//# MaxRecvDataSegmentLength of the receiver.
TEST_CASE("a data segment longer than MaxRecvDataSegmentLength is refused without allocating",
          "[pdu][framer]") {
  const auto ok = raw_builder{0x05}.data(pattern(8192, 1)).build();
  framer f;
  CHECK(f.decode(encode(ok)).status == frame_status::done);
  f.take();
  const auto big = raw_builder{0x05}.data_segment_length_override(8193).build();
  const auto s = f.decode(encode(big));
  CHECK(s.status == frame_status::error);
  CHECK(s.error == frame_error::data_segment_too_long);
  const auto header = f.take();
  CHECK(header.header().data_segment_length() == 8193);
  CHECK(header.data.capacity() == 0);
  // The message gives both sizes.
  CHECK(describe(s.error, header, f.limits()) == "DataSegmentLength 8193 exceeds MaxRecvDataSegmentLength 8192");
  CHECK(describe(frame_error::header_digest, header, f.limits()) == "header digest mismatch");
}

TEST_CASE("new limits take effect at the next PDU boundary", "[pdu][framer]") {
  const auto p = raw_builder{0x00}.data(pattern(4, 1)).build();
  const auto plain = encode(p);
  const auto digested = encode(p, {true, true});
  framer f;
  // Half a PDU, then the limits change: the PDU in progress keeps the old ones.
  auto s = f.decode(bytes_view{plain}.first(20));
  CHECK(s.status == frame_status::need_more);
  f.set_limits({{true, true}, 8192});
  s = f.decode(bytes_view{plain}.subspan(20));
  REQUIRE(s.status == frame_status::done);
  f.take();
  s = f.decode(digested);
  CHECK(s.status == frame_status::done);
  CHECK(s.consumed == digested.size());
}

TEST_CASE("encode_into appends without copying the buffer for every PDU", "[pdu][encode]") {
  // touchstone-fuzz found the target busy for minutes on one 32 MiB read at
  // MaxRecvDataSegmentLength 512: each of its 65,536 Data-In PDUs reserved
  // the outbox's exact new size, so every append copied the whole buffer.
  byte_buffer out;
  std::size_t moves = 0;
  const auto* at = out.data();
  const auto p = raw_builder{0x25}.data(pattern(512, 3)).build();
  for (int i = 0; i < 10000; ++i) {
    encode_into(p, {}, out);
    if (out.data() != at) ++moves, at = out.data();
  }
  CHECK(out.size() == 10000u * (48 + 512));
  CHECK(moves < 40);  // geometric growth: about log2(5.6 MB / 560 B)
}
