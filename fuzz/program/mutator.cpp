#include "touchstone/fuzz/mutator.hpp"

#include <algorithm>
#include <utility>

#include "pick.hpp"
#include "touchstone/fuzz/bhs_fields.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::fuzz {
namespace {

std::size_t any_index(rng& r, std::size_t size) { return uniform(r, 0, size - 1); }

// DataSegmentLength follows the data most of the time (so the PDU frames);
// sometimes it is left to disagree.
void sync_length(rng& r, pdu::pdu& p) {
  if (chance(r, 90)) pdu::store_be24(&p.bhs[5], static_cast<std::uint32_t>(p.data.size()));
}

}  // namespace

mutator::mutator(std::uint64_t seed, generator_options options) : gen_(seed, options) {}

mutation mutator::mutate(program& p) {
  auto& r = gen_.engine();
  // Retry a few times when a kind does not apply (no step to delete, ...).
  for (int attempt = 0; attempt < 8; ++attempt) {
    const auto kind = static_cast<mutation>(weighted(r, {10, 8, 5, 5, 35, 12, 10, 5, 10}));
    bool done = false;
    switch (kind) {
      case mutation::insert_step: done = insert_step(p); break;
      case mutation::delete_step: done = delete_step(p); break;
      case mutation::duplicate_step: done = duplicate_step(p); break;
      case mutation::swap_steps: done = swap_steps(p); break;
      case mutation::bhs_field: done = mutate_field(p); break;
      case mutation::data_segment: done = mutate_data(p); break;
      case mutation::send_plan: done = mutate_send(p); break;
      case mutation::numbering: done = flip_numbering(p); break;
      case mutation::login_plan: done = mutate_login(p); break;
    }
    if (done) {
      clamp_to_bounds(p);
      return kind;
    }
  }
  insert_step(p);
  clamp_to_bounds(p);
  return mutation::insert_step;
}

program mutator::crossover(const program& a, const program& b) {
  auto& r = gen_.engine();
  program out;
  out.login = a.login;
  const auto cut_a = uniform(r, 0, a.steps.size());
  const auto cut_b = uniform(r, 0, b.steps.size());
  out.steps.assign(a.steps.begin(), a.steps.begin() + static_cast<std::ptrdiff_t>(cut_a));
  for (auto it = b.steps.begin() + static_cast<std::ptrdiff_t>(cut_b);
       it != b.steps.end() && out.steps.size() < max_steps; ++it)
    out.steps.push_back(*it);
  clamp_to_bounds(out);
  return out;
}

bool mutator::insert_step(program& p) {
  if (p.steps.size() >= max_steps) return false;
  auto& r = gen_.engine();
  const auto at = uniform(r, 0, p.steps.size());
  auto group = gen_.ffp_steps(at);
  const auto room = max_steps - p.steps.size();
  if (group.size() > room) group.resize(room);
  p.steps.insert(p.steps.begin() + static_cast<std::ptrdiff_t>(at), group.begin(), group.end());
  return true;
}

bool mutator::delete_step(program& p) {
  if (p.steps.empty()) return false;
  p.steps.erase(p.steps.begin() + static_cast<std::ptrdiff_t>(any_index(gen_.engine(), p.steps.size())));
  return true;
}

bool mutator::duplicate_step(program& p) {
  if (p.steps.empty() || p.steps.size() >= max_steps) return false;
  const auto i = any_index(gen_.engine(), p.steps.size());
  p.steps.insert(p.steps.begin() + static_cast<std::ptrdiff_t>(i), p.steps[i]);
  return true;
}

bool mutator::swap_steps(program& p) {
  if (p.steps.size() < 2) return false;
  auto& r = gen_.engine();
  std::swap(p.steps[any_index(r, p.steps.size())], p.steps[any_index(r, p.steps.size())]);
  return true;
}

