// Full Feature Phase steps: SCSI commands from the CDB grammar, writes with
// their Data-Out, TMF, NOP-Out, Text, SNACK, Logout and unknown opcodes.
// CmdSN and ExpStatSN stay 0 and tag fields name steps by index: under
// numbering::follow the executor writes the session's numbers (program.hpp).
#include <algorithm>

#include "cdb_grammar.hpp"
#include "touchstone/fuzz/bhs_fields.hpp"
#include "touchstone/fuzz/generator.hpp"
#include "touchstone/pdu/all.hpp"

namespace touchstone::fuzz {
namespace {

// A write's solicited data is cut into PDUs of this size, at most this many.
constexpr std::uint32_t data_out_chunk = 8192;
constexpr std::uint32_t max_data_outs = 8;
constexpr std::uint32_t max_immediate = 8192;

pdu::byte_buffer pattern(std::size_t n, std::size_t seed) {
  pdu::byte_buffer b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + i);
  return b;
}

std::uint32_t tag_of(std::size_t index) { return static_cast<std::uint32_t>(index); }

// An earlier step (a live or finished task), or a tag nobody used.
std::uint32_t referenced_tag(rng& r, std::size_t index) {
  if (index > 0 && chance(r, 75)) return tag_of(uniform(r, 0, index - 1));
  return static_cast<std::uint32_t>(boundary_value(r, 32));
}

step make_step(pdu::pdu p) { return step{std::move(p), send_plan{}}; }

}  // namespace

std::vector<step> generator::ffp_steps(std::size_t index) {
  const auto& m = options_.mix;
  std::vector<step> out;
  // --only-phase: login programs hold Login Requests only; discovery ones
  // mostly Text (SendTargets and keys), the rest what a Discovery session
  // must refuse.
  if (options_.only == only_phase::login) return {login_step()};
  if (options_.only == only_phase::discovery && chance(rng_, 70)) {
    out.push_back(text_step());
    twist(out.back());
    return out;
  }
  switch (weighted(rng_, {m.scsi_command, m.write_and_data_out, m.nop_out, m.task_mgmt, m.text,
                          m.snack, m.logout, m.unknown_opcode})) {
    case 0: out.push_back(scsi_command_step(index)); break;
    case 1: out = write_group(index); break;
    case 2: out.push_back(nop_out_step()); break;
    case 3: out.push_back(task_mgmt_step(index)); break;
    case 4: out.push_back(text_step()); break;
    case 5: out.push_back(snack_step(index)); break;
    case 6: out.push_back(logout_step()); break;
    default: out.push_back(unknown_step()); break;
  }
  for (auto& s : out) twist(s);
  return out;
}

step generator::scsi_command_step(std::size_t index) {
  const auto& m = options_.mix;
  const cdb_choice c = pick_cdb(rng_, m);
  pdu::scsi_command_builder b;
  b.read(c.read).write(c.write).expected_data_transfer_length(c.transfer_bytes);
  b.initiator_task_tag(tag_of(index)).cdb(c.cdb);
  if (chance(rng_, 10)) b.lun(chance(rng_, 50) ? 0x0001000000000000 : boundary_value(rng_, 64));
  if (chance(rng_, m.disagree_pct)) {
    if (chance(rng_, 50)) b.read(!c.read).write(chance(rng_, 50));
    else b.expected_data_transfer_length(static_cast<std::uint32_t>(boundary_value(rng_, 32)));
  }
  if (c.write && chance(rng_, m.immediate_data_pct))
    b.data(pattern(std::min(c.transfer_bytes, max_immediate), index));
  if (chance(rng_, m.ahs_pct)) {
    if (chance(rng_, 50)) {
      b.bidirectional_read_length(static_cast<std::uint32_t>(boundary_value(rng_, 32)));
    } else {
      const auto body = pattern(uniform(rng_, 0, 12), index);
      b.ahs(pdu::make_ahs(static_cast<std::uint8_t>(rng_()), 0, body));
    }
  }
  return make_step(b.build());
}

std::vector<step> generator::write_group(std::size_t index) {
  const auto& m = options_.mix;
  const cdb_choice c = pick_write_cdb(rng_, m);
  const std::uint32_t total = std::min(c.transfer_bytes, data_out_chunk * max_data_outs);
  pdu::scsi_command_builder cmd;
  cmd.write().expected_data_transfer_length(c.transfer_bytes).initiator_task_tag(tag_of(index));
  cmd.cdb(c.cdb);
  std::uint32_t sent = 0;
  if (chance(rng_, m.immediate_data_pct)) {
    sent = std::min(total, max_immediate);
    cmd.data(pattern(sent, index));
  }
  std::vector<step> out{make_step(cmd.build())};
  for (std::uint32_t sn = 0; sent < total && sn < max_data_outs; ++sn) {
    const std::uint32_t len = std::min(data_out_chunk, total - sent);
    pdu::data_out_builder d;
    // TTT 0: "the TTT of the task's latest R2T" under follow (program.hpp).
    d.initiator_task_tag(tag_of(index)).target_transfer_tag(0).data_sn(sn).buffer_offset(sent);
    d.final_bit(sent + len == total).data(pattern(len, index + sent));
    if (chance(rng_, m.data_out_mutated_pct)) {
      switch (uniform(rng_, 0, 4)) {
        case 0: d.buffer_offset(static_cast<std::uint32_t>(boundary_value(rng_, 32))); break;
        case 1: d.data(pattern(uniform(rng_, 0, data_out_chunk * 2), sn)); break;
        case 2: d.data_sn(static_cast<std::uint32_t>(boundary_value(rng_, 32))); break;
        case 3: d.final_bit(sent + len != total); break;
        default: d.target_transfer_tag(pdu::reserved_tag); break;
      }
    }
    out.push_back(make_step(d.build()));
    out.back().send.wait_answer = false;  // the answer comes after the last one
    sent += len;
  }
  out.back().send.wait_answer = true;
  return out;
}

