// Storage I/O off the network thread, over TCP: with one I/O thread and a
// file LUN whose every I/O takes a second (fault_store latency), four
// writers' FUA writes are all in the store at once, and meanwhile another
// connection's TEST UNIT READY to that LUN and READ of a memory LUN are
// answered. (With the store called on the I/O thread, the writes went in
// one after another and the probe waited behind them.) A TMF aborting a
// write held in the store is answered only once the store lets go.
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "support.hpp"
#include "tcp_peer.hpp"
#include "touchstone/scsi/async_store.hpp"
#include "touchstone/target/instance.hpp"
#include "touchstone/target/server.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using namespace std::chrono_literals;

namespace {

constexpr auto iqn = "iqn.2026-12.org.touchstone:storage-io";
constexpr std::uint64_t lun1_field = 0x0001000000000000ULL;  // LUN 1, peripheral addressing

// One in-process target on an ephemeral port, served by one I/O thread:
// LUN 0 a file behind a fault store, LUN 1 memory.
struct slow_file_target {
  std::string dir;
  std::shared_ptr<scsi::fault_store> faults;
  std::unique_ptr<server> srv = std::make_unique<server>(signal_handling::none);
  std::unique_ptr<instance> targets;
  std::thread io;
  endpoint_text at;

  slow_file_target() {
    char name[] = "/tmp/touchstone-storage-io-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    dir = name;
    auto bound = srv->listen({endpoint_text{"127.0.0.1", 0}});
    REQUIRE(bound);
    at = bound->front();
    targets = std::make_unique<instance>(std::vector<std::string>{at.portal()}, discovery_settings{});
    target_definition t;
    t.settings.iqn = iqn;
    lun_definition memory;
    memory.lun = 1;
    memory.size = 1 << 20;
    t.luns.push_back(memory);
    REQUIRE(targets->create_target(t));
    auto file = scsi::open_file_store({.path = dir + "/lun0.img", .block_size = 512, .block_count = 2048});
    REQUIRE(file);
    faults = std::make_shared<scsi::fault_store>(std::shared_ptr<scsi::block_store>(std::move(*file)));
    scsi::lu_config lu;
    lu.lun = 0;
    REQUIRE(targets->find(iqn)->node->devices->add_lu(std::make_shared<scsi::logical_unit>(lu, faults)));
    io = std::thread([this] { srv->run(*targets, 1); });
  }
  ~slow_file_target() {
    faults->clear();
    srv->stop();
    io.join();
    ::unlink((dir + "/lun0.img").c_str());
    ::rmdir(dir.c_str());
  }

