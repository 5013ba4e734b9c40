// Codec benchmarks (Google Benchmark): CRC32C through ISA-L against a
// byte-at-a-time table CRC kept here only as the reference, framer throughput
// on a mixed stream, and BHS decode + validate rate.
//   build/release/pdu/bench/pdu_bench --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <array>
#include <vector>

#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/digest.hpp"
#include "touchstone/pdu/framer.hpp"
#include "touchstone/pdu/validate.hpp"

using namespace touchstone::pdu;

namespace {

// The reference: the classic reflected CRC32C, one table lookup per byte.
struct table_crc {
  std::array<std::uint32_t, 256> t{};
  table_crc() {
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c >> 1) ^ ((c & 1) ? 0x82f63b78u : 0);
      t[i] = c;
    }
  }
  std::uint32_t operator()(bytes_view b) const {
    std::uint32_t c = 0xffffffffu;
    for (auto x : b) c = t[(c ^ x) & 0xff] ^ (c >> 8);
    return ~c;
  }
};

struct raw_builder : builder<raw_builder> {
  explicit raw_builder(opcode op) : builder(op) {}
};

void bm_crc32c_isal(benchmark::State& state) {
  std::vector<std::uint8_t> buf(static_cast<std::size_t>(state.range(0)), 0x5a);
  for (auto _ : state) benchmark::DoNotOptimize(crc32c(buf));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(bm_crc32c_isal)->Arg(512)->Arg(8192)->Arg(65536);

void bm_crc32c_table(benchmark::State& state) {
  static const table_crc crc;
  std::vector<std::uint8_t> buf(static_cast<std::size_t>(state.range(0)), 0x5a);
  for (auto _ : state) benchmark::DoNotOptimize(crc(buf));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(bm_crc32c_table)->Arg(512)->Arg(8192)->Arg(65536);

// A stream like a busy connection: commands, 8 KiB and 64 KiB data, statuses.
byte_buffer mixed_stream(digest_config d) {
  byte_buffer out;
  for (int i = 0; i < 64; ++i) {
    encode_into(raw_builder{opcode::scsi_command}.final_bit().build(), d, out);
    encode_into(raw_builder{opcode::data_in}.data(byte_buffer(i % 2 ? 8192 : 65536, 1)).build(), d, out);
    encode_into(raw_builder{opcode::scsi_response}.build(), d, out);
  }
  return out;
}

void bm_framer(benchmark::State& state) {
  const digest_config d{state.range(0) != 0, state.range(0) != 0};
  const auto stream = mixed_stream(d);
  std::size_t pdus = 0;
  for (auto _ : state) {
    framer f{{d, 1u << 20}};
    bytes_view in{stream};
    while (!in.empty()) {
      const auto s = f.decode(in);
      in = in.subspan(s.consumed);
      if (s.status == frame_status::done) {
        benchmark::DoNotOptimize(f.take());
        ++pdus;
      }
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
  state.counters["pdus/s"] = benchmark::Counter(static_cast<double>(pdus), benchmark::Counter::kIsRate);
}
BENCHMARK(bm_framer)->Arg(0)->Arg(1)->ArgName("digests");

// Legal header-only PDUs of the kinds a busy connection carries, built with
// the typed builders: the hot path, where validate() finds nothing to report.
std::vector<bhs_bytes> legal_headers() {
  constexpr std::uint64_t lun = 0x0001000000000000;
  const byte_buffer read10{0x28, 0, 0, 0, 0, 8, 0, 0, 1, 0};
  return {scsi_command_builder{}.read().lun(lun).initiator_task_tag(7).expected_data_transfer_length(512)
              .cmd_sn(1).cdb(read10).build().bhs,
          data_out_builder{}.lun(lun).initiator_task_tag(7).target_transfer_tag(9).build().bhs,
          nop_out_builder{}.immediate().initiator_task_tag(7).cmd_sn(1).build().bhs,
          scsi_response_builder{}.initiator_task_tag(7).stat_sn(1).exp_cmd_sn(2).max_cmd_sn(9).build().bhs,
          data_in_builder{}.final_bit().has_status().initiator_task_tag(7).stat_sn(1).build().bhs,
          r2t_builder{}.lun(lun).initiator_task_tag(7).target_transfer_tag(9)
              .desired_data_transfer_length(512).build().bhs,
          task_mgmt_request_builder{}.lun(lun).initiator_task_tag(7).build().bhs,
          nop_in_builder{}.stat_sn(1).build().bhs};
}

// The same opcodes with only F and the ITT set: most break a rule (zero
// TTT, no function code, ...), so this measures reporting violations too.
std::vector<bhs_bytes> headers_with_violations() {
  std::vector<bhs_bytes> headers;
  for (auto op : {opcode::scsi_command, opcode::data_out, opcode::nop_out, opcode::scsi_response,
                  opcode::data_in, opcode::r2t, opcode::task_mgmt_request, opcode::nop_in})
    headers.push_back(raw_builder{op}.final_bit().initiator_task_tag(7).build().bhs);
  return headers;
}

// Header-only PDUs decoded from bytes and validated. Arg 0: legal headers;
// arg 1: headers with violations.
void bm_bhs_decode_validate(benchmark::State& state) {
  const auto headers = state.range(0) == 0 ? legal_headers() : headers_with_violations();
  pdu p;
  std::size_t n = 0, found = 0;
  for (auto _ : state) {
    const auto& h = headers[n++ % headers.size()];
    p.bhs = h;  // the decode: 48 bytes into a PDU whose fields are read in place
    const auto v = validate(p);
    found += v.size();
    benchmark::DoNotOptimize(v.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["violations/pdu"] = static_cast<double>(found) / static_cast<double>(state.iterations());
}
BENCHMARK(bm_bhs_decode_validate)->Arg(0)->Arg(1)->ArgName("with_violations");

}  // namespace

BENCHMARK_MAIN();
