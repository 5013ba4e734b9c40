// complete_command (data_in.hpp): a response's data cut into Data-In PDUs
// within MaxRecvDataSegmentLength and MaxBurstLength, in order, every byte
// where it was, the status in the last one when it fits there.
#include <catch2/catch.hpp>

#include "touchstone/pdu/data_in.hpp"
#include "touchstone/target/data_in.hpp"

using namespace touchstone;
using namespace touchstone::target;

namespace {

scsi::response good_read(std::size_t size) {
  scsi::response r;
  r.status = scsi::status::good;
  r.data_in.resize(size);
  for (std::size_t i = 0; i < size; ++i) r.data_in[i] = static_cast<std::uint8_t>(i * 7 + i / 251);
  r.data_in_length = size;
  return r;
}

const task_numbers numbers{0x11, 0, 40, 7, 70};

}  // namespace

//= rfc7143#section-11.7.1 type=test
//# DataSegmentLength MUST NOT exceed MaxRecvDataSegmentLength for the
//# direction it is sent, and the total of all the DataSegmentLength of all
//# PDUs in a sequence MUST NOT exceed MaxBurstLength
//= rfc7143#section-4.2.2.4 type=test
//# Data and R2T PDUs transferred as part of some command execution MUST be sequenced.
TEST_CASE("complete_command: data cut within the segment and burst limits, every byte in place",
          "[target][data_in]") {
  const auto r = good_read(10000);
  const auto done = complete_command(r, true, 10000, std::nullopt, {4096, 6000}, numbers);
  // 4096 + 1904 (burst of 6000 full), then 4000 (last).
  REQUIRE(done.pdus.size() == 3);
  CHECK(done.data_in_count == 3);
  const std::uint32_t offsets[] = {0, 4096, 6000};
  const std::size_t lengths[] = {4096, 1904, 4000};
  const bool finals[] = {false, true, true};
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    const auto& p = done.pdus[i];
    const pdu::data_in_view v(p);
    CHECK(p.op() == pdu::opcode::data_in);
    CHECK(v.data_sn() == i);
    CHECK(v.buffer_offset() == offsets[i]);
    CHECK(v.data_segment_length() == lengths[i]);
    CHECK(v.final_bit() == finals[i]);
    REQUIRE(p.data.size() == lengths[i]);
    CHECK(std::equal(p.data.begin(), p.data.end(), r.data_in.begin() + offsets[i]));
    CHECK(v.has_status() == (i == 2));
  }
  const pdu::data_in_view last(done.pdus[2]);
  CHECK(last.status() == pdu::scsi_status::good);
  CHECK(last.stat_sn() == 40);
}

TEST_CASE("complete_command: one PDU when the data fits, status in it, none for no data",
          "[target][data_in]") {
  const auto r = good_read(512);
  const auto one = complete_command(r, true, 512, std::nullopt, {8192, 262144}, numbers);
  REQUIRE(one.pdus.size() == 1);
  CHECK(one.pdus[0].data == r.data_in);
  CHECK(pdu::data_in_view(one.pdus[0]).has_status());
  CHECK(pdu::data_in_view(one.pdus[0]).data_segment_length() == 512);
  // No data: a SCSI Response alone, ExpDataSN 0.
  const auto none = complete_command(good_read(0), true, 0, std::nullopt, {8192, 262144}, numbers);
  REQUIRE(none.pdus.size() == 1);
  CHECK(none.pdus[0].op() == pdu::opcode::scsi_response);
  CHECK(none.data_in_count == 0);
}
