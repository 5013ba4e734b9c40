#include "touchstone/fuzz/minimiser.hpp"

#include <algorithm>
#include <vector>

#include "touchstone/fuzz/bhs_fields.hpp"
#include "touchstone/fuzz/generator.hpp"

namespace touchstone::fuzz {
namespace {

class shrinker {
 public:
  shrinker(program p, const oracle& o, std::size_t max_calls)
      : best_(std::move(p)), oracle_(o), max_calls_(max_calls) {}

  bool budget() const { return calls_ < max_calls_; }

  // Keeps the candidate when the oracle accepts it.
  bool attempt(program candidate) {
    if (!budget()) return false;
    ++calls_;
    if (!oracle_(candidate)) return false;
    best_ = std::move(candidate);
    return true;
  }

  // ddmin over a list the accessor picks out of the program (steps, offers).
  template <class Get>
  void ddmin(Get get) {
    std::size_t n = 2;
    while (budget() && get(best_).size() >= 2) {
      const auto items = get(best_);
      const std::size_t chunk = (items.size() + n - 1) / n;
      bool reduced = false;
      for (std::size_t start = 0; start < items.size() && budget() && !reduced; start += chunk)
        reduced = try_subset(get, items, start, chunk, true) ||
                  (n > 2 && try_subset(get, items, start, chunk, false));
      if (reduced) {
        n = std::max<std::size_t>(n - 1, 2);
      } else {
        if (n >= items.size()) break;
        n = std::min(items.size(), n * 2);
      }
    }
    if (get(best_).size() == 1) {  // the empty list may reproduce too
      program candidate = best_;
      get(candidate).clear();
      attempt(std::move(candidate));
    }
  }

  void fields() {
    for (std::size_t i = 0; i < best_.steps.size() && budget(); ++i) {
      shrink_payload(i);
      const auto code = static_cast<std::uint8_t>(best_.steps[i].pdu.bhs[0] & pdu::opcode_mask);
      const auto fresh = fresh_bhs(code);
      for (const auto& f : fields_of(code)) {
        if (f.name == "Opcode" || f.name == "DataSegmentLength" || f.name == "TotalAHSLength")
          continue;
        const auto legal = get_field(fresh, f);
        if (get_field(best_.steps[i].pdu.bhs, f) == legal || !budget()) continue;
        program candidate = best_;
        set_field(candidate.steps[i].pdu.bhs, f, legal);
        attempt(std::move(candidate));
      }
    }
  }

  minimised result() const { return {best_, calls_}; }

 private:
  // Keep only [start, start+chunk) (subset) or everything else (complement).
  template <class Get, class List>
  bool try_subset(Get get, const List& items, std::size_t start, std::size_t chunk, bool subset) {
    const std::size_t end = std::min(items.size(), start + chunk);
    List kept;
    for (std::size_t j = 0; j < items.size(); ++j)
      if ((j >= start && j < end) == subset) kept.push_back(items[j]);
    if (kept.size() == items.size()) return false;
    program candidate = best_;
    get(candidate) = std::move(kept);
    return attempt(std::move(candidate));
  }

  // The data segment and AHS dropped (lengths to match), the send plan reset.
  void shrink_payload(std::size_t i) {
    const auto& s = best_.steps[i];
    if (!s.pdu.data.empty() || !s.pdu.ahs.empty()) {
      program candidate = best_;
      auto& p = candidate.steps[i].pdu;
      p.data.clear();
      p.ahs.clear();
      p.bhs[4] = 0;
      p.bhs[5] = p.bhs[6] = p.bhs[7] = 0;
      attempt(std::move(candidate));
    }
    if (!(best_.steps[i].send == send_plan{})) {
      program candidate = best_;
      candidate.steps[i].send = send_plan{};
      attempt(std::move(candidate));
    }
  }

  program best_;
  const oracle& oracle_;
  std::size_t max_calls_;
  std::size_t calls_ = 0;
};

}  // namespace

minimised minimise(const program& input, const oracle& still_reproduces, std::size_t max_calls) {
  shrinker s(input, still_reproduces, max_calls);
  s.ddmin([](program& p) -> std::vector<step>& { return p.steps; });
  s.ddmin([](program& p) -> pdu::text_pairs& { return p.login.offers; });
  s.fields();
  return s.result();
}

}  // namespace touchstone::fuzz
