// corpus/netfuzz/example.json is the program docs/fuzzing.md shows: saved by
// this code, so the docs test (same-as) and this test keep them equal.
// TOUCHSTONE_WRITE_EXAMPLE=1 fuzz_program_tests '[example]' rewrites it.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "touchstone/fuzz/program_json.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz;

namespace {

program example() {
  program p;
  p.login.kind = login_kind::normal;
  p.login.offers = {{"MaxRecvDataSegmentLength", "16777215"}, {"ImmediateData", "Yes"}};
  // INQUIRY, allocation length 96; CmdSN and ExpStatSN are the executor's.
  p.steps.push_back({pdu::scsi_command_builder{}
                         .read()
                         .expected_data_transfer_length(96)
                         .cdb(std::vector<std::uint8_t>{0x12, 0, 0, 0, 96, 0})
                         .build(),
                     {}});
  // WRITE(10) of one block: 16 bytes of immediate data, the rest by Data-Out
  // answering the R2T (ITT 1 names step 1, TTT 0 the R2T's tag).
  p.steps.push_back({pdu::scsi_command_builder{}
                         .write()
                         .final_bit(true)
                         .initiator_task_tag(1)
                         .expected_data_transfer_length(512)
                         .cdb(std::vector<std::uint8_t>{0x2a, 0, 0, 0, 0, 8, 0, 0, 1, 0})
                         .data(std::vector<std::uint8_t>(16, 0xab))
                         .build(),
                     {.digests = digest_mode::negotiated, .splits = {20, 48}, .delay_ms = 0,
                      .numbers = numbering::follow, .wait_answer = false}});
  p.steps.push_back({pdu::data_out_builder{}
                         .initiator_task_tag(1)
                         .target_transfer_tag(0)
                         .buffer_offset(16)
                         .data(std::vector<std::uint8_t>(8, 0xcd))
                         .data_sn(0)
                         .build(),
                     {}});
  p.steps.back().send.digests = digest_mode::data_wrong;
  // A NOP-Out with a reserved bit set, sent as written.
  p.steps.push_back({pdu::nop_out_builder{}.initiator_task_tag(3).set_u8(2, 0x01).build(),
                     {}});
  p.steps.back().send.numbers = numbering::as_written;
  return p;
}

}  // namespace

TEST_CASE("corpus/netfuzz/example.json is the example program", "[fuzz][program][example]") {
  const std::string saved = save_json(example());
  if (std::getenv("TOUCHSTONE_WRITE_EXAMPLE")) std::ofstream(TOUCHSTONE_PROGRAM_EXAMPLE) << saved;
  std::ifstream in(TOUCHSTONE_PROGRAM_EXAMPLE);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == saved);
  auto loaded = load_json(text.str());
  REQUIRE(loaded);
  CHECK(*loaded == example());
}
