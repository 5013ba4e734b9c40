// The campaign's adaptive answer deadline: how long the executor waits for
// an answer the target owes, from the answer times the target has shown.
// The wait is 4x the 99th percentile of the latest answer times (each from
// the PDU's last byte written to the answering PDU read), never below a
// floor and never above --wait; until enough answers were timed, --wait.
// A session's silence is still confirmed with a ping waited for the full
// --wait (executor.hpp, run_options::confirm_wait), so a shorter deadline
// never turns a slow answer into a stall finding.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "touchstone/conformance/observation.hpp"

namespace touchstone::fuzz::tool {

class answer_pace {
 public:
  static constexpr std::size_t window = 4096;  // answer times kept (a ring)
  static constexpr std::size_t min_samples = 200;
  static constexpr conformance::milliseconds floor{20};

  explicit answer_pace(conformance::milliseconds ceiling) : ceiling_(ceiling), wait_(ceiling) {}

  // Answer times in microseconds from one session.
  void add(const std::vector<std::uint32_t>& micros);
  // The deadline to use now (recomputed every 256 samples).
  conformance::milliseconds wait() const { return wait_; }
  std::uint32_t p99_micros() const { return p99_; }

 private:
  void recompute();

  conformance::milliseconds ceiling_;
  conformance::milliseconds wait_;
  std::array<std::uint32_t, window> ring_{};
  std::size_t filled_ = 0, next_ = 0, since_ = 0;
  std::uint32_t p99_ = 0;
};

}  // namespace touchstone::fuzz::tool
