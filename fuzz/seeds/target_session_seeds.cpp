// Writes the seeds of fuzz/target_session.cpp from the pdu builders:
//   fuzz_target_session_seeds corpus/target_session
// Each seed is the 4-byte scenario header (fuzz/target_session.hpp) and a
// stream: encoded PDUs (framer mode) or BHS+AHS+data chunks without padding
// or digests (chunked mode, the harness encodes them).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../target_session.hpp"
#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/text.hpp"

namespace {

using namespace touchstone;
namespace ts = touchstone::fuzz::target_session;

class seed {
 public:
  seed(std::uint8_t b0, std::uint8_t b1, std::uint8_t b2 = 0, std::uint8_t b3 = 0x10)
      : bytes_{b0, b1, b2, b3}, chunked_((b1 & 1) != 0), cmd_sn_(0xffffffe0u + b3) {}

  seed& add(const pdu::pdu& p) {
    if (chunked_) {
      bytes_.insert(bytes_.end(), p.bhs.begin(), p.bhs.end());
      bytes_.insert(bytes_.end(), p.ahs.begin(), p.ahs.end());
      bytes_.insert(bytes_.end(), p.data.begin(), p.data.end());
    } else {
      const auto e = pdu::encode(p);
      bytes_.insert(bytes_.end(), e.begin(), e.end());
    }
    return *this;
  }
  // The next CmdSN (a non-immediate command takes it).
  std::uint32_t take_cmd_sn() { return cmd_sn_++; }
  std::uint32_t cmd_sn() const { return cmd_sn_; }
  std::uint32_t next_itt() { return itt_++; }

  void write(const std::filesystem::path& dir, const std::string& name) const {
    std::ofstream out(dir / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes_.data()), static_cast<std::streamsize>(bytes_.size()));
  }

 private:
  std::vector<std::uint8_t> bytes_;
  bool chunked_;
  std::uint32_t cmd_sn_;
  std::uint32_t itt_ = 0x100;
};

pdu::byte_buffer cdb10(std::uint8_t op, std::uint32_t lba, std::uint16_t blocks) {
  pdu::byte_buffer c(10, 0);
  c[0] = op;
  pdu::store_be32(&c[2], lba);
  pdu::store_be16(&c[7], blocks);
  return c;
}

pdu::pdu command(seed& s, pdu::byte_buffer cdb, bool read, bool write, std::uint32_t edtl,
                 pdu::byte_buffer immediate = {}) {
  pdu::scsi_command_builder b;
  b.final_bit(true).read(read).write(write).attribute(pdu::task_attribute::simple)
      .initiator_task_tag(s.next_itt()).cmd_sn(s.take_cmd_sn()).expected_data_transfer_length(edtl)
      .cdb(pdu::bytes_view(cdb)).data(std::move(immediate));
  return b.build();
}

pdu::pdu tur(seed& s) { return command(s, pdu::byte_buffer(6, 0), false, false, 0); }
pdu::pdu read10(seed& s, std::uint16_t blocks) {
  return command(s, cdb10(0x28, 0, blocks), true, false, blocks * 512u);
}

pdu::pdu nop_ping(seed& s) {
  pdu::nop_out_builder b;
  b.immediate(true).initiator_task_tag(s.next_itt()).cmd_sn(s.cmd_sn()).data(pdu::byte_buffer(16, 0xab));
  return b.build();
}

pdu::pdu logout(seed& s) {
  pdu::logout_request_builder b;
  b.immediate(true).initiator_task_tag(s.next_itt()).cmd_sn(s.cmd_sn()).cid(1);
  return b.build();
}

pdu::pdu text(seed& s, const pdu::text_pairs& pairs) {
  pdu::text_request_builder b;
  b.final_bit(true).initiator_task_tag(s.next_itt()).cmd_sn(s.take_cmd_sn())
      .target_transfer_tag(pdu::reserved_tag).data(pdu::encode_text(pairs));
  return b.build();
}

pdu::pdu data_out(std::uint32_t itt, std::uint32_t ttt, std::uint32_t data_sn, std::uint32_t offset,
                  std::size_t length, bool final) {
  pdu::data_out_builder b;
  b.final_bit(final).initiator_task_tag(itt).target_transfer_tag(ttt).data_sn(data_sn)
      .buffer_offset(offset).data(pdu::byte_buffer(length, 0x5a));
  return b.build();
}

pdu::pdu tmf(seed& s, pdu::tmf_function f, std::uint32_t referenced) {
  pdu::task_mgmt_request_builder b(f);
  b.initiator_task_tag(s.next_itt()).cmd_sn(s.cmd_sn()).referenced_task_tag(referenced);
  return b.build();
}