bool mutator::mutate_field(program& p) {
  if (p.steps.empty()) return false;
  auto& r = gen_.engine();
  auto& bhs = p.steps[any_index(r, p.steps.size())].pdu.bhs;
  const auto fields = fields_of(bhs[0] & pdu::opcode_mask);
  const auto& f = fields[any_index(r, fields.size())];
  // Under --only-phase a step keeps its opcode (so the program its phase).
  if (gen_.options().only != only_phase::any && f.name == "Opcode") return false;
  std::uint64_t v = get_field(bhs, f);
  switch (uniform(r, 0, 3)) {
    case 0: v = boundary_value(r, f.width); break;
    case 1: v ^= std::uint64_t{1} << uniform(r, 0, f.width - 1u); break;
    case 2: v = uniform(r, 0, field_mask(f)); break;
    default: v += chance(r, 50) ? 1 : field_mask(f); break;  // +1 or -1 (mod 2^width)
  }
  set_field(bhs, f, v & field_mask(f));
  return true;
}

bool mutator::mutate_data(program& p) {
  if (p.steps.empty()) return false;
  auto& r = gen_.engine();
  auto& pd = p.steps[any_index(r, p.steps.size())].pdu;
  switch (uniform(r, 0, 3)) {
    case 0:  // resize: empty, small, around a boundary, the bound
      pd.data.resize(std::min<std::size_t>(
          max_data_segment, chance(r, 20) ? max_data_segment : boundary_value(r, 14)));
      break;
    case 1: pd.data.resize(std::min(max_data_segment, pd.data.size() + uniform(r, 1, 512)), 0x5a); break;
    case 2:
      if (pd.data.empty()) return false;
      pd.data[any_index(r, pd.data.size())] = static_cast<std::uint8_t>(r());
      break;
    default:
      if (pd.data.empty()) return false;
      pd.data.resize(any_index(r, pd.data.size()));
      break;
  }
  sync_length(r, pd);
  return true;
}

bool mutator::mutate_send(program& p) {
  if (p.steps.empty()) return false;
  auto& r = gen_.engine();
  auto& s = p.steps[any_index(r, p.steps.size())].send;
  const auto numbers = s.numbers;
  switch (uniform(r, 0, 2)) {
    case 0: s = gen_.send(); s.numbers = numbers; break;
    case 1: s.wait_answer = !s.wait_answer; break;
    default:
      s.digests = static_cast<digest_mode>(uniform(r, 0, 2));
      s.delay_ms = chance(r, 50) ? 0 : static_cast<std::uint32_t>(uniform(r, 0, max_delay_ms));
      break;
  }
  return true;
}

bool mutator::flip_numbering(program& p) {
  if (p.steps.empty()) return false;
  auto& s = p.steps[any_index(gen_.engine(), p.steps.size())].send;
  s.numbers = s.numbers == numbering::follow ? numbering::as_written : numbering::follow;
  return true;
}

bool mutator::mutate_login(program& p) {
  auto& r = gen_.engine();
  auto& l = p.login;
  switch (uniform(r, 0, 4)) {
    case 0: l.offers = gen_.offers(l.kind == login_kind::discovery); break;
    case 1: {
      auto more = gen_.offers(false);
      l.offers.insert(l.offers.end(), more.begin(), more.end());
      break;
    }
    case 2:
      if (l.offers.empty()) return false;
      l.offers.erase(l.offers.begin() + static_cast<std::ptrdiff_t>(any_index(r, l.offers.size())));
      break;
    case 3: l.chap = !l.chap; break;
    default:
      if (gen_.options().only != only_phase::any) l.kind = gen_.login().kind;  // within the phase
      else l.kind = static_cast<login_kind>(uniform(r, 0, 2) == 0 ? 0 : uniform(r, 1, 2));
      break;
  }
  return true;
}

std::string_view name(mutation m) {
  switch (m) {
    case mutation::insert_step: return "insert_step";
    case mutation::delete_step: return "delete_step";
    case mutation::duplicate_step: return "duplicate_step";
    case mutation::swap_steps: return "swap_steps";
    case mutation::bhs_field: return "bhs_field";
    case mutation::data_segment: return "data_segment";
    case mutation::send_plan: return "send_plan";
    case mutation::numbering: return "numbering";
    case mutation::login_plan: return "login_plan";
  }
  return "?";
}

}  // namespace touchstone::fuzz
