// The residual oracle of the in-process harnesses: wrong responses are
// departures, right ones are not (RFC 7143 section 11.4.5).
#include <catch2/catch.hpp>

#include "touchstone/fuzz/inproc/residual_oracle.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using fuzz::inproc::residual_oracle;

namespace {

pdu::pdu read_command(std::uint32_t itt, std::uint32_t edtl, bool reads = true, bool writes = false) {
  pdu::scsi_command_builder b;
  b.initiator_task_tag(itt).expected_data_transfer_length(edtl).read(reads).write(writes).final_bit();
  return b.build();
}

pdu::pdu data_in(std::uint32_t itt, std::uint32_t offset, std::size_t bytes) {
  pdu::data_in_builder b;
  b.initiator_task_tag(itt).buffer_offset(offset).data(pdu::byte_buffer(bytes, 0));
  return b.build();
}

struct residual {
  bool underflow = false;
  bool overflow = false;
  std::uint32_t count = 0;
};

pdu::pdu response(std::uint32_t itt, residual r, pdu::scsi_status status = pdu::scsi_status::good,
                  pdu::iscsi_response code = pdu::iscsi_response::command_completed) {
  pdu::scsi_response_builder b;
  b.initiator_task_tag(itt).status(status).response(code).residual_underflow(r.underflow)
      .residual_overflow(r.overflow).residual_count(r.count);
  return b.build();
}

}  // namespace

//= rfc7143#section-11.4.5.1 type=test
//# If
//# the U bit is set, the Residual Count indicates the number of bytes
//# that were not transferred out of the number of bytes expected to be
//# transferred.
TEST_CASE("a READ that moved less than EDTL needs U and the bytes not moved", "[fuzz][inproc][residual]") {
  residual_oracle o;
  o.on_command(read_command(1, 4096));
  CHECK(o.on_sent(data_in(1, 0, 512)).empty());
  CHECK(o.on_sent(response(1, {true, false, 3584})).empty());
  CHECK(o.tracked() == 0);

  o.on_command(read_command(2, 4096));
  CHECK(o.on_sent(data_in(2, 0, 512)).empty());
  CHECK(o.on_sent(response(2, {true, false, 0})) ==
        "U set with Residual Count 0 outside [1, EDTL 4096]");

  o.on_command(read_command(3, 4096));
  CHECK(o.on_sent(data_in(3, 0, 512)).empty());
  CHECK(o.on_sent(response(3, {true, false, 1024})) ==
        "U set, Residual Count 1024 where EDTL 4096 - 512 bytes moved = 3584");

  o.on_command(read_command(4, 4096));
  CHECK(o.on_sent(data_in(4, 0, 512)).empty());
  CHECK(o.on_sent(response(4, {})) == "no residual but 512 of EDTL 4096 bytes moved");
}

//= rfc7143#section-11.4.5.2 type=test
//# When SPDTL = EDTL for a task, the target iSCSI layer completes the
//# task with no residuals.
TEST_CASE("a READ that moved EDTL bytes, retransmissions counted once, needs no residual",
          "[fuzz][inproc][residual]") {
  residual_oracle o;
  o.on_command(read_command(1, 1024));
  CHECK(o.on_sent(data_in(1, 0, 512)).empty());
  CHECK(o.on_sent(data_in(1, 0, 512)).empty());  // a retransmitted Data-In
  CHECK(o.on_sent(data_in(1, 512, 512)).empty());
  CHECK(o.on_sent(response(1, {})).empty());
  // Status in the last Data-In: its own bytes count.
  o.on_command(read_command(2, 1024));
  CHECK(o.on_sent(data_in(2, 0, 512)).empty());
  pdu::data_in_builder last;
  last.initiator_task_tag(2).buffer_offset(512).data(pdu::byte_buffer(512, 0)).final_bit()
      .has_status().status(pdu::scsi_status::good);
  CHECK(o.on_sent(last.build()).empty());
}

