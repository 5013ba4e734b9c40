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

  // Chunks of a list the accessor picks out of the program (steps, offers)
  // deleted, half the list first, then quarters, ... single items, each
  // size from the end backwards: a deletion that still reproduces is kept
  // and the next chunk is the one before it. Where a finding needs N of M
  // steps this takes about 2N log2(M/N) + N attempts (3 of 22 at 300
  // random places: 18 on average, ddmin 55; planted cases with ddmin's
  // counts in fuzz/tests/program_minimiser_test.cpp), and after the single
  // items no one item can go (1-minimal).
  template <class Get>
  void delete_chunks(Get get) {
    for (std::size_t k = std::max<std::size_t>(1, get(best_).size() / 2); budget() && !get(best_).empty();
         k /= 2) {
      for (std::size_t end = get(best_).size(); end > 0 && budget();) {
        const std::size_t begin = end > k ? end - k : 0;
        const auto size = get(best_).size();
        if (begin > 0 || end < size || size == 1) {  // the empty list only from one item
          program candidate = best_;
          auto& items = get(candidate);
          items.erase(items.begin() + static_cast<std::ptrdiff_t>(begin),
                      items.begin() + static_cast<std::ptrdiff_t>(end));
          attempt(std::move(candidate));
        }
        end = begin;  // kept or not, the items before it are next
      }
      if (k == 1) break;
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
  s.delete_chunks([](program& p) -> std::vector<step>& { return p.steps; });
  s.delete_chunks([](program& p) -> pdu::text_pairs& { return p.login.offers; });
  s.fields();
  return s.result();
}

}  // namespace touchstone::fuzz
