#include <catch2/catch.hpp>

#include <numeric>

#include "touchstone/pdu/digest.hpp"

using namespace touchstone::pdu;

namespace {
// Wire bytes of a digest, for comparing with the B.4 examples.
std::array<std::uint8_t, 4> wire(bytes_view b) { return digest_bytes(crc32c(b)); }
}  // namespace

// RFC 3720 appendix B.4 gives the CRC examples RFC 7143 does not repeat.
//= rfc7143#section-13.1 type=test
//# The CRC MUST be calculated by a method that produces the same results as the following process
TEST_CASE("crc32c matches the RFC 3720 B.4 examples", "[pdu][digest]") {
  std::vector<std::uint8_t> buf(32);
  SECTION("32 bytes of zeroes") {
    CHECK(wire(buf) == std::array<std::uint8_t, 4>{0xaa, 0x36, 0x91, 0x8a});
  }
  SECTION("32 bytes of ones") {
    std::fill(buf.begin(), buf.end(), 0xff);
    CHECK(wire(buf) == std::array<std::uint8_t, 4>{0x43, 0xab, 0xa8, 0x62});
  }
  SECTION("32 bytes of incrementing 00..1f") {
    std::iota(buf.begin(), buf.end(), std::uint8_t{0});
    CHECK(wire(buf) == std::array<std::uint8_t, 4>{0x4e, 0x79, 0xdd, 0x46});
  }
  SECTION("32 bytes of decrementing 1f..00") {
    for (std::size_t i = 0; i < 32; ++i) buf[i] = static_cast<std::uint8_t>(31 - i);
    CHECK(wire(buf) == std::array<std::uint8_t, 4>{0x5c, 0xdb, 0x3f, 0x11});
  }
  SECTION("an iSCSI Read (10) command PDU") {
    const std::vector<std::uint8_t> read10 = {
        0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
        0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    CHECK(wire(read10) == std::array<std::uint8_t, 4>{0x56, 0x3a, 0x96, 0xd9});
  }
}

TEST_CASE("crc32c_extend continues a CRC across buffers", "[pdu][digest]") {
  std::vector<std::uint8_t> buf(1000);
  std::iota(buf.begin(), buf.end(), std::uint8_t{7});
  const auto whole = crc32c(buf);
  const auto split = crc32c_extend(crc32c(bytes_view{buf}.first(333)), bytes_view{buf}.subspan(333));
  CHECK(whole == split);
  CHECK(crc32c_extend(whole, {}) == whole);
}

//= rfc7143#section-13.1 type=test
//# Computing the CRC over any segment ... extended to include the CRC ... will always get the
//# value 0x1c2d19ed as its final remainder
TEST_CASE("a segment followed by its digest leaves the magic remainder", "[pdu][digest]") {
  std::vector<std::uint8_t> buf(57, 0x5a);
  const auto d = digest_bytes(crc32c(buf));
  buf.insert(buf.end(), d.begin(), d.end());
  // The register after a segment plus its CRC is the fixed residue; crc32c()
  // reports it inverted, and in ISA-L's reflected form.
  const std::uint32_t reg = ~crc32c(buf);
  CHECK(reg == 0xb798b438u);  // bit-reflection of 0x1c2d19ed
}
