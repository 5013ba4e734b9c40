// The transport's outbox: the gather list of several PDUs, small segments
// copied next to their headers and large ones referenced in place, must put
// on the wire exactly the bytes pdu::encode gives, PDU after PDU; the send
// queue behind it feeds a long READ's Data-In into it a bounded batch at a time.
#include <catch2/catch.hpp>

#include <numeric>

#include "../src/transport_outbox.hpp"
#include "touchstone/pdu/data_in.hpp"
#include "touchstone/pdu/nop_in.hpp"
#include "touchstone/target/data_in.hpp"

using namespace touchstone;
using namespace touchstone::target;

namespace {

pdu::pdu data_in_of(std::size_t length, std::uint32_t sn) {
  pdu::byte_buffer data(length);
  std::iota(data.begin(), data.end(), static_cast<std::uint8_t>(sn));
  return pdu::data_in_builder().initiator_task_tag(7).data_sn(sn).data(data).build();
}

pdu::byte_buffer flatten(const outbox& box) {
  std::vector<asio::const_buffer> pieces;
  box.gather(pieces);
  pdu::byte_buffer out;
  for (const auto& b : pieces) {
    const auto* p = static_cast<const std::uint8_t*>(b.data());
    out.insert(out.end(), p, p + b.size());
  }
  return out;
}

}  // namespace

TEST_CASE("outbox: gathered bytes equal the encoded PDUs in order", "[target][transport]") {
  const auto digests = GENERATE(pdu::digest_config{false, false}, pdu::digest_config{true, false},
                                pdu::digest_config{false, true}, pdu::digest_config{true, true});
  //= rfc7143#section-11.1
  //= type=test
  //# iSCSI PDUs are padded to the closest integer number of 4-byte words
  // Lengths around the inline limit, with and without padding, and a header-only PDU.
  const std::vector<std::size_t> lengths{0, 5, outbox::inline_limit, outbox::inline_limit + 1,
                                         262144, 3, 262143};
  outbox box;
  pdu::byte_buffer expected;
  std::size_t total = 0;
  std::uint32_t sn = 0;
  for (const auto length : lengths) {
    auto p = data_in_of(length, sn++);
    const auto encoded = pdu::encode(p, digests);
    expected.insert(expected.end(), encoded.begin(), encoded.end());
    total += box.add(std::move(p), digests);
  }
  box.add(pdu::nop_in_builder().initiator_task_tag(9).build(), digests);
  const auto nop = pdu::encode(pdu::nop_in_builder().initiator_task_tag(9).build(), digests);
  expected.insert(expected.end(), nop.begin(), nop.end());
  total += nop.size();
  CHECK(box.size() == total);
  CHECK(box.size() == expected.size());
  CHECK(flatten(box) == expected);
}

TEST_CASE("outbox: cleared, it is empty and gathers nothing", "[target][transport]") {
  outbox box;
  CHECK(box.empty());
  box.add(data_in_of(100000, 1), {});
  CHECK_FALSE(box.empty());
  box.clear();
  CHECK(box.empty());
  CHECK(flatten(box).empty());
  box.add(data_in_of(16, 2), {});
  CHECK(flatten(box) == pdu::encode(data_in_of(16, 2)));
}

namespace {

// A GOOD READ of `size` bytes, its Data-In cut at `segment`.
streamed_completion read_of(std::size_t size, std::uint32_t segment) {
  scsi::response r;
  r.status = scsi::status::good;
  r.data_in.resize(size);
  std::iota(r.data_in.begin(), r.data_in.end(), std::uint8_t{3});
  r.data_in_length = size;
  return complete_command_streamed(std::move(r), true, static_cast<std::uint32_t>(size), std::nullopt,
                                   {segment, 262144}, {0x21, 0, 5, 9, 40});
}

}  // namespace

TEST_CASE("send_queue: a long READ enters the outbox a bounded batch at a time, bytes as built at once",
          "[target][transport][data_in]") {
  // 8 MiB at MaxRecvDataSegmentLength 512: 16,384 Data-In PDUs (the
  // fuzzer's 32 MiB READs are 65,535 of them).
  constexpr std::size_t size = 8u << 20;
  constexpr std::uint32_t segment = 512;
  constexpr std::size_t bound = 64u << 10;
  pdu::byte_buffer expected;
  {
    scsi::response r;
    r.status = scsi::status::good;
    r.data_in.resize(size);
    std::iota(r.data_in.begin(), r.data_in.end(), std::uint8_t{3});
    r.data_in_length = size;
    for (const auto& p :
         complete_command(std::move(r), true, size, std::nullopt, {segment, 262144}, {0x21, 0, 5, 9, 40}).pdus) {
      const auto bytes = pdu::encode(p);
      expected.insert(expected.end(), bytes.begin(), bytes.end());
    }
  }
  auto done = read_of(size, segment);
  REQUIRE(done.data.count() == size / segment);
  send_queue queue;
  queue.push(std::make_shared<data_in_stream>(std::move(done.data)), {});
  // What the core sent after the READ waits behind its stream.
  const auto nop = pdu::nop_in_builder().initiator_task_tag(9).build();
  queue.push(pdu::pdu(nop), {});
  const auto encoded_nop = pdu::encode(nop);
  expected.insert(expected.end(), encoded_nop.begin(), encoded_nop.end());

  const std::size_t largest_pdu = pdu::bhs_size + segment;
  pdu::byte_buffer written;
  std::size_t batches = 0, most_bytes = 0, most_pdus = 0;
  outbox box;
  // Bounded: at most one batch per PDU, and far fewer.
  for (std::size_t round = 0; round <= size / segment + 1 && !queue.empty(); ++round) {
    const auto moved = queue.refill(box, bound);
    most_bytes = std::max(most_bytes, box.size());
    most_pdus = std::max(most_pdus, moved.pdus);
    const auto bytes = flatten(box);
    written.insert(written.end(), bytes.begin(), bytes.end());
    box.clear();
    ++batches;
  }
  CHECK(queue.empty());
  // Never more than the bound and one PDU in the outbox at once.
  CHECK(most_bytes < bound + largest_pdu);
  CHECK(most_pdus <= bound / largest_pdu + 1);
  CHECK(batches >= size / bound);
  // The same bytes, the NOP-In after the last Data-In.
  CHECK(written.size() == expected.size());
  CHECK(written == expected);
}

TEST_CASE("send_queue: a PDU with nothing waiting is moved at once, an empty stream is nothing",
          "[target][transport][data_in]") {
  send_queue queue;
  queue.push(std::make_shared<data_in_stream>(read_of(0, 512).data), {});
  CHECK(queue.empty());
  queue.push(data_in_of(16, 2), {});
  outbox box;
  const auto moved = queue.refill(box, 1);
  CHECK(moved.pdus == 1);
  CHECK(moved.bytes == box.size());
  CHECK(queue.empty());
  CHECK(flatten(box) == pdu::encode(data_in_of(16, 2)));
}
