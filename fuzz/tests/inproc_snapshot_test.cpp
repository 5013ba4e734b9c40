// The post-login snapshots of target_session (fuzz/inproc/login_snapshot.hpp):
// an input given a copy of the snapshot gets the answers it gets after a login
// of its own, and an input run after every other gets the answers it gets
// alone (docs/fuzzing.md: "nothing one input does reaches the next and a
// crash replays alone"). The inputs are corpus/target_session's.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "../inproc/session_input.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using fuzz::inproc::login_snapshots;
using fuzz::inproc::run_session_input;
using fuzz::inproc::session_driver;
namespace ts = touchstone::fuzz::target_session;

namespace {

constexpr std::size_t max_inputs = 200;  // the corpus holds 11

std::vector<pdu::byte_buffer> corpus_inputs() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(TOUCHSTONE_CORPUS_DIR "/target_session"))
    if (e.is_regular_file() && files.size() < max_inputs) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<pdu::byte_buffer> out;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return out;
}

bool logs_in(const pdu::byte_buffer& input) {
  return input.size() >= ts::header_size && ts::decode_scenario(input.data()).login_prefix;
}

std::vector<pdu::pdu> transcript(const pdu::byte_buffer& input, login_snapshots* snapshots) {
  spdlog::set_level(spdlog::level::off);  // the target logs every violation an input makes
  std::vector<pdu::pdu> sent;
  run_session_input(pdu::bytes_view(input), snapshots, &sent);
  return sent;
}

}  // namespace

TEST_CASE("in-process: a snapshot's copy answers as a login of the input's own",
          "[fuzz][inproc][snapshot]") {
  const auto inputs = corpus_inputs();
  std::size_t logged_in = 0, answers = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!logs_in(inputs[i])) continue;
    ++logged_in;
    login_snapshots snapshots;
    const auto own = transcript(inputs[i], nullptr);
    const auto copied = transcript(inputs[i], &snapshots);
    INFO("input " << i << " of " << inputs.size());
    CHECK(snapshots.size() == 1);
    CHECK(copied == own);
    answers += own.size();
  }
  // Not vacuous: inputs that log in, and answers to compare.
  CHECK(logged_in >= 8);
  CHECK(answers >= 20);
}

TEST_CASE("in-process: an input run after every other answers as it does alone",
          "[fuzz][inproc][snapshot]") {
  const auto inputs = corpus_inputs();
  REQUIRE(!inputs.empty());
  login_snapshots shared;
  std::vector<std::vector<pdu::pdu>> in_turn;
  for (const auto& input : inputs) in_turn.push_back(transcript(input, &shared));
  // The whole corpus again, each input now after every other.
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    INFO("input " << i << " of " << inputs.size());
    CHECK(transcript(inputs[i], &shared) == in_turn[i]);
    login_snapshots alone;
    CHECK(transcript(inputs[i], &alone) == in_turn[i]);
  }
  CHECK(shared.size() >= 2);
}

TEST_CASE("in-process: the snapshots kept are bounded", "[fuzz][inproc][snapshot]") {
  login_snapshots snapshots(2);
  for (std::uint8_t stat_sn = 0; stat_sn < 5; ++stat_sn) {
    // A Normal login, each with another initial StatSN: five scenarios.
    const pdu::byte_buffer input{0x40, 0x00, stat_sn, 0x00};
    CHECK(transcript(input, &snapshots).empty());
    CHECK(snapshots.size() <= 2);
  }
}

namespace {

// What a logged-in driver shows of its state, the copy's against the login's.
void check_same_state(const session_driver& copy, const session_driver& own) {
  CHECK(copy.now() == own.now());
  CHECK(copy.closed() == own.closed());
  CHECK(copy.expected_stat_sn() == own.expected_stat_sn());
  CHECK(copy.framer_limits() == own.framer_limits());
  CHECK(copy.last_sent() == own.last_sent());
  const auto& a = copy.core();
  const auto& b = own.core();
  CHECK(a.current_phase() == b.current_phase());
  CHECK(a.tsih() == b.tsih());
  CHECK(a.isid() == b.isid());
  CHECK(a.cid() == b.cid());
  CHECK(a.exp_cmd_sn() == b.exp_cmd_sn());
  CHECK(a.max_cmd_sn() == b.max_cmd_sn());
  CHECK(a.next_stat_sn() == b.next_stat_sn());
  CHECK(a.queue_depth() == b.queue_depth());
  CHECK(a.parameters() == b.parameters());
  CHECK(a.receive_limits() == b.receive_limits());
  CHECK(a.violations().total == b.violations().total);
  CHECK(copy.node().sessions.count() == own.node().sessions.count());
  CHECK(copy.node().directory.size() == own.node().directory.size());
}

// A chunked, auto-numbered stream after the header: TEST UNIT READY, READ(10)
// of one block, a NOP-Out ping.
pdu::byte_buffer probe_stream() {
  pdu::byte_buffer out;
  const auto add = [&](const pdu::pdu& p) {
    out.insert(out.end(), p.bhs.begin(), p.bhs.end());
    out.insert(out.end(), p.data.begin(), p.data.end());
  };
  add(pdu::scsi_command_builder{}.initiator_task_tag(1).cdb(pdu::byte_buffer(6, 0)).final_bit().build());
  add(pdu::scsi_command_builder{}.initiator_task_tag(2).read().expected_data_transfer_length(512)
          .cdb(pdu::byte_buffer{0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}).final_bit().build());
  add(pdu::nop_out_builder{}.initiator_task_tag(3).build());
  return out;
}

}  // namespace

TEST_CASE("in-process: a snapshot's copy is in the state of a login of its own, for every login scenario",
          "[fuzz][inproc][snapshot]") {
  spdlog::set_level(spdlog::level::off);
  const auto stream = probe_stream();
  std::size_t scenarios = 0;
  // Every bit of byte 0 with the login bit; pings and queue depth 2 or
  // neither; StatSN and CmdSN with and without wrapping: 512 scenarios.
  for (unsigned b0 = 0; b0 < 256; ++b0) {
    if ((b0 & 0x40) == 0) continue;
    for (const std::uint8_t b1 : {0x03, 0x0f})
      for (const std::uint8_t sn : {0, 37}) {
        const pdu::byte_buffer header{static_cast<std::uint8_t>(b0), b1, sn, sn};
        const auto s = ts::decode_scenario(header.data());
        INFO("header " << b0 << " " << int(b1) << " " << int(sn));
        login_snapshots snapshots;
        const session_driver* snap = snapshots.logged_in(s);
        REQUIRE(snap != nullptr);
        session_driver own(s, fuzz::inproc::make_node(s));
        REQUIRE(fuzz::inproc::log_in(own, s));
        session_driver copy(*snap, fuzz::inproc::make_node(s));
        check_same_state(copy, own);
        own.finish();
        copy.finish();
        // The snapshot's node still holds its session: the copy's end is its own.
        CHECK(snap->node().sessions.count() == 1);
        pdu::byte_buffer input = header;
        input.insert(input.end(), stream.begin(), stream.end());
        const auto answers = transcript(input, &snapshots);
        CHECK(answers == transcript(input, nullptr));
        CHECK(!answers.empty());
        ++scenarios;
      }
  }
  CHECK(scenarios == 512);
}
