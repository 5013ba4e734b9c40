// A PDU as sent, annotated for finding.json: fields by name, the data
// segment in hex lines, each digest found where the lengths put it.
#include <catch2/catch.hpp>

#include "touchstone/fuzz/annotate.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz;

namespace {

std::uint64_t field(const annotated_pdu& a, std::string_view name) {
  for (const auto& f : a.fields)
    if (f.name == name) return f.value;
  FAIL("no field " << name);
  return 0;
}

pdu::pdu ping_with_data(std::size_t n) {
  auto p = pdu::nop_out_builder{}.immediate().initiator_task_tag(0x1234).cmd_sn(7).build();
  p.data.assign(n, 0xab);
  pdu::store_be24(&p.bhs[5], static_cast<std::uint32_t>(n));
  return p;
}

}  // namespace

TEST_CASE("annotate: fields by name, data in lines, no digests", "[fuzz][program][annotate]") {
  const auto a = annotate(pdu::encode(ping_with_data(70)));
  CHECK(a.opcode == "NOP-Out (0x00)");
  CHECK(field(a, "I") == 1);
  CHECK(field(a, "Initiator Task Tag") == 0x1234);
  CHECK(field(a, "CmdSN") == 7);
  CHECK(field(a, "DataSegmentLength") == 70);
  REQUIRE(a.data.size() == 3);  // 32 + 32 + 6 bytes
  std::string line;
  for (int i = 0; i < 32; ++i) line += "ab";
  CHECK(a.data[0] == line);
  CHECK(a.data[2].size() == 12);
  CHECK(a.padding == "0000");
  CHECK(a.header_digest.empty());
  CHECK(a.data_digest.empty());
  CHECK(a.trailing.empty());
  CHECK(a.size == 48 + 72);
}

TEST_CASE("annotate: digests where the lengths put them", "[fuzz][program][annotate]") {
  const auto both = annotate(pdu::encode(ping_with_data(5), {true, true}));
  CHECK(both.header_digest.size() == 8);
  CHECK(both.data_digest.size() == 8);
  CHECK(both.trailing.empty());
  // One digest: the header's CRC tells it from a data digest.
  const auto header = annotate(pdu::encode(ping_with_data(5), {true, false}));
  CHECK(header.header_digest.size() == 8);
  CHECK(header.data_digest.empty());
  const auto data = annotate(pdu::encode(ping_with_data(5), {false, true}));
  CHECK(data.header_digest.empty());
  CHECK(data.data_digest.size() == 8);
  CHECK(data.data == std::vector<std::string>{"ababababab"});
  // No data: four bytes more are a header digest, right or wrong.
  auto wrong = pdu::encode(ping_with_data(0), {true, false});
  wrong[48] ^= 1;
  CHECK(annotate(wrong).header_digest.size() == 8);
}

TEST_CASE("annotate: short and long byte runs are shown, not trusted",
          "[fuzz][program][annotate]") {
  const std::vector<std::uint8_t> short_bytes(20, 0x11);
  const auto a = annotate(short_bytes);
  CHECK(a.fields.empty());
  CHECK(a.trailing == std::string(40, '1'));
  auto promised = pdu::encode(ping_with_data(0));
  pdu::store_be24(&promised[5], 1000);  // a length with no bytes behind it
  promised.push_back(0x42);
  const auto b = annotate(promised);
  CHECK(field(b, "DataSegmentLength") == 1000);
  CHECK(b.data == std::vector<std::string>{"42"});
  CHECK(b.trailing.empty());
}