step generator::task_mgmt_step(std::size_t index) {
  using f = pdu::tmf_function;
  static constexpr std::array functions = {f::abort_task, f::abort_task, f::abort_task,
                                           f::abort_task_set, f::clear_task_set,
                                           f::logical_unit_reset, f::query_task,
                                           f::query_task_set, f::i_t_nexus_reset,
                                           f::clear_aca, f::task_reassign, f::target_warm_reset};
  pdu::task_mgmt_request_builder b(functions[uniform(rng_, 0, functions.size() - 1)]);
  if (chance(rng_, 5)) b.raw_function(static_cast<std::uint8_t>(uniform(rng_, 13, 127)));
  b.initiator_task_tag(tag_of(index)).referenced_task_tag(referenced_tag(rng_, index));
  if (chance(rng_, 20)) b.ref_cmd_sn(static_cast<std::uint32_t>(boundary_value(rng_, 32)));
  return make_step(b.build());
}

step generator::nop_out_step() {
  pdu::nop_out_builder b;
  const bool ping = chance(rng_, 80);
  if (ping) b.initiator_task_tag(0);  // follow: a fresh ITT
  if (chance(rng_, 30)) b.data(pattern(uniform(rng_, 1, chance(rng_, 90) ? 64 : 9000), 7));
  step s = make_step(b.build());
  s.send.wait_answer = ping;
  return s;
}

step generator::text_step() {
  pdu::text_pairs pairs;
  if (chance(rng_, 70)) pairs.push_back({"SendTargets", chance(rng_, 80) ? "All" : ""});
  else pairs = offers(false);
  pdu::text_request_builder b;
  b.initiator_task_tag(0).data(pdu::encode_text(pairs));
  if (chance(rng_, 10)) b.continue_bit(true).final_bit(false);
  return make_step(b.build());
}

step generator::snack_step(std::size_t index) {
  pdu::snack_builder b(static_cast<pdu::snack_type>(uniform(rng_, 0, chance(rng_, 90) ? 3 : 15)));
  b.initiator_task_tag(referenced_tag(rng_, index));
  b.beg_run(static_cast<std::uint32_t>(chance(rng_, 50) ? 0 : boundary_value(rng_, 32)));
  b.run_length(static_cast<std::uint32_t>(chance(rng_, 50) ? 0 : boundary_value(rng_, 32)));
  return make_step(b.build());
}

step generator::logout_step() {
  pdu::logout_request_builder b;
  const auto reason = weighted(rng_, {80, 15, 4, 1});
  b.raw_reason_code(static_cast<std::uint8_t>(reason < 3 ? reason : uniform(rng_, 3, 127)));
  b.initiator_task_tag(0);
  return make_step(b.build());
}

step generator::unknown_step() {
  pdu::pdu p;
  for (auto& b : p.bhs) b = chance(rng_, 75) ? 0 : static_cast<std::uint8_t>(rng_());
  std::uint8_t code = 0;
  do {
    code = static_cast<std::uint8_t>(uniform(rng_, 0, 0x3f));
  } while (pdu::is_defined(code) && pdu::is_initiator_code(code));
  p.bhs[0] = static_cast<std::uint8_t>((p.bhs[0] & 0x40) | code);
  p.data = pattern(chance(rng_, 70) ? 0 : uniform(rng_, 1, 512), code);
  p.bhs[4] = 0;
  pdu::store_be24(&p.bhs[5], static_cast<std::uint32_t>(p.data.size()));
  return make_step(std::move(p));
}

// Reserved bits and the way a step is sent.
void generator::twist(step& s) {
  const auto& m = options_.mix;
  if (chance(rng_, m.reserved_bits_pct)) {
    std::vector<bhs_field> reserved;
    for (const auto& f : fields_of(s.pdu.bhs[0] & pdu::opcode_mask))
      if (f.reserved) reserved.push_back(f);
    if (!reserved.empty()) {
      const auto& f = reserved[uniform(rng_, 0, reserved.size() - 1)];
      set_field(s.pdu.bhs, f, boundary_value(rng_, f.width) | 1);
    }
  }
  const bool wait = s.send.wait_answer;
  s.send = send();
  s.send.wait_answer = wait && !chance(rng_, m.no_wait_pct);
}

}  // namespace touchstone::fuzz