  std::unique_ptr<tcp_peer> session(std::uint64_t isid) {
    auto p = std::make_unique<tcp_peer>(at.host, at.port);
    p->login(iqn, {{"ImmediateData", "Yes"}, {"InitialR2T", "No"}}, isid);
    return p;
  }
};

// The status of the next command's answer (Data-In with S, or SCSI Response).
pdu::scsi_status status_of_answer(tcp_peer& p) {
  for (int i = 0; i < 64; ++i) {
    auto in = p.expect();
    if (in.op() == pdu::opcode::scsi_response) return pdu::scsi_response_view(in).status();
    REQUIRE(in.op() == pdu::opcode::data_in);
    if (pdu::data_in_view(in).has_status()) return pdu::data_in_view(in).status();
  }
  FAIL("no status");
  return pdu::scsi_status::good;
}

std::uint32_t next_itt = 0x100;

pdu::scsi_status run(tcp_peer& p, pdu::byte_buffer cdb, std::uint64_t lun = 0,
                     pdu::byte_buffer out = {}, std::uint32_t in = 0) {
  pdu::scsi_command_builder b;
  b.initiator_task_tag(next_itt++).cmd_sn(p.cmd_sn++).lun(lun).cdb(std::move(cdb));
  if (!out.empty()) b.write().expected_data_transfer_length(static_cast<std::uint32_t>(out.size())).data(std::move(out));
  if (in > 0) b.read().expected_data_transfer_length(in);
  p.send(b.build());
  return status_of_answer(p);
}

// The first command of a new nexus meets its unit attention; the second passes.
void settle(tcp_peer& p, std::uint64_t lun) {
  for (int i = 0; i < 4 && run(p, pdu::byte_buffer(6, 0), lun) != pdu::scsi_status::good; ++i) {
  }
}

pdu::pdu fua_write(tcp_peer& p, std::uint32_t lba) {
  auto cdb = write10(lba, 1);
  cdb[1] = 0x08;  // FUA
  return pdu::scsi_command_builder()
      .initiator_task_tag(next_itt++).cmd_sn(p.cmd_sn++).cdb(cdb).write()
      .expected_data_transfer_length(512).data(pdu::byte_buffer(512, static_cast<std::uint8_t>(lba)))
      .build();
}

// A FUA write held in the store (latency set), and a TMF sent behind it.
struct held_write {
  std::uint32_t itt = 0;
  std::uint32_t cmd_sn = 0;
};

held_write hold_write(slow_file_target& t, tcp_peer& w, std::uint32_t lba) {
  t.faults->set_latency(300ms);
  const auto before = t.faults->started();
  const auto write = fua_write(w, lba);
  w.send(write);
  for (int i = 0; i < 400 && t.faults->started() < before + 1; ++i) std::this_thread::sleep_for(5ms);
  REQUIRE(t.faults->started() >= before + 1);
  return {write.header().initiator_task_tag(), w.cmd_sn - 1};
}

// ABORT TASK names the task; ABORT TASK SET leaves RTT and RefCmdSN reserved.
pdu::pdu tmf_request(tcp_peer& w, pdu::tmf_function f, const held_write& task) {
  pdu::task_mgmt_request_builder b(f);
  b.initiator_task_tag(task.itt + 0x1000).cmd_sn(w.cmd_sn).exp_stat_sn(w.exp_stat_sn);
  if (f == pdu::tmf_function::abort_task) b.referenced_task_tag(task.itt).ref_cmd_sn(task.cmd_sn);
  return b.build();
}

// The TMF Response, once the store has let go; then the aborted write's tag
// starts a new command at once (the initiator concluded the task).
void expect_tmf_then_tag_free(tcp_peer& w, const held_write& task) {
  auto answer = w.expect();
  // An ABORT TASK SET's response waits for ExpStatSN to acknowledge the
  // statuses sent before it (the ping's echo): the target asks with a ping.
  if (answer.op() == pdu::opcode::nop_in && pdu::nop_in_view(answer).target_transfer_tag() != pdu::reserved_tag) {
    w.send(pdu::nop_out_builder().target_transfer_tag(pdu::nop_in_view(answer).target_transfer_tag())
               .cmd_sn(w.cmd_sn).exp_stat_sn(w.exp_stat_sn).immediate().build());
    answer = w.expect();
  }
  REQUIRE(answer.op() == pdu::opcode::task_mgmt_response);
  CHECK(pdu::task_mgmt_response_view(answer).response() == pdu::tmf_response::function_complete);
  w.send(pdu::scsi_command_builder().initiator_task_tag(task.itt).cmd_sn(w.cmd_sn++)
             .cdb(pdu::byte_buffer(6, 0)).build());
  CHECK(status_of(final_pdu(w)) == pdu::scsi_status::good);
}

}  // namespace

// A TMF sent while the write it aborts is held in the store: the NOP-In of a
// ping sent after it overtakes the TMF Response (the write still holds its
// tag), which comes once the store lets go.
void tmf_against_held_write(pdu::tmf_function f, std::uint64_t isid, std::uint32_t lba,
                            std::size_t extra_aborts = 0) {
  slow_file_target t;
  auto w = t.session(isid);
  settle(*w, 0);
  const auto task = hold_write(t, *w, lba);
  w->send(tmf_request(*w, f, task));
  for (std::size_t i = 0; i < extra_aborts; ++i) w->send(tmf_request(*w, f, task));
  // Beyond connection::max_abort_waiters (4) requests for one task: rejected at once.
  if (extra_aborts > 3) {
    const auto refused = w->expect();
    REQUIRE(refused.op() == pdu::opcode::task_mgmt_response);
    CHECK(pdu::task_mgmt_response_view(refused).response() == pdu::tmf_response::function_rejected);
  }
  w->ping(0x7000);
  t.faults->set_latency(0us);
  for (std::size_t i = 0; i < std::min<std::size_t>(extra_aborts, 3); ++i) {
    const auto answer = w->expect();
    REQUIRE(answer.op() == pdu::opcode::task_mgmt_response);
    CHECK(pdu::task_mgmt_response_view(answer).response() == pdu::tmf_response::function_complete);
  }
  expect_tmf_then_tag_free(*w, task);
}

