// Program assembly: a login plan, then Full Feature Phase groups until the
// step count drawn for the program; send plans; the fresh BHS per opcode.
#include "touchstone/fuzz/generator.hpp"

#include <algorithm>

#include "pick.hpp"
#include "touchstone/pdu/all.hpp"

namespace touchstone::fuzz {

generator::generator(std::uint64_t seed, generator_options options)
    : rng_(seed), options_(options) {
  options_.max_steps = std::clamp<std::size_t>(options_.max_steps, 1, fuzz::max_steps);
  options_.min_steps = std::min(options_.min_steps, options_.max_steps);
}

program generator::next() {
  program p;
  p.login = login();
  const auto want = uniform(rng_, options_.min_steps, options_.max_steps);
  if (p.login.kind == login_kind::scripted || options_.only == only_phase::login) p.steps = login_steps(p.login);
  // A login program is its login (phase.hpp).
  while (p.steps.size() < want && options_.only != only_phase::login) {
    auto group = ffp_steps(p.steps.size());
    for (auto& s : group) {
      if (p.steps.size() >= options_.max_steps) break;
      p.steps.push_back(std::move(s));
    }
  }
  if (p.login.kind == login_kind::discovery && !p.steps.empty() && chance(rng_, 70)) {
    // Discovery sessions mostly ask for SendTargets (the rest is refused).
    pdu::text_request_builder b;
    b.initiator_task_tag(0).data(pdu::encode_text({{"SendTargets", "All"}}));
    p.steps.front() = step{b.build(), send_plan{}};
  }
  return p;
}

send_plan generator::send() {
  const auto& m = options_.mix;
  send_plan s;
  if (chance(rng_, m.wrong_digest_pct))
    s.digests = chance(rng_, 50) ? digest_mode::header_wrong : digest_mode::data_wrong;
  if (chance(rng_, m.split_pct)) {
    const auto n = uniform(rng_, 1, max_splits);
    for (std::uint64_t i = 0; i < n; ++i)
      s.splits.push_back(static_cast<std::uint32_t>(
          chance(rng_, 60) ? uniform(rng_, 1, 60) : uniform(rng_, 1, 9000)));
    std::sort(s.splits.begin(), s.splits.end());
    s.splits.erase(std::unique(s.splits.begin(), s.splits.end()), s.splits.end());
  }
  if (chance(rng_, m.delay_pct)) s.delay_ms = static_cast<std::uint32_t>(uniform(rng_, 1, 200));
  if (chance(rng_, m.as_written_pct)) s.numbers = numbering::as_written;
  return s;
}

program generate(std::uint64_t seed, const generator_options& options) {
  return generator(seed, options).next();
}

pdu::bhs_bytes fresh_bhs(std::uint8_t code) {
  using pdu::opcode;
  switch (static_cast<opcode>(code & pdu::opcode_mask)) {
    case opcode::scsi_command: return pdu::scsi_command_builder{}.build().bhs;
    case opcode::task_mgmt_request: return pdu::task_mgmt_request_builder{}.build().bhs;
    case opcode::data_out: return pdu::data_out_builder{}.build().bhs;
    case opcode::text_request: return pdu::text_request_builder{}.build().bhs;
    case opcode::login_request: return pdu::login_request_builder{}.build().bhs;
    case opcode::logout_request: return pdu::logout_request_builder{}.build().bhs;
    case opcode::snack: return pdu::snack_builder{}.build().bhs;
    case opcode::nop_out: return pdu::nop_out_builder{}.build().bhs;
    default: {
      pdu::bhs_bytes b{};
      b[0] = static_cast<std::uint8_t>(code & pdu::opcode_mask);
      return b;
    }
  }
}

}  // namespace touchstone::fuzz