pdu::pdu login(std::uint32_t cmd_sn, pdu::login_stage csg, pdu::login_stage next,
               const pdu::text_pairs& pairs) {
  pdu::login_request_builder b;
  b.csg(csg).transit_to(next).isid(ts::isid).initiator_task_tag(ts::login_itt).cmd_sn(cmd_sn)
      .cid(1).data(pdu::encode_text(pairs));
  return b.build();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir{argv[1]};
  std::filesystem::create_directories(dir);
  using pdu::login_stage;

  {  // The login itself, from the stream: security (None) then operational.
    seed s(0x00, 0x00);
    const pdu::text_pairs names{{"InitiatorName", std::string(ts::initiator_name)},
                                {"TargetName", "iqn.2026-11.org.touchstone:target"},
                                {"SessionType", "Normal"},
                                {"AuthMethod", "None"}};
    s.add(login(s.cmd_sn(), login_stage::security_negotiation, login_stage::operational_negotiation, names));
    s.add(login(s.cmd_sn(), login_stage::operational_negotiation, login_stage::full_feature_phase,
                {{"HeaderDigest", "None"}, {"DataDigest", "None"}, {"MaxRecvDataSegmentLength", "4096"}}));
    s.add(tur(s)).add(logout(s));
    s.write(dir, "login-stream");
  }
  {  // Reads, an immediate-data write, a ping, logout.
    seed s(0x40, 0x02);
    s.add(tur(s)).add(read10(s, 16));
    s.add(command(s, cdb10(0x2a, 1, 1), false, true, 512, pdu::byte_buffer(512, 0x11)));
    s.add(nop_ping(s)).add(logout(s));
    s.write(dir, "ffp-read-write");
  }
  {  // InitialR2T=Yes, ImmediateData=No: a write answered by R2T, Data-Out in two PDUs.
    seed s(0x4c, 0x02);
    const std::uint32_t itt = 0x100;
    s.add(command(s, cdb10(0x2a, 0, 8), false, true, 4096));
    s.add(data_out(itt, 1, 0, 0, 2048, false)).add(data_out(itt, 1, 1, 2048, 2048, true));
    s.add(read10(s, 8)).add(logout(s));
    s.write(dir, "ffp-r2t-write");
  }
  {  // Unsolicited Data-Out after immediate data (InitialR2T=No).
    seed s(0x40, 0x02);
    const std::uint32_t itt = 0x100;
    s.add(command(s, cdb10(0x2a, 0, 4), false, true, 2048, pdu::byte_buffer(512, 0x22)));
    s.add(data_out(itt, pdu::reserved_tag, 0, 512, 1536, true));
    s.add(logout(s));
    s.write(dir, "ffp-unsolicited");
  }
  {  // Discovery: SendTargets=All, then logout.
    seed s(0x41, 0x02);
    s.add(text(s, {{"SendTargets", "All"}})).add(logout(s));
    s.write(dir, "discovery-sendtargets");
  }
  {  // CHAP, both digests, chunked: commands, a text exchange, an abort.
    seed s(0x72, 0x03);
    s.add(tur(s)).add(read10(s, 2));
    s.add(text(s, {{"MaxBurstLength", "16384"}}));
    s.add(command(s, cdb10(0x2a, 0, 4), false, true, 2048));
    s.add(tmf(s, pdu::tmf_function::abort_task, 0x103));
    s.add(logout(s));
    s.write(dir, "chap-digests-chunked");
  }
  {  // Jobs finishing late, queue depth 1: a command queue, task set abort, LU reset.
    seed s(0xc0, 0x02);
    s.add(read10(s, 1)).add(read10(s, 1)).add(tur(s));
    s.add(tmf(s, pdu::tmf_function::abort_task_set, pdu::reserved_tag));
    s.add(tmf(s, pdu::tmf_function::logical_unit_reset, pdu::reserved_tag));
    s.add(logout(s));
    s.write(dir, "deferred-tmf");
  }
  {  // No auto-numbering, CmdSN wrapping past 0xffffffff, out of order, depth 2.
    seed s(0x40, 0x08, 0x00, 0x1f);
    const auto first = tur(s);
    const auto second = tur(s);
    s.add(second).add(first).add(tur(s)).add(logout(s));
    s.write(dir, "cmdsn-wrap-reorder");
  }
  {  // NOP-In pings with StatSN wrapping; an idle connection times out.
    seed s(0x40, 0x06, 0x03);
    s.add(tur(s)).add(nop_ping(s));
    s.write(dir, "pings-statsn-wrap");
  }
  std::printf("wrote seeds into %s\n", dir.c_str());
  return 0;
}