//= rfc7143#section-11.6.1
//= type=test
//# a) if the Referenced Task Tag identifies a valid task leading to a
//# successful termination, then targets must return the "Function complete" response.
TEST_CASE("storage: ABORT TASK of a write in the store is answered when the store lets go",
          "[target][storage][tmf]") {
  tmf_against_held_write(pdu::tmf_function::abort_task, 0x80000000400ULL, 48);
}

TEST_CASE("storage: ABORT TASK requests for a write in the store are bounded", "[target][storage][tmf]") {
  tmf_against_held_write(pdu::tmf_function::abort_task, 0x80000000402ULL, 64, 4);
}

//= rfc7143#section-4.2.3.3
//= type=test
//# c) SHOULD receive the TMF Response concluding all the tasks in the
//# set of affected tasks
TEST_CASE("storage: ABORT TASK SET waits for a write in the store", "[target][storage][tmf]") {
  tmf_against_held_write(pdu::tmf_function::abort_task_set, 0x80000000401ULL, 56);
}

//= sbc3#4.13 type=test
//# WCE=1: FUA=1 writes are on the medium before GOOD
TEST_CASE("storage: FUA writes held in a slow file store leave other connections answered",
          "[target][storage]") {
  slow_file_target t;
  std::vector<std::unique_ptr<tcp_peer>> writers;
  for (std::uint64_t i = 0; i < 4; ++i) {
    writers.push_back(t.session(0x80000000100ULL + i));
    settle(*writers.back(), 0);
  }
  auto probe = t.session(0x80000000200ULL);
  settle(*probe, 0);
  settle(*probe, lun1_field);

  t.faults->set_latency(1s);
  const auto before = t.faults->started();
  for (std::uint32_t i = 0; i < 4; ++i) writers[i]->send(fua_write(*writers[i], 8 * i));
  // All four writes reach the store before any is answered: in flight at once.
  for (int i = 0; i < 400 && t.faults->started() < before + 4; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(t.faults->started() >= before + 4);
  for (auto& w : writers) CHECK_FALSE(w->has_input());

  // The I/O thread is free: the probe is answered while the writes are held.
  CHECK(run(*probe, pdu::byte_buffer(6, 0)) == pdu::scsi_status::good);
  CHECK(run(*probe, read10(0, 1), lun1_field, {}, 512) == pdu::scsi_status::good);
  for (auto& w : writers) CHECK_FALSE(w->has_input());

  t.faults->set_latency(0us);
  for (auto& w : writers) CHECK(status_of_answer(*w) == pdu::scsi_status::good);
  // Each write and its sync reached the store.
  CHECK(t.faults->started() >= before + 8);
}

TEST_CASE("storage: a connection closed while its write is in the store goes quietly",
          "[target][storage]") {
  slow_file_target t;
  {
    auto w = t.session(0x80000000300ULL);
    settle(*w, 0);
    t.faults->set_latency(300ms);
    const auto before = t.faults->started();
    w->send(fua_write(*w, 40));
    for (int i = 0; i < 400 && t.faults->started() < before + 1; ++i) std::this_thread::sleep_for(5ms);
  }  // closed with the write in flight: its answer arrives for a gone connection
  t.faults->set_latency(0us);
  auto after = t.session(0x80000000301ULL);
  settle(*after, 0);
  CHECK(run(*after, read10(40, 1), 0, {}, 512) == pdu::scsi_status::good);
}
