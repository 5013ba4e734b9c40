// What a verdict's message says of a SCSI outcome: statuses and sense keys
// by name beside their values (issue 13: "status 8" told nobody anything).
#include <catch2/catch.hpp>

#include "touchstone/conformance/scsi_task.hpp"

using namespace touchstone::conformance;

TEST_CASE("messages name SCSI statuses and sense keys", "[conformance][scsi]") {
  scsi_outcome o;
  o.how = task_ending::status;
  o.status = 0x08;
  CHECK(o.summary().rfind("status BUSY (0x08) response 0x00", 0) == 0);
  o.status = 0x05;
  CHECK(o.summary().find("reserved status 0x05") != std::string::npos);
  CHECK(describe_sense({0x5, 0x24, 0x00}) == "sense key ILLEGAL REQUEST (0x5) ASC 0x24 ASCQ 0x00");
  CHECK(describe_sense({0x6, 0x29, 0x00}).rfind("sense key UNIT ATTENTION (0x6)", 0) == 0);
  const std::uint8_t fixed[18] = {0x70, 0, 0x0b, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x47, 0x03};
  const auto code = parse_sense(touchstone::pdu::bytes_view(fixed, sizeof fixed));
  REQUIRE(code);
  CHECK(describe_sense(*code) == "sense key ABORTED COMMAND (0xb) ASC 0x47 ASCQ 0x03");
}