//= rfc7143#section-11.4.1 type=test
//# Bits O and U and bits o and u are mutually exclusive
TEST_CASE("O and U together, O with no residual, data past EDTL are departures", "[fuzz][inproc][residual]") {
  residual_oracle o;
  o.on_command(read_command(1, 512));
  CHECK(o.on_sent(data_in(1, 0, 512)).empty());
  CHECK(o.on_sent(response(1, {true, true, 8})) == "both O and U set");

  o.on_command(read_command(2, 512));
  CHECK(o.on_sent(data_in(2, 0, 512)).empty());
  CHECK(o.on_sent(response(2, {false, true, 0})) == "O set with a Residual Count of 0 (SPDTL - EDTL > 0)");
  o.on_command(read_command(3, 512));
  CHECK(o.on_sent(data_in(3, 0, 512)).empty());
  CHECK(o.on_sent(response(3, {false, true, 1536})).empty());  // SPDTL 2048 truncated to EDTL

  o.on_command(read_command(4, 512));
  CHECK(o.on_sent(data_in(4, 0, 1024)).empty());
  CHECK(o.on_sent(response(4, {false, true, 512})) == "1024 Data-In bytes for EDTL 512");
}

//= rfc7143#section-11.4.1 type=test
//# For a response other than "Command Completed at Target", bits 3-6
//# MUST be 0.
TEST_CASE("a target failure carries no residual bits", "[fuzz][inproc][residual]") {
  residual_oracle o;
  o.on_command(read_command(1, 512));
  CHECK(o.on_sent(response(1, {true, false, 512}, pdu::scsi_status::good,
                           pdu::iscsi_response::target_failure)) ==
        "U/O/u/o bits set in a response other than Command Completed at Target");
}

TEST_CASE("writes, failed commands and reused tags are judged only where the rules are plain",
          "[fuzz][inproc][residual]") {
  residual_oracle o;
  // A write moves no Data-In: U within EDTL is all there is to check.
  o.on_command(read_command(1, 4096, false, true));
  CHECK(o.on_sent(response(1, {true, false, 3584})).empty());
  o.on_command(read_command(2, 4096, false, true));
  CHECK(o.on_sent(response(2, {true, false, 5000})) ==
        "U set with Residual Count 5000 outside [1, EDTL 4096]");
  // CHECK CONDITION without residual bits and without data: nothing claimed.
  o.on_command(read_command(3, 4096));
  CHECK(o.on_sent(response(3, {}, pdu::scsi_status::check_condition)).empty());
  // A tag reused while live: its answers are not attributed to either command.
  o.on_command(read_command(4, 4096));
  o.on_command(read_command(4, 512));
  CHECK(o.on_sent(response(4, {})).empty());
  // An answer for a tag never seen is not judged.
  CHECK(o.on_sent(response(99, {true, false, 0})).empty());
}

TEST_CASE("a tag reused by a command queued behind a CmdSN gap stays unjudged until all are answered",
          "[fuzz][inproc][residual]") {
  residual_oracle o;
  // The fuzzer's first finding, the oracle's own: TEST UNIT READY on ITT 4
  // waits behind a gap, the first ITT 4 is answered, READ CAPACITY reuses
  // ITT 4, then the queued TEST UNIT READY answers first (no data, GOOD).
  o.on_command(read_command(4, 0, false, false));  // immediate, answered below
  o.on_command(read_command(4, 0, false, false));  // queued behind the gap
  CHECK(o.on_sent(response(4, {})).empty());
  o.on_command(read_command(4, 8));  // READ CAPACITY(10)
  CHECK(o.on_sent(response(4, {})).empty());  // the queued TEST UNIT READY
  CHECK(o.on_sent(data_in(4, 0, 8)).empty());
  CHECK(o.on_sent(response(4, {})).empty());
  CHECK(o.tracked() == 0);
  // A Reject of a command answers it: the next use of the tag is judged.
  o.on_command(read_command(7, 512));
  o.on_command(read_command(7, 512));
  pdu::reject_builder r;
  r.reason(pdu::reject_reason::invalid_pdu_field).rejected_pdu(read_command(7, 512));
  CHECK(o.on_sent(r.build()).empty());
  CHECK(o.on_sent(response(7, {})).empty());  // still the ambiguous pair's
  o.on_command(read_command(7, 512));
  CHECK(o.on_sent(response(7, {})) == "no residual but 0 of EDTL 512 bytes moved");
}
