// The transport's outbox: the gather list of several PDUs, small segments
// copied next to their headers and large ones referenced in place, must put
// on the wire exactly the bytes pdu::encode gives, PDU after PDU.
#include <catch2/catch.hpp>

#include <numeric>

#include "../src/transport_outbox.hpp"
#include "touchstone/pdu/data_in.hpp"
#include "touchstone/pdu/nop_in.hpp"

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
